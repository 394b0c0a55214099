/* fuzz-forms.c - libFuzzer harness for the language front end.
 *
 * Each input is typed into a fresh session the way the REPL reads it
 * (repl/shell.c, repl_line): line by line, each line fed to the reader
 * with its newline, every complete form expanded, checked and run, a
 * syntax error reported and recovered from, a REPL command line (":...")
 * skipped, and at the end of input an unfinished form closed by rd_eof.
 * Errors and warnings are formatted with session_diag as the REPL prints
 * them, so that carets under arbitrary bytes are exercised too.
 *
 * The reference evaluator only (no compilation: thousands of inputs a
 * second), with small limits so that a runaway loop, a deep recursion or
 * a large vector ends at once with the evaluator's own error.  Output is
 * dropped.  Bad input must give an error, never a crash, a leak or
 * undefined behaviour: everything is freed, so LeakSanitizer checks it.
 *
 * Externs: a fuzzed (extern ...) could name any C function (exit, abort,
 * free of a string...), whose effects are not tvl's to prevent
 * (lang/ffi.c).  The build links this file with -Wl,--wrap=ffi_prepare,
 * so the expander's call of ffi_prepare reaches __wrap_ffi_prepare below,
 * which refuses every library the way an unknown one is refused: the
 * declaration's syntax is still fuzzed, no C function is ever called.
 *
 * Built with -DFUZZ_CHECK (tests/fuzz-check), every form runs in check
 * mode instead: compiled into a transformer (list schedule, small limits,
 * a time limit per form) and run, then run by the reference evaluator,
 * so that the lowering, the gate graph, the scheduler, the weights and
 * the machine are fuzzed too.  A crash anywhere stops the run; a
 * difference between the two (an error of kind "check") is not a crash:
 * the input is saved in tests/fuzz-divergences/ (when that directory
 * exists) for the compiler's maintainers.
 *
 * Build and run: make fuzz (tests/fuzz.mk).
 */
#include "config.h"

#include "lib/session.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Small enough that a bad input costs milliseconds, large enough that the
 * test programs used as seeds mostly run to completion. */
enum {
  FUZZ_MAX_STEPS = 20000,
  FUZZ_MAX_DEPTH = 200,
  FUZZ_MAX_HEAP = 1 << 14,
};

static const uint8_t *fuzz_data;   /* the input being run */
static size_t fuzz_size;

#ifdef FUZZ_CHECK
/* FNV-1a, to name a saved input. */
static uint64_t hash(const uint8_t *d, size_t n) {
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < n; i++) h = (h ^ d[i]) * 1099511628211ull;
  return h;
}

/* A check failure that is no difference: the transformer refused the
 * program (it cannot compile it yet) or stopped at a limit the evaluator,
 * counting differently, did not reach. */
static bool refusal_or_limit(const char *msg) {
  static const char *const skip[] = {
    "limit reached", "cannot compile", "compiled code", "interrupted",
    "run it with --reference", "too large", "recursion too deep",
    "out of memory"};
  if (!strstr(msg, "the transformer failed but")) return false;
  for (size_t i = 0; i < sizeof skip / sizeof *skip; i++)
    if (strstr(msg, skip[i])) return true;
  return false;
}

static void save_divergence(const char *msg) {
  if (refusal_or_limit(msg)) return;
  if (getenv("FUZZ_VERBOSE")) fprintf(stderr, "divergence: %s\n", msg);
  char path[128];
  snprintf(path, sizeof path, "tests/fuzz-divergences/%016llx.tvl",
           (unsigned long long)hash(fuzz_data, fuzz_size));
  safe_write_file(path, fuzz_data, fuzz_size, 0644);
}
#endif

bool __wrap_ffi_prepare(extern_def *x, arena *mem, char *err, size_t errlen);

bool __wrap_ffi_prepare(extern_def *x, arena *mem, char *err, size_t errlen) {
  (void)mem;
  snprintf(err, errlen, "cannot load library %s (externs are off while fuzzing)",
           x->library ? x->library : "?");
  return false;
}

