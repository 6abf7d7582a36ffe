; SPDX-License-Identifier: GPL-2.0
;
; The SVM world switch.
;
; void svm_world_switch(u64 guest_vmcb_pa, u64 host_vmcb_pa, struct guest_regs *regs)
;
; VMRUN switches only part of the state (APM vol. 2 15.5.1); FS, GS, TR,
; LDTR, KernelGSbase, STAR/LSTAR/CSTAR/SFMASK and SYSENTER_* are switched
; here with VMSAVE/VMLOAD. GIF is cleared around the whole sequence so that
; no NMI is taken while the guest's GS base is loaded. RAX, RSP, RIP and
; RFLAGS live in the VMCB; the other general registers in *regs (offsets
; of struct guest_regs in hv/vm.h).

default rel
bits 64

%include "arch/x86/guest_regs.inc"

section .text

global svm_world_switch
svm_world_switch:
	PUSH_CALLEE_SAVED
	push rdx			; regs
	push rsi			; host VMCB

	clgi
	; With GIF clear, IF=1 only takes effect inside the guest: a host
	; interrupt (a kick, the timer) then exits at once (APM vol. 2
	; 15.21.1: V_INTR_MASKING makes the host's IF gate INTR; GIF is
	; 15.17).
	sti
	mov rax, rsi
	vmsave				; host hidden state
	mov rax, rdi
	vmload				; guest hidden state

	LOAD_GPRS rdx, R_RDX

	vmrun				; rax = guest VMCB

	; Back on the host: rax and rsp are the host's again.
	push rax			; guest VMCB
	mov rax, [rsp + 16]		; regs
	STORE_GPRS rax

	pop rax
	vmsave				; guest hidden state
	pop rax
	vmload				; host hidden state (GS base)
	cli				; the loop takes pending ones itself
	stgi

	add rsp, 8
	POP_CALLEE_SAVED
	ret

section .note.GNU-stack noalloc noexec nowrite progbits
