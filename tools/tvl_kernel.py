#!/usr/bin/env python3
"""tvl_kernel.py - tvl-kernel, a Jupyter kernel for tvl.

    tvl_kernel.py [--tvl PATH] [--arg OPTION ...] -f CONNECTION_FILE

A wrapper kernel (ipykernel's Kernel class) driving one tvl session: a
`tvl -q --stats` process reading the cells on its standard input, as a
terminal user's REPL would but through pipes.  A cell holds tvl forms
and colon commands, one command per line, as typed at the tvl> prompt.

- What tvl prints goes to the notebook as it is; errors and messages
  (stderr) too, with their caret, and a source position `<stdin>:L:C`
  becomes the cell's own, `In[N]:l:C`.  A cell that printed an error
  replies with status "error" (a notebook run stops there).
- `:slots NAME --svg` and `:weights NAME --svg` without a FILE show the
  chart inline (image/svg+xml); with a FILE they write it and show it.
  `:trace --json EXPR` without `> FILE` returns the trace as data
  (application/json, format tvl-trace/1; docs/model-format.md).
- A cell whose last form is not closed is not sent: the kernel reports
  it, with a caret, and the session is as before.
- Interrupting the kernel (Ctrl-C, "Interrupt" in a notebook) sends
  SIGINT to tvl, which stops the running form and keeps the session.
- If tvl ends (:quit, a crash), the next cell starts a new session.

Knowing where a cell's output ends: after each cell the kernel sends a
line `:help NONCE`, which tvl answers on stderr ("no help on ...") once
everything before it is done, and tvl flushes its stdout before writing
to stderr.  A colon command is only a command at the start of a line
outside any form: the kernel follows the reader's state (lists,
strings, comments, quotes) to know which lines are commands and whether
the cell ends inside a form.

`make install` installs this file, the `tvl-kernel` command that runs it
with the installed tvl, and the kernelspec (share/jupyter/kernels/tvl).
"""

import argparse
import json
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time

__version__ = "1"


# ---- the reader's state, line by line ---------------------------------------

class Scanner:
    """Follows tvl's reader (lang/reader.c) over lines: which lines start
    at the top level (where a ':' line is a command), and whether the
    text ends inside a form.  Not a parser: it tracks open lists and
    vectors, quotes and #; waiting for a datum, strings and comments."""

    OPEN = {"(": ")", "[": "]"}

    def __init__(self):
        self.frames = []        # [kind, char, line, col]: list, vec, quote, skip
        self.tok = None         # None, "atom", "str", "esc", "block"
        self.tok_at = None
        self.block = 0
        self.prev = ""
        self.atom = ""
        self.failed = False

    def at_root(self):
        return not self.frames and self.tok is None and not self.failed

    def feed_line(self, line, lineno):
        """Feeds one line (without its newline) and the newline."""
        for col, c in enumerate(line + "\n", 1):
            if not self.failed:
                self.char(c, lineno, col)
        if self.failed:          # the REPL recovers after the line
            self.__init__()

    def datum(self):
        """A datum ended: it completes the quotes and #; waiting for it."""
        while self.frames and self.frames[-1][0] in ("quote", "skip"):
            self.frames.pop()

    def char(self, c, line, col):
        t = self.tok
        if t == "str":
            if c == '"':
                self.tok = None
                self.datum()
            elif c == "\\":
                self.tok = "esc"
            return
        if t == "esc":
            self.tok = "str"
            if c not in 'ntr\\"':
                self.failed = True
            return
        if t == "comment":
            if c == "\n":
                self.tok = None
            return
        if t == "block":
            if self.prev == "|" and c == "#":
                self.block -= 1
                self.prev = ""
                if self.block == 0:
                    self.tok = None
            elif self.prev == "#" and c == "|":
                self.block += 1
                self.prev = ""
            else:
                self.prev = c
            return
        if t == "atom":
            if self.atom == "#" and c in "(|;":
                self.tok = None
                if c == "(":
                    self.frames.append(["vec", "(", ] + list(self.tok_at))
                elif c == "|":
                    self.tok, self.block, self.prev = "block", 1, ""
                else:
                    self.frames.append(["skip", "#;"] + list(self.tok_at))
                return
            if c in " \t\n\r\f()[]\";'":
                self.tok = None
                self.datum()
            else:
                self.atom += c
                return
        self.start(c, line, col)

    def start(self, c, line, col):
        if c in " \t\n\r\f":
            return
        if c in "([":
            self.frames.append(["list", c, line, col])
        elif c in ")]":
            if not self.frames or self.frames[-1][0] not in ("list", "vec") \
                    or self.OPEN.get(self.frames[-1][1], ")") != c:
                self.failed = True
                return
            self.frames.pop()
            self.datum()
        elif c == '"':
            self.tok, self.tok_at = "str", (line, col)
        elif c == ";":
            self.tok = "comment"
        elif c == "'":
            self.frames.append(["quote", "'", line, col])
        elif c in "`,":
            self.failed = True
        else:
            self.tok, self.tok_at, self.atom = "atom", (line, col), c

    def pending(self):
        """Why the text is not complete, and where: (message, line, col),
        or None."""
        if self.tok == "str":
            return ("this string is never closed",) + tuple(self.tok_at)
        if self.tok == "esc":
            return ("this string is never closed",) + tuple(self.tok_at)
        if self.tok == "block":
            return ("this #| comment is never closed",) + tuple(self.tok_at)
        if self.frames:
            kind, ch, line, col = self.frames[-1]
            if kind == "quote":
                return ("the cell ends after a quote", line, col)
            if kind == "skip":
                return ("the cell ends after #;", line, col)
            return ("this '%s' is never closed" % ch, line, col)
        return None


