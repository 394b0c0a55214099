#!/bin/sh
# memory-ulimit.sh - under a limit on its address space (ulimit -v), a
# runaway loop in the transformer stops with a memory error, the session
# answers the next form, and tvl is not aborted by a failed malloc.
set -u
: "${TVL:?TVL must name the tvl program}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tvl-mem.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
TVL_HISTFILE=$tmp/history
export TVL_HISTFILE

# AddressSanitizer reserves terabytes of address space: no ulimit -v.
if grep -q __asan_init "$TVL" 2>/dev/null; then
  echo "1..0 # SKIP built with AddressSanitizer"
  exit 0
fi
if [ ! -r /proc/self/status ]; then
  echo "1..0 # SKIP no /proc"
  exit 0
fi

# What tvl maps when idle, then its 1 GB evaluation stack and 100 MB more
# for the runaway loop, which makes a vector at every turn (a run keeps
# what it writes, not its tokens).
mkfifo "$tmp/in"
"$TVL" < "$tmp/in" > "$tmp/first" 2>&1 &
pid=$!
exec 3> "$tmp/in"
printf '(+ 1 2)\n' >&3
i=0
while ! grep -q 3 "$tmp/first" && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
base=$(awk '/^VmSize:/ { print $2 }' "/proc/$pid/status")
exec 3>&-
wait "$pid"
limit=$((base + 1048576 + 100000))

printf '%s\n' '(define (f n) (make-vector 1000 n) (if (= n -1) n (f (+ n 1))))' \
  '(f 0)' '(+ 1 2)' \
  > "$tmp/script"
(ulimit -v "$limit" && exec "$TVL" --transformer < "$tmp/script") > "$tmp/out" 2>&1
status=$?

n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $*"; sed 's/^/# /' "$tmp/out" | head -20; }
echo "# address space of an idle tvl: $base kB; ulimit -v $limit"
if [ "$status" -lt 128 ]; then ok "tvl was not aborted (status $status)"
else not_ok "tvl was not aborted (status $status)"; fi
if grep -q "memory limit reached" "$tmp/out"; then ok "the runaway loop stopped with a memory error"
else not_ok "the runaway loop stopped with a memory error"; fi
if grep -qx "3" "$tmp/out"; then ok "the session answers after it"
else not_ok "the session answers after it"; fi
echo "1..$n"
