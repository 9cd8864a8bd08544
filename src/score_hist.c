/* score_hist.c -- per-group score histograms: distinct score values and their counts by
 * (label, prediction), in an open-addressing table keyed on the value's bits. Rows are counted,
 * never stored, so memory grows with distinct scores, not rows; past a limit of distinct values
 * the scores are rounded to a fixed grid (docs/metrics.md states the bound this puts on each
 * score metric). The ingest counts a row of a known score in that score's slot (internal.h,
 * fair__shist_add), where the counts stay pending until a flush. */
#include <math.h>
#include <stdint.h>
#include <string.h>
#include "internal.h"

void fair__shist_init(fair__shist *h) { memset(h, 0, sizeof *h); }

void fair__shist_release(fair__shist *h)
{
    fair__free(h->s);
    fair__free(h->n);
    fair__free(h->slot_mem);
    fair__shist_init(h);
}

void fair__shist_flush(fair__shist *h)
{
    for (size_t j = 0; j < h->scap; j++) {
        fair__shist_slot *sl = &h->slots[j];
        if (!sl->e) continue;
        for (size_t c = 0; c < 4; c++) h->n[sl->e - 1][c] += sl->pend[c];
        memset(sl->pend, 0, sizeof sl->pend);
    }
}

/* New slots for the entries (none pending: the caller has flushed), scap of them. The slots
 * are 32 bytes and put on a 32-byte boundary inside one more than asked for, so that no slot
 * straddles two cache lines (fair__calloc gives at least 16-byte alignment, as malloc does). */
static fair_status rebuild_slots(fair__shist *h, size_t scap)
{
    _Static_assert(sizeof(fair__shist_slot) == 32 || sizeof(size_t) != 8,
                   "a slot is 32 bytes on 64-bit targets");
    const size_t align = sizeof(fair__shist_slot);
    void *mem = fair__calloc(scap + 1, sizeof(fair__shist_slot));
    fair__shist_slot *slots;
    size_t mask = scap - 1;
    if (!mem) return FAIR_ENOMEM;
    slots = (fair__shist_slot *)((char *)mem + (align - (uintptr_t)mem % align) % align);
    for (size_t i = 0; i < h->count; i++) {
        uint64_t b = fair__shist_bits(h->s[i]);
        size_t j = fair__shist_slot_of(b, mask);
        while (slots[j].e) j = (j + 1) & mask;
        slots[j].bits = b;
        slots[j].e = i + 1;
    }
    fair__free(h->slot_mem);
    h->slot_mem = mem;
    h->slots = slots;
    h->scap = scap;
    return FAIR_OK;
}

/* The grid value of s: lo + round((s - lo) / (hi - lo) * G) * (hi - lo) / G, kept inside
 * [lo, hi]: with a range such as [0.3, 0.9], lo + G * (w / G) rounds to just above hi, which the
 * score metrics would refuse as out of range. Found by tests/fuzz/fuzz_state. */
static double on_grid(double s, const fair__shist_cfg *c)
{
    double w = c->hi - c->lo, g;
    if (!(w > 0)) return s;
    g = c->lo + nearbyint((s - c->lo) / w * FAIR__SCORE_GRID) * (w / FAIR__SCORE_GRID);
    return g > c->hi ? c->hi : g < c->lo ? c->lo : g;
}

/* Adds k rows without looking at the limit, into n (a value seen before keeps what its slot
 * holds pending). */
