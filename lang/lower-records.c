/* lower-records.c - SRFI-9 records in compiled code.
 *
 * define-record-type becomes procedures that call the hidden record
 * builtins (lang/expand-records.c, lang/records.c).  Compiled code holds
 * a record as a vector block [tid, field 1, ..., field n]: %record-make
 * makes one as `vector` does, %record-slot and %record-set! read and write
 * an element, and %record-is is
 *
 *     (vector? x) ? (vector-ref x 0) == tid : #f
 *
 * (a select: the read's errors are gated by the test).  The classes
 * (ir_type) that hold records are marked `rec` when the lowering ends:
 * the class of every block %record-make makes, and every class it is
 * unified with.  Such a class holds records and never a vector: so a
 * tagged value of it whose tag is the vector's is a record, `vector?` of
 * it is #f (rewritten here into the constant), and the backend displays
 * its blocks as records (backend/machine.c, mrecords.c) and compares them
 * element-wise for equal? (the tid first: records of one type with equal
 * fields, as in Guile).  %record-is of a class that holds no record is
 * the constant #f.  What would break this is refused ("not compiled to
 * the transformer yet"): a vector made by the program, or any vector
 * operation, on a class that holds records.
 *
 * Hash tables and promises are records of built-in types of negative
 * tids (lib/prelude-lib.c, lang/records.h): `record?` is the vector test
 * and element 0 above 0, and a %record-make of such a type adds its tid
 * to the world's list of types, which compiled display tests.  Each
 * class of records keeps the tid of its records (ir_type.rec_tid, INT_MIN
 * for several), so that a kind error names "a hash table" as the
 * evaluator does (lw_vec_kind_names).  The classes of vector checks of
 * a class of records (its views: vector->list's operand, a retyped
 * value) hold records too, and a class that reaches records through one
 * holds them: marked both ways when the lowering ends.
 *
 * %record-fail raises the evaluator's text: "struct-vtable: Wrong type
 * argument in position 1 (expecting struct): V" for a value that is no
 * record (a branch on vector?), else "ACCESSOR: Wrong type argument: V",
 * V written into the message by S_ERRTEXT (as lower-error.c does).
 *
 * Ownership: as in lower.c; everything is allocated in the program.
 */
#include "config.h"

#include "lower.h"
#include "lower-build.h"
#include "records.h"

#include <limits.h>
#include <string.h>

static const char rec_mark[] = "(record)";   /* ir_stmt.text of ours */

static bool named(const builtin *b, const char *name) { return b && !strcmp(b->name, name); }

bool lw_record_effect_name(const char *name) {
  return !strcmp(name, "%record-make") || !strcmp(name, "%record-set!") ||
         !strcmp(name, "%record-fail");
}

static void ours(lw *c, const ir_expr *e) { VEC_PUSH(c->rec_nodes, e); }

/* The constant integer operand i of call a (the expander writes them). */
static int32_t const_arg(const ast *a, int i) {
  const ast *x = a->u.call.args[i];
  return x->kind == E_CONST && x->u.k.kind == VK_INT ? x->u.k.i : 0;
}

/* vector-ref x i, x a record the caller tested (or a refusal's class) */
static ir_expr *slot(lw *c, const ast *a, ir_expr **args, ir_expr *x, int32_t i) {
  ir_expr *e = lw_mk(c, X_VREF, a->loc, 2);
  ir_expr *ops[1] = {x};
  e->a[0] = lw_checked_arg(c, a, "vector-ref", ops, 0, T_VEC);
  ours(c, e->a[0]);
  e->a[1] = kint(c, i, a->loc);
  e->type = lw_elem_of(c, x->type);
  (void)args;
  ours(c, e);
  return e;
}

static ir_expr *is_vector(lw *c, ir_expr *x, srcloc loc) {
  ir_expr *e = prim(c, "vector?", x, NULL, T_BOOL, loc);
  ours(c, e);
  return e;
}

/* (%record-is x tid), (record? x) */
static ir_expr *record_is(lw *c, const ast *a, ir_expr **args, bool any) {
  ir_expr *x = args[0];
  tkind k = ir_kind(c->p, x->type);
  if (k != T_ANY && k != T_VEC && k != T_DYN) return kbool(c, false, a->loc);
  ir_expr *test = is_vector(c, x, a->loc);
  ir_expr *e;
  if (any) {
    /* record?: define-record-type's (tid from 1), not a built-in type's */
    e = lw_mk(c, X_SELECT, a->loc, 3);
    e->a[0] = test;
    e->a[1] = prim(c, "<", kint(c, 0, a->loc), slot(c, a, args, x, 0), T_BOOL, a->loc);
    e->a[2] = kbool(c, false, a->loc);
    e->type = lw_new_type(c, T_BOOL);
    e->has_nat = true;
    e->nat = T_BOOL;
  } else {
    ir_expr *eq = prim(c, "eqv?", slot(c, a, args, x, 0), kint(c, const_arg(a, 1), a->loc),
                       T_BOOL, a->loc);
    e = lw_mk(c, X_SELECT, a->loc, 3);
    e->a[0] = test;
    e->a[1] = eq;
    e->a[2] = kbool(c, false, a->loc);
    e->type = lw_new_type(c, T_BOOL);
    e->has_nat = true;
    e->nat = T_BOOL;
  }
  VEC_PUSH(c->rec_preds, e);
  VEC_PUSH(c->rec_pred_types, x->type);
  return e;
}

