/* bench-milp.c - the MILP scheduler against the list scheduler on real code.
 *
 * What it measures: every procedure defined by the programs in stdlib/,
 * stdlib/examples/ (*.tvl) and the test corpus tests/scheme/ (*.scm) is
 * compiled twice into a transformer, once with the list scheduler
 * (sched_list) and once with the GLPK MILP scheduler (sched_milp, LIMIT
 * seconds per procedure).  One line per procedure: file, name, gates of
 * its graph, layers/d_model under each scheduler, the wall time of the
 * MILP compile (lowering, scheduling and weights; the list compile of the
 * same procedure takes milliseconds) and the solver's note ("optimal"
 * when the MILP proved its schedule the narrowest in the fewest layers).
 * Then per-file and grand totals: procedures, the sums of layers and of
 * d_model under each scheduler, how many the MILP improved (fewer layers,
 * or as many and narrower) and how many it made worse (must be none).
 *
 * Each program is loaded with the reference evaluator (fast: nothing is
 * compiled while loading), then each of its procedures is lowered on its
 * own as the entry point of a program.  Programs listed in
 * tests/scheme/NOT-COMPILED, which the transformer refuses, are skipped
 * with the reason given there (-a tries their procedures anyway); a
 * procedure that does not compile alone (say the kind of a parameter is
 * not fixed by its body) is skipped with the compiler's message.  Where
 * the solver hits the time limit the figures can differ by a slot or so
 * from run to run.
 *
 * Usage: bench-milp [-d SRCDIR] [-t LIMIT] [-n N | --quick] [-a] [-v] [FILE...]
 *   -d SRCDIR  the source tree (default: .)
 *   -t LIMIT   seconds of MILP per procedure (default: 1)
 *   -n N       only the first N programs; -q, --quick: -n 5 (a second)
 *   -a         also the procedures of the programs in NOT-COMPILED
 *   -v         the solver's progress on stderr
 *   FILE       these programs (paths) instead of the whole corpus
 * `make bench-milp` runs it on the whole corpus (about 30 s).
 * Exit status: 0 when the MILP is never worse, 1 when it is worse on some
 * procedure (or fails where the list succeeds), 2 for a usage error or a
 * program that cannot be read or loaded.
 */
#include "config.h"

#include "backend/gates.h"
#include "backend/machine.h"
#include "lang/ir.h"
#include "lib/session.h"

#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
  const char *dir;
  double limit;
  int max_files;        /* 0: all */
  bool all;             /* also the NOT-COMPILED programs */
  bool verbose;
  char **files;         /* explicit programs, or NULL */
  int nfiles;
} config;

typedef struct {
  char name[160];
  int skipped_files, unloaded, procs, skipped;
  long list_layers, list_d, milp_layers, milp_d;
  int improved, worse;
  int failed;           /* MILP compiles that failed where the list's did not */
  double milp_s;
} totals;

typedef VEC(char *) str_vec;

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A usage error (msg) on stderr, status 2; or the help, status 0. */
static void usage(const char *msg) {
  FILE *f = msg ? stderr : stdout;
  if (msg) fprintf(f, "bench-milp: %s\n", msg);
  fprintf(f, "usage: bench-milp [-d SRCDIR] [-t LIMIT] [-n N | --quick] [-a] [-v] "
             "[FILE...]\n");
  if (!msg)
    fputs("  -d SRCDIR  the source tree (default: .)\n"
          "  -t LIMIT   seconds of MILP per procedure (default: 1)\n"
          "  -n N       only the first N programs; -q, --quick: -n 5\n"
          "  -a         also the programs listed in tests/scheme/NOT-COMPILED\n"
          "  -v         the solver's progress on stderr\n"
          "  FILE       these programs instead of stdlib/ and tests/scheme/\n", f);
  exit(msg ? 2 : 0);
}

/* ---- options and files ------------------------------------------------ */

/* The number s, from min to max; a usage error otherwise. */
static double number_arg(const char *opt, const char *s, double min, double max) {
  char *end;
  errno = 0;
  double v = s ? strtod(s, &end) : 0;
  if (!s || !*s || *end || errno || !(v >= min && v <= max)) {
    char msg[200];
    snprintf(msg, sizeof msg, "%s needs a number from %g to %g%s%.60s%s", opt, min, max,
             s ? " (got '" : "", s ? s : "", s ? "')" : "");
    usage(msg);
  }
  return v;
}

/* The value of option argv[*i] (the next argument); a usage error if none. */
static const char *opt_value(int argc, char **argv, int *i) {
  if (*i + 1 >= argc) {
    char msg[120];
    snprintf(msg, sizeof msg, "%.60s needs a value", argv[*i]);
    usage(msg);
  }
  return argv[++*i];
}

