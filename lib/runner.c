/* runner.c - the compile cache and transformer runs. */
#include "config.h"

#include "runner.h"

#include "backend/circuit.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef struct {
  gcell *cell;
  uint64_t version;
  int kind;             /* value kind of a global variable */
} dep;

typedef struct {
  gcell *fn;
  mprog *prog;          /* a circuit when it can be one, else a machine */
  mprog *alt;           /* a circuit's machine, for arguments the circuit
                           cannot take (built when first needed) */
  VEC(dep) deps;
} entry;

struct runner {
  world *w;
  VEC(entry) cache;
  mprog *scratch;       /* the last expression's program */
  kv_kind kv;
  bool dense;
  int64_t max_tokens;
  volatile int *interrupt;
  progress_fn progress;
  void *progress_ctx;
  double progress_after;   /* ms before the first report */
  double milp;
  bool no_circuits;     /* procedures always become machines */
  const runner_hooks *hooks;   /* set during runner_trace* only */
  lockstep *ls;         /* tests: the plain pass beside every run, or NULL */
};

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static double cpu_now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

void run_out_init(run_out *r) {
  memset(r, 0, sizeof *r);
  sb_init(&r->output);
  sb_init(&r->result);
}

void run_out_free(run_out *r) {
  sb_free(&r->output);
  sb_free(&r->result);
  lang_error_free(&r->err);
}

runner *runner_new(world *w) {
  runner *r = xcalloc(1, sizeof *r);
  r->w = w;
  r->kv = KV_HULL;
  r->max_tokens = w->lim.max_steps;
  return r;
}

static void entry_programs_free(entry *e) {
  mprog_free(e->prog);
  mprog_free(e->alt);
  e->prog = e->alt = NULL;
}

static void entry_free(entry *e) {
  entry_programs_free(e);
  VEC_FREE(e->deps);
}

void runner_free(runner *r) {
  if (!r) return;
  for (int i = 0; i < r->cache.n; i++) entry_free(&r->cache.v[i]);
  VEC_FREE(r->cache);
  mprog_free(r->scratch);
  lockstep_free(r->ls);
  free(r);
}

void runner_set_lockstep(runner *r, bool on, int64_t brute_budget) {
  if (on && !r->ls) r->ls = lockstep_new(brute_budget);
  if (!on) {
    lockstep_free(r->ls);
    r->ls = NULL;
  }
}

const lockstep *runner_lockstep(const runner *r) { return r->ls; }

void runner_set_kv(runner *r, kv_kind kind) { r->kv = kind; }
void runner_set_dense(runner *r, bool dense) { r->dense = dense; }

void runner_set_limits(runner *r, int64_t max_tokens, volatile int *interrupt) {
  r->max_tokens = max_tokens;
  r->interrupt = interrupt;
}

void runner_set_progress(runner *r, progress_fn fn, void *ctx, double after_ms) {
  r->progress = fn;
  r->progress_ctx = ctx;
  r->progress_after = after_ms;
}

void runner_set_milp(runner *r, double seconds) { r->milp = seconds; }
void runner_set_circuits(runner *r, bool on) { r->no_circuits = !on; }

/* ---- compiling ------------------------------------------------------ */

static int value_kind(const gcell *g) {
  return g->kind == G_VAR ? g->val.kind : -1;
}

static void record_deps(const ir_prog *ir, entry *e) {
  for (int i = 0; i < ir->deps.n; i++) {
    gcell *g = ir->deps.v[i];
    bool seen = false;
    for (int j = 0; j < e->deps.n; j++) seen |= e->deps.v[j].cell == g;
    if (seen) continue;
    dep d = {g, g->version, value_kind(g)};
    VEC_PUSH(e->deps, d);
  }
}

static bool deps_valid(const entry *e) {
  /* the stack is sized for the depth limit when compiled */
  bool sized = e->prog && !e->prog->circ;   /* a circuit has no stack or heap */
  if (sized && e->prog->max_depth != e->prog->w->lim.max_depth) return false;
  if (sized && e->prog->max_heap != e->prog->w->lim.max_heap) return false;
  for (int i = 0; i < e->deps.n; i++) {
    const dep *d = &e->deps.v[i];
    if (d->cell->version != d->version || value_kind(d->cell) != d->kind) return false;
  }
  return true;
}

/* MILP patience of definitions (sched_opts.patience) */
static const double DEFINE_PATIENCE = 0.03;

