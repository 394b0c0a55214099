/* compiled.c - the session in transformer and check modes.
 *
 * Transformer mode: procedures are compiled when defined (and their
 * dependents recompiled); every expression, and the value of every
 * variable definition, is computed by a transformer run; only printing
 * happens on the host.  Check mode runs each form in the transformer, then
 * undoes it and runs it with the reference evaluator, and reports the
 * first difference.  A failing form leaves the session as it was.
 */
#include "config.h"

#include "runner.h"
#include "session.h"

#include <stdlib.h>
#include <string.h>

const char *run_mode_name(run_mode m) {
  switch (m) {
  case MODE_REFERENCE: return "reference";
  case MODE_TRANSFORMER: return "transformer";
  case MODE_CHECK: return "check";
  }
  return "?";
}

static void take_error(form_result *r, run_out *o) {
  lang_error_free(&r->err);
  r->err = o->err;
  o->err.msg = NULL;
}

static void print_out(session *s, const strbuf *b) {
  if (b->n && s->w->out) s->w->out(s->w->out_ctx, b->s, b->n);
}

/* ---- definitions ---------------------------------------------------- */

static bool define_table(session *s, const ast *a, defblock *blk,
                         form_result *r) {
  world *w = s->w;
  table_def *t = arena_alloc(&blk->mem, sizeof *t);
  t->n = a->u.table.n;
  t->keys = a->u.table.keys;
  t->vals = a->u.table.vals;
  t->has_default = a->u.table.has_default;
  t->dflt = a->u.table.dflt;
  world_define(w, world_cell(w, a->u.table.name), G_TABLE, v_void(), NULL, t,
               blk, a->loc);
  if (r->summary.n) sb_putc(&r->summary, '\n');
  session_describe(s, a->u.table.name, SUMMARY_VALUE_MAX, &r->summary);
  strbuf rec, reu;
  sb_init(&rec);
  sb_init(&reu);
  runner_recompile_dependents(s->run, world_cell(w, a->u.table.name), &rec, &reu);
  if (rec.n) sb_printf(&r->summary, "\n  recompiled: %s", rec.s);
  sb_free(&rec);
  sb_free(&reu);
  return true;
}

/* Nothing to compile: the C function was resolved by the expander; the
 * procedures that call it are recompiled. */
static bool define_extern(session *s, const ast *a, defblock *blk,
                          form_result *r) {
  world *w = s->w;
  gcell *g = world_cell(w, a->u.ext.name);
  world_define_extern(w, g, a->u.ext.x, blk, a->loc);
  if (r->summary.n) sb_putc(&r->summary, '\n');
  session_describe(s, a->u.ext.name, SUMMARY_VALUE_MAX, &r->summary);
  strbuf rec, reu;
  sb_init(&rec);
  sb_init(&reu);
  runner_recompile_dependents(s->run, g, &rec, &reu);
  if (rec.n) sb_printf(&r->summary, "\n  recompiled: %s", rec.s);
  sb_free(&rec);
  sb_free(&reu);
  return true;
}

static bool define_fn(session *s, const ast *a, defblock *blk, form_result *r) {
  world *w = s->w;
  gcell *g = world_cell(w, a->u.def.name);
  world_define(w, g, G_FUNC, v_void(), a->u.def.fn, NULL, blk, a->loc);
  run_out o;
  run_out_init(&o);
  bool ok = runner_compile_fn(s->run, g, &o);
  if (ok) {
    if (r->summary.n) sb_putc(&r->summary, '\n');
    runner_summary(o.prog, sym_name(&w->syms, a->u.def.name), &r->summary);
    strbuf rec, reu;
    sb_init(&rec);
    sb_init(&reu);
    runner_recompile_dependents(s->run, g, &rec, &reu);
    if (rec.n || reu.n) {
      sb_puts(&r->summary, "\n ");
      if (rec.n) sb_printf(&r->summary, " recompiled: %s", rec.s);
      if (reu.n) sb_printf(&r->summary, "%s reused: %s", rec.n ? " \xc2\xb7" : "", reu.s);
    }
    sb_free(&rec);
    sb_free(&reu);
  } else if (o.err.kind && !strcmp(o.err.kind, "incomplete")) {
    /* it compiles into its callers' programs, where the kinds of its
     * parameters and the procedures it calls are known */
    if (r->summary.n) sb_putc(&r->summary, '\n');
    session_describe(s, a->u.def.name, SUMMARY_VALUE_MAX, &r->summary);
    sb_printf(&r->summary, "\n  compiled with its callers: %s", o.err.msg);
    ok = true;
  } else {
    take_error(r, &o);
  }
  run_out_free(&o);
  return ok;
}

