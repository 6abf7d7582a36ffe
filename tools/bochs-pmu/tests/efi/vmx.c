// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pmutest (Bochs): a VMX guest (VMXON/VMLAUNCH here) whose loop is
 * counted by a counter enabled only by the VM-entry load of
 * IA32_PERF_GLOBAL_CTRL; the VM-exit save and load, the VM-entry checks
 * of both fields, the MSR-load/store lists and RDPMC exiting.
 */
#include "pmutest.h"

/* ---- VMX ---------------------------------------------------------------- */

static u8 vmxon_region[4096] __attribute__((aligned(4096)));
static u8 vmcs[4096] __attribute__((aligned(4096)));
static u8 msr_bitmap[4096] __attribute__((aligned(4096)));
static u64 msr_area[3][2] __attribute__((aligned(16)));
static u8 guest_stack[8192] __attribute__((aligned(16)));
static u64 gdt[64] __attribute__((aligned(16)));
static u8 tss[104] __attribute__((aligned(16)));
static u16 tr_sel;

static int vmwrite(u64 field, u64 v)
{
	u8 bad;

	__asm__ volatile("vmwrite %2, %1; setbe %0" : "=q"(bad) : "r"(field), "r"(v) : "cc");
	return bad;
}

static u64 vmread(u64 field)
{
	u64 v = 0;

	__asm__ volatile("vmread %1, %0" : "=r"(v) : "r"(field) : "cc");
	return v;
}

static u32 adjust(u32 msr, u32 want)
{
	u64 cap = rdmsr(msr);

	return (want | (u32)cap) & (u32)(cap >> 32);
}

/* VMX access rights of a GDT segment (SDM Vol. 3C 25.4.1) */
static u32 seg_ar(u16 sel)
{
	u64 d = gdt[sel >> 3];

	return (((d >> 40) & 0xff) | 1) | (((d >> 52) & 0xf) << 12);
}

/* A GDT with a TSS for TR: VM entry needs a usable TR for both sides. */
static void setup_tss(void)
{
	struct dtr g;
	u64 base = (u64)tss;
	unsigned n;

	__asm__ volatile("sgdt %0" : "=m"(g));
	n = ((unsigned)g.limit + 1) / 8;
	CopyMem(gdt, (void *)g.base, (UINTN)g.limit + 1);
	n = (n + 1) & ~1u;
	tr_sel = n * 8;
	gdt[n] = 103 | ((base & 0xffffff) << 16) | (0x89ul << 40) | (((base >> 24) & 0xff) << 56);
	gdt[n + 1] = base >> 32;
	g.base = (u64)gdt;
	g.limit = (n + 2) * 8 - 1;
	__asm__ volatile("lgdt %0" : : "m"(g));
	__asm__ volatile("ltr %0" : : "r"(tr_sel));
}

static int vmx_on(void)
{
	u32 a, b, c, d;
	u64 cr0, cr4, fc;

	cpuid(1, 0, &a, &b, &c, &d);
	if (!(c & (1u << 5)))
		return 0;
	fc = rdmsr(FEATURE_CONTROL);
	if (!(fc & 1))
		wrmsr(FEATURE_CONTROL, fc | 5);
	setup_tss();
	__asm__ volatile("mov %%cr0, %0; mov %%cr4, %1" : "=r"(cr0), "=r"(cr4));
	cr0 = (cr0 | rdmsr(0x486)) & rdmsr(0x487);
	cr4 = (cr4 | (1ul << 13) | rdmsr(0x488)) & rdmsr(0x489);
	__asm__ volatile("mov %0, %%cr0; mov %1, %%cr4" : : "r"(cr0), "r"(cr4));
	*(u32 *)vmxon_region = (u32)rdmsr(0x480);
	*(u32 *)vmcs = (u32)rdmsr(0x480);
	u64 pa = (u64)vmxon_region;
	u8 bad;
	__asm__ volatile("vmxon %1; setbe %0" : "=q"(bad) : "m"(pa) : "cc", "memory");
	return !bad;
}

/*
 * Guest programs in the same address space; each ends in VMCALL (an exit,
 * not retired in the guest).
 */
extern const char guest_loop[], guest_setctrl[], guest_rdpmc[];
__asm__(".text\n"
	"guest_loop:\n"
	"mov $5000, %rcx\n"
	"2: dec %rcx\n"
	"jnz 2b\n"
	"vmcall\n"
	"guest_setctrl:\n"
	"mov $0x38f, %ecx\n"
	"mov $3, %eax\n"
	"xor %edx, %edx\n"
	"wrmsr\n"
	"vmcall\n"
	"guest_rdpmc:\n"
	"xor %ecx, %ecx\n"
	"rdpmc\n"
	"vmcall\n");

