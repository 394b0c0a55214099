/* lower-proc.c - lowering of procedures: inlining procedures with side
 * effects, local procedures (contified loops and lifted procedures),
 * whole functions (the entry points of ir.h) and the IR listing.  The
 * expressions inside them are lang/lower.c's.
 */
#include "config.h"

#include "lower.h"
#include "lower-ports.h"

#include <string.h>

/* ---- inlining procedures with side effects ------------------------- */

enum { INLINE_MAX_NODES = 80, INLINE_MAX_DEPTH = 6 };

static int ast_size(const ast *a) {
  if (!a) return 0;
  int n = 1;
  switch (a->kind) {
  case E_SET: return n + ast_size(a->u.set.val);
  case E_IF: return n + ast_size(a->u.iff.c) + ast_size(a->u.iff.t) + ast_size(a->u.iff.e);
  case E_BEGIN: case E_AND: case E_OR: case E_VECLIT:
    for (int i = 0; i < a->u.seq.n; i++) n += ast_size(a->u.seq.v[i]);
    return n;
  case E_LET: case E_LETREC:
    for (int i = 0; i < a->u.let.n; i++) {
      n += ast_size(a->u.let.v[i].init);
      if (a->u.let.v[i].fn) n += 1000;   /* local procedures: never inline */
    }
    return n + ast_size(a->u.let.body);
  case E_CALL:
    for (int i = 0; i < a->u.call.n; i++) n += ast_size(a->u.call.args[i]);
    return n;
  default:
    return n;
  }
}

typedef VEC(const fn_def *) fn_set;

/* Whether the body of `from` can call `target`, through global calls. */
static bool reaches(const ast *a, const fn_def *target, fn_set *seen);

static bool fn_reaches(const fn_def *f, const fn_def *target, fn_set *seen) {
  for (int i = 0; i < seen->n; i++)
    if (seen->v[i] == f) return false;
  VEC_PUSH(*seen, f);
  return reaches(f->body, target, seen);
}

static bool reaches(const ast *a, const fn_def *target, fn_set *seen) {
  if (!a) return false;
  switch (a->kind) {
  case E_SET: return reaches(a->u.set.val, target, seen);
  case E_IF:
    return reaches(a->u.iff.c, target, seen) || reaches(a->u.iff.t, target, seen) ||
           reaches(a->u.iff.e, target, seen);
  case E_BEGIN: case E_AND: case E_OR: case E_VECLIT:
    for (int i = 0; i < a->u.seq.n; i++)
      if (reaches(a->u.seq.v[i], target, seen)) return true;
    return false;
  case E_LET: case E_LETREC:
    for (int i = 0; i < a->u.let.n; i++) {
      if (reaches(a->u.let.v[i].init, target, seen)) return true;
      if (a->u.let.v[i].fn && reaches(a->u.let.v[i].fn->body, target, seen)) return true;
    }
    return reaches(a->u.let.body, target, seen);
  case E_CALL:
    for (int i = 0; i < a->u.call.n; i++)
      if (reaches(a->u.call.args[i], target, seen)) return true;
    if (a->u.call.r.kind == REF_GLOBAL && a->u.call.r.cell->kind == G_FUNC) {
      const fn_def *g = a->u.call.r.cell->fn;
      if (g == target) return true;
      return fn_reaches(g, target, seen);
    }
    return false;
  default:
    return false;
  }
}

static bool inlinable(lw *c, const fn_def *g) {
  if (c->inline_depth >= INLINE_MAX_DEPTH || ast_size(g->body) > INLINE_MAX_NODES ||
      lw_fn_mv(c, g))   /* it returns several values (lower-values.c) */
    return false;
  fn_set seen = {0};
  bool rec = fn_reaches(g, g, &seen);
  if (!rec && c->self_cell && c->self_cell->kind == G_FUNC) {
    seen.n = 0;
    rec = fn_reaches(g, c->self_cell->fn, &seen);
  }
  VEC_FREE(seen);
  return !rec;
}

/* Arguments that cannot change while the body runs (constants, and the
 * caller's own variables: only the caller writes them) are bound as
 * expressions; others get a variable of their own. */
static bool stable_arg(lw *c, const ir_expr *e) {
  if (e->k == X_CONST) return true;
  if (e->k != X_VAR) return false;
  const ir_var *v = &c->p->vars.v[e->var];
  return v->cls != VAR_GLOBAL && v->fn == c->fn;
}

static ir_expr *inline_effects(lw *c, const fn_def *g, ir_expr **args,
                               srcloc loc, int edepth, bool check) {
  c->inline_depth++;
  frame_map *f = lw_new_frame(c, g, g->frame_size, NULL);
  f->edepth = edepth;
  for (int i = 0; i < g->nparams && !c->failed; i++) {
    if (stable_arg(c, args[i]) && !lw_assigns_slot(g->body, 0, i)) {
      f->slots[i].expr = args[i];
      continue;
    }
    int v = lw_new_var(c, g->params[i], VAR_LOCAL, g->param_locs[i]);
    if (lw_assigns_slot(g->body, 0, i)) c->p->vars.v[v].assigned = true;
    f->slots[i].var = v;
    lw_assign(c, v, args[i], loc);
  }
  if (check && !c->failed) lw_emit(c, S_EVAL, loc)->a[0] = lw_depth_check(c, edepth, loc);
  lw_box_params(c, g, f, loc);   /* lower-box.c */
  int tmp = lw_new_var(c, -1, VAR_TEMP, loc);
  int done = lw_new_label(c);
  cont k = {c->next_cont++, false, tmp, done};
  gcell *save_cell = c->self_cell;
  loop_info *save_loop = c->self_loop;
  c->self_loop = NULL;   /* g does not call itself: checked */
  lw_lower_tail(c, g->body, f, k);
  c->self_cell = save_cell;
  c->self_loop = save_loop;
  lw_label(c, done, loc);
  c->inline_depth--;
  return lw_var_expr(c, tmp, loc);
}

/* A call of a C function: the host performs it between two steps (a
 * tool call in the trace), so only integers and string constants can
 * cross; its value is an integer or nothing. */
static ir_expr *extern_call(lw *c, const ast *a, frame_map *f, gcell *cell) {
  const extern_def *x = cell->ext;
  int n = a->u.call.n;
  lw_add_dep(c, cell);
  if (x->nargs != n) {
    lw_fail(c, a->loc, "%s takes %d argument%s, but %d %s given",
         lw_nm(c, a->u.call.name), x->nargs, x->nargs == 1 ? "" : "s", n,
         n == 1 ? "was" : "were");
    return lw_void_expr(c, a->loc);
  }
  if (x->ret == XT_STRING) {
    lw_fail(c, a->loc, "%s returns a string, which compiled code cannot hold "
         "(run it with --reference)", lw_nm(c, a->u.call.name));
    return lw_void_expr(c, a->loc);
  }
  ir_expr *args[64];
  if (n > 16) {
    lw_fail(c, a->loc, "a tool call takes at most 16 arguments in compiled code");
    return lw_void_expr(c, a->loc);
  }
  lw_lower_args(c, a, f, args);
  if (c->failed) return lw_void_expr(c, a->loc);
  for (int i = 0; i < n; i++) {
    args[i] = lw_checked_arg(c, a, lw_nm(c, a->u.call.name), args, i,
                             x->args[i] == XT_STRING ? T_STR : T_INT);
    /* the evaluator names the C type: "must be an integer (int32), not ..." */
    ir_failure *fl = &c->p->failures.v[args[i]->var];
    strbuf m;
    sb_init(&m);
    sb_printf(&m, "%s (%s)", fl->msg, xtype_name(x->args[i]));
    fl->msg = arena_strdup(&c->p->mem, m.s);
    sb_free(&m);
  }
  int tmp = lw_new_var(c, -1, VAR_TEMP, a->loc);
  c->p->vars.v[tmp].type = lw_type_of_kind(c, x->ret == XT_VOID ? T_VOID : T_INT);
  ir_stmt *s = lw_emit(c, S_EXTCALL, a->loc);
  s->var = tmp;
  s->ext = cell;
  s->nargs = n;
  s->args = arena_alloc(&c->p->mem, (size_t)(n + 1) * sizeof(ir_expr *));
  for (int i = 0; i < n; i++) s->args[i] = args[i];
  return lw_retype(c, lw_var_expr(c, tmp, a->loc), x->ret == XT_VOID ? T_VOID : T_INT);
}

