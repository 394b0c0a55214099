#!/bin/sh
# bad-input.sh - hostile and broken input: every case must give its error
# with file:line:col, never a crash or a sanitizer report, and the REPL
# must go on with its definitions (a definition before, a use after).
# Also the exit status of `tvl FILE`, `tvl -e` and the piped REPL.
set -u
: "${TVL:?TVL must name the tvl program}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tvl-bad.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
TVL_HISTFILE=$tmp/history
export TVL_HISTFILE
LC_ALL=C
export LC_ALL

n=0
failures=

fail() { failures="$failures
$*"; }

# run [ARG...] < input: runs tvl, stdout and stderr merged into $tmp/out.
# Never at the end of a pipeline: it must set $status in this shell.
run() {
  "$TVL" --reference "$@" > "$tmp/out" 2>&1
  status=$?
  if [ "$status" -ge 128 ]; then
    fail "killed by signal $((status - 128))"
  fi
  if grep -a -q -E 'AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:' "$tmp/out"; then
    fail "sanitizer report"
  fi
}

expect_status() {
  [ "$status" -eq "$1" ] || fail "exit status $status, expected $1"
}

# expect TEXT: the output holds TEXT as a fixed string.
expect() {
  grep -a -q -F -e "$1" "$tmp/out" || fail "missing: $1"
}

# expect_line TEXT: the output has a line that is exactly TEXT.
expect_line() {
  grep -a -q -x -F -e "$1" "$tmp/out" || fail "no line: $1"
}

# expect_count N TEXT: TEXT occurs on exactly N lines.
expect_count() {
  c=$(grep -a -c -F -e "$2" "$tmp/out")
  [ "$c" -eq "$1" ] || fail "$c lines with '$2', expected $1"
}

# Error messages quote the source line in a window: no line of output may
# be long, however long the input line was.
expect_short_lines() {
  long=$(awk -v max="$1" 'length($0) > max { n++ } END { print n + 0 }' "$tmp/out")
  [ "$long" -eq 0 ] || fail "$long output lines longer than $1 bytes"
}

finish() {
  n=$((n + 1))
  if [ -z "$failures" ]; then
    echo "ok $n - $1"
  else
    echo "not ok $n - $1"
    printf '%s\n' "$failures" | sed '/^$/d; s/^/#   /'
    head -c 3000 "$tmp/out" | sed 's/^/# | /'
  fi
  failures=
}

# Input files: a definition before the bad input and a use after it.
before='(define before 41)'
after='(+ before 1)'
with_context() { # FILE: wraps the bytes of FILE between before and after
  { printf '%s\n' "$before"; cat "$1"; printf '\n%s\n' "$after"; } > "$1.in"
}


# ---- unbalanced parentheses ---------------------------------------------

printf '%s\n(+ before 1))\n)\n] (define lost 1)\n%s\n' "$before" "$after" > "$tmp/close.in"
run < "$tmp/close.in"
expect "<stdin>:2:13: error: unexpected ')': no list is open"
expect "<stdin>:3:1: error: unexpected ')': no list is open"
expect "<stdin>:4:1: error: unexpected ']': no list is open"
expect_count 2 "42"
expect_status 1
finish "too many closing parentheses"

printf '(define before 41)\n(define (f x)\n  (+ x\n' > "$tmp/open.tvl"
printf ':load %s\n%s\n' "$tmp/open.tvl" "$after" > "$tmp/open.in"
run < "$tmp/open.in"
expect "open.tvl:3:3: error: this '(' is never closed (input ended)"
expect_line "42"
expect_status 1
finish "an unclosed form in a loaded file"

run "$tmp/open.tvl"
expect "open.tvl:3:3: error: this '(' is never closed (input ended)"
expect_status 1
finish "an unclosed form in a script: exit status 1"

printf '%s\n(+ before\n' "$before" > "$tmp/in"
run < "$tmp/in"
expect "<stdin>:2:1: error: this '(' is never closed (input ended)"
expect_status 1
finish "an unclosed form at the end of the REPL's input"

# ---- names, arity, arithmetic ----------------------------------------------

printf '%s\n(frobnicate before)\n(define-syntax x 1)\n%s\n' "$before" "$after" > "$tmp/in"
run < "$tmp/in"
expect "<stdin>:2:2: error: unbound variable frobnicate"
expect "<stdin>:3:18: error: macros are not supported except as (syntax-rules"
expect_line "42"
finish "unknown forms and unbound names"

printf '%s\n(define (f x) x)\n(f 1 2)\n(abs)\n(f before)\n' "$before" > "$tmp/in"
run < "$tmp/in"
expect "<stdin>:3:1: error: procedure f takes 1 argument, but 2 were given"
expect "<stdin>:4:1: error: builtin abs takes 1 argument, but 0 were given"
expect_line "41"
finish "wrong arity"

printf '%s\n(* 65536 65536)\n(- -2147483648)\n(+ 2147483647 1)\n%s\n' "$before" "$after" > "$tmp/in"
run < "$tmp/in"
expect "<stdin>:2:1: error: integer overflow: (* 65536 65536) is 4294967296, which does not fit in 32 bits"
expect "<stdin>:3:1: error: integer overflow: (- -2147483648) is 2147483648"
expect "<stdin>:4:1: error: integer overflow: (+ 2147483647 1) is 2147483648"
expect_line "42"
finish "integer overflow"

printf '%s\n(quotient before 0)\n(modulo 1 0)\n(remainder -2147483648 0)\n%s\n' "$before" "$after" > "$tmp/in"
run < "$tmp/in"
expect "<stdin>:2:1: error: division by zero: (quotient 41 0)"
expect "<stdin>:3:1: error: division by zero: (modulo 1 0)"
expect "<stdin>:4:1: error: division by zero: (remainder -2147483648 0)"
expect_line "42"
finish "division by zero"

# ---- limits ------------------------------------------------------------------

printf '%s\n(define (down n) (+ 1 (down n)))\n(down 1)\n%s\n' "$before" "$after" > "$tmp/in"
run --max-depth 100000 < "$tmp/in"
expect "<stdin>:2:23: error: recursion too deep: more than 100000 nested calls"
expect_line "42"
finish "deep recursion stops at the depth limit"

# A body nested 900 deep, with the depth limit at its maximum: the
# evaluator's stack runs out before the call limit, and that is an error
# too, not a crash.
awk 'BEGIN {
  printf "(define (f n) (if (= n 0) 0 ";
  for (i = 0; i < 900; i++) printf "(+ 1 ";
  printf "(f (- n 1))";
  for (i = 0; i < 900; i++) printf ")";
  print "))" }' > "$tmp/deepbody.tvl"
{ echo "$before"; cat "$tmp/deepbody.tvl"; echo "(f 1000000)"; echo "(f 2)"; echo "$after"; } > "$tmp/deepbody.in"
run --max-depth 1000000 < "$tmp/deepbody.in"
expect "error: recursion too deep: the evaluator's stack is used up after"
expect_line "1800"
expect_line "42"
expect_short_lines 400
finish "a deeply nested body with a huge depth limit"

