/* expand-records.c - (define-record-type TYPE (CTOR FIELD ...) PRED
 * (FIELD ACCESSOR [MODIFIER]) ...), SRFI-9 as Guile 3.0 has it, rewritten
 * into plain definitions of procedures whose bodies call the hidden record
 * builtins (lang/records.c) with the new type's number:
 *
 *   (define (CTOR f ...) (%record-make TID f-or-#f ...))   fields in spec order
 *   (define (PRED o) (%record-is o TID))
 *   (define (ACC o) (if (%record-is o TID) (%record-slot o I)
 *                       (%record-fail o TID I)))
 *   (define (MOD o v) (if (%record-is o TID) (%record-set! o I v)
 *                         (%record-fail o TID -I)))
 *
 * A field the constructor does not take starts as #f (Guile 3.0.8 leaves
 * it so).  The builtins are called through EX_BUILTIN_HEAD, so that a
 * program's own definitions never change what the procedures do.  TYPE
 * itself is not bound (Guile binds it to the record type descriptor).
 * Also the module names use-modules accepts for records.
 */
#include "config.h"

#include "expander.h"
#include "records.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define mk ex_mk
#define sym_at ex_mk_sym

#define int_at ex_mk_int

static sx *list_at(ex *e, int n, srcloc loc, ...) {
  sx *s = ex_mk_list(e, n, loc);
  va_list ap;
  va_start(ap, loc);
  for (int i = 0; i < n; i++) s->u.list.v[i] = va_arg(ap, sx *);
  va_end(ap);
  return s;
}

static sx *bi(ex *e, const char *name, srcloc loc) {
  char buf[64];
  snprintf(buf, sizeof buf, "%s%s", EX_BUILTIN_HEAD, name);
  return sym_at(e, buf, loc);
}

static const char *name_of(ex *e, const sx *s) { return sym_name(&e->w->syms, s->u.sym); }

bool ex_records_module(ex *e, const sx *m) {
  if (m->kind != SX_LIST || m->u.list.tail || m->u.list.n < 2 || m->u.list.n > 3) return false;
  if (!ex_is_sym(e, m->u.list.v[0], "srfi") || !ex_is_sym(e, m->u.list.v[1], "srfi-9"))
    return false;
  return m->u.list.n == 2 || ex_is_sym(e, m->u.list.v[2], "gnu");
}

ast *ex_define_record_type(ex *e, const sx *s) {
  if (e->depth > 0)
    return ex_bad(e, s->loc, "define-record-type is only allowed at top level or "
                             "among the definitions of a body");
  sx *out = ex_record_defs(e, s);
  return out ? ex_expand(e, out) : NULL;
}

/* The definitions as one (begin (define ...) ...), NULL after an error.
 * In a body they are the body's internal definitions (expander.c splices
 * the begin); the type is made once, when the body is expanded, where
 * Guile makes a new one each time the body runs (no program tells them
 * apart but by mixing records of two runs). */
