/* hash.c -- the group table: an open-addressing hash table (linear probing, at most half full)
 * from a group key's bytes to its confusion cells. Keys live back to back in one buffer, so a
 * table of a million groups costs a few allocations, not a million. */
#include <string.h>
#include "internal.h"

/* FNV-1a, 64-bit (Fowler, Noll, Vo); keys are short group labels. */
uint64_t fair__hash(const void *p, size_t n)
{
    const unsigned char *s = p;
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 0x100000001b3ULL;
    }
    return h ^ (h >> 29);
}

void fair__table_init(fair__table *t)
{
    memset(t, 0, sizeof *t);
    fair__buf_init(&t->keys);
}

void fair__table_init_scores(fair__table *t, const fair__shist_cfg *c)
{
    fair__table_init(t);
    t->with_scores = 1;
    t->shcfg = *c;
}

void fair__table_release(fair__table *t)
{
    for (size_t i = 0; t->hists && i < t->count; i++) fair__shist_release(&t->hists[i]);
    fair__free(t->hists);
    fair__free(t->slots);
    fair__free(t->key_off);
    fair__free(t->key_len);
    fair__free(t->key_hash);
    fair__free(t->cells);
    fair__buf_release(&t->keys);
    fair__table_init(t);
}

/* Doubles the slot array and re-inserts every entry. */
static fair_status grow_slots(fair__table *t)
{
    size_t cap = t->cap ? t->cap * 2 : 64, mask = cap - 1;
    fair__slot *s = fair__calloc(cap, sizeof *s);
    if (!s) return FAIR_ENOMEM;
    for (size_t i = 0; i < t->cap; i++) {
        if (!t->slots[i].idx) continue;
        size_t j = (size_t)t->slots[i].hash & mask;
        while (s[j].idx) j = (j + 1) & mask;
        s[j] = t->slots[i];
    }
    fair__free(t->slots);
    t->slots = s;
    t->cap = cap;
    return FAIR_OK;
}

/* Makes room for one more entry in the per-entry arrays. */
static fair_status grow_entries(fair__table *t)
{
    size_t cap = t->entries_cap ? t->entries_cap * 2 : 32;
    size_t *off = fair__realloc(t->key_off, cap * sizeof *off);
    if (!off) return FAIR_ENOMEM;
    t->key_off = off;
    size_t *len = fair__realloc(t->key_len, cap * sizeof *len);
    if (!len) return FAIR_ENOMEM;
    t->key_len = len;
    uint64_t *kh = fair__realloc(t->key_hash, cap * sizeof *kh);
    if (!kh) return FAIR_ENOMEM;
    t->key_hash = kh;
    fair__cell *c = fair__realloc(t->cells, cap * sizeof *c);
    if (!c) return FAIR_ENOMEM;
    t->cells = c;
    if (t->with_scores) {
        fair__shist *h = fair__realloc(t->hists, cap * sizeof *h);
        if (!h) return FAIR_ENOMEM;
        t->hists = h;
    }
    t->entries_cap = cap;
    return FAIR_OK;
}

fair_status fair__table_upsert(fair__table *t, const void *key, size_t len, uint64_t hash,
                               size_t *idx, int *is_new)
{
    size_t mask = t->cap - 1, j;
    for (j = (size_t)hash & mask; t->cap && t->slots[j].idx; j = (j + 1) & mask) {
        size_t e = t->slots[j].idx - 1;
        if (t->slots[j].hash == hash && t->key_len[e] == len &&
            fair__key_eq(t->keys.data + t->key_off[e], key, len)) {
            *idx = e;
            *is_new = 0;
            return FAIR_OK;
        }
    }
    /* A new key: keep the slots at most half full, then find its empty slot again. */
    if (t->count * 2 >= t->cap) {
        FAIR__FORWARD(grow_slots(t));
        mask = t->cap - 1;
        for (j = (size_t)hash & mask; t->slots[j].idx; j = (j + 1) & mask) continue;
    }
    if (t->count == t->entries_cap) FAIR__FORWARD(grow_entries(t));
    FAIR__FORWARD(fair__buf_reserve(&t->keys, len));
    t->key_off[t->count] = t->keys.len;
    t->key_len[t->count] = len;
    t->key_hash[t->count] = hash;
    fair__buf_append(&t->keys, key, len); /* cannot fail: reserved */
    memset(&t->cells[t->count], 0, sizeof t->cells[0]);
    if (t->with_scores) fair__shist_init(&t->hists[t->count]);
    t->slots[j].hash = hash;
    t->slots[j].idx = t->count + 1;
    *idx = t->count++;
    *is_new = 1;
    return FAIR_OK;
}

void fair__table_flush_scores(fair__table *t)
{
    for (size_t i = 0; t->with_scores && i < t->count; i++) fair__shist_flush(&t->hists[i]);
}

fair_status fair__table_merge(fair__table *dst, const fair__table *src)
{
    for (size_t i = 0; i < src->count; i++) {
        size_t len, idx;
        int is_new;
        const char *key = fair__table_key(src, i, &len);
        FAIR__FORWARD(fair__table_upsert(dst, key, len, src->key_hash[i], &idx, &is_new));
        for (size_t k = 0; k < 4; k++) dst->cells[idx].n[k] += src->cells[i].n[k];
        if (dst->with_scores && src->with_scores)
            FAIR__FORWARD(fair__shist_merge(&dst->hists[idx], &src->hists[i], &dst->shcfg));
    }
    return FAIR_OK;
}
