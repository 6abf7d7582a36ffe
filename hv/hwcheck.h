/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hardware readiness report: what this machine offers and what each
 * perfvisor feature needs of it.
 *
 *   struct hw_record   raw CPUID leaves, a few MSRs and which ACPI tables
 *                      exist: gathered on the boot CPU (arch/x86/hw_gather.c)
 *                      or read from a recorded machine (unit tests)
 *   hw_decode()        the record into vendor-neutral capabilities
 *                      (arch/x86/hw_decode.c: SVM and VMX bit meanings)
 *   hw_assess()        capabilities, the PMU rules (pmu/rules.c) and one
 *                      verdict per perfvisor feature (hv/hwcheck.c)
 *   hw_print_*()       the table, the verdicts, the record itself
 *
 * Everything but the gathering is pure: no hardware access, so the unit
 * tests feed it the CPUID and MSR values of real CPUs.
 */
#ifndef HV_HWCHECK_H
#define HV_HWCHECK_H

#include <hv/types.h>
#include <hv/virt.h>
#include <pmu/pmu.h>

#define HW_MAX_CPUID 64
#define HW_MAX_MSRS  24

struct hw_cpuid_leaf {
	u32 leaf, sub;
	u32 eax, ebx, ecx, edx;
};

struct hw_msr {
	u32 index;
	u64 value;
};

struct hw_record {
	u32 nr_cpuid, nr_msrs;
	struct hw_cpuid_leaf cpuid[HW_MAX_CPUID];
	struct hw_msr msrs[HW_MAX_MSRS];	/* only MSRs that read without #GP */
	bool acpi_known;			/* the next two mean something */
	bool acpi_dmar, acpi_ivrs;
};

/* MSRs the record may hold (SDM vol. 4 ch. 2; AMD APM vol. 2 15.30). */
#define HW_MSR_FEATURE_CONTROL 0x3a
#define HW_MSR_UCODE_REV       0x8b	/* Intel BIOS_SIGN_ID [63:32]; AMD PATCH_LEVEL [31:0] */
#define HW_MSR_PERF_CAPS       0x345
#define HW_MSR_VMX_FIRST       0x480	/* ... IA32_VMX_TRUE_ENTRY_CTLS 0x490 */
#define HW_MSR_VMX_LAST        0x490
#define HW_MSR_VM_CR           0xc0010114

/* Leaf @leaf/@sub, or NULL: a leaf the CPU does not have reads as zeros. */
const struct hw_cpuid_leaf *hw_cpuid(const struct hw_record *r, u32 leaf,
				     u32 sub);
/* The four registers of @leaf/@sub, zeros if absent. */
void hw_cpuid_regs(const struct hw_record *r, u32 leaf, u32 sub, u32 out[4]);
/* True and *val if @index was read without #GP. */
bool hw_msr(const struct hw_record *r, u32 index, u64 *val);
/* Appends; -ENOSPC when full, -EEXIST for a duplicate. */
int hw_record_cpuid(struct hw_record *r, const struct hw_cpuid_leaf *l);
int hw_record_msr(struct hw_record *r, u32 index, u64 val);
/* The CPUID vendor string of leaf 0 ("" without one). */
void hw_vendor(const struct hw_record *r, char buf[13]);

/* What the machine offers, whatever the vendor. */
struct hw_caps {
	char vendor[13];
	char brand[49];
	u32 family, model, stepping;
	bool microcode_known;
	u32 microcode;
	bool hypervisor;		/* CPUID.1 ECX[31]: we run in a VM */

	/* Virtualization: as the vendor backend's probe would decide. */
	const char *virt_name;		/* "SVM", "VMX"; NULL: no backend */
	bool virt_cpuid;		/* CPUID offers it */
	bool virt_fw_off;		/* ... and the firmware locked it off */
	int virt_err;			/* the probe's result: 0 or -ENODEV */
	struct virt_caps virt;		/* what the probe fills, missing[] too */
	const char *fw_off_how;		/* the firmware's switch, for the verdict */
	bool unrestricted_needed;	/* real-mode guests need the control */
	bool tags_counted;		/* nr_tags is the CPU's count */
	const char *next_rip_how;
	const char *vnmi_need;		/* what vNMI gives perfvisor */
	const char *gctrl_none;		/* why PERF_GLOBAL_CTRL controls don't apply */
	const char *np_name;		/* "nested paging" / "EPT" */
	const char *tags_name;		/* "ASIDs" / "VPIDs" */
	char np_detail[48];		/* e.g. "4-level, A/D bits" */
	bool decode_assists;
	const char *decode_how;
	bool vnmi;
	bool apicv;
	const char *apicv_name;		/* "AVIC" / "APICv" */
	char apicv_detail[96];

	/* Platform. */
	bool invariant_tsc;
	bool x2apic;
	u32 threads_per_core;		/* 0: unknown */
	bool hybrid;			/* CPUID.07H EDX[15] */
	u32 core_type;			/* CPUID.1AH EAX[31:24]: 0x20 Atom, 0x40 Core */
	bool acpi_known, dmar, ivrs;
};

/* arch/x86/hw_decode.c */
void hw_decode(const struct hw_record *r, struct hw_caps *c);

struct hw_verdict {
	const char *feature;
	bool ok;
	char text[224];
};

#define HW_MAX_VERDICTS 12

struct hw_report {
	struct hw_caps c;
	struct pmu_host pmu;		/* as pmu_probe() would fill it */
	u32 nr_verdicts;
	struct hw_verdict v[HW_MAX_VERDICTS];
};

void hw_assess(const struct hw_record *r, struct hw_report *rep);
/* The verdict for @feature ("guests", "perf in guests", ...), or NULL. */
const struct hw_verdict *hw_verdict(const struct hw_report *rep,
				    const char *feature);

/* Output, line by line without the newline. */
typedef void (*hw_out_fn)(void *ctx, const char *line);
void hw_print_table(const struct hw_report *rep, hw_out_fn out, void *ctx);
void hw_print_verdicts(const struct hw_report *rep, const char *prefix,
		       hw_out_fn out, void *ctx);
/* The boot banner's form: one summary line. */
void hw_print_summary(const struct hw_report *rep, hw_out_fn out, void *ctx);
/* The record as the test data files hold it (tests/unit/data/hw/). */
void hw_print_record(const struct hw_record *r, hw_out_fn out, void *ctx);

/* hv/hw_report.c: gathered at boot, printed by the banner and `hw`. */
void hw_report_boot(void);
/* After the real probes: warns if they decided otherwise than the report. */
void hw_report_check(bool guests_ok, bool pmu_usable);
extern struct hw_record hw_boot_record;
/* arch/x86/hw_gather.c: this CPU's record (@dmar/@ivrs from ACPI). */
void hw_gather(struct hw_record *r, bool dmar, bool ivrs);

#endif /* HV_HWCHECK_H */
