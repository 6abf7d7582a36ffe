/* sources: hv/vlapic.c hv/vlapic_regs.c hv/vlapic_timer.c hv/lib/string.c */
// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the virtual local APIC register logic (hv/vlapic.c),
 * against the behaviour the Intel SDM vol. 3 ch. 11 describes.
 */
#include "unit.h"
#include <hv/vlapic.h>

#define TSC_HZ 2000000000ULL	/* 2 ticks per bus clock */

static u32 last_icr, last_dest, nr_ipis, nr_eoi_level;
static u8 last_eoi_vector;

static void send_ipi(struct vlapic *vl, u32 icr, u32 dest)
{
	(void)vl;
	last_icr = icr;
	last_dest = dest;
	nr_ipis++;
}

static void eoi_level(struct vlapic *vl, u8 vector)
{
	(void)vl;
	last_eoi_vector = vector;
	nr_eoi_level++;
}

static const struct vlapic_ops ops = { send_ipi, eoi_level };

static void setup(struct vlapic *vl, u32 id)
{
	vlapic_init(vl, id, id == 0, TSC_HZ, &ops, NULL);
	vlapic_write(vl, APIC_REG_SVR, APIC_SVR_ENABLE | 0xff, 0);
	nr_ipis = nr_eoi_level = 0;
}

static void test_reset_state(void **state)
{
	struct vlapic vl;

	(void)state;
	vlapic_init(&vl, 3, false, TSC_HZ, &ops, NULL);
	assert_int_equal(vlapic_read(&vl, APIC_REG_ID, 0), 3u << 24);
	assert_int_equal(vlapic_read(&vl, APIC_REG_VERSION, 0) & 0xff, 0x14);
	assert_int_equal(vlapic_read(&vl, APIC_REG_VERSION, 0) >> 16, 5);
	assert_int_equal(vlapic_read(&vl, APIC_REG_SVR, 0), 0xff);
	assert_int_equal(vlapic_read(&vl, APIC_REG_DFR, 0), 0xffffffff);
	assert_int_equal(vlapic_read(&vl, APIC_REG_LVT_PERF, 0),
			 APIC_LVT_MASKED);
	assert_int_equal(vl.base_msr, 0xfee00000 | APIC_BASE_MSR_EN);
	/* Software-disabled: LVT mask bits cannot be cleared (11.4.7.2). */
	vlapic_write(&vl, APIC_REG_LVT_PERF, 0x20, 0);
	assert_int_equal(vlapic_read(&vl, APIC_REG_LVT_PERF, 0),
			 APIC_LVT_MASKED | 0x20);
}

static void test_priority_and_eoi(void **state)
{
	struct vlapic vl;

	(void)state;
	setup(&vl, 0);
	assert_int_equal(vlapic_pending_vector(&vl), -1);
	assert_true(vlapic_accept(&vl, 0x31, false));
	assert_true(vlapic_accept(&vl, 0x52, true));
	assert_int_equal(vlapic_pending_vector(&vl), 0x52);
	/* TPR at class 5 blocks 0x52 but not... nothing above it. */
	vlapic_write(&vl, APIC_REG_TPR, 0x50, 0);
	assert_int_equal(vlapic_pending_vector(&vl), -1);
	vlapic_write(&vl, APIC_REG_TPR, 0x40, 0);
	assert_int_equal(vlapic_pending_vector(&vl), 0x52);
	vlapic_ack(&vl, 0x52);
	assert_int_equal(vlapic_read(&vl, APIC_REG_ISR + 0x20, 0), 1u << 18);
	assert_int_equal(vlapic_read(&vl, APIC_REG_TMR + 0x20, 0), 1u << 18);
	/* In service at class 5: PPR = 0x50, 0x31 waits. */
	assert_int_equal(vlapic_ppr(&vl), 0x50);
	assert_int_equal(vlapic_pending_vector(&vl), -1);
	vlapic_write(&vl, APIC_REG_EOI, 0, 0);
	assert_int_equal(nr_eoi_level, 1);
	assert_int_equal(last_eoi_vector, 0x52);
	assert_int_equal(vlapic_ppr(&vl), 0x40);
	/* 0x31 is class 3, below TPR 0x40. */
	assert_int_equal(vlapic_pending_vector(&vl), -1);
	vlapic_write(&vl, APIC_REG_TPR, 0, 0);
	assert_int_equal(vlapic_pending_vector(&vl), 0x31);
	vlapic_ack(&vl, 0x31);
	vlapic_write(&vl, APIC_REG_EOI, 0, 0);
	assert_int_equal(nr_eoi_level, 1);	/* edge: no EOI message */
	/* Illegal vectors are refused and latched in ESR on write. */
	assert_false(vlapic_accept(&vl, 5, false));
	vlapic_write(&vl, APIC_REG_ESR, 0, 0);
	assert_int_equal(vlapic_read(&vl, APIC_REG_ESR, 0), 1u << 6);
	vlapic_write(&vl, APIC_REG_ESR, 0, 0);
	assert_int_equal(vlapic_read(&vl, APIC_REG_ESR, 0), 0);
}

