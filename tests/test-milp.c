/* test-milp.c - the MILP scheduler (backend/sched_milp.c).
 *
 *  - hand-built gate graphs: the MILP's schedule is valid (sched_place
 *    takes it), never worse than the list schedule, strictly narrower
 *    where the list computes values long before they are needed, keeps
 *    pins, and puts heads and FFN gates in their own half-layers;
 *  - the failure paths each fall back to the list schedule with a
 *    one-line note: time limit, infeasible pin, GLPK errors (before and
 *    inside the solve), and GLPK still works afterwards;
 *  - real programs (hello.tvl, sudoku.tvl, a few small ones) compile with
 *    the MILP to no more layers and no wider a residual than the list,
 *    and both models generate the same tokens.
 *
 * `test-milp -v` shows the solver's progress on stderr; MILP_LIMIT=5 gives
 * the examples' procedures 5 s each instead of 2.
 */
#include "config.h"

#include "backend/gates.h"
#include "backend/machine.h"
#include "lang/ir.h"
#include "lib/session.h"
#include "tests/tap.h"

#include <glpk.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static bool verbose;

static sched_opts opts(double limit) {
  sched_opts o;
  memset(&o, 0, sizeof o);
  o.time_limit = limit;
  o.verbose = verbose;
  return o;
}

/* ---- hand-built graphs ------------------------------------------------ */

static gform g1(gate_graph *gg, int g) { return gf_gate(gg, g); }

/* The output reads `g` (one vocabulary range, bonus column). */
static void output(gate_graph *gg, int g) { gg->out[0] = gf_add(gg, gg->out[0], g1(gg, g)); }

/* A chain c1..ck from x; c(j+1) also reads d_j = relu(x - j), which the
 * list computes at once and keeps until c(j+1) runs; the MILP can compute
 * each d_j just in time. */
static void late_values(gate_graph *gg, int k) {
  gg_init(gg, 1);
  int x = gg_input(gg, IN_POS, "x", 0, 100);
  int *d = xmalloc((size_t)k * sizeof(int));
  char name[32];
  for (int j = 0; j < k; j++) {
    snprintf(name, sizeof name, "d%d", j);
    d[j] = gg_relu(gg, name, gf_addk(gg, g1(gg, x), -j));
  }
  int c = gg_relu(gg, "c0", g1(gg, x));
  for (int j = 0; j < k; j++) {
    snprintf(name, sizeof name, "c%d", j + 1);
    c = gg_relu(gg, name, gf_add(gg, g1(gg, c), g1(gg, d[j])));
  }
  output(gg, c);
  free(d);
}

/* A lookup of x by position (the token before), reading `val`. */
static int prev_head(gate_graph *gg, const char *name, int p, int p2, const gform *val,
                     int dv, double lo, double hi) {
  double l[4] = {lo, lo, lo, lo}, h[4] = {hi, hi, hi, hi};
  return gg_head(gg, name, gf_addk(gg, g1(gg, p), -1), gf_const(gg, 1),
                 gf_scale(gg, g1(gg, p), 2), gf_scale(gg, g1(gg, p2), -1), -1,
                 TIE_LATEST, val, dv, l, h);
}

/* Heads and FFN gates: a chain of three lookups; a value (early) and a
 * head (late) the list runs at once though the end of the chain is the
 * first to read them; a head with three outputs that die at once. */
static void with_heads(gate_graph *gg) {
  gg_init(gg, 1);
  int p = gg_input(gg, IN_POS, "p", 0, 100);
  int p2 = gg_input(gg, IN_RING2, "p2", 0, 10000); /* r^2 == p^2 here */
  int x = gg_input(gg, IN_TOKEN, "x", -50, 50);
  gform v3[3] = {g1(gg, x), gf_scale(gg, g1(gg, x), 2), gf_addk(gg, g1(gg, x), 5)};
  int h1 = prev_head(gg, "h1", p, p2, v3, 3, -100, 100);
  gform sum = gf_add(gg, gf_add(gg, g1(gg, gg_hout(gg, h1, 0)), g1(gg, gg_hout(gg, h1, 1))),
                     g1(gg, gg_hout(gg, h1, 2)));
  int a = gg_relu(gg, "a", sum);
  int early = gg_relu(gg, "early", gf_addk(gg, g1(gg, x), 3));
  gform vx = g1(gg, x);
  int late = prev_head(gg, "late", p, p2, &vx, 1, -50, 50);
  gform va = g1(gg, a);
  int h2 = prev_head(gg, "h2", p, p2, &va, 1, 0, 300);
  int b = gg_relu(gg, "b", g1(gg, gg_hout(gg, h2, 0)));
  gform vb = g1(gg, b);
  int h3 = prev_head(gg, "h3", p, p2, &vb, 1, 0, 300);
  gform last = gf_add(gg, gf_add(gg, g1(gg, gg_hout(gg, h3, 0)), g1(gg, early)),
                      g1(gg, gg_hout(gg, late, 0)));
  output(gg, gg_relu(gg, "c", last));
  output(gg, x);
}

