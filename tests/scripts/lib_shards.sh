# Sourced by tests/scripts/test_partial.sh and test_mpi.sh: test data, and shards of it.

# make_data FAIRAUDIT ROWS EVERY: data.csv, `fairaudit gen benefits` rows with a last column
# "note": a quoted field with a line break and doubled quotes every EVERY'th record (0 = none),
# a quoted delimiter every 89th, else plain text.
make_data() {
  "$1" gen benefits --rows "$2" --seed 11 -o gen.csv
  awk -v every="$3" 'NR == 1 { print $0 ",note"; next }
     every > 0 && (NR % every) == 0 { print $0 ",\"two\nlines, \"\"quoted\"\"\""; next }
     (NR % 89) == 0 { print $0 ",\"a,b\""; next }
     { print $0 ",plain" }' gen.csv >data.csv
}

# Cuts data.csv into $1 shards at record boundaries: a record ends at a line end outside
# quotes. Cut k (of n-1) falls after the first record boundary at or after the line
# (h(k) mod L) + 1, so shards have uneven, arbitrary sizes; shard 1 holds the header.
split_file() { # n prefix with_header
  awk -v n="$1" -v prefix="$2" -v hdr="$3" '
    { lines[NR] = $0 }
    END {
      L = NR; m = 0
      for (k = 1; k < n; k++) cut[k] = 2 + (k * 7919 * 104729 + 31) % (L - 2)
      # sort the cut lines
      for (i = 1; i < n; i++) for (j = i + 1; j < n; j++) if (cut[j] < cut[i]) { t = cut[i]; cut[i] = cut[j]; cut[j] = t }
      s = 1; k = 1; q = 0; out = prefix s ".csv"
      for (i = 1; i <= L; i++) {
        print lines[i] > out
        q += gsub(/"/, "\"", lines[i])
        if (q % 2 == 0 && i > 1 && k < n && i >= cut[k]) {
          close(out); s++; out = prefix s ".csv"; k++
          while (k < n && cut[k] <= i) k++
          if (hdr) print lines[1] > out
        }
      }
      close(out)
      while (s < n) { s++; printf "" > (prefix s ".csv"); close(prefix s ".csv") }
    }' data.csv
}


# The "results" part of a JSON report (cut before "run"); without results.input.shards; without
# results.input.
results() { sed '/^  "run": {/,$d' "$1"; }
# The results without results.input.shards (and the comma it leaves on the line before it) and
# without results.input.sha256 (one input has it; merged states of several list theirs in shards).
no_shards() {
  results "$1" | grep -v '^      "sha256": ' |
    awk '/^      "shards": \[/ { skip = 1; sub(/,$/, "", prev); next }
    skip && /^      \]$/ { skip = 0; next } skip { next }
    NR > 1 { print prev } { prev = $0 } END { print prev }'
}
# The results without results.input.
no_input() {
  results "$1" | awk '/^    "input": \{/ { skip = 1; next } skip && /^    \},$/ { skip = 0; next }
    skip { next } { print }'
}

