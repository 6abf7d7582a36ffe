/* SPDX-License-Identifier: GPL-2.0 */
/*
 * AMD SVM: the VMCB layout (AMD APM vol. 2, appendix B) and exit codes
 * (appendix C). Offsets are checked at compile time.
 */
#ifndef ARCH_X86_SVM_H
#define ARCH_X86_SVM_H

#include <hv/types.h>

struct vmcb_seg {
	u16 sel;
	u16 attr;
	u32 limit;
	u64 base;
} __packed;

/* Control area, APM vol. 2 table B-1. */
struct vmcb_control {
	u16 intercept_cr_read;		/* 0x000 */
	u16 intercept_cr_write;		/* 0x002 */
	u16 intercept_dr_read;		/* 0x004 */
	u16 intercept_dr_write;		/* 0x006 */
	u32 intercept_exceptions;	/* 0x008 */
	u32 intercept_misc1;		/* 0x00c */
	u32 intercept_misc2;		/* 0x010 */
	u32 intercept_misc3;		/* 0x014 */
	u8 reserved_018[0x03c - 0x018];
	u16 pause_filter_threshold;	/* 0x03c */
	u16 pause_filter_count;		/* 0x03e */
	u64 iopm_base_pa;		/* 0x040 */
	u64 msrpm_base_pa;		/* 0x048 */
	u64 tsc_offset;			/* 0x050 */
	u32 asid;			/* 0x058 */
	u8 tlb_control;			/* 0x05c */
	u8 reserved_05d[3];
	u64 vintr;			/* 0x060 */
	u64 interrupt_shadow;		/* 0x068 */
	u64 exit_code;			/* 0x070 */
	u64 exit_info1;			/* 0x078 */
	u64 exit_info2;			/* 0x080 */
	u64 exit_int_info;		/* 0x088 */
	u64 np_control;			/* 0x090 */
	u64 avic_apic_bar;		/* 0x098 */
	u64 ghcb_pa;			/* 0x0a0 */
	u64 event_inj;			/* 0x0a8 */
	u64 n_cr3;			/* 0x0b0 */
	u64 virt_ext;			/* 0x0b8: LBR virt, vVMLOAD/VMSAVE */
	u32 clean;			/* 0x0c0 */
	u32 reserved_0c4;
	u64 next_rip;			/* 0x0c8 */
	u8 insn_len;			/* 0x0d0 */
	u8 insn_bytes[15];		/* 0x0d1 */
	u8 reserved_0e0[0x400 - 0x0e0];
} __packed;

/* State save area, APM vol. 2 table B-2 (offsets from 0x400). */
struct vmcb_save {
	struct vmcb_seg es;		/* 0x000 */
	struct vmcb_seg cs;		/* 0x010 */
	struct vmcb_seg ss;		/* 0x020 */
	struct vmcb_seg ds;		/* 0x030 */
	struct vmcb_seg fs;		/* 0x040 */
	struct vmcb_seg gs;		/* 0x050 */
	struct vmcb_seg gdtr;		/* 0x060 */
	struct vmcb_seg ldtr;		/* 0x070 */
	struct vmcb_seg idtr;		/* 0x080 */
	struct vmcb_seg tr;		/* 0x090 */
	u8 reserved_0a0[0x0cb - 0x0a0];
	u8 cpl;				/* 0x0cb */
	u32 reserved_0cc;
	u64 efer;			/* 0x0d0 */
	u8 reserved_0d8[0x148 - 0x0d8];
	u64 cr4;			/* 0x148 */
	u64 cr3;			/* 0x150 */
	u64 cr0;			/* 0x158 */
	u64 dr7;			/* 0x160 */
	u64 dr6;			/* 0x168 */
	u64 rflags;			/* 0x170 */
	u64 rip;			/* 0x178 */
	u8 reserved_180[0x1d8 - 0x180];
	u64 rsp;			/* 0x1d8 */
	u64 s_cet;			/* 0x1e0 */
	u64 ssp;			/* 0x1e8 */
	u64 isst_addr;			/* 0x1f0 */
	u64 rax;			/* 0x1f8 */
	u64 star;			/* 0x200 */
	u64 lstar;			/* 0x208 */
	u64 cstar;			/* 0x210 */
	u64 sfmask;			/* 0x218 */
	u64 kernel_gs_base;		/* 0x220 */
	u64 sysenter_cs;		/* 0x228 */
	u64 sysenter_esp;		/* 0x230 */
	u64 sysenter_eip;		/* 0x238 */
	u64 cr2;			/* 0x240 */
	u8 reserved_248[0x268 - 0x248];
	u64 g_pat;			/* 0x268 */
	u64 dbgctl;			/* 0x270 */
	u64 br_from;			/* 0x278 */
	u64 br_to;			/* 0x280 */
	u64 last_excp_from;		/* 0x288 */
	u64 last_excp_to;		/* 0x290 */
} __packed;

