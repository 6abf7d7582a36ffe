/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Basic types for perfvisor. The hypervisor is freestanding C11: only the
 * compiler-provided headers (stdint, stddef, stdbool) are used, so the same
 * sources also build as host unit tests.
 */
#ifndef HV_TYPES_H
#define HV_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Inside the hypervisor every symbol is hidden: the image is a PIC shared
 * object only so that the UEFI loader can place it, and hidden symbols are
 * reached PC-relative instead of through the GOT.
 */
#ifdef __PERFVISOR__
#pragma GCC visibility push(hidden)
#endif

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

/* Guest-physical and host-physical addresses are kept apart by name. */
typedef u64 gpa_t;
typedef u64 hpa_t;

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define BIT(n)        (1ULL << (n))
#define KiB           (1ULL << 10)
#define MiB           (1ULL << 20)
#define GiB           (1ULL << 30)
#define PAGE_SIZE     4096ULL
#define PAGE_SHIFT    12

#define ALIGN_UP(x, a)   (((x) + ((a) - 1)) & ~((u64)(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((u64)(a) - 1))
#define IS_ALIGNED(x, a) (((x) & ((u64)(a) - 1)) == 0)
#define MIN(a, b)        ((a) < (b) ? (a) : (b))
#define MAX(a, b)        ((a) > (b) ? (a) : (b))

#define __packed      __attribute__((packed))
#define __aligned(n)  __attribute__((aligned(n)))
#define __noreturn    __attribute__((noreturn))
#define __unused      __attribute__((unused))
#define __noinline    __attribute__((noinline))
#define __printf(a, b) __attribute__((format(printf, a, b)))
#define likely(x)     __builtin_expect(!!(x), 1)
#define unlikely(x)   __builtin_expect(!!(x), 0)

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

#define BUILD_BUG_ON(cond) _Static_assert(!(cond), #cond)

#endif /* HV_TYPES_H */
