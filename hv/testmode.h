/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test mode (`mode = test`): each guest is a test whose outcome is compared
 * with its `expect`; when all have ended the hypervisor prints one line per
 * test and a summary, and folds the verdict into the machine's exit status
 * through QEMU's isa-debug-exit device (0 = all passed, 1 = a failure).
 */
#ifndef HV_TESTMODE_H
#define HV_TESTMODE_H

void testmode_poll(void);

#endif /* HV_TESTMODE_H */