static mprog *compile_ir(ir_prog *ir, double milp, double patience,
                         lang_error *err, srcloc loc) {
  char msg[512] = "";
  sched_opts o;
  memset(&o, 0, sizeof o);
  o.time_limit = milp;
  o.patience = patience;
  o.verbose = getenv("TVL_MILP_VERBOSE") != NULL;
  mprog *p = machine_compile(ir, milp > 0 ? &o : NULL, msg, sizeof msg);
  /* stopped (Ctrl-C, memory, time): the form is abandoned even when the
   * MILP's search, cut short, left a schedule */
  const char *why = guard_check(guard_current(), true);
  if (why) {
    /* the caller still owns the IR and frees it */
    if (p) p->ir = NULL;
    mprog_free(p);
    lang_error_set(err, loc, why, "%s", guard_message());
    return NULL;
  }
  if (!p) {
    /* a value whose kind only a caller decides is not an error of the
     * definition itself */
    bool incomplete = strstr(msg, "kind is not known") != NULL ||
                      strstr(msg, "cannot be displayed") != NULL;
    lang_error_set(err, loc, incomplete ? "incomplete" : "compile",
                   "cannot compile this into a transformer: %s", msg);
    return NULL;
  }
  return p;
}

/* Whether ir's model was too big (compile_ir's error err) and has the
 * landings where a catch takes a builtin's error (lang/lower-wind.c):
 * it is lowered again without them (world.no_landings), so that a
 * program that compiled before they existed compiles still; its errors
 * inside a catch are then refused at run time (caught_error). */
static bool too_big_landed(const ir_prog *ir, const lang_error *err) {
  return (ir->landings.n || ir->catch_raise) && err->msg &&
         strstr(err->msg, " weights (d_model ");
}

static ir_prog *lower_fn_plain(world *w, gcell *fn, lang_error *err) {
  w->no_landings = true;
  ir_prog *ir = ir_lower_function(w, fn, err);
  w->no_landings = false;
  return ir;
}

static ir_prog *lower_main_plain(world *w, const ast *expr, int frame, bool discard,
                                 lang_error *err) {
  w->no_landings = true;
  ir_prog *ir = ir_lower_main(w, expr, frame, discard, err);
  w->no_landings = false;
  return ir;
}

static entry *find_entry(runner *r, gcell *fn) {
  for (int i = 0; i < r->cache.n; i++)
    if (r->cache.v[i].fn == fn) return &r->cache.v[i];
  return NULL;
}

static const mprog *build_program(runner *r, gcell *fn, double milp,
                                  double patience, lang_error *err);

const mprog *runner_program(runner *r, gcell *fn, lang_error *err) {
  entry *e = find_entry(r, fn);
  if (e && e->prog && deps_valid(e)) return e->prog;
  return build_program(r, fn, r->milp, DEFINE_PATIENCE, err);
}

const mprog *runner_optimize(runner *r, gcell *fn, double seconds,
                             lang_error *err) {
  return build_program(r, fn, seconds, 0, err);
}

static const mprog *build_program(runner *r, gcell *fn, double milp,
                                  double patience, lang_error *err) {
  entry *e = find_entry(r, fn);
  ir_prog *ir = ir_lower_function(r->w, fn, err);
  if (!ir) return NULL;
  entry ne;
  memset(&ne, 0, sizeof ne);
  ne.fn = fn;
  dep self = {fn, fn->version, -1};
  VEC_PUSH(ne.deps, self);
  record_deps(ir, &ne);
  /* a procedure without loops, recursion, mutation or output is a
   * circuit; anything the circuit compiler refuses is a machine */
  char why[256] = "";
  ne.prog = r->no_circuits ? NULL : circuit_compile(ir, fn, why, sizeof why);
  if (!ne.prog) ne.prog = compile_ir(ir, milp, patience, err, fn->loc);
  if (!ne.prog && too_big_landed(ir, err)) {
    ir_free(ir);
    if (!(ir = lower_fn_plain(r->w, fn, err))) {
      VEC_FREE(ne.deps);
      return NULL;
    }
    ne.prog = compile_ir(ir, milp, patience, err, fn->loc);
  }
  if (!ne.prog) {
    ir_free(ir);
    VEC_FREE(ne.deps);
    return NULL;
  }
  if (e) {
    entry_free(e);
    *e = ne;
  } else {
    VEC_PUSH(r->cache, ne);
    e = &r->cache.v[r->cache.n - 1];
  }
  return e->prog;
}

/* ---- running -------------------------------------------------------- */

static void progress_line(runner *r, int64_t tokens, double t0, bool done) {
  if (r->progress) r->progress(r->progress_ctx, tokens, (now_ms() - t0) / 1e3, done);
}

