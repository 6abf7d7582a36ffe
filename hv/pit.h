/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Intel 8254 programmable interval timer as pure logic (hv/pit.c):
 * three 16-bit counters clocked at 1.193182 MHz, given the current count
 * of input clock ticks. hv/vpit.c turns the TSC into ticks and wires the
 * counters to ports 0x40-0x43, port 0x61 and I/O APIC pin 2.
 *
 * Modelled: modes 0 (interrupt on terminal count), 2 (rate generator) and
 * 3 (square wave), modes 1/4/5 counted like 0; binary counts (BCD is
 * stored in the status but counted in binary); the LSB/MSB/word access
 * modes, counter latch and read-back commands; gates (only counter 2's
 * is wired, through port 0x61).
 */
#ifndef HV_PIT_H
#define HV_PIT_H

#include <hv/types.h>

#define PIT_HZ 1193182ULL

struct pit_counter {
	u8 mode;		/* 0-5 */
	u8 rw;			/* 1 LSB, 2 MSB, 3 LSB then MSB */
	u8 bcd;
	bool gate;
	bool armed;		/* a count was written: the counter runs */
	bool null_count;	/* written, not yet loaded (status bit 6) */
	bool write_msb;		/* next data write is the MSB (rw 3) */
	bool read_msb;		/* next data read is the MSB (rw 3) */
	u8 write_lsb;		/* LSB of a count being written */
	u32 reload;		/* 1-65536 (0 written means 65536) */
	u64 start;		/* tick at which the count was loaded */
	u64 frozen;		/* gate low: elapsed ticks when it fell */
	bool latched;		/* counter latch holds a value */
	u16 latch;
	bool latch_msb;		/* next latched read is the MSB */
	bool status_latched;
	u8 status;
};

struct pit {
	struct pit_counter c[3];
};

void pit_reset(struct pit *p);
/* Port 0x43. */
void pit_write_control(struct pit *p, u8 val, u64 now);
/* Ports 0x40-0x42: counter @ch. */
void pit_write_data(struct pit *p, u32 ch, u8 val, u64 now);
u8 pit_read_data(struct pit *p, u32 ch, u64 now);
void pit_set_gate(struct pit *p, u32 ch, bool gate, u64 now);
/* The counter's OUT pin and current count at tick @now. */
bool pit_out(const struct pit *p, u32 ch, u64 now);
u16 pit_count(const struct pit *p, u32 ch, u64 now);
/*
 * The first tick after @now at which counter @ch's OUT has a rising edge
 * (the moment an interrupt is raised), or 0 if none is coming.
 */
u64 pit_next_edge(const struct pit *p, u32 ch, u64 now);

#endif /* HV_PIT_H */