struct vmcb {
	struct vmcb_control control;
	struct vmcb_save save;
} __packed;

BUILD_BUG_ON(offsetof(struct vmcb_control, iopm_base_pa) != 0x040);
BUILD_BUG_ON(offsetof(struct vmcb_control, exit_code) != 0x070);
BUILD_BUG_ON(offsetof(struct vmcb_control, n_cr3) != 0x0b0);
BUILD_BUG_ON(offsetof(struct vmcb_control, next_rip) != 0x0c8);
BUILD_BUG_ON(sizeof(struct vmcb_control) != 0x400);
BUILD_BUG_ON(offsetof(struct vmcb_save, cpl) != 0x0cb);
BUILD_BUG_ON(offsetof(struct vmcb_save, efer) != 0x0d0);
BUILD_BUG_ON(offsetof(struct vmcb_save, cr4) != 0x148);
BUILD_BUG_ON(offsetof(struct vmcb_save, rsp) != 0x1d8);
BUILD_BUG_ON(offsetof(struct vmcb_save, rax) != 0x1f8);
BUILD_BUG_ON(offsetof(struct vmcb_save, cr2) != 0x240);
BUILD_BUG_ON(offsetof(struct vmcb_save, g_pat) != 0x268);

/* intercept_misc1 (VMCB 0x00c). */
#define SVM_INTERCEPT_INTR     BIT(0)
#define SVM_INTERCEPT_NMI      BIT(1)
#define SVM_INTERCEPT_SMI      BIT(2)
#define SVM_INTERCEPT_INIT     BIT(3)
#define SVM_INTERCEPT_VINTR    BIT(4)
#define SVM_INTERCEPT_IRET     BIT(20)
#define SVM_INTERCEPT_RDPMC    BIT(15)
#define SVM_INTERCEPT_CPUID    BIT(18)
#define SVM_INTERCEPT_INVD     BIT(22)
#define SVM_INTERCEPT_HLT      BIT(24)
#define SVM_INTERCEPT_INVLPGA  BIT(26)
#define SVM_INTERCEPT_IOIO     BIT(27)
#define SVM_INTERCEPT_MSR      BIT(28)
#define SVM_INTERCEPT_SHUTDOWN BIT(31)

/* intercept_misc2 (VMCB 0x010). */
#define SVM_INTERCEPT_VMRUN    BIT(0)
#define SVM_INTERCEPT_VMMCALL  BIT(1)
#define SVM_INTERCEPT_VMLOAD   BIT(2)
#define SVM_INTERCEPT_VMSAVE   BIT(3)
#define SVM_INTERCEPT_STGI     BIT(4)
#define SVM_INTERCEPT_CLGI     BIT(5)
#define SVM_INTERCEPT_SKINIT   BIT(6)
#define SVM_INTERCEPT_WBINVD   BIT(9)
#define SVM_INTERCEPT_MONITOR  BIT(10)
#define SVM_INTERCEPT_MWAIT    BIT(11)
#define SVM_INTERCEPT_MWAIT_C  BIT(12)
#define SVM_INTERCEPT_XSETBV   BIT(13)

/* vintr (VMCB 0x060). */
#define SVM_VINTR_V_TPR_MASK   0xfULL
#define SVM_VINTR_V_IRQ        BIT(8)
#define SVM_VINTR_PRIO_SHIFT   16
#define SVM_VINTR_IGN_TPR      BIT(20)
#define SVM_VINTR_MASKING      BIT(24)
/* Virtual NMI (APM vol. 2 15.21.10): pending, masked (in the handler), on. */
#define SVM_VINTR_V_NMI        BIT(11)
#define SVM_VINTR_V_NMI_MASK   BIT(12)
#define SVM_VINTR_V_NMI_ENABLE BIT(26)

#define SVM_TLB_FLUSH_NONE     0
#define SVM_TLB_FLUSH_ALL      1
#define SVM_TLB_FLUSH_ASID     3

#define SVM_NP_ENABLE          BIT(0)

