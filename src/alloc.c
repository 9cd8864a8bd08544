/* alloc.c -- the library's single allocation path, with a fault-injection hook for tests.
 * The hook's counters are the one deliberate piece of mutable global state in src/: they are
 * atomic, touched only by tests, and cost one relaxed atomic operation per allocation. */
/* madvise() and MADV_HUGEPAGE are Linux extensions, declared by glibc for _DEFAULT_SOURCE. */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE
#endif
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#ifdef __linux__
#include <sys/mman.h>
#endif
#include "internal.h"

static atomic_long alloc_count;        /* allocations since the last fair__alloc_fail_after() */
static atomic_long alloc_fail_at = -1; /* fail allocations whose index is >= this; -1 = never */

static int should_fail(void)
{
    long k = atomic_fetch_add_explicit(&alloc_count, 1, memory_order_relaxed);
    long at = atomic_load_explicit(&alloc_fail_at, memory_order_relaxed);
    return at >= 0 && k >= at;
}

long fair__alloc_fail_after(long n)
{
    long made = atomic_exchange(&alloc_count, 0);
    atomic_store(&alloc_fail_at, n < 0 ? -1 : n);
    return made;
}

/* Large blocks (a ratio study's arrays of a million sales, read in random order by its sorts,
 * gathers and bootstrap) are advised to the kernel as candidates for transparent huge pages:
 * with 2 MiB pages their random reads miss the TLB far less (a third less CPU time for a
 * ratio study of a million sales). Only the block's whole 2 MiB pages are advised; the advice
 * changes no value, and where the kernel has no such pages (or another system) it is ignored.
 * The audit's streaming buffers stay below the threshold. */
#define HUGE_PAGE ((uintptr_t)2 << 20)
#define HUGE_MIN ((size_t)2 << 20)

static void *advise_huge(void *p, size_t n)
{
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    if (p && n >= HUGE_MIN) {
        uintptr_t a = ((uintptr_t)p + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
        uintptr_t e = ((uintptr_t)p + n) & ~(HUGE_PAGE - 1);
        if (e > a) (void)madvise((void *)a, e - a, MADV_HUGEPAGE);
    }
#else
    (void)n;
#endif
    return p;
}

void *fair__malloc(size_t n)
{
    if (should_fail()) return NULL;
    return advise_huge(malloc(n ? n : 1), n);
}

void *fair__calloc(size_t count, size_t size)
{
    if (should_fail()) return NULL;
    if (count && size && count > SIZE_MAX / size) return NULL;
    return advise_huge(calloc(count ? count : 1, size ? size : 1), count * size);
}

void *fair__realloc(void *p, size_t n)
{
    if (should_fail()) return NULL;
    return advise_huge(realloc(p, n ? n : 1), n);
}

void fair__free(void *p) { free(p); }

char *fair__strndup(const char *s, size_t n)
{
    char *d = fair__malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

char *fair__strdup(const char *s) { return fair__strndup(s, strlen(s)); }
