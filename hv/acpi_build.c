// SPDX-License-Identifier: GPL-2.0
/*
 * Guest ACPI tables (see hv/acpi_build.h). Section and table numbers are
 * those of ACPI 6.5. The guest gets:
 *   - a MADT with one local APIC per vCPU, the I/O APIC, ISA overrides
 *     (IRQ 0 on GSI 2, the SCI level-triggered) and LINT1 as NMI;
 *   - a FADT with PM1a event/control blocks (power-off through \_S5),
 *     the reset register at 0xcf9, a 32-bit PM timer, no SMI command port
 *     (the platform is always in ACPI mode), no VGA;
 *   - a DSDT whose AML only names \_S5.
 */
#include <hv/acpi_build.h>
#include <hv/errno.h>
#include <hv/string.h>

#define OEM_ID       "PERFVI"
#define OEM_TABLE_ID "PERFVISR"
#define CREATOR_ID   0x56524550		/* "PERV" */

struct sdt_header {			/* 5.2.6, table 5.4 */
	char sig[4];
	u32 length;
	u8 revision;
	u8 checksum;
	char oem_id[6];
	char oem_table_id[8];
	u32 oem_revision;
	u32 creator_id;
	u32 creator_revision;
} __packed;

struct gas {				/* 5.2.3.2 generic address */
	u8 space;			/* 1: system I/O */
	u8 bit_width;
	u8 bit_offset;
	u8 access_size;			/* 1 byte, 2 word, 3 dword */
	u64 address;
} __packed;

struct fadt {				/* 5.2.9, table 5.9 */
	struct sdt_header h;
	u32 firmware_ctrl;
	u32 dsdt;
	u8 reserved0;
	u8 pm_profile;
	u16 sci_int;
	u32 smi_cmd;
	u8 acpi_enable, acpi_disable, s4bios_req, pstate_cnt;
	u32 pm1a_evt_blk, pm1b_evt_blk, pm1a_cnt_blk, pm1b_cnt_blk;
	u32 pm2_cnt_blk, pm_tmr_blk, gpe0_blk, gpe1_blk;
	u8 pm1_evt_len, pm1_cnt_len, pm2_cnt_len, pm_tmr_len;
	u8 gpe0_blk_len, gpe1_blk_len, gpe1_base, cst_cnt;
	u16 p_lvl2_lat, p_lvl3_lat, flush_size, flush_stride;
	u8 duty_offset, duty_width, day_alrm, mon_alrm, century;
	u16 iapc_boot_arch;
	u8 reserved1;
	u32 flags;
	struct gas reset_reg;
	u8 reset_value;
	u16 arm_boot_arch;
	u8 minor_version;
	u64 x_firmware_ctrl;
	u64 x_dsdt;
	struct gas x_pm1a_evt_blk, x_pm1b_evt_blk, x_pm1a_cnt_blk;
	struct gas x_pm1b_cnt_blk, x_pm2_cnt_blk, x_pm_tmr_blk;
	struct gas x_gpe0_blk, x_gpe1_blk, sleep_control, sleep_status;
	u64 hypervisor_vendor;
} __packed;

_Static_assert(sizeof(struct fadt) == 276, "FADT is 276 bytes (6.x)");

#define FADT_WBINVD         BIT(0)
#define FADT_PROC_C1        BIT(2)
#define FADT_PWR_BUTTON     BIT(4)	/* no fixed power button */
#define FADT_SLP_BUTTON     BIT(5)	/* no fixed sleep button */
#define FADT_TMR_VAL_EXT    BIT(8)	/* the PM timer is 32 bits wide */
#define FADT_RESET_REG_SUP  BIT(10)
#define BOOT_ARCH_NO_VGA    BIT(2)

struct facs {				/* 5.2.10, table 5.14 */
	char sig[4];
	u32 length;
	u32 hw_signature;
	u32 waking_vector;
	u32 global_lock;
	u32 flags;
	u64 x_waking_vector;
	u8 version;
	u8 reserved[3];
	u32 ospm_flags;
	u8 reserved2[24];
} __packed;

_Static_assert(sizeof(struct facs) == 64, "FACS is 64 bytes");

struct rsdp {				/* 5.2.5.3, table 5.3 */
	char sig[8];
	u8 checksum;
	char oem_id[6];
	u8 revision;
	u32 rsdt;
	u32 length;
	u64 xsdt;
	u8 ext_checksum;
	u8 reserved[3];
} __packed;

