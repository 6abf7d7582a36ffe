; SPDX-License-Identifier: GPL-2.0
;
; Entry of the 32-bit Multiboot test kernels (guest-tests/mb_*.c). The
; header asks for page-aligned modules (flag 0) and the memory fields
; (flag 1); without flag 16 the loader takes the ELF program headers.
; Multiboot Specification 0.6.96, 3.1.1-3.1.2 (header), 3.2 (entry state).

bits 32

MB_MAGIC equ 0x1BADB002
MB_FLAGS equ 0x00000003

extern mb_main, gt32_stack_top
global _start, gt32_entry_eax, gt32_entry_ebx, gt32_entry_eflags
global gt32_entry_cr0

section .multiboot progbits alloc noexec nowrite align=4
	dd MB_MAGIC
	dd MB_FLAGS
	dd -(MB_MAGIC + MB_FLAGS)

section .text
_start:
	; Nothing is set up yet: no stack (ESP is undefined), so the entry
	; registers go straight to memory before anything touches them.
	mov [gt32_entry_eax], eax
	mov [gt32_entry_ebx], ebx
	mov esp, gt32_stack_top
	pushfd
	pop dword [gt32_entry_eflags]
	mov eax, cr0
	mov [gt32_entry_cr0], eax
	xor ebp, ebp
	call mb_main
.hang:
	cli
	hlt
	jmp .hang

section .bss
align 4
gt32_entry_eax:    resd 1
gt32_entry_ebx:    resd 1
gt32_entry_eflags: resd 1
gt32_entry_cr0:    resd 1

section .note.GNU-stack noalloc noexec nowrite progbits