static void test_lvtpc(void **state)
{
	struct vlapic vl;

	(void)state;
	setup(&vl, 0);
	/* Fixed delivery, masked: nothing; unmasked: the vector. */
	vlapic_write(&vl, APIC_REG_LVT_PERF, APIC_LVT_MASKED | 0xee, 0);
	vlapic_deliver_lvt(&vl, LVT_PERF);
	assert_int_equal(vlapic_pending_vector(&vl), -1);
	vlapic_write(&vl, APIC_REG_LVT_PERF, 0xee, 0);
	assert_int_equal(vlapic_read(&vl, APIC_REG_LVT_PERF, 0), 0xee);
	vlapic_deliver_lvt(&vl, LVT_PERF);
	assert_int_equal(vlapic_pending_vector(&vl), 0xee);
	/* NMI delivery mode: an NMI, no IRR bit. */
	vlapic_write(&vl, APIC_REG_LVT_PERF, APIC_DM_NMI << APIC_DM_SHIFT, 0);
	assert_int_equal(vlapic_read(&vl, APIC_REG_LVT_PERF, 0), 0x400);
	vlapic_ack(&vl, 0xee);
	vlapic_write(&vl, APIC_REG_EOI, 0, 0);
	vlapic_deliver_lvt(&vl, LVT_PERF);
	assert_int_equal(vl.pending_nmi, 1);
	assert_int_equal(vlapic_pending_vector(&vl), -1);
	/* Reserved bits are not kept. */
	vlapic_write(&vl, APIC_REG_LVT_PERF, 0xfffe0000 | 0x400, 0);
	assert_int_equal(vlapic_read(&vl, APIC_REG_LVT_PERF, 0), 0x400);
}