printf '%s\n(define (spin) (let loop ((i 0)) (loop (+ i 1))))\n(spin)\n(while #t 0)\n%s\n' "$before" "$after" > "$tmp/in"
run --max-steps 100000 < "$tmp/in"
expect "<stdin>:2:34: error: step limit reached: more than 100000 calls and loop iterations"
expect "<stdin>:4:1: error: step limit reached: more than 100000"
expect_line "42"
finish "a runaway loop stops at --max-steps"

printf '%s\n:limit steps 500\n(do ((i 0 (+ i 1))) (#f))\n:limit steps 100000000\n(do ((i 0 (+ i 1))) ((= i 1000) i))\n%s\n' "$before" "$after" > "$tmp/in"
run < "$tmp/in"
expect "<stdin>:3:1: error: step limit reached: more than 500 calls"
expect_line "1000"
expect_line "42"
finish "a runaway loop stops at :limit steps"

printf '%s\n(define (grow) (let loop ((i 0)) (vector 1 2 3) (loop (+ i 1))))\n(grow)\n%s\n' "$before" "$after" > "$tmp/in"
run --max-heap 100000 < "$tmp/in"
expect "<stdin>:2:34: error: out of memory: vectors would need more than 100000 cells"
expect_line "42"
finish "a vector leak stops at --max-heap and is rolled back"