ir_expr *lw_record_prim(lw *c, const ast *a, const builtin *b, ir_expr **args, int n) {
  (void)n;
  if (named(b, "%record-is")) return record_is(c, a, args, false);
  if (named(b, "record?")) return record_is(c, a, args, true);
  if (named(b, "%record-slot")) return slot(c, a, args, args[0], const_arg(a, 1));
  return NULL;
}

static ir_expr *record_make(lw *c, const ast *a, frame_map *f) {
  int n = a->u.call.n;
  ir_expr *elems[257];
  if (n > 257) {
    lw_fail(c, a->loc, "a record of more than 256 fields in compiled code");
    return lw_void_expr(c, a->loc);
  }
  for (int i = 0; i < n && !c->failed; i++) {
    ir_expr *x = lw_lower_value(c, a->u.call.args[i], f);
    if (c->failed) break;
    /* pinned: later operands' statements must not change it */
    elems[i] = var(c, assign_new(c, x, a->u.call.args[i]->loc), a->u.call.args[i]->loc);
  }
  if (c->failed) return lw_void_expr(c, a->loc);
  /* a built-in type (a hash table, a promise): compiled display tests
   * the types of the world's list, which define-record-type fills */
  int tid = const_arg(a, 0);
  bool listed = tid > 0;
  for (int i = 0; i < c->w->rec_tids.n && !listed; i++) listed = c->w->rec_tids.v[i] == tid;
  if (!listed) VEC_PUSH(c->w->rec_tids, tid);
  int tmp = temp(c, a->loc);
  int vt = lw_type_of_kind(c, T_VEC);
  c->p->vars.v[tmp].type = vt;
  ir_stmt *s = lw_emit(c, S_MAKEVEC, a->loc);
  s->var = tmp;
  s->a[0] = kint(c, n, a->loc);
  s->a[1] = elems[0];
  s->text = rec_mark;
  lw_unify(c, ir_elem_type(c->p, vt), elems[0]->type, a->loc, "a record's field");
  for (int i = 1; i < n; i++) {
    ir_stmt *vs = lw_emit(c, S_VSET, a->loc);
    vs->a[0] = var(c, tmp, a->loc);
    vs->a[1] = kint(c, i, a->loc);
    vs->a[2] = elems[i];
    vs->text = rec_mark;
    lw_unify(c, ir_elem_type(c->p, c->p->vars.v[tmp].type), elems[i]->type, a->loc,
             "a record's field");
  }
  VEC_PUSH(c->rec_types, vt);
  VEC_PUSH(c->rec_type_tids, tid);
  ir_expr *r = lw_retype(c, var(c, tmp, a->loc), T_VEC);
  ours(c, r);
  VEC_PUSH(c->rec_types, r->type);
  VEC_PUSH(c->rec_type_tids, tid);
  return r;
}

static ir_expr *record_set(lw *c, const ast *a, frame_map *f) {
  ir_expr *args[3];
  for (int i = 0; i < 3 && !c->failed; i++) {
    ir_expr *x = lw_lower_value(c, a->u.call.args[i], f);
    if (c->failed) break;
    args[i] = var(c, assign_new(c, x, a->u.call.args[i]->loc), a->u.call.args[i]->loc);
  }
  if (c->failed) return lw_void_expr(c, a->loc);
  ir_expr *ops[1] = {args[0]};
  ir_expr *v = lw_checked_arg(c, a, "vector-set!", ops, 0, T_VEC);
  ours(c, v);
  lw_unify(c, lw_elem_of(c, args[0]->type), args[2]->type, a->loc, "a record's field");
  c->p->sets_parts = true;
  ir_stmt *s = lw_emit(c, S_VSET, a->loc);
  s->a[0] = v;
  s->a[1] = kint(c, const_arg(a, 1), a->loc);
  s->a[2] = args[2];
  s->text = rec_mark;
  return lw_void_expr(c, a->loc);
}

