#!/usr/bin/env bash
# I/O faults while writing reports (docs/security.md): each must give a clear message naming the
# file, exit code 4, and leave a report written earlier byte for byte as it was, with no
# temporary file behind (reports are written to a temporary file and renamed, docs/design.md).
#   1. an output folder the user may not write to (as root: the write runs as 'nobody' through
#      setpriv, since root may write anywhere; skipped with a note when that is not possible)
#   2. an output folder that does not exist
#   3. a full disk, as a file-size limit (ulimit -f in a subshell: the program ignores SIGXFSZ,
#      so the write fails with EFBIG instead of the process dying with the temporary file left)
#   4. a full disk, as a small tmpfs filled up (skipped with a note where mount is not allowed)
#   5. standard output on a full device (/dev/full)
#   6. a reader that closes standard output early (| head -c 10), with a -o file report that must
#      still be complete
# Usage (ctest): bash test_io_faults.sh FAIRAUDIT SRC_DIR BUILD_DIR. Exit 77 = skipped.
set -uo pipefail
bin=$(realpath "$1")
work=$(mktemp -d)
mnt=""
cleanup() {
  if [ -n "$mnt" ]; then umount "$mnt" 2>/dev/null; fi
  chmod -R u+rwX "$work" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
cd "$work" || exit 1
export SOURCE_DATE_EPOCH=1700000000 NO_COLOR=1 # identical reports for identical runs

failures=0
fail() {
  echo "test_io_faults: FAIL: $*"
  failures=$((failures + 1))
}
note() { echo "test_io_faults: $*"; }
# A case begins with begin and ends with done_case NAME, which says ok when it added no failure.
begin() { before=$failures; }
done_case() { if [ $failures -eq "$before" ]; then note "$1: ok"; fi; }

# expect NAME RC STDERR-FILE PATTERN: exit code and message of a failed write.
expect() {
  if [ "$2" != 4 ]; then fail "$1: exit code $2, expected 4"; fi
  if ! grep -q -- "$4" "$3"; then fail "$1: message $(tr '\n' ' ' <"$3"), expected '$4'"; fi
}
# intact NAME FILE COPY: the report is byte for byte the earlier one, and no temporary is left.
intact() {
  if ! cmp -s "$2" "$3"; then fail "$1: $2 was changed by the failed write"; fi
  local left
  left=$(ls -d "$2".tmp.* 2>/dev/null)
  if [ -n "$left" ]; then fail "$1: temporary file left behind: $left"; fi
}

# Three groups: a JSON report of about 40 KB, far above the 1 KiB file-size limit below.
awk 'BEGIN { print "group,label,pred"
  for (i = 0; i < 600; i++) print "g" i % 3 "," i % 3 % 2 "," i % 5 % 2 }' >data.csv
# 300 groups: a report of megabytes, far more than a pipe holds, for the reader that goes away.
awk 'BEGIN { print "group,label,pred"
  for (i = 0; i < 6000; i++) print "g" i % 300 "," i % 3 % 2 "," i % 5 % 2 }' >many.csv
args=(data.csv --group group --label label --pred pred --bootstrap 0)

# A good report first, as every case below overwrites one.
good() { # FILE
  mkdir -p "$(dirname "$1")"
  "$bin" audit "${args[@]}" -o "$1" 2>err.txt || { fail "writing the first report $1: $(cat err.txt)"; return 1; }
  cp "$1" "$1.good"
}

# 1. An output folder the user may not write to.
begin
good ro/report.json
chmod 555 ro
if [ "$(id -u)" != 0 ]; then
  "$bin" audit "${args[@]}" -o ro/report.json 2>err.txt
  rc=$?
  expect "unwritable folder" $rc err.txt "cannot write 'ro/report.json': Permission denied"
  intact "unwritable folder" ro/report.json ro/report.json.good
  done_case "unwritable folder"