sx *ex_record_defs(ex *e, const sx *s) {
  int n = s->u.list.n;
  const char *usage = "malformed define-record-type: expected (define-record-type "
                      "type (constructor field ...) predicate (field accessor [modifier]) ...)";
  if (n < 3) return ex_bad(e, s->loc, "%s", usage), NULL;
  sx *const *v = s->u.list.v;
  if (v[1]->kind != SX_SYM) return ex_bad(e, v[1]->loc, "%s", usage), NULL;
  const sx *ctor = v[2];
  bool has_ctor = !(ctor->kind == SX_BOOL && !ctor->u.b);
  if (has_ctor && (ctor->kind != SX_LIST || ctor->u.list.tail || ctor->u.list.n < 1 ||
                   ctor->u.list.v[0]->kind != SX_SYM))
    return ex_bad(e, ctor->loc, "%s", usage), NULL;
  const sx *pred = n > 3 ? v[3] : NULL;
  if (pred && pred->kind != SX_SYM && !(pred->kind == SX_BOOL && !pred->u.b))
    return ex_bad(e, pred->loc, "%s", usage), NULL;
  int nf = n > 4 ? n - 4 : 0;
  const char **fields = arena_alloc(e->mem, (size_t)(nf + 1) * sizeof *fields);
  const char **getters = arena_alloc(e->mem, (size_t)(nf + 1) * sizeof *getters);
  const char **setters = arena_alloc(e->mem, (size_t)(nf + 1) * sizeof *setters);
  for (int i = 0; i < nf; i++) {
    const sx *f = v[4 + i];
    if (f->kind == SX_SYM) f = list_at(e, 1, f->loc, (sx *)f);   /* a bare field name */
    if (f->kind != SX_LIST || f->u.list.tail || f->u.list.n < 1 || f->u.list.n > 3)
      return ex_bad(e, f->loc, "%s", usage), NULL;
    for (int j = 0; j < f->u.list.n; j++)
      if (f->u.list.v[j]->kind != SX_SYM) return ex_bad(e, f->u.list.v[j]->loc, "%s", usage), NULL;
    fields[i] = name_of(e, f->u.list.v[0]);
    for (int j = 0; j < i; j++)
      if (!strcmp(fields[j], fields[i]))
        return ex_bad(e, f->loc, "define-record-type: field '%s' appears twice", fields[i]), NULL;
    getters[i] = f->u.list.n > 1 ? name_of(e, f->u.list.v[1]) : NULL;
    setters[i] = f->u.list.n > 2 ? name_of(e, f->u.list.v[2]) : NULL;
  }
  /* the constructor's parameters are fields, each once */
  int np = has_ctor ? ctor->u.list.n - 1 : 0;
  int *param_field = arena_alloc(e->mem, (size_t)(np + 1) * sizeof *param_field);
  for (int j = 0; j < np; j++) {
    const sx *p = ctor->u.list.v[1 + j];
    if (p->kind != SX_SYM) return ex_bad(e, p->loc, "%s", usage), NULL;
    param_field[j] = -1;
    for (int i = 0; i < nf; i++)
      if (!strcmp(fields[i], name_of(e, p))) param_field[j] = i;
    if (param_field[j] < 0)
      return ex_bad(e, p->loc, "define-record-type: the constructor's '%s' is not a field",
                    name_of(e, p)), NULL;
    for (int k = 0; k < j; k++)
      if (param_field[k] == param_field[j])
        return ex_bad(e, p->loc, "define-record-type: the constructor takes '%s' twice",
                      name_of(e, p)), NULL;
  }
  int tid = rec_type_new(name_of(e, v[1]), nf, fields, getters, setters);
  VEC_PUSH(e->w->rec_tids, tid);   /* compiled display tests this world's types */
  srcloc at = s->loc;
  int ndefs = (has_ctor ? 1 : 0) + (pred && pred->kind == SX_SYM ? 1 : 0);
  for (int i = 0; i < nf; i++) ndefs += (getters[i] != NULL) + (setters[i] != NULL);
  sx *out = mk(e, SX_LIST, at);
  out->u.list.n = 1 + ndefs + 1;
  out->u.list.v = arena_alloc(e->mem, (size_t)(ndefs + 2) * sizeof(sx *));
  out->u.list.v[0] = sym_at(e, "begin", at);
  int k = 1;
  if (has_ctor) {
    srcloc cl = ctor->loc;
    sx *call = mk(e, SX_LIST, cl);
    call->u.list.n = 2 + nf;
    call->u.list.v = arena_alloc(e->mem, (size_t)(nf + 2) * sizeof(sx *));
    call->u.list.v[0] = bi(e, "%record-make", cl);
    call->u.list.v[1] = int_at(e, tid, cl);
    for (int i = 0; i < nf; i++) {
      sx *x = mk(e, SX_BOOL, cl);   /* #f unless the constructor takes it */
      for (int j = 0; j < np; j++)
        if (param_field[j] == i) x = ctor->u.list.v[1 + j];
      call->u.list.v[2 + i] = x;
    }
    out->u.list.v[k++] = list_at(e, 3, cl, sym_at(e, "define", cl), (sx *)ctor, call);
  }
  sx *o = sym_at(e, "obj", at), *val = sym_at(e, "value", at);
  if (pred && pred->kind == SX_SYM) {
    srcloc pl = pred->loc;
    out->u.list.v[k++] = list_at(
        e, 3, pl, sym_at(e, "define", pl), list_at(e, 2, pl, (sx *)pred, o),
        list_at(e, 3, pl, bi(e, "%record-is", pl), o, int_at(e, tid, pl)));
  }
  for (int i = 0; i < nf; i++)
    for (int m = 0; m < 2; m++) {
      const char *proc = m ? setters[i] : getters[i];
      if (!proc) continue;
      const sx *f = v[4 + i];
      const sx *name = f->u.list.v[1 + m];
      srcloc fl = name->loc;
      sx *ao = sym_at(e, "obj", fl);   /* its errors point at the accessor's name */
      sx *test = list_at(e, 3, fl, bi(e, "%record-is", fl), ao, int_at(e, tid, fl));
      sx *yes = m ? list_at(e, 4, fl, bi(e, "%record-set!", fl), ao, int_at(e, i + 1, fl), val)
                  : list_at(e, 3, fl, bi(e, "%record-slot", fl), ao, int_at(e, i + 1, fl));
      sx *no = list_at(e, 4, fl, bi(e, "%record-fail", fl), ao, int_at(e, tid, fl),
                       int_at(e, m ? -(i + 1) : i + 1, fl));
      sx *head = m ? list_at(e, 3, fl, (sx *)name, ao, val) : list_at(e, 2, fl, (sx *)name, ao);
      out->u.list.v[k++] = list_at(e, 3, fl, sym_at(e, "define", fl), head,
                                   list_at(e, 4, fl, sym_at(e, "if", fl), test, yes, no));
    }
  if (k == 1)   /* nothing to define: the unspecified value */
    out->u.list.v[k++] = list_at(e, 3, at, sym_at(e, "if", at), mk(e, SX_BOOL, at),
                                 mk(e, SX_BOOL, at));
  out->u.list.n = k;
  return out;
}