/* A UBSan report with the stack that led to it, not only the line. */
const char *__ubsan_default_options(void);
const char *__ubsan_default_options(void) { return "print_stacktrace=1"; }

static void drop_output(void *ctx, const char *s, size_t n) {
  (void)ctx;
  (void)s;
  (void)n;
}

/* A diagnostic formatted as the REPL would print it, then dropped. */
static void diag(session *s, srcloc loc, const char *severity, const char *msg) {
  strbuf b;
  sb_init(&b);
  session_diag(s, loc, severity, msg ? msg : "error", &b);
  sb_free(&b);
}

static void drop_warning(void *ctx, srcloc loc, const char *msg) {
  diag(ctx, loc, "warning", msg);
}

static void run_forms(session *s, reader *rd) {
  while (rd_has_form(rd)) {
    rd_form f = rd_take(rd);
    form_result r;
    form_result_init(&r);
    if (!session_eval(s, &f, NULL, 0, &r)) {
      diag(s, r.err.loc, "error", r.err.msg);
#ifdef FUZZ_CHECK
      if (r.err.kind && !strcmp(r.err.kind, "check") && r.err.msg)
        save_divergence(r.err.msg);
#endif
    }
    form_result_free(&r);
  }
}

static void report_reader_error(session *s, reader *rd) {
  srcloc loc;
  const char *msg = rd_error(rd, &loc);
  diag(s, loc, "error", msg ? msg : "syntax error");
}

/* The REPL's test for a command line: ':' after optional blanks. */
static bool is_command(const uint8_t *line, size_t n) {
  size_t i = 0;
  while (i < n && (line[i] == ' ' || line[i] == '\t')) i++;
  return i < n && line[i] == ':';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_data = data;
  fuzz_size = size;
  session *s = session_new();
  s->mode = MODE_REFERENCE;
  s->w->no_extern = true;
#ifdef FUZZ_CHECK
  s->mode = MODE_CHECK;
  s->milp_limit = 0;             /* the list schedule: the MILP is slow */
  s->w->lim.max_seconds = 2;     /* a slow compilation is not a hang */
  s->w->lim.max_memory = (int64_t)1 << 30;
#endif
  s->w->out = drop_output;
  s->w->out_ctx = NULL;
  s->warn = drop_warning;
  s->warn_ctx = s;
  s->w->lim.max_steps = FUZZ_MAX_STEPS;
  s->w->lim.max_depth = FUZZ_MAX_DEPTH;
  s->w->lim.max_heap = FUZZ_MAX_HEAP;
  int file = src_add(&s->w->src, "<fuzz>");
  reader *rd = rd_new(&s->w->syms, &s->w->src, file);
  size_t at = 0;
  while (at < size) {
    /* One line without its newline, as lineread hands it over; a last
     * line without a newline gets one too, as in the REPL. */
    const uint8_t *p = data + at;
    const uint8_t *nl = memchr(p, '\n', size - at);
    size_t n = nl ? (size_t)(nl - p) : size - at;
    const char *line = (const char *)p;
    at += n + (nl != NULL);
    if (rd_status_of(rd) == RD_ROOT && is_command(p, n)) {
      /* Commands are the shell's, not the front end's: the REPL records
       * the line and runs the command; here it is only recorded. */
      rd_skip_line(rd, line, n);
      continue;
    }
    rd_feed(rd, line, n);
    rd_feed(rd, "\n", 1);
    run_forms(s, rd);
    if (rd_status_of(rd) == RD_ERROR) {
      report_reader_error(s, rd);
      rd_recover(rd);
    }
  }
  /* Ctrl-D: an unfinished form is an error. */
  if (rd_status_of(rd) == RD_PENDING) {
    rd_eof(rd);
    run_forms(s, rd);
    if (rd_status_of(rd) == RD_ERROR) report_reader_error(s, rd);
  }
  rd_free(rd);
  session_free(s);
  return 0;
}