#define ENTRY_LOAD_PERF	(1u << 13)
#define EXIT_LOAD_PERF	(1u << 12)
#define EXIT_SAVE_PERF	(1u << 30)

struct vmx_run {
	const char *rip;
	u32 entry, exit, proc;		/* extra control bits */
	u64 guest_ctrl, host_ctrl;	/* the VMCS PERF_GLOBAL_CTRL fields */
	unsigned entry_load, exit_store, exit_load;	/* MSR list lengths */
	/* results */
	int fail;			/* VMLAUNCH fell through */
	u32 insn_error, reason;
};

static u32 exit_ctl_cap, entry_ctl_cap;

static void vmx_run(struct vmx_run *r)
{
	struct dtr g, idt;
	u64 cr0, cr3, cr4, pa = (u64)vmcs;
	u16 cs, ds, ss, es, fs, gs;
	int true_ctls = (rdmsr(0x480) >> 55) & 1;
	u8 bad;

	__asm__ volatile("vmclear %0" : : "m"(pa) : "cc", "memory");
	__asm__ volatile("vmptrld %1; setbe %0" : "=q"(bad) : "m"(pa) : "cc", "memory");
	__asm__ volatile("sgdt %0; sidt %1" : "=m"(g), "=m"(idt));
	__asm__ volatile("mov %%cs, %0; mov %%ds, %1; mov %%ss, %2; mov %%es, %3; mov %%fs, %4; mov %%gs, %5"
			 : "=r"(cs), "=r"(ds), "=r"(ss), "=r"(es), "=r"(fs), "=r"(gs));
	__asm__ volatile("mov %%cr0, %0; mov %%cr3, %1; mov %%cr4, %2"
			 : "=r"(cr0), "=r"(cr3), "=r"(cr4));

	vmwrite(0x4000, adjust(true_ctls ? 0x48d : 0x481, 0));
	vmwrite(0x4002, adjust(true_ctls ? 0x48e : 0x482, (1u << 28) | r->proc));
	vmwrite(0x400c, adjust(true_ctls ? 0x48f : 0x483, (1u << 9) | r->exit));
	vmwrite(0x4012, adjust(true_ctls ? 0x490 : 0x484, (1u << 9) | r->entry));
	vmwrite(0x4004, 0xffffffff);	/* every exception exits */
	vmwrite(0x2004, (u64)msr_bitmap);
	vmwrite(0x2006, (u64)&msr_area[1]);	/* exit MSR-store list */
	vmwrite(0x2008, (u64)&msr_area[2]);	/* exit MSR-load list */
	vmwrite(0x200a, (u64)&msr_area[0]);	/* entry MSR-load list */
	vmwrite(0x4014, r->entry_load);
	vmwrite(0x400e, r->exit_store);
	vmwrite(0x4010, r->exit_load);
	vmwrite(0x2808, r->guest_ctrl);
	vmwrite(0x2c04, r->host_ctrl);

	/* host */
	vmwrite(0x6c00, cr0);
	vmwrite(0x6c02, cr3);
	vmwrite(0x6c04, cr4);
	vmwrite(0xc00, es & ~7);
	vmwrite(0xc02, cs);
	vmwrite(0xc04, ss);
	vmwrite(0xc06, ds);
	vmwrite(0xc08, fs & ~7);
	vmwrite(0xc0a, gs & ~7);
	vmwrite(0xc0c, tr_sel);
	vmwrite(0x6c06, 0);
	vmwrite(0x6c08, 0);
	vmwrite(0x6c0a, (u64)tss);
	vmwrite(0x6c0c, g.base);
	vmwrite(0x6c0e, idt.base);
	vmwrite(0x6c10, 0);
	vmwrite(0x6c12, 0);
	vmwrite(0x4c00, 0);

	/* guest: this CPU's state */
	vmwrite(0x6800, cr0);
	vmwrite(0x6802, cr3);
	vmwrite(0x6804, cr4);
	{
		static const u32 sel_f[] = { 0x800, 0x802, 0x804, 0x806, 0x808, 0x80a };
		u16 sels[] = { ds, cs, ss, ds, ds, ds };
		unsigned i;

		for (i = 0; i < 6; i++) {
			vmwrite(sel_f[i], sels[i]);
			vmwrite(0x4800 + 2 * i, 0xffffffff);
			vmwrite(0x4814 + 2 * i, seg_ar(sels[i]));
			vmwrite(0x6806 + 2 * i, 0);
		}
	}
	vmwrite(0x80c, 0);
	vmwrite(0x480c, 0);
	vmwrite(0x4820, 0x10000);	/* LDTR unusable */
	vmwrite(0x6812, 0);
	vmwrite(0x80e, tr_sel);
	vmwrite(0x480e, 103);
	vmwrite(0x4822, 0x8b);		/* busy 64-bit TSS */
	vmwrite(0x6814, (u64)tss);
	vmwrite(0x4810, g.limit);
	vmwrite(0x6816, g.base);
	vmwrite(0x4812, idt.limit);
	vmwrite(0x6818, idt.base);
	vmwrite(0x681a, 0x400);
	vmwrite(0x681c, (u64)(guest_stack + sizeof(guest_stack)));
	vmwrite(0x681e, (u64)r->rip);
	vmwrite(0x6820, 2);
	vmwrite(0x6822, 0);
	vmwrite(0x4824, 0);
	vmwrite(0x4826, 0);
	vmwrite(0x482a, 0);
	vmwrite(0x6824, 0);
	vmwrite(0x6826, 0);
	vmwrite(0x2800, ~0ul);
	vmwrite(0x2802, 0);

	r->fail = 0;
	__asm__ volatile("push %%rbp\n"
			 "push %%rbx\n"
			 "push %%r12\n"
			 "push %%r13\n"
			 "push %%r14\n"
			 "push %%r15\n"
			 "lea 1f(%%rip), %%rax\n"
			 "mov $0x6c16, %%edx\n"
			 "vmwrite %%rax, %%rdx\n"
			 "mov $0x6c14, %%edx\n"
			 "vmwrite %%rsp, %%rdx\n"
			 "vmlaunch\n"
			 "movl $1, %0\n"
			 "1:\n"
			 "pop %%r15\n"
			 "pop %%r14\n"
			 "pop %%r13\n"
			 "pop %%r12\n"
			 "pop %%rbx\n"
			 "pop %%rbp\n"
			 : "+m"(r->fail)
			 : : "rax", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11",
			   "memory", "cc");
	r->insn_error = r->fail ? vmread(0x4400) : 0;
	r->reason = r->fail ? 0 : vmread(0x4402);
}