_Static_assert(sizeof(struct rsdp) == ACPI_RSDP_LEN, "RSDP is 36 bytes");

/* MADT entries (5.2.12). */
struct madt_lapic { u8 type, len, uid, apic_id; u32 flags; } __packed;
struct madt_ioapic { u8 type, len, id, reserved; u32 addr, gsi_base; } __packed;
struct madt_iso { u8 type, len, bus, source; u32 gsi; u16 flags; } __packed;
struct madt_nmi { u8 type, len, uid; u16 flags; u8 lint; } __packed;

#define ISO_ACTIVE_HIGH 0x1
#define ISO_LEVEL       (0x3 << 2)

/*
 * \_S5 for power-off (7.4.2): Name (_S5, Package () { 5, 5, 0, 0 }).
 * NameOp, "_S5_", PackageOp, PkgLength 8, 4 elements: BytePrefix 5 twice,
 * ZeroOp twice (ACPI 6.5 ch. 20 AML encoding).
 */
static const u8 dsdt_aml[] = {
	0x08, '_', 'S', '5', '_', 0x12, 0x08, 0x04,
	0x0a, ACPI_S5_TYP, 0x0a, ACPI_S5_TYP, 0x00, 0x00,
};

static u8 checksum(const void *p, size_t len)
{
	const u8 *b = p;
	u8 sum = 0;

	while (len--)
		sum += *b++;
	return (u8)-sum;
}

static void header(struct sdt_header *h, const char *sig, u32 len, u8 rev)
{
	memcpy(h->sig, sig, 4);
	h->length = len;
	h->revision = rev;
	memcpy(h->oem_id, OEM_ID, 6);
	memcpy(h->oem_table_id, OEM_TABLE_ID, 8);
	h->oem_revision = 1;
	h->creator_id = CREATOR_ID;
	h->creator_revision = 1;
	h->checksum = 0;
	h->checksum = checksum(h, len);
}

static struct gas io_gas(u16 port, u8 bytes)
{
	return (struct gas){ .space = 1, .bit_width = bytes * 8,
			     .access_size = bytes == 1 ? 1 : bytes == 2 ? 2 : 3,
			     .address = port };
}

/* Bump allocator over the table buffer; 16-byte (FACS: 64) aligned. */
struct area {
	u8 *base;
	u64 gpa;
	size_t size, used;
};

static void *take(struct area *a, size_t len, size_t align, u64 *gpa)
{
	size_t off = ALIGN_UP(a->used, align);

	if (off > a->size || len > a->size - off)
		return NULL;
	a->used = off + len;
	*gpa = a->gpa + off;
	return a->base + off;
}

static int build_madt(struct area *a, const struct acpi_build_cfg *c,
		      u64 *gpa)
{
	size_t len = sizeof(struct sdt_header) + 8 +
		     c->nr_cpus * sizeof(struct madt_lapic) +
		     sizeof(struct madt_ioapic) + 2 * sizeof(struct madt_iso) +
		     sizeof(struct madt_nmi);
	u8 *t = take(a, len, 16, gpa), *p;
	struct madt_ioapic io = { 1, sizeof(io), c->ioapic_id, 0,
				  (u32)c->ioapic_base, 0 };
	struct madt_iso timer = { 2, sizeof(timer), 0, 0, 2, 0 };
	struct madt_iso sci = { 2, sizeof(sci), 0, ACPI_SCI_IRQ, ACPI_SCI_IRQ,
				ISO_ACTIVE_HIGH | ISO_LEVEL };
	struct madt_nmi nmi = { 4, sizeof(nmi), 0xff, 0, 1 };
	u32 lapic_addr = (u32)c->lapic_base, flags = 1;	/* PCAT_COMPAT */

	if (!t)
		return -ENOSPC;
	p = t + sizeof(struct sdt_header);
	memcpy(p, &lapic_addr, 4);
	memcpy(p + 4, &flags, 4);
	p += 8;
	for (u32 i = 0; i < c->nr_cpus; i++) {
		struct madt_lapic l = { 0, sizeof(l), (u8)i, (u8)i, 1 };

		memcpy(p, &l, sizeof(l));
		p += sizeof(l);
	}
	memcpy(p, &io, sizeof(io));
	p += sizeof(io);
	memcpy(p, &timer, sizeof(timer));
	p += sizeof(timer);
	memcpy(p, &sci, sizeof(sci));
	p += sizeof(sci);
	memcpy(p, &nmi, sizeof(nmi));
	header((struct sdt_header *)t, "APIC", len, 5);
	return 0;
}

