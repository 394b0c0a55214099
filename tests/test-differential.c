/* test-differential.c - random programs, transformer against reference.
 *
 * Every generated program (tests/gen.c) runs three times:
 *  1. in a session in check mode: each form runs in the transformer, is
 *     undone, and runs in the reference evaluator; any difference in
 *     output, value or kind of error is an error of kind "check";
 *  2. and 3. in transformer mode with the hull and with the brute-force
 *     KV cache: both must print the same text, give the same values and
 *     errors and generate the same number of tokens, form by form (the
 *     brute run only when the hull's made at most BRUTE_MAX_TOKENS).
 * Each program runs in a child process (a crash or a hang fails that
 * program only), two or more at a time.
 *
 * TAP: one line per program, with the program's own seed; a failure
 * prints the difference and the whole program.  Usage:
 *   test-differential [--loop-free N] [--structured N] [--seed S]
 *                     [--jobs J] [--enable FLAGS] [--timeout SECS]
 *                     [--milp MS] [--milp-every K]
 *   test-differential --soak N            N structured programs, TVL_SEED
 *   test-differential --print SEED [--structured]   show one program
 *   test-differential --run-seed SEED [--structured] run one program
 *   test-differential --file FILE         run a program from a file
 * --verbose shows every form of the check run on stderr.
 * Without options: 2000 loop-free and 300 structured programs from a fixed
 * seed, then as many again from TVL_SEED when it is set, with the
 * constructs of GEN_DEFAULT (tests/gen.h).  TVL_GEN_ENABLE (or --enable)
 * adds those left out by default.
 */
#include "config.h"

#include "gen.h"
#include "lib/session.h"
#include "tap.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { DEPTH_LIMIT = 1000, MAX_JOBS = 16, BRUTE_MAX_TOKENS = 50000 };

static const uint64_t FIXED_SEED = 20261123;
static bool verbose;   /* --verbose: every form of the check run, on stderr */
/* MILP scheduling is slow (it runs to its time limit on most programs),
 * so by default only every tenth program is scheduled by it; the others
 * use the list schedule.  --milp MS and --milp-every K change that. */
static double milp_secs = 0.2;
static int milp_every = 10;

/* ---- running a program in a session ---------------------------------- */

typedef struct {
  bool ok;
  char *kind;       /* error kind */
  char *diag;       /* error, with its place */
  strbuf out;       /* what the form displayed */
  strbuf text;      /* its value */
  int64_t tokens;
} form_log;

typedef struct {
  VEC(form_log) v;
  int64_t tokens;
} prog_log;

typedef struct {
  int forms, errors, check_failures;
  int64_t tokens;
  int nkinds;
  struct { char name[24]; int n; } kinds[16];
} stats;

static void capture(void *ctx, const char *s, size_t n) {
  sb_putn((strbuf *)ctx, s, n);
}

static session *open_session(run_mode m, bool brute, strbuf *out) {
  session *s = session_new();
  s->mode = m;
  s->milp_limit = milp_secs;
  s->brute = brute;
  s->w->out = capture;
  s->w->out_ctx = out;
  s->w->lim.max_depth = DEPTH_LIMIT;
  return s;
}

static char *xstrdup_or_null(const char *s) {
  if (!s) return NULL;
  size_t n = strlen(s) + 1;
  char *d = xmalloc(n);
  memcpy(d, s, n);
  return d;
}

static void log_form(prog_log *pl, session *s, const form_result *r,
                     const strbuf *out) {
  form_log f;
  memset(&f, 0, sizeof f);
  f.ok = r->ok;
  sb_init(&f.out);
  sb_init(&f.text);
  if (out->n) sb_putn(&f.out, out->s, out->n);
  if (r->ok && r->has_value) sb_putn(&f.text, r->text.s, r->text.n);
  if (!r->ok) {
    strbuf d;
    sb_init(&d);
    session_diag(s, r->err.loc, "error", r->err.msg ? r->err.msg : "?", &d);
    f.diag = sb_detach(&d);
    f.kind = xstrdup_or_null(r->err.kind ? r->err.kind : "?");
  }
  f.tokens = r->tokens;
  pl->tokens += r->tokens;
  VEC_PUSH(pl->v, f);
}