/* exec_push, reporting the position to the trace hooks, if any. */
static bool push(runner *r, exec *ex, int token, int *next) {
  int64_t pos = exec_position(ex);
  bool ok = exec_push(ex, token, next);
  lockstep_push(r->ls, token, ok, *next, ok ? NULL : exec_error(ex));
  if (!ok) return false;
  if (r->hooks && r->hooks->on_token) r->hooks->on_token(r->hooks->ctx, pos, token, *next);
  return true;
}

/* A tool call the trace is waiting on: calls the C function through
 * libffi and gives the tokens that the host appends in the model's place
 * (the result's value, or the call's ERR); their count. */
static int tool_call(runner *r, const mprog *p, const mdecoder *d, int k,
                     const int32_t *a, int toks[2], char *err, size_t errlen) {
  const extern_def *x = p->externs.v[k]->ext;
  value args[16];
  value res = v_void();
  bool ok = x->nargs <= 16;
  for (int i = 0; i < x->nargs && ok; i++) {
    if (x->args[i] != XT_STRING) {
      args[i] = v_int(a[i]);
      continue;
    }
    ok = a[i] >= 0 && a[i] < p->strs.n;
    if (ok) args[i] = v_str(p->strs.v[a[i]]);
    else snprintf(err, errlen, "argument %d of %s is not a string", i + 1,
                  sym_name(&r->w->syms, x->name));
  }
  if (ok) ok = ffi_invoke(r->w, x, args, x->nargs, &res, err, errlen);
  if (ok) {
    int64_t v = res.kind == VK_INT || res.kind == VK_BOOL ? res.i : 0;
    int n = machine_value_tokens(p, v, toks);
    if (n) return n;
    snprintf(err, errlen, "the result of %s does not fit the vocabulary",
             sym_name(&r->w->syms, x->name));
  }
  toks[0] = machine_tool_error_token(p, d);
  return 1;
}

/* A circuit's run: its prompt, then one forward pass per token of the
 * value (or of the error). */
static bool execute_circuit(runner *r, mprog *p, const value *args, int nargs,
                            srcloc loc, run_out *out) {
  char msg[512] = "";
  int_vec prompt = {0}, gen = {0};
  bool ok = false;
  exec *ex = NULL;
  out->circuit = true;
  if (!circuit_prompt(p, args, nargs, &prompt, msg, sizeof msg)) {
    lang_error_set(&out->err, loc, "compile", "cannot build the prompt: %s", msg);
    goto done;
  }
  out->prompt_tokens = prompt.n;
  double t0 = now_ms(), c0 = cpu_now_ms();
  ex = exec_new(p->m, r->kv);
  exec_set_dense(ex, r->dense);
  lockstep_start(r->ls, p->m);
  if (r->hooks) {
    exec_set_observer(ex, &r->hooks->obs);
    if (r->hooks->on_start) r->hooks->on_start(r->hooks->ctx, p, prompt.v, prompt.n);
  }
  int next = -1, site = -1, done = 0;
  for (int i = 0; i < prompt.n; i++)
    if (!push(r, ex, prompt.v[i], &next)) {
      lang_error_set(&out->err, loc, "executor", "%s", exec_error(ex));
      goto done;
    }
  while (!done) {
    VEC_PUSH(gen, next);
    sb_clear(&out->result);
    done = circuit_decode(p, gen.v, gen.n, &out->value, &out->result, &site, msg, sizeof msg);
    if (done < 0 || (!done && gen.n >= 4)) {
      lang_error_set(&out->err, loc, "executor", "%s", done < 0 ? msg : "the circuit did not finish");
      goto done;
    }
    if (!done && !push(r, ex, next, &next)) {
      lang_error_set(&out->err, loc, "executor", "%s", exec_error(ex));
      goto done;
    }
  }
  out->run_ms = now_ms() - t0;
  out->run_cpu_ms = cpu_now_ms() - c0;
  out->tokens = gen.n;
  if (site >= 0) {
    const err_site *e = &p->sites.v[site];
    strbuf m;   /* the key it names, read from the prompt (mhostval.c) */
    sb_init(&m);
    /* a run whose activations are changed (:ablate, :patch) need not
     * have looked up the key the prompt gives: its site's own text */
    bool changed = r->hooks && (r->hooks->obs.on_resid || r->hooks->obs.on_ffn);
    if (changed) sb_puts(&m, e->msg);
    else circuit_error_text(p, site, prompt.v, prompt.n, &m);
    lang_error_set(&out->err, e->loc, e->kind, "%s", m.s ? m.s : "");
    sb_free(&m);
    goto done;
  }
  out->has_result = true;
  ok = true;
done:
  out->prog = p;
  out->ok = ok;
  exec_free(ex);
  lockstep_end(r->ls);
  VEC_FREE(prompt);
  VEC_FREE(gen);
  return ok;
}

