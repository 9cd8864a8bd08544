# ratio_assessr.R -- prints assessr's point statistics of a sales file, one "name value" line
# each, with 17 significant digits, for tests/reference/ratio_assessr.sh to compare with
# fairaudit's. Usage: Rscript ratio_assessr.R FILE ASSESSED_COL SALE_COL [LIBDIR]
# KI and MKI rank the sales by sale price; assessr keeps the input order among equal prices,
# fairaudit breaks such ties by the assessed value, so the sales are put in that order first
# (no other statistic depends on the order).
args <- commandArgs(trailingOnly = TRUE)
if (length(args) >= 4) .libPaths(c(args[4], .libPaths()))
suppressPackageStartupMessages(library(assessr))
d <- read.csv(args[1])
a <- as.numeric(d[[args[2]]])
s <- as.numeric(d[[args[3]]])
o <- order(s, a)
a <- a[o]
s <- s[o]
r <- a / s
out <- c(
  median_ratio = median(r),
  mean_ratio = mean(r),
  weighted_mean_ratio = sum(a) / sum(s),
  cod = cod(r),
  prd = prd(a, s),
  prb = prb(a, s),
  prb_ci_low = prb_ci(a, s, alpha = 0.05)[[1]],
  prb_ci_high = prb_ci(a, s, alpha = 0.05)[[2]],
  ki = ki(a, s),
  mki = mki(a, s)
)
for (k in names(out)) cat(k, sprintf("%.17g", out[[k]]), "\n")