def split_words(s):
    """The words of a command's arguments, as tvl splits them: blanks
    outside parentheses and strings (repl/inspect.c)."""
    words, i, n = [], 0, len(s)
    while True:
        while i < n and s[i] in " \t":
            i += 1
        if i >= n:
            return words
        j, depth, in_str = i, 0, False
        while j < n:
            c = s[j]
            if in_str:
                if c == "\\" and j + 1 < n:
                    j += 1
                elif c == '"':
                    in_str = False
            elif c == '"':
                in_str = True
            elif c == "(":
                depth += 1
            elif c == ")" and depth > 0:
                depth -= 1
            elif c in " \t" and depth == 0:
                break
            j += 1
        words.append(s[i:j])
        i = j


def redirect_of(words):
    """The file of a trailing '> FILE' or '>FILE', or None."""
    at = max([i for i, w in enumerate(words) if w.startswith(">") and i > 0],
             default=-1)
    if at < 0:
        return None
    w = words[at]
    if len(w) > 1 and at == len(words) - 1:
        return w[1:]
    if w == ">" and at == len(words) - 2:
        return words[-1]
    return None


# ---- the session -------------------------------------------------------------

class SessionEnded(Exception):
    pass


class Session:
    """One tvl process and the cells sent to it.  Knows nothing of
    Jupyter: wait() calls its callbacks with what tvl prints."""

    def __init__(self, tvl, args=()):
        self.tvl = tvl
        self.args = list(args)
        self.proc = None
        self.lines = 0          # lines of stdin sent: tvl's <stdin> line numbers
        self.nonce = 0
        self.tmp = tempfile.mkdtemp(prefix="tvl-kernel.")
        self.files = 0

    def start(self):
        env = dict(os.environ)
        env.setdefault("TVL_HISTFILE", os.devnull)
        # its own process group: a notebook's interrupt reaches tvl through
        # the kernel only, once
        self.proc = subprocess.Popen(
            [self.tvl, "-q", "--stats"] + self.args, stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
            start_new_session=True)
        self.lines = 0
        self.cells = []         # (first line, last line, name) in <stdin>
        for f in (self.proc.stdout, self.proc.stderr):
            os.set_blocking(f.fileno(), False)

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def close(self):
        if self.proc is not None:
            try:
                self.proc.stdin.close()
            except OSError:
                pass
            try:
                self.proc.wait(timeout=2)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.proc = None
        shutil.rmtree(self.tmp, ignore_errors=True)

    def interrupt(self):
        if self.alive():
            os.kill(self.proc.pid, signal.SIGINT)

    def temp(self, ext):
        self.files += 1
        return os.path.join(self.tmp, "out-%d.%s" % (self.files, ext))

    def plan(self, cell):
        """The lines to send for a cell, the files to show after it
        [(kind, path, temporary)], and whether it is incomplete
        (message, line, col) instead."""
        sc = Scanner()
        out, shows = [], []
        for i, line in enumerate(cell.split("\n"), 1):
            if sc.at_root() and line.lstrip().startswith(":"):
                line, show = self.command(line)
                if show:
                    shows.append(show)
                out.append(line)
                continue
            sc.feed_line(line, i)
            out.append(line)
        return out, shows, sc.pending()

    def command(self, line):
        """A colon command, rewritten to write a file the kernel shows."""
        m = re.match(r"\s*:(\S*)(.*)$", line)
        name, rest = m.group(1), m.group(2)
        words = split_words(rest)
        if name in ("slots", "weights") and "--svg" in words:
            at = words.index("--svg")
            if at == len(words) - 1:
                path = self.temp("svg")
                return line.rstrip() + " " + path, ("svg", path, True)
            if at == len(words) - 2:
                return line, ("svg", words[-1], False)
        if name == "trace" and "--json" in words:
            path = redirect_of(words)
            if path is None:
                path = self.temp("json")
                return line.rstrip() + " > " + path, ("json", path, True)
            return line, ("json", path, False)
        return line, None

    MARK = re.compile(r"tvl-kernel-sync-(\d+)")

    def send(self, lines):
        """Sends a cell's lines and a marker; returns the first line's
        number in tvl's <stdin>."""
        if not self.alive():
            self.start()
        self.first = self.lines + 1
        self.lines += len(lines)
        self.cells.append((self.first, self.lines, self.cell_name))
        self._write("\n".join(lines) + "\n")
        self.cell_nonce = self.nonce + 1
        self.mark()
        return self.first

    def mark(self):
        """Sends a marker line; after an interrupt that may have thrown
        away the line being read, another one."""
        self.nonce += 1
        self.lines += 1
        self._write(":help tvl-kernel-sync-%d\n" % self.nonce)

    def wait(self, on_out, on_err, on_wait=None):
        """Calls on_out(text) and on_err(text) with what tvl prints until
        a marker of this cell comes back (an older one is dropped).
        on_wait() is called about every 0.1 s."""
        while True:
            if on_wait:
                on_wait()
            ready, _, _ = select.select([self.proc.stdout, self.proc.stderr],
                                        [], [], 0.1)
            if self.proc.stderr in ready:
                # tvl flushes stdout before it writes to stderr: what it
                # printed before this is in the pipe now
                if not self._drain(self.proc.stdout, on_out):
                    raise SessionEnded(self._ended())
                chunk = self._read(self.proc.stderr)
                if chunk is None:
                    raise SessionEnded(self._ended())
                self.err_buf += chunk
                text, done = [], False
                while "\n" in self.err_buf and not done:
                    line, self.err_buf = self.err_buf.split("\n", 1)
                    m = self.MARK.search(line)
                    done = bool(m) and int(m.group(1)) >= self.cell_nonce
                    if not m:
                        text.append(line + "\n")
                if text:
                    on_err(self.relocate("".join(text), self.first))
                if done:
                    if not self._drain(self.proc.stdout, on_out):
                        raise SessionEnded(self._ended())
                    return
            elif self.proc.stdout in ready:
                if not self._drain(self.proc.stdout, on_out):
                    raise SessionEnded(self._ended())

    err_buf = ""

    def _write(self, text):
        try:
            self.proc.stdin.write(text.encode("utf-8"))
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            raise SessionEnded(self._ended())

    @staticmethod
    def _read(f):
        try:
            data = os.read(f.fileno(), 65536)
        except BlockingIOError:
            return ""
        if not data:
            return None
        return data.decode("utf-8", "replace")

    def _drain(self, f, cb):
        """Reads what is there; False at the end of the stream."""
        while True:
            chunk = self._read(f)
            if chunk is None:
                return False
            if not chunk:
                return True
            cb(chunk.replace("(Ctrl-C again to quit)\n", ""))

    def _ended(self):
        try:
            status = self.proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            status = self.proc.wait()
        rest = ""
        for f in (self.proc.stdout, self.proc.stderr):
            try:
                rest += (f.read() or b"").decode("utf-8", "replace")
            except (OSError, ValueError):
                pass
        self.proc = None
        return rest, status

    def relocate(self, text, first=None):
        """<stdin>:L:C -> In[N]:l:C, N the cell that sent line L."""
        def sub(m):
            line = int(m.group(1))
            for start, end, name in reversed(self.cells):
                if start <= line <= end:
                    return "%s:%d:%s" % (name, line - start + 1, m.group(2))
            return m.group(0)
        return re.sub(r"<stdin>:(\d+):(\d+)", sub, text)

    cell_name = "<cell>"


