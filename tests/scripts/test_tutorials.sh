#!/usr/bin/env bash
# The tutorials run as written: every ```sh block of docs/tutorials/auditor.md and nightly.md
# is run in order (as bash -e -o pipefail, in a scratch folder that has the bundled datasets,
# docs/ and ./build/fairaudit), and each line of the ```text block that follows a block must
# appear in its output — except lines with an ellipsis (…) or a date, which vary.
# Usage (ctest): bash test_tutorials.sh FAIRAUDIT SRC_DIR BUILD_DIR. Skipped (77) without jq.
set -euo pipefail
bin=$(realpath "$1") src=$(realpath "$2")
command -v jq >/dev/null || { echo "SKIPPED: no jq (Debian package jq)"; exit 77; }
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
for t in auditor nightly; do
  mkdir -p "$w/$t/build"
  ln -s "$bin" "$w/$t/build/fairaudit"
  cp -r "$src/datasets" "$w/$t/datasets"
  ln -s "$src/docs" "$w/$t/docs"
  /usr/bin/python3 - "$src/docs/tutorials/$t.md" "$w/$t" <<'PY'
import re, subprocess, sys
text = open(sys.argv[1], encoding="utf-8").read()
blocks = re.findall(r"^```(\w+)\n(.*?)^```$", text, re.S | re.M)
ran = checked = 0
out = ""
for kind, body in blocks:
    if kind == "sh":
        r = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", body], cwd=sys.argv[2],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        out = r.stdout
        ran += 1
        if r.returncode != 0:
            print(f"{sys.argv[1]}: block {ran} exited {r.returncode}:\n{body}\n--- output:\n{out}")
            sys.exit(1)
    elif kind == "text":
        for line in body.splitlines():
            if "…" in line or re.search(r"\d{4}-\d\d-\d\d", line) or not line.strip():
                continue
            checked += 1
            if line not in out.splitlines():
                print(f"{sys.argv[1]}: expected line not in the output of block {ran}:\n  {line}\n--- output:\n{out}")
                sys.exit(1)
print(f"{sys.argv[1].split('/')[-1]}: {ran} command blocks ran, {checked} output lines as shown")
PY
done
