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

%include "arch/x86/stubs.inc"

section .text

align 16
global trap_stubs
trap_stubs:
	VECTOR_STUBS trap_common

trap_common:
	PUSH_GPRS
	cld
	mov rdi, rsp
	call trap_handler
	POP_GPRS
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