elif command -v setpriv >/dev/null && chmod 755 "$work" && chmod 644 data.csv &&
  setpriv --reuid=65534 --regid=65534 --clear-groups "$bin" --version >/dev/null 2>&1; then
  setpriv --reuid=65534 --regid=65534 --clear-groups "$bin" audit "${args[@]}" -o ro/report.json 2>err.txt
  rc=$?
  expect "unwritable folder (as nobody)" $rc err.txt "cannot write 'ro/report.json': Permission denied"
  intact "unwritable folder (as nobody)" ro/report.json ro/report.json.good
  done_case "unwritable folder (written as nobody)"
else
  note "unwritable folder: not checked (running as root, and cannot run the program as nobody)"
fi
chmod 755 ro

# 2. An output folder that does not exist.
begin
"$bin" audit "${args[@]}" -o missing/report.json 2>err.txt
rc=$?
expect "missing folder" $rc err.txt "cannot write 'missing/report.json': No such file or directory"
if [ -e missing ]; then fail "missing folder: it was created"; fi
done_case "missing folder"

# 3. A full disk as a file-size limit of 1 KiB, for a JSON and a text report.
begin
for f in full/report.json full/report.txt; do
  good "$f"
  (ulimit -f 1 && exec "$bin" audit "${args[@]}" -o "$f") 2>err.txt
  rc=$?
  if [ $rc -gt 128 ]; then
    fail "file-size limit ($f): killed by signal $((rc - 128)) (SIGXFSZ is 25 on Linux)"
  else
    expect "file-size limit ($f)" $rc err.txt "cannot write '$f': File too large"
  fi
  intact "file-size limit ($f)" "$f" "$f.good"
done
done_case "file-size limit (ulimit -f 1)"

# 4. A full disk as a tmpfs of 256 KiB: a first report fits, then a filler takes the rest.
begin
mkdir tmpfs
if [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=256k fairaudit-test "$work/tmpfs" 2>/dev/null; then
  mnt="$work/tmpfs"
  "$bin" audit "${args[@]}" -o tmpfs/report.json 2>err.txt || fail "tmpfs: first report: $(cat err.txt)"
  cp tmpfs/report.json report.json.good
  dd if=/dev/zero of=tmpfs/filler bs=4k 2>/dev/null # until the disk is full
  "$bin" audit "${args[@]}" -o tmpfs/report.json 2>err.txt
  rc=$?
  expect "full tmpfs" $rc err.txt "cannot write 'tmpfs/report.json': No space left on device"
  intact "full tmpfs" tmpfs/report.json report.json.good
  done_case "full tmpfs"
else
  note "full tmpfs: not checked (mount is not allowed here); the file-size limit above and" \
    "/dev/full below cover a full disk"
fi

# 5. Standard output on a full device.
begin
"$bin" audit "${args[@]}" --format json >/dev/full 2>err.txt
rc=$?
expect "/dev/full" $rc err.txt "cannot write to standard output: No space left on device"
done_case "standard output on /dev/full"

# 6. A reader that closes early; the -o report beside it must be complete and the same as one
#    written without the pipe (same command line, fixed time).
begin
mkdir pipe
pargs=(many.csv --group group --label label --pred pred --bootstrap 0 --format json -o pipe/report.json)
"$bin" audit "${pargs[@]}" >/dev/null 2>err.txt || fail "pipe: reference run: $(cat err.txt)"
mv pipe/report.json pipe/report.json.good
"$bin" audit "${pargs[@]}" 2>err.txt | head -c 10 >/dev/null
rc=${PIPESTATUS[0]}
expect "reader closes early" "$rc" err.txt "cannot write to standard output: Broken pipe"
intact "reader closes early (the -o report)" pipe/report.json pipe/report.json.good
done_case "reader that closes early"

if [ $failures -ne 0 ]; then
  echo "test_io_faults: $failures failure(s)"
  exit 1
fi
echo "test_io_faults: every fault gave a clear message and exit code 4, and left the earlier report intact"
