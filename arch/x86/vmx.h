/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Intel VMX: VMCS field encodings (SDM vol. 3 appendix B), control bits
 * (ch. 25), exit reasons (appendix C), capability MSRs (appendix A) and
 * the backend's private interfaces.
 */
#ifndef ARCH_X86_VMX_H
#define ARCH_X86_VMX_H

#include <hv/types.h>

/*
 * Field encoding (SDM vol. 3 25.11.2): bit 0 access type (high half of a
 * 64-bit field), bits 9:1 index, bits 11:10 type, bits 14:13 width.
 */
#define VMCS_W16  0
#define VMCS_W64  1
#define VMCS_W32  2
#define VMCS_WNAT 3
#define VMCS_WIDTH(f) (((f) >> 13) & 3)

enum vmcs_field {
	/* 16-bit */
	VPID = 0x0000,
	GUEST_ES_SEL = 0x0800, GUEST_CS_SEL = 0x0802, GUEST_SS_SEL = 0x0804,
	GUEST_DS_SEL = 0x0806, GUEST_FS_SEL = 0x0808, GUEST_GS_SEL = 0x080a,
	GUEST_LDTR_SEL = 0x080c, GUEST_TR_SEL = 0x080e,
	HOST_ES_SEL = 0x0c00, HOST_CS_SEL = 0x0c02, HOST_SS_SEL = 0x0c04,
	HOST_DS_SEL = 0x0c06, HOST_FS_SEL = 0x0c08, HOST_GS_SEL = 0x0c0a,
	HOST_TR_SEL = 0x0c0c,
	/* 64-bit */
	IO_BITMAP_A = 0x2000, IO_BITMAP_B = 0x2002, MSR_BITMAP = 0x2004,
	EXIT_MSR_STORE_ADDR = 0x2006, EXIT_MSR_LOAD_ADDR = 0x2008,
	ENTRY_MSR_LOAD_ADDR = 0x200a, TSC_OFFSET = 0x2010,
	EPT_POINTER = 0x201a,
	GUEST_PHYSICAL_ADDRESS = 0x2400,
	VMCS_LINK_POINTER = 0x2800, GUEST_DEBUGCTL = 0x2802,
	GUEST_PAT = 0x2804, GUEST_EFER = 0x2806,
	GUEST_PERF_GLOBAL_CTRL = 0x2808,
	HOST_PAT = 0x2c00, HOST_EFER = 0x2c02, HOST_PERF_GLOBAL_CTRL = 0x2c04,
	/* 32-bit */
	PIN_CONTROLS = 0x4000, PROC_CONTROLS = 0x4002,
	EXCEPTION_BITMAP = 0x4004, PF_ERROR_MASK = 0x4006,
	PF_ERROR_MATCH = 0x4008, CR3_TARGET_COUNT = 0x400a,
	EXIT_CONTROLS = 0x400c, EXIT_MSR_STORE_COUNT = 0x400e,
	EXIT_MSR_LOAD_COUNT = 0x4010, ENTRY_CONTROLS = 0x4012,
	ENTRY_MSR_LOAD_COUNT = 0x4014, ENTRY_INTR_INFO = 0x4016,
	ENTRY_EXCEPTION_ERROR = 0x4018, ENTRY_INSN_LEN = 0x401a,
	TPR_THRESHOLD = 0x401c, PROC_CONTROLS2 = 0x401e,
	VM_INSTRUCTION_ERROR = 0x4400, EXIT_REASON = 0x4402,
	EXIT_INTR_INFO = 0x4404, EXIT_INTR_ERROR = 0x4406,
	IDT_VECTORING_INFO = 0x4408, IDT_VECTORING_ERROR = 0x440a,
	EXIT_INSN_LEN = 0x440c, EXIT_INSN_INFO = 0x440e,
	GUEST_ES_LIMIT = 0x4800, GUEST_CS_LIMIT = 0x4802,
	GUEST_SS_LIMIT = 0x4804, GUEST_DS_LIMIT = 0x4806,
	GUEST_FS_LIMIT = 0x4808, GUEST_GS_LIMIT = 0x480a,
	GUEST_LDTR_LIMIT = 0x480c, GUEST_TR_LIMIT = 0x480e,
	GUEST_GDTR_LIMIT = 0x4810, GUEST_IDTR_LIMIT = 0x4812,
	GUEST_ES_AR = 0x4814, GUEST_CS_AR = 0x4816, GUEST_SS_AR = 0x4818,
	GUEST_DS_AR = 0x481a, GUEST_FS_AR = 0x481c, GUEST_GS_AR = 0x481e,
	GUEST_LDTR_AR = 0x4820, GUEST_TR_AR = 0x4822,
	GUEST_INTERRUPTIBILITY = 0x4824, GUEST_ACTIVITY = 0x4826,
	GUEST_SYSENTER_CS = 0x482a,
	HOST_SYSENTER_CS = 0x4c00,
	/* natural width */
	CR0_GUEST_HOST_MASK = 0x6000, CR4_GUEST_HOST_MASK = 0x6002,
	CR0_READ_SHADOW = 0x6004, CR4_READ_SHADOW = 0x6006,
	EXIT_QUALIFICATION = 0x6400, GUEST_LINEAR_ADDRESS = 0x640a,
	GUEST_CR0 = 0x6800, GUEST_CR3 = 0x6802, GUEST_CR4 = 0x6804,
	GUEST_ES_BASE = 0x6806, GUEST_CS_BASE = 0x6808,
	GUEST_SS_BASE = 0x680a, GUEST_DS_BASE = 0x680c,
	GUEST_FS_BASE = 0x680e, GUEST_GS_BASE = 0x6810,
	GUEST_LDTR_BASE = 0x6812, GUEST_TR_BASE = 0x6814,
	GUEST_GDTR_BASE = 0x6816, GUEST_IDTR_BASE = 0x6818,
	GUEST_DR7 = 0x681a, GUEST_RSP = 0x681c, GUEST_RIP = 0x681e,
	GUEST_RFLAGS = 0x6820, GUEST_PENDING_DBG = 0x6822,
	GUEST_SYSENTER_ESP = 0x6824, GUEST_SYSENTER_EIP = 0x6826,
	HOST_CR0 = 0x6c00, HOST_CR3 = 0x6c02, HOST_CR4 = 0x6c04,
	HOST_FS_BASE = 0x6c06, HOST_GS_BASE = 0x6c08,
	HOST_TR_BASE = 0x6c0a, HOST_GDTR_BASE = 0x6c0c,
	HOST_IDTR_BASE = 0x6c0e, HOST_SYSENTER_ESP = 0x6c10,
	HOST_SYSENTER_EIP = 0x6c12, HOST_RSP = 0x6c14, HOST_RIP = 0x6c16,
};

