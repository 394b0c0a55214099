/* bench-examples.c - the example programs in the transformer.
 *
 * Runs each stdlib/examples program as a script, in a transformer-mode
 * session of its own (hull KV cache, default MILP time), and prints per
 * program: the statements executed (form_result.steps, summed over its
 * forms), the tokens generated, tokens per statement, the wall time of the
 * whole script (reading, compiling and running) and its CPU time (which
 * a busy machine inflates less), the run time (the forward passes and
 * decoding alone, wall clock) and tokens per second of run time, routed
 * (the default engine); then the script again with the dense engine
 * (every FFN unit at every position): its run time and the ratio dense /
 * routed, in wall-clock time and in CPU time of the runs alone (rcpu,
 * dcpu: a loaded machine disturbs it less; the target for the Sudoku: at
 * least 4); then the totals and the
 * average tokens per statement over all of them (the target: at most 2).
 * Each program's output is compared with its NAME.expected when that file
 * exists, and the dense run must print the same and generate as many
 * tokens as the routed one.
 *
 * Usage: bench-examples [-d DIR] [NAME...]
 *   DIR   the examples directory (default: stdlib/examples)
 *   NAME  run only these examples (file names without .tvl)
 * Exit status: 0 when every program ran and printed what it should, 1
 * when one failed or differed, 2 for a usage or file error.
 */
#include "config.h"

#include "lib/session.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
  char name[128];
  int64_t steps, tokens;
  double wall_ms, run_ms, cpu_ms;
  double run_cpu_ms;  /* CPU time of the runs alone (no compiling) */
  bool ok;            /* ran without an error */
  int same;           /* output equals NAME.expected: 1, 0, or -1 (none) */
  char *out;          /* what it printed */
  char err[512];
} example;

