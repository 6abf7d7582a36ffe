/* sources: hv/hwcheck.c hv/hw_record.c arch/x86/hw_decode.c arch/x86/vmx_caps.c arch/x86/svm_caps.c pmu/rules.c hv/lib/printf.c */
// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the hardware readiness report (hv/hwcheck.c, the decoder
 * arch/x86/hw_decode.c, the backends' checks and the PMU rules) on the
 * recorded CPUID and MSR values of real CPUs and of the emulators the
 * tests run: tests/unit/data/hw/ (README.md there says where each comes
 * from and which MSR values are reconstructed).
 */
#include "hw_data.h"
#include <arch/x86/vmx.h>

static struct hw_report rep;

static void assess_file(const char *name)
{
	struct hw_record r;

	load(name, &r);
	hw_assess(&r, &rep);
}

/* Verdict @feature is @ok and says @text. */
static void expect(const char *feature, bool ok, const char *text)
{
	const struct hw_verdict *v = hw_verdict(&rep, feature);

	if (!v)
		fail_msg("no verdict '%s'", feature);
	if (v->ok != ok || !unit_contains(v->text, text))
		fail_msg("%s: %s (ok %d), expected %s'%s'", feature, v->text,
			 v->ok, ok ? "" : "not ok and ", text);
}

/* ---- real CPUs ---- */

static void test_zen4(void **state)
{
	(void)state;
	assess_file("zen4-ryzen7-7700x.txt");
	assert_string_equal(rep.c.brand, "AMD Ryzen 7 7700X 8-Core Processor");
	assert_int_equal(rep.c.family, 0x19);
	assert_int_equal(rep.c.model, 0x61);
	expect("guests", true, "yes (SVM, nested paging, ASIDs)");
	assert_int_equal(rep.c.virt.nr_tags, 0x8000);
	assert_true(rep.c.virt.next_rip);
	assert_true(rep.c.decode_assists);
	assert_true(rep.c.vnmi);
	assert_true(rep.c.apicv);
	assert_string_equal(rep.c.apicv_detail, "x2AVIC");
	expect("perf in guests", true,
	       "yes (mediated PMU: AMD PerfMonV2 PerfCtrExtCore, 6 counters of 48 bits)");
	expect("hybrid cores", true, "no");
	expect("guest NMIs", true, "vNMI");
	expect("instruction lengths", true, "next-RIP");
	expect("guest TSC", true, "invariant");
	expect("x2APIC", true, "yes");
	expect("host", true, "bare metal");
	expect("IOMMU", true, "not known");
	assert_int_equal(rep.c.threads_per_core, 2);
	assert_false(rep.c.microcode_known);
}

static void test_zen5(void **state)
{
	(void)state;
	assess_file("zen5-ryzen9-9950x.txt");
	assert_int_equal(rep.c.family, 0x1a);
	assert_int_equal(rep.c.model, 0x44);
	expect("guests", true, "yes (SVM, nested paging, ASIDs)");
	expect("perf in guests", true, "AMD PerfMonV2 PerfCtrExtCore, 6 counters of 48 bits");
	assert_true(rep.c.vnmi);
	/* This desktop part reports no AVIC (8000_000Ah EDX[13] clear). */
	assert_false(rep.c.apicv);
	assert_true(rep.pmu.perfmon_v2);
	assert_int_equal(rep.c.threads_per_core, 2);
}

