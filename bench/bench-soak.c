/* bench-soak.c - one long run, exact against the evaluator, and its memory.
 *
 * A loop of arithmetic and vector writes (the program of tests/test-long)
 * runs in the transformer (routed, with the O(1) offset and address
 * caches, the hull for the other heads), then in the reference evaluator
 * in a session of its own; any difference in output or value is an
 * error.  Prints the tokens generated, the transformer's run time and
 * tokens per second, the peak resident set of the process after the
 * transformer's run, and its growth over a baseline taken after
 * compiling: the bytes per generated token (target: at most 32).
 *
 * With --step-limit: an endless loop (a counter that never stops) in a
 * session with the default limits must stop at the default step limit,
 * 10^8 tokens, with the limit's error and no other; prints the same
 * figures.  This is what a runaway program costs.
 *
 * Usage: bench-soak [TOKENS]     (default 200000000; the iterations are
 *                                 enough for TOKENS, at the tokens per
 *                                 iteration of two short runs)
 *        bench-soak --iterations N   (N iterations of the loop: make
 *                                 bench-memory runs 10^6)
 *        bench-soak --step-limit
 */
#include "config.h"

#include "lib/session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static const char *const defs =
    "(define v (make-vector 16 0))\n"
    "(define (run n)\n"
    "  (do ((i 0 (+ i 1))\n"
    "       (acc 1 (remainder (+ (* acc 3) i) 65521)))\n"
    "      ((= i n) acc)\n"
    "    (vector-set! v (remainder i 16) acc)))\n"
    "(define (checksum)\n"
    "  (do ((i 0 (+ i 1)) (s 0 (remainder (+ (* s 7) (vector-ref v i)) 1000003)))\n"
    "      ((= i 16) s)))\n"
    "(run 10)\n";

static const char *const spin =
    "(define (spin)\n"
    "  (let loop ((i 0)) (if (< i 0) i (loop (+ i 1)))))\n";

static void capture(void *ctx, const char *s, size_t n) {
  sb_putn((strbuf *)ctx, s, n);
}

static double peak_kb(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return (double)ru.ru_maxrss;   /* kilobytes on Linux */
}

static double cpu_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static double wall_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Current resident set, kilobytes (statm), for the baseline. */
static double rss_kb(void) {
  FILE *f = fopen("/proc/self/statm", "r");
  long pages = 0, res = 0;
  if (f) {
    if (fscanf(f, "%ld %ld", &pages, &res) != 2) res = 0;
    fclose(f);
  }
  return (double)res * 4.0;
}

/* Runs every form of text; *last gets the last form's result.  With
 * quiet, a failing form is not reported (the caller expects it). */
static bool eval_text(session *s, const char *text, form_result *last,
                      bool quiet) {
  int file = src_add(&s->w->src, "<soak>");
  reader *rd = rd_new(&s->w->syms, &s->w->src, file);
  rd_feed(rd, text, strlen(text));
  rd_eof(rd);
  bool ok = true;
  while (ok && rd_has_form(rd)) {
    rd_form f = rd_take(rd);
    form_result_free(last);
    form_result_init(last);
    ok = session_eval(s, &f, NULL, 0, last);
    if (!ok && !quiet)
      fprintf(stderr, "bench-soak: %s\n", last->err.msg ? last->err.msg : "error");
  }
  rd_free(rd);
  return ok;
}

static session *open_session(run_mode mode, strbuf *out) {
  session *s = session_new();
  s->mode = mode;
  s->w->out = capture;
  s->w->out_ctx = out;
  return s;
}

static void report_memory(double base, int64_t tokens) {
  double peak = peak_kb(), per = tokens ? (peak - base) * 1024 / (double)tokens : 0;
  printf("peak RSS %.1f MB; growth over the compiled baseline %.1f MB = %.2f bytes "
         "per token (target: at most 32): %s\n", peak / 1024, (peak - base) / 1024,
         per, per <= 32 ? "ok" : "over");
  printf("peak RSS per token, baseline included: %.2f bytes\n",
         tokens ? peak * 1024 / (double)tokens : 0);
}

/* Iterations for `want` tokens: from the tokens of (run 1000) and
 * (run 2000). */
static long iterations(session *t, double want) {
  form_result r;
  form_result_init(&r);
  int64_t k[2] = {0, 0};
  for (int i = 0; i < 2; i++) {
    if (eval_text(t, i ? "(run 2000)" : "(run 1000)", &r, false)) k[i] = r.tokens;
  }
  form_result_free(&r);
  double per = (double)(k[1] - k[0]) / 1000.0;
  if (per <= 0) per = 9;
  long n = (long)((want - (double)k[0]) / per) + 1000;
  return n > 1000 ? n : 1000;
}