/* A call the evaluator rejects when it makes it (before its arguments):
 * the same error, raised where compiled code reaches it.  Its value is of
 * any kind (void if nothing fixes one: it never produces a value). */
ir_expr *lw_fail_expr(lw *c, srcloc loc, const char *kind, const char *fmt, ...) {
  strbuf b;
  sb_init(&b);
  va_list ap;
  va_start(ap, fmt);
  sb_vprintf(&b, fmt, ap);
  va_end(ap);
  ir_failure x = {kind, arena_strdup(&c->p->mem, b.s ? b.s : ""), false};
  sb_free(&b);
  VEC_PUSH(c->p->failures, x);
  ir_expr *e = lw_mk(c, X_FAIL, loc, 0);
  e->type = lw_new_type(c, T_ANY);
  e->ival = c->p->failures.n - 1;
  VEC_PUSH(c->fail_types, e->type);
  return e;
}

/* A builtin call the checker found cannot succeed (an argument's kind is
 * known to be wrong): its arguments run, then the evaluator's kind error,
 * as the evaluator does when it reaches the call. */
static ir_expr *kind_fail(lw *c, const ast *a, const char *shown) {
  const builtin *b = a->u.call.r.bi;
  int i = a->u.call.bad_arg - 1;
  return lw_fail_expr(c, a->u.call.args[i]->loc, "type",
                      "%s: argument %d must be %s, not %s%s", b->name, i + 1,
                      ck_arg_kind_name(builtin_arg_kind(b, i)),
                      vkind_name((vkind)a->u.call.bad_kind), shown);
}

/* The constant an expression ends in (through begin and let), or NULL. */
static const ast *const_tail(const ast *a) {
  for (;;) {
    switch (a->kind) {
    case E_CONST: return a;
    case E_BEGIN: a = a->u.seq.v[a->u.seq.n - 1]; continue;
    case E_LET: case E_LETREC: a = a->u.let.body; continue;
    default: return NULL;
    }
  }
}

static ir_expr *doomed_builtin(lw *c, const ast *a, frame_map *f) {
  int n = a->u.call.n;
  const ast *bad = const_tail(a->u.call.args[a->u.call.bad_arg - 1]);
  ir_expr **args = arena_alloc(&c->p->mem, (size_t)(n + 1) * sizeof *args);
  lw_lower_args(c, a, f, args);
  if (c->failed) return lw_void_expr(c, a->loc);
  ir_expr *e;
  if (bad) {
    /* the evaluator's text names the value, as here */
    strbuf v;
    sb_init(&v);
    value_print(c->w, bad->u.k, &v, true);
    if (v.n > 60) {
      v.n = 57;
      sb_puts(&v, "...");
    }
    char text[80];
    snprintf(text, sizeof text, " (%s)", v.s ? v.s : "");
    sb_free(&v);
    e = kind_fail(c, a, text);
  } else if (a->u.call.bad_kind == VK_BOOL) {
    /* one of two texts, chosen by the boolean at run time */
    e = lw_mk(c, X_SELECT, a->loc, 3);
    e->a[0] = args[a->u.call.bad_arg - 1];
    e->a[1] = kind_fail(c, a, " (#t)");
    e->a[2] = kind_fail(c, a, " (#f)");
    e->type = e->a[1]->type;
    lw_unify(c, e->type, e->a[2]->type, a->loc, "this error");
  } else {
    /* The value is known only when the program runs: the arguments run
     * in order (their errors first), then the model writes the bad one
     * into the message, as the evaluator's "(d)". */
    int i = a->u.call.bad_arg - 1;
    int tmp[64];
    for (int j = 0; j < n && j < 64; j++) {
      tmp[j] = lw_new_var(c, -1, VAR_TEMP, a->loc);
      lw_assign(c, tmp[j], args[j], a->loc);
    }
    if (n <= 64 && !c->failed) {
      const builtin *bi = a->u.call.r.bi;
      char msg[200];
      snprintf(msg, sizeof msg, "%s: argument %d must be %s, not %s", bi->name, i + 1,
               ck_arg_kind_name(builtin_arg_kind(bi, i)),
               vkind_name((vkind)a->u.call.bad_kind));
      lw_ll_err_text(c, "(", a->loc);
      lw_ll_err_write(c, lw_var_expr(c, tmp[i], a->loc), a->loc);
      lw_ll_err_text(c, ")", a->loc);
      lw_ll_err_raise(c, a->u.call.args[i]->loc, "type", msg);
      return kind_fail(c, a, "");   /* never reached */
    }
    e = kind_fail(c, a, "");
  }
  return lw_after_args(c, e, args, n);
}