static void test_sapphire_rapids(void **state)
{
	(void)state;
	assess_file("spr-xeon-w7-2475x.txt");
	assert_string_equal(rep.c.brand, "Intel(R) Xeon(R) w7-2475X");
	assert_int_equal(rep.c.model, 0x8f);
	assert_int_equal(rep.c.stepping, 8);
	expect("guests", true, "yes (VMX, EPT, VPIDs)");
	assert_string_equal(rep.c.np_detail, "4-level, 5-level, A/D bits");
	assert_true(rep.c.virt.unrestricted);
	assert_true(rep.c.vnmi);
	assert_true(rep.c.apicv);
	assert_true(unit_contains(rep.c.apicv_detail, "posted interrupts"));
	expect("perf in guests", true,
	       "yes (mediated PMU: Intel architectural v5, 8 general counters of 48 bits, 4 fixed of 48 bits, full-width writes)");
	assert_true(rep.pmu.gctrl_switch);
	assert_true(rep.pmu.gctrl_save);
	expect("hybrid cores", true, "no");
	expect("TLB tags", true, "VPIDs");
	expect("guest NMIs", true, "virtual NMIs");
	assert_int_equal(rep.c.threads_per_core, 2);
}

static void test_ice_lake(void **state)
{
	(void)state;
	assess_file("icl-core-i7-1065g7.txt");
	assert_int_equal(rep.c.model, 0x7e);
	expect("guests", true, "yes (VMX, EPT, VPIDs)");
	assert_string_equal(rep.c.np_detail, "4-level, A/D bits");
	/* Without the save control the backend uses the MSR-store list. */
	expect("perf in guests", true, "no PERF_GLOBAL_CTRL save control");
	assert_true(rep.pmu.gctrl_switch);
	assert_false(rep.pmu.gctrl_save);
	assert_int_equal(rep.pmu.nr_fixed, 4);
}

static void test_alder_lake_p_core(void **state)
{
	(void)state;
	assess_file("adl-core-i9-12900k-p.txt");
	expect("guests", true, "yes (VMX, EPT, VPIDs)");
	expect("hybrid cores", false,
	       "yes: counters and events differ between core types (this CPU is a P-core: Core, CPUID 1AH 40h)");
	expect("perf in guests", false,
	       "no: the CPU lacks identical cores (a hybrid part, CPUID.07H EDX[15])");
	assert_int_equal(rep.c.threads_per_core, 2);
	assert_int_equal(rep.pmu.nr_gp, 6);
}

static void test_alder_lake_e_core(void **state)
{
	(void)state;
	assess_file("adl-core-i9-12900k-e.txt");
	expect("hybrid cores", false, "an E-core: Atom, CPUID 1AH 20h");
	expect("perf in guests", false, "identical cores");
	assert_int_equal(rep.c.threads_per_core, 1);
}

/* ---- the emulators the tests run ---- */

static void test_qemu_tcg(void **state)
{
	(void)state;
	assess_file("qemu-tcg-max.txt");
	expect("guests", true, "yes (SVM, nested paging, ASIDs)");
	expect("perf in guests", false,
	       "no: the CPU lacks PerfCtrExtCore (CPUID 8000_0001h ECX[23])");
	expect("instruction lengths", false, "decoded in software");
	expect("guest NMIs", true, "IRET intercept and single-step (no vNMI)");
	expect("host", false, "a virtual machine");
	expect("IOMMU", true, "no DMAR or IVRS table");
	assert_true(rep.c.microcode_known);
	assert_int_equal(rep.c.microcode, 0x1000065);
	assert_int_equal(rep.c.virt.nr_tags, 16);
}

static void test_qemu_pmu_model(void **state)
{
	(void)state;
	assess_file("qemu-pmu-max.txt");
	expect("perf in guests", true,
	       "yes (mediated PMU: AMD PerfMonV2 PerfCtrExtCore, 6 counters of 48 bits)");
}

/* Bochs's VMX MSRs are what the VMX backend runs on in test-guests-bochs. */
static void test_bochs_haswell(void **state)
{
	(void)state;
	assess_file("bochs-haswell.txt");
	expect("guests", true, "yes (VMX, EPT, VPIDs)");
	expect("perf in guests", false,
	       "no: the CPU lacks architectural performance monitoring version 4 (CPUID.0AH EAX[7:0]: GLOBAL_STATUS_SET), full-width counter writes (IA32_PERF_CAPABILITIES[13])");
	assert_true(rep.c.virt.perf_global_ctrl);
	assert_false(rep.c.virt.perf_global_save);
	assert_false(rep.c.virt_fw_off);	/* FEATURE_CONTROL unlocked */
	assert_true(rep.c.vnmi);
	assert_true(rep.c.apicv);
	assert_int_equal(rep.pmu.version, 3);
	assert_int_equal(rep.c.threads_per_core, 0);	/* leaf 0BH has no SMT level */
	expect("host", true, "bare metal");
	assert_true(rep.c.microcode_known);
	assert_int_equal(rep.c.microcode, 0);
}

