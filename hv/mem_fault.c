// SPDX-License-Identifier: GPL-2.0
/*
 * Nested page faults outside guest RAM (a fault on RAM is its chunk's
 * first touch, exit kind ram-zero, hv/ram_lazy.h): either to an emulated
 * device's MMIO region, completed here by decoding the instruction
 * (hv/mmio.h), or to an address
 * no device claims. A PC answers those from its bus: reads give all-ones,
 * writes vanish. That is the default (`unclaimed_mmio = ignore`; each page
 * is logged once, the accesses are counted for the shell's `vms`); with
 * `unclaimed_mmio = stop` such an access stops the VM with the details, for
 * test kernels that want to catch stray accesses. An instruction fetch
 * outside RAM always stops it. Either way the hypervisor and the other
 * guests are untouched.
 */
#include <hv/errno.h>
#include <hv/gmem.h>
#include <hv/handlers.h>
#include <hv/log.h>
#include <hv/mmio.h>
#include <hv/printf.h>
#include <hv/vcpu.h>

static int stop_outside(struct vcpu *vcpu, const struct exit_mem *m)
{
	vm_stop(vcpu->vm, VM_OUT_CRASH,
		"vcpu%u: %s of guest-physical %#llx outside its RAM (%llu MiB) at rip %#llx",
		vcpu->id, m->fetch ? "fetch" : m->write ? "write" : "read",
		(unsigned long long)m->gpa,
		(unsigned long long)(vcpu->vm->ram_size >> 20),
		(unsigned long long)vcpu->regs.rip);
	return EXIT_STOP;
}

/* Consecutive exits whose instruction is not the faulting access. */
#define MMIO_MISMATCH_MAX 1000

/* The segment base of the operand's segment, as the mode uses it. */
static u64 operand_base(const struct vcpu_sregs *s, const struct insn *in,
			enum insn_mode mode)
{
	const struct seg *t[] = { &s->es, &s->cs, &s->ss, &s->ds, &s->fs,
				  &s->gs };
	u8 seg = in->seg < ARRAY_SIZE(t) ? in->seg : 3;

	if (mode == INSN_MODE_64 && seg < 4)
		return 0;		/* only FS and GS have bases (3.4.2.1) */
	return t[seg]->base;
}

/*
 * Does the decoded instruction access the page and kind that faulted?
 * Another vCPU may have rewritten it between the fault and our fetch (or
 * the guest's page tables changed): then the guest just runs again and
 * faults anew, with whatever is there now.
 */
static bool is_the_access(struct vcpu *vcpu, const struct vcpu_sregs *s,
			  const struct insn *in, enum insn_mode mode, int len,
			  const struct mmio_access *a, const struct exit_mem *m)
{
	u64 ea, lin;
	gpa_t gpa;

	if (mmio_insn_ea(in, &vcpu->regs, vcpu->regs.rip + len,
			 mode == INSN_MODE_64, &ea))
		return false;
	lin = operand_base(s, in, mode) + ea;
	if (mode != INSN_MODE_64)
		lin = (u32)lin;
	if (gva_to_gpa(vcpu->vm, s, lin, &gpa))
		return false;
	return mmio_insn_matches(a, gpa, m->gpa, m->write);
}

/* The first bytes of the instruction, as many as could be fetched. */
static const char *insn_bytes(char *buf, size_t size, const u8 *bytes, int n)
{
	int at = 0;

	if (n <= 0)
		return "not readable";
	for (int i = 0; i < n && i < 4; i++)
		at += hv_snprintf(buf + at, size - at, "%s%02x", i ? " " : "",
				  bytes[i]);
	return buf;
}