/* The value the model last wrote into the static cell of global `name`
 * (0 when none). */
static int64_t global_cell(const mprog *p, const mtrace *t, const char *name) {
  for (int a = 1; a < p->cells.n; a++) {
    const static_cell *c = &p->cells.v[a];
    if (c->global && c->name && !strcmp(c->name, name))
      return t->cell_written[a] ? t->cells[a] : 0;
  }
  return 0;
}

/* An error the evaluator would give a catch (eval.c error_key) raised
 * while one runs (lib/prelude-wind.c's %catch-n, the count the trace
 * holds), which compiled code did not send to it: the run is refused,
 * not answered differently.  Compiled code sends error and throw, and
 * the kind errors of some builtins where the catches that may take them
 * ignore the arguments (lang/lower-wind.c lw_wind_landings); when such
 * an error finds no catch that takes its key, %catch-miss is set before
 * the machine stops: the error is the program's own. */
static bool caught_error(const mprog *p, const mtrace *t, const err_site *e) {
  static const struct { const char *kind; unsigned key; } kinds[] = {
      {"type", IR_CK_WTA},      {"arity", IR_CK_ARITY},     {"bounds", IR_CK_OOR},
      {"division", IR_CK_NUM},  {"unbound", IR_CK_UNBOUND}, {"arith", IR_CK_WTA}};
  unsigned key = 0;
  for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
    if (!strcmp(e->kind, kinds[i].kind)) key = kinds[i].key;
  /* no catch of the program takes its key (lang/lower-wind.c) */
  if (!key || (p->ir && !(p->ir->catch_keys & key))) return false;
  if (global_cell(p, t, "%catch-miss")) return false;
  return global_cell(p, t, "%catch-n") != 0;
}

