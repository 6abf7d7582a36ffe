; SPDX-License-Identifier: GPL-2.0
;
; Application processor start-up. The boot CPU copies this code to a page
; below 1 MiB, fills in the parameter block at its end and sends
; INIT-SIPI-SIPI (SDM vol. 3 9.4.4). The AP starts in real mode at
; CS:IP = (page >> 4):0 and goes straight to long mode: PAE and EFER.LME
; first, then CR0.PE and CR0.PG together, then a far jump into a 64-bit
; code segment. It then takes its stack and calls the C entry with its
; per-CPU pointer. One AP starts at a time, so one parameter block serves.

bits 16
default rel

section .text

global trampoline_start, trampoline_end
global tramp_gdtr_base, tramp_far_target, tramp_cr3, tramp_stack
global tramp_arg, tramp_entry, tramp_gdt, tramp_long_entry

%define OFF(x) ((x) - trampoline_start)

trampoline_start:
	cli
	cld
	mov ax, cs
	mov ds, ax
	lgdt [OFF(tramp_gdtr)]

	mov eax, 0x20			; CR4.PAE
	mov cr4, eax
	mov eax, [OFF(tramp_cr3)]
	mov cr3, eax
	mov ecx, 0xc0000080		; EFER
	rdmsr
	or eax, (1 << 8) | (1 << 11)	; LME, NXE
	wrmsr
	mov eax, 0x80000033		; PG, NE, ET, MP, PE
	mov cr0, eax

	; jmp dword 0x08:long_entry, with the linear target patched in.
	db 0x66, 0xea
tramp_far_target:
	dd 0
	dw 0x08

bits 64
tramp_long_entry:
	mov ax, 0x10
	mov ds, ax
	mov es, ax
	mov ss, ax
	xor eax, eax
	mov fs, ax
	mov gs, ax
	mov rsp, [rel tramp_stack]
	mov rdi, [rel tramp_arg]
	mov rax, [rel tramp_entry]
	push 0				; no return address: ends backtraces
	jmp rax

align 16
tramp_gdt:
	dq 0
	dq 0x00af9b000000ffff		; 64-bit code
	dq 0x00cf93000000ffff		; data
tramp_gdtr:
	dw 3 * 8 - 1
tramp_gdtr_base:
	dd 0
align 8
tramp_cr3:	dq 0
tramp_stack:	dq 0
tramp_arg:	dq 0
tramp_entry:	dq 0
trampoline_end:

section .note.GNU-stack noalloc noexec nowrite progbits