def has_error(err_text):
    """Whether stderr holds more than warnings (a warning line and its
    indented source and caret lines)."""
    in_warning = False
    for line in err_text.splitlines():
        if re.search(r":\d+:\d+: warning: ", line):
            in_warning = True
        elif in_warning and line.startswith("  "):
            continue
        elif line.strip():
            return True
        else:
            in_warning = False
    return False


# ---- the Jupyter side ---------------------------------------------------------

def make_kernel_class():
    from ipykernel.kernelbase import Kernel

    class TvlKernel(Kernel):
        implementation = "tvl-kernel"
        implementation_version = __version__
        language = "tvl"
        language_version = "1"
        language_info = {"name": "tvl", "mimetype": "text/x-scheme",
                         "file_extension": ".tvl", "codemirror_mode": "scheme",
                         "pygments_lexer": "scheme"}
        banner = "tvl: a Scheme compiled into transformer weights"
        tvl_path = "tvl"
        tvl_args = []

        def __init__(self, **kw):
            super().__init__(**kw)
            self.tvl = Session(self.tvl_path, self.tvl_args)

        def stream(self, name, text):
            if name == "stdout":     # "wrote FILE" of a file the kernel shows
                text = re.sub(r"(?m)^wrote %s[^\n]*\n" % re.escape(self.tvl.tmp),
                              "", self.tvl.relocate(text))
            if text and not self.silent:
                self.send_response(self.iopub_socket, "stream",
                                   {"name": name, "text": text})

        def do_execute(self, code, silent, store_history=True,
                       user_expressions=None, allow_stdin=False):
            self.silent = silent
            s = self.tvl
            s.cell_name = "In[%d]" % self.execution_count
            lines, shows, pending = s.plan(code)
            err = []
            if pending:
                msg, line, col = pending
                src = code.split("\n")[line - 1]
                text = "%s:%d:%d: error: %s (the cell ended)\n  %s\n  %s^\n" % (
                    s.cell_name, line, col, msg, src,
                    "".join(c if c == "\t" else " " for c in src[:col - 1]))
                self.stream("stderr", text)
                return self.reply_error(msg)

            def on_err(text):
                err.append(text)
                self.stream("stderr", text)

            interrupted = [0.0]

            def on_wait():
                if interrupted[0] and time.time() - interrupted[0] > 2:
                    s.mark()            # the marker may have been dropped
                    interrupted[0] = time.time()

            try:
                self.run_with_interrupts(lines, on_err, on_wait, interrupted)
            except SessionEnded as e:
                rest, status = e.args[0]
                if rest:
                    on_err(rest)
                on_err("tvl ended (status %s); the next cell starts a new "
                       "session\n" % status)
                asked = any(re.match(r"\s*:q", l) for l in lines)   # :quit
                if status == 0 or asked:
                    return self.reply_ok()
                return self.reply_error("tvl ended")
            for kind, path, temp in shows:
                self.show(kind, path, temp)
            text = "".join(err)
            if has_error(text):
                first = next(l for l in text.splitlines()
                             if l.strip() and "warning:" not in l)
                return self.reply_error(first)
            return self.reply_ok()

        def run_with_interrupts(self, lines, on_err, on_wait, interrupted):
            """Runs the cell; a KeyboardInterrupt (the notebook's interrupt,
            SIGINT to this process) is passed on to tvl, and the wait goes
            on: tvl stops the form and keeps the session."""
            s = self.tvl
            s.send(lines)
            while True:
                try:
                    s.wait(lambda t: self.stream("stdout", t), on_err, on_wait)
                    return
                except KeyboardInterrupt:
                    s.interrupt()
                    interrupted[0] = time.time()

        def show(self, kind, path, temp):
            try:
                with open(path, encoding="utf-8") as f:
                    data = f.read()
            except OSError:
                return          # tvl said why it wrote nothing
            if temp:
                os.unlink(path)
            if kind == "svg":
                bundle = {"image/svg+xml": data,
                          "text/plain": "<an SVG chart, %d bytes>" % len(data)}
            else:
                try:
                    obj = json.loads(data)
                except ValueError:
                    self.stream("stdout", data)
                    return
                bundle = {"application/json": obj,
                          "text/plain": trace_summary(obj)}
            if not self.silent:
                self.send_response(self.iopub_socket, "display_data",
                                   {"data": bundle, "metadata": {}})

        def reply_ok(self):
            return {"status": "ok", "execution_count": self.execution_count,
                    "payload": [], "user_expressions": {}}

        def reply_error(self, what):
            return {"status": "error", "execution_count": self.execution_count,
                    "ename": "tvl error", "evalue": what, "traceback": []}

        def do_is_complete(self, code):
            _, _, pending = self.tvl.plan(code)
            if pending:
                return {"status": "incomplete", "indent": "  "}
            return {"status": "complete"}

        def do_shutdown(self, restart):
            self.tvl.close()
            return {"status": "ok", "restart": restart}

    return TvlKernel