static void test_bochs_icelake(void **state)
{
	(void)state;
	assess_file("bochs-icelake-u.txt");
	expect("guests", true, "yes (VMX, EPT, VPIDs)");
	expect("perf in guests", false,
	       "no: the CPU lacks full-width counter writes (IA32_PERF_CAPABILITIES[13])");
	assert_int_equal(rep.pmu.version, 5);
	assert_true(rep.pmu.gctrl_switch);
}

/* ---- what a machine may lack ---- */

static void test_no_perf_global_ctrl_load(void **state)
{
	struct hw_record r;
	u64 v;

	(void)state;
	load("spr-xeon-w7-2475x.txt", &r);
	assert_true(hw_msr(&r, MSR_VMX_TRUE_EXIT, &v));
	set_msr(&r, MSR_VMX_TRUE_EXIT, v & ~((u64)EXIT_LOAD_PERF_GLOBAL << 32));
	hw_assess(&r, &rep);
	expect("guests", true, "yes");
	expect("perf in guests", false,
	       "no: the CPU lacks the VMX \"load IA32_PERF_GLOBAL_CTRL\" entry and exit controls");
}

static void test_no_fw_write(void **state)
{
	struct hw_record r;

	(void)state;
	load("icl-core-i7-1065g7.txt", &r);
	set_msr(&r, HW_MSR_PERF_CAPS, 0);
	hw_assess(&r, &rep);
	expect("perf in guests", false, "full-width counter writes (IA32_PERF_CAPABILITIES[13])");
}

static void test_vmx_off_in_firmware(void **state)
{
	struct hw_record r;

	(void)state;
	load("spr-xeon-w7-2475x.txt", &r);
	set_msr(&r, HW_MSR_FEATURE_CONTROL, 1);	/* locked, VMX off */
	hw_assess(&r, &rep);
	expect("guests", false,
	       "no: VMX is disabled by the firmware (IA32_FEATURE_CONTROL locked without VMX outside SMX)");
	expect("perf in guests", false, "no: no guest can run");
}

static void test_svm_off_in_firmware(void **state)
{
	struct hw_record r;

	(void)state;
	load("zen4-ryzen7-7700x.txt", &r);
	set_msr(&r, HW_MSR_VM_CR, BIT(4));	/* SVMDIS */
	hw_assess(&r, &rep);
	expect("guests", false, "no: SVM is disabled by the firmware (VM_CR.SVMDIS)");
}

static void test_no_vmx_msrs(void **state)
{
	struct hw_record r;

	(void)state;
	load("spr-xeon-w7-2475x.txt", &r);
	drop_msr(&r, MSR_VMX_BASIC);
	hw_assess(&r, &rep);
	expect("guests", false, "readable VMX capability MSRs");
}

static void test_no_ept(void **state)
{
	struct hw_record r;
	u64 v;

	(void)state;
	load("spr-xeon-w7-2475x.txt", &r);
	assert_true(hw_msr(&r, MSR_VMX_PROCBASED2, &v));
	set_msr(&r, MSR_VMX_PROCBASED2, v & ~((u64)PROC2_EPT << 32));
	hw_assess(&r, &rep);
	expect("guests", false, "no: the CPU lacks EPT with 4-level walks");
}