ir_expr *lw_lower_call(lw *c, const ast *a, frame_map *f, cont *tail) {
  const ref_info *r = &a->u.call.r;
  if (ref_is_builtin_now(r)) {
    /* a builtin until the script defines the name: lowered as a call of
     * the builtin; defining the name recompiles this program */
    lw_add_dep(c, r->cell);
    ast *b = arena_alloc(&c->p->mem, sizeof *b);
    *b = *a;
    b->u.call.r.kind = REF_BUILTIN;
    return lw_lower_call(c, b, f, tail);
  }
  int n = a->u.call.n;
  if (r->kind == REF_BUILTIN && a->u.call.bad_arg > 0)
    return doomed_builtin(c, a, f);
  if (r->kind == REF_BUILTIN) {
    ir_expr *w = lw_wind_call(c, a, f);   /* lower-wind.c */
    if (w) return w;
    if (!lw_prim_pure(r->bi)) return lw_effect_prim(c, a, f);
    ir_expr *args[64];
    if (n > 64) {
      lw_fail(c, a->loc, "too many arguments for compiled code");
      return lw_void_expr(c, a->loc);
    }
    lw_lower_args(c, a, f, args);
    if (c->failed) return lw_void_expr(c, a->loc);
    if (n == 2 && (!strcmp(r->bi->name, "vector-ref") || !strcmp(r->bi->name, "expt")))
      args[1] = lw_at_place(c, args[1], a->u.call.args[1]->loc);   /* the evaluator's place */
    ir_expr *pw = lw_pairwise(c, a, r->bi, args, n);   /* lower-pairwise.c */
    if (pw) return pw;
    return lw_prim(c, a, r->bi, args, n);
  }
  if (r->kind == REF_GLOBAL && r->cell->kind == G_TABLE && n != 1) {
    lw_add_dep(c, r->cell);
    return lw_fail_expr(c, a->loc, "arity", "table %s takes 1 argument, but %d %s given",
                     lw_nm(c, a->u.call.name), n, n == 1 ? "was" : "were");
  }
  if (r->kind == REF_GLOBAL && r->cell->kind == G_TABLE) {
    ir_expr *key = lw_lower_value(c, a->u.call.args[0], f);
    ir_expr *e = lw_mk(c, X_TABLE, a->loc, 1);
    e->a[0] = key;
    e->table = r->cell;
    lw_use_table(c, r->cell);
    const table_def *t = r->cell->table;
    for (int i = 0; i <= t->n; i++) {
      value v = i < t->n ? t->vals[i] : t->has_default ? t->dflt : v_int(0);
      if (v.kind == VK_PAIR) {
        /* the loader lays a table's values out without their classes */
        lw_fail(c, a->loc, "a table whose values are lists is not compiled yet");
        return lw_void_expr(c, a->loc);
      }
    }
    lw_unify(c, key->type, lw_type_of_value(c, t->keys[0], 0), key->loc, "the key");
    e->type = lw_type_of_value(c, t->vals[0], 0);
    for (int i = 1; i < t->n; i++)
      lw_unify(c, e->type, lw_type_of_value(c, t->vals[i], 0), a->loc,
            "a value of the table");
    if (t->has_default)
      lw_unify(c, e->type, lw_type_of_value(c, t->dflt, 0), a->loc, "the default");
    /* the table's cells hold plain values: where the lookup's value meets
     * other kinds, it gets its tag */
    tkind vk = ir_kind(c->p, e->type);
    if (vk != T_DYN && vk != T_ANY && vk != T_VEC) return lw_retype(c, e, vk);
    return e;
  }
  ir_expr *args[96];
  if (n > 64) {
    lw_fail(c, a->loc, "too many arguments for compiled code");
    return lw_void_expr(c, a->loc);
  }
  if (r->kind == REF_LOCALFN) {
    loop_info *l = lw_find_loop(f, r->depth, r->fn);
    lw_lower_args(c, a, f, args);
    if (c->failed) return lw_void_expr(c, a->loc);
    if (r->fn->variadic) {   /* lower-rest.c */
      if (!lw_arity_ok(r->fn, n))
        return lw_after_args(c, lw_arity_fail(c, r->fn, n, a->loc), args, n);
      n = lw_pack_rest(c, r->fn, args, n, a->loc);
    }
    if (l) {
      if (!tail || tail->id != l->k.id) {
        lw_fail(c, a->loc, "internal error: loop %s called outside tail position",
             lw_nm(c, a->u.call.name));
        return lw_void_expr(c, a->loc);
      }
      lw_loop_again(c, l, args, n, a->loc);
      return NULL;   /* control went elsewhere */
    }
    if (lw_fn_pure(&c->pu, r->fn))
      return lw_inline_call(c, r->fn, args, lw_frame_up(f, r->depth), a->loc,
                            lw_call_depth(f, a), !a->u.call.tail);
    lifted *lf = lw_find_lifted(c, r->fn);
    if (!lf) {
      lw_fail(c, a->loc, "internal error: local procedure %s was not prepared",
           lw_nm(c, a->u.call.name));
      return lw_void_expr(c, a->loc);
    }
    lw_captured_args(c, lf, lw_frame_up(f, r->depth), args + n, a->loc);
    return lw_call_stmt_at(c, lf->irfn, args, n + lf->ncap, a->loc, lw_call_depth(f, a));
  }
  if (r->kind == REF_GLOBAL && r->cell->kind == G_EXTERN)
    return extern_call(c, a, f, r->cell);
  if (r->kind == REF_GLOBAL && r->cell->kind == G_FUNC && lw_port_cannot_call(c, a))
    return lw_port_cannot(c, a);   /* lower-ports.c */
  if (r->kind == REF_GLOBAL && r->cell->kind == G_FUNC) {
    const fn_def *fn = r->cell->fn;
    lw_add_dep(c, r->cell);
    lw_lower_args(c, a, f, args);
    if (fn->variadic && !c->failed) {   /* lower-rest.c */
      if (!lw_arity_ok(fn, n)) return lw_after_args(c, lw_arity_fail(c, fn, n, a->loc), args, n);
      n = lw_pack_rest(c, fn, args, n, a->loc);
    }
    if (fn->nparams != n && !c->failed)   /* after the arguments, as in the evaluator */
      return lw_after_args(c, lw_fail_expr(c, a->loc, "arity",
                       "procedure %s takes %d argument%s, but %d %s given",
                       lw_nm(c, a->u.call.name), fn->nparams, fn->nparams == 1 ? "" : "s",
                       n, n == 1 ? "was" : "were"), args, n);
    if (c->failed) return lw_void_expr(c, a->loc);
    int d = lw_call_depth(f, a);
    if (lw_fn_pure(&c->pu, fn))
      return lw_inline_call(c, fn, args, NULL, a->loc, d, !a->u.call.tail);
    if (inlinable(c, fn)) return inline_effects(c, fn, args, a->loc, d, !a->u.call.tail);
    return lw_call_stmt_at(c, lw_lower_global_fn(c, r->cell, a->loc), args, n, a->loc, d);
  }
  if (r->kind == REF_LOCAL || r->kind == REF_CAPTURED ||
      (r->kind == REF_GLOBAL && r->cell->kind == G_VAR))
    return lw_call_value(c, a, f);   /* lower-closure.c */
  if (r->kind == REF_GLOBAL &&
      (r->cell->kind == G_UNDEFINED || r->cell->kind == G_VAR)) {
    /* not a procedure (yet): (re)defining the name recompiles this
     * program (a dependency) */
    lw_add_dep(c, r->cell);
    if (r->cell->kind == G_VAR)
      return lw_fail_expr(c, a->u.call.name_loc, "type", "%s is a variable, not a procedure",
                       lw_nm(c, a->u.call.name));
    return lw_fail_expr(c, a->u.call.name_loc, "unbound", "unbound variable %s",
                     lw_nm(c, a->u.call.name));
  }
  lw_fail(c, a->u.call.name_loc, "internal error: a call of %s, which is "
          "neither a procedure nor a name", lw_nm(c, a->u.call.name));
  return lw_void_expr(c, a->loc);
}

/* ---- local procedures ---------------------------------------------- */

/* Whether every call of `target` inside `a` is in tail position with
 * respect to the continuation of `a` (tail = a is itself in tail
 * position).  Nested loops entered in tail position keep tail-ness. */
static bool tail_calls_only(const ast *a, const fn_def *target, int depth,
                            bool tail) {
  if (!a) return true;
  switch (a->kind) {
  case E_CONST: case E_REF: return true;
  case E_SET: return tail_calls_only(a->u.set.val, target, depth, false);
  case E_IF:
    return tail_calls_only(a->u.iff.c, target, depth, false) &&
           tail_calls_only(a->u.iff.t, target, depth, tail) &&
           tail_calls_only(a->u.iff.e, target, depth, tail);
  case E_BEGIN:
    for (int i = 0; i < a->u.seq.n; i++)
      if (!tail_calls_only(a->u.seq.v[i], target, depth,
                           tail && i == a->u.seq.n - 1))
        return false;
    return true;
  case E_AND: case E_OR: case E_VECLIT:
    for (int i = 0; i < a->u.seq.n; i++)
      if (!tail_calls_only(a->u.seq.v[i], target, depth, false)) return false;
    return true;
  case E_LET: case E_LETREC:
    for (int i = 0; i < a->u.let.n; i++) {
      const let_binding *b = &a->u.let.v[i];
      if (!tail_calls_only(b->init, target, depth, false)) return false;
      if (b->fn) {
        /* A nested loop whose entry is in tail position runs in tail
         * position too; any other nested procedure is another function. */
        bool entered_in_tail = tail && b->fn->is_loop &&
                               a->u.let.body->kind == E_CALL &&
                               a->u.let.body->u.call.r.kind == REF_LOCALFN &&
                               a->u.let.body->u.call.r.fn == b->fn;
        if (!tail_calls_only(b->fn->body, target, depth + 1, entered_in_tail))
          return false;
      }
    }
    return tail_calls_only(a->u.let.body, target, depth, tail);
  case E_CALL:
    for (int i = 0; i < a->u.call.n; i++)
      if (!tail_calls_only(a->u.call.args[i], target, depth, false)) return false;
    if (a->u.call.r.kind == REF_LOCALFN && a->u.call.r.fn == target)
      return tail;
    return true;
  default:
    return true;
  }
}