static double clock_ms(clockid_t id) {
  struct timespec ts;
  clock_gettime(id, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static double now_ms(void) { return clock_ms(CLOCK_MONOTONIC); }
static double cpu_ms(void) { return clock_ms(CLOCK_PROCESS_CPUTIME_ID); }

static void capture(void *ctx, const char *s, size_t n) {
  sb_putn((strbuf *)ctx, s, n);
}

/* The whole file into b; false (errno set) when it cannot be read. */
static bool slurp(const char *path, strbuf *b) {
  FILE *f = fopen(path, "rb");
  if (!f) return false;
  bool ok = sb_read_stream(b, f);
  fclose(f);
  return ok;
}

/* Runs one script as `tvl FILE` does: the names it defines are known up
 * front (forward references), forms run in order, the first error stops. */
static void run_example(const char *dir, example *ex, bool dense) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s.tvl", dir, ex->name);
  strbuf text, out;
  sb_init(&text);
  sb_init(&out);
  ex->ok = false;
  ex->same = -1;
  if (!slurp(path, &text)) {
    snprintf(ex->err, sizeof ex->err, "cannot read %.300s: %s", path, strerror(errno));
    goto done;
  }
  double t0 = now_ms(), c0 = cpu_ms();
  session *s = session_new();
  s->mode = MODE_TRANSFORMER;
  s->dense = dense;
  s->w->out = capture;
  s->w->out_ctx = &out;
  int file = src_add(&s->w->src, path);
  reader *rd = rd_new(&s->w->syms, &s->w->src, file);
  rd_feed(rd, text.s ? text.s : "", text.n);
  rd_eof(rd);
  VEC(rd_form) forms = {0};
  int_vec names = {0};
  while (rd_has_form(rd)) {
    rd_form f = rd_take(rd);
    session_collect_defines(s, f.form, &names);
    VEC_PUSH(forms, f);
  }
  bool ok = true;
  int i = 0;
  for (; i < forms.n && ok; i++) {
    form_result r;
    form_result_init(&r);
    ok = session_eval(s, &forms.v[i], names.v, names.n, &r);
    ex->steps += r.steps;
    ex->tokens += r.tokens;
    ex->run_ms += r.ms;
    ex->run_cpu_ms += r.cpu_ms;
    if (!ok) {
      strbuf d;
      sb_init(&d);
      session_diag(s, r.err.loc, "error", r.err.msg ? r.err.msg : "error", &d);
      snprintf(ex->err, sizeof ex->err, "%s", d.s ? d.s : "error");
      sb_free(&d);
    }
    form_result_free(&r);
  }
  for (; i < forms.n; i++) arena_free(&forms.v[i].mem);
  if (ok && rd_status_of(rd) == RD_ERROR) {
    srcloc loc;
    const char *msg = rd_error(rd, &loc);
    snprintf(ex->err, sizeof ex->err, "%.300s: syntax error: %.150s", path,
             msg ? msg : "?");
    ok = false;
  }
  VEC_FREE(forms);
  VEC_FREE(names);
  rd_free(rd);
  session_free(s);
  ex->wall_ms = now_ms() - t0;
  ex->cpu_ms = cpu_ms() - c0;
  ex->ok = ok;

  strbuf want;
  sb_init(&want);
  snprintf(path, sizeof path, "%s/%s.expected", dir, ex->name);
  if (slurp(path, &want))
    ex->same = want.n == out.n && (!out.n || !memcmp(want.s, out.s, out.n));
  sb_free(&want);
done:
  sb_free(&text);
  ex->out = xstrdup(out.s ? out.s : "");
  sb_free(&out);
}

static int cmp_name(const void *a, const void *b) {
  return strcmp(((const example *)a)->name, ((const example *)b)->name);
}

/* Every NAME.tvl of dir, sorted by name. */
static int list_examples(const char *dir, example **out) {
  DIR *d = opendir(dir);
  if (!d) return -1;
  int n = 0, cap = 0;
  example *v = NULL;
  struct dirent *e;
  while ((e = readdir(d))) {
    size_t len = strlen(e->d_name);
    if (len <= 4 || len - 4 >= sizeof v->name || strcmp(e->d_name + len - 4, ".tvl"))
      continue;
    if (n == cap) {
      cap = cap ? 2 * cap : 16;
      v = realloc(v, (size_t)cap * sizeof *v);
      if (!v) abort();
    }
    memset(&v[n], 0, sizeof v[n]);
    memcpy(v[n].name, e->d_name, len - 4);
    n++;
  }
  closedir(d);
  if (n) qsort(v, (size_t)n, sizeof *v, cmp_name);
  *out = v;
  return n;
}

static double per(double a, double b) { return b > 0 ? a / b : 0.0; }

int main(int argc, char **argv) {
  const char *dir = "stdlib/examples";
  int first = 1;
  if (argc > 2 && !strcmp(argv[1], "-d")) {
    dir = argv[2];
    first = 3;
  } else if (argc > 1 && argv[1][0] == '-') {
    fprintf(stderr, "usage: bench-examples [-d DIR] [NAME...]\n");
    return 2;
  }
  example *ex = NULL;
  int n;
  if (first < argc) {
    n = argc - first;
    ex = calloc((size_t)n, sizeof *ex);
    if (!ex) abort();
    for (int i = 0; i < n; i++)
      snprintf(ex[i].name, sizeof ex[i].name, "%s", argv[first + i]);
  } else {
    n = list_examples(dir, &ex);
    if (n < 0) {
      fprintf(stderr, "bench-examples: cannot open %s: %s\n", dir, strerror(errno));
      return 2;
    }
    if (n == 0) {
      fprintf(stderr, "bench-examples: no .tvl files in %s\n", dir);
      return 2;
    }
  }

  printf("%-16s %11s %11s %8s %8s %8s %8s %9s %9s %7s %8s %8s %7s  %s\n", "program",
         "statements", "tokens", "tok/stmt", "wall s", "cpu s", "run s",
         "tokens/s", "dense s", "dense/r", "rcpu s", "dcpu s", "cpu d/r", "output");
  int64_t steps = 0, tokens = 0;
  double wall = 0, cpu = 0, run = 0, ratio_sum = 0, drun = 0, rcpu = 0, dcpu = 0;
  int bad = 0;
  for (int i = 0; i < n; i++) {
    run_example(dir, &ex[i], false);
    example dx;
    memset(&dx, 0, sizeof dx);
    memcpy(dx.name, ex[i].name, sizeof dx.name);
    run_example(dir, &dx, true);
    const example *e = &ex[i];
    bool agree = dx.ok == e->ok && dx.tokens == e->tokens && !strcmp(dx.out, e->out);
    const char *verdict = !e->ok ? "FAILED" : !agree ? "DENSE DIFFERS"
                        : e->same < 0 ? "(no .expected)"
                        : e->same ? "ok" : "DIFFERS";
    printf("%-16s %11lld %11lld %8.2f %8.2f %8.2f %8.2f %9.0f %9.2f %7.2f %8.2f %8.2f %7.2f  %s\n", e->name,
           (long long)e->steps, (long long)e->tokens,
           per((double)e->tokens, (double)e->steps), e->wall_ms / 1e3,
           e->cpu_ms / 1e3, e->run_ms / 1e3,
           per((double)e->tokens, e->run_ms / 1e3), dx.run_ms / 1e3,
           per(dx.run_ms, e->run_ms), e->run_cpu_ms / 1e3, dx.run_cpu_ms / 1e3,
           per(dx.run_cpu_ms, e->run_cpu_ms), verdict);
    fflush(stdout);
    if (!e->ok) fprintf(stderr, "%s: %s\n", e->name, e->err);
    if (!e->ok || e->same == 0 || !agree) bad++;
    drun += dx.run_ms;
    rcpu += e->run_cpu_ms;
    dcpu += dx.run_cpu_ms;
    free(dx.out);
    free(ex[i].out);
    steps += e->steps;
    tokens += e->tokens;
    wall += e->wall_ms;
    cpu += e->cpu_ms;
    run += e->run_ms;
    ratio_sum += per((double)e->tokens, (double)e->steps);
  }
  printf("%-16s %11lld %11lld %8.2f %8.2f %8.2f %8.2f %9.0f %9.2f %7.2f %8.2f %8.2f %7.2f\n", "all",
         (long long)steps, (long long)tokens, per((double)tokens, (double)steps),
         wall / 1e3, cpu / 1e3, run / 1e3, per((double)tokens, run / 1e3),
         drun / 1e3, per(drun, run), rcpu / 1e3, dcpu / 1e3, per(dcpu, rcpu));
  double avg = ratio_sum / n;
  printf("average tokens per statement over %d programs: %.2f (target: at "
         "most 2): %s\n", n, avg, avg <= 2 ? "ok" : "over");
  free(ex);
  return bad ? 1 : 0;
}