static void test_no_vmx(void **state)
{
	struct hw_record r;

	(void)state;
	load("spr-xeon-w7-2475x.txt", &r);
	leaf(&r, 1, 0)->ecx &= ~BIT(5);
	hw_assess(&r, &rep);
	expect("guests", false, "no: the CPU lacks VMX (CPUID.1 ECX[5])");
}

static void test_no_nested_paging(void **state)
{
	struct hw_record r;

	(void)state;
	load("zen4-ryzen7-7700x.txt", &r);
	leaf(&r, 0x8000000a, 0)->edx &= ~BIT(0);
	hw_assess(&r, &rep);
	expect("guests", false, "nested paging (CPUID 8000_000Ah EDX[0])");
}

static void test_no_perfmon_v2(void **state)
{
	struct hw_record r;

	(void)state;
	load("zen4-ryzen7-7700x.txt", &r);
	leaf(&r, 0x80000022, 0)->eax = 0;
	hw_assess(&r, &rep);
	expect("guests", true, "yes");
	expect("perf in guests", false, "PerfMonV2 (CPUID 8000_0022h EAX[0]");
}

static void test_unknown_vendor(void **state)
{
	struct hw_record r;

	(void)state;
	load("zen4-ryzen7-7700x.txt", &r);
	memcpy(&leaf(&r, 0, 0)->ebx, "Cent", 4);
	memcpy(&leaf(&r, 0, 0)->edx, "aurH", 4);
	memcpy(&leaf(&r, 0, 0)->ecx, "auls", 4);
	hw_assess(&r, &rep);
	expect("guests", false, "'CentaurHauls': perfvisor drives AMD SVM and Intel VMX only");
}

static void test_no_invariant_tsc_no_x2apic(void **state)
{
	struct hw_record r;

	(void)state;
	load("zen4-ryzen7-7700x.txt", &r);
	leaf(&r, 0x80000007, 0)->edx &= ~BIT(8);
	leaf(&r, 1, 0)->ecx &= ~BIT(21);
	r.acpi_known = true;
	r.acpi_ivrs = true;
	hw_assess(&r, &rep);
	expect("guest TSC", false, "not invariant");
	expect("x2APIC", false, "at most 255 APIC IDs");
	expect("IOMMU", true, "IVRS present");
}

/* ---- output ---- */

static char outbuf[16384];

static void collect(void *ctx, const char *line)
{
	size_t n = strlen(outbuf);

	(void)ctx;
	assert_true(n + strlen(line) + 2 < sizeof(outbuf));
	memcpy(outbuf + n, line, strlen(line));
	outbuf[n + strlen(line)] = '\n';
	outbuf[n + strlen(line) + 1] = '\0';
}

static void test_table(void **state)
{
	(void)state;
	assess_file("spr-xeon-w7-2475x.txt");
	outbuf[0] = '\0';
	hw_print_table(&rep, collect, NULL);
	assert_true(unit_contains(outbuf, "load on entry/exit: yes, save on exit: yes"));
	assert_true(unit_contains(outbuf, "yes (EPT: 4-level, 5-level, A/D bits)"));
	assert_true(unit_contains(outbuf, "Intel architectural v5"));
	assert_true(unit_contains(outbuf, "8 general of 48 bits, 4 fixed of 48 bits"));
	assert_true(unit_contains(outbuf, "yes (2 threads per core)"));
	outbuf[0] = '\0';
	hw_print_verdicts(&rep, "  ", collect, NULL);
	assert_true(unit_contains(outbuf, "  perf in guests: yes"));
	outbuf[0] = '\0';
	hw_print_summary(&rep, collect, NULL);
	assert_true(unit_contains(outbuf, "PMU v5 8x48+4x48 bits"));

	assess_file("zen4-ryzen7-7700x.txt");
	outbuf[0] = '\0';
	hw_print_table(&rep, collect, NULL);
	assert_true(unit_contains(outbuf, "AVIC: yes (x2AVIC)"));
	assert_true(unit_contains(outbuf, "ASIDs: yes (32768)"));
	assert_true(unit_contains(outbuf, "n/a (SVM: GuestOnly selectors)"));
	assert_true(unit_contains(outbuf, "microcode          unknown"));
}

