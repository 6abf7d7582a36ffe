; SPDX-License-Identifier: GPL-2.0
;
; Application processor start-up. The boot CPU copies this code to a page
; below 1 MiB, fills in the parameter block at its end and sends
; INIT-SIPI-SIPI to every AP at once (SDM vol. 3 9.4.4). Each AP starts in
; real mode at CS:IP = (page >> 4):0 and goes straight to long mode: PAE
; and EFER.LME first, then CR0.PE and CR0.PG together, then a far jump
; into a 64-bit code segment.
;
; All APs run this code at the same time, so nothing here is written:
; each finds its own stack and per-CPU pointer by its APIC ID in the boot
; CPU's table (struct ap_slot, arch/x86/smp.c) and calls the C entry. The
; APIC ID comes from the local APIC itself: in x2APIC mode (IA32_APIC_BASE
; bit 10, which an INIT keeps, SDM vol. 3A 11.12.5) the 32-bit ID MSR
; 0x802, else bits 31:24 of the xAPIC ID register at the APIC base + 0x20
; (identity-mapped by the host page tables). An AP not in the table halts.

bits 16
default rel

section .text

global trampoline_start, trampoline_end
global tramp_gdtr_base, tramp_far_target, tramp_cr3, tramp_slots
global tramp_nr_slots, tramp_entry, tramp_gdt, tramp_long_entry

%define OFF(x) ((x) - trampoline_start)
%define SLOT_SIZE	24		; apic_id (8), stack_top, arg

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

	mov ecx, 0x1b			; IA32_APIC_BASE
	rdmsr
	test eax, 1 << 10		; EXTD: x2APIC mode
	jz .xapic
	mov ecx, 0x802			; x2APIC ID
	rdmsr
	jmp .have_id
.xapic:
	shl rdx, 32
	and eax, 0xfffff000
	or rax, rdx
	mov eax, [rax + 0x20]
	shr eax, 24
.have_id:
	mov rsi, [rel tramp_slots]
	mov ecx, [rel tramp_nr_slots]
.find:
	test ecx, ecx
	jz .unknown
	cmp [rsi], rax
	je .found
	add rsi, SLOT_SIZE
	dec ecx
	jmp .find
.unknown:
	cli
	hlt
	jmp .unknown
.found:
	mov rsp, [rsi + 8]
	mov rdi, [rsi + 16]
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
tramp_slots:	dq 0
tramp_nr_slots:	dq 0
tramp_entry:	dq 0
trampoline_end:

section .note.GNU-stack noalloc noexec nowrite progbits