/* EVENTINJ / EXITINTINFO (APM vol. 2 15.20). */
#define SVM_EVTINJ_VALID       BIT(31)
#define SVM_EVTINJ_ERR_VALID   BIT(11)
#define SVM_EVTINJ_TYPE_SHIFT  8
#define SVM_EVTINJ_TYPE_INTR   0
#define SVM_EVTINJ_TYPE_NMI    2
#define SVM_EVTINJ_TYPE_EXC    3
#define SVM_EVTINJ_TYPE_SOFT   4

/* Exit codes (APM vol. 2 appendix C). */
#define SVM_EXIT_WRITE_CR4     0x014
#define SVM_EXIT_WRITE_CR8     0x018
#define SVM_EXIT_EXCP_BASE     0x040
#define SVM_EXIT_INTR          0x060
#define SVM_EXIT_NMI           0x061
#define SVM_EXIT_SMI           0x062
#define SVM_EXIT_INIT          0x063
#define SVM_EXIT_VINTR         0x064
#define SVM_EXIT_RDPMC         0x06f
#define SVM_EXIT_CPUID         0x072
#define SVM_EXIT_IRET          0x074
#define SVM_EXIT_INVD          0x076
#define SVM_EXIT_PAUSE         0x077
#define SVM_EXIT_HLT           0x078
#define SVM_EXIT_INVLPGA       0x07a
#define SVM_EXIT_IOIO          0x07b
#define SVM_EXIT_MSR           0x07c
#define SVM_EXIT_SHUTDOWN      0x07f
#define SVM_EXIT_VMRUN         0x080
#define SVM_EXIT_VMMCALL       0x081
#define SVM_EXIT_VMLOAD        0x082
#define SVM_EXIT_VMSAVE        0x083
#define SVM_EXIT_STGI          0x084
#define SVM_EXIT_CLGI          0x085
#define SVM_EXIT_SKINIT        0x086
#define SVM_EXIT_WBINVD        0x089
#define SVM_EXIT_MONITOR       0x08a
#define SVM_EXIT_MWAIT         0x08b
#define SVM_EXIT_MWAIT_COND    0x08c
#define SVM_EXIT_XSETBV        0x08d
#define SVM_EXIT_NPF           0x400
#define SVM_EXIT_INVALID       0xffffffffU	/* compare the low 32 bits */

/* MOV CRx EXITINFO1 with decode assists (APM vol. 2 15.33.1). */
#define SVM_CR_VALID           BIT(63)

/* IOIO EXITINFO1 (APM vol. 2 15.10.2). */
#define SVM_IOIO_IN            BIT(0)
#define SVM_IOIO_STR           BIT(2)
#define SVM_IOIO_REP           BIT(3)
#define SVM_IOIO_SIZE_SHIFT    4
#define SVM_IOIO_PORT_SHIFT    16

/* NPF EXITINFO1 (APM vol. 2 15.25.6): a #PF-style error code. */
#define SVM_NPF_P              BIT(0)
#define SVM_NPF_W              BIT(1)
#define SVM_NPF_F              BIT(4)

/* CPUID 8000_000Ah EDX features. */
#define SVM_FEAT_NP            BIT(0)
#define SVM_FEAT_NRIPS         BIT(3)
#define SVM_FEAT_DECODE        BIT(7)
#define SVM_FEAT_AVIC          BIT(13)
#define SVM_FEAT_X2AVIC        BIT(18)
#define SVM_FEAT_VNMI          BIT(25)

#define MSR_VM_CR_SVMDIS       BIT(4)

/* What svm_caps_check() decides from (CPUID and VM_CR as read). */
struct svm_cpuid {
	u32 max_ext;		/* 8000_0000h EAX */
	u32 e1_ecx;		/* 8000_0001h ECX */
	u32 a_ebx, a_edx;	/* 8000_000Ah: ASIDs, features */
	bool vm_cr_known;
	u64 vm_cr;
};

struct virt_caps;
/*
 * svm_caps.c, no hardware access: fills @caps and checks what perfvisor
 * cannot do without: 0, or -ENODEV with caps->missing.
 */
int svm_caps_check(const struct svm_cpuid *id, struct virt_caps *caps);

/* World switch (svm_entry.asm): saves/loads the hidden state around VMRUN. */
void svm_world_switch(u64 guest_vmcb_pa, u64 host_vmcb_pa, void *regs);

struct vm_exit;

/* Turns the VMCB's exit information into the neutral exit record. */
void svm_decode_exit(const struct vmcb *v, u64 guest_rcx, bool nrips,
		     struct vm_exit *e);

/* Describes the first VMCB consistency check @vmcb breaks, or NULL. */
const char *svm_check_vmcb(const struct vmcb *vmcb);

#endif /* ARCH_X86_SVM_H */
