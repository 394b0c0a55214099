#!/bin/sh
# man-sync.sh - tvl(1) must document everything a user can type: every
# colon command `:help` lists, every option `tvl --help` lists, every
# special form and builtin `:help` lists (each with an example).  Every
# example of the form ".Dl EXPR \(-> RESULT" is run with tvl -e and must
# print RESULT (or fail with "error: RESULT").  mandoc -Tlint must be
# clean ($MANDOC; skipped when it is not set).
set -u
: "${TVL:?TVL must name the tvl program}" "${top_srcdir:?}"
man=$top_srcdir/man/tvl.1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tvl-man.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
TVL_HISTFILE=$tmp/history
export TVL_HISTFILE

n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $*"; }

# What the man page lists as items: "Ic :help", "Fl -max-steps", with the
# \& that keeps mandoc from reading ? and ! as punctuation removed.
sed -n -E 's/\\&//g; s/^\.It (Ic|Fl) ([^ ]+).*/\1 \2/p' "$man" > "$tmp/items"

documented() { grep -q -x -F -e "$1" "$tmp/items"; }

# ---- commands and options -------------------------------------------------

printf ':help\n' | "$TVL" > "$tmp/help" 2>&1
sed -n -E 's/^  :([a-z]+).*/\1/p' "$tmp/help" > "$tmp/commands"
if [ ! -s "$tmp/commands" ]; then
  not_ok ":help lists commands"
else
  while read -r c; do
    if documented "Ic :$c"; then ok "command :$c is documented"
    else not_ok "command :$c is documented (.It Ic :$c)"; fi
  done < "$tmp/commands"
fi

"$TVL" --help > "$tmp/usage" 2>&1
sed -n -E 's/^  -([-a-z]+).*/\1/p' "$tmp/usage" > "$tmp/options"
if [ ! -s "$tmp/options" ]; then
  not_ok "tvl --help lists options"
else
  while read -r o; do
    if documented "Fl $o"; then ok "option -$o is documented"
    else not_ok "option -$o is documented (.It Fl $o)"; fi
  done < "$tmp/options"
fi

# ---- the language -----------------------------------------------------------

# The words after "Special forms:" and "Builtins:" in :help, with their
# continuation lines (indented by two spaces).
awk '
  /^Special forms:/ { list = "form"; sub(/^Special forms:/, "") }
  /^Builtins:/ { list = "builtin"; sub(/^Builtins:/, "") }
  /^Library:/ { list = "library"; sub(/^Library:/, "") }
  /^[^ ]/ && !/^(Special forms|Builtins|Library):/ { list = "" }
  list != "" { for (i = 1; i <= NF; i++) print list, $i }
' "$tmp/help" > "$tmp/language"
if [ ! -s "$tmp/language" ]; then
  not_ok ":help lists the special forms and builtins"
fi

# An item of THE LANGUAGE has an example (.Dl) before the next item.
awk '
  /^\.Sh / { in_lang = ($0 ~ /THE LANGUAGE/) }
  !in_lang { next }
  /^\.It Ic / { if (item != "" && !seen) print item; item = $3; seen = 0; next }
  /^\.(It|El)/ { if (item != "" && !seen) print item; item = ""; next }
  /^\.Dl / { seen = 1 }
  END { if (item != "" && !seen) print item }
' "$man" | sed 's/\\&//g' > "$tmp/no-example"

while read -r kind name; do
  if ! documented "Ic $name"; then
    not_ok "$kind $name is documented (.It Ic $name)"
  elif grep -q -x -F -e "$name" "$tmp/no-example"; then
    not_ok "$kind $name has an example (.Dl)"
  else
    ok "$kind $name is documented with an example"
  fi
done < "$tmp/language"

# ---- the examples -------------------------------------------------------------

# ".Dl EXPR \(-> RESULT", with the roff escapes the page needs undone.
sed -n -e '/^\.Dl .*\\(->/{s/^\.Dl //;p;}' "$man" |
  sed -e 's/\\(dq/"/g; s/\\(aq/'"'"'/g; s/\\&//g; s/\\e/\\/g' > "$tmp/examples"
if [ ! -s "$tmp/examples" ]; then
  not_ok "the man page has examples"
fi
while IFS= read -r line; do
  expr=${line%%\\(->*}
  want=${line#*\\(->}
  expr=$(printf '%s' "$expr" | sed 's/[[:space:]]*$//')
  want=$(printf '%s' "$want" | sed 's/^[[:space:]]*//')
  "$TVL" --reference -e "$expr" > "$tmp/out" 2> "$tmp/err"
  status=$?
  got=$(tr '\n' ' ' < "$tmp/out" | sed 's/[[:space:]]*$//')
  case $want in
  error:*)
    if [ "$status" -eq 1 ] && grep -q -F -e ": $want" "$tmp/err"; then
      ok "example $expr"
    else
      not_ok "example $expr"
      echo "#   expected $want"
      sed 's/^/#   got: /' "$tmp/err"
    fi ;;
  *)
    if [ "$status" -eq 0 ] && [ "$got" = "$want" ] && [ ! -s "$tmp/err" ]; then
      ok "example $expr"
    else
      not_ok "example $expr"
      echo "#   expected: $want"
      echo "#   got: $got (status $status)"
      sed 's/^/#   stderr: /' "$tmp/err"
    fi ;;
  esac
done < "$tmp/examples"

# ---- :help NAME ----------------------------------------------------------------

# :help NAME prints the man page's entry: every example of THE LANGUAGE
# (run above) must be in what :help says about the forms and builtins.
while read -r kind name; do printf ':help %s\n' "$name"; done < "$tmp/language" > "$tmp/help-in"
"$TVL" < "$tmp/help-in" > "$tmp/help-out" 2>&1
awk '/^\.Sh / { in_lang = ($0 ~ /THE LANGUAGE/) }
     /^\.(Sh|Ss|El)/ { in_item = 0 }
     /^\.It Ic / { in_item = in_lang }
     in_item && /^\.Dl .*\\\(->/ { sub(/^\.Dl /, ""); print }' "$man" |
  sed -e 's/\\(dq/"/g; s/\\(aq/'"'"'/g; s/\\&//g; s/\\e/\\/g' > "$tmp/lang-examples"
if [ ! -s "$tmp/lang-examples" ]; then
  not_ok "THE LANGUAGE has examples"
fi
while IFS= read -r line; do
  expr=$(printf '%s' "${line%%\\(->*}" | sed 's/[[:space:]]*$//')
  if grep -q -F -e "$expr" "$tmp/help-out"; then
    ok ":help shows the example $expr"
  else
    not_ok ":help shows the example $expr"
  fi
done < "$tmp/lang-examples"

# ---- lint ---------------------------------------------------------------------

if [ -n "${MANDOC:-}" ] && command -v "$MANDOC" >/dev/null 2>&1; then
  "$MANDOC" -Tlint "$man" > "$tmp/lint" 2>&1
  status=$?
  if [ "$status" -eq 0 ] && [ ! -s "$tmp/lint" ]; then
    ok "mandoc -Tlint is clean"
  else
    not_ok "mandoc -Tlint is clean (status $status)"
    sed 's/^/#   /' "$tmp/lint"
  fi
else
  n=$((n + 1))
  echo "ok $n # SKIP mandoc -Tlint: MANDOC is not set"
fi

echo "1..$n"
exit 0