static bool execute(runner *r, mprog *p, const value *args, int nargs,
                    bool write_back, srcloc loc, run_out *out) {
  if (p->circ) return execute_circuit(r, p, args, nargs, loc, out);
  char msg[512] = "";
  int_vec prompt = {0};
  int64_t ngen = 0;   /* tokens generated: counted, not kept, so that a long
                         run's memory grows with what it writes, not its length */
  mload load = {{0}, 0};
  bool ok = false, shown = false;   /* shown: a progress report was made */
  double t0 = now_ms();
  exec *ex = NULL;
  mtrace t;
  mtrace_init(&t);
  if (!machine_prompt(p, args, nargs, &prompt, &load, msg, sizeof msg)) {
    lang_error_set(&out->err, loc, "compile", "cannot build the prompt: %s", msg);
    goto done;
  }
  out->prompt_tokens = prompt.n;
  t0 = now_ms();
  double c0 = cpu_now_ms();
  ex = exec_new(p->m, r->kv);
  exec_set_dense(ex, r->dense);
  lockstep_start(r->ls, p->m);
  const char *dense_why = NULL;
  if (!exec_routed(ex, &dense_why)) out->dense_why = dense_why;
  mdecoder dec;
  mdecoder_init(&dec, p, prompt.v, prompt.n, &t);
  /* displayed text appears as its tokens are generated */
  dec.stream = r->w->out;
  dec.stream_ctx = r->w->out_ctx;
  if (r->hooks) {
    exec_set_observer(ex, &r->hooks->obs);
    if (r->hooks->on_start) r->hooks->on_start(r->hooks->ctx, p, prompt.v, prompt.n);
  }
  int next = -1;
  for (int i = 0; i < prompt.n; i++)
    if (!push(r, ex, prompt.v[i], &next)) {
      lang_error_set(&out->err, loc, "executor", "%s", exec_error(ex));
      goto done;
    }
  double last_report = t0 - 1e9;   /* the first report waits only for progress_after */
  int forced[2], nforced = 0, iforced = 0;
  char tool_err[512] = "";
  for (;;) {
    /* a tool call's result comes from the host, not the argmax */
    const int32_t *targs;
    int k;
    if (iforced == nforced && (k = mdecoder_tool_pending(&dec, &targs)) >= 0) {
      nforced = tool_call(r, p, &dec, k, targs, forced, tool_err, sizeof tool_err);
      iforced = 0;
    }
    if (iforced < nforced) next = forced[iforced++];
    ngen++;
    if (!mdecoder_push(&dec, next, msg, sizeof msg)) {
      lang_error_set(&out->err, loc, "executor", "%s", msg);
      goto done;
    }
    if (t.halted || t.failed) break;
    if (ngen >= r->max_tokens) {
      lang_error_set(&out->err, loc, "steps",
                     "step limit reached: %lld tokens (raise it with "
                     "--max-steps or :limit steps N)", (long long)r->max_tokens);
      goto done;
    }
    if (r->interrupt && *r->interrupt) {
      lang_error_set(&out->err, loc, "interrupt", "interrupted (Ctrl-C)");
      goto done;
    }
    const char *why = guard_poll();   /* the memory and time limits */
    if (why) {
      lang_error_set(&out->err, loc, why, "%s", guard_message());
      goto done;
    }
    if ((ngen & 4095) == 0 && r->progress) {
      double now = now_ms();
      if (now - t0 >= r->progress_after && now - last_report > 200) {
        progress_line(r, ngen, t0, false);
        last_report = now;
        shown = true;
      }
    }
    if (!push(r, ex, next, &next)) {
      lang_error_set(&out->err, loc, "executor", "%s", exec_error(ex));
      goto done;
    }
  }
  out->run_ms = now_ms() - t0;
  out->run_cpu_ms = cpu_now_ms() - c0;
  out->tokens = ngen;
  out->steps = t.steps;
  out->tool_calls = t.tool_calls;
  sb_putn(&out->output, t.output.s ? t.output.s : "", t.output.n);
  if (t.failed) {
    const err_site *e = &p->sites.v[t.err_site];
    if (caught_error(p, &t, e)) {
      strbuf m;
      sb_init(&m);
      machine_error_text(p, &t, &m);
      lang_error_set(&out->err, e->loc, "compile", "an error inside catch (%s): compiled code "
                     "cannot catch this error of a builtin yet, only some kind errors where the "
                     "handler ignores the error's arguments (run with --reference to use the "
                     "evaluator)", m.s ? m.s : "");
      sb_free(&m);
    } else if (!strcmp(e->kind, "extern") && tool_err[0])
      lang_error_set(&out->err, e->loc, "ffi", "%s", tool_err);
    else {
      strbuf m;
      sb_init(&m);
      machine_error_text(p, &t, &m);
      lang_error_set(&out->err, e->loc, e->kind, "%s", m.s ? m.s : "");
      /* (exit N): the status is the number the model wrote at the end of
       * "exit with status N" (lang/lower-error.c) */
      if (!strcmp(e->kind, "exit") && m.s) {
        const char *d = strrchr(m.s, ' ');
        out->err.status = d ? atoi(d + 1) & 255 : 1;
      }
      sb_free(&m);
    }
    goto done;
  }
  if (!t.halted) {
    lang_error_set(&out->err, loc, "executor", "the program did not halt");
    goto done;
  }
  sb_putn(&out->result, t.result.s ? t.result.s : "", t.result.n);
  out->has_result = p->main_type_kind != T_VOID;
  if (!machine_world_value(p, &t, &load, p->ir->main_type, t.result_value,
                           &out->value, msg, sizeof msg)) {
    lang_error_set(&out->err, loc, "executor", "%s", msg);
    goto done;
  }
  /* a value of several kinds may be the unspecified one: no value shown */
  if (out->value.kind == VK_VOID) out->has_result = false;
  if (write_back && !machine_write_back(p, &t, &load, msg, sizeof msg)) {
    lang_error_set(&out->err, loc, "executor", "%s", msg);
    goto done;
  }
  ok = true;
done:
  if (shown) progress_line(r, ngen, t0, true);
  out->prog = p;
  out->ok = ok;
  exec_free(ex);
  lockstep_end(r->ls);
  mtrace_free(&t);
  mload_free(&load);
  VEC_FREE(prompt);
  return ok;
}

static bool eval_program(runner *r, const ast *expr, int frame, bool write_back,
                         bool discard, run_out *out) {
  double t0 = now_ms();
  ir_prog *ir = ir_lower_main(r->w, expr, frame, discard, &out->err);
  if (!ir) return false;
  mprog *p = compile_ir(ir, 0, 0, &out->err, expr->loc);
  if (!p && too_big_landed(ir, &out->err)) {
    ir_free(ir);
    if (!(ir = lower_main_plain(r->w, expr, frame, discard, &out->err))) return false;
    p = compile_ir(ir, 0, 0, &out->err, expr->loc);
  }
  if (!p) {
    ir_free(ir);
    return false;
  }
  out->compile_ms = now_ms() - t0;
  mprog_free(r->scratch);
  r->scratch = p;
  return execute(r, p, NULL, 0, write_back, expr->loc, out);
}

bool runner_eval(runner *r, const ast *expr, int frame, bool write_back,
                 run_out *out) {
  return eval_program(r, expr, frame, write_back, false, out);
}

bool runner_exec(runner *r, const ast *expr, int frame, run_out *out) {
  return eval_program(r, expr, frame, true, true, out);
}

