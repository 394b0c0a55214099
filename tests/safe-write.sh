#!/bin/sh
# safe-write.sh - every file tvl writes goes to a new file created
# exclusively beside the target, then renamed over it: a symbolic link
# planted at the temporary name (or at the old fixed name NAME.tmp) is
# never followed, a link at the target is replaced, not written through.
set -u
: "${TVL:?TVL must name the tvl program}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tvl-safe.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
TVL_HISTFILE=$tmp/history
export TVL_HISTFILE TVL

n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $*"; }
check() { if "$@"; then ok "$desc"; else not_ok "$desc"; fi; }

cd "$tmp" || exit 1
printf 'precious\n' > victim
mkdir sub

# Runs tvl on stdin after planting links at the names its first
# temporary files will have: the shell's pid is tvl's after exec.
# $1: the target file name; the rest: commands for tvl.
run_planted() {
  target=$1
  shift
  dir=$(dirname "$target")
  base=$(basename "$target")
  printf '%s\n' "$@" > input
  sh -c '
    for i in 0 1 2; do ln -s "$1" "$2/.$3.tmp$$-$i"; done
    ln -s "$1" "$4.tmp"
    exec "$TVL" --transformer < "$5"' sh "$tmp/victim" "$dir" "$base" "$target" "$tmp/input" \
    > out 2>&1
}

for cmd in \
  ':export sq model.safetensors 3' \
  ':weights sq --svg model.svg' \
  ':slots sq --svg model.svg' \
  ':trace --json (sq 3) > model.json' \
  ':weights sq > model.txt' \
  ':export sq sub/model.safetensors 3'
do
  target=$(printf '%s\n' "$cmd" | sed -E 's/.* (--svg |> )?([^ ]*\.(safetensors|svg|json|txt)).*/\2/')
  rm -f "$target"
  run_planted "$target" '(define (sq x) (* x x))' "$cmd"
  desc="$cmd: the target is written"
  check test -s "$target" -a ! -L "$target"
  desc="$cmd: the link planted at the temporary name is not followed"
  check grep -qx precious victim
  [ "$(wc -c < victim)" -eq 9 ] || { echo "# victim now:"; sed 's/^/# /' victim | head -5; }
  desc="$cmd: no temporary file is left"
  left=$(find . -name '.*.tmp*' -type f | wc -l)
  check test "$left" -eq 0
  find . -name '.*.tmp*' -type l -exec rm -f {} + 
  rm -f "$target.tmp"
done

# A link at the target itself is replaced by the new file.
rm -f model.safetensors
ln -s victim model.safetensors
printf '(define (sq x) (* x x))\n:export sq model.safetensors 3\n' | "$TVL" --transformer > out 2>&1
desc="a link at the target is replaced, not written through"
check test -f model.safetensors -a ! -L model.safetensors
desc="the file the link pointed to is untouched"
check grep -qx precious victim

# A directory that does not exist: an error, nothing written.
printf '(define (sq x) (* x x))\n:export sq nowhere/model.safetensors 3\n' | "$TVL" --transformer > out 2>&1
desc="writing into a missing directory is an error"
check grep -q "cannot write" out

echo "1..$n"