/* One option at argv[*i]; false when it is not one. */
static bool parse_opt(config *c, int argc, char **argv, int *i) {
  const char *a = argv[*i];
  if (!strcmp(a, "-d")) c->dir = opt_value(argc, argv, i);
  else if (!strcmp(a, "-t")) c->limit = number_arg(a, opt_value(argc, argv, i), 0.001, 1e6);
  else if (!strcmp(a, "-n")) c->max_files = (int)number_arg(a, opt_value(argc, argv, i), 1, 1e6);
  else if (!strcmp(a, "--quick") || !strcmp(a, "-q")) c->max_files = 5;
  else if (!strcmp(a, "-a")) c->all = true;
  else if (!strcmp(a, "-v")) c->verbose = true;
  else if (!strcmp(a, "-h") || !strcmp(a, "--help")) usage(NULL);
  else return false;
  return true;
}

static config parse_args(int argc, char **argv) {
  config c = {".", 1.0, 0, false, false, NULL, 0};
  int i = 1;
  for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
    if (!strcmp(argv[i], "--")) {
      i++;
      break;
    }
    if (!parse_opt(&c, argc, argv, &i)) {
      char msg[120];
      snprintf(msg, sizeof msg, "unknown option '%.60s'", argv[i]);
      usage(msg);
    }
  }
  c.files = argv + i;
  c.nfiles = argc - i;
  return c;
}

/* Appends the files matching dir/pattern, sorted. */
static void add_glob(const char *dir, const char *pattern, str_vec *out) {
  char pat[4096];
  snprintf(pat, sizeof pat, "%s/%s", dir, pattern);
  glob_t g;
  if (glob(pat, 0, NULL, &g) == 0)
    for (size_t k = 0; k < g.gl_pathc; k++) VEC_PUSH(*out, xstrdup(g.gl_pathv[k]));
  globfree(&g);
}

static str_vec corpus(const config *c) {
  str_vec v = {0};
  if (c->nfiles) {
    for (int i = 0; i < c->nfiles; i++) VEC_PUSH(v, xstrdup(c->files[i]));
  } else {
    add_glob(c->dir, "stdlib/*.tvl", &v);
    add_glob(c->dir, "stdlib/examples/*.tvl", &v);
    add_glob(c->dir, "tests/scheme/*.scm", &v);
    if (!v.n) {
      fprintf(stderr, "bench-milp: no programs under %s (use -d SRCDIR)\n", c->dir);
      exit(2);
    }
  }
  if (c->max_files && v.n > c->max_files) {
    for (int i = c->max_files; i < v.n; i++) free(v.v[i]);
    v.n = c->max_files;
  }
  return v;
}

/* The lines of tests/scheme/NOT-COMPILED ("NAME reason"); none if absent. */
static str_vec not_compiled(const config *c) {
  str_vec v = {0};
  char path[4096];
  snprintf(path, sizeof path, "%s/tests/scheme/NOT-COMPILED", c->dir);
  char *text = read_whole_file(path);
  for (char *line = text ? strtok(text, "\n") : NULL; line; line = strtok(NULL, "\n"))
    if (*line) VEC_PUSH(v, xstrdup(line));
  free(text);
  return v;
}

/* The file's name without directory and extension. */
static void base_name(const char *path, char *out, size_t n) {
  const char *b = strrchr(path, '/');
  snprintf(out, n, "%s", b ? b + 1 : path);
  char *dot = strrchr(out, '.');
  if (dot && dot != out) *dot = 0;
}

/* Why the transformer refuses a .scm program, or NULL. */
static const char *refused(const str_vec *nc, const char *path) {
  size_t len = strlen(path);
  if (len < 4 || strcmp(path + len - 4, ".scm")) return NULL;
  char name[256];
  base_name(path, name, sizeof name);
  size_t k = strlen(name);
  for (int i = 0; i < nc->n; i++)
    if (!strncmp(nc->v[i], name, k) && nc->v[i][k] == ' ') return nc->v[i] + k + 1;
  return NULL;
}

/* The path as printed: relative to the source tree when inside it. */
static const char *shown(const config *c, const char *path) {
  size_t k = strlen(c->dir);
  if (!strncmp(path, c->dir, k) && path[k] == '/') return path + k + 1;
  return path;
}

/* ---- loading ------------------------------------------------------------ */

/* Runs a program's forms in the reference evaluator, as `tvl FILE` does
 * (its defined names known up front); its defined names go to names. */
