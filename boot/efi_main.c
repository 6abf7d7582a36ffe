// SPDX-License-Identifier: GPL-2.0
/*
 * UEFI entry: read the configuration and guest images from the boot volume,
 * record the machine (memory map, ACPI, CPUs, TSC rate), leave boot
 * services and hand over to hv_main(). Nothing returns to the firmware.
 */
#include <boot/efi.h>
#include <boot/serial_pick.h>
#include <drivers/pci_cfg.h>
#include <drivers/uart16550.h>
#include <hv/console.h>
#include <hv/log.h>
#include <hv/string.h>
#include <hv/version.h>
#include <arch/x86/cpu.h>

#define CONFIG_FILE "perfvisor.cfg"
#define TRAMPOLINE_MAX 0x9ffff	/* SIPI vectors reach pages below 1 MiB */

EFI_SYSTEM_TABLE *efi_st;
EFI_BOOT_SERVICES *efi_bs;

const char *efi_status_str(EFI_STATUS s)
{
	switch (s) {
	case EFI_SUCCESS: return "success";
	case EFI_NOT_FOUND: return "not found";
	case EFI_OUT_OF_RESOURCES: return "out of memory";
	case EFI_INVALID_PARAMETER: return "invalid parameter (or a directory)";
	case EFI_DEVICE_ERROR: return "device error";
	case EFI_VOLUME_CORRUPTED: return "volume corrupted";
	case EFI_ACCESS_DENIED: return "access denied";
	case EFI_END_OF_FILE: return "short read";
	case EFI_UNSUPPORTED: return "unsupported";
	default: return "error";
	}
}

static void cfg_report(void *ctx, const char *file, u32 line, const char *msg)
{
	enum log_level level = LOG_ERROR;

	(void)ctx;
	/* The log adds its own "warning: ". */
	if (!strncmp(msg, CFG_WARNING, sizeof(CFG_WARNING) - 1)) {
		level = LOG_WARN;
		msg += sizeof(CFG_WARNING) - 1;
	}
	if (line)
		hv_log(level, "%s:%u: %s\n", file, line, msg);
	else
		hv_log(level, "%s: %s\n", file, msg);
}

static void load_config(EFI_FILE_HANDLE root, struct boot_info *bi)
{
	void *text = NULL;
	u64 size = 0;
	EFI_STATUS s;

	cfg_defaults(&bi->cfg);
	if (!root) {
		pr_err("cannot open the boot volume: running with no guests\n");
		return;
	}
	s = efi_read_file(root, CONFIG_FILE, &text, &size);
	if (EFI_ERROR(s)) {
		pr_err("%s: %s: running with no guests\n", CONFIG_FILE,
		       efi_status_str(s));
		return;
	}
	if (cfg_parse(&bi->cfg, CONFIG_FILE, text, size, cfg_report, NULL))
		pr_err("%s: unusable, running with no guests\n", CONFIG_FILE);
}

static bool load_one(EFI_FILE_HANDLE root, const struct cfg_vm *vm,
		     const char *what, const char *path, struct boot_file *f)
{
	EFI_STATUS s;
	void *data;
	u64 size;

	if (!*path)
		return true;
	s = efi_read_file(root, path, &data, &size);
	if (EFI_ERROR(s)) {
		pr_err("vm %s: cannot read %s '%s': %s; guest skipped\n",
		       vm->name, what, path, efi_status_str(s));
		return false;
	}
	f->data = data;
	f->size = size;
	pr_info("vm %s: loaded %s '%s' (%llu bytes)\n", vm->name, what, path,
		(unsigned long long)size);
	return true;
}

static void load_guests(EFI_FILE_HANDLE root, struct boot_info *bi)
{
	for (u32 i = 0; i < bi->cfg.nr_vms; i++) {
		const struct cfg_vm *vm = &bi->cfg.vms[i];
		struct boot_vm *bv = &bi->vms[i];

		bv->ok = root && load_one(root, vm, "image", vm->image,
					  &bv->image) &&
			 load_one(root, vm, "initrd", vm->initrd, &bv->initrd);
	}
}

static const void *acpi_map_identity(void *ctx, u64 phys, size_t len)
{
	(void)ctx;
	(void)len;
	return (const void *)(uintptr_t)phys;
}

static void find_acpi(struct boot_info *bi)
{
	u64 rsdp = efi_find_rsdp();
	int err;

	if (!rsdp) {
		pr_warn("no ACPI tables: the CPUs will be found by probing\n");
		return;
	}
	err = acpi_parse(rsdp, acpi_map_identity, NULL, &bi->acpi);
	if (err)
		pr_warn("ACPI tables unusable (%d): the CPUs will be found by probing\n",
		       err);
	if (bi->acpi.fadt &&
	    acpi_power_parse(bi->acpi.fadt, acpi_map_identity, NULL, &bi->power))
		pr_warn("FADT unusable: poweroff cannot use ACPI\n");
	if (bi->power.x_dsdt_bad)
		pr_warn("FADT: X_DSDT %#llx is no valid DSDT: %s\n",
			(unsigned long long)bi->power.x_dsdt_bad,
			bi->power.dsdt ? "the 32-bit DSDT field's is used" :
			"the 32-bit DSDT field gives none either");
}