static int emulate(struct vcpu *vcpu, const struct mmio_region *r,
		   const struct exit_mem *m)
{
	gpa_t gpa = m->gpa;
	u8 bytes[INSN_MAX_LEN];
	char hex[16];
	struct mmio_access a;
	struct vcpu_sregs s;
	struct insn in;
	enum insn_mode mode;
	u64 off = gpa - r->base, val = 0;
	int n, len, err;

	virt->get_sregs(vcpu, &s);
	mode = gmem_insn_mode(&s);
	n = gva_fetch(vcpu, &s, vcpu->regs.rip, bytes, sizeof(bytes));
	len = n > 0 ? insn_decode(bytes, n, mode, &in) : -EFAULT;
	if (len < 0 || mmio_insn_plan(&in, &vcpu->regs, &a)) {
		vm_stop(vcpu->vm, VM_OUT_CRASH,
			"vcpu%u: %s access at %#llx by an instruction the MMIO emulator does not handle (%s) at rip %#llx",
			vcpu->id, r->ops->name, (unsigned long long)gpa,
			insn_bytes(hex, sizeof(hex), bytes, n),
			(unsigned long long)vcpu->regs.rip);
		return EXIT_STOP;
	}
	if (!is_the_access(vcpu, &s, &in, mode, len, &a, m)) {
		if (++vcpu->mmio_mismatches < MMIO_MISMATCH_MAX)
			return EXIT_RESUME;	/* fault again, with what is there */
		vm_stop(vcpu->vm, VM_OUT_CRASH,
			"vcpu%u: %s access at %#llx: the instruction at rip %#llx (%s) does not make that access",
			vcpu->id, r->ops->name, (unsigned long long)gpa,
			(unsigned long long)vcpu->regs.rip,
			insn_bytes(hex, sizeof(hex), bytes, n));
		return EXIT_STOP;
	}
	vcpu->mmio_mismatches = 0;
	if (a.read) {
		err = r->ops->read ? r->ops->read(vcpu, r->opaque, off, a.size,
						  &val) : 0;
		if (err)
			return err;
	}
	if (a.write && r->ops->write) {
		err = r->ops->write(vcpu, r->opaque, off, a.size, a.value);
		if (err)
			return err;
	}
	if (a.read)
		mmio_insn_complete(&a, &vcpu->regs, val);
	vcpu_retire(vcpu, len, mode != INSN_MODE_64);
	return vcpu->vm->state == VM_RUNNING ? EXIT_RESUME : EXIT_STOP;
}

static int unclaimed_read(struct vcpu *vcpu, void *opaque, u64 off, u8 size,
			  u64 *val)
{
	(void)vcpu;
	(void)opaque;
	(void)off;
	(void)size;
	*val = ~0ULL;
	return 0;
}

static const struct mmio_ops unclaimed_ops = {
	.name = "unclaimed",
	.read = unclaimed_read,
	/* no .write: dropped */
};

/* Logs the first access to each page, up to VM_UNCLAIMED_LOGGED pages. */
static void note_unclaimed(struct vcpu *vcpu, const struct exit_mem *m)
{
	struct vm *vm = vcpu->vm;
	gpa_t page = m->gpa & ~(gpa_t)(PAGE_SIZE - 1);
	bool log = true;
	u32 n;

	__atomic_fetch_add(&vm->unclaimed_accesses, 1, __ATOMIC_RELAXED);
	spin_lock(&vm->lock);
	n = vm->nr_unclaimed_pages;
	for (u32 i = 0; i < n && i < VM_UNCLAIMED_LOGGED; i++)
		if (vm->unclaimed_pages[i] == page)
			log = false;
	if (log && n <= VM_UNCLAIMED_LOGGED) {
		if (n < VM_UNCLAIMED_LOGGED)
			vm->unclaimed_pages[n] = page;
		vm->nr_unclaimed_pages = n + 1;
	} else {
		log = false;
	}
	spin_unlock(&vm->lock);
	if (!log)
		return;
	if (n == VM_UNCLAIMED_LOGGED)
		pr_warn("vm %s: more unclaimed pages accessed; no longer logged\n",
			vm->name);
	else
		pr_warn("vm %s: vcpu%u %s of unclaimed guest-physical %#llx at rip %#llx: reads all-ones, writes dropped\n",
			vm->name, vcpu->id, m->write ? "write" : "read",
			(unsigned long long)m->gpa,
			(unsigned long long)vcpu->regs.rip);
}

int handle_mem_fault(struct vcpu *vcpu, struct vm_exit *exit)
{
	const struct exit_mem *m = &exit->mem;
	const struct mmio_region *r = mmio_find(vcpu->vm, m->gpa);
	struct mmio_region bus;

	if (m->fetch)
		return stop_outside(vcpu, m);
	if (r)
		return emulate(vcpu, r, m);
	if (vcpu->vm->cfg->unclaimed_mmio == CFG_UNCLAIMED_STOP)
		return stop_outside(vcpu, m);
	note_unclaimed(vcpu, m);
	bus = (struct mmio_region){ .base = m->gpa & ~(gpa_t)(PAGE_SIZE - 1),
				    .len = PAGE_SIZE, .ops = &unclaimed_ops };
	return emulate(vcpu, &bus, m);
}
