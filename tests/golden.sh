#!/bin/sh
# golden.sh - golden REPL transcripts, one TAP test per tests/golden/*.tvltest.
#
# In a transcript, "> TEXT" (or a bare ">") is a line fed to tvl on stdin,
# ";;;" starts a comment, and every other line is expected output.  An
# optional first line ";;; args: ..." gives extra arguments.  tvl runs in
# tests/golden (so that :load finds its files by relative name) with
# stdout and stderr merged, and its output must match exactly (times
# written "N ms").
set -u
: "${TVL:?TVL must name the tvl program}" "${top_srcdir:?}"
dir=$top_srcdir/tests/golden
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tvl-golden.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
# A test must not pick up the user's history or terminal.
TVL_HISTFILE=$tmp/history
export TVL_HISTFILE

set -- "$dir"/*.tvltest
if [ ! -e "$1" ]; then
  echo "1..0 # SKIP no transcripts in $dir"
  exit 0
fi
echo "1..$#"
n=0
for t; do
  n=$((n + 1))
  name=$(basename "$t" .tvltest)
  args=$(sed -n '1s/^;;; args:[ ]*//p' "$t")
  # these transcripts pin the language: the reference evaluator runs them
  # unless a file asks for another mode
  case " $args " in
  *" --transformer "*|*" --check "*|*" --reference "*) ;;
  *) args="--reference $args" ;;
  esac
  : > "$tmp/in"
  : > "$tmp/expected"
  awk -v inf="$tmp/in" -v expf="$tmp/expected" '
    NR == 1 && /^;;; args:/ { next }
    /^> / { print substr($0, 3) > inf; next }
    /^>$/ { print "" > inf; next }
    /^;;;/ { next }
    { print > expf }' "$t"
  set -f
  # shellcheck disable=SC2086 # the header's words are separate arguments
  (cd "$dir" && exec "$TVL" $args < "$tmp/in" > "$tmp/raw" 2>&1)
  status=$?
  set +f
  # compile times vary from run to run: a transcript writes them as "N ms"
  # and :help names the man page by where tvl runs from
  sed -E 's/[0-9]+(\.[0-9]+)? ms/N ms/g; s/ as man [^ ]+ does/ as man PAGE does/' \
    "$tmp/raw" > "$tmp/out"
  if [ "$status" -gt 128 ]; then
    echo "not ok $n - $name (killed by signal $((status - 128)))"
  elif cmp -s "$tmp/expected" "$tmp/out"; then
    echo "ok $n - $name"
  else
    echo "not ok $n - $name"
    diff -u "$tmp/expected" "$tmp/out" | sed 's/^/# /'
  fi
done
exit 0
