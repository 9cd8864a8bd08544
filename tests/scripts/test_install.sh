#!/usr/bin/env bash
# Installs the library into a scratch prefix with `cmake --install`, then builds a small C
# program against it through pkg-config and runs it on the bundled demo data.
set -euo pipefail
bin=$1 src=$2 build=$3
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" >/dev/null
test -x "$prefix/bin/fairaudit"
test -f "$prefix/include/fairaudit/fairaudit.h"
pcdir=$(dirname "$(find "$prefix" -name fairaudit.pc | head -n1)")
cat >"$prefix/use.c" <<'C'
#include <fairaudit/fairaudit.h>
#include <stdio.h>
int main(int argc, char **argv)
{
    const char *groups[] = {"nationality"};
    fair_audit_options o;
    fair_audit *a;
    fair_error err;
    (void)argc;
    if (fair_version_number() != FAIR_VERSION_NUMBER) return 1;
    fair_audit_options_init(&o);
    o.group_cols = groups;
    o.n_group_cols = 1;
    o.label_col = "label";
    o.pred_col = "pred";
    if (fair_audit_run(argv[1], &o, &a, &err) != FAIR_OK) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    printf("%s %zu groups, %llu rows\n", fair_audit_attribute_name(a, 0), fair_audit_n_groups(a, 0),
           (unsigned long long)fair_audit_rows_used(a));
    fair_audit_free(a);
    return 0;
}
C
# A static library: its own dependencies come from the private requirements in the .pc file.
# A sanitizer build's library needs the sanitizer runtime in the program too.
extra=()
if grep -q '^FAIR_SANITIZE:BOOL=ON' "$build/CMakeCache.txt" 2>/dev/null; then
  extra=(-fsanitize=address,undefined)
fi
cc "${extra[@]}" -std=c17 -o "$prefix/use" "$prefix/use.c" $(PKG_CONFIG_PATH="$pcdir" pkg-config --define-variable=prefix="$prefix" --cflags --libs --static fairaudit)
out=$("$prefix/use" "$src/datasets/benefits_demo.csv")
echo "installed library: $out"
[ "$out" = "nationality 3 groups, 20000 rows" ]
"$prefix/bin/fairaudit" --version
