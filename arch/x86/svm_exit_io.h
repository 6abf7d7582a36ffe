/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The decode of an I/O intercept (APM vol. 2 15.10.2), inline: it is the
 * commonest exit (the UART poll), which svm_run.c decodes without the
 * call into svm_decode_exit(); svm_exit.c uses the same code.
 */
#ifndef ARCH_X86_SVM_EXIT_IO_H
#define ARCH_X86_SVM_EXIT_IO_H

#include <arch/x86/svm.h>
#include <hv/exit.h>

/* A next RIP is believable only a few bytes after RIP. */
static inline u8 svm_length_to(u64 rip, u64 next)
{
	return next > rip && next - rip <= 15 ? next - rip : 0;
}

/* The whole record of an SVM_EXIT_IOIO exit. */
static inline void svm_decode_io(const struct vmcb *v, struct vm_exit *e)
{
	u64 info1 = v->control.exit_info1;
	u8 size = (info1 >> SVM_IOIO_SIZE_SHIFT) & 7;	/* one-hot 1/2/4 */

	e->kind = EXIT_IO;
	e->vendor_code = SVM_EXIT_IOIO;
	e->qual = info1;
	e->io.in = info1 & SVM_IOIO_IN;
	e->io.string = info1 & SVM_IOIO_STR;
	e->io.rep = info1 & SVM_IOIO_REP;
	e->io.size = (size == 2 || size == 4) ? size : 1;
	e->io.port = info1 >> SVM_IOIO_PORT_SHIFT;
	/* EXITINFO2 is the next RIP even without NRIP-save (15.10.2). */
	e->insn_len = svm_length_to(v->save.rip, v->control.exit_info2);
}

#endif /* ARCH_X86_SVM_EXIT_IO_H */
