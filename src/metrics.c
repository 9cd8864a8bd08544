/* metrics.c -- the per-group classification rates of docs/metrics.md, from confusion counts.
 * A rate whose denominator is zero is "not defined", with the reason; never NaN, never 0. */
#include <string.h>
#include "internal.h"

static const char *const metric_names[FAIR_METRIC_COUNT] = {
#define X(id, name) #name,
    FAIR_METRIC_MAP(X)
#undef X
};

const char *fair_metric_name(fair_metric_id m)
{
    return (unsigned)m < FAIR_METRIC_COUNT ? metric_names[m] : "unknown";
}

int fair_metric_from_name(const char *name, fair_metric_id *m)
{
    for (size_t i = 0; i < FAIR_METRIC_COUNT; i++) {
        if (strcmp(name, metric_names[i]) == 0) {
            *m = (fair_metric_id)i;
            return 1;
        }
    }
    return 0;
}

int fair_metric_is_proportion(fair_metric_id m)
{
    return (unsigned)m < FAIR_METRIC_COUNT && m != FAIR_METRIC_BALANCED_ACCURACY &&
           m != FAIR_METRIC_F1;
}

/* Sets `v` to num/den, or to "not defined" with `why` when den == 0. */
static void proportion(fair_metric_value *v, uint64_t num, uint64_t den, const char *why)
{
    v->num = num;
    v->den = den;
    if (den == 0) {
        v->defined = 0;
        v->value = 0.0;
        v->reason = why;
    } else {
        v->defined = 1;
        v->value = (double)num / (double)den;
        v->reason = NULL;
    }
}

void fair_metrics_compute(const fair_counts *c, fair_metric_value out[FAIR_METRIC_COUNT])
{
    const uint64_t pos = c->tp + c->fn;   /* actual positives */
    const uint64_t neg = c->fp + c->tn;   /* actual negatives */
    const uint64_t sel = c->tp + c->fp;   /* selected (predicted positive) */
    const uint64_t unsel = c->tn + c->fn; /* not selected */
    const uint64_t n = pos + neg;
    static const char no_rows[] = "group has no rows";
    static const char no_pos[] = "no actual positives (tp + fn = 0)";
    static const char no_neg[] = "no actual negatives (fp + tn = 0)";
    static const char no_sel[] = "no one selected (tp + fp = 0)";
    static const char no_unsel[] = "everyone selected (tn + fn = 0)";
    fair_metric_value *ba = &out[FAIR_METRIC_BALANCED_ACCURACY], *f1 = &out[FAIR_METRIC_F1];

    memset(out, 0, sizeof(fair_metric_value) * FAIR_METRIC_COUNT);
    proportion(&out[FAIR_METRIC_BASE_RATE], pos, n, no_rows);
    proportion(&out[FAIR_METRIC_SELECTION_RATE], sel, n, no_rows);
    proportion(&out[FAIR_METRIC_TPR], c->tp, pos, no_pos);
    proportion(&out[FAIR_METRIC_FPR], c->fp, neg, no_neg);
    proportion(&out[FAIR_METRIC_FNR], c->fn, pos, no_pos);
    proportion(&out[FAIR_METRIC_TNR], c->tn, neg, no_neg);
    proportion(&out[FAIR_METRIC_PPV], c->tp, sel, no_sel);
    proportion(&out[FAIR_METRIC_NPV], c->tn, unsel, no_unsel);
    proportion(&out[FAIR_METRIC_FDR], c->fp, sel, no_sel);
    proportion(&out[FAIR_METRIC_FOR], c->fn, unsel, no_unsel);
    proportion(&out[FAIR_METRIC_ACCURACY], c->tp + c->tn, n, no_rows);

    /* Balanced accuracy = (TPR + TNR) / 2 (Brodersen et al. 2010); needs both classes. */
    if (pos == 0 || neg == 0) {
        ba->reason = pos == 0 ? no_pos : no_neg;
    } else {
        ba->defined = 1;
        ba->value = 0.5 * ((double)c->tp / (double)pos + (double)c->tn / (double)neg);
    }
    /* F1 = 2TP / (2TP + FP + FN), the harmonic mean of PPV and TPR (van Rijsbergen 1979);
     * not defined when there are no true positives, no false positives and no false negatives. */
    if (2 * c->tp + c->fp + c->fn == 0) {
        f1->reason = "no positives and no one selected (2tp + fp + fn = 0)";
    } else {
        f1->defined = 1;
        f1->value = (double)(2 * c->tp) / (double)(2 * c->tp + c->fp + c->fn);
    }
}