bool runner_compile_fn(runner *r, gcell *fn, run_out *out) {
  double t0 = now_ms();
  entry *e = find_entry(r, fn);
  out->reused = e && e->prog && deps_valid(e);
  const mprog *p = runner_program(r, fn, &out->err);
  out->compile_ms = now_ms() - t0;
  out->prog = p;
  return p != NULL;
}

static bool fits_kind(const ir_prog *ir, value v, int type, int depth, bool strict);

/* The pairs of a list along its cdrs (a walk; the classes are those of
 * the cdrs), their cars, and what ends it. */
static bool fits_list(const ir_prog *ir, value v, int type, int depth, bool strict) {
  value x = v, slow = v;
  for (int64_t n = 0; depth < 16; n++) {
    if (!fits_kind(ir, V_CAR(x), ir_pair_type(ir, type, false), depth + 1, strict)) return false;
    x = V_CDR(x);
    type = ir_pair_type(ir, type, true);
    if (x.kind != VK_PAIR) return fits_kind(ir, x, type, depth + 1, strict);
    tkind k = ir_kind(ir, type);
    if (k == T_ANY) return !strict;
    if (k != T_PAIR && !(k == T_DYN && ir_pair_type(ir, type, false) >= 0)) return false;
    if (n % 2) slow = V_CDR(slow);
    if (x.vec == slow.vec) return true;   /* circular: every pair was seen */
  }
  return true;
}

/* Whether value v has the kind `type` of program p (its elements too,
 * for a vector); a value of open kind fits.  strict (a global's value):
 * a class of no kind holds no value either.  The lowering gave every
 * part of the global's value then a class of its kind (lower.c
 * lw_type_of_value), so a class left without a kind is one no value of
 * the program ever enters, and the code that would use such a value is
 * left out (backend/mprint.c mb_display_unknown): a value the global
 * holds since, there, needs the program compiled again. */
static bool fits_kind(const ir_prog *ir, value v, int type, int depth, bool strict) {
  tkind k = ir_kind(ir, type);
  if (k == T_ANY) return !strict || v.kind == VK_PORT || v.kind == VK_EOF;
  if (k == T_DYN) {
    /* a tagged class holds a value of every kind that has a tag */
    switch (v.kind) {
    case VK_INT: case VK_BOOL: case VK_SYM: case VK_STR: case VK_VOID: case VK_CHAR:
    case VK_EOF:   /* the void tag's 1 (lang/lower-ports.c) */
      return true;
    case VK_NIL: return true;
    case VK_VEC: case VK_REC: k = T_VEC; break;
    case VK_PAIR:
      if (ir_pair_type(ir, type, false) < 0) return false;
      k = T_PAIR;
      break;
    case VK_PROC: k = T_PROC; break;
    default: return false;
    }
  }
  switch (v.kind) {
  case VK_INT: return k == T_INT;
  case VK_BOOL: return k == T_BOOL;
  case VK_SYM: return k == T_SYM;
  case VK_STR: return k == T_STR;
  case VK_VEC:
    if (k != T_VEC || ir_is_rec(ir, type)) return false;
    for (int32_t i = 0; i < v.vec->n && depth < 16; i++)
      if (!fits_kind(ir, v.vec->items[i], ir_elem_type(ir, type), depth + 1, strict))
        return false;
    return true;
  case VK_NIL: return k == T_NIL;
  case VK_CHAR: return k == T_CHAR;
  case VK_PAIR:
    return k == T_PAIR && fits_list(ir, v, type, depth, strict);
  case VK_PROC: {   /* a closure: its captured values too */
    int id = k == T_PROC ? ir_proc_id(ir, v) : 0;
    if (id <= 0) return false;
    for (int32_t i = 0; v.vec && i < v.vec->n && depth < 16; i++)
      if (!fits_kind(ir, v.vec->items[i], ir_closure_cap_type(ir, id, i), depth + 1, strict))
        return false;
    return true;
  }
  case VK_EOF: return false;   /* only in a tagged class */
  case VK_REC:   /* a record: a vector block of a records' class (lang/lower-records.c) */
    if (k != T_VEC || !ir_is_rec(ir, type)) return false;
    for (int32_t i = 0; i < v.vec->n && depth < 16; i++)
      if (!fits_kind(ir, v.vec->items[i], ir_elem_type(ir, type), depth + 1, strict))
        return false;
    return true;
  case VK_PORT:   /* a string port: a vector of one (lang/lower-ports.c) */
    return k == T_VEC && ir_is_port(ir, type) && v.vec && v.vec->n == 1 &&
           fits_kind(ir, v.vec->items[0], ir_elem_type(ir, type), depth + 1, strict);
  case VK_BOX:   /* a captured box: a vector of one */
    return k == T_VEC && (!v.vec || v.vec->n < 1 || depth >= 16 ||
                          fits_kind(ir, v.vec->items[0], ir_elem_type(ir, type), depth + 1, strict));
  default: return k == T_VOID;
  }
}