static bool load_program(session *s, const char *path, const char *text, int_vec *names,
                         char *err, size_t errlen) {
  int file = src_add(&s->w->src, path);
  reader *rd = rd_new(&s->w->syms, &s->w->src, file);
  rd_feed(rd, text, strlen(text));
  rd_eof(rd);
  VEC(rd_form) forms = {0};
  while (rd_has_form(rd)) {
    VEC_PUSH(forms, rd_take(rd));
    session_collect_defines(s, forms.v[forms.n - 1].form, names);
  }
  bool ok = true;
  for (int i = 0; i < forms.n; i++) {
    form_result r;
    form_result_init(&r);
    if (ok && !session_eval(s, &forms.v[i], names->v, names->n, &r)) {
      snprintf(err, errlen, "%s", r.err.msg ? r.err.msg : "error");
      ok = false;
    } else if (!ok) {
      arena_free(&forms.v[i].mem);
    }
    form_result_free(&r);
  }
  if (ok && rd_status_of(rd) == RD_ERROR) {
    srcloc loc;
    const char *msg = rd_error(rd, &loc);
    snprintf(err, errlen, "syntax error: %s", msg ? msg : "?");
    ok = false;
  }
  VEC_FREE(forms);
  rd_free(rd);
  return ok;
}

/* ---- compiling ---------------------------------------------------------- */

typedef struct {
  world *w;
  gcell *fn;
  const sched_opts *o;   /* NULL: the list scheduler */
  mprog *p;
  char err[512];
} compile_job;

/* Lowering recurses over the program: it runs on the deep stack. */
static void compile_deep(void *arg) {
  compile_job *j = arg;
  lang_error err = {0};
  ir_prog *ir = ir_lower_function(j->w, j->fn, &err);
  if (!ir) {
    snprintf(j->err, sizeof j->err, "%s", err.msg ? err.msg : "cannot lower it");
    lang_error_free(&err);
    return;
  }
  j->p = machine_compile(ir, j->o, j->err, sizeof j->err);
}

static mprog *compile(world *w, gcell *fn, const sched_opts *o, char *err, size_t errlen) {
  compile_job j = {w, fn, o, NULL, ""};
  lang_run_deep(compile_deep, &j);
  if (!j.p) snprintf(err, errlen, "%s", j.err[0] ? j.err : "compile failed");
  return j.p;
}

/* The length of the first line of s (messages are printed on one line). */
static int first_line(const char *s) { return (int)strcspn(s, "\n"); }

static void print_skip(const char *file, const char *fn, const char *why) {
  printf("%-36s %-24s skipped: %.*s\n", file, fn, first_line(why), why);
}

/* The outcome of the MILP against the list: 1 better, 0 same, -1 worse. */
static int verdict(const placement *l, const placement *m) {
  if (m->n_layers != l->n_layers) return m->n_layers < l->n_layers ? 1 : -1;
  return m->d_model < l->d_model ? 1 : m->d_model > l->d_model ? -1 : 0;
}

static void count(totals *t, const placement *l, const placement *m, double dt) {
  int v = verdict(l, m);
  t->procs++;
  t->list_layers += l->n_layers;
  t->list_d += l->d_model;
  t->milp_layers += m->n_layers;
  t->milp_d += m->d_model;
  t->improved += v > 0;
  t->worse += v < 0;
  t->milp_s += dt;
}

static void print_proc(const char *file, const char *fn, const mprog *lp, const mprog *mp,
                       double dt) {
  static const char *const word[] = {"WORSE", "same", "better"};
  const placement *l = &lp->pl, *m = &mp->pl;
  const char *note = mp->sched_note;
  if (!strncmp(note, "MILP: ", 6)) note += 6;
  char ls[32], ms[32];
  snprintf(ls, sizeof ls, "%d/%d", l->n_layers, l->d_model);
  snprintf(ms, sizeof ms, "%d/%d", m->n_layers, m->d_model);
  printf("%-36s %-24s %6d %-9s %-9s %7.3f %-6s %s\n", file, fn, mp->gg.g.n, ls, ms, dt,
         word[verdict(l, m) + 1], note[0] ? note : "optimal");
}

/* Compiles one procedure with both schedulers and counts it. */
static void bench_proc(const config *c, world *w, gcell *g, const char *file, const char *fn,
                       totals *t) {
  char err[512];
  mprog *lp = compile(w, g, NULL, err, sizeof err);
  if (!lp) {
    print_skip(file, fn, err);
    t->skipped++;
    return;
  }
  sched_opts o;
  memset(&o, 0, sizeof o);
  o.time_limit = c->limit;
  o.verbose = c->verbose;
  double t0 = now_s();
  mprog *mp = compile(w, g, &o, err, sizeof err);
  double dt = now_s() - t0;
  if (!mp) {
    printf("%-36s %-24s FAILED with the MILP (the list compiles it): %.*s\n", file, fn,
           first_line(err), err);
    t->failed++;
  } else {
    print_proc(file, fn, lp, mp, dt);
    count(t, &lp->pl, &mp->pl, dt);
  }
  fflush(stdout);
  mprog_free(lp);
  mprog_free(mp);
}

/* ---- programs and totals -------------------------------------------------- */

