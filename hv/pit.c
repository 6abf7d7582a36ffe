// SPDX-License-Identifier: GPL-2.0
/*
 * 8254 counter logic (see hv/pit.h). Timing of the modes from the Intel
 * 8254 data sheet (order no. 231164), "Mode definitions":
 *  - mode 0: OUT goes low when the count is written, counts N..0 and goes
 *    high at terminal count, where it stays; the counter wraps on.
 *  - mode 2: OUT high, low for one clock when the count reaches 1, then
 *    the count reloads: a period of N clocks.
 *  - mode 3: OUT high for ceil(N/2) clocks, low for floor(N/2); the count
 *    decrements by two.
 * The count is loaded on the clock after it is written; modelled as
 * immediately. A low gate stops counting; in modes 2 and 3 its rising
 * edge reloads the count.
 */
#include <hv/pit.h>
#include <hv/string.h>

void pit_reset(struct pit *p)
{
	memset(p, 0, sizeof(*p));
	for (u32 i = 0; i < 3; i++) {
		p->c[i].rw = 3;
		p->c[i].gate = i != 2;	/* counters 0 and 1: gate tied high */
	}
}

/* Clocks counted since the count was loaded. */
static u64 elapsed(const struct pit_counter *c, u64 now)
{
	if (!c->gate)
		return c->frozen;
	return now >= c->start ? now - c->start : 0;
}

static bool periodic(const struct pit_counter *c)
{
	return c->mode == 2 || c->mode == 3;
}

u16 pit_count(const struct pit *p, u32 ch, u64 now)
{
	const struct pit_counter *c = &p->c[ch];
	u64 t = elapsed(c, now), n = c->reload;

	if (!c->armed)
		return 0;
	if (c->mode == 2)
		return (u16)(n - t % n);
	if (c->mode == 3) {
		u64 half = (n + 1) / 2, in = t % n;

		return (u16)(in < half ? n - 2 * in : n - 2 * (in - half));
	}
	return (u16)(n - t);	/* modes 0, 1, 4, 5: wraps modulo 2^16 */
}

bool pit_out(const struct pit *p, u32 ch, u64 now)
{
	const struct pit_counter *c = &p->c[ch];
	u64 t = elapsed(c, now), n = c->reload;

	if (!c->armed)
		return c->mode != 0;	/* mode 0 OUT is low after the write */
	switch (c->mode) {
	case 2:
		return t % n != n - 1;
	case 3:
		return t % n < (n + 1) / 2;
	default:
		return t >= n;
	}
}

u64 pit_next_edge(const struct pit *p, u32 ch, u64 now)
{
	const struct pit_counter *c = &p->c[ch];
	u64 t = elapsed(c, now), n = c->reload;

	if (!c->armed || !c->gate)
		return 0;
	if (periodic(c))	/* OUT rises when a new period begins */
		return c->start + (t / n + 1) * n;
	return t < n ? c->start + n : 0;
}

static void load(struct pit_counter *c, u32 count, u64 now)
{
	c->reload = count ? count : 0x10000;
	c->start = now;
	c->frozen = 0;
	c->armed = true;
	c->null_count = false;
}

static void latch(struct pit *p, u32 ch, u64 now)
{
	struct pit_counter *c = &p->c[ch];

	if (c->latched)
		return;		/* the first latch holds until read */
	c->latch = pit_count(p, ch, now);
	c->latched = true;
	c->latch_msb = c->rw == 2;
}

void pit_write_control(struct pit *p, u8 val, u64 now)
{
	u32 ch = val >> 6;
	struct pit_counter *c;

	if (ch == 3) {		/* read-back command */
		for (u32 i = 0; i < 3; i++) {
			if (!(val & (2 << i)))
				continue;
			c = &p->c[i];
			if (!(val & 0x20))
				latch(p, i, now);
			if (!(val & 0x10) && !c->status_latched) {
				c->status = (pit_out(p, i, now) << 7) |
					    (c->null_count << 6) |
					    (c->rw << 4) | (c->mode << 1) |
					    c->bcd;
				c->status_latched = true;
			}
		}
		return;
	}
	c = &p->c[ch];
	if (!(val & 0x30)) {	/* counter latch command */
		latch(p, ch, now);
		return;
	}
	c->rw = (val >> 4) & 3;
	c->mode = (val >> 1) & 7;
	if (c->mode > 5)
		c->mode -= 4;	/* 6, 7 are modes 2, 3 */
	c->bcd = val & 1;
	c->armed = false;	/* a control word stops the counter */
	c->null_count = true;
	c->write_msb = c->rw == 2;
	c->read_msb = c->rw == 2;
	c->latched = false;
	c->status_latched = false;
}

void pit_write_data(struct pit *p, u32 ch, u8 val, u64 now)
{
	struct pit_counter *c = &p->c[ch];

	switch (c->rw) {
	case 1:
		load(c, val, now);
		break;
	case 2:
		load(c, (u32)val << 8, now);
		break;
	default:
		if (!c->write_msb) {
			c->write_lsb = val;
			c->write_msb = true;
			/* Mode 0 stops counting at the first byte. */
			if (c->mode == 0)
				c->armed = false;
		} else {
			load(c, c->write_lsb | ((u32)val << 8), now);
			c->write_msb = false;
		}
	}
}

u8 pit_read_data(struct pit *p, u32 ch, u64 now)
{
	struct pit_counter *c = &p->c[ch];
	u16 v;
	u8 b;

	if (c->status_latched) {
		c->status_latched = false;
		return c->status;
	}
	if (c->latched) {
		v = c->latch;
		b = c->latch_msb ? v >> 8 : v & 0xff;
		if (c->rw == 3 && !c->latch_msb)
			c->latch_msb = true;
		else
			c->latched = false;
		return b;
	}
	v = pit_count(p, ch, now);
	switch (c->rw) {
	case 1:
		return v & 0xff;
	case 2:
		return v >> 8;
	default:
		b = c->read_msb ? v >> 8 : v & 0xff;
		c->read_msb = !c->read_msb;
		return b;
	}
}

void pit_set_gate(struct pit *p, u32 ch, bool gate, u64 now)
{
	struct pit_counter *c = &p->c[ch];

	if (gate == c->gate)
		return;
	if (!gate) {
		c->frozen = elapsed(c, now);
	} else if (periodic(c) || c->mode == 1 || c->mode == 5) {
		c->start = now;		/* rising edge: reload */
	} else {
		c->start = now - c->frozen;	/* resume */
	}
	c->gate = gate;
}