/* A local procedure bound by letrec becomes a loop when its only entry is
 * the letrec body calling it and it calls itself only in tail position. */
bool lw_contifiable(const ast *letrec, const let_binding *b) {
  if (!b->fn->is_loop) return false;
  const ast *body = letrec->u.let.body;
  if (body->kind != E_CALL || body->u.call.r.kind != REF_LOCALFN ||
      body->u.call.r.fn != b->fn)
    return false;
  for (int i = 0; i < body->u.call.n; i++)
    if (!tail_calls_only(body->u.call.args[i], b->fn, 0, false)) return false;
  return tail_calls_only(b->fn->body, b->fn, 1, true);
}

/* The free variables of a local procedure being collected: (dep, slot)
 * pairs relative to the frame that defines it; a slot -1 - j is item j of
 * that frame's closure (a lambda's captured variable). */
typedef struct {
  lw *c;
  int_vec dep, slot;
  int_vec set_dep, set_slot;   /* the frames' variables set! inside */
  fn_set seen;     /* outer local procedures it calls, already followed */
} free_vars;

/* A reference at `depth` frames inside the procedure (base: how many
 * frames above the defining frame depth 0 of this part is): a free
 * variable when it climbs out, recorded once. */
static void note_free(free_vars *fv, const ref_info *r, int depth, int base) {
  if ((r->kind != REF_LOCAL && r->kind != REF_CAPTURED) || r->depth < depth) return;
  int d = r->depth - depth + base, s = r->kind == REF_LOCAL ? r->slot : -1 - r->slot;
  for (int i = 0; i < fv->dep.n; i++)
    if (fv->dep.v[i] == d && fv->slot.v[i] == s) return;
  VEC_PUSH(fv->dep, d);
  VEC_PUSH(fv->slot, s);
}

/* Free variables of a local procedure: references that climb out of it,
 * including the operator of a call through a variable ((k v) where k is
 * a continuation or a procedure argument), an operator expression, the
 * variables a lambda inside it captures where it is evaluated, and those
 * of the outer local procedures it calls (their captures, or their
 * bodies when inlined, are computed from its own view of the frames). */
static void collect_free(const ast *a, int depth, int base, free_vars *fv) {
  if (!a) return;
  switch (a->kind) {
  case E_REF:
    note_free(fv, &a->u.ref.r, depth, base);
    return;
  case E_LAMBDA:
    for (int i = 0; i < a->u.lam.fn->ncaps; i++)
      note_free(fv, &a->u.lam.fn->cap_src[i], depth, base);
    return;
  case E_APPLY:
    collect_free(a->u.call.op, depth, base, fv);
    for (int i = 0; i < a->u.call.n; i++) collect_free(a->u.call.args[i], depth, base, fv);
    return;
  case E_SET:
    if (a->u.set.r.kind == REF_LOCAL && a->u.set.r.depth >= depth) {
      note_free(fv, &a->u.set.r, depth, base);   /* a box is passed */
      VEC_PUSH(fv->set_dep, a->u.set.r.depth - depth + base);
      VEC_PUSH(fv->set_slot, a->u.set.r.slot);
    }
    /* a closure's item that is assigned is a box: passing it shares it */
    if (a->u.set.r.kind == REF_CAPTURED) note_free(fv, &a->u.set.r, depth, base);
    collect_free(a->u.set.val, depth, base, fv);
    return;
  case E_IF:
    collect_free(a->u.iff.c, depth, base, fv);
    collect_free(a->u.iff.t, depth, base, fv);
    collect_free(a->u.iff.e, depth, base, fv);
    return;
  case E_BEGIN: case E_AND: case E_OR: case E_VECLIT:
    for (int i = 0; i < a->u.seq.n; i++) collect_free(a->u.seq.v[i], depth, base, fv);
    return;
  case E_LET: case E_LETREC:
    for (int i = 0; i < a->u.let.n; i++) {
      collect_free(a->u.let.v[i].init, depth, base, fv);
      if (a->u.let.v[i].fn) collect_free(a->u.let.v[i].fn->body, depth + 1, base, fv);
    }
    collect_free(a->u.let.body, depth, base, fv);
    return;
  case E_CALL: {
    const ref_info *r = &a->u.call.r;
    note_free(fv, r, depth, base);
    for (int i = 0; i < a->u.call.n; i++) collect_free(a->u.call.args[i], depth, base, fv);
    if (r->kind == REF_LOCALFN && r->depth >= depth) {
      /* a procedure of an outer scope: its body's frame is one below the
       * frame defining it, r->depth - depth + base above ours */
      int up = base + r->depth - depth;
      lifted *lf = lw_find_lifted(fv->c, r->fn);
      if (lf && !lw_fn_pure(&fv->c->pu, r->fn)) {   /* called with its captures */
        for (int i = 0; !lf->shared && i < lf->ncap; i++) {
          ref_info cr = {0};
          cr.kind = lf->cap_slot[i] >= 0 ? REF_LOCAL : REF_CAPTURED;
          cr.depth = lf->cap_depth[i] + 1;
          cr.slot = lf->cap_slot[i] >= 0 ? lf->cap_slot[i] : -1 - lf->cap_slot[i];
          note_free(fv, &cr, 1, up);
        }
        return;
      }
      for (int i = 0; i < fv->seen.n; i++)
        if (fv->seen.v[i] == r->fn) return;
      VEC_PUSH(fv->seen, r->fn);
      int nsets = fv->set_dep.n;   /* its own set!s are its own refusal */
      collect_free(r->fn->body, 1, up, fv);
      fv->set_dep.n = fv->set_slot.n = nsets;
    }
    return;
  }
  default:
    return;
  }
}

static void lower_fn_body(lw *c, int irfn, const fn_def *fn, frame_map *up,
                          const lifted *l);
static bool fn_reaches(const fn_def *f, const fn_def *target, fn_set *seen);

/* Whether the procedure now being lowered may have several activations at
 * once (then its variables live in stack frames and a lifted procedure
 * cannot reach them directly). */
static bool parent_recursive(lw *c) {
  if (c->in_lifted) return true;
  if (!c->self_cell || c->self_cell->kind != G_FUNC) return false;
  fn_set seen = {0};
  bool r = fn_reaches(c->self_cell->fn, c->self_cell->fn, &seen);
  VEC_FREE(seen);
  return r;
}

/* Lifts a local procedure to a function of its own: first (prepare) its
 * parameters, so that siblings can call it, then its body.  When the
 * enclosing procedure is not recursive its variables are static cells,
 * and the lifted body uses them directly (set! included); otherwise the
 * variables it captures are passed as extra arguments, and must not be
 * assigned. */