static fair_status add_raw(fair__shist *h, double s, const uint64_t k[4])
{
    size_t mask, j;
    uint64_t b = fair__shist_bits(s);
    if ((h->count + 1) * 2 > h->scap) {
        fair__shist_flush(h);
        FAIR__FORWARD(rebuild_slots(h, h->scap ? h->scap * 2 : 64));
    }
    mask = h->scap - 1;
    for (j = fair__shist_slot_of(b, mask); h->slots[j].e; j = (j + 1) & mask) {
        if (h->slots[j].bits == b) {
            size_t e = h->slots[j].e - 1;
            for (size_t i = 0; i < 4; i++) h->n[e][i] += k[i];
            return FAIR_OK;
        }
    }
    if (h->count == h->cap) {
        size_t cap = h->cap ? h->cap * 2 : 16;
        double *ns = fair__realloc(h->s, cap * sizeof *ns);
        if (!ns) return FAIR_ENOMEM;
        h->s = ns;
        uint64_t (*nn)[4] = fair__realloc(h->n, cap * sizeof *nn);
        if (!nn) return FAIR_ENOMEM;
        h->n = nn;
        h->cap = cap;
    }
    h->s[h->count] = s + 0.0;
    memcpy(h->n[h->count], k, sizeof h->n[0]);
    h->slots[j].bits = b;
    h->slots[j].e = ++h->count;
    return FAIR_OK;
}

/* Rounds every entry to the grid, merging those that meet (flushing first). */
static fair_status quantize(fair__shist *h, const fair__shist_cfg *c)
{
    fair__shist q;
    fair_status st = FAIR_OK;
    fair__shist_flush(h);
    fair__shist_init(&q);
    q.quantized = 1;
    for (size_t i = 0; i < h->count && st == FAIR_OK; i++) st = add_raw(&q, on_grid(h->s[i], c), h->n[i]);
    if (st != FAIR_OK) {
        fair__shist_release(&q);
        return st;
    }
    fair__shist_release(h);
    *h = q;
    return FAIR_OK;
}

fair_status fair__shist_add_new(fair__shist *h, double s, size_t cell, uint64_t k,
                                const fair__shist_cfg *c)
{
    uint64_t add[4] = {0, 0, 0, 0};
    add[cell & 3] = k;
    FAIR__FORWARD(add_raw(h, h->quantized ? on_grid(s, c) : s, add));
    if (!h->quantized && h->count > c->limit) FAIR__FORWARD(quantize(h, c));
    return FAIR_OK;
}

fair_status fair__shist_merge(fair__shist *dst, const fair__shist *src, const fair__shist_cfg *c)
{
    if (src->quantized && !dst->quantized) FAIR__FORWARD(quantize(dst, c));
    for (size_t i = 0; i < src->count; i++)
        FAIR__FORWARD(add_raw(dst, dst->quantized ? on_grid(src->s[i], c) : src->s[i], src->n[i]));
    if (!dst->quantized && dst->count > c->limit) FAIR__FORWARD(quantize(dst, c));
    return FAIR_OK;
}

fair_status fair__shist_sort(fair__shist *h)
{
    /* Insertion into an index array by score, then permute: a merge sort over indices. */
    size_t n = h->count, *idx, *tmp;
    double *s;
    uint64_t (*c)[4];
    fair__shist_flush(h);
    if (n < 2) return FAIR_OK;
    idx = fair__malloc(n * sizeof *idx);
    tmp = fair__malloc(n * sizeof *tmp);
    s = fair__malloc(n * sizeof *s);
    c = fair__malloc(n * sizeof *c);
    if (!idx || !tmp || !s || !c) {
        fair__free(idx), fair__free(tmp), fair__free(s), fair__free(c);
        return FAIR_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) idx[i] = i;
    for (size_t width = 1; width < n; width *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * width) {
            size_t mid = lo + width < n ? lo + width : n, hi = lo + 2 * width < n ? lo + 2 * width : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi) tmp[k++] = h->s[idx[j]] < h->s[idx[i]] ? idx[j++] : idx[i++];
            while (i < mid) tmp[k++] = idx[i++];
            while (j < hi) tmp[k++] = idx[j++];
        }
        memcpy(idx, tmp, n * sizeof *idx);
    }
    for (size_t i = 0; i < n; i++) {
        s[i] = h->s[idx[i]];
        memcpy(c[i], h->n[idx[i]], sizeof c[i]);
    }
    fair__free(h->s);
    fair__free(h->n);
    h->s = s;
    h->n = c;
    h->cap = n;
    fair__free(idx);
    fair__free(tmp);
    return rebuild_slots(h, h->scap ? h->scap : 64);
}