static void free_log(prog_log *pl) {
  for (int i = 0; i < pl->v.n; i++) {
    free(pl->v.v[i].kind);
    free(pl->v.v[i].diag);
    sb_free(&pl->v.v[i].out);
    sb_free(&pl->v.v[i].text);
  }
  VEC_FREE(pl->v);
}

/* Runs every form of src; false (and why in err) on a syntax error. */
static bool run_program(const char *src, run_mode m, bool brute, prog_log *pl,
                        strbuf *err) {
  strbuf out;
  sb_init(&out);
  session *s = open_session(m, brute, &out);
  int file = src_add(&s->w->src, "<gen>");
  reader *rd = rd_new(&s->w->syms, &s->w->src, file);
  rd_feed(rd, src, strlen(src));
  rd_eof(rd);
  bool ok = true;
  while (rd_has_form(rd)) {
    rd_form f = rd_take(rd);
    form_result r;
    form_result_init(&r);
    sb_clear(&out);
    session_eval(s, &f, NULL, 0, &r);
    log_form(pl, s, &r, &out);
    form_result_free(&r);
  }
  if (rd_status_of(rd) == RD_ERROR) {
    srcloc loc;
    const char *msg = rd_error(rd, &loc);
    session_diag(s, loc, "syntax error", msg, err);
    ok = false;
  }
  rd_free(rd);
  session_free(s);
  sb_free(&out);
  return ok;
}

static void count_kind(stats *st, const char *kind) {
  for (int i = 0; i < st->nkinds; i++)
    if (!strcmp(st->kinds[i].name, kind)) {
      st->kinds[i].n++;
      return;
    }
  if (st->nkinds == 16) return;
  snprintf(st->kinds[st->nkinds].name, sizeof st->kinds[0].name, "%s", kind);
  st->kinds[st->nkinds++].n = 1;
}

static void show_log(const prog_log *pl) {
  for (int i = 0; i < pl->v.n; i++) {
    const form_log *f = &pl->v.v[i];
    fprintf(stderr, "form %d: %lld tokens, printed \"%s\"", i + 1,
            (long long)f->tokens, f->out.s ? f->out.s : "");
    if (f->ok) fprintf(stderr, ", value %s\n", f->text.s ? f->text.s : "(none)");
    else fprintf(stderr, ", %s error:\n%s", f->kind, f->diag);
  }
}

/* Check mode: every form must agree with the reference evaluator. */
static bool check_pass(const prog_log *pl, stats *st, strbuf *why) {
  bool ok = true;
  if (verbose) show_log(pl);
  for (int i = 0; i < pl->v.n; i++) {
    const form_log *f = &pl->v.v[i];
    st->forms++;
    if (f->ok) continue;
    st->errors++;
    count_kind(st, f->kind);
    if (strcmp(f->kind, "check")) continue;
    st->check_failures++;
    sb_printf(why, "check mode, form %d:\n%s", i + 1, f->diag);
    ok = false;
  }
  return ok;
}

static bool same_sb(const strbuf *a, const strbuf *b) {
  return a->n == b->n && (!a->n || !memcmp(a->s, b->s, a->n));
}

static bool same_str(const char *a, const char *b) {
  return (!a && !b) || (a && b && !strcmp(a, b));
}

static void show_form(strbuf *why, const char *cache, const form_log *f) {
  sb_printf(why, "  %s: %s, %lld tokens, printed \"%s\"", cache,
            f->ok ? "ok" : "failed", (long long)f->tokens, f->out.s ? f->out.s : "");
  if (f->ok) sb_printf(why, ", value %s\n", f->text.s ? f->text.s : "(none)");
  else sb_printf(why, ", %s", f->diag);
}