void test_vmx(void)
{
	struct vmx_run r;

	if (!vmx_on()) {
		check("VMXON", 0, 1);
		return;
	}
	exit_ctl_cap = rdmsr(0x48f) >> 32;
	entry_ctl_cap = rdmsr(0x490) >> 32;
	check("VMX: entry control load PERF_GLOBAL_CTRL allowed", (entry_ctl_cap >> 13) & 1, 1);
	check("VMX: exit control load PERF_GLOBAL_CTRL allowed", (exit_ctl_cap >> 12) & 1, 1);
	check("VMX: exit control save PERF_GLOBAL_CTRL allowed", (exit_ctl_cap >> 30) & 1, 1);

	/* The guest loop: counter 0 is enabled only by the VM-entry load. */
	pmu_clear();
	wrmsr(EVTSEL(0), EN | OS | EV_INSNS);
	wrmsr(FIXED_CTRL, 0x3);
	SetMem(&r, sizeof(r), 0);
	r.rip = guest_loop;
	r.entry = ENTRY_LOAD_PERF;
	r.exit = EXIT_LOAD_PERF | EXIT_SAVE_PERF;
	r.guest_ctrl = 0x1 | (1ul << 32);
	r.host_ctrl = 0;
	vmx_run(&r);
	check("VMX guest loop: VM entry succeeds", r.fail, 0);
	check("VMX guest loop: exit by VMCALL", r.reason, 18);
	check("counter enabled by the VM-entry load counts the guest loop exactly",
	      rdmsr(PMC(0)), 1 + 2 * 5000);
	check("fixed 0 enabled by the VM-entry load counts the guest loop exactly",
	      rdmsr(FIXED_CTR(0)), 1 + 2 * 5000);
	check("VM-exit load: host GLOBAL_CTRL back to 0", rdmsr(GLOBAL_CTRL), 0);
	check("VM-exit save: guest field holds the guest's value", vmread(0x2808), 0x1 | (1ul << 32));

	/* The guest changes its GLOBAL_CTRL: the save stores it. */
	pmu_clear();
	SetMem(msr_bitmap, sizeof(msr_bitmap), 0);
	r.rip = guest_setctrl;
	r.guest_ctrl = 0;
	r.host_ctrl = 0x4;
	vmx_run(&r);
	check("guest WRMSR GLOBAL_CTRL: exit by VMCALL", r.reason, 18);
	check("VM-exit save stores the guest's WRMSR", vmread(0x2808), 3);
	check("VM-exit load of the host field", rdmsr(GLOBAL_CTRL), 4);

	/* Without the save control the field is left alone. */
	wrmsr(GLOBAL_CTRL, 0);
	r.exit = EXIT_LOAD_PERF;
	r.guest_ctrl = 0;
	r.host_ctrl = 0;
	vmx_run(&r);
	check("no save control: field unchanged", vmread(0x2808), 0);
	r.exit = EXIT_SAVE_PERF;
	wrmsr(GLOBAL_CTRL, 0x1);
	vmx_run(&r);
	check("no load control on exit: host keeps the guest's value", rdmsr(GLOBAL_CTRL), 3);
	wrmsr(GLOBAL_CTRL, 0);

	/* Without the entry control the guest runs with the host's value. */
	pmu_clear();
	wrmsr(EVTSEL(0), EN | OS | EV_INSNS);
	r.rip = guest_loop;
	r.entry = 0;
	r.exit = EXIT_LOAD_PERF;
	r.guest_ctrl = 0x1;
	r.host_ctrl = 0;
	vmx_run(&r);
	check("no entry load: the guest loop is not counted", rdmsr(PMC(0)), 0);

	/* VM-entry checks on the fields (SDM Vol. 3C 28.2.2, 28.3.1.1). */
	r.entry = ENTRY_LOAD_PERF;
	r.exit = EXIT_LOAD_PERF;
	r.guest_ctrl = 1ul << 40;
	r.host_ctrl = 0;
	vmx_run(&r);
	check("guest field with a reserved bit: entry fails (exit 33)", r.reason, 0x80000000u | 33);
	r.guest_ctrl = 0;
	r.host_ctrl = 1ul << 40;
	vmx_run(&r);
	check("host field with a reserved bit: VMfailValid", r.fail, 1);
	check("host field with a reserved bit: error 8", r.insn_error, 8);
	r.entry = 0;
	r.exit = 0;
	r.guest_ctrl = 1ul << 40;
	r.host_ctrl = 1ul << 40;
	vmx_run(&r);
	check("reserved bits without the controls: no check", r.reason, 18);

	/* The MSR-load/store lists for 0x38f. */
	pmu_clear();
	wrmsr(EVTSEL(0), EN | OS | EV_INSNS);
	msr_area[0][0] = GLOBAL_CTRL;
	msr_area[0][1] = 0x1;
	msr_area[1][0] = GLOBAL_CTRL;
	msr_area[1][1] = 0xdead;
	msr_area[2][0] = GLOBAL_CTRL;
	msr_area[2][1] = 0x2;
	r.rip = guest_loop;
	r.entry = 0;
	r.exit = 0;
	r.entry_load = r.exit_store = r.exit_load = 1;
	vmx_run(&r);
	check("MSR lists: exit by VMCALL", r.reason, 18);
	check("entry MSR-load list enables the counter for the guest", rdmsr(PMC(0)), 1 + 2 * 5000);
	check("exit MSR-store list stores GLOBAL_CTRL", msr_area[1][1], 1);
	check("exit MSR-load list loads GLOBAL_CTRL", rdmsr(GLOBAL_CTRL), 2);
	wrmsr(GLOBAL_CTRL, 0);
	msr_area[0][1] = 1ul << 40;
	r.exit_store = r.exit_load = 0;
	vmx_run(&r);
	check("entry MSR-load of a reserved bit: entry fails (exit 34)", r.reason, 0x80000000u | 34);
	r.entry_load = 0;

	/* RDPMC exiting. */
	r.rip = guest_rdpmc;
	r.proc = 1u << 11;
	vmx_run(&r);
	check("RDPMC exiting: exit 15", r.reason, 15);
	r.proc = 0;
	vmx_run(&r);
	check("RDPMC without exiting runs in the guest", r.reason, 18);

	pmu_clear();
	__asm__ volatile("vmxoff" : : : "cc");
}
