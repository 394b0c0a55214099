#!/bin/sh
# gen-coverage.sh - the random programs of test-differential cover the
# whole language: every special form and builtin that `:help` lists (the
# authoritative list: it is printed from the expander's forms and the
# checker's builtin table) must head a form in the programs the generator
# writes with every construct on (--all), and every construct flag must
# change what it writes.  A new builtin or special form fails this test
# until tests/gen.c or tests/gen-lang.c generates it.
set -u
: "${TVL:?TVL must name the tvl program}" "${top_builddir:?}" "${top_srcdir:?}"
TD=$top_builddir/tests/test-differential
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tvl-gencov.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
TVL_HISTFILE=$tmp/history
export TVL_HISTFILE

n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $*"; }

printf ':help\n' | "$TVL" > "$tmp/help" 2>&1
awk '
  /^Special forms:/ { list = "form"; sub(/^Special forms:/, "") }
  /^Builtins:/ { list = "builtin"; sub(/^Builtins:/, "") }
  /^[^ ]/ && !/^(Special forms|Builtins):/ { list = "" }
  list != "" { for (i = 1; i <= NF; i++) print list, $i }
' "$tmp/help" > "$tmp/language"
if [ "$(wc -l < "$tmp/language")" -lt 40 ]; then
  not_ok ":help lists the special forms and builtins (found $(wc -l < "$tmp/language"))"
fi

# The names that head a form in 300 programs of each sort.
if ! "$TD" --vocabulary 5000 --all > "$tmp/generated"; then
  not_ok "test-differential --vocabulary runs"
fi

# tests/gen-pending: builtins compiled code does not run yet, each with an
# example the transformer must still refuse.
pending=$top_srcdir/tests/gen-pending
while read -r kind name; do
  example=$(sed -n "s/^$(printf '%s' "$name" | sed 's/[.[*^$/]/\\&/g') //p" "$pending")
  if grep -q -x -F -e "$name" "$tmp/generated"; then
    ok "$kind $name is generated"
  elif [ -n "$example" ]; then
    if "$TVL" --transformer --milp 0 -e "$example" 2>&1 >/dev/null |
       grep -q "not compiled to the transformer yet"; then
      ok "$kind $name is not generated: compiled code refuses it (tests/gen-pending)"
    else
      not_ok "$kind $name is in tests/gen-pending but the transformer runs $example: generate it"
    fi
  else
    not_ok "$kind $name is generated (add it to tests/gen-lang.c)"
  fi
done < "$tmp/language"

# The flags: turning any one off changes the programs (with the others
# on, as --all has them).
flags=$("$TD" --list-flags)
for f in $flags; do
  [ "$f" = all ] && continue
  changed=no
  for seed in $(seq 1 24); do
    for sort in "" --structured; do
      a=$("$TD" --print $seed $sort --all | cksum)
      b=$("$TD" --print $seed $sort --all --disable "$f" | cksum)
      if [ "$a" != "$b" ]; then changed=yes; break 2; fi
    done
  done
  if [ $changed = yes ]; then ok "flag $f changes the programs"
  else not_ok "flag $f changes the programs"; fi
done

echo "1..$n"