/* Brute and hull caches: the same text, values, errors and tokens. */
static bool compare_caches(const prog_log *b, const prog_log *h, strbuf *why) {
  if (b->v.n != h->v.n) {
    sb_printf(why, "brute ran %d forms, hull %d\n", b->v.n, h->v.n);
    return false;
  }
  for (int i = 0; i < b->v.n; i++) {
    const form_log *x = &b->v.v[i], *y = &h->v.v[i];
    if (x->ok == y->ok && x->tokens == y->tokens && same_sb(&x->out, &y->out) &&
        same_sb(&x->text, &y->text) && same_str(x->kind, y->kind) &&
        same_str(x->diag, y->diag))
      continue;
    sb_printf(why, "brute and hull caches differ at form %d:\n", i + 1);
    show_form(why, "brute", x);
    show_form(why, "hull ", y);
    return false;
  }
  return true;
}

/* The three runs of one program; false and why when they disagree. */
static bool differential(const char *src, stats *st, strbuf *why) {
  prog_log c = {{0}, 0}, b = {{0}, 0}, h = {{0}, 0};
  bool ok = run_program(src, MODE_CHECK, false, &c, why) &&
            check_pass(&c, st, why);
  if (ok) {
    ok = run_program(src, MODE_TRANSFORMER, false, &h, why);
    /* the brute-force cache costs time quadratic in the trace: a longer
     * program is checked with the hull against the evaluator only */
    if (ok && h.tokens <= BRUTE_MAX_TOKENS)
      ok = run_program(src, MODE_TRANSFORMER, true, &b, why) &&
           compare_caches(&b, &h, why);
    st->tokens += h.tokens;
  }
  free_log(&c);
  free_log(&b);
  free_log(&h);
  return ok;
}

/* ---- child processes ---------------------------------------------------- */

typedef struct {
  const char *label;     /* "loop-free", "structured" */
  uint64_t seed;         /* the program's own seed */
  bool structured;
  const char *file_src;  /* --file: the program itself */
} job;

typedef struct {
  unsigned enable;
  int timeout;
  int jobs;
} config;

static char *job_program(const job *j, const config *cf) {
  if (j->file_src) return xstrdup_or_null(j->file_src);
  gen_opts o;
  gen_opts_default(&o, j->structured);
  o.enable = cf->enable;
  return gen_program(j->seed, &o);
}

static void write_all(int fd, const char *s, size_t n) {
  while (n) {
    ssize_t k = write(fd, s, n);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) return;
    s += k;
    n -= (size_t)k;
  }
}

static bool uses_milp(int index) {
  return milp_secs > 0 && milp_every > 0 && index % milp_every == 0;
}

/* The child: runs the program and writes "P"/"F", the stats and, on a
 * failure, the report to fd. */
static void child_main(const job *j, const config *cf, int index, int fd) {
  alarm((unsigned)cf->timeout);
  if (!uses_milp(index)) milp_secs = 0;
  char *src = job_program(j, cf);
  stats st;
  memset(&st, 0, sizeof st);
  strbuf why;
  sb_init(&why);
  bool ok = differential(src, &st, &why);
  strbuf rep;
  sb_init(&rep);
  sb_printf(&rep, "%c %d %d %lld", ok ? 'P' : 'F', st.forms, st.errors,
            (long long)st.tokens);
  for (int i = 0; i < st.nkinds; i++)
    sb_printf(&rep, " %s=%d", st.kinds[i].name, st.kinds[i].n);
  sb_putc(&rep, '\n');
  if (!ok) sb_putn(&rep, why.s, why.n);
  write_all(fd, rep.s, rep.n);
  _exit(ok ? 0 : 1);
}

typedef struct {
  pid_t pid;
  int fd;
  int index;
  strbuf buf;
} running;

typedef struct {
  bool done, ok;
  char *report;    /* what the child wrote, plus how it ended */
} outcome;