static int build_fadt(struct area *a, u64 *gpa)
{
	struct sdt_header *dsdt;
	struct facs *facs;
	struct fadt *f;
	u64 dsdt_gpa, facs_gpa;
	size_t dlen = sizeof(*dsdt) + sizeof(dsdt_aml);

	facs = take(a, sizeof(*facs), 64, &facs_gpa);
	dsdt = take(a, dlen, 16, &dsdt_gpa);
	f = take(a, sizeof(*f), 16, gpa);
	if (!facs || !dsdt || !f)
		return -ENOSPC;
	memcpy(facs->sig, "FACS", 4);
	facs->length = sizeof(*facs);
	facs->version = 2;
	memcpy((u8 *)dsdt + sizeof(*dsdt), dsdt_aml, sizeof(dsdt_aml));
	header(dsdt, "DSDT", dlen, 2);

	/* 64-bit pointers only: both forms would list the tables twice. */
	f->pm_profile = 0;			/* unspecified */
	f->sci_int = ACPI_SCI_IRQ;
	f->pm1a_evt_blk = ACPI_PM1A_EVT_PORT;
	f->pm1a_cnt_blk = ACPI_PM1A_CNT_PORT;
	f->pm_tmr_blk = ACPI_PM_TMR_PORT;
	f->pm1_evt_len = 4;
	f->pm1_cnt_len = 2;
	f->pm_tmr_len = 4;
	f->p_lvl2_lat = 101;			/* > 100: no C2 */
	f->p_lvl3_lat = 1001;			/* > 1000: no C3 */
	f->century = 0x32;			/* CMOS century byte */
	f->iapc_boot_arch = BOOT_ARCH_NO_VGA;
	f->flags = FADT_WBINVD | FADT_PROC_C1 | FADT_PWR_BUTTON |
		   FADT_SLP_BUTTON | FADT_RESET_REG_SUP | FADT_TMR_VAL_EXT;
	f->reset_reg = io_gas(0xcf9, 1);
	f->reset_value = 0x06;			/* full reset: RST_CPU|SYS_RST */
	f->minor_version = 5;
	f->x_firmware_ctrl = facs_gpa;
	f->x_dsdt = dsdt_gpa;
	f->x_pm1a_evt_blk = io_gas(ACPI_PM1A_EVT_PORT, 4);
	f->x_pm1a_cnt_blk = io_gas(ACPI_PM1A_CNT_PORT, 2);
	f->x_pm_tmr_blk = io_gas(ACPI_PM_TMR_PORT, 4);
	memcpy(&f->hypervisor_vendor, "perfvisr", 8);
	header(&f->h, "FACP", sizeof(*f), 6);
	return 0;
}

int acpi_build(void *tables, u64 gpa, size_t size, void *rsdp_buf,
	       const struct acpi_build_cfg *cfg)
{
	struct area a = { tables, gpa, size, 0 };
	struct rsdp *r = rsdp_buf;
	u64 fadt_gpa, madt_gpa, xsdt_gpa;
	u8 *xsdt;
	int err;

	memset(tables, 0, size);
	err = build_fadt(&a, &fadt_gpa);
	if (!err)
		err = build_madt(&a, cfg, &madt_gpa);
	if (err)
		return err;
	xsdt = take(&a, sizeof(struct sdt_header) + 16, 16, &xsdt_gpa);
	if (!xsdt)
		return -ENOSPC;
	memcpy(xsdt + sizeof(struct sdt_header), &fadt_gpa, 8);
	memcpy(xsdt + sizeof(struct sdt_header) + 8, &madt_gpa, 8);
	header((struct sdt_header *)xsdt, "XSDT",
	       sizeof(struct sdt_header) + 16, 1);

	memset(r, 0, sizeof(*r));
	memcpy(r->sig, "RSD PTR ", 8);
	memcpy(r->oem_id, OEM_ID, 6);
	r->revision = 2;
	r->length = sizeof(*r);
	r->xsdt = xsdt_gpa;
	r->checksum = checksum(r, 20);
	r->ext_checksum = checksum(r, sizeof(*r));
	return (int)a.used;
}