/* Arguments whose kinds differ from the parameters' the procedure's
 * program was compiled for: the call must be compiled as a program of its
 * own, where the kinds meet (an error "incomplete", as for open kinds). */
static bool args_fit(mprog *p, const value *args, int nargs, srcloc loc, run_out *out) {
  const ir_prog *ir = p->ir;
  if (!ir) return true;
  const ir_fn *m = &ir->fns.v[ir->main_fn];
  for (int i = 0; i < nargs && i < m->nparams; i++)
    if (!fits_kind(ir, args[i], ir->vars.v[m->params[i]].type, 0, false)) {
      lang_error_set(&out->err, loc, "incomplete",
                     "argument %d is not of the kind the procedure was compiled for", i + 1);
      return false;
    }
  return true;
}

/* Whether every global variable the program reads still holds a value of
 * the kind it was compiled for: a form run by the evaluator (a refused
 * form, :mode reference) may have stored another kind since, and the
 * loader would encode it as the old kind (#t read as the integer 1). */
static bool globals_fit(const mprog *p) {
  if (!p->ir) return true;
  for (int a = 1; a < p->cells.n; a++) {
    const static_cell *c = &p->cells.v[a];
    if (c->global && c->global->kind == G_VAR && c->type >= 0 &&
        !fits_kind(p->ir, c->global->val, c->type, 0, true))
      return false;
  }
  return true;
}

/* The machine of a procedure whose program is a circuit, for arguments
 * the circuit cannot take (a long integer, a symbol interned since). */
static mprog *machine_of(runner *r, gcell *fn, lang_error *err) {
  entry *e = find_entry(r, fn);
  if (!e) return NULL;
  if (e->alt) return e->alt;
  ir_prog *ir = ir_lower_function(r->w, fn, err);
  if (!ir) return NULL;
  e->alt = compile_ir(ir, r->milp, DEFINE_PATIENCE, err, fn->loc);
  if (!e->alt && too_big_landed(ir, err)) {
    ir_free(ir);
    if (!(ir = lower_fn_plain(r->w, fn, err))) return NULL;
    e->alt = compile_ir(ir, r->milp, DEFINE_PATIENCE, err, fn->loc);
  }
  if (!e->alt) ir_free(ir);
  return e->alt;
}

bool runner_call(runner *r, gcell *fn, const value *args, int nargs,
                 bool write_back, run_out *out) {
  double t0 = now_ms();
  entry *e = find_entry(r, fn);
  out->reused = e && e->prog && deps_valid(e);
  mprog *p = (mprog *)runner_program(r, fn, &out->err);
  if (p && p->circ && !circuit_args_fit(p, args, nargs, NULL, 0)) p = machine_of(r, fn, &out->err);
  out->compile_ms = now_ms() - t0;
  if (!p) return false;
  if (!globals_fit(p) && e) {
    /* compiled for kinds the globals no longer have: again, for these */
    entry_programs_free(e);
    p = (mprog *)runner_program(r, fn, &out->err);
    if (p && p->circ && !circuit_args_fit(p, args, nargs, NULL, 0)) p = machine_of(r, fn, &out->err);
    if (!p) return false;
  }
  if (!globals_fit(p)) {
    lang_error_set(&out->err, fn->loc, "incomplete",
                   "a global variable no longer holds the kind %s was compiled for",
                   sym_name(&r->w->syms, fn->name));
    return false;
  }
  if (!args_fit(p, args, nargs, fn->loc, out)) return false;
  if (execute(r, p, args, nargs, write_back, fn->loc, out)) return true;
  /* a global may hold a symbol the cached vocabulary lacks: rebuild once */
  if (out->err.kind && !strcmp(out->err.kind, "compile") && e) {
    e = find_entry(r, fn);
    if (e) entry_programs_free(e);
    lang_error_free(&out->err);
    p = (mprog *)runner_program(r, fn, &out->err);
    if (p && p->circ && !circuit_args_fit(p, args, nargs, NULL, 0)) p = machine_of(r, fn, &out->err);
    if (!p) return false;
    sb_clear(&out->output);
    return execute(r, p, args, nargs, write_back, fn->loc, out);
  }
  return false;
}

