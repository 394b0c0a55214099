/* lower-kinds.c - kinds the lowering cannot fix statically.
 *
 * Kinds are inferred by unification (lower-types.c); where two kinds meet in
 * one class, the class becomes T_DYN: its values carry their kind as a
 * tag (ir.h, docs/trace-format.md).  An operand of a builtin that needs
 * one kind is wrapped in X_CHECK: when the lowering finishes, a check
 * whose operand has that kind is removed (statically kinded programs
 * compile exactly as before), one on a tagged operand tests the tag, and
 * one on an operand fixed to another kind always fails where it is
 * reached, with the evaluator's text and position (a branch never taken
 * may hold it: the form is not refused).
 *
 * Ownership: as in lower.c; everything is allocated in the program.
 */
#include "config.h"

#include "lower.h"

#include <string.h>

static const char *want_text(tkind k) {
  switch (k) {
  case T_INT: return "an integer";
  case T_VEC: return "a vector";
  case T_BOOL: return "a boolean";
  case T_STR: return "a string";
  case T_SYM: return "a symbol";
  case T_PAIR: return "a pair";
  case T_CHAR: return "a character";
  case T_PROC: return "a procedure";
  default: return "a value";
  }
}

/* Class x (new, of kind k) shares the parts of e's class: the elements
 * of a vector, the car and cdr of a pair. */
static void share_parts(lw *c, int x, int e, tkind k) {
  if (k == T_VEC) {
    int el = lw_elem_of(c, e);
    c->p->types.v[x].elem = el;
    if (e >= 0) {   /* a view of a class of records is one (lower-records.c) */
      VEC_PUSH(c->vec_views, x);
      VEC_PUSH(c->vec_views, e);
    }
  } else if (k == T_PAIR) {
    int a = lw_pair_part(c, e, false), d = lw_pair_part(c, e, true);
    c->p->types.v[x].car = a;
    c->p->types.v[x].cdr = d;
  } else if (k == T_PROC) {   /* the procedures it may be (lower-closure.c) */
    c->p->types.v[x].procs = ir_proc_set(c->p, e);
    /* and those that reach e's class later (a lambda lowered after this
     * function, whose value is passed to it): lw_proc_flow */
    if (e >= 0) {
      VEC_PUSH(c->proc_flow, x);
      VEC_PUSH(c->proc_flow, e);
    }
  }
}

/* The procedures of each operand's class join its check's class: until
 * nothing changes.  Whether any set grew. */
bool lw_proc_flow(lw *c) {
  bool grew = false;
  for (bool again = true; again;) {
    again = false;
    for (int i = 0; i + 1 < c->proc_flow.n; i += 2) {
      int to = c->proc_flow.v[i];
      uint64_t from = ir_proc_set(c->p, c->proc_flow.v[i + 1]);
      if (from & ~ir_proc_set(c->p, to)) {
        int t = lw_new_type(c, T_PROC);   /* those procedures: they join */
        c->p->types.v[t].procs = from;
        srcloc none = {-1, 0, 0};
        lw_unify(c, to, t, none, "a procedure");
        again = grew = true;
      }
    }
  }
  return grew;
}

static ir_expr *checked_arg(lw *c, const ast *call, const char *fn, ir_expr **args, int i,
                            tkind k, bool want);

ir_expr *lw_checked_arg(lw *c, const ast *call, const char *fn, ir_expr **args,
                        int i, tkind k) {
  return checked_arg(c, call, fn, args, i, k, true);
}

/* The same check, the argument's kind left as it is: for an argument that
 * may be of another kind where the check is not reached (a comparison's
 * later arguments, lower-pairwise.c). */
ir_expr *lw_checked_arg_late(lw *c, const ast *call, const char *fn, ir_expr **args,
                             int i, tkind k) {
  return checked_arg(c, call, fn, args, i, k, false);
}

static ir_expr *checked_arg(lw *c, const ast *call, const char *fn, ir_expr **args, int i,
                            tkind k, bool want) {
  ir_expr *e = args[i];
  tkind have = ir_kind(c->p, e->type);
  if (want && (have == T_ANY || have == k || have == T_DYN))
    lw_want(c, e, k, "an argument");
  /* the argument as written in the call (an inlined parameter's value
   * carries the caller's position) */
  srcloc at = i < call->u.call.n ? call->u.call.args[i]->loc : call->loc;
  ir_expr *x = lw_mk(c, X_CHECK, at, 1);
  x->a[0] = e;
  x->ival = k;
  x->has_nat = true;
  x->nat = k;
  x->type = lw_type_of_kind(c, k);
  share_parts(c, x->type, e->type, k);
  ir_failure f = {"type", NULL, false};
  strbuf m;
  sb_init(&m);
  sb_printf(&m, "%s: argument %d must be %s", fn, i + 1, want_text(k));
  f.msg = arena_strdup(&c->p->mem, m.s);
  sb_free(&m);
  VEC_PUSH(c->p->failures, f);
  x->var = c->p->failures.n - 1;
  return x;
}

/* ---- when the lowering finishes ------------------------------------- */

/* The value of a constant operand, as the evaluator shows it in the
 * message (" (#f)"). */