bool lw_lift_local(lw *c, const let_binding *b, frame_map *f, bool prepare) {
  const fn_def *fn = b->fn;
  lifted *have = lw_find_lifted(c, fn);
  if (!prepare) {
    if (!have || have->lowered) return !c->failed;
    have->lowered = true;
    lifted copy = *have;   /* c->lift may move while the body is lowered */
    lower_fn_body(c, copy.irfn, fn, copy.def, &copy);
    return !c->failed;
  }
  if (have) return true;
  bool shared = !parent_recursive(c);
  free_vars fv;
  memset(&fv, 0, sizeof fv);
  fv.c = c;
  if (!shared) {
    collect_free(fn->body, 1, 0, &fv);
    VEC_FREE(fv.seen);
  }
  int_vec dep = fv.dep, slot = fv.slot;
  bool assigned = false;
  if (!shared) {
    /* a variable assigned (here or in the frame) is shared only in its
     * box (checker.c boxes those a local procedure uses) */
    for (int i = 0; i < fv.set_dep.n && !assigned; i++) {
      frame_map *t = lw_frame_up(f, fv.set_dep.v[i]);
      int s = fv.set_slot.v[i];
      if (!t || s >= t->nslots || !t->slots[s].boxed) assigned = true;
    }
    for (int i = 0; i < dep.n && !assigned; i++) {
      frame_map *t = lw_frame_up(f, dep.v[i]);
      if (t && t->fn && slot.v[i] >= 0 && t->slots[slot.v[i]].var >= 0 &&
          !t->slots[slot.v[i]].boxed && c->p->vars.v[t->slots[slot.v[i]].var].assigned)
        assigned = true;
    }
  }
  VEC_FREE(fv.set_dep);
  VEC_FREE(fv.set_slot);
  if (dep.n > 31) {   /* the arguments of a call: 64 and these (lw_lower_call) */
    lw_fail(c, fn->loc, "local procedure %s uses more than 31 variables of its "
                        "enclosing procedures: not compiled to the transformer yet "
                        "(run with --reference to use the evaluator)", lw_nm(c, fn->name));
    VEC_FREE(dep);
    VEC_FREE(slot);
    return false;
  }
  if (assigned) {
    lw_fail(c, fn->loc, "local procedure %s uses a variable of its enclosing "
                     "procedure that is assigned with set!, and that "
                     "procedure is recursive; compiled code cannot share it "
                     "(pass it as an argument instead)", lw_nm(c, fn->name));
    VEC_FREE(dep);
    VEC_FREE(slot);
    return false;
  }
  lifted l = {fn, c->p->fns.n, dep.n, NULL, NULL, shared, false, f};
  l.cap_depth = arena_alloc(&c->p->mem, (size_t)(dep.n + 1) * sizeof(int));
  l.cap_slot = arena_alloc(&c->p->mem, (size_t)(dep.n + 1) * sizeof(int));
  for (int i = 0; i < dep.n; i++) {
    l.cap_depth[i] = dep.v[i];
    l.cap_slot[i] = slot.v[i];
  }
  VEC_FREE(dep);
  VEC_FREE(slot);
  ir_fn nf;
  memset(&nf, 0, sizeof nf);
  nf.name = fn->name;
  nf.loc = fn->loc;
  nf.ret_type = lw_new_type(c, T_ANY);
  nf.nparams = fn->nparams + l.ncap;
  nf.params = arena_alloc(&c->p->mem, (size_t)(nf.nparams + 1) * sizeof(int));
  VEC_PUSH(c->p->fns, nf);
  int save = c->fn;
  c->fn = l.irfn;
  for (int i = 0; i < nf.nparams; i++) {
    bool own = i < fn->nparams;
    int v = lw_new_var(c, own ? fn->params[i] : -1, VAR_LOCAL,
                    own ? fn->param_locs[i] : fn->loc);
    if (own && lw_assigns_slot(fn->body, 0, i)) c->p->vars.v[v].assigned = true;
    c->p->fns.v[l.irfn].params[i] = v;
  }
  c->fn = save;
  VEC_PUSH(c->lift, l);
  return !c->failed;
}

/* ---- functions ------------------------------------------------------ */

/* A view of the enclosing frames for a lifted body: their variables, but
 * not their loops (a loop of another function is not a jump target). */
static frame_map *frames_without_loops(lw *c, frame_map *up) {
  if (!up) return NULL;
  frame_map *f = arena_alloc(&c->p->mem, sizeof *f);
  *f = *up;
  f->loops = NULL;
  f->up = frames_without_loops(c, up->up);
  return f;
}

static void lower_fn_body(lw *c, int irfn, const fn_def *fn, frame_map *up,
                          const lifted *l) {
  int save = c->fn;
  bool save_lifted = c->in_lifted;
  gcell *save_cell = c->self_cell;
  loop_info *save_loop = c->self_loop;
  c->fn = irfn;
  c->in_lifted = true;
  c->self_cell = NULL;
  c->self_loop = NULL;
  int ncap = l ? l->ncap : 0;
  const int *params = c->p->fns.v[irfn].params;
  frame_map *f = lw_new_frame(c, fn, fn->frame_size,
                           l && l->shared ? frames_without_loops(c, up) : up);
  for (int i = 0; i < fn->nparams; i++) f->slots[i].var = params[i];
  /* Captured variables are parameters too; inside the body they replace
   * the enclosing frames' slots, so give the body private copies of the
   * frames it reaches into. */
  if (ncap) {
    frame_map *copies[16] = {0};
    for (int i = 0; i < ncap; i++) {
      int d = l->cap_depth[i];
      if (d >= 16) {
        lw_fail(c, fn->loc, "procedures nested more than 16 deep");
        break;
      }
      frame_map *orig = lw_frame_up(up, d);
      if (!copies[d] && orig) {
        copies[d] = lw_new_frame(c, orig->fn, orig->nslots, NULL);
        for (int s = 0; s < orig->nslots; s++) copies[d]->slots[s].var = -1;
      }
      if (copies[d] && l->cap_slot[i] < 0) {
        /* an item of the closure of a lambda enclosing it: passed as it
         * is held (a box stays a box: lw_captured_load reads through it) */
        int item = -1 - l->cap_slot[i];
        if (!orig->fn || item >= orig->fn->ncaps) {
          lw_fail(c, fn->loc, "internal error: a captured variable of no closure");
          break;
        }
        if (!copies[d]->cap_vars) {
          copies[d]->cap_vars = arena_alloc(&c->p->mem,
                                            (size_t)(orig->fn->ncaps + 1) * sizeof(int));
          for (int j = 0; j < orig->fn->ncaps; j++) copies[d]->cap_vars[j] = -1;
        }
        copies[d]->cap_vars[item] = params[fn->nparams + i];
      } else if (copies[d]) {
        copies[d]->slots[l->cap_slot[i]].var = params[fn->nparams + i];
        /* a boxed variable is passed as its box (lower-box.c) */
        if (orig && l->cap_slot[i] < orig->nslots)
          copies[d]->slots[l->cap_slot[i]].boxed = orig->slots[l->cap_slot[i]].boxed;
      }
    }
    frame_map *prev = f;
    for (int d = 0; d < 16; d++) {
      frame_map *orig = lw_frame_up(up, d);
      if (!orig) break;
      frame_map *use = copies[d] ? copies[d] : lw_new_frame(c, orig->fn, orig->nslots, NULL);
      prev->up = use;
      prev = use;
    }
  }
  lw_box_params(c, fn, f, fn->loc);   /* lower-box.c */
  cont k = {c->next_cont++, true, -1, -1};
  lw_lower_tail(c, fn->body, f, k);
  c->fn = save;
  c->in_lifted = save_lifted;
  c->self_cell = save_cell;
  c->self_loop = save_loop;
}