static bool spawn(const job *j, const config *cf, int index, running *r) {
  int p[2];
  if (pipe(p) < 0) return false;
  fflush(stdout);
  pid_t pid = fork();
  if (pid < 0) {
    close(p[0]);
    close(p[1]);
    return false;
  }
  if (pid == 0) {
    close(p[0]);
    child_main(j, cf, index, p[1]);
  }
  close(p[1]);
  r->pid = pid;
  r->fd = p[0];
  r->index = index;
  sb_init(&r->buf);
  return true;
}

static void finish(running *r, outcome *o) {
  int status = 0;
  while (waitpid(r->pid, &status, 0) < 0 && errno == EINTR) {
  }
  close(r->fd);
  o->done = true;
  o->ok = WIFEXITED(status) && WEXITSTATUS(status) == 0 && r->buf.n && r->buf.s[0] == 'P';
  if (WIFSIGNALED(status))
    sb_printf(&r->buf, "%sthe child process died of signal %d (%s)\n",
              r->buf.n ? "" : "X 0 0 0\n", WTERMSIG(status),
              WTERMSIG(status) == SIGALRM ? "timed out" : strsignal(WTERMSIG(status)));
  else if (!r->buf.n)
    sb_printf(&r->buf, "X 0 0 0\nthe child process wrote nothing (exit %d)\n",
              WEXITSTATUS(status));
  o->report = sb_detach(&r->buf);
  r->pid = 0;
}

/* Reads whatever the running children wrote; finishes those at EOF. */
static void pump(running *rs, int n, outcome *os) {
  struct pollfd pf[MAX_JOBS];
  if (n <= 0 || n > MAX_JOBS) return;
  for (int i = 0; i < n; i++) {
    pf[i].fd = rs[i].fd;
    pf[i].events = POLLIN;
    pf[i].revents = 0;
  }
  if (poll(pf, (nfds_t)n, -1) < 0) return;
  for (int i = 0; i < n; i++) {
    if (!pf[i].revents) continue;
    char buf[4096];
    ssize_t k = read(rs[i].fd, buf, sizeof buf);
    if (k > 0) sb_putn(&rs[i].buf, buf, (size_t)k);
    else if (k == 0 || errno != EINTR) finish(&rs[i], &os[rs[i].index]);
  }
}

/* ---- reporting ---------------------------------------------------------- */

typedef struct {
  int programs, failed, forms, errors;
  int64_t tokens;
  stats kinds;
} totals;

static void diag_lines(const char *prefix, const char *text) {
  const char *p = text;
  while (*p) {
    size_t n = strcspn(p, "\n");
    printf("# %s%.*s\n", prefix, (int)n, p);
    p += n;
    if (*p) p++;
  }
}

static void add_stats(totals *t, const char *line) {
  char c;
  int forms = 0, errors = 0;
  long long tokens = 0;
  int used = 0;
  if (sscanf(line, "%c %d %d %lld%n", &c, &forms, &errors, &tokens, &used) < 4) return;
  t->forms += forms;
  t->errors += errors;
  t->tokens += tokens;
  const char *p = line + used;
  while (*p == ' ') {
    char name[24];
    int n, k = 0;
    if (sscanf(p, " %23[^=]=%d%n", name, &n, &k) < 2) break;
    for (int i = 0; i < n; i++) count_kind(&t->kinds, name);
    p += k;
  }
}

static void report(const job *j, const config *cf, int index, outcome *o,
                   totals *t) {
  t->programs++;
  const char *nl = strchr(o->report, '\n');
  add_stats(t, o->report);
  tap_ok(o->ok, "%s program, seed 0x%016llx%s", j->label,
         (unsigned long long)j->seed, uses_milp(index) ? " (MILP)" : "");
  if (!o->ok) {
    t->failed++;
    diag_lines("", nl ? nl + 1 : o->report);
    char *src = job_program(j, cf);
    printf("# the program (test-differential --print 0x%016llx%s):\n",
           (unsigned long long)j->seed, j->structured ? " --structured" : "");
    diag_lines("  ", src);
    free(src);
  }
  free(o->report);
  o->report = NULL;
}

