; SPDX-License-Identifier: GPL-2.0
;
; Test guest entry and exception stubs. The hypervisor enters _start in
; 64-bit mode with paging on (identity map of the low 4 GiB).

bits 64

extern gt_main, gt_exception
global _start, gt_vectors

section .text.entry
_start:
	mov rsp, gt_stack_top
	xor ebp, ebp
	call gt_main
.hang:
	cli
	hlt
	jmp .hang

extern gt_stack_top

section .text
; One 16-byte stub per vector: push a dummy error code where the CPU
; pushes none, then the vector, and go to the common handler.
%define HAS_ERROR(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)
align 16
gt_vectors:
%assign v 0
%rep 256
	align 16
%if HAS_ERROR(v) == 0
	push qword 0
%endif
	push qword v
	jmp vec_common
%assign v v + 1
%endrep

vec_common:
	push rax
	push rbx
	push rcx
	push rdx
	push rsi
	push rdi
	push rbp
	push r8
	push r9
	push r10
	push r11
	push r12
	push r13
	push r14
	push r15
	mov rdi, rsp
	call gt_exception
	pop r15
	pop r14
	pop r13
	pop r12
	pop r11
	pop r10
	pop r9
	pop r8
	pop rbp
	pop rdi
	pop rsi
	pop rdx
	pop rcx
	pop rbx
	pop rax
	add rsp, 16
	iretq

section .note.GNU-stack noalloc noexec nowrite progbits