/* A wide random DAG with lots of slack, for the time limit. */
static void random_dag(gate_graph *gg, int n, unsigned seed) {
  gg_init(gg, 1);
  srand(seed);
  VEC(int) g = {0};
  for (int i = 0; i < 8; i++) {
    char name[16];
    snprintf(name, sizeof name, "in%d", i);
    VEC_PUSH(g, gg_input(gg, IN_POS, name, 0, 1));
  }
  for (int i = 0; i < n; i++) {
    char name[16];
    snprintf(name, sizeof name, "g%d", i);
    int a = g.v[rand() % g.n], b = g.v[rand() % g.n];
    VEC_PUSH(g, gg_step(gg, name, gf_add(gg, g1(gg, a), g1(gg, b))));
  }
  for (int i = 0; i < 8; i++) output(gg, g.v[g.n - 1 - i * 7]);
  VEC_FREE(g);
}

static bool placed_ok(gate_graph *gg, const placement *pl) {
  for (int i = 0; i < gg->g.n; i++) {
    const gate *g = &gg->g.v[i];
    int t = pl->time[i];
    if (t < 0 || g->type == GT_INPUT || g->type == GT_HOUT) continue;
    if ((g->type == GT_FFN) != (t % 2 == 1)) return false;
  }
  return pl->n_layers > 0;
}

/* Compares the MILP with the list on a graph; returns the MILP's d_model. */
static int compare(gate_graph *gg, const char *what, double limit, bool strictly) {
  placement lp, mp;
  bool lok = sched_list(gg, &lp);
  sched_opts o = opts(limit);
  double t0 = now_s();
  bool mok = sched_milp(gg, &mp, &o);
  double dt = now_s() - t0;
  tap_ok(lok && mok && placed_ok(gg, &mp), "%s: both schedules valid", what);
  bool no_worse = mp.n_layers < lp.n_layers ||
                  (mp.n_layers == lp.n_layers && mp.d_model <= lp.d_model);
  tap_ok(no_worse, "%s: MILP %d layers d_model %d, list %d layers d_model %d (%d gates, %.3f s)",
         what, mp.n_layers, mp.d_model, lp.n_layers, lp.d_model, gg->g.n, dt);
  if (strictly)
    tap_ok(mp.n_layers == lp.n_layers && mp.d_model < lp.d_model && o.milp_status == GLP_OPT,
           "%s: MILP strictly narrower and optimal (note '%s')", what, o.note);
  int d = mp.d_model;
  placement_free(&lp);
  placement_free(&mp);
  return d;
}

static void test_graphs(void) {
  gate_graph gg;
  late_values(&gg, 6);
  compare(&gg, "late values", 10, true);
  gg_free(&gg);
  late_values(&gg, 20);
  compare(&gg, "late values, 20", 10, true);
  gg_free(&gg);
  with_heads(&gg);
  compare(&gg, "heads", 10, true);
  gg_free(&gg);
  random_dag(&gg, 60, 1);
  compare(&gg, "random 60", 10, false);
  gg_free(&gg);
}

/* A pin inside the gate's slack is kept, and the MILP works around it. */
static void test_pins(void) {
  gate_graph gg;
  late_values(&gg, 6);
  int d3 = -1;
  for (int i = 0; i < gg.g.n; i++)
    if (!strcmp(gg.g.v[i].name, "d3")) d3 = i;
  gg.g.v[d3].pinned = 3;
  placement mp;
  sched_opts o = opts(10);
  bool ok = sched_milp(&gg, &mp, &o);
  tap_ok(ok && mp.time[d3] == 3 && !o.note[0], "a pin is kept (time %d, note '%s')",
         ok ? mp.time[d3] : -1, o.note);
  if (ok) placement_free(&mp);
  gg_free(&gg);
}

