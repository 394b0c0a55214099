#!/bin/sh
# unicode-tables.sh - lang/unicode-tables.h (the character classes, case
# mappings and `write` forms of every code point) must be what the Guile
# at hand answers: tools/unicode-tables.scm asks it again for every code
# point and the output must equal the file, but for the line naming
# Guile's version.  Skipped when $GUILE is not set or not runnable.
set -u
: "${top_srcdir:?}"
guile=${GUILE:-}
if [ -z "$guile" ] || ! "$guile" --version >/dev/null 2>&1; then
  echo "1..0 # SKIP GUILE not set or not runnable"
  exit 0
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tvl-unicode.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
echo "1..1"
# auto-compilation off: it would write to $HOME
if (cd "$tmp" && LC_ALL=C.UTF-8 "$guile" --no-auto-compile -s \
      "$top_srcdir/tools/unicode-tables.scm" > "$tmp/new.h" 2> "$tmp/err") &&
   sed 2d "$tmp/new.h" > "$tmp/a" && sed 2d "$top_srcdir/lang/unicode-tables.h" > "$tmp/b" &&
   cmp -s "$tmp/a" "$tmp/b"; then
  echo "ok 1 - lang/unicode-tables.h is what $("$guile" --version | head -n 1) answers"
else
  echo "not ok 1 - lang/unicode-tables.h differs from what Guile answers (regenerate it with tools/unicode-tables.scm)"
  sed 's/^/# /' "$tmp/err"
  diff "$tmp/b" "$tmp/a" | head -n 40 | sed 's/^/# /'
fi