/* Runs the jobs, cf->jobs at a time, reporting them in order. */
static void run_jobs(const job *js, int n, const config *cf, totals *t) {
  outcome *os = xcalloc((size_t)n + 1, sizeof *os);
  running rs[MAX_JOBS];
  int nr = 0, next = 0, shown = 0;
  while (shown < n) {
    while (nr < cf->jobs && next < n) {
      if (!spawn(&js[next], cf, next, &rs[nr])) break;
      next++, nr++;
    }
    if (nr) pump(rs, nr, os);
    for (int i = 0; i < nr;)
      if (rs[i].pid == 0) rs[i] = rs[--nr];
      else i++;
    while (shown < n && os[shown].done) {
      report(&js[shown], cf, shown, &os[shown], t);
      shown++;
    }
  }
  free(os);
}

typedef VEC(job) job_vec;

static void add_batch(job_vec *js, const char *label, bool structured,
                      uint64_t base, int n) {
  for (int k = 0; k < n; k++) {
    job j = {label, gen_seed_at(base + (structured ? 1 : 0), (uint64_t)k),
             structured, NULL};
    VEC_PUSH(*js, j);
  }
}

static void summary(const totals *t, double secs) {
  tap_diag("%d programs, %d failed; %d forms, %d ended in errors; %lld "
           "transformer tokens (hull run); %.1f s",
           t->programs, t->failed, t->forms, t->errors, (long long)t->tokens, secs);
  strbuf b;
  sb_init(&b);
  for (int i = 0; i < t->kinds.nkinds; i++)
    sb_printf(&b, " %s %d", t->kinds.kinds[i].name, t->kinds.kinds[i].n);
  if (b.n) tap_diag("errors by kind:%s", b.s);
  sb_free(&b);
}

/* ---- the command line --------------------------------------------------- */

typedef struct {
  int loop_free, structured, soak;
  bool have_seed, print, run_seed, one_structured;
  uint64_t seed, one_seed;
  const char *file;
} args;

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int usage(void) {
  fprintf(stderr,
          "usage: test-differential [--loop-free N] [--structured N] [--seed S]\n"
          "         [--jobs J] [--enable FLAGS] [--timeout SECS]\n"
          "         [--milp MS] [--milp-every K]\n"
          "       test-differential --soak N\n"
          "       test-differential --print SEED [--structured]\n"
          "       test-differential --run-seed SEED [--structured]\n"
          "       test-differential --file FILE\n"
          "       (--verbose: every form of the check run, on stderr)\n"
          "flags: %s\n", gen_flag_names());
  return 2;
}

static bool parse_u64(const char *s, uint64_t *v) {
  char *end;
  errno = 0;
  unsigned long long x = strtoull(s, &end, 0);
  if (errno || end == s || *end) return false;
  *v = x;
  return true;
}

static bool parse_args(int argc, char **argv, args *a, config *cf) {
  for (int i = 1; i < argc; i++) {
    const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    uint64_t x;
    if (!strcmp(o, "--structured") && (!v || v[0] == '-')) a->one_structured = true;
    else if (!strcmp(o, "--verbose")) verbose = true;
    else if (!v) return false;
    else if (!strcmp(o, "--loop-free") && parse_u64(v, &x)) a->loop_free = (int)x, i++;
    else if (!strcmp(o, "--structured") && parse_u64(v, &x)) a->structured = (int)x, i++;
    else if (!strcmp(o, "--soak") && parse_u64(v, &x)) a->soak = (int)x, i++;
    else if (!strcmp(o, "--seed") && parse_u64(v, &a->seed)) a->have_seed = true, i++;
    else if (!strcmp(o, "--jobs") && parse_u64(v, &x) && x >= 1 && x <= MAX_JOBS) cf->jobs = (int)x, i++;
    else if (!strcmp(o, "--timeout") && parse_u64(v, &x)) cf->timeout = (int)x, i++;
    else if (!strcmp(o, "--milp") && parse_u64(v, &x)) milp_secs = (double)x / 1000, i++;
    else if (!strcmp(o, "--milp-every") && parse_u64(v, &x)) milp_every = (int)x, i++;
    else if (!strcmp(o, "--enable") && gen_parse_flags(v, &cf->enable)) i++;
    else if (!strcmp(o, "--print") && parse_u64(v, &a->one_seed)) a->print = true, i++;
    else if (!strcmp(o, "--run-seed") && parse_u64(v, &a->one_seed)) a->run_seed = true, i++;
    else if (!strcmp(o, "--file")) a->file = v, i++;
    else return false;
  }
  return true;
}