static void const_text(lw *c, const ir_expr *e, strbuf *out) {
  if (e->k != X_CONST || !e->has_nat) return;
  value v;
  switch (e->nat) {
  case T_INT: v = v_int(e->ival); break;
  case T_BOOL: v = v_bool(e->ival != 0); break;
  case T_SYM: v = v_sym(e->ival); break;
  case T_STR: v = v_str(e->ival); break;
  case T_CHAR: v = v_char(e->ival); break;
  case T_PROC: {   /* lower-closure.c */
    strbuf t;
    sb_init(&t);
    ir_proc_text(c->p, e->ival, &t);
    sb_printf(out, " (%s)", t.s);
    sb_free(&t);
    return;
  }
  default: return;
  }
  strbuf t;
  sb_init(&t);
  value_print(c->w, v, &t, true);
  if (t.n > 60) {
    t.n = 57;
    sb_puts(&t, "...");
  }
  sb_printf(out, " (%s)", t.s);
  sb_free(&t);
}

/* A check that always fails names the kind it found, as the evaluator. */
static void complete_message(lw *c, ir_expr *x, tkind have) {
  ir_failure *f = &c->p->failures.v[x->var];
  strbuf m;
  sb_init(&m);
  if (f->bare) {
    /* a list error: the argument as written, when it is a constant */
    strbuf t;
    sb_init(&t);
    const_text(c, x->a[1], &t);
    if (t.n < 3) {
      sb_free(&t);
      sb_free(&m);
      return;   /* known when the program runs: its report prints it */
    }
    sb_printf(&m, "%s %.*s", f->msg, (int)t.n - 3, t.s + 2);
    f->msg = arena_strdup(&c->p->mem, m.s);
    f->bare = false;
    sb_free(&t);
    sb_free(&m);
    return;
  }
  sb_printf(&m, "%s, not %s", f->msg, tkind_name(have));
  if (have == T_VEC) {   /* perhaps a record, or a port: lw_vec_kind_names */
    struct vec_msg vm = {x->var, x->a[0]->type, (int)(m.n - strlen(tkind_name(have)))};
    VEC_PUSH(c->vec_msgs, vm);
  }
  const_text(c, x->a[0], &m);
  f->msg = arena_strdup(&c->p->mem, m.s);
  sb_free(&m);
}

ir_expr *lw_retype(lw *c, ir_expr *e, tkind k) {
  ir_expr *x = lw_mk(c, X_CHECK, e->loc, 1);
  x->a[0] = e;
  x->ival = k;
  x->var = -1;
  x->has_nat = true;
  x->nat = k;
  x->type = lw_type_of_kind(c, k);
  share_parts(c, x->type, e->type, k);
  return x;
}

/* Whether check x passes through its operand unchanged: the operand has
 * the kind x wants, and x's own value is not tagged. */
static bool transparent(lw *c, const ir_expr *x) {
  tkind have = ir_kind(c->p, x->a[0]->type);
  return (have == T_ANY || have == (tkind)x->ival) && ir_kind(c->p, x->type) != T_DYN;
}

static ir_expr *settle(lw *c, ir_expr *e, int depth);

/* e, or what replaces it: a check its operand always passes. */
static ir_expr *settle_check(lw *c, ir_expr *x, int depth) {
  for (int i = 0; i < x->n; i++) x->a[i] = settle(c, x->a[i], depth + 1);
  if (transparent(c, x)) return x->a[0];
  tkind have = ir_kind(c->p, x->a[0]->type);
  if (have != T_DYN && have != T_ANY && have != (tkind)x->ival && x->var >= 0)
    complete_message(c, x, have);
  return x;
}

static ir_expr *settle(lw *c, ir_expr *e, int depth) {
  if (!e || depth > 10000) return e;
  if (e->k == X_CHECK) {
    if (e->mark) {
      /* seen: it stayed, or its operand replaces it */
      return transparent(c, e) ? e->a[0] : e;
    }
    e->mark = true;
    return settle_check(c, e, depth);
  }
  if (e->mark) return e;
  e->mark = true;
  for (int i = 0; i < e->n; i++) e->a[i] = settle(c, e->a[i], depth + 1);
  return e;
}

/* When the classes of records and string ports are known (at the end of
 * the lowering): "not a vector" of a failure whose operand is a record
 * or a port says so, as the evaluator's message. */
void lw_vec_kind_names(lw *c) {
  for (int i = 0; i < c->vec_msgs.n; i++) {
    const struct vec_msg *vm = &c->vec_msgs.v[i];
    const char *name = ir_vec_kind_name(c->p, vm->type);
    ir_failure *f = &c->p->failures.v[vm->fail];
    const char *old = tkind_name(T_VEC);
    size_t n = strlen(old);
    if (!name || strlen(f->msg) < (size_t)vm->at + n || strncmp(f->msg + vm->at, old, n)) continue;
    strbuf m;
    sb_init(&m);
    sb_printf(&m, "%.*s%s%s", vm->at, f->msg, name, f->msg + vm->at + n);
    f->msg = arena_strdup(&c->p->mem, m.s);
    sb_free(&m);
  }
  VEC_FREE(c->vec_msgs);
}

void lw_settle_kinds(lw *c) {
  ir_prog *p = c->p;
  for (int f = 0; f < p->fns.n; f++)
    for (int s = 0; s < p->fns.v[f].body.n; s++) {
      ir_stmt *st = &p->fns.v[f].body.v[s];
      for (int k = 0; k < 3; k++) st->a[k] = settle(c, st->a[k], 0);
      for (int k = 0; k < st->nargs; k++) st->args[k] = settle(c, st->args[k], 0);
    }
  for (int t = 0; t < p->types.n; t++)
    if (ir_kind(p, t) == T_DYN) p->has_dyn = true;
}
