/* sources: arch/x86/insn.c */
// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the instruction decoder (arch/x86/insn.c): the length of
 * every instruction of a table, and -EAGAIN for each of its prefixes
 * (test_insn_fields.c: invalid encodings, the 15-byte limit, the decoded
 * fields, random bytes).
 *
 * The length table was cross-checked against GNU objdump 2.40
 * (objdump -D -b binary -m i386:x86-64 | i386 | i8086); the descriptions are
 * objdump's. The decoder was also compared with objdump on ~25000 random
 * encodings; it differs only where objdump is more lenient than the CPU
 * (REX/66/F2/F3 before VEX, 0F 24/26 MOV TR) or prints a REX that is not
 * followed by an opcode as an instruction of its own.
 */
#include "unit.h"
#include <arch/x86/insn.h>

struct len_case {
	int mode;
	const char *bytes;
	size_t len;
	const char *what;
};

#define T(m, b, w) { m, b, sizeof(b) - 1, w }

static const struct len_case len_cases[] = {
	T(64, "\x0f\xa2", "cpuid"),
	T(64, "\x0f\x32", "rdmsr"),
	T(64, "\x0f\x30", "wrmsr"),
	T(64, "\xf4", "hlt"),
	T(64, "\x0f\x01\xd9", "vmmcall"),
	T(64, "\x0f\x01\xc1", "vmcall"),
	T(64, "\x0f\x01\xd1", "xsetbv"),
	T(64, "\x0f\x01\xd0", "xgetbv"),
	T(64, "\x0f\x33", "rdpmc"),
	T(64, "\x0f\x08", "invd"),
	T(64, "\x0f\x09", "wbinvd"),
	T(64, "\x0f\x31", "rdtsc"),
	T(64, "\x0f\x01\xf9", "rdtscp"),
	T(64, "\x0f\x01\xd8", "vmrun"),
	T(64, "\x0f\x01\xdd", "clgi"),
	T(64, "\xe4\xf4", "in 0xf4,al"),
	T(64, "\xe6\xf4", "out al,0xf4"),
	T(64, "\xe7\xf4", "out eax,0xf4"),
	T(64, "\x66\xe7\xf4", "out ax,0xf4"),
	T(64, "\xec", "in (dx),al"),
	T(64, "\xed", "in (dx),eax"),
	T(64, "\x66\xed", "in (dx),ax"),
	T(64, "\xee", "out al,(dx)"),
	T(64, "\xef", "out eax,(dx)"),
	T(64, "\x6c", "insb (dx),es:(rdi)"),
	T(64, "\xf3\x6c", "rep insb (dx),es:(rdi)"),
	T(64, "\xf3\x6d", "rep insl (dx),es:(rdi)"),
	T(64, "\x66\xf3\x6d", "rep insw (dx),es:(rdi)"),
	T(64, "\xf3\x6e", "rep outsb ds:(rsi),(dx)"),
	T(64, "\xf3\x66\x6f", "rep outsw ds:(rsi),(dx)"),
	T(64, "\xf3\xab", "rep stos eax,es:(rdi)"),
	T(64, "\xf3\x48\xab", "rep stos rax,es:(rdi)"),
	T(64, "\xf3\xa4", "rep movsb ds:(rsi),es:(rdi)"),
	T(64, "\xf3\x48\xa5", "rep movsq ds:(rsi),es:(rdi)"),
	T(64, "\x67\xf3\xa4", "rep movsb ds:(esi),es:(edi)"),
	T(64, "\x2e\xf3\xa4", "rep movsb ds:(rsi),es:(rdi)"),
	T(64, "\x0f\x20\xc0", "mov cr0,rax"),
	T(64, "\x0f\x20\xd8", "mov cr3,rax"),
	T(64, "\x0f\x22\xe0", "mov rax,cr4"),
	T(64, "\x44\x0f\x20\xc0", "mov cr8,rax"),
	T(64, "\x0f\x20\x00", "mov cr0,rax"),
	T(64, "\x0f\x21\xf8", "mov db7,rax"),
	T(64, "\x0f\x23\xc0", "mov rax,db0"),
	T(64, "\x8b\x07", "mov (rdi),eax"),
	T(64, "\x89\x07", "mov eax,(rdi)"),
	T(64, "\x48\x8b\x07", "mov (rdi),rax"),
	T(64, "\x48\x89\x04\x24", "mov rax,(rsp)"),
	T(64, "\x48\x89\x44\x24\xf8", "mov rax,-0x8(rsp)"),
	T(64, "\x48\x89\x84\x24\x00\x01\x00\x00", "mov rax,0x100(rsp)"),
	T(64, "\x8b\x04\x25\xef\xbe\xad\xde", "mov 0xffffffffdeadbeef,eax"),
	T(64, "\x8b\x05\xf0\xff\xff\xff", "mov -0x10(rip),eax # 0xfffffffffff"),
	T(64, "\x67\x8b\x05\xf0\xff\xff\xff", "mov -0x10(eip),eax # 0xfffffff"),
	T(64, "\x8b\x45\x00", "mov 0x0(rbp),eax"),
	T(64, "\x41\x8b\x45\x00", "mov 0x0(r13),eax"),
	T(64, "\x41\x8b\x04\x24", "mov (r12),eax"),
	T(64, "\x42\x8b\x04\xa0", "mov (rax,r12,4),eax"),
	T(64, "\x8b\x0c\x8d\x00\x10\x00\x00", "mov 0x1000(,rcx,4),ecx"),
	T(64, "\x8a\x07", "mov (rdi),al"),
	T(64, "\x88\x07", "mov al,(rdi)"),
	T(64, "\x66\x89\x0f", "mov cx,(rdi)"),
	T(64, "\x66\x89\x47\x0a", "mov ax,0xa(rdi)"),
	T(64, "\x64\x48\x8b\x04\x25\x28\x00\x00\x00", "mov fs:0x28,rax"),
	T(64, "\x65\x48\x8b\x0c\x25\x10\x00\x00\x00", "mov gs:0x10,rcx"),
	T(64, "\x26\x48\x8b\x07", "es mov (rdi),rax"),
	T(64, "\xc7\x07\x01\x00\x00\x00", "movl 0x1,(rdi)"),
	T(64, "\x48\xc7\x07\x01\x00\x00\x00", "movq 0x1,(rdi)"),
	T(64, "\x66\xc7\x07\x01\x00", "movw 0x1,(rdi)"),
	T(64, "\xc6\x07\x01", "movb 0x1,(rdi)"),
	T(64, "\xc7\x80\x00\x10\x00\x00\x78\x56\x34\x12", "movl 0x12345678,0x"),
	T(64, "\x48\xb8\xef\xcd\xab\x89\x67\x45\x23\x01", "movabs 0x123456789"),
	T(64, "\x49\xbf\x01\x00\x00\x00\x00\x00\x00\x80", "movabs 0x800000000"),
	T(64, "\xb8\x01\x00\x00\x00", "mov 0x1,eax"),
	T(64, "\x66\xb8\x01\x00", "mov 0x1,ax"),
	T(64, "\xb0\x01", "mov 0x1,al"),
	T(64, "\xa0\xef\xcd\xab\x89\x67\x45\x23\x01", "movabs 0x123456789abcd"),
	T(64, "\x48\xa1\xef\xcd\xab\x89\x67\x45\x23\x01", "movabs 0x123456789"),
	T(64, "\x67\xa1\x78\x56\x34\x12", "addr32 mov 0x12345678,eax"),
	T(64, "\xa2\xef\xcd\xab\x89\x67\x45\x23\x01", "movabs al,0x123456789a"),
	T(64, "\xf0\x0f\xb1\x0f", "lock cmpxchg ecx,(rdi)"),
	T(64, "\xf0\x48\x0f\xc1\x0e", "lock xadd rcx,(rsi)"),
	T(64, "\xf0\xff\x07", "lock incl (rdi)"),
	T(64, "\xf0\x83\x07\xff", "lock addl 0xffffffff,(rdi)"),
	T(64, "\xf0\x48\x0f\xc7\x0f", "lock cmpxchg16b (rdi)"),
	T(64, "\xf6\xc1\x01", "test 0x1,cl"),
	T(64, "\xf6\xd1", "not cl"),
	T(64, "\xf7\xc1\x01\x00\x00\x00", "test 0x1,ecx"),
	T(64, "\x66\xf7\xc1\x01\x00", "test 0x1,cx"),
	T(64, "\x48\xf7\xc1\xff\xff\xff\xff", "test 0xffffffffffffffff,rcx"),
	T(64, "\xf7\xd1", "not ecx"),
	T(64, "\xf7\xe1", "mul ecx"),
	T(64, "\xf6\x47\x08\x01", "testb 0x1,0x8(rdi)"),
	T(64, "\xc8\x10\x00\x01", "enter 0x10,0x1"),
	T(64, "\xc2\x10\x00", "ret 0x10"),
	T(64, "\xca\x10\x00", "lret 0x10"),
	T(64, "\xc3", "ret"),
	T(64, "\xcb", "lret"),
	T(64, "\xcd\x80", "int 0x80"),
	T(64, "\xcc", "int3"),
	T(64, "\xf1", "int1"),
	T(64, "\xe8\x00\x00\x00\x00", "call 0x5"),
	T(64, "\xe9\xff\xff\xff\xff", "jmp 0x4"),
	T(64, "\xeb\x00", "jmp 0x2"),
	T(64, "\x74\x00", "je 0x2"),
	T(64, "\x0f\x84\x00\x00\x00\x00", "je 0x6"),
	T(64, "\xff\x15\xf0\xff\xff\xff", "call *-0x10(rip) # 0xfffffffffffff"),
	T(64, "\xff\xd0", "call *rax"),
	T(64, "\x41\xff\xe3", "jmp *r11"),
	T(64, "\xff\x30", "push (rax)"),
	T(64, "\x50", "push rax"),
	T(64, "\x41\x50", "push r8"),
	T(64, "\x6a\x01", "push 0x1"),
	T(64, "\x68\x78\x56\x34\x12", "push 0x12345678"),
	T(64, "\x8f\x00", "pop (rax)"),
	T(64, "\x9c", "pushf"),
	T(64, "\x0f\xa0", "push fs"),
	T(64, "\x63\xc8", "movsxd eax,ecx"),
	T(64, "\x48\x63\xc8", "movslq eax,rcx"),
	T(64, "\x8d\x05\x00\x00\x00\x00", "lea 0x0(rip),eax # 0x6"),
	T(64, "\x48\x8d\x04\x40", "lea (rax,rax,2),rax"),
	T(64, "\x0f\x1f\x44\x00\x00", "nopl 0x0(rax,rax,1)"),
	T(64, "\x66\x0f\x1f\x84\x00\x00\x00\x00\x00", "nopw 0x0(rax,rax,1)"),
	T(64, "\x66\x2e\x0f\x1f\x84\x00\x00\x00\x00\x00", "cs nopw 0x0(rax,ra"),
	T(64, "\x0f\x0b", "ud2"),
	T(64, "\x0f\xb9\xc0", "ud1 eax,eax"),
	T(64, "\x0f\x05", "syscall"),
	T(64, "\x0f\x07", "sysretl"),
	T(64, "\x0f\xae\x38", "clflush (rax)"),
	T(64, "\x0f\xae\xf0", "mfence"),
	T(64, "\x0f\x0d\x08", "prefetchw (rax)"),
	T(64, "\x0f\x18\x00", "prefetchnta (rax)"),
	T(64, "\x0f\xba\xe1\x05", "bt 0x5,ecx"),
	T(64, "\x0f\xa4\xc1\x05", "shld 0x5,eax,ecx"),
	T(64, "\x0f\xaf\xc1", "imul ecx,eax"),
	T(64, "\x6b\xc1\x05", "imul 0x5,ecx,eax"),
	T(64, "\x69\xc1\x78\x56\x34\x12", "imul 0x12345678,ecx,eax"),
	T(64, "\x66\x0f\x6f\x07", "movdqa (rdi),xmm0"),
	T(64, "\xf3\x0f\x6f\x07", "movdqu (rdi),xmm0"),
	T(64, "\x0f\x28\xc1", "movaps xmm1,xmm0"),
	T(64, "\x66\x0f\x3a\x0f\xc1\x08", "palignr 0x8,xmm1,xmm0"),
	T(64, "\x66\x0f\x38\x00\x01", "pshufb (rcx),xmm0"),
	T(64, "\x66\x0f\x3a\x16\xc0\x01", "pextrd 0x1,xmm0,eax"),
	T(64, "\x0f\x70\xc1\x1b", "pshufw 0x1b,mm1,mm0"),
	T(64, "\x66\x0f\x70\xc1\x1b", "pshufd 0x1b,xmm1,xmm0"),
	T(64, "\x66\x0f\x73\xd3\x01", "psrlq 0x1,xmm3"),
	T(64, "\x0f\xc2\xc1\x00", "cmpeqps xmm1,xmm0"),
	T(64, "\x0f\xc6\xc1\x00", "shufps 0x0,xmm1,xmm0"),
	T(64, "\x0f\xc4\xc1\x00", "pinsrw 0x0,ecx,mm0"),
	T(64, "\x0f\xc8", "bswap eax"),
	T(64, "\x49\x0f\xc8", "bswap r8"),
	T(64, "\x0f\x0f\xc1\xb4", "pfmul mm1,mm0"),
	T(64, "\x0f\x0f\x44\x24\x08\x9e", "pfadd 0x8(rsp),mm0"),
	T(64, "\x0f\x0e", "femms"),
	T(64, "\xc5\xf8\x77", "vzeroupper"),
	T(64, "\xc5\xfc\x77", "vzeroall"),
	T(64, "\xc5\xf9\x6f\x07", "vmovdqa (rdi),xmm0"),
	T(64, "\xc5\xfd\x6f\x07", "vmovdqa (rdi),ymm0"),
	T(64, "\xc4\xe2\x7d\x00\xc1", "vpshufb ymm1,ymm0,ymm0"),
	T(64, "\xc4\xe3\x7d\x0f\xc1\x08", "vpalignr 0x8,ymm1,ymm0,ymm0"),
	T(64, "\xc4\xe1\xf9\x7e\xc0", "vmovq xmm0,rax"),
	T(64, "\xc5\xf9\x70\xc1\x1b", "vpshufd 0x1b,xmm1,xmm0"),
	T(64, "\xc4\xc1\x7a\x6f\x44\x24\x10", "vmovdqu 0x10(r12),xmm0"),
	T(64, "\x62\xf1\x7c\x48\x28\xc1", "vmovaps zmm1,zmm0"),
	T(64, "\x62\xf1\xfd\x48\x6f\x44\x24\x01", "vmovdqa64 0x40(rsp),zmm0"),
	T(64, "\x62\xf3\x7d\x48\x0f\xc1\x08", "vpalignr 0x8,zmm1,zmm0,zmm0"),
	T(64, "\x62\xf1\x7c\x48\xc2\xc1\x00", "vcmpeqps zmm1,zmm0,k0"),
	T(64, "\x8f\xe8\x78\xc2\xc1\x01", "vprotd 0x1,xmm1,xmm0"),
	T(64, "\x8f\xe9\x78\x81\xc1", "vfrczpd xmm1,xmm0"),
	T(64, "\x8f\xea\x78\x10\xc0\x78\x56\x34\x12", "bextr 0x12345678,eax,e"),
	T(64, "\x66\x0f\x78\xc0\x04\x08", "extrq 0x8,0x4,xmm0"),
	T(64, "\xf2\x0f\x78\xc1\x04\x08", "insertq 0x8,0x4,xmm1,xmm0"),
	T(64, "\xf3\x0f\xb8\xc1", "popcnt ecx,eax"),
	T(64, "\xf3\x48\x0f\xbc\xc1", "tzcnt rcx,rax"),
	T(64, "\xf3\x0f\x1e\xfa", "endbr64"),
	T(64, "\x0f\x01\xf8", "swapgs"),
	T(64, "\x0f\x00\xd0", "lldt ax"),
	T(64, "\x0f\x01\x10", "lgdt (rax)"),
	T(64, "\x0f\xc7\xf8", "rdseed eax"),
	T(64, "\x48\x0f\xc7\x0e", "cmpxchg16b (rsi)"),
	T(64, "\x90", "nop"),
	T(64, "\xf3\x90", "pause"),
	T(64, "\x48\x90", "rex.W nop"),
	T(64, "\x9b", "fwait"),
	T(64, "\xd9\xe8", "fld1"),
	T(64, "\xdd\x04\x24", "fldl (rsp)"),
	T(64, "\xde\xc1", "faddp st,st(1)"),
	T(64, "\x66\x66\x66\x66\x66\x66\x2e\x0f\x1f\x84\x00\x00\x00\x00\x00",
	  "data16 data16 data16 data16 data16 cs no"),
	T(64, "\x40\xc6\xc7\x01", "mov 0x1,dil"),
	T(64, "\xc0\xe0\x04", "shl 0x4,al"),
	T(64, "\xd1\xe0", "shl eax"),
	T(64, "\xd3\xe0", "shl cl,eax"),
	T(64, "\x80\x3d\x00\x00\x00\x00\x01", "cmpb 0x1,0x0(rip) # 0x7"),
	T(64, "\x81\x3d\x00\x00\x00\x00\x78\x56\x34\x12", "cmpl 0x12345678,0x"),
	T(64, "\x48\x81\xc4\x00\x01\x00\x00", "add 0x100,rsp"),
	T(64, "\x48\x83\xc4\x08", "add 0x8,rsp"),
	T(64, "\xa8\x01", "test 0x1,al"),
	T(64, "\xa9\x01\x00\x00\x00", "test 0x1,eax"),
	T(64, "\x04\x01", "add 0x1,al"),
	T(64, "\x05\x01\x00\x00\x00", "add 0x1,eax"),
	T(64, "\x66\x05\x01\x00", "add 0x1,ax"),
	T(64, "\x48\x05\x01\x00\x00\x00", "add 0x1,rax"),
	T(64, "\xe3\x00", "jrcxz 0x2"),
	T(64, "\xe2\xfe", "loop 0x0"),
	T(64, "\xc6\xf8\x01", "xabort 0x1"),
	T(64, "\xc7\xf8\x00\x00\x00\x00", "xbegin 0x6"),
	T(64, "\x0f\x01\xd5", "xend"),
	T(64, "\x0f\xae\xe8", "lfence"),
	T(64, "\x0f\x38\xf0\x07", "movbe (rdi),eax"),
	T(64, "\xf2\x0f\x38\xf1\xc1", "crc32 ecx,eax"),
	T(64, "\x66\x0f\x3a\x63\xc1\x00", "pcmpistri 0x0,xmm1,xmm0"),
	T(64, "\xe8\x00\x00\x00\x00", "call 0x5"),
	T(64, "\x66\xe8\x00\x00", "callw 0x4"),
	T(64, "\x66\xe9\x00\x00", "jmpw 0x4"),
	T(64, "\x66\x0f\x84\x00\x00", "je 0x5"),
	T(64, "\xff\x25\x00\x00\x00\x00", "jmp *0x0(rip) # 0x6"),
	T(64, "\x48\xff\x25\x00\x00\x00\x00", "rex.W jmp *0x0(rip) # 0x7"),
	T(64, "\x66\xff\xe0", "jmp *ax"),
	T(32, "\x0f\xa2", "cpuid"),
	T(32, "\x0f\x32", "rdmsr"),
	T(32, "\xf4", "hlt"),
	T(32, "\x0f\x01\xd9", "vmmcall"),
	T(32, "\x0f\x01\xc1", "vmcall"),
	T(32, "\x40", "inc eax"),
	T(32, "\x48", "dec eax"),
	T(32, "\x4f", "dec edi"),
	T(32, "\x06", "push es"),
	T(32, "\x07", "pop es"),
	T(32, "\x0e", "push cs"),
	T(32, "\x16", "push ss"),
	T(32, "\x17", "pop ss"),
	T(32, "\x1e", "push ds"),
	T(32, "\x1f", "pop ds"),
	T(32, "\x27", "daa"),
	T(32, "\x2f", "das"),
	T(32, "\x37", "aaa"),
	T(32, "\x3f", "aas"),
	T(32, "\x60", "pusha"),
	T(32, "\x61", "popa"),
	T(32, "\x62\x07", "bound eax,(edi)"),
	T(32, "\x62\x44\x24\x08", "bound eax,0x8(esp)"),
	T(32, "\x82\xc0\x01", "add 0x1,al"),
	T(32, "\x9a\x78\x56\x34\x12\x08\x00", "lcall 0x8,0x12345678"),
	T(32, "\x66\x9a\x34\x12\x08\x00", "lcallw 0x8,0x1234"),
	T(32, "\xea\x78\x56\x34\x12\x08\x00", "ljmp 0x8,0x12345678"),
	T(32, "\xc4\x07", "les (edi),eax"),
	T(32, "\xc5\x07", "lds (edi),eax"),
	T(32, "\xc4\x44\x24\x08", "les 0x8(esp),eax"),
	T(32, "\xc5\xf8\x77", "vzeroupper"),
	T(32, "\xc4\xe2\x7d\x00\xc1", "vpshufb ymm1,ymm0,ymm0"),
	T(32, "\x62\xf1\x7c\x48\x28\xc1", "vmovaps zmm1,zmm0"),
	T(32, "\xce", "into"),
	T(32, "\xd4\x0a", "aam 0xa"),
	T(32, "\xd5\x0a", "aad 0xa"),
	T(32, "\xa1\x78\x56\x34\x12", "mov 0x12345678,eax"),
	T(32, "\x67\xa1\x34\x12", "addr16 mov 0x1234,eax"),
	T(32, "\xa0\x78\x56\x34\x12", "mov 0x12345678,al"),
	T(32, "\xb8\x78\x56\x34\x12", "mov 0x12345678,eax"),
	T(32, "\x66\xb8\x34\x12", "mov 0x1234,ax"),
	T(32, "\x8b\x07", "mov (edi),eax"),
	T(32, "\x8b\x04\x24", "mov (esp),eax"),
	T(32, "\x8b\x05\x78\x56\x34\x12", "mov 0x12345678,eax"),
	T(32, "\x8b\x45\x08", "mov 0x8(ebp),eax"),
	T(32, "\x67\x8b\x07", "mov (bx),eax"),
	T(32, "\x67\x8b\x46\x08", "mov 0x8(bp),eax"),
	T(32, "\x67\x8b\x06\x34\x12", "mov 0x1234,eax"),
	T(32, "\x67\x8b\x87\x34\x12", "mov 0x1234(bx),eax"),
	T(32, "\x66\x8b\x07", "mov (edi),ax"),
	T(32, "\xf3\xab", "rep stos eax,es:(edi)"),
	T(32, "\xf3\x66\xab", "rep stos ax,es:(edi)"),
	T(32, "\xe8\x00\x00\x00\x00", "call 0x5"),
	T(32, "\x66\xe8\x00\x00", "callw 0x4"),
	T(32, "\x68\x78\x56\x34\x12", "push 0x12345678"),
	T(32, "\x66\x68\x34\x12", "pushw 0x1234"),
	T(32, "\xc8\x10\x00\x01", "enter 0x10,0x1"),
	T(32, "\xf6\xc1\x01", "test 0x1,cl"),
	T(32, "\xf7\xc1\x01\x00\x00\x00", "test 0x1,ecx"),
	T(32, "\x66\xf7\xc1\x01\x00", "test 0x1,cx"),
	T(32, "\x0f\x20\xc0", "mov cr0,eax"),
	T(32, "\x0f\x22\xd8", "mov eax,cr3"),
	T(32, "\x0f\x0f\xc1\xb4", "pfmul mm1,mm0"),
	T(32, "\x8f\x00", "pop (eax)"),
	T(32, "\x8f\xe8\x78\xc2\xc1\x01", "vprotd 0x1,xmm1,xmm0"),
	T(32, "\xf0\x0f\xb1\x0f", "lock cmpxchg ecx,(edi)"),
	T(32, "\x64\x8b\x0d\x00\x00\x00\x00", "mov fs:0x0,ecx"),
	T(32, "\x0f\x05", "syscall"),
	T(32, "\xcd\x80", "int 0x80"),
	T(32, "\xee", "out al,(dx)"),
	T(32, "\xe6\x80", "out al,0x80"),
	T(32, "\xf3\x6e", "rep outsb ds:(esi),(dx)"),
	T(16, "\x0f\xa2", "cpuid"),
	T(16, "\xf4", "hlt"),
	T(16, "\x0f\x01\xd9", "vmmcall"),
	T(16, "\xb8\x34\x12", "mov 0x1234,ax"),
	T(16, "\x66\xb8\x78\x56\x34\x12", "mov 0x12345678,eax"),
	T(16, "\x8b\x07", "mov (bx),ax"),
	T(16, "\x8b\x06\x34\x12", "mov 0x1234,ax"),
	T(16, "\x8b\x46\x08", "mov 0x8(bp),ax"),
	T(16, "\x8b\x87\x34\x12", "mov 0x1234(bx),ax"),
	T(16, "\x8b\x00", "mov (bx,si),ax"),
	T(16, "\x67\x8b\x04\x24", "mov (esp),ax"),
	T(16, "\x67\x8b\x05\x78\x56\x34\x12", "addr32 mov 0x12345678,ax"),
	T(16, "\x67\x8b\x44\x24\x08", "mov 0x8(esp),ax"),
	T(16, "\xa1\x34\x12", "mov 0x1234,ax"),
	T(16, "\x67\xa1\x78\x56\x34\x12", "addr32 mov 0x12345678,ax"),
	T(16, "\xe8\x00\x00", "call 0x3"),
	T(16, "\x66\xe8\x00\x00\x00\x00", "calll 0x6"),
	T(16, "\xe9\x00\x00", "jmp 0x3"),
	T(16, "\xea\x00\x7c\x00\x00", "ljmp 0x0,0x7c00"),
	T(16, "\x66\xea\x78\x56\x34\x12\x08\x00", "ljmpl 0x8,0x12345678"),
	T(16, "\x9a\x00\x7c\x00\x00", "lcall 0x0,0x7c00"),
	T(16, "\x68\x34\x12", "push 0x1234"),
	T(16, "\xc8\x10\x00\x01", "enter 0x10,0x1"),
	T(16, "\xf6\xc1\x01", "test 0x1,cl"),
	T(16, "\xf7\xc1\x01\x00", "test 0x1,cx"),
	T(16, "\x66\xf7\xc1\x01\x00\x00\x00", "test 0x1,ecx"),
	T(16, "\x40", "inc ax"),
	T(16, "\x06", "push es"),
	T(16, "\x60", "pusha"),
	T(16, "\x62\x07", "bound ax,(bx)"),
	T(16, "\xc4\x07", "les (bx),ax"),
	T(16, "\xc5\x07", "lds (bx),ax"),
	T(16, "\xcd\x10", "int 0x10"),
	T(16, "\xec", "in (dx),al"),
	T(16, "\xf3\xa4", "rep movsb ds:(si),es:(di)"),
	T(16, "\x26\x8b\x07", "mov es:(bx),ax"),
	T(16, "\x0f\x84\x00\x00", "je 0x4"),
	T(16, "\x0f\x20\xc0", "mov cr0,eax"),
	T(16, "\x0f\x22\xc0", "mov eax,cr0"),
	T(16, "\xc5\xf8\x77", "vzeroupper"),
	T(16, "\x0f\x01\x16\x34\x12", "lgdtw 0x1234"),
	T(16, "\x66\x0f\x01\x16\x34\x12", "lgdtl 0x1234"),
	T(16, "\xea\x5b\xe0\x00\xf0", "ljmp 0xf000,0xe05b"),
	T(16, "\xd4\x0a", "aam 0xa"),
	T(16, "\xc7\x06\x34\x12\x78\x56", "movw 0x5678,0x1234"),
	T(16, "\x80\x3e\x34\x12\x01", "cmpb 0x1,0x1234"),
};