void runner_recompile_dependents(runner *r, gcell *changed, strbuf *recompiled,
                                 strbuf *reused) {
  for (int i = 0; i < r->cache.n; i++) {
    entry *e = &r->cache.v[i];
    if (e->fn == changed || e->fn->kind != G_FUNC) continue;
    bool depends = false;
    for (int j = 0; j < e->deps.n; j++) depends |= e->deps.v[j].cell == changed;
    const char *name = sym_name(&r->w->syms, e->fn->name);
    if (depends || !deps_valid(e)) {
      lang_error err = {0};
      entry_programs_free(e);
      VEC_FREE(e->deps);
      if (runner_program(r, e->fn, &err)) {
        sb_printf(recompiled, "%s%s", recompiled->n ? " " : "", name);
      } else {
        sb_printf(recompiled, "%s%s (fails: %s)", recompiled->n ? " " : "", name,
                  err.msg ? err.msg : "?");
      }
      lang_error_free(&err);
    } else {
      sb_printf(reused, "%s%s", reused->n ? " " : "", name);
    }
  }
}

static void circuit_summary(const mprog *p, const char *name, strbuf *out) {
  sb_printf(out, "%s: circuit \xc2\xb7 %d layer%s \xc2\xb7 d_model %d \xc2\xb7 %d head%s \xc2\xb7 "
                 "%d FFN unit%s \xc2\xb7 %.1f ms",
            name, p->pl.n_layers, p->pl.n_layers == 1 ? "" : "s", p->pl.d_model,
            p->n_heads, p->n_heads == 1 ? "" : "s", p->n_units, p->n_units == 1 ? "" : "s",
            p->compile_ms);
  strbuf b;
  sb_init(&b);
  circuit_slot_names(p, "  ", &b);
  if (b.n) sb_printf(out, "\n  slots  %s", b.s);
  sb_clear(&b);
  circuit_plumbing(p, &b);
  if (b.n) sb_printf(out, "\n  also  %s", b.s);
  sb_free(&b);
}

void runner_summary(const mprog *p, const char *name, strbuf *out) {
  if (p->circ) {
    circuit_summary(p, name, out);
    return;
  }
  sb_printf(out, "%s: %d layer%s \xc2\xb7 d_model %d \xc2\xb7 %d head%s \xc2\xb7 "
                 "%d FFN units \xc2\xb7 %d step%s \xc2\xb7 %.1f ms",
            name, p->pl.n_layers, p->pl.n_layers == 1 ? "" : "s", p->pl.d_model,
            p->n_heads, p->n_heads == 1 ? "" : "s", p->n_units, p->npc,
            p->npc == 1 ? "" : "s", p->compile_ms);
  if (p->sched_note[0]) sb_printf(out, "\n  schedule: %s", p->sched_note);
  strbuf b;
  sb_init(&b);
  slotmap_names(p, "  ", &b);
  if (b.n) sb_printf(out, "\n  slots  %s", b.s);
  sb_clear(&b);
  slotmap_machine(p, &b);
  if (b.n) sb_printf(out, "\n  machine  %s (:slots %s --all)", b.s, name);
  sb_free(&b);
}

/* ---- traced runs ----------------------------------------------------- */

/* The brute cache, the hooks, and no write-back, for one run. */
static bool traced(runner *r, const runner_hooks *h, const ast *expr,
                   int frame, gcell *fn, const value *args, int nargs,
                   run_out *out) {
  kv_kind kv = r->kv;
  r->kv = KV_BRUTE;
  r->hooks = h;
  bool ok = fn ? runner_call(r, fn, args, nargs, false, out)
               : runner_eval(r, expr, frame, false, out);
  r->hooks = NULL;
  r->kv = kv;
  return ok;
}

bool runner_trace(runner *r, const ast *expr, int frame, const runner_hooks *h,
                  run_out *out) {
  return traced(r, h, expr, frame, NULL, NULL, 0, out);
}

bool runner_trace_call(runner *r, gcell *fn, const value *args, int nargs,
                       const runner_hooks *h, run_out *out) {
  return traced(r, h, NULL, 0, fn, args, nargs, out);
}

const mprog *runner_compile_expr(runner *r, const ast *expr, int frame,
                                 lang_error *err) {
  ir_prog *ir = ir_lower_main(r->w, expr, frame, false, err);
  if (!ir) return NULL;
  mprog *p = compile_ir(ir, 0, 0, err, expr->loc);
  if (!p && too_big_landed(ir, err)) {
    ir_free(ir);
    if (!(ir = lower_main_plain(r->w, expr, frame, false, err))) return NULL;
    p = compile_ir(ir, 0, 0, err, expr->loc);
  }
  if (!p) {
    ir_free(ir);
    return NULL;
  }
  mprog_free(r->scratch);
  r->scratch = p;
  return p;
}