/* ---- failures ---------------------------------------------------------- */

static bool starts(const char *s, const char *prefix) {
  return !strncmp(s, prefix, strlen(prefix));
}

static bool one_line(const char *s) { return s[0] && !strchr(s, '\n'); }

/* Same layers, width and times as the list schedule. */
static bool same_as_list(gate_graph *gg, const placement *mp) {
  placement lp;
  if (!sched_list(gg, &lp)) return false;
  bool same = lp.n_layers == mp->n_layers && lp.d_model == mp->d_model &&
              !memcmp(lp.time, mp->time, (size_t)gg->g.n * sizeof(int));
  placement_free(&lp);
  return same;
}

static void test_time_limit(void) {
  gate_graph gg;
  random_dag(&gg, 3000, 7);
  placement mp;
  sched_opts o = opts(0.001);
  double t0 = now_s();
  bool ok = sched_milp(&gg, &mp, &o);
  double dt = now_s() - t0;
  tap_ok(ok && same_as_list(&gg, &mp), "time limit: the list schedule is used");
  tap_ok(starts(o.note, "MILP: time limit") && one_line(o.note) &&
             o.milp_status != GLP_OPT,
         "time limit: one-line note '%s' (status %d)", o.note, o.milp_status);
  tap_ok(dt < 2, "time limit: returns promptly (%.3f s for a 1 ms limit)", dt);
  if (ok) placement_free(&mp);
  gg_free(&gg);

  random_dag(&gg, 3000, 7);
  o = opts(1);
  t0 = now_s();
  ok = sched_milp(&gg, &mp, &o);
  dt = now_s() - t0;
  tap_ok(ok && dt < 3, "time limit 1 s on 3000 gates: %.3f s, note '%s'", dt, o.note);
  if (ok) placement_free(&mp);
  gg_free(&gg);
}

/* Patience stops the search soon after the last better schedule, well
 * before a generous time limit, silently, never worse than the list. */
static void test_patience(void) {
  gate_graph gg;
  placement lp, mp;
  random_dag(&gg, 400, 11);
  bool lok = sched_list(&gg, &lp);
  sched_opts o = opts(20);
  o.patience = 0.05;
  double t0 = now_s();
  bool ok = sched_milp(&gg, &mp, &o);
  double dt = now_s() - t0;
  tap_ok(lok && ok && (mp.n_layers < lp.n_layers ||
                       (mp.n_layers == lp.n_layers && mp.d_model <= lp.d_model)),
         "patience: no worse than the list (%d/%d against %d/%d)", ok ? mp.n_layers : -1,
         ok ? mp.d_model : -1, lok ? lp.n_layers : -1, lok ? lp.d_model : -1);
  tap_ok(ok && dt < 3, "patience 50 ms under a 20 s limit (9 s without it): %.3f s, note '%s'", dt, o.note);
  if (ok) placement_free(&mp);
  if (lok) placement_free(&lp);
  gg_free(&gg);
}

static void test_infeasible(void) {
  gate_graph gg;
  late_values(&gg, 6);
  int c3 = -1;
  for (int i = 0; i < gg.g.n; i++)
    if (!strcmp(gg.g.v[i].name, "c3")) c3 = i;
  gg.g.v[c3].pinned = 1;   /* before c2, which it reads */
  placement lp, mp;
  bool lok = sched_list(&gg, &lp);
  char lerr[256];
  snprintf(lerr, sizeof lerr, "%s", gg.err);
  gg.failed = false;
  gg.err[0] = 0;
  sched_opts o = opts(10);
  bool mok = sched_milp(&gg, &mp, &o);
  tap_ok(mok == lok && !strcmp(lerr, gg.err),
         "infeasible pin: the list schedule's outcome (%s)", lok ? "valid" : lerr);
  tap_ok(starts(o.note, "MILP: infeasible") && one_line(o.note) && o.milp_status == GLP_NOFEAS,
         "infeasible pin: one-line note '%s'", o.note);
  if (lok) placement_free(&lp);
  if (mok) placement_free(&mp);
  gg_free(&gg);
}

