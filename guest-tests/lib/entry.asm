; SPDX-License-Identifier: GPL-2.0
;
; Test guest entry and exception stubs. The hypervisor enters _start in
; 64-bit mode with paging on (identity map of the low 4 GiB).

bits 64

%include "arch/x86/stubs.inc"

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
align 16
gt_vectors:
	VECTOR_STUBS vec_common

vec_common:
	PUSH_GPRS
	mov rdi, rsp
	call gt_exception
	POP_GPRS
	add rsp, 16
	iretq

section .note.GNU-stack noalloc noexec nowrite progbits
