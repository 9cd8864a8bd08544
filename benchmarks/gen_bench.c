/* gen_bench.c -- writes the deterministic CSV that benchmarks/bench.sh times fairaudit on.
 *
 * Columns: id,group,label,pred,score. The id is the row number, zero-padded to 8 digits so
 * every file has the same bytes per row (27 on average); group is one of five short names;
 * score has three decimals; pred = score >= 0.5, label ~ Bernoulli(score), and the group
 * "moroccan" gets its score nudged up, so the metrics have something to find. The same
 * (rows, seed) always gives the same bytes. Usage: gen_bench ROWS [SEED] > FILE */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* SplitMix64 (Steele, Lea & Flood 2014): small, fast and good enough for test data. */
static uint64_t splitmix64(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

int main(int argc, char **argv)
{
    static const char *const groups[] = {"dutch", "turkish", "moroccan", "surinamese", "other"};
    static char out[1 << 16];
    unsigned long long rows, seed = 42;
    uint64_t s;
    char *end;
    size_t n = 0;

    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: gen_bench ROWS [SEED] > FILE\n");
        return 2;
    }
    errno = 0;
    rows = strtoull(argv[1], &end, 10);
    if (errno || *end || rows == 0 || rows > 99999999ULL) {
        fprintf(stderr, "gen_bench: ROWS must be 1..99999999\n");
        return 2;
    }
    if (argc == 3) {
        seed = strtoull(argv[2], &end, 10);
        if (errno || *end) {
            fprintf(stderr, "gen_bench: bad SEED\n");
            return 2;
        }
    }
    s = seed;
    fputs("id,group,label,pred,score\n", stdout);
    for (unsigned long long i = 1; i <= rows; i++) {
        uint64_t r = splitmix64(&s);
        unsigned g = (unsigned)(r % 5);
        unsigned score = (unsigned)((r >> 8) % 1000); /* thousandths */
        unsigned u = (unsigned)((r >> 32) % 1000);
        if (g == 2 && score < 900) score += 100;     /* the planted difference */
        int pred = score >= 500, label = u < score;
        if (sizeof out - n < 64) {
            if (fwrite(out, 1, n, stdout) != n) return 1;
            n = 0;
        }
        n += (size_t)snprintf(out + n, sizeof out - n, "%08llu,%s,%d,%d,0.%03u\n", i, groups[g],
                              label, pred, score);
    }
    if (fwrite(out, 1, n, stdout) != n || fflush(stdout) != 0) {
        perror("gen_bench");
        return 1;
    }
    return 0;
}
