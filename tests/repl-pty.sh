#!/bin/sh
# repl-pty.sh - the interactive REPL, driven through a pseudo-terminal:
# prompts, the continuation prompt's depth, values with their statistics,
# Ctrl-C during an evaluation, on a half-typed form and at an empty
# prompt, Ctrl-D, and the history file.  Skips when there is no Python 3
# or no pseudo-terminal.
set -u
: "${TVL:?TVL must name the tvl program}"
py=
for p in "${PYTHON:-}" python3; do
  if [ -n "$p" ] && "$p" -c 'import pty, select' >/dev/null 2>&1; then
    py=$p
    break
  fi
done
if [ -z "$py" ]; then
  echo "1..0 # SKIP no python3 with the pty module"
  exit 0
fi
# Line editing (and so the history file) exists only with libedit.
edit=0
if [ -n "${top_builddir:-}" ] && grep -q '^#define HAVE_LIBEDIT 1' "$top_builddir/config.h" 2>/dev/null; then
  edit=1
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tvl-pty.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
TVL_EDIT=$edit TVL_TMP=$tmp exec "$py" - <<'EOF'
import os, re, select, signal, sys, termios, time

tvl = os.environ["TVL"]
tmp = os.environ["TVL_TMP"]
edit = os.environ["TVL_EDIT"] == "1"
TIMEOUT = 20.0
results = []

def report(name, good, detail=""):
    results.append(good)
    print("%sok %d - %s" % ("" if good else "not ", len(results), name))
    if not good and detail:
        for line in detail.splitlines():
            print("#   " + line)
    sys.stdout.flush()

class Session:
    """tvl on a pseudo-terminal; everything it writes is kept in self.out."""
    def __init__(self, *args, hist="history", extra_env=None):
        import pty
        env = dict(os.environ, TERM="dumb", HOME=tmp,
                   TVL_HISTFILE=os.path.join(tmp, hist))
        env.update(extra_env or {})
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            try:
                os.execve(tvl, [tvl] + list(args), env)
            finally:
                os._exit(127)
        self.out = ""
        self.mark = 0
        self.status = None

    def pump(self, timeout):
        r, _, _ = select.select([self.fd], [], [], timeout)
        if not r:
            return False
        try:
            data = os.read(self.fd, 65536)
        except OSError:
            data = b""
        if not data:
            raise EOFError
        self.out += data.decode("utf-8", "replace").replace("\r\n", "\n")
        return True

    def expect(self, pattern):
        """Waits until pattern (a regex) appears after the last match."""
        rx = re.compile(pattern)
        end = time.time() + TIMEOUT
        while True:
            m = rx.search(self.out, self.mark)
            if m:
                self.mark = m.end()
                return True
            left = end - time.time()
            if left <= 0:
                return False
            try:
                self.pump(left)
            except EOFError:
                m = rx.search(self.out, self.mark)
                if m:
                    self.mark = m.end()
                return bool(m)

    def send(self, text):
        """Types text once tvl reads the terminal.  libedit prints its
        prompt before it switches the terminal to raw mode, and what is
        typed in between is echoed twice (a real user is never that
        quick), so with libedit wait for raw mode first."""
        if edit:
            end = time.time() + TIMEOUT
            while time.time() < end:
                try:
                    if not termios.tcgetattr(self.fd)[3] & termios.ICANON:
                        break
                except termios.error:
                    break
                time.sleep(0.002)
        os.write(self.fd, text.encode())

    def interrupt(self):
        """Ctrl-C at once, also while tvl is busy."""
        os.write(self.fd, b"\x03")

    def wait(self):
        end = time.time() + TIMEOUT
        while self.status is None and time.time() < end:
            pid, st = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = st
                break
            try:
                self.pump(0.05)
            except EOFError:
                pass
        if self.status is None:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            return None
        return os.waitstatus_to_exitcode(self.status)

    def tail(self):
        return "output so far:\n" + self.out[-1500:]

def screen(text):
    """The lines a terminal shows after text: carriage returns, erase to
    the end of the line (ESC [ K) and newlines are obeyed."""
    lines, col, i = [""], 0, 0
    while i < len(text):
        if text.startswith("\x1b[K", i):
            lines[-1] = lines[-1][:col]
            i += 3
            continue
        c = text[i]
        if c == "\r":
            col = 0
        elif c == "\n":
            lines.append("")
            col = 0
        else:
            l = lines[-1].ljust(col)
            lines[-1] = l[:col] + c + l[col + 1:]
            col += 1
        i += 1
    return lines

def check(s, name, pattern):
    report(name, s.expect(pattern), "wanted /%s/\n%s" % (pattern, s.tail()))

try:
    s = Session()
except OSError as e:
    print("1..0 # SKIP no pseudo-terminal: %s" % e)
    sys.exit(0)

check(s, "banner, then the prompt", r"tvl 0\.[0-9.]+ .*:help for help.*\ntvl> $")
s.send("(define x 41)\n")
check(s, "a definition is shown, with what its run cost",
      r"x = 41   ; [0-9]+ tokens \xb7 [0-9.]+ ms\ntvl> ")