int lw_lower_global_fn(lw *c, gcell *g, srcloc loc) {
  for (int i = 0; i < c->gfns.n; i++)
    if (c->gfns.v[i].cell == g) return c->gfns.v[i].irfn;
  ir_fn nf;
  memset(&nf, 0, sizeof nf);
  nf.name = g->name;
  nf.loc = g->fn->loc;
  nf.cell = g;
  nf.ret_type = lw_new_type(c, T_ANY);
  nf.nparams = g->fn->nparams;
  VEC_PUSH(c->p->fns, nf);
  int irfn = c->p->fns.n - 1;
  struct gfn e = {g, irfn};
  VEC_PUSH(c->gfns, e);
  /* Parameters must exist before callers unify against them: make them
   * now, lower the body later (it may call this function again). */
  int save = c->fn;
  c->fn = irfn;
  c->p->fns.v[irfn].params = arena_alloc(&c->p->mem, (size_t)(g->fn->nparams + 1) * sizeof(int));
  for (int i = 0; i < g->fn->nparams; i++) {
    int v = lw_new_var(c, g->fn->params[i], VAR_LOCAL, g->fn->param_locs[i]);
    c->p->fns.v[irfn].params[i] = v;
  }
  c->fn = save;
  struct work w = {g, irfn};
  VEC_PUSH(c->pending, w);
  (void)loc;
  return irfn;
}

static void lower_pending(lw *c) {
  while (c->pending.n && !c->failed) {
    struct work w = c->pending.v[--c->pending.n];
    const fn_def *fn = w.cell->fn;
    int save = c->fn;
    c->fn = w.irfn;
    frame_map *f = lw_new_frame(c, fn, fn->frame_size, NULL);
    for (int i = 0; i < fn->nparams; i++) {
      int v = c->p->fns.v[w.irfn].params[i];
      if (lw_assigns_slot(fn->body, 0, i)) c->p->vars.v[v].assigned = true;
      f->slots[i].var = v;
    }
    cont k = {c->next_cont++, true, -1, -1};
    loop_info *self = arena_alloc(&c->p->mem, sizeof *self);
    self->k = k;
    self->params = c->p->fns.v[w.irfn].params;
    self->head = lw_new_label(c);
    lw_label(c, self->head, fn->loc);
    lw_box_params(c, fn, f, fn->loc);   /* each call's own boxes (lower-box.c) */
    gcell *save_cell = c->self_cell;
    loop_info *save_loop = c->self_loop;
    c->self_cell = w.cell;
    c->self_loop = self;
    lw_lower_tail(c, fn->body, f, k);
    c->self_cell = save_cell;
    c->self_loop = save_loop;
    c->fn = save;
  }
}

/* Marks the functions that are part of a call cycle. */
static void find_recursion(ir_prog *p) {
  int n = p->fns.n;
  char *reach = xcalloc((size_t)n * (size_t)n, 1);
  for (int i = 0; i < n; i++)
    for (int s = 0; s < p->fns.v[i].body.n; s++)
      if (p->fns.v[i].body.v[s].k == S_CALL)
        reach[i * n + p->fns.v[i].body.v[s].fn] = 1;
  for (int k = 0; k < n; k++)
    for (int i = 0; i < n; i++)
      if (reach[i * n + k])
        for (int j = 0; j < n; j++)
          if (reach[k * n + j]) reach[i * n + j] = 1;
  for (int i = 0; i < n; i++) p->fns.v[i].recursive = reach[i * n + i];
  free(reach);
}

static ir_prog *new_prog(world *w) {
  ir_prog *p = xcalloc(1, sizeof *p);
  p->w = w;
  arena_init(&p->mem);
  return p;
}

static ir_prog *finish(lw *c) {
  lower_pending(c);
  while (!c->failed && lw_lower_lambdas(c)) lower_pending(c);   /* lower-closure.c */
  if (!c->failed) lw_expand_callv(c);
  /* an expanded call may name a global procedure nothing named before (a
   * builtin display through a value into a string port: %tvl-int-text):
   * it is lowered now, or its calls would run an empty body */
  if (!c->failed && c->pending.n) {
    lower_pending(c);
    while (!c->failed && lw_lower_lambdas(c)) lower_pending(c);
    for (int f = 0; f < c->p->fns.n && !c->failed; f++)
      for (int i = 0; i < c->p->fns.v[f].body.n; i++)
        if (c->p->fns.v[f].body.v[i].k == S_CALLV) {
          lw_fail(c, c->p->fns.v[f].body.v[i].loc, "a call through a value inside a "
                  "procedure the compiler adds late is not compiled to the transformer "
                  "yet (run with --reference to use the evaluator)");
          break;
        }
  }
  VEC_FREE(c->callv_sites);
  lw_vmemo_free(c);
  VEC_FREE(c->lam_pending);
  for (int i = 0; i < c->fail_types.n && !c->failed; i++)
    if (ir_kind(c->p, c->fail_types.v[i]) == T_ANY)
      lw_unify(c, c->fail_types.v[i], lw_type_of_kind(c, T_VOID), c->p->fns.v[0].loc,
               "a call of a procedure not defined");
  VEC_FREE(c->fail_types);
  VEC_FREE(c->proc_flow);
  if (!c->failed) lw_settle_kinds(c);
  if (!c->failed) lw_wind_landings(c);   /* lower-wind.c */
  if (!c->failed) lw_port_check(c);   /* lower-ports.c */
  lw_record_check(c);   /* lower-records.c */
  lw_port_found(c);
  lw_vec_kind_names(c);   /* lower-kinds.c */
  VEC_FREE(c->port_types);
  VEC_FREE(c->port_in_types);
  VEC_FREE(c->port_eof_types);
  VEC_FREE(c->port_preds);
  VEC_FREE(c->port_pred_which);
  VEC_FREE(c->port_nodes);
  VEC_FREE(c->pu.memo);
  VEC_FREE(c->lift);
  VEC_FREE(c->gfns);
  VEC_FREE(c->pending);
  if (c->failed) {
    ir_free(c->p);
    return NULL;
  }
  find_recursion(c->p);
  return c->p;
}

/* A context whose program has its main function, named `name`, being
 * filled. */
static void begin_main(lw *c, world *w, lang_error *err, int name, srcloc loc) {
  memset(c, 0, sizeof *c);
  c->p = new_prog(w);
  c->w = w;
  c->err = err;
  c->pu.w = w;
  ir_fn main;
  memset(&main, 0, sizeof main);
  main.name = name;
  main.loc = loc;
  main.is_main = true;
  main.ret_type = lw_new_type(c, T_ANY);
  VEC_PUSH(c->p->fns, main);
  c->p->main_fn = 0;
  c->fn = 0;
}

static ir_prog *lower_main(world *w, const ast *expr, int frame_size,
                           bool discard, lang_error *err, bool conservative, bool rtstr,
                           bool raise, const port_pass *pp) {
  lw c;
  begin_main(&c, w, err, sym_intern(&w->syms, "main", 4), expr->loc);
  c.conservative = conservative;
  c.catch_raise = raise;
  c.p->has_rtstr = rtstr;
  c.p->port = *pp;
  c.port_form = true;
  frame_map *f = lw_new_frame(&c, NULL, frame_size, NULL);
  lw_mv_scan(&c, expr);   /* lower-values.c */
  cont k = {c.next_cont++, true, -1, -1};
  if (discard) {
    lw_lower_effect(&c, expr, f);
    if (!c.failed) {
      ir_expr *v = lw_void_expr(&c, expr->loc);
      lw_unify(&c, c.p->fns.v[0].ret_type, v->type, expr->loc, "the value");
      lw_emit(&c, S_RETURN, expr->loc)->a[0] = v;
    }
  } else {
    lw_lower_tail(&c, expr, f, k);
  }
  c.p->main_type = c.p->fns.v[0].ret_type;
  return finish(&c);
}

