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

%include "arch/x86/guest_regs.inc"

%define VMCS_HOST_RSP 0x6c14

section .text

global vmx_enter
global vmx_exit_point
vmx_enter:
	PUSH_CALLEE_SAVED
	push rdi			; regs, found at [rsp] after the exit

	mov eax, VMCS_HOST_RSP
	vmwrite rax, rsp
	jna .fail

	test sil, sil			; launched? (flags survive the movs)
	mov rax, [rdi + R_RAX]
	LOAD_GPRS rdi, R_RDI
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
	STORE_GPRS rax
	pop rbx
	mov [rax + R_RAX], rbx
	xor eax, eax
vmx_enter_out:
	add rsp, 8
	POP_CALLEE_SAVED
	ret

section .note.GNU-stack noalloc noexec nowrite progbits