static int env_int(const char *name, int dflt) {
  const char *s = getenv(name);
  uint64_t v;
  return s && parse_u64(s, &v) && v > 0 ? (int)v : dflt;
}

static uint64_t env_seed(bool *have) {
  const char *s = getenv("TVL_SEED");
  uint64_t v = 0;
  *have = s && *s && parse_u64(s, &v);
  return v;
}

/* One program (--print, --run-seed, --file). */
static int one_program(const args *a, config *cf) {
  job j = {a->one_structured ? "structured" : "loop-free", a->one_seed,
           a->one_structured, NULL};
  char *text = NULL;
  if (a->file) {
    text = read_whole_file(a->file);
    if (!text) {
      fprintf(stderr, "test-differential: cannot read %s\n", a->file);
      return 2;
    }
    j.label = a->file;
    j.file_src = text;
  }
  if (a->print) {
    char *src = job_program(&j, cf);
    fputs(src, stdout);
    free(src);
    return 0;
  }
  totals t;
  memset(&t, 0, sizeof t);
  tap_plan(1);
  cf->jobs = 1;
  run_jobs(&j, 1, cf, &t);
  summary(&t, 0);
  free(text);
  return tap_done();
}

int main(int argc, char **argv) {
  args a;
  memset(&a, 0, sizeof a);
  a.loop_free = 2000;
  a.structured = 300;
  config cf = {GEN_DEFAULT, 120, env_int("TVL_JOBS", 2)};
  if (cf.jobs > MAX_JOBS) cf.jobs = MAX_JOBS;
  const char *en = getenv("TVL_GEN_ENABLE");
  if ((en && !gen_parse_flags(en, &cf.enable)) || !parse_args(argc, argv, &a, &cf))
    return usage();
  if (a.print || a.run_seed || a.file) return one_program(&a, &cf);
  bool have_env;
  uint64_t env = env_seed(&have_env);
  job_vec js = {0};
  if (a.soak) {
    uint64_t seed = have_env ? env : (uint64_t)time(NULL);
    add_batch(&js, "structured", true, seed, a.soak);
    tap_diag("soak: %d structured programs from seed %llu (TVL_SEED)", a.soak,
             (unsigned long long)seed);
  } else {
    uint64_t seed = a.have_seed ? a.seed : FIXED_SEED;
    add_batch(&js, "loop-free", false, seed, a.loop_free);
    add_batch(&js, "structured", true, seed, a.structured);
    tap_diag("seed %llu: %d loop-free and %d structured programs",
             (unsigned long long)seed, a.loop_free, a.structured);
    if (have_env) {
      add_batch(&js, "loop-free", false, env, a.loop_free);
      add_batch(&js, "structured", true, env, a.structured);
      tap_diag("TVL_SEED %llu: %d loop-free and %d structured programs",
               (unsigned long long)env, a.loop_free, a.structured);
    }
  }
  if (cf.enable) tap_diag("generator flags on: 0x%x", cf.enable);
  tap_diag("%d jobs at a time; depth limit %d", cf.jobs, DEPTH_LIMIT);
  tap_plan(js.n);
  totals t;
  memset(&t, 0, sizeof t);
  double t0 = now_s();
  run_jobs(js.v, js.n, &cf, &t);
  summary(&t, now_s() - t0);
  VEC_FREE(js);
  return tap_done();
}