/* Capability MSRs (SDM vol. 3 appendix A). */
#define MSR_VMX_BASIC          0x480
#define MSR_VMX_PINBASED       0x481
#define MSR_VMX_PROCBASED      0x482
#define MSR_VMX_EXIT           0x483
#define MSR_VMX_ENTRY          0x484
#define MSR_VMX_MISC           0x485
#define MSR_VMX_CR0_FIXED0     0x486
#define MSR_VMX_CR0_FIXED1     0x487
#define MSR_VMX_CR4_FIXED0     0x488
#define MSR_VMX_CR4_FIXED1     0x489
#define MSR_VMX_PROCBASED2     0x48b
#define MSR_VMX_EPT_VPID_CAP   0x48c
#define MSR_VMX_TRUE_PINBASED  0x48d
#define MSR_VMX_TRUE_PROCBASED 0x48e
#define MSR_VMX_TRUE_EXIT      0x48f
#define MSR_VMX_TRUE_ENTRY     0x490

#define FEATURE_CONTROL_LOCK       BIT(0)
#define FEATURE_CONTROL_VMX_NOSMX  BIT(2)

#define VMX_BASIC_TRUE_CTLS    BIT(55)

/* Pin-based controls (25.6.1). */
#define PIN_EXT_INTR           BIT(0)
#define PIN_NMI                BIT(3)
#define PIN_VIRTUAL_NMI        BIT(5)
/* Primary processor-based controls (25.6.2). */
#define PROC_INTR_WINDOW       BIT(2)
#define PROC_TSC_OFFSET        BIT(3)
#define PROC_HLT               BIT(7)
#define PROC_MWAIT             BIT(10)
#define PROC_RDPMC             BIT(11)
#define PROC_NMI_WINDOW        BIT(22)
#define PROC_CR3_LOAD          BIT(15)
#define PROC_CR8_LOAD          BIT(19)
#define PROC_CR8_STORE         BIT(20)
#define PROC_CR3_STORE         BIT(16)
#define PROC_IO_BITMAPS        BIT(25)
#define PROC_MSR_BITMAPS       BIT(28)
#define PROC_MONITOR           BIT(29)
#define PROC_SECONDARY         BIT(31)
/* Secondary processor-based controls. */
#define PROC2_EPT              BIT(1)
#define PROC2_RDTSCP           BIT(3)
#define PROC2_VPID             BIT(5)
#define PROC2_WBINVD           BIT(6)
#define PROC2_UNRESTRICTED     BIT(7)
#define PROC2_INVPCID          BIT(12)
#define PROC2_XSAVES           BIT(20)
/* VM-exit controls (25.7.1). */
#define EXIT_SAVE_DEBUG        BIT(2)
#define EXIT_HOST_ADDR64       BIT(9)
#define EXIT_LOAD_PERF_GLOBAL  BIT(12)
#define EXIT_ACK_INTR          BIT(15)
#define EXIT_SAVE_PAT          BIT(18)
#define EXIT_LOAD_PAT          BIT(19)
#define EXIT_SAVE_EFER         BIT(20)
#define EXIT_LOAD_EFER         BIT(21)
#define EXIT_SAVE_PERF_GLOBAL  BIT(30)
/* VM-entry controls (25.8.1). */
#define ENTRY_LOAD_DEBUG       BIT(2)
#define ENTRY_IA32E            BIT(9)
#define ENTRY_SMM              BIT(10)
#define ENTRY_DUAL_MONITOR     BIT(11)
#define ENTRY_LOAD_PERF_GLOBAL BIT(13)
#define ENTRY_LOAD_PAT         BIT(14)
#define ENTRY_LOAD_EFER        BIT(15)