/* The loop, TOKENS long (or `fixed` iterations when > 0), in the
 * transformer and then the evaluator. */
static int soak(double want, long fixed) {
  strbuf tout, rout;
  sb_init(&tout);
  sb_init(&rout);
  session *t = open_session(MODE_TRANSFORMER, &tout);
  t->w->lim.max_steps = (int64_t)(want * 2) + 1000000;
  if (fixed > 0) t->w->lim.max_steps = (int64_t)fixed * 64 + 1000000;
  form_result r;
  form_result_init(&r);
  bool ok = eval_text(t, defs, &r, false);   /* compiles run and checksum */
  long iters = fixed > 0 ? fixed : iterations(t, want);
  sb_free(&tout);
  sb_init(&tout);
  double base = rss_kb();
  char call[128];
  snprintf(call, sizeof call, "(begin (display (run %ld)) (newline) "
           "(display (checksum)) (newline))\n", iters);
  double c0 = cpu_s();
  ok = ok && eval_text(t, call, &r, false);
  double cpu = cpu_s() - c0;
  int64_t tokens = r.tokens;
  printf("iterations %ld, tokens %lld in one run\n", iters, (long long)tokens);
  printf("transformer: %.1f s wall, %.1f s CPU; %.0f tokens/s wall, %.0f tokens/s CPU\n",
         r.ms / 1e3, cpu, r.ms > 0 ? (double)tokens / (r.ms / 1e3) : 0,
         cpu > 0 ? (double)tokens / cpu : 0);
  report_memory(base, tokens);
  session *e = open_session(MODE_REFERENCE, &rout);
  e->w->lim.max_steps = t->w->lim.max_steps;
  form_result q;
  form_result_init(&q);
  bool eok = eval_text(e, defs, &q, false);
  eok = eok && eval_text(e, call, &q, false);
  bool same = ok && eok && !strcmp(tout.s ? tout.s : "", rout.s ? rout.s : "");
  printf("output: %s", tout.s ? tout.s : "(none)\n");
  printf("reference evaluator: %s (%.1f s)\n",
         same ? "the same output, exact" : "DIFFERENT", q.ms / 1e3);
  if (!same) printf("evaluator output: %s", rout.s ? rout.s : "(none)\n");
  form_result_free(&r);
  form_result_free(&q);
  session_free(t);
  session_free(e);
  sb_free(&tout);
  sb_free(&rout);
  return same ? 0 : 1;
}

/* An endless loop under the default limits: it must stop at the step
 * limit. */
static int step_limit(void) {
  strbuf out;
  sb_init(&out);
  session *s = open_session(MODE_TRANSFORMER, &out);
  int64_t limit = s->w->lim.max_steps;
  form_result r;
  form_result_init(&r);
  bool ok = eval_text(s, spin, &r, false);
  double base = rss_kb(), c0 = cpu_s(), w0 = wall_s();
  bool ran = ok && eval_text(s, "(spin)\n", &r, true);
  double cpu = cpu_s() - c0, wall = wall_s() - w0;
  const char *msg = r.err.msg ? r.err.msg : "";
  /* a failed form reports no tokens: the limit's error says how many */
  bool at_limit = !ran && strstr(msg, "step limit reached");
  if (at_limit && !r.tokens) r.tokens = limit;
  printf("an endless loop under the default limits (steps %lld): %s after %lld "
         "tokens\n", (long long)limit, ran ? "returned" : "stopped",
         (long long)r.tokens);
  printf("error: %s\n", msg);
  printf("transformer: %.1f s wall, %.1f s CPU; %.0f tokens/s CPU\n", wall, cpu,
         cpu > 0 ? (double)r.tokens / cpu : 0);
  report_memory(base, r.tokens);
  bool good = ok && at_limit;
  printf("the default step limit is %s\n", good ? "reached" : "NOT reached");
  form_result_free(&r);
  session_free(s);
  sb_free(&out);
  return good ? 0 : 1;
}

int main(int argc, char **argv) {
  if (argc == 2 && !strcmp(argv[1], "--step-limit")) return step_limit();
  if (argc == 3 && !strcmp(argv[1], "--iterations")) {
    long n = atol(argv[2]);
    if (n >= 1000) return soak(0, n);
  }
  double want = argc > 1 ? atof(argv[1]) : 2e8;
  if (argc > 2 || want < 1000) {
    fprintf(stderr, "usage: bench-soak [TOKENS] | bench-soak --iterations N (N >= 1000) | "
                    "bench-soak --step-limit\n");
    return 2;
  }
  return soak(want, 0);
}