/* `hw raw` prints what the data files hold: printing and reading agree. */
static void test_record_round_trip(void **state)
{
	struct hw_record a, b;
	char *line, *save;
	unsigned long long v;
	unsigned int idx, d, i;

	(void)state;
	load("spr-xeon-w7-2475x.txt", &a);
	a.acpi_known = true;
	a.acpi_dmar = true;
	outbuf[0] = '\0';
	hw_print_record(&a, collect, NULL);
	memset(&b, 0, sizeof(b));
	for (line = strtok_r(outbuf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		struct hw_cpuid_leaf l = { 0 };

		if (sscanf(line, "CPUID %x: %x-%x-%x-%x [SL %x]", &l.leaf,
			   &l.eax, &l.ebx, &l.ecx, &l.edx, &l.sub) == 6)
			assert_int_equal(hw_record_cpuid(&b, &l), 0);
		else if (sscanf(line, "MSR %x: %llx", &idx, &v) == 2)
			assert_int_equal(hw_record_msr(&b, idx, v), 0);
		else if (sscanf(line, "ACPI DMAR %u IVRS %u", &d, &i) == 2)
			b.acpi_known = true, b.acpi_dmar = d, b.acpi_ivrs = i;
		else
			fail_msg("unexpected line: %s", line);
	}
	assert_memory_equal(&a, &b, sizeof(a));
}

static void test_record_limits(void **state)
{
	static struct hw_record r;
	struct hw_cpuid_leaf l = { .leaf = 1 };
	u64 v;

	(void)state;
	assert_int_equal(hw_record_cpuid(&r, &l), 0);
	assert_int_equal(hw_record_cpuid(&r, &l), -EEXIST);
	for (u32 n = 1; n < HW_MAX_CPUID; n++) {
		l.leaf = 0x80000000 + n;
		assert_int_equal(hw_record_cpuid(&r, &l), 0);
	}
	l.leaf = 2;
	assert_int_equal(hw_record_cpuid(&r, &l), -ENOSPC);
	assert_null(hw_cpuid(&r, 7, 0));
	for (u32 n = 0; n < HW_MAX_MSRS; n++)
		assert_int_equal(hw_record_msr(&r, n, n), 0);
	assert_int_equal(hw_record_msr(&r, 0x1000, 0), -ENOSPC);
	assert_int_equal(hw_record_msr(&r, 3, 0), -EEXIST);
	assert_true(hw_msr(&r, 3, &v));
	assert_int_equal(v, 3);
	assert_false(hw_msr(&r, 0x1000, &v));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_zen4),
		cmocka_unit_test(test_zen5),
		cmocka_unit_test(test_sapphire_rapids),
		cmocka_unit_test(test_ice_lake),
		cmocka_unit_test(test_alder_lake_p_core),
		cmocka_unit_test(test_alder_lake_e_core),
		cmocka_unit_test(test_qemu_tcg),
		cmocka_unit_test(test_qemu_pmu_model),
		cmocka_unit_test(test_bochs_haswell),
		cmocka_unit_test(test_bochs_icelake),
		cmocka_unit_test(test_no_perf_global_ctrl_load),
		cmocka_unit_test(test_no_fw_write),
		cmocka_unit_test(test_vmx_off_in_firmware),
		cmocka_unit_test(test_svm_off_in_firmware),
		cmocka_unit_test(test_no_vmx_msrs),
		cmocka_unit_test(test_no_ept),
		cmocka_unit_test(test_no_vmx),
		cmocka_unit_test(test_no_nested_paging),
		cmocka_unit_test(test_no_perfmon_v2),
		cmocka_unit_test(test_unknown_vendor),
		cmocka_unit_test(test_no_invariant_tsc_no_x2apic),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_record_round_trip),
		cmocka_unit_test(test_record_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
