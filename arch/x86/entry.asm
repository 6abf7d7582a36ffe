; SPDX-License-Identifier: GPL-2.0
;
; Host exception and interrupt entry. One 16-byte stub per vector pushes a
; dummy error code where the CPU does not push one (SDM vol. 3 6.13), then
; the vector, and jumps to a common path that saves the general registers
; in the layout of struct trap_frame (arch/x86/desc.h) and calls
; trap_handler(frame).

default rel
bits 64

extern trap_handler

section .text

; Vectors whose exceptions push an error code: 8, 10-14, 17, 21, 29, 30.
%define HAS_ERROR(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)

align 16
global trap_stubs
trap_stubs:
%assign v 0
%rep 256
	align 16
%if HAS_ERROR(v) == 0
	push qword 0
%endif
	push qword v
	jmp trap_common
%assign v v + 1
%endrep

trap_common:
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
	cld
	mov rdi, rsp
	call trap_handler
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
	add rsp, 16		; vector and error code
	iretq

; void call_on_stack(u64 stack_top, void (*fn)(void *), void *arg)
; Switches to a new stack and calls fn(arg); fn must not return.
global call_on_stack
call_on_stack:
	mov rsp, rdi
	xor ebp, ebp
	mov rdi, rdx
	push rbp		; a zero return address ends backtraces
	jmp rsi

section .note.GNU-stack noalloc noexec nowrite progbits