/* EPT/VPID capabilities (appendix A.10). */
#define EPT_CAP_WALK4          BIT(6)
#define EPT_CAP_UC             BIT(8)
#define EPT_CAP_WB             BIT(14)
#define EPT_CAP_AD             BIT(21)
#define EPT_CAP_INVEPT         BIT(20)
#define EPT_CAP_INVEPT_SINGLE  BIT(25)
#define EPT_CAP_INVEPT_ALL     BIT(26)
#define VPID_CAP_INVVPID       BIT(32)
#define VPID_CAP_SINGLE        BIT(41)
#define VPID_CAP_ALL           BIT(42)

#define EPTP_WB                6
#define EPTP_WALK4             (3 << 3)
#define EPTP_AD                BIT(6)

/* Interruption information (25.8.3, 26.9.2). */
#define INTR_INFO_VALID        BIT(31)
#define INTR_INFO_ERR_VALID    BIT(11)
#define INTR_INFO_NMI_UNBLOCK  BIT(12)
#define INTR_INFO_TYPE_SHIFT   8
#define INTR_TYPE_EXT          0
#define INTR_TYPE_NMI          2
#define INTR_TYPE_HW_EXC       3
#define INTR_TYPE_SOFT_INT     4
#define INTR_TYPE_PRIV_SW_EXC  5
#define INTR_TYPE_SW_EXC       6