/* A program with tagged values is lowered again, every kind check
 * counted as one that may fail from the start: the first pass decided
 * the order of evaluation before it knew which classes hold tags. */
ir_prog *ir_lower_main(world *w, const ast *expr, int frame_size, bool discard,
                       lang_error *err) {
  /* (and one that makes strings at run time, from the start: member and
   * assoc lowered before it was known compare them by their text) */
  /* (and one whose kind checks a catch may take, with %catch-raise:
   * lower-wind.c lw_wind_landings) */
  bool cons = false, rt = false, raise = false;
  port_pass pp = {0};   /* (and string ports: lower-ports.c) */
  ir_prog *p = lower_main(w, expr, frame_size, discard, err, cons, rt, raise, &pp);
  while (p && ((p->has_dyn && !cons) || (p->has_rtstr && p->str_eqv_early && !rt) ||
               (p->wants_raise && !raise) || lw_port_again(p, &pp))) {
    cons = cons || p->has_dyn;
    rt = rt || (p->has_rtstr && p->str_eqv_early);
    raise = raise || p->wants_raise;
    ir_free(p);
    p = lower_main(w, expr, frame_size, discard, err, cons, rt, raise, &pp);
  }
  free((void *)pp.kinds);
  return p;
}

static ir_prog *lower_function(world *w, gcell *g, lang_error *err,
                               bool conservative, bool rtstr, bool raise,
                               const port_pass *pp);

ir_prog *ir_lower_function(world *w, gcell *g, lang_error *err) {
  bool cons = false, rt = false, raise = false;   /* as ir_lower_main */
  port_pass pp = {0};
  ir_prog *p = lower_function(w, g, err, cons, rt, raise, &pp);
  while (p && ((p->has_dyn && !cons) || (p->has_rtstr && p->str_eqv_early && !rt) ||
               (p->wants_raise && !raise) || lw_port_again(p, &pp))) {
    cons = cons || p->has_dyn;
    rt = rt || (p->has_rtstr && p->str_eqv_early);
    raise = raise || p->wants_raise;
    ir_free(p);
    p = lower_function(w, g, err, cons, rt, raise, &pp);
  }
  free((void *)pp.kinds);
  return p;
}

static ir_prog *lower_function(world *w, gcell *g, lang_error *err,
                               bool conservative, bool rtstr, bool raise,
                               const port_pass *pp) {
  lw c;
  begin_main(&c, w, err, g->name, g->fn->loc);
  c.conservative = conservative;
  c.catch_raise = raise;
  c.p->has_rtstr = rtstr;
  c.p->port = *pp;
  const fn_def *fn = g->fn;
  lw_mv_scan(&c, fn->body);   /* lower-values.c */
  ir_fn *M = &c.p->fns.v[0];
  M->nparams = fn->nparams;
  M->params = arena_alloc(&c.p->mem, (size_t)(fn->nparams + 1) * sizeof(int));
  ir_expr *args[64];
  if (fn->nparams > 64) {
    lw_fail(&c, fn->loc, "too many parameters for compiled code");
    return finish(&c);
  }
  for (int i = 0; i < fn->nparams; i++) {
    int v = lw_new_var(&c, fn->params[i], VAR_LOCAL, fn->param_locs[i]);
    c.p->fns.v[0].params[i] = v;
    args[i] = lw_var_expr(&c, v, fn->param_locs[i]);
  }
  ir_expr *v;
  if (lw_fn_pure(&c.pu, fn)) {
    v = lw_inline_call(&c, fn, args, NULL, fn->loc, 1, true);
  } else {
    v = lw_call_stmt(&c, lw_lower_global_fn(&c, g, fn->loc), args, fn->nparams, fn->loc);
  }
  if (!c.failed) {
    lw_unify(&c, c.p->fns.v[0].ret_type, v->type, fn->loc, "the value returned");
    lw_emit(&c, S_RETURN, fn->loc)->a[0] = v;
  }
  /* a parameter of open kind (a test of it, its display) compiles
   * differently for each kind: such calls are compiled with their
   * arguments, as programs of their own */
  lower_pending(&c);
  for (int i = 0; i < fn->nparams && !c.failed; i++)
    if (ir_kind(c.p, c.p->vars.v[c.p->fns.v[0].params[i]].type) == T_ANY) {
      lw_fail(&c, fn->param_locs[i], "the kind of parameter %s is not fixed by "
           "the body of %s", lw_nm(&c, fn->params[i]), lw_nm(&c, fn->name));
      c.err->kind = "incomplete";
    }
  c.p->main_type = c.p->fns.v[0].ret_type;
  return finish(&c);
}

void ir_free(ir_prog *p) {
  if (!p) return;
  for (int i = 0; i < p->fns.n; i++) VEC_FREE(p->fns.v[i].body);
  VEC_FREE(p->fns);
  VEC_FREE(p->vars);
  VEC_FREE(p->types);
  VEC_FREE(p->tables);
  VEC_FREE(p->globals);
  VEC_FREE(p->deps);
  VEC_FREE(p->failures);
  VEC_FREE(p->landings);
  VEC_FREE(p->failvals);
  VEC_FREE(p->hostops);
  VEC_FREE(p->procs);
  VEC_FREE(p->port_found);
  arena_free(&p->mem);
  free(p);
}

/* ---- listing -------------------------------------------------------- */

/* A vector class may hold itself (a tree of vectors: its element class is
 * its own), so the walk stops at a class met on the way down, written
 * "vec<...>", and at a depth bound. */
static void dump_type_in(const ir_prog *p, int t, strbuf *out, int *path, int depth) {
  tkind k = ir_kind(p, t);
  if (k == T_VEC) {
    int e = ir_elem_type(p, t);
    bool again = depth >= 8;
    for (int i = 0; i < depth && !again; i++) again = path[i] == e;
    sb_puts(out, "vec<");
    if (again || e < 0) {
      sb_puts(out, "...");
    } else {
      path[depth] = e;
      dump_type_in(p, e, out, path, depth + 1);
    }
    sb_putc(out, '>');
    return;
  }
  /* a pair's parts are not shown: the classes of lists are cyclic */
  static const char *const names[] = {"void", "int", "bool", "sym", "str", "vec", "dyn",
                                      "nil", "pair", "char", "proc"};
  sb_puts(out, k == T_ANY ? "?" : names[k]);
}

static void dump_type(const ir_prog *p, int t, strbuf *out) {
  int path[9] = {t};
  dump_type_in(p, t, out, path, 1);
}

static void dump_var(const ir_prog *p, int v, strbuf *out) {
  const ir_var *x = &p->vars.v[v];
  if (x->name >= 0) sb_printf(out, "%s", sym_name(&p->w->syms, x->name));
  else sb_puts(out, "t");
  sb_printf(out, "%s%d", x->cls == VAR_GLOBAL ? "@g" : "@", v);
}

