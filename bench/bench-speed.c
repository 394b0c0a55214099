/* bench-speed.c - compiled programs against the evaluator, per program.
 *
 * Runs each program of bench/speed (outside-style programs: a trial
 * division loop, list building and sorting, string building) as a script,
 * as `tvl FILE` runs it, in a session of its own: REPS times with the
 * reference evaluator, REPS times in the transformer (hull KV cache, the
 * default 1 s of MILP per definition).  Per program, the median over the
 * runs of: the CPU time of the whole script (reading, compiling, running)
 * in each mode, the transformer's run time alone (forward passes and
 * decoding, CPU), its compile time (the rest), tokens and tokens per CPU
 * second of run time, and the ratio transformer / evaluator of the
 * scripts' CPU times.  CPU time, not wall time: the machine is shared,
 * and a loaded machine stretches wall time far more.  Every run's output
 * must equal NAME.expected (Guile's output), and every transformer run
 * must generate as many tokens as the first.
 *
 * Usage: bench-speed [-d DIR] [-r REPS] [NAME...]
 *   DIR   the programs (default: bench/speed)
 *   REPS  runs per mode (default 3)
 *   NAME  run only these programs (file names without .tvl)
 * Exit status: 0 when every run printed what it should, 1 otherwise, 2 for
 * a usage or file error.
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
  int64_t tokens;
  double cpu_ms, run_cpu_ms;
  bool ok, same;
  char err[512];
} run_t;

static double cpu_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void capture(void *ctx, const char *s, size_t n) {
  sb_putn((strbuf *)ctx, s, n);
}

static bool slurp(const char *path, strbuf *b) {
  FILE *f = fopen(path, "rb");
  if (!f) return false;
  bool ok = sb_read_stream(b, f);
  fclose(f);
  return ok;
}

/* One run of a script as `tvl FILE` runs it: the names it defines known up
 * front, forms in order, the first error stops. */
