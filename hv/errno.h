/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Error numbers. perfvisor functions return 0 or a negative errno. The
 * values are Linux's so that host unit tests may include <errno.h> too.
 */
#ifndef HV_ERRNO_H
#define HV_ERRNO_H

#ifndef EPERM
#define EPERM     1
#define ENOENT    2
#define EIO       5
#define ENXIO     6
#define E2BIG     7
#define ENOEXEC   8
#define EAGAIN    11
#define ENOMEM    12
#define EFAULT    14
#define EBUSY     16
#define EEXIST    17
#define ENODEV    19
#define EINVAL    22
#define ENOSPC    28
#define ERANGE    34
#define ENOSYS    38
#define EOPNOTSUPP 95
#define ETIMEDOUT 110
#endif

const char *strerror(int err);

#endif /* HV_ERRNO_H */
