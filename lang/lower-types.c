/* lower-types.c - the kind classes of the lowering: union-find.
 *
 * Every IR value has a type: an index into the program's type table
 * (ir.h ir_type).  lw_unify joins two classes as the lowering meets them;
 * a class remembers its kind, its element class (vectors), its car and cdr
 * classes (pairs), the procedures it may hold and whether it is a port.
 * lw_type_of_value gives the class of a constant (a quoted list, a global's
 * value) by walking it.  Where two kinds meet, lower-kinds.c makes the class
 * tagged (T_DYN).
 *
 * Ownership: the type table lives in the program (ir_prog); nothing here
 * allocates outside it.
 */
#include "config.h"

#include "lower.h"
#include "lower-ports.h"

#include "records.h"

#include <limits.h>
#include <string.h>

int lw_new_type(lw *c, tkind k) {
  if (k == T_NIL || k == T_PAIR) c->p->has_lists = true;
  ir_type t = {c->p->types.n, k, -1, -1, -1, {-1, 0, 0}, 0, false, false, 0};
  VEC_PUSH(c->p->types, t);
  return c->p->types.n - 1;
}

static int find(ir_prog *p, int t) {
  while (p->types.v[t].parent != t) {
    p->types.v[t].parent = p->types.v[p->types.v[t].parent].parent;
    t = p->types.v[t].parent;
  }
  return t;
}

tkind ir_kind(const ir_prog *p, int t) {
  if (t < 0) return T_ANY;
  return p->types.v[find((ir_prog *)p, t)].k;
}

bool ir_is_port(const ir_prog *p, int t) {
  return t >= 0 && p->types.v[find((ir_prog *)p, t)].port;
}

int ir_elem_type(const ir_prog *p, int t) {
  if (t < 0) return -1;
  return p->types.v[find((ir_prog *)p, t)].elem;
}

void ir_share_parts(ir_prog *p, int dst, int src) {
  if (dst < 0 || src < 0) return;
  const ir_type *s = &p->types.v[find(p, src)];
  ir_type *d = &p->types.v[find(p, dst)];
  d->elem = s->elem;
  d->car = s->car;
  d->cdr = s->cdr;
  if (s->rec) d->rec = true;   /* a record's class (lower-records.c) */
  if (s->rec && !d->rec_tid) d->rec_tid = s->rec_tid;
}

bool ir_is_rec(const ir_prog *p, int t) {
  if (t < 0) return false;
  const ir_type *r = &p->types.v[find((ir_prog *)p, t)];
  return p->types.v[t].rec || r->rec;
}

const char *ir_vec_kind_name(const ir_prog *p, int t) {
  if (ir_is_port(p, t)) return "a port";
  if (!ir_is_rec(p, t)) return NULL;
  int tid = p->types.v[t].rec_tid;
  if (!tid) tid = p->types.v[find((ir_prog *)p, t)].rec_tid;
  return tid == INT_MIN ? "a record" : rec_kind_name(tid);
}

uint64_t ir_proc_set(const ir_prog *p, int t) {
  if (t < 0) return 0;
  return p->types.v[find((ir_prog *)p, t)].procs;
}

int ir_pair_type(const ir_prog *p, int t, bool cdr) {
  if (t < 0) return -1;
  const ir_type *r = &p->types.v[find((ir_prog *)p, t)];
  return cdr ? r->cdr : r->car;
}

const char *tkind_name(tkind k) {
  switch (k) {
  case T_VOID: return "the unspecified value";
  case T_INT: return "an integer";
  case T_BOOL: return "a boolean";
  case T_SYM: return "a symbol";
  case T_STR: return "a string";
  case T_VEC: return "a vector";
  case T_NIL: return "the empty list";
  case T_PAIR: return "a pair";
  case T_CHAR: return "a character";
  case T_PROC: return "a procedure";
  case T_DYN: return "a value of any kind";
  default: return "a value of unknown kind";
  }
}

/* Two kinds meet in one class: kinds that differ make it T_DYN (its
 * values carry their kind); a vector's element class, or the one of the
 * vectors a T_DYN class holds, is kept and unified, and so are the car
 * and cdr classes of pairs.  The second class joins the first before
 * their parts are unified, so that cyclic classes (lists) end. */