s.send("(+ x\n")
check(s, "continuation prompt shows depth 1", r"\n\.\.1> $")
s.send("(* 2\n")
check(s, "continuation prompt shows depth 2", r"\n\.\.2> $")
s.send("1))\n")
check(s, "the value, with steps and time", r"\n\$\d+ = 43   ; \d+ (steps?|tokens?) \S+ [0-9.]+ ms\ntvl> ")
s.send("(display 5)\n")
check(s, "output without a newline: the prompt starts a line of its own",
      r"\n5\n; \d+ (steps?|tokens?) \S+ [0-9.]+ ms\ntvl> ")
s.send('(begin (display "spinning") (newline) (let loop ((i 0)) (loop (+ i 1))))\n')
running = s.expect(r"spinning\n")
time.sleep(0.2)
s.interrupt()
report("Ctrl-C stops a running evaluation",
       running and s.expect(r"\n<repl>:\d+:\d+: error: interrupted \(Ctrl-C\)\n.*\n *\^\ntvl> "),
       s.tail())
s.send("x\n")
check(s, "definitions survive the interrupt", r"\n\$\d+ = 41   ; .*\ntvl> ")
s.send("(define y\n")
check(s, "a half-typed form", r"\.\.1> $")
s.send("\x03")
check(s, "Ctrl-C throws the half-typed form away", r"\ntvl> $")
s.send("y\n")
check(s, "the thrown-away form defined nothing",
      r"error: unbound variable y\n.*\n *\^\ntvl> $")
s.send("(define z\n")
s.expect(r"\.\.1> $")
s.interrupt()             # at once: before libedit has even set raw mode
check(s, "a Ctrl-C typed the instant the prompt appears is not lost",
      r"\ntvl> $")
s.send("\x03")
check(s, "Ctrl-C at an empty prompt prints a hint", r"\(Ctrl-C again to quit\)\ntvl> $")
s.send("(+ 1 1)\n")
check(s, "the hint disarms after a line", r"\n\$\d+ = 2   ; [^\n]*\ntvl> $")
s.send("\x03")
check(s, "a first Ctrl-C again", r"\(Ctrl-C again to quit\)\ntvl> $")
s.send("\x03")
status = s.wait()
report("a second Ctrl-C leaves, with status 0", status == 0,
       "status %s\n%s" % (status, s.tail()))

if edit:
    hist = os.path.join(tmp, "history")
    text = open(hist, errors="replace").read() if os.path.exists(hist) else ""
    report("the history is written to TVL_HISTFILE",
           "(define\\040x\\04041)" in text or "(define x 41)" in text,
           "history file:\n" + text[-500:])
    s = Session("-q")
    check(s, "-q: no banner, just the prompt", r"^tvl> $")
    s.send("\x1b[A")          # up arrow: the last line of the last session
    s.send("\n")
    check(s, "the history is read back: up arrow recalls the last line",
          r"\n\$1 = 2   ; [^\n]*\ntvl> $")
    s.send("\x04")
    status = s.wait()
    report("Ctrl-D leaves, with status 0", status == 0,
           "status %s\n%s" % (status, s.tail()))
else:
    print("# built without libedit: no history to check")
    s = Session("-q")
    check(s, "-q: no banner, just the prompt", r"^tvl> $")
    s.send("\x04")
    status = s.wait()
    report("Ctrl-D leaves, with status 0", status == 0,
           "status %s\n%s" % (status, s.tail()))

s = Session("-q", "--no-stats", hist="history2")
check(s, "--no-stats: the prompt", r"^tvl> $")
s.send("(display 7)\n")
check(s, "--no-stats: display output, then the prompt on its own line",
      r"\n7\ntvl> $")
s.send("(kar 1)\n")
check(s, "an error, then the prompt", r"error: unbound variable kar .*\n.*\n *\^\ntvl> $")
s.send("(quit-is-not-a-form\n")
check(s, "an unfinished form at Ctrl-D", r"\.\.1> $")
s.send("\x04")
check(s, "is reported when input ends",
      r"<repl>:\d+:1: error: this '\(' is never closed \(input ended\)")
status = s.wait()
report("an interactive session exits 0 even after errors", status == 0,
       "status %s" % status)

# Habits from Guile: numbered values reused in later forms (also by the
# transformer), :time, comma commands, (exit); "did you mean".
s = Session("-q", hist="history3")
check(s, "numbering: the prompt", r"^tvl> $")
s.send("(deftable lookup (A 2) (B 5) (C 9))\n")
s.expect(r"lookup: table, 3 entries\ntvl> $")
s.send("(define (f x) (let* ((y (lookup x)) (z (+ y 1))) z))\n")
s.expect(r"also[^\n]*\ntvl> $")
s.send("(f 'B)\n")
check(s, "a value is numbered as Guile numbers it, and a circuit's cost is its passes",
      r"\n\$1 = 6   ; 1 forward pass \xb7 [0-9.]+ ms\ntvl> $")