/* An X_FAIL of a bare failure whose text the S_ERRTEXT before it wrote. */
static ir_expr *raise_here(lw *c, srcloc at, const char *msg) {
  ir_failure fl = {"type", arena_strdup(&c->p->mem, msg), true};
  VEC_PUSH(c->p->failures, fl);
  ir_expr *e = lw_mk(c, X_FAIL, at, 0);
  e->type = lw_new_type(c, T_ANY);
  e->ival = c->p->failures.n - 1;
  VEC_PUSH(c->fail_types, e->type);
  lw_emit(c, S_EVAL, at)->a[0] = e;
  return e;
}

static void errtext(lw *c, ir_expr *x, srcloc loc) {
  ir_stmt *s = lw_emit(c, S_ERRTEXT, loc);
  s->a[0] = x;
  s->write = true;
}

static ir_expr *record_fail(lw *c, const ast *a, frame_map *f) {
  ir_expr *x = lw_lower_value(c, a->u.call.args[0], f);
  if (c->failed) return lw_void_expr(c, a->loc);
  srcloc at = arg_loc(a, 0);
  int t = assign_new(c, x, at);
  tkind k = ir_kind(c->p, c->p->vars.v[t].type);
  char msg[200];
  snprintf(msg, sizeof msg, "%s", rec_fail_text(const_arg(a, 1), const_arg(a, 2), ""));
  msg[strlen(msg) - 1] = 0;   /* the space comes with the value's text */
  if (k == T_ANY || k == T_VEC || k == T_DYN) {
    int rec = lw_new_label(c), other = lw_new_label(c);
    /* a record (a vector of a class of records); a vector of another
     * class is no record: settled when the lowering ends */
    ir_expr *test = is_vector(c, var(c, t, at), at);
    VEC_PUSH(c->rec_preds, test);
    VEC_PUSH(c->rec_pred_types, test->a[0]->type);
    branch(c, test, rec, other, at);
    lw_label(c, rec, at);
    errtext(c, var(c, t, at), at);
    raise_here(c, at, msg);
    lw_label(c, other, at);
  }
  snprintf(msg, sizeof msg, "%s", rec_fail_text(0, 0, ""));
  msg[strlen(msg) - 1] = 0;
  errtext(c, var(c, t, at), at);
  return raise_here(c, at, msg);
}

ir_expr *lw_record_effect(lw *c, const ast *a, frame_map *f) {
  const builtin *b = a->u.call.r.bi;
  if (named(b, "%record-make")) return record_make(c, a, f);
  if (named(b, "%record-set!")) return record_set(c, a, f);
  if (named(b, "%record-fail")) return record_fail(c, a, f);
  return NULL;
}

/* ---- when the lowering ends ------------------------------------------- */

static int root_of(const ir_prog *p, int t) {
  while (t >= 0 && p->types.v[t].parent != t) t = p->types.v[t].parent;
  return t;
}

typedef struct {
  lw *c;
  const bool *rec;   /* per class root */
  const char *why;
  srcloc at;
} rcheck;

static bool is_rec(rcheck *k, int t) { return t >= 0 && k->rec[t]; }

static bool mine(rcheck *k, const ir_expr *e) {
  for (int i = 0; i < k->c->rec_nodes.n; i++)
    if (k->c->rec_nodes.v[i] == e) return true;
  return false;
}

static void expr_walk(rcheck *k, ir_expr *e, int depth) {
  if (!e || k->why || depth > 10000) return;
  switch (e->k) {
  case X_PRIM:
    if (e->op && !strcmp(e->op->name, "vector?") && e->n == 1 && is_rec(k, e->a[0]->type) &&
        !mine(k, e)) {
      e->k = X_CONST;   /* a class of records holds no vector */
      e->ival = 0;
      e->n = 0;
      e->op = NULL;
      e->has_nat = true;
      e->nat = T_BOOL;
      return;
    }
    if (e->op && !strcmp(e->op->name, "vector-length") && is_rec(k, e->a[0]->type))
      k->why = "records used as vectors";
    break;
  case X_VLEN:
    if (is_rec(k, e->a[0]->type)) k->why = "records used as vectors";
    break;
  case X_VREF:
    if (is_rec(k, e->a[0]->type) && !mine(k, e)) k->why = "records used as vectors";
    break;
  case X_CHECK:
    /* a check for a vector (vector->list's, ...): its vector is a view
     * of the class, not marked itself */
    if (e->ival == T_VEC && is_rec(k, e->a[0]->type) && !mine(k, e))
      k->why = "records used as vectors";
    break;
  default:
    break;
  }
  for (int i = 0; i < e->n; i++) expr_walk(k, e->a[i], depth + 1);
}