bool lw_unify(lw *c, int a, int b, srcloc loc, const char *what) {
  ir_prog *p = c->p;
  if (a < 0 || b < 0) return true;   /* no type yet: nothing to agree on */
  a = find(p, a);
  b = find(p, b);
  if (a == b) return true;
  ir_type *ta = &p->types.v[a], *tb = &p->types.v[b];
  if (ta->k == T_ANY || tb->k == T_ANY) {
    /* the unknown one joins the other; parts it was given already (the
     * car class of a list walked before its kind was known) join the
     * other's, or they would be lost */
    int keep = ta->k == T_ANY ? b : a, gone = ta->k == T_ANY ? a : b;
    ir_type *tg = &p->types.v[gone];
    int pg[3] = {tg->elem, tg->car, tg->cdr};
    tg->parent = keep;
    p->types.v[keep].procs |= tg->procs;
    bool ok = true;
    for (int i = 0; i < 3; i++) {
      if (pg[i] < 0) continue;
      ir_type *r = &p->types.v[keep];
      int *have = i == 0 ? &r->elem : i == 1 ? &r->car : &r->cdr;
      if (*have < 0) *have = pg[i];
      else ok &= lw_unify(c, *have, pg[i], loc, what);
    }
    return ok;
  }
  ta->procs |= tb->procs;
  if (ta->k != tb->k) ta->k = T_DYN;
  int pa[3] = {ta->elem, ta->car, ta->cdr}, pb[3] = {tb->elem, tb->car, tb->cdr};
  tb->parent = a;
  bool ok = true;
  for (int i = 0; i < 3; i++) {
    if (pa[i] < 0) {
      ir_type *r = &p->types.v[a];
      if (i == 0) r->elem = pb[i];
      else if (i == 1) r->car = pb[i];
      else r->cdr = pb[i];
      continue;
    }
    if (pb[i] >= 0) ok &= lw_unify(c, pa[i], pb[i], loc, what);
  }
  return ok;
}

int lw_elem_of(lw *c, int t) {
  if (t < 0) return -1;
  int r = find(c->p, t);
  if (c->p->types.v[r].elem < 0) {
    int e = lw_new_type(c, T_ANY);   /* may move the array */
    c->p->types.v[r].elem = e;
  }
  return c->p->types.v[r].elem;
}

int lw_pair_part(lw *c, int t, bool cdr) {
  if (t < 0) return -1;
  int r = find(c->p, t);
  int have = cdr ? c->p->types.v[r].cdr : c->p->types.v[r].car;
  if (have >= 0) return have;
  int e = lw_new_type(c, T_ANY);   /* may move the array */
  if (cdr) c->p->types.v[r].cdr = e;
  else c->p->types.v[r].car = e;
  return e;
}

int lw_type_of_kind(lw *c, tkind k) {
  if (k == T_VEC) {
    int t = lw_new_type(c, T_VEC);
    int elem = lw_new_type(c, T_ANY);   /* may move the array: assign after */
    c->p->types.v[t].elem = elem;
    return t;
  }
  if (k == T_PAIR) {
    int t = lw_new_type(c, T_PAIR);
    lw_pair_part(c, t, false);
    lw_pair_part(c, t, true);
    return t;
  }
  return lw_new_type(c, k);
}

bool lw_want(lw *c, const ir_expr *e, tkind k, const char *what) {
  return lw_unify(c, e->type, lw_type_of_kind(c, k), e->loc, what);
}

/* A pair of the world: its class is a pair whose car class holds every
 * car along the cdrs, and whose cdr class the pairs that follow (one
 * class for the whole spine: a walk, not a recursion, however long the
 * list) and what ends it.  Every pair gets one class wherever it is met
 * (lower-valtype.c): a pair met again, or a list that comes back, unifies
 * with its class, and one met while its own parts are walked makes the
 * program's values possibly circular. */
/* Data nested deeper than DEEP_DATA (a list in a list ... through cars
 * or elements) gets one class per kind below that depth, a class that
 * holds itself, as a procedure that walks it makes: a class per level
 * would cost the model a width per level (a 500-deep literal, equal? of
 * two 7-deep globals were refused as too large). */
#define DEEP_DATA 4

static int deep_class(lw *c, tkind k, int depth) {
  int *have = k == T_PAIR ? &c->deep_pair : &c->deep_vec;
  if (depth <= DEEP_DATA) return lw_type_of_kind(c, k);
  if (!*have) *have = lw_type_of_kind(c, k) + 1;
  return *have - 1;
}

