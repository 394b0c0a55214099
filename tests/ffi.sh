#!/bin/sh
# ffi.sh - transcripts of extern (C functions called through libffi), one
# TAP test per tests/ffi-*.tvltest.
#
# The format is golden.sh's: "> TEXT" (or a bare ">") is a line fed to tvl
# on stdin, ";;;" starts a comment, every other line is expected output,
# and an optional first line ";;; args: ..." gives tvl's arguments (the
# reference evaluator unless it names a mode).  Times are compared as
# "N ms".  tvl runs in the source
# directory, so that `:load stdlib/libc.tvl` works as documented, with
# TVL_FFI_TEST=hello in its environment and TVL_FFI_UNSET unset.
set -u
: "${TVL:?TVL must name the tvl program}" "${top_srcdir:?}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tvl-ffi.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
TVL_HISTFILE=$tmp/history
TVL_FFI_TEST=hello
export TVL_HISTFILE TVL_FFI_TEST
unset TVL_FFI_UNSET

set -- "$top_srcdir"/tests/ffi-*.tvltest
if [ ! -e "$1" ]; then
  echo "1..0 # SKIP no transcripts"
  exit 0
fi
echo "1..$#"
n=0
for t; do
  n=$((n + 1))
  name=$(basename "$t" .tvltest)
  args=$(sed -n '1s/^;;; args:[ ]*//p' "$t")
  case " $args " in
  *" --transformer "*|*" --check "*|*" --reference "*) ;;
  *) args="--reference $args" ;;
  esac
  awk -v inf="$tmp/in" -v expf="$tmp/expected" '
    BEGIN { printf "" > inf; printf "" > expf }
    NR == 1 && /^;;; args:/ { next }
    /^> / { print substr($0, 3) > inf; next }
    /^>$/ { print "" > inf; next }
    /^;;;/ { next }
    { print > expf }' "$t"
  set -f
  # shellcheck disable=SC2086 # the header's words are separate arguments
  (cd "$top_srcdir" && exec "$TVL" $args < "$tmp/in" > "$tmp/raw" 2>&1)
  status=$?
  # times vary from run to run: a transcript writes them as "N ms"
  sed -E 's/[0-9]+(\.[0-9]+)? ms/N ms/g' "$tmp/raw" > "$tmp/out"
  set +f
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
