/* bench-soak.c - one long run, exact against the evaluator, and its memory.
 *
 * A loop of arithmetic and vector writes (the program of tests/test-long)
 * runs in a check-mode session: the transformer (hull cache, routed)
 * generates the tokens, then the reference evaluator runs the same form,
 * and any difference in output or value is an error.  Prints the tokens
 * generated, the run time, the tokens per second, the peak resident set
 * of the process and its growth over a baseline taken after compiling
 * (the bytes per generated token).
 *
 * Usage: bench-soak [TOKENS]  (default 200000000; the iterations are
 * TOKENS / 9, the loop's tokens per iteration rounded up).
 */
#include "config.h"

#include "lib/session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

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

static void capture(void *ctx, const char *s, size_t n) {
  sb_putn((strbuf *)ctx, s, n);
}

static double peak_kb(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return (double)ru.ru_maxrss;   /* kilobytes on Linux */
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

static bool eval_text(session *s, const char *text, form_result *last) {
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
    if (!ok) fprintf(stderr, "bench-soak: %s\n", last->err.msg ? last->err.msg : "error");
  }
  rd_free(rd);
  return ok;
}

int main(int argc, char **argv) {
  double want = argc > 1 ? atof(argv[1]) : 2e8;
  if (argc > 2 || want < 1000) {
    fprintf(stderr, "usage: bench-soak [TOKENS]\n");
    return 2;
  }
  long iters = (long)(want / 9) + 1;
  strbuf out;
  sb_init(&out);
  session *s = session_new();
  s->mode = MODE_CHECK;
  s->w->lim.max_steps = (int64_t)(want * 2) + 1000000;
  s->w->out = capture;
  s->w->out_ctx = &out;
  form_result r;
  form_result_init(&r);
  bool ok = eval_text(s, defs, &r);   /* compiles run and checksum */
  double base = rss_kb();
  char call[128];
  snprintf(call, sizeof call, "(begin (display (run %ld)) (newline) "
           "(display (checksum)) (newline))\n", iters);
  ok = ok && eval_text(s, call, &r);
  double peak = peak_kb();
  printf("iterations %ld, tokens %lld, check mode (transformer = evaluator): %s\n",
         iters, (long long)r.tokens, ok ? "exact" : "FAILED");
  printf("output: %s", out.s ? out.s : "(none)\n");
  printf("run %.1f s (transformer and evaluator), %.0f tokens/s\n", r.ms / 1e3,
         r.ms > 0 ? (double)r.tokens / (r.ms / 1e3) : 0);
  printf("peak RSS %.1f MB; growth over the compiled baseline %.1f MB = %.2f bytes "
         "per token\n", peak / 1024, (peak - base) / 1024,
         r.tokens ? (peak - base) * 1024 / (double)r.tokens : 0);
  form_result_free(&r);
  session_free(s);
  sb_free(&out);
  return ok ? 0 : 1;
}