/* Guest interruptibility state (25.4.2). */
#define INTERRUPTIBILITY_STI   BIT(0)
#define INTERRUPTIBILITY_MOVSS BIT(1)
#define INTERRUPTIBILITY_NMI   BIT(3)	/* (virtual-)NMI blocking */

/* Access rights: bit 16 means "unusable" (25.4.1). */
#define AR_UNUSABLE            BIT(16)

/* Basic exit reasons (appendix C). */
enum {
	EXIT_R_EXCEPTION = 0, EXIT_R_EXT_INTR = 1, EXIT_R_TRIPLE_FAULT = 2,
	EXIT_R_INIT = 3, EXIT_R_SIPI = 4, EXIT_R_IO_SMI = 5,
	EXIT_R_OTHER_SMI = 6, EXIT_R_INTR_WINDOW = 7, EXIT_R_NMI_WINDOW = 8,
	EXIT_R_TASK_SWITCH = 9, EXIT_R_CPUID = 10, EXIT_R_GETSEC = 11,
	EXIT_R_HLT = 12, EXIT_R_INVD = 13, EXIT_R_INVLPG = 14,
	EXIT_R_RDPMC = 15, EXIT_R_RDTSC = 16, EXIT_R_RSM = 17,
	EXIT_R_VMCALL = 18, EXIT_R_VMCLEAR = 19, EXIT_R_VMLAUNCH = 20,
	EXIT_R_VMPTRLD = 21, EXIT_R_VMPTRST = 22, EXIT_R_VMREAD = 23,
	EXIT_R_VMRESUME = 24, EXIT_R_VMWRITE = 25, EXIT_R_VMXOFF = 26,
	EXIT_R_VMXON = 27, EXIT_R_CR_ACCESS = 28, EXIT_R_DR_ACCESS = 29,
	EXIT_R_IO = 30, EXIT_R_RDMSR = 31, EXIT_R_WRMSR = 32,
	EXIT_R_INVALID_GUEST = 33, EXIT_R_MSR_LOAD_FAIL = 34,
	EXIT_R_MWAIT = 36, EXIT_R_MTF = 37, EXIT_R_MONITOR = 39,
	EXIT_R_PAUSE = 40, EXIT_R_MCE_DURING_ENTRY = 41,
	EXIT_R_EPT_VIOLATION = 48, EXIT_R_EPT_MISCONFIG = 49,
	EXIT_R_INVEPT = 50, EXIT_R_RDTSCP = 51, EXIT_R_INVVPID = 53,
	EXIT_R_WBINVD = 54, EXIT_R_XSETBV = 55, EXIT_R_VMFUNC = 59,
};
#define EXIT_REASON_ENTRY_FAIL BIT(31)

/* I/O exit qualification (table 28-5). */
#define IO_QUAL_SIZE_MASK      7
#define IO_QUAL_IN             BIT(3)
#define IO_QUAL_STRING         BIT(4)
#define IO_QUAL_REP            BIT(5)
#define IO_QUAL_PORT_SHIFT     16

/* EPT violation qualification (table 28-7). */
#define EPT_QUAL_READ          BIT(0)
#define EPT_QUAL_WRITE         BIT(1)
#define EPT_QUAL_FETCH         BIT(2)
#define EPT_QUAL_PERM_MASK     (7 << 3)	/* what the entry allowed */
#define EPT_QUAL_NMI_UNBLOCK   BIT(12)	/* a fault in an IRET that unblocked */

/* Capabilities read once at probe time, used by setup and the checker. */
struct vmx_caps {
	u64 basic;
	u32 pin0, pin1;		/* allowed-0 (must be 1) / allowed-1 bits */
	u32 proc0, proc1;
	u32 proc2_0, proc2_1;
	u32 exit0, exit1;
	u32 entry0, entry1;
	u64 misc;
	u64 cr0_fixed0, cr0_fixed1;
	u64 cr4_fixed0, cr4_fixed1;
	u64 ept_vpid;
	u32 phys_bits;
};