static bool define_var(session *s, const ast *a, int frame, form_result *r) {
  world *w = s->w;
  run_out o;
  run_out_init(&o);
  w->one_value = true;   /* lang/lower-values.c */
  bool ok = runner_eval(s->run, a->u.def.val, frame, true, &o);
  w->one_value = false;
  r->tokens += o.tokens;
  r->circuit = o.circuit;
  r->tool_calls += o.tool_calls;
  r->steps += o.steps;
  r->ms += o.run_ms;
  r->cpu_ms += o.run_cpu_ms;
  if (o.dense_why) r->dense_why = o.dense_why;
  if (ok) {
    world_define(w, world_cell(w, a->u.def.name), G_VAR, o.value, NULL, NULL,
                 NULL, a->loc);
    if (r->summary.n) sb_putc(&r->summary, '\n');
    session_describe(s, a->u.def.name, SUMMARY_VALUE_MAX, &r->summary);
  } else {
    take_error(r, &o);
  }
  run_out_free(&o);
  return ok;
}

/* ---- expressions ---------------------------------------------------- */

/* (f 'a 1 #t) with f a compiled procedure: run f's own program. */
static bool direct_call(const ast *a, value *args, int *nargs) {
  if (a->kind != E_CALL || a->u.call.r.kind != REF_GLOBAL ||
      a->u.call.r.cell->kind != G_FUNC || a->u.call.n > 16 ||
      a->u.call.r.cell->fn->nparams != a->u.call.n || a->u.call.r.cell->fn->variadic)
    return false;
  for (int i = 0; i < a->u.call.n; i++) {
    const ast *x = a->u.call.args[i];
    if (x->kind != E_CONST || x->u.k.kind == VK_VOID || x->u.k.kind == VK_STR) return false;
    args[i] = x->u.k;
  }
  *nargs = a->u.call.n;
  return true;
}

/* discard: the value is not wanted (an item of a top-level begin before
 * the last), so its branches need not agree in kind */
static bool run_expr(session *s, const ast *a, int frame, bool discard,
                     form_result *r) {
  run_out o;
  run_out_init(&o);
  value args[16];
  int nargs = 0;
  bool direct = direct_call(a, args, &nargs);
  bool ok = direct ? runner_call(s->run, a->u.call.r.cell, args, nargs, true, &o)
             : discard ? runner_exec(s->run, a, frame, &o)
                       : runner_eval(s->run, a, frame, true, &o);
  if (!ok && direct && o.err.kind && !strcmp(o.err.kind, "incomplete")) {
    /* the procedure's own program needs its callers' kinds: compile the
     * call as a program of its own */
    run_out_free(&o);
    run_out_init(&o);
    ok = discard ? runner_exec(s->run, a, frame, &o)
                 : runner_eval(s->run, a, frame, true, &o);
  }
  r->tokens += o.tokens;
  r->circuit = o.circuit;
  r->tool_calls += o.tool_calls;
  r->steps += o.steps;
  r->ms += o.run_ms;
  r->cpu_ms += o.run_cpu_ms;
  if (o.dense_why) r->dense_why = o.dense_why;
  if (ok) {
    r->result = o.value;
    sb_clear(&r->text);
    r->has_value = o.has_result && !discard;
    if (o.has_result) sb_putn(&r->text, o.result.s ? o.result.s : "", o.result.n);
  } else {
    take_error(r, &o);
  }
  run_out_free(&o);
  return ok;
}

static bool one_form(session *s, const ast *a, int frame, bool discard,
                     defblock *blk, form_result *r) {
  switch (a->kind) {
  case E_DEFTABLE:
    r->is_definition = true;
    return define_table(s, a, blk, r);
  case E_EXTERN:
    r->is_definition = true;
    return define_extern(s, a, blk, r);
  case E_DEFINE:
    r->is_definition = true;
    if (a->u.def.fn) return define_fn(s, a, blk, r);
    return define_var(s, a, frame, r);
  default:
    r->has_value = false;
    return run_expr(s, a, frame, discard, r);
  }
}