# ---- very long lines ---------------------------------------------------------

# A 1 MB line of atoms: (+ 1 1 ... 1), half a million of them.
awk 'BEGIN { printf "(define big (+"; for (i = 0; i < 524288; i++) printf " 1"; print "))" }' > "$tmp/atoms.tvl"
{ echo "$before"; cat "$tmp/atoms.tvl"; echo "(+ big before)"; } > "$tmp/in"
run < "$tmp/in"
expect_line "big = 524288"
expect_line "524329"
finish "a 1 MB line of atoms"

# The same line with one bad atom in the middle: the caret is shown in a
# window of the line, not the whole megabyte.
awk 'BEGIN { printf "(+"; for (i = 0; i < 262144; i++) printf " 1"; printf " oops"; for (i = 0; i < 262144; i++) printf " 1"; print ")" }' > "$tmp/atoms-bad.tvl"
with_context "$tmp/atoms-bad.tvl"
run < "$tmp/atoms-bad.tvl.in"
expect "<stdin>:2:524292: error: unbound variable oops"
expect_line "42"
expect_short_lines 300
finish "an error inside a 1 MB line"

# A 1 MB line of open parentheses, and one of balanced nesting.
awk 'BEGIN { for (i = 0; i < 1048576; i++) printf "("; print "" }' > "$tmp/nest-open.tvl"
with_context "$tmp/nest-open.tvl"
run < "$tmp/nest-open.tvl.in"
expect "<stdin>:2:1001: error: forms nested deeper than 1000 levels"
expect_line "42"
expect_short_lines 300
finish "a 1 MB line of open parentheses"

awk 'BEGIN { for (i = 0; i < 104857; i++) printf "(+ 1 "; printf "0"; for (i = 0; i < 104857; i++) printf ")"; print "" }' > "$tmp/nest-deep.tvl"
with_context "$tmp/nest-deep.tvl"
run < "$tmp/nest-deep.tvl.in"
expect "<stdin>:2:5001: error: forms nested deeper than 1000 levels"
expect_line "42"
expect_short_lines 300
finish "a 1 MB line of balanced nesting"

# A long chain that nests only after expansion (cond clauses): no limit of
# the reader applies, and nothing may exhaust the C stack.
awk 'BEGIN { printf "(define (f x) (cond"; for (i = 0; i < 200000; i++) printf " ((= x %d) %d)", i, i * 2; print " (else -1)))" }' > "$tmp/cond.tvl"
{ echo "$before"; cat "$tmp/cond.tvl"; echo "(f 199999)"; echo "$after"; } > "$tmp/in"
run < "$tmp/in"
expect_line "399998"
expect_line "42"
finish "a cond of 200000 clauses"

# ---- bytes that are not text ----------------------------------------------

printf '(define \316\273 5)\n(+ \316\273 1)\n"\342\202\254"\n' > "$tmp/in"
run < "$tmp/in"
expect_line "6"
expect_line '"€"'
expect_status 0
finish "valid UTF-8 in names and strings"

printf '%s\n\377\n(+ 1 \303\050)\n"\342\202"\n\300\257\n(quote \355\240\200)\n%s\n' "$before" "$after" > "$tmp/in"
run < "$tmp/in"
expect "<stdin>:2:1: error: invalid UTF-8 byte 0xff"
expect "<stdin>:3:6: error: invalid UTF-8 sequence (starts with byte 0xc3)"
expect "<stdin>:4:2: error: invalid UTF-8 sequence (starts with byte 0xe2)"
expect "<stdin>:5:1: error: invalid UTF-8 sequence (starts with byte 0xc0)"
expect "<stdin>:6:8: error: invalid UTF-8 sequence (starts with byte 0xed)"
expect_line "42"
expect_status 1
finish "invalid UTF-8"