static void stmt_walk(rcheck *k, ir_stmt *s) {
  bool m = s->text == rec_mark;
  switch (s->k) {
  case S_MAKEVEC:
    if (!m && is_rec(k, k->c->p->vars.v[s->var].type)) k->why = "vectors mixed with records";
    break;
  case S_VSET:
    if (!m && is_rec(k, s->a[0]->type)) k->why = "records used as vectors";
    break;
  default:
    break;
  }
  for (int i = 0; i < 3 && !k->why; i++) expr_walk(k, s->a[i], 0);
  for (int i = 0; i < s->nargs && !k->why; i++) expr_walk(k, s->args[i], 0);
}

void lw_record_check(lw *c) {
  ir_prog *p = c->p;
  if (!c->failed && (c->rec_types.n || c->rec_preds.n)) {
    size_t nt = (size_t)p->types.n + 1;
    bool *rec = xcalloc(nt, 1);
    for (int i = 0; i < c->rec_types.n; i++) {
      int r = root_of(p, c->rec_types.v[i]), tid = c->rec_type_tids.v[i];
      p->types.v[r].rec = true;
      int *have = &p->types.v[r].rec_tid;
      *have = !*have || *have == tid ? tid : INT_MIN;
    }
    /* the vector views of a class of records hold records too (a
     * check's class, vector->list's operand): until nothing changes */
    for (bool more = true; more;) {
      more = false;
      for (int i = 0; i + 1 < 2 * c->vec_views.n; i += 2) {
        /* both ways: a check passes its operand's value through, so a
         * vector that reaches records through a check's class (a vector
         * in a list of records) is one of them */
        bool back = i >= c->vec_views.n;
        int j = back ? i - c->vec_views.n : i;
        int x = root_of(p, c->vec_views.v[j + back]), e = root_of(p, c->vec_views.v[j + !back]);
        if (!p->types.v[e].rec || (p->types.v[x].rec && p->types.v[x].rec_tid == p->types.v[e].rec_tid))
          continue;
        int *have = &p->types.v[x].rec_tid, tid = p->types.v[e].rec_tid;
        if (p->types.v[x].rec && *have != tid) {
          if (*have == INT_MIN) continue;
          *have = INT_MIN;
        } else {
          *have = tid;
        }
        p->types.v[x].rec = true;
        more = true;
      }
    }
    for (int t = 0; t < p->types.n; t++) rec[t] = ir_is_rec(p, t);
    for (int t = 0; t < p->types.n; t++) p->types.v[t].rec = rec[t];
    rcheck k = {c, rec, NULL, {-1, 0, 0}};
    /* a record test of a class that holds no record: #f in a top-level
     * form; a procedure's own model (its parameters' values come from
     * callers it does not see) compiles with its callers instead */
    for (int i = 0; i < c->rec_preds.n && !k.why; i++) {
      ir_expr *e = c->rec_preds.v[i];
      if (rec[c->rec_pred_types.v[i]]) continue;
      if (!c->port_form) {
        k.why = "record procedures compiled on their own";
        break;
      }
      e->k = X_CONST;
      e->ival = 0;
      e->n = 0;
      e->op = NULL;
      e->has_nat = true;
      e->nat = T_BOOL;
    }
    for (int f = 0; f < p->fns.n && !k.why; f++)
      for (int i = 0; i < p->fns.v[f].body.n && !k.why; i++) {
        ir_stmt *s = &p->fns.v[f].body.v[i];
        stmt_walk(&k, s);
        if (k.why) k.at = s->loc;
      }
    for (int v = 0; v < p->vars.n && !k.why; v++) {
      /* a global that holds a vector of the world, in a class of records */
      const ir_var *x = &p->vars.v[v];
      if ((x->konst || (x->cls == VAR_GLOBAL && x->cell && x->cell->kind == G_VAR &&
                        x->cell->val.kind == VK_VEC)) && is_rec(&k, x->type)) {
        k.why = "vectors mixed with records";
        k.at = x->loc;
      }
    }
    if (k.why) {
      lw_fail(c, k.at.line > 0 ? k.at : p->fns.v[0].loc,
              "%s are not compiled to the transformer yet (run with --reference to use the "
              "evaluator)", k.why);
      if (!c->port_form) c->err->kind = "incomplete";
    }
    free(rec);
  }
  VEC_FREE(c->rec_types);
  VEC_FREE(c->rec_type_tids);
  VEC_FREE(c->vec_views);
  VEC_FREE(c->rec_preds);
  VEC_FREE(c->rec_pred_types);
  VEC_FREE(c->rec_nodes);
}

/* The class of a record the world holds (a global's value): a vector
 * class, marked as records'. */
int lw_record_type_of(lw *c, value v, int depth) {
  value w = v;
  w.kind = VK_VEC;
  int t = lw_type_of_value(c, w, depth);
  VEC_PUSH(c->rec_types, t);
  VEC_PUSH(c->rec_type_tids, (int)v.vec->items[0].i);
  return t;
}