static void test_glp_error(int where) {
  gate_graph gg;
  late_values(&gg, 12);
  placement mp;
  sched_opts o = opts(10);
  o.test_glp_error = where;
  bool ok = sched_milp(&gg, &mp, &o);
  tap_ok(ok && same_as_list(&gg, &mp), "GLPK error %s the solve: list schedule used",
         where == 1 ? "before" : "inside");
  tap_ok(starts(o.note, "MILP: GLPK error") && one_line(o.note),
         "GLPK error: one-line note '%s'", o.note);
  if (ok) placement_free(&mp);
  gg_free(&gg);
}

/* After the errors (and glp_free_env) the solver works as before. */
static void test_after_errors(void) {
  gate_graph gg;
  late_values(&gg, 6);
  compare(&gg, "after the errors", 10, true);
  gg_free(&gg);
}

/* ---- real programs ----------------------------------------------------- */

/* Runs a program's forms in the session; the names it defines go to
 * `names` (may be NULL). */
static bool load_source(session *s, const char *name, const char *text, int_vec *names) {
  world *w = s->w;
  int file = src_add(&w->src, name);
  reader *rd = rd_new(&w->syms, &w->src, file);
  rd_feed(rd, text, strlen(text));
  rd_eof(rd);
  bool ok = true;
  while (rd_has_form(rd)) {
    rd_form f = rd_take(rd);
    if (names) session_collect_defines(s, f.form, names);
    form_result r;
    form_result_init(&r);
    if (ok && !session_eval(s, &f, NULL, 0, &r)) {
      tap_diag("%s: %s", name, r.err.msg ? r.err.msg : "?");
      ok = false;
    } else if (!ok) {
      arena_free(&f.mem);
    }
    form_result_free(&r);
  }
  ok &= rd_status_of(rd) != RD_ERROR;
  rd_free(rd);
  return ok;
}

typedef struct {
  session *s;
  const char *fn;
  const sched_opts *o;
  mprog *p;
  char err[512];
} compile_job;

/* Lowering recurses over the program: on the deep stack, as the runner. */
static void compile_deep(void *arg) {
  compile_job *j = arg;
  world *w = j->s->w;
  gcell *g = world_find(w, sym_intern(&w->syms, j->fn, strlen(j->fn)));
  lang_error err = {0};
  ir_prog *ir = g && g->kind == G_FUNC ? ir_lower_function(w, g, &err) : NULL;
  if (!ir) {
    snprintf(j->err, sizeof j->err, "%s", err.msg ? err.msg : "no such function");
    lang_error_free(&err);
    return;
  }
  j->p = machine_compile(ir, j->o, j->err, sizeof j->err);
}

static mprog *compile_fn(session *s, const char *fn, const sched_opts *o, char *err) {
  compile_job j = {s, fn, o, NULL, ""};
  lang_run_deep(compile_deep, &j);
  if (!j.p) snprintf(err, 512, "%s", j.err);
  return j.p;
}

/* Runs a compiled procedure on args: the tokens it generates. */
static bool run(mprog *p, const value *args, int nargs, int_vec *gen) {
  char msg[512];
  int_vec prompt = {0};
  mload load = {{0}, 0};
  bool ok = machine_prompt(p, args, nargs, &prompt, &load, msg, sizeof msg);
  exec *ex = ok ? exec_new(p->m, KV_HULL) : NULL;
  int next = -1;
  for (int i = 0; ok && i < prompt.n; i++) ok = exec_push(ex, prompt.v[i], &next);
  while (ok && gen->n < 20000) {   /* a prefix of a long run is enough */
    VEC_PUSH(*gen, next);
    int rg = model_token_range(p->m, next);
    if (rg >= 0 && p->m->ranges[rg].stop) break;
    ok = exec_push(ex, next, &next);
  }
  if (!ok) tap_diag("run: %s", ex ? exec_error(ex) : msg);
  exec_free(ex);
  mload_free(&load);
  VEC_FREE(prompt);
  return ok;
}

/* The same tokens from both models: the schedule changes where values
 * live, never what the transformer computes. */
static void same_run(mprog *lp, mprog *mp, const char *file, const char *fn,
                     const value *args, int nargs) {
  int_vec a = {0}, b = {0};
  bool ok = run(lp, args, nargs, &a) && run(mp, args, nargs, &b);
  tap_ok(ok && a.n == b.n && !memcmp(a.v, b.v, (size_t)a.n * sizeof(int)),
         "%s %s: both models generate the same %d tokens", file, fn, a.n);
  VEC_FREE(a);
  VEC_FREE(b);
}

