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

# both NAME WANT-STATUS WANT-STDOUT < program: run with the evaluator (and
# Guile), then compiled into the transformer, which must agree.
both() {
  cat > "$tmp/both.in"
  run "$1" "$2" "$3" --reference < "$tmp/both.in"
  run "$1-tx" "$2" "$3" --transformer --milp 0 < "$tmp/both.in"
}

both exit-in-procedure 3 "a" <<'EOF'
(define (stop k) (if (> k 2) (exit k) (stop (+ k 1))))
(display "a")
(stop 0)
(display "b")
EOF
both exit-default 0 "x" <<'EOF'
(display "x")
(begin (exit))
(display "y")
EOF
both exit-false 1 "x" <<'EOF'
(display "x")
(let () (exit #f))
EOF
both exit-true 0 "" <<'EOF'
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
both error-call 1 "before" <<'EOF'
(display "before") (newline)
(define (check x) (if (< x 0) (error "negative:" x) x))
(check -5)
(display "after")
EOF
for f in error-call error-call-tx; do
  if grep -q -F "$f.scm:2:31: error: negative: -5" "$tmp/$f.err" &&
     grep -q -F '^' "$tmp/$f.err"; then
    ok "error's text, at the call, with a caret ($f)"
  else
    not_ok "error's text, at the call, with a caret ($f)"
    sed 's/^/# /' "$tmp/$f.err"
  fi
done

# Statuses computed when the program runs, as Guile gives them: modulo
# 256, #f 1, any other value 0; irritants of every kind written.
both exit-computed 44 "a" <<'EOF'
(define (stop k) (display "a") (exit (+ k 256)))
(stop 44)
EOF
both exit-negative 253 "" <<'EOF'
(define (stop k) (exit (- k)))
(stop 3)
EOF
both exit-symbol 0 "" <<'EOF'
(define (stop k) (exit (if (> k 0) 'done 7)))
(stop 3)
EOF
both exit-computed-false 1 "" <<'EOF'
(define (stop k) (exit (> k 5)))
(stop 3)
EOF
both error-irritants 1 "" <<'EOF'
(define (f x) (error 'f "bad" x (list x 'y "z") #\a (> x 1) (vector x)))
(f 2)
EOF
for f in error-irritants error-irritants-tx; do
  if grep -q -F 'error: f "bad" 2 (2 y "z") #\a #t #(2)' "$tmp/$f.err"; then
    ok "error's irritants written ($f)"
  else
    not_ok "error's irritants written ($f)"
    sed 's/^/# /' "$tmp/$f.err"
  fi
done

# Stopping inside dynamic-wind: Guile runs the after thunks of the open
# winds, innermost first, before the program stops; an after thunk's own
# exit or error sets the status and the outer ones still run.
both wind-exit 2 "in out" <<'EOF'
(dynamic-wind (lambda () (display "in ")) (lambda () (exit 2)) (lambda () (display "out")))
EOF
both wind-exit-nested 5 "a b c b-out a-out" <<'EOF'
(define (stop) (display "c ") (exit 5))
(dynamic-wind (lambda () (display "a "))
              (lambda () (dynamic-wind (lambda () (display "b ")) stop (lambda () (display "b-out "))))
              (lambda () (display "a-out")))
EOF
both wind-error-then-exit 3 "a b b-out a-out" <<'EOF'
(dynamic-wind (lambda () (display "a "))
              (lambda () (dynamic-wind (lambda () (display "b ")) (lambda () (car 1))
                                       (lambda () (display "b-out ") (exit 3))))
              (lambda () (display "a-out")))
EOF
both wind-exit-then-error 1 "a b b-out a-out" <<'EOF'
(dynamic-wind (lambda () (display "a "))
              (lambda () (dynamic-wind (lambda () (display "b ")) (lambda () (exit 4))
                                       (lambda () (display "b-out ") (vector-ref (vector) 0))))
              (lambda () (display "a-out")))
EOF

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
