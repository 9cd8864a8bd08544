/* alloc.c -- the library's single allocation path, with a fault-injection hook for tests.
 * The hook's counters are the one deliberate piece of mutable global state in src/: they are
 * atomic, touched only by tests, and cost one relaxed atomic operation per allocation. */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
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

void *fair__malloc(size_t n)
{
    if (should_fail()) return NULL;
    return malloc(n ? n : 1);
}

void *fair__calloc(size_t count, size_t size)
{
    if (should_fail()) return NULL;
    return calloc(count ? count : 1, size ? size : 1);
}

void *fair__realloc(void *p, size_t n)
{
    if (should_fail()) return NULL;
    return realloc(p, n ? n : 1);
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