static enum insn_mode mode_of(int m)
{
	return m == 16 ? INSN_MODE_16 : m == 32 ? INSN_MODE_32 : INSN_MODE_64;
}

static void test_lengths(void **state)
{
	int bad = 0;

	(void)state;
	assert_true(ARRAY_SIZE(len_cases) >= 150);
	for (size_t i = 0; i < ARRAY_SIZE(len_cases); i++) {
		const struct len_case *c = &len_cases[i];
		u8 buf[32];
		struct insn in;
		int ret;

		/* Followed by more bytes that must not be consumed. */
		memset(buf, 0x90, sizeof(buf));
		memcpy(buf, c->bytes, c->len);
		ret = insn_decode(buf, sizeof(buf), mode_of(c->mode), &in);
		if (ret != (int)c->len || in.len != c->len) {
			print_message("%d-bit %s: got %d, want %zu\n", c->mode,
				      c->what, ret, c->len);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

/* Every strict prefix of a valid instruction asks for more bytes. */
static void test_eagain(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(len_cases); i++) {
		const struct len_case *c = &len_cases[i];

		for (size_t n = 0; n < c->len; n++) {
			/* Exact-size heap copy: ASan catches overreads. */
			u8 *p = malloc(n ? n : 1);
			int ret;

			memcpy(p, c->bytes, n);
			ret = insn_decode(p, n, mode_of(c->mode), NULL);
			if (ret != -EAGAIN)
				print_message("%d-bit %s, %zu bytes: %d\n",
					      c->mode, c->what, n, ret);
			assert_int_equal(ret, -EAGAIN);
			free(p);
		}
	}
	assert_int_equal(insn_decode(NULL, 0, INSN_MODE_64, NULL), -EAGAIN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lengths),
		cmocka_unit_test(test_eagain),
	};

	return cmocka_run_group_tests_name("insn", tests, NULL, NULL);
}