u64 efi_find_rsdp(void)
{
	EFI_GUID acpi20 = ACPI_20_TABLE_GUID, acpi10 = ACPI_TABLE_GUID;
	u64 v1 = 0;

	for (UINTN i = 0; i < efi_st->NumberOfTableEntries; i++) {
		EFI_CONFIGURATION_TABLE *t = &efi_st->ConfigurationTable[i];

		if (!memcmp(&t->VendorGuid, &acpi20, sizeof(acpi20)))
			return (u64)(uintptr_t)t->VendorTable;
		if (!memcmp(&t->VendorGuid, &acpi10, sizeof(acpi10)))
			v1 = (u64)(uintptr_t)t->VendorTable;
	}
	return v1;
}

static void calibrate_tsc(struct boot_info *bi)
{
	/* 50 ms against the firmware's calibrated Stall(). */
	u64 t0 = rdtsc();

	efi_bs->Stall(50000);
	bi->tsc_hz = (rdtsc() - t0) * 20;
}

static void image_extent(EFI_HANDLE image, struct boot_info *bi)
{
	EFI_GUID li_guid = EFI_LOADED_IMAGE_PROTOCOL_GUID;
	EFI_LOADED_IMAGE *li;

	if (!EFI_ERROR(efi_bs->HandleProtocol(image, &li_guid, (void **)&li))) {
		bi->image_base = (u64)(uintptr_t)li->ImageBase;
		bi->image_size = li->ImageSize;
	}
}

static u32 pci_read(void *ctx, u32 bdf, u32 off)
{
	(void)ctx;
	return pci_cfg_read32(bdf, off);
}

static void pci_write(void *ctx, u32 bdf, u32 off, u16 val)
{
	(void)ctx;
	pci_cfg_write16(bdf, off, val);
}

/*
 * Chooses the console UART for bi->cfg (boot/serial_pick.c) and switches
 * to it when it is not the one in use; @say prints the choice and why.
 */
static void choose_console(struct boot_info *bi, bool say)
{
	struct serial_env env = {
		.spcr = (const u8 *)(uintptr_t)bi->acpi.spcr,
		.spcr_len = bi->acpi.spcr_len,
		.pci_read32 = pci_read,
		.pci_write16 = pci_write,
	};
	struct serial_choice *c = &bi->console;
	const struct uart_desc *cur = uart_current();

	serial_pick(&bi->cfg, &env, c);
	if (c->uart.space != cur->space || c->uart.base != cur->base ||
	    c->uart.baud != cur->baud || c->uart.shift != cur->shift ||
	    c->uart.width != cur->width) {
		if (uart_setup(&c->uart)) {
			pr_err("console: cannot drive %s; staying on COM1\n",
			       c->what);
			uart_init(0x3f8, 115200);
		}
	}
	if (say)
		pr_info("console: %s: %s\n", c->what, c->why);
}

/*
 * The SecureBoot variable (UEFI 2.10 3.3): 1 when the firmware enforces
 * image signatures, in which case it verified this image before starting
 * it. Recorded for the readiness report.
 */
static void secure_boot_state(struct boot_info *bi)
{
	EFI_GUID global = EFI_GLOBAL_VARIABLE;
	CHAR16 name[] = u"SecureBoot";
	UINTN size = 1;
	UINT8 v = 0;
	EFI_STATUS s;

	s = efi_st->RuntimeServices->GetVariable(name, &global, NULL, &size,
						 &v);
	bi->secure_boot = !EFI_ERROR(s) && size == 1 && v == 1;
	pr_info("Secure Boot: %s\n", bi->secure_boot ?
		"on (the firmware verified this image's signature)" :
		EFI_ERROR(s) ? "off (no SecureBoot variable)" : "off");
}

/* gnu-efi's crt0 calls this with the SysV ABI: no EFIAPI here. */
EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
	u64 tsc0 = rdtsc();
	EFI_FILE_HANDLE root = NULL;
	struct boot_info *bi;
	EFI_STATUS s;

	efi_st = st;
	efi_bs = st->BootServices;
	efi_bs->SetWatchdogTimer(0, 0, 0, NULL);
	uart_init(0x3f8, 115200);
	console_puts("\r\n");
	pr_info("perfvisor %s: UEFI loader\n", PERFVISOR_VERSION);

	bi = efi_alloc_pages(sizeof(*bi), 0);
	if (!bi) {
		pr_err("out of memory at boot\n");
		return EFI_OUT_OF_RESOURCES;
	}
	bi->tsc_at_entry = tsc0;
	image_extent(image, bi);

	/*
	 * The SPCR's UART before the config is read, so that what is wrong
	 * with the config reaches a machine without COM1; then the one the
	 * config asks for.
	 */
	find_acpi(bi);
	cfg_defaults(&bi->cfg);
	choose_console(bi, false);
	s = efi_open_boot_volume(image, &root);
	if (EFI_ERROR(s))
		root = NULL;
	load_config(root, bi);
	log_level = (enum log_level)bi->cfg.log_level;
	choose_console(bi, true);
	secure_boot_state(bi);
	load_guests(root, bi);

	bi->trampoline = (u64)(uintptr_t)efi_alloc_pages(PAGE_SIZE,
							 TRAMPOLINE_MAX);
	calibrate_tsc(bi);

	s = efi_exit_boot_services(image, bi);
	if (EFI_ERROR(s)) {
		pr_err("ExitBootServices failed: %s\n", efi_status_str(s));
		return s;
	}
	hv_main(bi);
}