static void test_timer_oneshot_periodic(void **state)
{
	struct vlapic vl;
	u64 t = 1000000;

	(void)state;
	setup(&vl, 0);
	vlapic_write(&vl, APIC_REG_TDCR, 0xa, t);	/* divide by 128 */
	vlapic_write(&vl, APIC_REG_LVT_TIMER, 0x40, t);
	vlapic_write(&vl, APIC_REG_TMICT, 1000, t);
	/* 1000 counts * 128 bus clocks * 2 TSC ticks. */
	assert_int_equal(vl.timer_expiry, t + 256000);
	assert_int_equal(vlapic_read(&vl, APIC_REG_TMCCT, t + 128000), 500);
	assert_int_equal(vlapic_timer_check(&vl, t + 255999), t + 256000);
	assert_int_equal(vlapic_pending_vector(&vl), -1);
	assert_int_equal(vlapic_timer_check(&vl, t + 256000), 0);
	assert_int_equal(vlapic_pending_vector(&vl), 0x40);
	assert_int_equal(vlapic_read(&vl, APIC_REG_TMCCT, t + 300000), 0);
	vlapic_ack(&vl, 0x40);
	vlapic_write(&vl, APIC_REG_EOI, 0, 0);

	/* Periodic, divide by 1 (DCR 0xb): 100000 counts = 200000 ticks. */
	vlapic_write(&vl, APIC_REG_TDCR, 0xb, t);
	vlapic_write(&vl, APIC_REG_LVT_TIMER,
		     (APIC_TIMER_PERIODIC << 17) | 0x41, t);
	vlapic_write(&vl, APIC_REG_TMICT, 100000, t);
	assert_int_equal(vlapic_timer_check(&vl, t + 200000), t + 400000);
	assert_int_equal(vlapic_pending_vector(&vl), 0x41);
	/* Far behind: the next expiry is a period after now. */
	assert_int_equal(vlapic_timer_check(&vl, t + 1000000), t + 1200000);
	/* Masked: counts, but delivers nothing. */
	vlapic_ack(&vl, 0x41);
	vlapic_write(&vl, APIC_REG_EOI, 0, 0);
	vlapic_write(&vl, APIC_REG_LVT_TIMER, APIC_LVT_MASKED |
		     (APIC_TIMER_PERIODIC << 17) | 0x41, t);
	assert_int_equal(vlapic_timer_check(&vl, t + 1200000), t + 1400000);
	assert_int_equal(vlapic_pending_vector(&vl), -1);
	/* Writing 0 stops it. */
	vlapic_write(&vl, APIC_REG_TMICT, 0, t);
	assert_int_equal(vlapic_timer_check(&vl, t + 5000000), 0);
}

static void test_timer_deadline(void **state)
{
	struct vlapic vl;

	(void)state;
	setup(&vl, 0);
	/* Ignored in one-shot mode (11.5.4.1). */
	vlapic_set_tsc_deadline(&vl, 5000);
	assert_int_equal(vlapic_get_tsc_deadline(&vl), 0);
	vlapic_write(&vl, APIC_REG_LVT_TIMER,
		     (APIC_TIMER_DEADLINE << 17) | 0x42, 0);
	vlapic_set_tsc_deadline(&vl, 5000);
	assert_int_equal(vlapic_get_tsc_deadline(&vl), 5000);
	/* The initial-count register has no effect in this mode. */
	vlapic_write(&vl, APIC_REG_TMICT, 10, 0);
	assert_int_equal(vlapic_timer_check(&vl, 4999), 5000);
	assert_int_equal(vlapic_timer_check(&vl, 5000), 0);
	assert_int_equal(vlapic_pending_vector(&vl), 0x42);
	assert_int_equal(vlapic_get_tsc_deadline(&vl), 0);
	/* The deadline is in the guest's TSC: host + offset. */
	vlapic_ack(&vl, 0x42);
	vlapic_set_tsc_offset(&vl, 1000);
	vlapic_set_tsc_deadline(&vl, 5000);
	assert_int_equal(vlapic_get_tsc_deadline(&vl), 5000);
	assert_int_equal(vlapic_timer_check(&vl, 3999), 4000);
	/* The offset moves: the deadline keeps its guest value. */
	vlapic_set_tsc_offset(&vl, (u64)-2000);
	assert_int_equal(vl.timer_expiry, 7000);
	assert_int_equal(vlapic_timer_check(&vl, 7000), 0);
	vlapic_set_tsc_offset(&vl, 0);
	/* A mode change disarms. */
	vlapic_set_tsc_deadline(&vl, 9000);
	vlapic_write(&vl, APIC_REG_LVT_TIMER, 0x42, 0);
	assert_int_equal(vlapic_timer_check(&vl, 10000), 0);
}

