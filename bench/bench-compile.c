/* bench-compile.c - incremental compilation: 200 definitions in a row.
 *
 * Defines 200 procedures one by one in a transformer-mode session and
 * times each definition (reading, checking, lowering, scheduling, weights:
 * everything session_eval does).  The procedures are of one size; each
 * calls the one before it unless it starts a group of four, so every
 * procedure inlines at most three others whatever the session already
 * holds.  Prints the median time of the first 20 and of the last 20
 * definitions, their ratio (at most 2: compiling does not slow down as
 * the session grows) and the median of all (under 50 ms).  Exit status 1
 * when a requirement is not met.  Usage: bench-compile [N] (default 200).
 */
#include "config.h"

#include "lib/session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { WINDOW = 20 };

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* The k-th procedure: a little arithmetic, a comparison, a table lookup
 * and, inside its group of four, a call of the one before it. */
static void procedure(int k, char *buf, size_t n) {
  char call[64] = "(* y 2)";
  if (k % 4) snprintf(call, sizeof call, "(p%d (- x 1) y)", k - 1);
  snprintf(buf, n,
           "(define (p%d x y)\n"
           "  (let ((a (+ (* x %d) (quotient y %d)))\n"
           "        (b (max (- y x) (remainder x %d))))\n"
           "    (if (< a b)\n"
           "        (+ a (price (if (odd? x) 'apple 'pear)) %s)\n"
           "        (- b (abs (- a %d))))))\n",
           k, 3 + k % 5, 2 + k % 7, 5 + k % 3, call, k);
}

static bool eval_text(session *s, int file, const char *text, double *ms,
                      strbuf *err) {
  reader *rd = rd_new(&s->w->syms, &s->w->src, file);
  rd_feed(rd, text, strlen(text));
  rd_eof(rd);
  bool ok = true;
  while (ok && rd_has_form(rd)) {
    rd_form f = rd_take(rd);
    form_result r;
    form_result_init(&r);
    double t0 = now_ms();
    ok = session_eval(s, &f, NULL, 0, &r);
    *ms = now_ms() - t0;
    if (!ok) session_diag(s, r.err.loc, "error", r.err.msg, err);
    form_result_free(&r);
  }
  rd_free(rd);
  return ok;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double median(const double *v, int n) {
  double *c = malloc((size_t)n * sizeof *c);
  memcpy(c, v, (size_t)n * sizeof *c);
  qsort(c, (size_t)n, sizeof *c, cmp_double);
  double m = n % 2 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2;
  free(c);
  return m;
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 200;
  if (n < 2 * WINDOW) n = 2 * WINDOW;
  session *s = session_new();
  s->mode = MODE_TRANSFORMER;
  int file = src_add(&s->w->src, "<bench>");
  double *ms = calloc((size_t)n, sizeof *ms), dummy;
  strbuf err;
  sb_init(&err);
  bool ok = eval_text(s, file, "(deftable price (apple 2) (pear 3) (plum 5))", &dummy, &err);
  char buf[1024];
  for (int k = 0; k < n && ok; k++) {
    procedure(k, buf, sizeof buf);
    ok = eval_text(s, file, buf, &ms[k], &err);
  }
  if (ok) {
    snprintf(buf, sizeof buf, "(p%d 7 100)", n - 1);
    ok = eval_text(s, file, buf, &dummy, &err);
  }
  if (!ok) {
    fprintf(stderr, "bench-compile: %s", err.s);
    return 2;
  }
  double first = median(ms, WINDOW), last = median(ms + n - WINDOW, WINDOW);
  double all = median(ms, n), ratio = last / first;
  printf("%d definitions in one session\n", n);
  printf("median compile time, first %d:  %7.2f ms\n", WINDOW, first);
  printf("median compile time, last %d:   %7.2f ms\n", WINDOW, last);
  printf("ratio last/first:              %7.2f (required: at most 2): %s\n",
         ratio, ratio <= 2 ? "ok" : "FAIL");
  printf("median compile time, all:      %7.2f ms (required: under 50 ms): %s\n",
         all, all < 50 ? "ok" : "FAIL");
  sb_free(&err);
  free(ms);
  session_free(s);
  return ratio <= 2 && all < 50 ? 0 : 1;
}
