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

section .text

global svm_world_switch
svm_world_switch:
	push rbp
	push rbx
	push r12
	push r13
	push r14
	push r15
	push rdx			; regs
	push rsi			; host VMCB

	clgi
	; With GIF clear, IF=1 only takes effect inside the guest: a host
	; interrupt (a kick, the timer) then exits at once (APM vol. 2
	; 15.17.1: V_INTR_MASKING makes the host's IF gate INTR).
	sti
	mov rax, rsi
	vmsave				; host hidden state
	mov rax, rdi
	vmload				; guest hidden state

	mov rbx, [rdx + R_RBX]
	mov rcx, [rdx + R_RCX]
	mov rsi, [rdx + R_RSI]
	mov rdi, [rdx + R_RDI]
	mov rbp, [rdx + R_RBP]
	mov r8,  [rdx + R_R8]
	mov r9,  [rdx + R_R9]
	mov r10, [rdx + R_R10]
	mov r11, [rdx + R_R11]
	mov r12, [rdx + R_R12]
	mov r13, [rdx + R_R13]
	mov r14, [rdx + R_R14]
	mov r15, [rdx + R_R15]
	mov rdx, [rdx + R_RDX]

	vmrun				; rax = guest VMCB

	; Back on the host: rax and rsp are the host's again.
	push rax			; guest VMCB
	mov rax, [rsp + 16]		; regs
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

	pop rax
	vmsave				; guest hidden state
	pop rax
	vmload				; host hidden state (GS base)
	cli				; the loop takes pending ones itself
	stgi

	add rsp, 8
	pop r15
	pop r14
	pop r13
	pop r12
	pop rbx
	pop rbp
	ret

section .note.GNU-stack noalloc noexec nowrite progbits
