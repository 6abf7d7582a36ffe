// SPDX-License-Identifier: GPL-2.0
/*
 * The test build's fault injection (fault_hooks.h): `fault ud|gp|pf|de
 * [CPU]` makes CPU (default 0) raise that exception in the hypervisor, in
 * the handler of an IPI (VEC_HOOK) when it is another CPU; `fault
 * serr|iochk|noport [CPU]` sends CPU an NMI for which port 0x61 reads as
 * PCI SERR# (bit 7), IOCHK# (bit 6) or 0xff (no port there, as on a
 * legacy-free chipset); `fault nested [CPU]` raises #UD there and then
 * panics at the end of that report, a second fatal event on the CPU that
 * stops the machine. Compiled to nothing without -DPV_HOOKS.
 */
#ifdef PV_HOOKS
#include <arch/x86/cpu.h>
#include <arch/x86/desc.h>
#include <arch/x86/fault_hooks.h>
#include <drivers/lapic.h>
#include <hv/console.h>
#include <hv/percpu.h>
#include <hv/string.h>

static volatile char hook_kind[MAX_CPUS];
static volatile u8 hook_reason[MAX_CPUS];
static volatile bool hook_nested[MAX_CPUS];

bool fault_hook_nested(void)
{
	return __atomic_exchange_n(&hook_nested[this_cpu_index()], false,
				   __ATOMIC_ACQ_REL);
}

bool fault_hook_nmi_reason(u8 *reason)
{
	u8 r = __atomic_exchange_n(&hook_reason[this_cpu_index()], 0,
				   __ATOMIC_ACQ_REL);

	if (r)
		*reason = r;
	return r;
}

static void raise(char kind)
{
	volatile u64 *unmapped = (volatile u64 *)0x00007f0000000000ULL;
	volatile u32 zero = 0;

	switch (kind) {
	case 'u':
		asm volatile("ud2");
		break;
	case 'g':
		/* A non-canonical address: #GP. */
		asm volatile("movq (%0), %%rax" : : "r"(0x8000000000000000ULL)
			     : "rax", "memory");
		break;
	case 'p':
		(void)*unmapped;
		break;
	case 'd':
		asm volatile("divl %1" : : "a"(1), "r"(zero), "d"(0));
		break;
	}
}

void fault_hook_run(void)
{
	char k = hook_kind[this_cpu_index()];

	hook_kind[this_cpu_index()] = 0;
	raise(k);
}

void cmd_fault(int argc, char **argv)
{
	static const struct {
		const char *name;
		char kind;	/* raise()'s, or an NMI's */
		u8 reason;	/* port 0x61 for the NMI */
		const char *reads;
	} kinds[] = {
		{ "ud", 'u', 0, NULL }, { "gp", 'g', 0, NULL },
		{ "pf", 'p', 0, NULL }, { "de", 'd', 0, NULL },
		{ "serr", 'n', 0x80, "SERR#" }, { "iochk", 'n', 0x40, "IOCHK#" },
		{ "noport", 'n', 0xff, "0xff (no reason port)" },
		{ "nested", 'U', 0, NULL },
	};
	u32 cpu = 0, which = ARRAY_SIZE(kinds);
	char k;

	for (u32 i = 0; argc >= 2 && i < ARRAY_SIZE(kinds); i++)
		if (!strcmp(argv[1], kinds[i].name))
			which = i;
	if (argc >= 3) {
		cpu = 0;
		for (const char *p = argv[2]; *p >= '0' && *p <= '9'; p++)
			cpu = cpu * 10 + (*p - '0');
	}
	if (which == ARRAY_SIZE(kinds) || argc > 3 || cpu >= nr_pcpus ||
	    !pcpus[cpu]->online) {
		console_printf("usage: fault ud|gp|pf|de|serr|iochk|noport|nested [CPU] (CPU online, 0-%u)\n",
			       nr_pcpus - 1);
		return;
	}
	if (kinds[which].kind == 'n') {
		console_printf("sending cpu%u an NMI that reads as %s\n", cpu,
			       kinds[which].reads);
		console_flush_host();
		hook_reason[cpu] = kinds[which].reason;
		lapic_send_ipi(pcpus[cpu]->apic_id, ICR_DM_NMI);
		return;
	}
	console_printf("raising a host exception (%s) on cpu%u\n", argv[1], cpu);
	console_flush_host();
	k = kinds[which].kind;
	if (k == 'U') {
		hook_nested[cpu] = true;
		k = 'u';
	}
	if (cpu == 0) {
		raise(k);
		return;
	}
	hook_kind[cpu] = k;
	lapic_send_ipi(pcpus[cpu]->apic_id, VEC_HOOK);
}
#endif