static void compare_fn(session *s, const char *file, const char *fn, double limit,
                       const value *args, int nargs) {
  char err[512];
  mprog *lp = compile_fn(s, fn, NULL, err);
  sched_opts o = opts(limit);
  double t0 = now_s();
  mprog *mp = compile_fn(s, fn, &o, err);
  double dt = now_s() - t0;
  if (!tap_ok(lp && mp, "%s %s compiles with both schedulers", file, fn)) {
    tap_diag("%s", err);
  } else {
    const placement *a = &lp->pl, *b = &mp->pl;
    bool no_worse = b->n_layers < a->n_layers ||
                    (b->n_layers == a->n_layers && b->d_model <= a->d_model);
    tap_ok(no_worse, "%s %s: MILP %d layers d_model %d, list %d layers d_model %d "
                     "(%d gates, %.3f s%s%s)",
           file, fn, b->n_layers, b->d_model, a->n_layers, a->d_model, mp->gg.g.n, dt,
           o.note[0] ? "; " : "", o.note);
    if (nargs >= 0) same_run(lp, mp, file, fn, args, nargs);
  }
  mprog_free(lp);
  mprog_free(mp);
}

static const char *const small_prog =
    "(define (poly x y) (+ (* 3 x x) (* 2 x y) (- y 7)))\n"
    "(define (tri n) (let loop ((i 0) (s 0)) (if (> i n) s (loop (+ i 1) (+ s i)))))\n"
    "(define (clamp x lo hi) (cond ((< x lo) lo) ((> x hi) hi) (else x)))\n"
    "(define (fib n) (do ((i 0 (+ i 1)) (a 0 b) (b 1 (+ a b))) ((= i n) a)))\n";

static void test_programs(void) {
  session *s = session_new();
  bool ok = load_source(s, "small", small_prog, NULL);
  tap_ok(ok, "small programs load");
  if (ok) {
    value a2[2] = {v_int(3), v_int(-4)}, a3[3] = {v_int(9), v_int(0), v_int(5)};
    value a1[1] = {v_int(12)};
    compare_fn(s, "small", "poly", 5, a2, 2);
    compare_fn(s, "small", "tri", 5, a1, 1);
    compare_fn(s, "small", "clamp", 5, a3, 3);
    compare_fn(s, "small", "fib", 5, a1, 1);
  }
  session_free(s);

  /* every procedure the examples define (MILP_LIMIT: seconds each) */
  double limit = getenv("MILP_LIMIT") ? atof(getenv("MILP_LIMIT")) : 2;
  const char *dir = getenv("top_srcdir") ? getenv("top_srcdir") : ".";
  const char *files[] = {"hello", "sudoku"};
  for (int f = 0; f < 2; f++) {
    char path[1024];
    snprintf(path, sizeof path, "%s/stdlib/examples/%s.tvl", dir, files[f]);
    char *text = read_whole_file(path);
    s = session_new();
    int_vec names = {0};
    ok = text && load_source(s, files[f], text, &names);
    tap_ok(ok, "%s.tvl loads", files[f]);
    for (int k = 0; ok && k < names.n; k++) {
      gcell *g = world_find(s->w, names.v[k]);
      const char *fn = sym_name(&s->w->syms, names.v[k]);
      value args[3] = {v_int(1), v_int(2), v_bool(true)};
      int nargs = g && g->kind == G_FUNC ? g->fn->nparams : -1;
      /* runs where the arguments fit: ints, and a flag last */
      if (nargs > 3 || (nargs == 3 && strcmp(fn, "mark!"))) nargs = -1;
      if (g && g->kind == G_FUNC) compare_fn(s, files[f], fn, limit, args, nargs);
    }
    VEC_FREE(names);
    session_free(s);
    free(text);
  }
}

int main(int argc, char **argv) {
  verbose = argc > 1 && !strcmp(argv[1], "-v");
  test_graphs();
  test_pins();
  test_time_limit();
  test_patience();
  test_infeasible();
  test_glp_error(1);
  test_glp_error(2);
  test_after_errors();
  test_programs();
  tap_plan(tap_n);
  return tap_done();
}