s.send("(* $1 7)\n")
check(s, "$1 is reused by the transformer in a later form",
      r"\n\$2 = 42   ; [0-9]+ tokens[^\n]*\ntvl> $")
s.send("(define (g a) (+ a $2))\n")
s.expect(r"slots[^\n]*\ntvl> $")
s.send("(g 1)\n")
check(s, "a compiled procedure reads $2 as a global", r"\n\$3 = 43   ; [^\n]*\ntvl> $")
s.send(":mode reference\n")
s.expect(r"reference: [^\n]*\ntvl> $")
s.send("(+ $3 $1)\n")
check(s, "and so does the reference evaluator", r"\n\$4 = 49   ; [^\n]*\ntvl> $")
s.send("(define w 3)\n")
check(s, "a definition is not numbered", r"\nw = 3[^\n]*\ntvl> $")
s.send(":mode transformer\n")
s.expect(r"transformer: [^\n]*\ntvl> $")
s.send(":time (f 'C)\n")
check(s, ":time: the value, then compile and run times, forward passes and passes/s",
      r"\n\$5 = 10\n; compile [0-9.]+ ms \xb7 run [0-9.]+ ms \xb7 1 forward pass \xb7 \d+ forward passes/s\ntvl> $")
s.send("(lookp 'A)\n")
check(s, "an unbound name: did you mean", r"unbound variable lookp \(did you mean lookup\?\)")
s.send(":tiem 1\n")
check(s, "an unknown command: did you mean", r"unknown command :tiem \(did you mean :time\?")
s.send(",help time\n")
check(s, ",help is :help", r"\n:time expr\n  Run expr as the REPL would")
s.send(",t (f 'A)\n")
check(s, ",t is Guile's ,time", r"\n\$6 = 3\n; compile ")
s.send(",q\n")
status = s.wait()
report(",q leaves, with status 0", status == 0, "status %s\n%s" % (status, s.tail()))
s = Session("-q", hist="history3")
s.expect(r"^tvl> $")
s.send("(exit 3)\n")
status = s.wait()
report("(exit 3) leaves with status 3", status == 3, "status %s\n%s" % (status, s.tail()))

if edit:
    # Completion and multi-line history need libedit.
    s = Session("-q", hist="history4")
    s.expect(r"^tvl> $")
    # (defi is the start of define, define-syntax and define-values: Tab
    # completes what they share (several candidates: it may ring)
    s.send("(defi\t")
    check(s, "Tab completes (defi to (define", r"\(define$")
    s.send(" (sq n)\n  ; the square\n  (* n n))\n")
    check(s, "a definition over three lines", r"sq: [^\n]*\n(  [^\n]*\n)*tvl> $")
    s.send("(s\tq 5)\n")
    check(s, "Tab completes a global name", r"\(sq 5\)\r?\n\$1 = 25")
    bell_from = len(s.out)
    s.send(":lo\t")
    check(s, "Tab completes a command", r":load $")
    report("... and rings no bell (one candidate: nothing to warn of)",
           "\a" not in s.out[bell_from:], repr(s.out[bell_from:]))
    os.makedirs(os.path.join(tmp, "dir"), exist_ok=True)
    open(os.path.join(tmp, "dir", "prog-one.tvl"), "w").write("(define one 1)\n")
    s.send(os.path.join(tmp, "dir", "prog-o") + "\t")
    check(s, "Tab completes a file name after :load", r"prog-one\.tvl $")
    s.send("\n")
    check(s, "the completed file is loaded", r"one = 1")
    s.send("\x1b[A\x1b[A\x1b[A")     # three Ups: the :load line, (sq 5), the define
    s.send("\n")
    check(s, "the three-line definition comes back as one history entry",
          r"\(define \(sq n\) \(\* n n\)\)\r?\nsq: ")
    s.send("(de\t")
    check(s, "Tab on an ambiguous word (de completes what the candidates "
          "share and rings the bell", r"\a")
    s.send("\x15\x04")
    s.wait()
else:
    print("# built without libedit: no completion or history to check")

# Progress of long runs: shown (TVL_PROGRESS_AFTER=0 shows it at once)
# but erased before every piece of output and at the end.
prog = os.path.join(tmp, "long.tvl")
with open(prog, "w") as f:
    f.write("""(define (spin n) (let loop ((i 0)) (if (< i n) (loop (+ i 1)) n)))
(display "start") (newline)
(display (spin 40000)) (newline)
(display "half")
(display (spin 20000))
(newline)
(spin 20000)
(display "end") (newline)
""")
s = Session(prog, extra_env={"TVL_PROGRESS_AFTER": "0"})
status = s.wait()
report("a long script runs through the terminal", status == 0,
       "status %s\n%s" % (status, s.tail()))
report("its progress was shown while it ran", "tokens/s" in s.out, s.tail())
shown = screen(s.out)
report("the progress line is erased: the screen holds the output alone",
       shown == ["start", "40000", "half20000", "end", ""],
       "screen: %r" % shown)

print("1..%d" % len(results))
EOF
