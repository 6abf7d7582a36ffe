; SPDX-License-Identifier: GPL-2.0
;
; VMX entry and exit.
;
; int vmx_enter(struct guest_regs *regs, bool launched)
;
; RSP, RIP and RFLAGS of the guest live in the VMCS; the other general
; registers are loaded from / stored to *regs (offsets of struct
; guest_regs in hv/vm.h). HOST_RSP is written on every entry because the
; caller's stack depth may differ; HOST_RIP is vmx_exit_point, written once
; at VMCS setup. A VM exit loads RFLAGS = 2 (SDM vol. 3 27.5.3), so the
; host stays with interrupts off as it entered.
;
; Returns 0 after a VM exit, 1 on VMfailInvalid (CF), 2 on VMfailValid (ZF).

default rel
bits 64

%define R_RAX 0
%define R_RBX 8
%define R_RCX 16
%define R_RDX 24
%define R_RSI 32
%define R_RDI 40
%define R_RBP 48
%define R_R8  64
%define R_R9  72
%define R_R10 80
%define R_R11 88
%define R_R12 96
%define R_R13 104
%define R_R14 112
%define R_R15 120

%define VMCS_HOST_RSP 0x6c14

section .text

global vmx_enter
global vmx_exit_point
vmx_enter:
	push rbp
	push rbx
	push r12
	push r13
	push r14
	push r15
	push rdi			; regs, found at [rsp] after the exit

	mov eax, VMCS_HOST_RSP
	vmwrite rax, rsp
	jna .fail

	test sil, sil			; launched? (flags survive the movs)
	mov rax, [rdi + R_RAX]
	mov rbx, [rdi + R_RBX]
	mov rcx, [rdi + R_RCX]
	mov rdx, [rdi + R_RDX]
	mov rsi, [rdi + R_RSI]
	mov rbp, [rdi + R_RBP]
	mov r8,  [rdi + R_R8]
	mov r9,  [rdi + R_R9]
	mov r10, [rdi + R_R10]
	mov r11, [rdi + R_R11]
	mov r12, [rdi + R_R12]
	mov r13, [rdi + R_R13]
	mov r14, [rdi + R_R14]
	mov r15, [rdi + R_R15]
	mov rdi, [rdi + R_RDI]
	jnz .resume
	vmlaunch
	jmp .fail
.resume:
	vmresume
.fail:
	; VM-fail: we are still on the host with the guest's registers.
	mov eax, 1
	jc vmx_enter_out
	mov eax, 2
	jmp vmx_enter_out

vmx_exit_point:
	push rax			; guest rax
	mov rax, [rsp + 8]		; regs
	mov [rax + R_RBX], rbx
	mov [rax + R_RCX], rcx
	mov [rax + R_RDX], rdx
	mov [rax + R_RSI], rsi
	mov [rax + R_RDI], rdi
	mov [rax + R_RBP], rbp
	mov [rax + R_R8],  r8
	mov [rax + R_R9],  r9
	mov [rax + R_R10], r10
	mov [rax + R_R11], r11
	mov [rax + R_R12], r12
	mov [rax + R_R13], r13
	mov [rax + R_R14], r14
	mov [rax + R_R15], r15
	pop rbx
	mov [rax + R_RAX], rbx
	xor eax, eax
vmx_enter_out:
	add rsp, 8
	pop r15
	pop r14
	pop r13
	pop r12
	pop rbx
	pop rbp
	ret

section .note.GNU-stack noalloc noexec nowrite progbits