extern struct vmx_caps vmx_caps;

struct virt_caps;
/*
 * vmx_caps.c: fills @caps from @c (capability MSRs as read) and checks
 * what perfvisor cannot do without: 0, or -ENODEV with caps->missing.
 */
int vmx_caps_check(const struct vmx_caps *c, struct virt_caps *caps);
/* Appends @what to caps->missing. */
void vmx_caps_lack(struct virt_caps *caps, const char *what);

/*
 * VM entry (vmx_entry.asm). Loads the guest registers from @regs (struct
 * guest_regs), executes VMLAUNCH or VMRESUME and returns 0 after a VM
 * exit, 1 on VMfailInvalid (RFLAGS.CF), 2 on VMfailValid (RFLAGS.ZF).
 */
int vmx_enter(void *regs, bool launched);
extern const char vmx_exit_point[];

/*
 * Entry-failure diagnostics (vmx_check.c): replays the SDM 26.2/26.3
 * checks on the current VMCS and writes which one fails into @buf.
 * @insn_error is VM_INSTRUCTION_ERROR after a VM-fail, 0 after an exit
 * with reason bit 31.
 */
void vmx_diagnose(u32 insn_error, u32 exit_reason, char *buf, u32 len);
const char *vmx_insn_error_name(u32 err);

/* MTRR memory type of a host range (vmx_mtrr.c), or -1 if not uniform. */
int vmx_mtrr_type(u64 start, u64 size);

/* An entry of the VM-exit MSR-store list (SDM vol. 3 25.7.2). */
struct vmx_msr_entry {
	u32 index;
	u32 reserved;
	u64 value;
};

/*
 * The mediated PMU's part of a vCPU (vmx_pmu.c): the PERF_GLOBAL_CTRL
 * switch and the PMU intercepts. Set from any CPU, written into the VMCS
 * by vmx_pmu_entry() on the vCPU's CPU.
 */
struct vmx_pmu {
	bool on;		/* entry/exit "load IA32_PERF_GLOBAL_CTRL" */
	bool save;		/* ... and the exit control that saves it */
	bool rdpmc_exit;	/* RDPMC exiting */
	bool ctls_dirty;	/* the controls above, for the VMCS */
	bool ctrl_dirty;	/* guest_ctrl, for the VMCS guest field */
	u64 guest_ctrl;		/* the guest's value as of the last exit */
	struct vmx_msr_entry *store;	/* no save control: 0x38F stored here */
	u8 *msr_bitmap;
};

struct vcpu;
struct vmx_pmu *vmx_pmu_of(struct vcpu *vcpu);	/* vmx.c */
void vmx_pmu_init(struct vmx_pmu *pm, u8 *msr_bitmap);
void vmx_pmu_destroy(struct vmx_pmu *pm);
/* Right before every VM entry and after every VM exit, VMCS current. */
void vmx_pmu_entry(struct vmx_pmu *pm);
void vmx_pmu_exit(struct vmx_pmu *pm);
/* vmx_pmu.c: MSR @msr's read and write bits in MSR bitmap @bm (25.6.9). */
void vmx_msr_bitmap_set(u8 *bm, u32 msr, bool intercept);
/* The PMU's virt ops (hv/virt.h). */
void vmx_msr_intercept(struct vcpu *vcpu, u32 msr, bool intercept);
void vmx_rdpmc_intercept(struct vcpu *vcpu, bool intercept);
int vmx_pmu_global_ctrl_enable(struct vcpu *vcpu, bool on);
u64 vmx_pmu_global_ctrl_get(struct vcpu *vcpu);
void vmx_pmu_global_ctrl_set(struct vcpu *vcpu, u64 val);
void vmx_pmu_host_global_ctrl(u64 val);

#endif /* ARCH_X86_VMX_H */