static void test_icr_and_x2apic(void **state)
{
	struct vlapic vl;
	u64 v;

	(void)state;
	setup(&vl, 2);
	vlapic_write(&vl, APIC_REG_ICR2, 0x01000000, 0);
	vlapic_write(&vl, APIC_REG_ICR, 0x4500, 0);	/* INIT assert */
	assert_int_equal(nr_ipis, 1);
	assert_int_equal(last_dest, 1);
	assert_int_equal(last_icr, 0x4500);
	/* Fixed IPI with an illegal vector: not sent, ESR bit 5. */
	vlapic_write(&vl, APIC_REG_ICR, 0x0005, 0);
	assert_int_equal(nr_ipis, 1);
	vlapic_write(&vl, APIC_REG_ESR, 0, 0);
	assert_int_equal(vlapic_read(&vl, APIC_REG_ESR, 0), 1u << 5);

	/* x2APIC MSRs #GP in xAPIC mode. */
	assert_int_equal(vlapic_msr_read(&vl, 0x802, 0, &v), -EINVAL);
	/* Disabled -> x2APIC directly is invalid; xAPIC -> x2APIC is fine. */
	assert_int_equal(vlapic_set_base(&vl, 0xfee00000 | APIC_BASE_MSR_EN |
					 APIC_BASE_MSR_EXTD), 0);
	assert_int_equal(vlapic_msr_read(&vl, 0x802, 0, &v), 0);
	assert_int_equal(v, 2);
	assert_int_equal(vlapic_msr_read(&vl, 0x80d, 0, &v), 0);
	assert_int_equal(v, 1u << 2);			/* cluster 0, bit 2 */
	assert_int_equal(vlapic_msr_read(&vl, 0x80e, 0, &v), -EINVAL);
	assert_int_equal(vlapic_msr_read(&vl, 0x80b, 0, &v), -EINVAL);
	assert_int_equal(vlapic_msr_write(&vl, 0x80b, 1, 0), -EINVAL);
	assert_int_equal(vlapic_msr_write(&vl, 0x802, 7, 0), -EINVAL);
	/* 64-bit ICR, full 32-bit destination. */
	assert_int_equal(vlapic_msr_write(&vl, 0x830,
					  (5ULL << 32) | 0x40fd, 0), 0);
	assert_int_equal(last_dest, 5);
	assert_int_equal(last_icr, 0x40fd);
	assert_int_equal(vlapic_msr_read(&vl, 0x830, 0, &v), 0);
	assert_int_equal(v, (5ULL << 32) | 0x40fd);
	/* Self IPI. */
	assert_int_equal(vlapic_msr_write(&vl, 0x83f, 0x66, 0), 0);
	assert_int_equal(vlapic_pending_vector(&vl), 0x66);
	/* x2APIC -> xAPIC is invalid; x2APIC -> disabled resets. */
	assert_int_equal(vlapic_set_base(&vl, 0xfee00000 | APIC_BASE_MSR_EN),
			 -EINVAL);
	assert_int_equal(vlapic_set_base(&vl, 0xfee00000), 0);
	assert_false(vlapic_hw_enabled(&vl));
	assert_int_equal(vlapic_pending_vector(&vl), -1);
	assert_int_equal(vlapic_set_base(&vl, 0xfee00000 | APIC_BASE_MSR_EXTD),
			 -EINVAL);
	assert_int_equal(vlapic_set_base(&vl, 0xfee00000 |
					 APIC_BASE_MSR_EN | APIC_BASE_MSR_EXTD),
			 -EINVAL);
	/* Re-enabled: usable again, in xAPIC mode with reset registers. */
	assert_int_equal(vlapic_set_base(&vl, 0xfee00000 | APIC_BASE_MSR_EN),
			 0);
	assert_int_equal(vlapic_read(&vl, APIC_REG_SVR, 0), 0xff);
	vlapic_write(&vl, APIC_REG_SVR, 0x1ff, 0);
	assert_true(vlapic_accept(&vl, 0x70, false));
	assert_int_equal(vlapic_pending_vector(&vl), 0x70);
	/* Reserved bits of the base MSR. */
	assert_int_equal(vlapic_set_base(&vl, 0xfee00000 | APIC_BASE_MSR_EN |
					 BIT(9)), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reset_state),
		cmocka_unit_test(test_priority_and_eoi),
		cmocka_unit_test(test_lvtpc),
		cmocka_unit_test(test_timer_oneshot_periodic),
		cmocka_unit_test(test_timer_deadline),
		cmocka_unit_test(test_icr_and_x2apic),
	};

	return cmocka_run_group_tests_name("vlapic", tests, NULL, NULL);
}