static int type_of_list(lw *c, value v, int depth) {
  bool busy;
  int m = lw_vmemo_get(c, v.vec, &busy);
  if (m >= 0) {
    if (busy) c->p->circular_global = true;
    return m;
  }
  int t = deep_class(c, T_PAIR, depth);
  int car = lw_pair_part(c, t, false), cdr = lw_pair_part(c, t, true);
  srcloc none = {-1, 0, 0};
  lw_vmemo_put(c, v.vec, t, true);
  value x = v;
  bool spine = false, shared = false;
  int64_t walked = 1;
  for (; x.kind == VK_PAIR && !c->failed;) {
    if (depth < 100000)
      lw_unify(c, car, lw_type_of_value(c, V_CAR(x), depth + 1), none,
               "an element of a global list");
    else
      c->p->circular_global = true;   /* not followed: may come back */
    x = V_CDR(x);
    if (x.kind != VK_PAIR) break;
    if (!spine) {
      /* the pairs that follow: one class, the cdr's */
      int q = lw_new_type(c, T_PAIR);
      c->p->types.v[q].car = car;
      c->p->types.v[q].cdr = cdr;
      lw_unify(c, cdr, q, none, "a global list");
      spine = true;
    }
    int seen = lw_vmemo_get(c, x.vec, &busy);
    if (seen >= 0) {   /* shared, or circular */
      if (busy) c->p->circular_global = true;
      lw_unify(c, cdr, seen, none, "a global list");
      shared = true;
      break;
    }
    lw_vmemo_put(c, x.vec, cdr, true);
    walked++;
  }
  if (!shared && !c->failed)
    lw_unify(c, cdr, lw_type_of_value(c, x, depth + 1), none, "a global list");
  /* done: the walked pairs are no longer open */
  value y = v;
  for (int64_t i = 0; i < walked; i++, y = V_CDR(y))
    lw_vmemo_put(c, y.vec, i ? cdr : t, false);
  return t;
}

/* The kind of a value the world holds (a global's current value). */
int lw_type_of_value(lw *c, value v, int depth) {
  switch ((vkind)v.kind) {
  case VK_INT: return lw_new_type(c, T_INT);
  case VK_BOOL: return lw_new_type(c, T_BOOL);
  case VK_SYM: return lw_new_type(c, T_SYM);
  case VK_STR:
    if (v.vec) c->p->has_rtstr = true;   /* a string made at run time */
    return lw_new_type(c, T_STR);
  case VK_VOID: return lw_new_type(c, T_VOID);
  case VK_VEC: {
    bool busy;
    int m = lw_vmemo_get(c, v.vec, &busy);   /* one class per object */
    if (m >= 0) {
      if (busy) c->p->circular_global = true;
      return m;
    }
    int t = deep_class(c, T_VEC, depth);
    int elem = lw_elem_of(c, t);
    lw_vmemo_put(c, v.vec, t, true);
    if (depth >= 100000 && v.vec->n) c->p->circular_global = true;   /* not followed */
    for (int32_t i = 0; i < v.vec->n && depth < 100000 && !c->failed; i++)
      lw_unify(c, elem, lw_type_of_value(c, v.vec->items[i], depth + 1),
            (srcloc){-1, 0, 0}, "an element of a global vector");
    lw_vmemo_put(c, v.vec, t, false);
    return t;
  }
  case VK_NIL: return lw_new_type(c, T_NIL);
  case VK_PAIR: return type_of_list(c, v, depth);
  case VK_CHAR:
    c->p->has_chars = true;
    return lw_new_type(c, T_CHAR);
  case VK_PROC: return lw_type_of_proc(c, v);
  case VK_BOX: {   /* a closure's captured box: a vector of one (lower-box.c) */
    bool busy;   /* the getter's and the setter's box: one class */
    int t = lw_vmemo_get(c, v.vec, &busy);
    if (t >= 0) {
      if (busy) c->p->circular_global = true;
      return t;
    }
    t = lw_type_of_kind(c, T_VEC);
    lw_vmemo_put(c, v.vec, t, true);
    if (v.vec && v.vec->n == 1 && depth < 100000)
      lw_unify(c, c->p->types.v[t].elem, lw_type_of_value(c, v.vec->items[0], depth + 1),
               (srcloc){-1, 0, 0}, "a captured variable");
    lw_vmemo_put(c, v.vec, t, false);
    return t;
  }
  case VK_PORT:   /* an output string port: lower-ports.c */
    if (v.vec && v.vec->n == 1 && depth < 100000) return lw_port_type_of(c, v.vec, depth);
    break;
  case VK_EOF: return lw_eof_type(c);   /* lower-ports.c */
  case VK_REC: return lw_record_type_of(c, v, depth);   /* lower-records.c */
  case VK_BIG: break;   /* --bignum: the evaluator's only (docs/bignum.md) */
  }
  return lw_new_type(c, T_ANY);
}