def trace_summary(t):
    """A line of text for a trace object (what a frontend without a JSON
    viewer shows)."""
    if not isinstance(t, dict) or t.get("format") != "tvl-trace/1":
        return json.dumps(t)[:200]
    how = "result %s" % t.get("result") if t.get("ok") else \
        "error: %s" % (t.get("error") or "").split("\n")[0]
    return "tvl-trace/1 of %s: %d tokens, %d statements, output %r, %s" % (
        t.get("expression"), len(t.get("tokens", [])),
        t.get("statements_total", 0), t.get("output", ""), how)


def main(argv=None):
    ap = argparse.ArgumentParser(description="the Jupyter kernel for tvl")
    ap.add_argument("--tvl", default=os.environ.get("TVL", "tvl"),
                    help="the tvl program (default: $TVL, or tvl on the PATH)")
    ap.add_argument("--arg", action="append", default=[],
                    help="an option for tvl, e.g. --arg=--reference")
    ap.add_argument("-f", dest="connection_file", required=True,
                    help="the connection file Jupyter gives")
    args = ap.parse_args(argv)
    from ipykernel.kernelapp import IPKernelApp
    cls = make_kernel_class()
    cls.tvl_path = args.tvl
    cls.tvl_args = args.arg
    IPKernelApp.launch_instance(argv=["-f", args.connection_file],
                                kernel_class=cls)


if __name__ == "__main__":
    main()
