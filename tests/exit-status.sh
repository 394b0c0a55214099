#!/bin/sh
# exit-status.sh - `exit` and `error` as a process sees them: the status,
# the output printed before them (kept), the error's text and position on
# stderr, in scripts, -e expressions and the REPL.  When $GUILE names a
# Guile, it must give the same status and output for the programs of the
# common ground.
set -u
: "${TVL:?TVL must name the tvl program}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tvl-exit.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
TVL_HISTFILE=$tmp/history
export TVL_HISTFILE
guile=${GUILE:-}
if [ -n "$guile" ] && ! "$guile" --version >/dev/null 2>&1; then guile=; fi

n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $*"; }

# run NAME WANT-STATUS WANT-STDOUT MODE... < program: tvl with MODE on the
# program as a script; stdout and status must be as wanted.
run() {
  name=$1 want=$2 out=$3
  shift 3
  cat > "$tmp/$name.scm"
  (cd "$tmp" && "$TVL" "$@" "$name.scm" > "$name.out" 2> "$name.err")
  status=$?
  got=$(cat "$tmp/$name.out")
  if [ "$status" -eq "$want" ] && [ "$got" = "$out" ]; then
    ok "$name ($*): status $want, output '$out'"
  else
    not_ok "$name ($*): status $status (want $want), output '$got' (want '$out')"
    sed 's/^/# stderr: /' "$tmp/$name.err"
  fi
  if [ -n "$guile" ] && [ "$1" = --reference ]; then
    (cd "$tmp" && LC_ALL=C.UTF-8 "$guile" --no-auto-compile "$name.scm" > "$name.gout" 2>/dev/null)
    gstatus=$?
    if [ "$gstatus" -eq "$want" ] && cmp -s "$tmp/$name.out" "$tmp/$name.gout"; then
      ok "$name: Guile agrees"
    else
      not_ok "$name: Guile gives status $gstatus, output '$(cat "$tmp/$name.gout")'"
    fi
  fi
}

run exit-in-procedure 3 "a" --reference <<'EOF'
(define (stop k) (if (> k 2) (exit k) (stop (+ k 1))))
(display "a")
(stop 0)
(display "b")
EOF
run exit-default 0 "x" --reference <<'EOF'
(display "x")
(begin (exit))
(display "y")
EOF
run exit-false 1 "x" --reference <<'EOF'
(display "x")
(let () (exit #f))
EOF
run exit-true 0 "" --reference <<'EOF'
(if #t (exit #t))
(display "y")
EOF
run exit-toplevel-transformer 4 "12" --transformer --milp 0 <<'EOF'
(display 12)
(exit 4)
(display 13)
EOF
# (tvl ends a line its output left open before it prints an error, which
# Guile does not: the program ends its line itself.)
run error-call 1 "before" --reference <<'EOF'
(display "before") (newline)
(define (check x) (if (< x 0) (error "negative:" x) x))
(check -5)
(display "after")
EOF
if grep -q -F 'error-call.scm:2:31: error: negative: -5' "$tmp/error-call.err" &&
   grep -q -F '^' "$tmp/error-call.err"; then
  ok "error's text, at the call, with a caret"
else
  not_ok "error's text, at the call, with a caret"
  sed 's/^/# /' "$tmp/error-call.err"
fi

# The transformer refuses error and exit inside a program, before running
# the form that uses them.
run exit-refused 1 "a" --transformer --milp 0 <<'EOF'
(display "a")
(define (stop) (exit 3))
(stop)
EOF
if grep -q "calls of exit are not compiled to the transformer yet" "$tmp/exit-refused.err"; then
  ok "the transformer says why it refuses exit"
else
  not_ok "the transformer says why it refuses exit"
  sed 's/^/# /' "$tmp/exit-refused.err"
fi

# -e and the REPL: (exit N) inside a form stops everything after it.
"$TVL" --reference -e '(begin (display "e") (exit 5))' -e '(display "no")' > "$tmp/e.out" 2>&1
status=$?
if [ "$status" -eq 5 ] && [ "$(cat "$tmp/e.out")" = e ]; then ok "-e: exit 5 inside a form"
else not_ok "-e: exit inside a form gave status $status, output '$(cat "$tmp/e.out")'"; fi
printf '(display "r")\n(begin (exit 6))\n(display "no")\n' |
  "$TVL" --reference > "$tmp/r.out" 2>&1
status=$?
if [ "$status" -eq 6 ] && [ "$(cat "$tmp/r.out")" = r ]; then ok "REPL: (exit 6) leaves it"
else not_ok "REPL: exit gave status $status, output '$(cat "$tmp/r.out")'"; fi

echo "1..$n"