static bool seen_before(const int_vec *names, int k) {
  for (int i = 0; i < k; i++)
    if (names->v[i] == names->v[k]) return true;
  return false;
}

/* Loads one program and benches each procedure it defines; false when it
 * cannot be read or loaded. */
static bool bench_program(const config *c, const char *path, const char *file, totals *t) {
  char *text = read_whole_file(path);
  if (!text) {
    printf("%-36s cannot be read: %s\n", file, strerror(errno));
    return false;
  }
  session *s = session_new();
  s->mode = MODE_REFERENCE;   /* loading compiles nothing */
  s->milp_limit = 0;
  int_vec names = {0};
  char err[512];
  bool ok = load_program(s, path, text, &names, err, sizeof err);
  if (!ok) printf("%-36s not loaded: %.*s\n", file, first_line(err), err);
  for (int k = 0; ok && k < names.n; k++) {
    gcell *g = world_find(s->w, names.v[k]);
    if (g && g->kind == G_FUNC && !seen_before(&names, k))
      bench_proc(c, s->w, g, file, sym_name(&s->w->syms, names.v[k]), t);
  }
  VEC_FREE(names);
  session_free(s);
  free(text);
  return ok;
}

static void add_totals(totals *sum, const totals *t) {
  sum->skipped_files += t->skipped_files;
  sum->unloaded += t->unloaded;
  sum->procs += t->procs;
  sum->skipped += t->skipped;
  sum->list_layers += t->list_layers;
  sum->list_d += t->list_d;
  sum->milp_layers += t->milp_layers;
  sum->milp_d += t->milp_d;
  sum->improved += t->improved;
  sum->worse += t->worse;
  sum->failed += t->failed;
  sum->milp_s += t->milp_s;
}

static void print_totals_header(void) {
  printf("%-36s %5s %5s %12s %12s %8s %5s %8s\n", "", "procs", "skip", "list L/d",
         "MILP L/d", "improved", "worse", "MILP s");
}

/* One row of the totals; a program skipped or not loaded says so. */
static void print_totals(const totals *t, bool program) {
  if (program && t->skipped_files) {
    printf("%-36s skipped (NOT-COMPILED)\n", t->name);
    return;
  }
  if (program && t->unloaded) {
    printf("%-36s not read or not loaded (an error above)\n", t->name);
    return;
  }
  char l[32], m[32];
  snprintf(l, sizeof l, "%ld/%ld", t->list_layers, t->list_d);
  snprintf(m, sizeof m, "%ld/%ld", t->milp_layers, t->milp_d);
  printf("%-36s %5d %5d %12s %12s %8d %5d %8.1f\n", t->name, t->procs, t->skipped, l, m,
         t->improved, t->worse, t->milp_s);
}

int main(int argc, char **argv) {
  config c = parse_args(argc, argv);
  str_vec files = corpus(&c);
  str_vec nc = not_compiled(&c);
  VEC(totals) per = {0};
  totals all;
  memset(&all, 0, sizeof all);
  snprintf(all.name, sizeof all.name, "all (%d programs)", files.n);
  printf("# MILP time limit %g s per procedure; L/d: layers/d_model\n", c.limit);
  printf("%-36s %-24s %6s %-9s %-9s %7s %-6s %s\n", "file", "procedure", "gates", "list L/d",
         "MILP L/d", "MILP s", "result", "solver note");
  for (int i = 0; i < files.n; i++) {
    totals t;
    memset(&t, 0, sizeof t);
    const char *file = shown(&c, files.v[i]);
    snprintf(t.name, sizeof t.name, "%s", file);
    const char *why = c.all ? NULL : refused(&nc, files.v[i]);
    if (why) {
      print_skip(file, "(program)", why);
      t.skipped_files = 1;
    } else {
      t.unloaded = !bench_program(&c, files.v[i], file, &t);
    }
    VEC_PUSH(per, t);
    add_totals(&all, &t);
  }
  printf("\n# totals per program, then for all of them\n");
  print_totals_header();
  for (int i = 0; i < per.n; i++) print_totals(&per.v[i], true);
  print_totals(&all, false);
  printf("%d procedures compiled with both schedulers: the MILP improved %d, same %d, "
         "worse %d; failed with the MILP only %d; skipped %d procedures and %d programs",
         all.procs, all.improved, all.procs - all.improved - all.worse, all.worse, all.failed,
         all.skipped, all.skipped_files);
  printf(all.unloaded ? "; %d programs not loaded\n" : "\n", all.unloaded);
  for (int i = 0; i < files.n; i++) free(files.v[i]);
  for (int i = 0; i < nc.n; i++) free(nc.v[i]);
  VEC_FREE(files);
  VEC_FREE(nc);
  VEC_FREE(per);
  return all.worse || all.failed ? 1 : all.unloaded ? 2 : 0;
}