printf '%s\n(+ 1\0002)\n(\001)\n"a\000b"\n%s\n' "$before" "$after" > "$tmp/in"
run < "$tmp/in"
expect "<stdin>:2:5: error: NUL byte in the input"
expect "<stdin>:3:2: error: unexpected control character 0x01"
expect "<stdin>:4:3: error: NUL byte in the input"
expect_line "42"
finish "NUL bytes and control characters"

# A fixed pattern of every byte value, NUL included, as a script, on stdin
# and through :load.
awk 'BEGIN { for (r = 0; r < 4; r++) for (i = 0; i < 256; i++) printf "%c", i }' > "$tmp/bytes.bin"
run "$tmp/bytes.bin"
expect_status 1
expect "bytes.bin:1:1: error: NUL byte in the input"
finish "every byte value as a script"

with_context "$tmp/bytes.bin"
run < "$tmp/bytes.bin.in"
expect_status 1
expect "<stdin>:2:1: error: NUL byte in the input"
expect_line "42"
finish "every byte value in the REPL"

# Pseudo-random bytes from a fixed seed, made here so that no binary file
# is kept in the sources.
awk 'BEGIN { srand(20240601); for (i = 0; i < 4096; i++) printf "%c", int(rand() * 256) }' > "$tmp/random.bin"
printf '%s\n:load %s\n%s\n' "$before" "$tmp/random.bin" "$after" > "$tmp/in"
run < "$tmp/in"
expect_status 1
expect "random.bin:"
expect ": error: "
expect_line "42"
finish "4 KB of random bytes through :load"

run < "$tmp/random.bin"
expect_status 1
expect "<stdin>:"
finish "4 KB of random bytes on stdin"

# ---- exit status -------------------------------------------------------------

printf '(define x 2)\n(display (* x 21))\n(newline)\n' > "$tmp/good.tvl"
printf '(define x 2)\n(display x)\n(newline)\n(vector-ref (vector) x)\n(display "not reached")\n' > "$tmp/bad.tvl"
run "$tmp/good.tvl"; expect_status 0; expect_line "42"
run "$tmp/bad.tvl"; expect_status 1; expect "bad.tvl:4:22: error: vector-ref: index 2 is out of range"
if grep -q "not reached" "$tmp/out"; then fail "ran past the error"; fi
run "$tmp/missing.tvl"; expect_status 1; expect "tvl: cannot open"
finish "tvl FILE: 0 on success, 1 on an error"

run -e '(+ 1 2)'; expect_status 0; expect_line "3"
run -e '(kar 1)'; expect_status 1; expect "<expr>:1:2: error: unbound variable kar"
run -e '(+ 1'; expect_status 1; expect "<expr>:1:1: error: this '(' is never closed"
run -e '(define y 5)' -e '(* y 2)'; expect_status 0; expect_line "10"
run -e '(quotient 1 0)' -e '(display "not reached")'; expect_status 1
if grep -q "not reached" "$tmp/out"; then fail "-e ran past the error"; fi
finish "tvl -e: 0 on success, 1 on an error"

printf '(+ 1 2)\n' > "$tmp/in"; run < "$tmp/in"; expect_status 0
printf '(+ 1 2)\n:quit\n' > "$tmp/in"; run < "$tmp/in"; expect_status 0
printf '(kar 1)\n(+ 1 2)\n' > "$tmp/in"; run < "$tmp/in"; expect_status 1; expect_line "3"
run --no-such-option; expect_status 2; expect "tvl: unknown option --no-such-option"
run --max-steps; expect_status 2; expect "tvl: --max-steps needs a number"
run --max-depth 0; expect_status 2
run --max-heap lots; expect_status 2
run -e; expect_status 2; expect "tvl: -e needs an expression"
finish "the REPL and the options: exit status"

echo "1..$n"
exit 0