static void dump_expr(const ir_prog *p, const ir_expr *e, ir_share *sh, strbuf *out) {
  int def, ref = ir_share_next(sh, e, &def);
  if (ref) {
    sb_printf(out, "#%d#", ref);
    return;
  }
  if (def) sb_printf(out, "#%d=", def);
  switch (e->k) {
  case X_CONST:
    switch (e->has_nat ? e->nat : ir_kind(p, e->type)) {
    case T_BOOL: sb_puts(out, e->ival ? "#t" : "#f"); break;
    case T_SYM: sb_printf(out, "'%s", sym_name(&p->w->syms, e->ival)); break;
    case T_STR: sb_printf(out, "\"%s\"", world_string(p->w, e->ival)); break;
    case T_VOID: sb_puts(out, "#<void>"); break;
    case T_NIL: sb_puts(out, "'()"); break;
    case T_CHAR: char_write(e->ival, out); break;
    default: sb_printf(out, "%d", (int)e->ival); break;
    }
    return;
  case X_VAR: dump_var(p, e->var, out); return;
  case X_PRIM: sb_printf(out, "(%s", e->op->name); break;
  case X_NOT: sb_puts(out, "(not"); break;
  case X_SEQ: sb_puts(out, "(seq"); break;
  case X_FAIL:
    sb_printf(out, "(fail \"%s\")", p->failures.v[e->ival].msg);
    return;
  case X_DEPTH:
    sb_printf(out, "(depth-check +%d)", (int)e->ival);
    return;
  case X_CHECK:
    sb_printf(out, "(check-%s", tkind_name((tkind)e->ival) + (e->ival == T_INT ? 3 : 2));
    break;
  case X_SELECT: sb_puts(out, "(select"); break;
  case X_VREF: sb_puts(out, "(vref"); break;
  case X_VLEN: sb_puts(out, "(vlen"); break;
  case X_CXR: sb_puts(out, e->ival ? "(cdr" : "(car"); break;
  case X_PROCID:
    if (e->ival < 0) sb_puts(out, "(procedure-id");
    else sb_printf(out, "(captured-%d", (int)e->ival);
    break;
  case X_TABLE: sb_printf(out, "(table %s", sym_name(&p->w->syms, e->table->name)); break;
  case X_CC:
    if (e->ival == CC_SP) {
      sb_puts(out, "SP");
      return;
    }
    sb_puts(out, e->ival == CC_ADDR ? "(continuation-address" : "(continuation-record");
    break;
  }
  for (int i = 0; i < e->n; i++) {
    sb_putc(out, ' ');
    dump_expr(p, e->a[i], sh, out);
  }
  sb_putc(out, ')');
}

/* An expression of a statement, with the values it computes once
 * labelled (lang/ir-share.c): "(seq #1=(table lookup x@0) (+ #1# 1))". */
static void dump_root(const ir_prog *p, const ir_expr *e, strbuf *out) {
  ir_share *sh = ir_share_new(p, &e, 1);
  dump_expr(p, e, sh, out);
  ir_share_free(sh);
}

void ir_dump(const ir_prog *p, strbuf *out) {
  for (int f = 0; f < p->fns.n; f++) {
    const ir_fn *F = &p->fns.v[f];
    sb_printf(out, "fn %s%s (", sym_name(&p->w->syms, F->name),
              F->recursive ? " [recursive]" : "");
    for (int i = 0; i < F->nparams; i++) {
      if (i) sb_putc(out, ' ');
      dump_var(p, F->params[i], out);
      sb_putc(out, ':');
      dump_type(p, p->vars.v[F->params[i]].type, out);
    }
    sb_puts(out, ") -> ");
    dump_type(p, F->ret_type, out);
    sb_putc(out, '\n');
    for (int i = 0; i < F->body.n; i++) {
      const ir_stmt *s = &F->body.v[i];
      if (s->k != S_LABEL) sb_puts(out, "    ");
      switch (s->k) {
      case S_ASSIGN:
        dump_var(p, s->var, out);
        sb_puts(out, " := ");
        dump_root(p, s->a[0], out);
        break;
      case S_EVAL: sb_puts(out, "eval "); dump_root(p, s->a[0], out); break;
      case S_VSET:
        sb_puts(out, "vset ");
        for (int k = 0; k < 3; k++) { dump_root(p, s->a[k], out); sb_putc(out, ' '); }
        if (s->chain) sb_printf(out, "(the store alone, at WADDR + %d)", s->chain);
        break;
      case S_MAKEVEC:
        dump_var(p, s->var, out);
        sb_puts(out, " := makevec ");
        dump_root(p, s->a[0], out);
        sb_putc(out, ' ');
        dump_root(p, s->a[1], out);
        if (s->nofill) sb_puts(out, " (elements written after)");
        break;
      case S_CONS:
        dump_var(p, s->var, out);
        sb_puts(out, " := cons ");
        dump_root(p, s->a[0], out);
        sb_putc(out, ' ');
        dump_root(p, s->a[1], out);
        break;
      case S_EQUAL:
        dump_var(p, s->var, out);
        sb_puts(out, " := equal? ");
        dump_root(p, s->a[0], out);
        sb_putc(out, ' ');
        dump_root(p, s->a[1], out);
        break;
      case S_PSET:
        sb_puts(out, s->l1 ? "set-cdr " : "set-car ");
        dump_root(p, s->a[0], out);
        sb_putc(out, ' ');
        dump_root(p, s->a[1], out);
        break;
      case S_CALL:
        if (s->var >= 0) { dump_var(p, s->var, out); sb_puts(out, " := "); }
        sb_printf(out, "call %s", sym_name(&p->w->syms, p->fns.v[s->fn].name));
        for (int k = 0; k < s->nargs; k++) { sb_putc(out, ' '); dump_root(p, s->args[k], out); }
        break;
      case S_EXTCALL:
        dump_var(p, s->var, out);
        sb_printf(out, " := extern %s", sym_name(&p->w->syms, s->ext->ext->name));
        for (int k = 0; k < s->nargs; k++) { sb_putc(out, ' '); dump_root(p, s->args[k], out); }
        break;
      case S_RETURN: sb_puts(out, "return "); dump_root(p, s->a[0], out); break;
      case S_DISPLAY: sb_puts(out, s->write ? "write " : "display "); dump_root(p, s->a[0], out); break;
      case S_NEWLINE: sb_puts(out, "newline"); break;
      case S_ERRTEXT:
        sb_puts(out, "error text ");
        if (s->a[0]) dump_root(p, s->a[0], out);
        else sb_printf(out, "\"%s\"", s->text);
        break;
      case S_BRANCH:
        sb_puts(out, "if ");
        dump_root(p, s->a[0], out);
        sb_printf(out, " goto L%d else L%d", s->l1, s->l2);
        break;
      case S_JUMP: sb_printf(out, "goto L%d", s->l1); break;
      case S_CALLV: sb_puts(out, "call through a value"); break;   /* expanded */
      case S_CLOSURE:
        dump_var(p, s->var, out);
        if (p->procs.v[s->l1 - 1].cc) {
          sb_puts(out, " := continuation");
          break;
        }
        sb_printf(out, " := closure %s", p->procs.v[s->l1 - 1].fn->name >= 0 ?
                  sym_name(&p->w->syms, p->procs.v[s->l1 - 1].fn->name) : "lambda");
        for (int k = 0; k < s->nargs; k++) { sb_putc(out, ' '); dump_root(p, s->args[k], out); }
        break;
      case S_CCSET:
        sb_puts(out, "continuation record ");
        dump_root(p, s->a[0], out);
        sb_puts(out, " := ");
        dump_root(p, s->a[1], out);
        break;
      case S_ESCAPE:
        sb_printf(out, "escape to %s L%d, SP := ", sym_name(&p->w->syms, p->fns.v[s->fn].name),
                  s->l1);
        dump_root(p, s->a[0], out);
        break;
      case S_LABEL: sb_printf(out, "  L%d:", s->l1); break;
      }
      sb_putc(out, '\n');
    }
  }
}
