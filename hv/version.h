/* SPDX-License-Identifier: GPL-2.0 */
#ifndef HV_VERSION_H
#define HV_VERSION_H

#ifndef PERFVISOR_VERSION
#define PERFVISOR_VERSION "0.1-dev"
#endif

#endif /* HV_VERSION_H */
