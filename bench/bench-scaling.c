/* bench-scaling.c - per-token time against program size, dense and routed.
 *
 * For K = 5, 20, 80, 160 (or the Ks given), a procedure whose loop body
 * has K statements (K set!s of its own locals) is compiled once and run
 * for about TOKENS tokens, in a transformer-mode session with the dense
 * engine and with the routed one (the same model), REPEATS times each,
 * alternating; per K it prints the steps of the program, the tokens of a
 * run, and the median microseconds per token (run time: forward passes
 * and decoding, as CPU time of the process, so that other load on the
 * machine does not count: the CPU time and tokens of (run 1), the call's
 * compile and a few tokens, are subtracted from those of (run N)), dense
 * and routed, and their ratio; then the ratios
 * K_max / K_min of each engine, measured in this one run (the target for
 * routed: at most 2, the flatter the better).  Both engines must print the
 * same result with the same number of tokens, or the program fails.
 *
 * Usage: bench-scaling [-n TOKENS] [-r REPEATS] [K...]
 *   defaults: 40000 tokens, 3 repeats, K = 5 20 80 160.
 */
#include "config.h"

#include "lib/session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void capture(void *ctx, const char *s, size_t n) {
  sb_putn((strbuf *)ctx, s, n);
}

/* (define (run n) (let ((x0 0) ... ) (do ((i 0 (+ i 1))) ((= i n) x_{K-1})
 *   (set! x0 (- i x0)) (set! x1 (- i x1)) ...)))  and (run N) */
static void program(strbuf *b, int k, long iters) {
  sb_puts(b, "(define (run n)\n  (let (");
  for (int i = 0; i < k; i++) sb_printf(b, "(x%d 0)", i);
  sb_printf(b, ")\n    (do ((i 0 (+ i 1))) ((= i n) x%d)\n", k - 1);
  for (int i = 0; i < k; i++) {
    sb_printf(b, "      (set! x%d (- i x%d))\n", i, i);
  }
  sb_printf(b, ")))\n(run 1)\n(run %ld)\n", iters);
}

typedef struct {
  bool ok;
  int64_t tokens;
  double ms;
  char out[64];
} run_res;

static double cpu_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Every form of src in one session; the last form's tokens and CPU time,
 * less the form's before it. */
static run_res run(const char *src, bool dense) {
  run_res res = {false, 0, 0, ""};
  strbuf out;
  sb_init(&out);
  session *s = session_new();
  s->mode = MODE_TRANSFORMER;
  s->dense = dense;
  s->milp_limit = 0;
  s->w->out = capture;
  s->w->out_ctx = &out;
  int file = src_add(&s->w->src, "<bench>");
  reader *rd = rd_new(&s->w->syms, &s->w->src, file);
  rd_feed(rd, src, strlen(src));
  rd_eof(rd);
  bool ok = true;
  int64_t prev_tokens = 0;
  double prev_ms = 0;
  while (ok && rd_has_form(rd)) {
    rd_form f = rd_take(rd);
    form_result r;
    form_result_init(&r);
    double t0 = cpu_ms();
    ok = session_eval(s, &f, NULL, 0, &r);
    double t1 = cpu_ms();
    if (!ok) fprintf(stderr, "bench-scaling: %s\n", r.err.msg ? r.err.msg : "error");
    res.tokens = r.tokens - prev_tokens;
    res.ms = (t1 - t0) - prev_ms;
    prev_tokens = r.tokens;
    prev_ms = t1 - t0;
    if (ok && r.text.s) snprintf(res.out, sizeof res.out, "%s", r.text.s);
    form_result_free(&r);
  }
  res.ok = ok;
  rd_free(rd);
  session_free(s);
  sb_free(&out);
  return res;
}

static int cmp_d(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double median(double *v, int n) {
  qsort(v, (size_t)n, sizeof *v, cmp_d);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int main(int argc, char **argv) {
  long tokens = 40000;
  int repeats = 3, ks[16], nk = 0;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "-n") && i + 1 < argc) tokens = atol(argv[++i]);
    else if (!strcmp(argv[i], "-r") && i + 1 < argc) repeats = atoi(argv[++i]);
    else if (argv[i][0] != '-' && nk < 16 && atoi(argv[i]) > 0) ks[nk++] = atoi(argv[i]);
    else {
      fprintf(stderr, "usage: bench-scaling [-n TOKENS] [-r REPEATS] [K...]\n");
      return 2;
    }
  }
  if (repeats < 1 || repeats > 99 || tokens < 100) {
    fprintf(stderr, "bench-scaling: bad -n or -r\n");
    return 2;
  }
  if (!nk) {
    const int def[4] = {5, 20, 80, 160};
    memcpy(ks, def, sizeof def);
    nk = 4;
  }
  double dense_us[16], routed_us[16];
  printf("%5s %8s %10s %12s %12s %8s\n", "K", "iters", "tokens", "dense us/tok",
         "routed us/tok", "dense/r");
  int bad = 0;
  for (int i = 0; i < nk; i++) {
    long iters = tokens / (ks[i] + 2);
    if (iters < 1) iters = 1;
    strbuf src;
    sb_init(&src);
    program(&src, ks[i], iters);
    double d[99], r[99];
    int64_t ntok = 0;
    for (int k = 0; k < repeats; k++) {
      run_res a = run(src.s, true), b = run(src.s, false);
      if (!a.ok || !b.ok || a.tokens != b.tokens || strcmp(a.out, b.out)) {
        fprintf(stderr, "bench-scaling: K=%d: dense and routed differ (%lld "
                "tokens \"%s\", %lld tokens \"%s\")\n", ks[i], (long long)a.tokens,
                a.out, (long long)b.tokens, b.out);
        bad++;
      }
      ntok = b.tokens;
      d[k] = a.tokens ? a.ms * 1e3 / (double)a.tokens : 0;
      r[k] = b.tokens ? b.ms * 1e3 / (double)b.tokens : 0;
    }
    dense_us[i] = median(d, repeats);
    routed_us[i] = median(r, repeats);
    printf("%5d %8ld %10lld %12.2f %12.2f %8.2f\n", ks[i], iters, (long long)ntok,
           dense_us[i], routed_us[i], routed_us[i] > 0 ? dense_us[i] / routed_us[i] : 0);
    fflush(stdout);
    sb_free(&src);
  }
  if (nk > 1) {
    double dr = dense_us[0] > 0 ? dense_us[nk - 1] / dense_us[0] : 0;
    double rr = routed_us[0] > 0 ? routed_us[nk - 1] / routed_us[0] : 0;
    printf("per-token time K=%d / K=%d: dense %.2f, routed %.2f (target for routed: "
           "at most 2): %s\n", ks[nk - 1], ks[0], dr, rr, rr <= 2 ? "ok" : "over");
  }
  return bad ? 1 : 0;
}
