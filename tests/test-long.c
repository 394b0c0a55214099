/* test-long.c - one long run, transformer against reference (TAP).
 *
 * A loop of arithmetic and vector writes whose single run generates more
 * than five million tokens in the transformer (hull KV cache), then a
 * checksum of the vector; the output and values must equal the reference
 * evaluator's.  Usage: test-long [ITERATIONS] (default 640000: about 7.9
 * tokens an iteration since a long value before a plain jump is 3 tokens).
 */
#include "config.h"

#include "lib/session.h"
#include "tap.h"

#include <string.h>
#include <time.h>

enum { MIN_TOKENS = 5000000 };

static const char *const program =
    "(define v (make-vector 16 0))\n"
    "(define (run n)\n"
    "  (do ((i 0 (+ i 1))\n"
    "       (acc 1 (remainder (+ (* acc 3) i) 65521)))\n"
    "      ((= i n) acc)\n"
    "    (vector-set! v (remainder i 16) acc)))\n"
    "(define (checksum)\n"
    "  (do ((i 0 (+ i 1)) (s 0 (remainder (+ (* s 7) (vector-ref v i)) 1000003)))\n"
    "      ((= i 16) s)))\n"
    "(begin (display (run %ld)) (newline) (display (checksum)) (newline))\n";

typedef struct {
  strbuf out;
  int64_t tokens;     /* of the long form */
  double secs;        /* its wall time */
  bool ok;
  char err[256];
} run_log;

static void capture(void *ctx, const char *s, size_t n) {
  sb_putn((strbuf *)ctx, s, n);
}

/* the output on one line, for a TAP comment */
static const char *one_line(strbuf *b) {
  for (size_t i = 0; i < b->n; i++)
    if (b->s[i] == '\n') b->s[i] = ' ';
  return b->s ? b->s : "(nothing)";
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void run(run_mode m, const char *src, run_log *lg) {
  session *s = session_new();
  s->mode = m;
  s->w->out = capture;
  s->w->out_ctx = &lg->out;
  int file = src_add(&s->w->src, "<long>");
  reader *rd = rd_new(&s->w->syms, &s->w->src, file);
  rd_feed(rd, src, strlen(src));
  rd_eof(rd);
  lg->ok = true;
  while (rd_has_form(rd) && lg->ok) {
    rd_form f = rd_take(rd);
    form_result r;
    form_result_init(&r);
    double t0 = now_s();
    lg->ok = session_eval(s, &f, NULL, 0, &r);
    lg->secs = now_s() - t0;
    lg->tokens = r.tokens;
    if (!lg->ok)
      snprintf(lg->err, sizeof lg->err, "%s", r.err.msg ? r.err.msg : "?");
    form_result_free(&r);
  }
  rd_free(rd);
  session_free(s);
}

int main(int argc, char **argv) {
  long iters = argc > 1 ? strtol(argv[1], NULL, 10) : 640000;
  char src[1024];
  snprintf(src, sizeof src, program, iters);
  run_log t = {{0}, 0, 0, false, ""}, r = {{0}, 0, 0, false, ""};
  sb_init(&t.out);
  sb_init(&r.out);
  tap_plan(3);
  run(MODE_TRANSFORMER, src, &t);
  run(MODE_REFERENCE, src, &r);
  tap_ok(t.ok, "the transformer ran %ld iterations%s%s", iters,
         t.ok ? "" : ": ", t.err);
  tap_ok(t.tokens >= MIN_TOKENS, "%lld tokens in one run (at least %d)",
         (long long)t.tokens, MIN_TOKENS);
  bool same = r.ok && t.out.n == r.out.n && (!t.out.n || !memcmp(t.out.s, r.out.s, t.out.n));
  tap_ok(same, "output equals the reference evaluator's");
  tap_diag("transformer: %s", one_line(&t.out));
  tap_diag("reference:   %s", one_line(&r.out));
  tap_diag("transformer %.1f s (%.0f tokens/s); reference %.2f s", t.secs,
           t.secs > 0 ? t.tokens / t.secs : 0.0, r.secs);
  sb_free(&t.out);
  sb_free(&r.out);
  return tap_done();
}