/* A top-level begin is a sequence of top-level forms. */
static bool run_forms(session *s, const ast *a, int frame, defblock *blk,
                      form_result *r) {
  defblock *save = s->w->form_blk;   /* for closures (lang/lower-closure.c) */
  s->w->form_blk = blk;
  bool ok = true;
  if (a->kind != E_BEGIN) ok = one_form(s, a, frame, false, blk, r);
  for (int i = 0; a->kind == E_BEGIN && i < a->u.seq.n && ok; i++)
    ok = one_form(s, a->u.seq.v[i], frame, i + 1 < a->u.seq.n, blk, r);
  s->w->form_blk = save;
  return ok;
}

static bool transformer_form(session *s, ast *a, int frame, rd_form *f,
                             form_result *r) {
  world *w = s->w;
  defblock *blk = world_adopt(&f->mem);
  blk->refs = 1;
  world_txn_begin(w);
  bool ok = run_forms(s, a, frame, blk, r);
  if (ok) world_txn_commit(w);
  else world_txn_rollback(w);
  defblock_release(blk);
  return ok;
}

/* ---- check mode ----------------------------------------------------- */

static void capture(void *ctx, const char *str, size_t n) {
  sb_putn((strbuf *)ctx, str, n);
}

static void quote_for_report(strbuf *out, const strbuf *b) {
  sb_putc(out, '"');
  for (size_t i = 0; i < b->n && i < 200; i++) {
    char c = b->s[i];
    if (c == '\n') sb_puts(out, "\\n");
    else if (c == '"') sb_puts(out, "\\\"");
    else sb_putc(out, c);
  }
  if (b->n > 200) sb_puts(out, "...");
  sb_putc(out, '"');
}

static bool stopped(const form_result *r) {
  const char *k = r->err.kind ? r->err.kind : "";
  return !strcmp(k, "interrupt") || !strcmp(k, "memory") || !strcmp(k, "time");
}

/* refusal: the form was refused before compiling (ck_compilable); it
 * stands for the transformer's run, which fails with that error, and
 * the form is reported as a difference like any other refusal. */