static void run_script(const char *path, const strbuf *text,
                       const strbuf *want, run_mode mode, run_t *rt) {
  memset(rt, 0, sizeof *rt);
  strbuf out;
  sb_init(&out);
  double c0 = cpu_ms();
  session *s = session_new();
  s->mode = mode;
  s->w->out = capture;
  s->w->out_ctx = &out;
  int file = src_add(&s->w->src, path);
  reader *rd = rd_new(&s->w->syms, &s->w->src, file);
  rd_feed(rd, text->s ? text->s : "", text->n);
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
    rt->tokens += r.tokens;
    rt->run_cpu_ms += r.cpu_ms;
    if (!ok) {
      strbuf d;
      sb_init(&d);
      session_diag(s, r.err.loc, "error", r.err.msg ? r.err.msg : "error", &d);
      snprintf(rt->err, sizeof rt->err, "%s", d.s ? d.s : "error");
      sb_free(&d);
    }
    form_result_free(&r);
  }
  for (; i < forms.n; i++) arena_free(&forms.v[i].mem);
  if (ok && rd_status_of(rd) == RD_ERROR) {
    snprintf(rt->err, sizeof rt->err, "%.300s: syntax error", path);
    ok = false;
  }
  VEC_FREE(forms);
  VEC_FREE(names);
  rd_free(rd);
  session_free(s);
  rt->cpu_ms = cpu_ms() - c0;
  rt->ok = ok;
  rt->same = want->n == out.n && (!out.n || !memcmp(want->s, out.s, out.n));
  sb_free(&out);
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double median(double *v, int n) {
  qsort(v, (size_t)n, sizeof *v, cmp_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static int cmp_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int list_programs(const char *dir, char ***out) {
  DIR *d = opendir(dir);
  if (!d) return -1;
  int n = 0;
  char **v = NULL;
  struct dirent *e;
  while ((e = readdir(d))) {
    size_t len = strlen(e->d_name);
    if (len <= 4 || strcmp(e->d_name + len - 4, ".tvl")) continue;
    v = xrealloc(v, ((size_t)n + 1) * sizeof *v);
    v[n] = xstrdup(e->d_name);
    v[n++][len - 4] = 0;
  }
  closedir(d);
  if (n) qsort(v, (size_t)n, sizeof *v, cmp_name);
  *out = v;
  return n;
}

int main(int argc, char **argv) {
  const char *dir = "bench/speed";
  int reps = 3, a = 1;
  while (a + 1 < argc && argv[a][0] == '-') {
    if (!strcmp(argv[a], "-d")) dir = argv[a + 1];
    else if (!strcmp(argv[a], "-r")) reps = atoi(argv[a + 1]);
    else break;
    a += 2;
  }
  if ((a < argc && argv[a][0] == '-') || reps < 1 || reps > 99) {
    fprintf(stderr, "usage: bench-speed [-d DIR] [-r REPS] [NAME...]\n");
    return 2;
  }
  char **names;
  int n;
  if (a < argc) {
    n = argc - a;
    names = argv + a;
  } else if ((n = list_programs(dir, &names)) <= 0) {
    fprintf(stderr, "bench-speed: no .tvl programs in %s\n", dir);
    return 2;
  }
  printf("%d runs per mode, medians; times are CPU seconds\n", reps);
  printf("%-10s %10s %9s %9s %9s %9s %10s %8s  %s\n", "program", "tokens",
         "eval s", "tvl s", "compile s", "run s", "tokens/s", "tvl/eval",
         "output");
  int bad = 0;
  double sum_eval = 0, sum_tvl = 0, sum_run = 0, sum_comp = 0;
  int64_t sum_tok = 0;
  for (int p = 0; p < n; p++) {
    char path[4096];
    strbuf text, want;
    sb_init(&text);
    sb_init(&want);
    snprintf(path, sizeof path, "%s/%s.expected", dir, names[p]);
    bool have_want = slurp(path, &want);
    snprintf(path, sizeof path, "%s/%s.tvl", dir, names[p]);
    if (!slurp(path, &text) || !have_want) {
      fprintf(stderr, "bench-speed: cannot read %s or its .expected: %s\n", path,
              strerror(errno));
      return 2;
    }
    double ev[100], tv[100], rn[100], cp[100];
    int64_t tokens = -1;
    const char *verdict = "ok";
    for (int k = 0; k < reps; k++) {
      run_t rt;
      run_script(path, &text, &want, MODE_REFERENCE, &rt);
      ev[k] = rt.cpu_ms;
      if (!rt.ok || !rt.same) {
        verdict = rt.ok ? "EVALUATOR DIFFERS" : "EVALUATOR FAILED";
        if (!rt.ok) fprintf(stderr, "%s: %s\n", names[p], rt.err);
      }
      run_script(path, &text, &want, MODE_TRANSFORMER, &rt);
      tv[k] = rt.cpu_ms;
      rn[k] = rt.run_cpu_ms;
      cp[k] = rt.cpu_ms - rt.run_cpu_ms;
      if (!rt.ok || !rt.same) {
        verdict = rt.ok ? "DIFFERS" : "FAILED";
        if (!rt.ok) fprintf(stderr, "%s: %s\n", names[p], rt.err);
      }
      if (tokens >= 0 && rt.tokens != tokens) verdict = "TOKENS DIFFER";
      tokens = rt.tokens;
    }
    double me = median(ev, reps), mt = median(tv, reps), mr = median(rn, reps),
           mc = median(cp, reps);
    printf("%-10s %10lld %9.2f %9.2f %9.2f %9.2f %10.0f %8.1f  %s\n", names[p],
           (long long)tokens, me / 1e3, mt / 1e3, mc / 1e3, mr / 1e3,
           mr > 0 ? tokens / (mr / 1e3) : 0, me > 0 ? mt / me : 0, verdict);
    fflush(stdout);
    bad += strcmp(verdict, "ok") != 0;
    sum_eval += me;
    sum_tvl += mt;
    sum_run += mr;
    sum_comp += mc;
    sum_tok += tokens;
    sb_free(&text);
    sb_free(&want);
  }
  printf("%-10s %10lld %9.2f %9.2f %9.2f %9.2f %10.0f %8.1f\n", "all",
         (long long)sum_tok, sum_eval / 1e3, sum_tvl / 1e3, sum_comp / 1e3,
         sum_run / 1e3, sum_run > 0 ? sum_tok / (sum_run / 1e3) : 0,
         sum_eval > 0 ? sum_tvl / sum_eval : 0);
  return bad ? 1 : 0;
}