static void check_form(session *s, ast *a, int frame, rd_form *f,
                       form_result *r, lang_error *refusal) {
  world *w = s->w;
  out_fn save_out = w->out;
  void *save_ctx = w->out_ctx;
  strbuf tout, rout;
  sb_init(&tout);
  sb_init(&rout);
  /* 1. the transformer, undone afterwards */
  w->out = capture;
  w->out_ctx = &tout;
  form_result tr;
  form_result_init(&tr);
  defblock *blk = world_adopt(&f->mem);
  blk->refs = 1;
  int64_t calls_from = ffi_log_size(w->calls);
  bool tok = false;
  if (refusal) {
    tr.err = *refusal;
    refusal->msg = NULL;
  } else {
    world_txn_begin(w);
    tok = run_forms(s, a, frame, blk, &tr);
    world_txn_rollback(w);
  }
  if (!tok && stopped(&tr)) {
    /* Ctrl-C, the memory or the time limit stopped the form: there is
     * nothing to compare, and the evaluator would stop at once */
    w->out = save_out;
    w->out_ctx = save_ctx;
    print_out(s, &tout);
    lang_error_free(&r->err);
    r->err = tr.err;
    tr.err.msg = NULL;
    r->ok = false;
    r->tokens = tr.tokens;
    sb_free(&tout);
    sb_free(&rout);
    form_result_free(&tr);
    defblock_release(blk);
    return;
  }
  /* 2. the reference evaluator, for real; the C functions the transformer
   * called are not called again: their recorded results are taken */
  w->out_ctx = &rout;
  ev_outcome eo;
  ffi_replay_begin(w, FFI_REPLAY_OR_LIVE, calls_from, "check mode");
  ev_status st = ev_toplevel_in(w, a, frame, blk, &eo, &r->err);
  ffi_replay_end(w);
  w->out = save_out;
  w->out_ctx = save_ctx;
  r->ok = st == EV_OK;
  r->tokens = tr.tokens;
  r->circuit = tr.circuit;
  r->dense_why = tr.dense_why;
  r->tool_calls = tr.tool_calls;
  r->steps = eo.steps;
  r->ms = tr.ms;
  r->cpu_ms = tr.cpu_ms;
  if (r->ok) {
    r->result = eo.result;
    if (eo.result.kind != VK_VOID) {
      r->has_value = true;
      value_print(w, eo.result, &r->text, true);
    }
  }
  /* 3. compare: outputs, then values or the kinds of errors */
  strbuf diff;
  sb_init(&diff);
  /* the evaluator stopped by Ctrl-C or a limit of the form as a whole
   * (the transformer's run used part of its time): nothing to compare */
  bool ev_stopped = !r->ok && r->err.kind &&
                    (!strcmp(r->err.kind, "interrupt") ||
                     !strcmp(r->err.kind, "memory") || !strcmp(r->err.kind, "time"));
  if (ev_stopped) {
    /* r->err says why */
  } else if (tok != r->ok) {
    sb_printf(&diff, "the transformer %s but the reference evaluator %s",
              tok ? "succeeded" : "failed", r->ok ? "succeeded" : "failed");
    if (!tok && tr.err.msg) sb_printf(&diff, " (transformer: %s)", tr.err.msg);
  } else if (tout.n != rout.n || (tout.n && memcmp(tout.s, rout.s, tout.n))) {
    sb_puts(&diff, "the transformer printed ");
    quote_for_report(&diff, &tout);
    sb_puts(&diff, " but the reference evaluator printed ");
    quote_for_report(&diff, &rout);
  } else if (tok && tr.has_value != r->has_value) {
    sb_puts(&diff, "the values differ in kind");
  } else if (tok && r->has_value && (tr.text.n != r->text.n || memcmp(tr.text.s, r->text.s, r->text.n))) {
    sb_puts(&diff, "the transformer's value is ");
    quote_for_report(&diff, &tr.text);
    sb_puts(&diff, " but the reference evaluator's is ");
    quote_for_report(&diff, &r->text);
  } else if (!tok && tr.err.kind && r->err.kind && strcmp(tr.err.kind, r->err.kind)) {
    sb_printf(&diff, "the transformer failed with a %s error but the reference "
                     "evaluator with a %s error", tr.err.kind, r->err.kind);
  } else if (!tok && r->err.kind && !strcmp(r->err.kind, "exit") &&
             tr.err.status != r->err.status) {
    sb_printf(&diff, "the transformer exited with status %d but the reference "
                     "evaluator with %d", tr.err.status, r->err.status);
  }
  print_out(s, &rout);
  if (diff.n) {
    lang_error_set(&r->err, a->loc, "check", "check: %s", diff.s);
    r->ok = false;
  } else if (r->ok) {
    /* definitions in check mode: say what was compiled */
    if (tr.summary.n) {
      sb_clear(&r->summary);
      sb_putn(&r->summary, tr.summary.s, tr.summary.n);
    }
  }
  r->is_definition = tr.is_definition;
  if (r->ok && r->is_definition && !r->summary.n) {
    /* nothing to add */
  }
  sb_free(&diff);
  sb_free(&tout);
  sb_free(&rout);
  form_result_free(&tr);
  defblock_release(blk);
}

void session_eval_compiled(session *s, ast *a, int frame, rd_form *f,
                           form_result *r) {
  if (!s->run) s->run = runner_new(s->w);
  runner_set_kv(s->run, s->brute ? KV_BRUTE : s->plain_hull ? KV_HULL_PLAIN : KV_HULL);
  runner_set_dense(s->run, s->dense);
  if (s->lockstep > 0) runner_set_lockstep(s->run, true, s->lockstep);
  runner_set_limits(s->run, s->w->lim.max_steps, s->w->interrupt);
  runner_set_progress(s->run, s->progress, s->progress_ctx, s->progress_after);
  runner_set_milp(s->run, s->milp_limit);
  if (s->mode == MODE_CHECK) {
    check_form(s, a, frame, f, r, NULL);
    return;
  }
  r->ok = transformer_form(s, a, frame, f, r);
}

void session_check_refused(session *s, ast *a, int frame, rd_form *f,
                           form_result *r) {
  lang_error refusal = r->err;
  memset(&r->err, 0, sizeof r->err);
  check_form(s, a, frame, f, r, &refusal);
  lang_error_free(&refusal);
}
