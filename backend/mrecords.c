/* mrecords.c - display and write of a record in compiled code
 * (lang/lower-records.c): a vector block [tid, field ...] of a class of
 * records prints as Guile prints a record, "#<point x: 1 y: 5>", each
 * field as write shows it (under display too).  The type is known only
 * when the step runs: a chain of tests of element 0 against each record
 * type defined so far (lang/records.c), each leading to the type's name
 * and field names (constant text) and its fields' own display steps.
 *
 * Ownership: steps and temporaries belong to the builder.
 */
#include "config.h"

#include "mbuild.h"
#include "lang/records.h"

#include <stdio.h>

enum { MAX_TYPES = 64 };   /* types a record display tests (more: refused) */

static ir_expr *elem(mb *b, int v, int vt, int i) {
  ir_expr *x = mb_mkx(b, X_VREF, ir_elem_type(b->ir, vt), 2);
  x->a[0] = mb_var_ref(b, v);
  x->a[1] = mb_int_const(b, i);
  return x;
}

static void out_text(mb *b, const char *s, int fn, srcloc loc) {
  mstmt *m = mb_step(b, M_OUTSTR, fn, loc);
  m->konst = mb_str_const(b, s);
}

void mb_display_record(mb *b, ir_expr *e, bool write, int fn, srcloc loc, int depth) {
  (void)write;
  /* the types of this program's world only: the registry is
   * process-wide, and a process may hold many worlds, one after another
   * (the differential tests) or at once (the library's sessions) */
  const world *w = b->p->w;
  int ntypes = w->rec_tids.n;
  if (ntypes > MAX_TYPES) {
    mb_fail(b, "records of more than %d record types cannot be displayed", MAX_TYPES);
    return;
  }
  int vt = e->type;
  int v = mb_temp(b, vt, "display:record");
  mstmt *m = mb_step(b, M_WRITE, fn, loc);
  mb_set_target(b, m, v);
  m->val = e;
  m->what = mb_describe(b, "display: take the record");
  int ends[MAX_TYPES + 1], nend = 0;
  for (int k = 0; k < ntypes && !b->failed; k++) {
    int tid = w->rec_tids.v[k];
    const rec_type *t = rec_type_at(tid);
    ir_expr *is = mb_mkx(b, X_PRIM, mb_kind_type(b, T_BOOL), 2);
    is->op = builtin_find("eqv?");
    is->a[0] = elem(b, v, vt, 0);
    is->a[1] = mb_int_const(b, tid);
    m = mb_step(b, M_BRANCH, fn, loc);
    m->val = is;
    m->what = mb_describe(b, "display: a record of type %s?", t->name);
    int br = b->ms.n - 1;
    b->ms.v[br].l1 = b->ms.n;
    b->ms.v[br].l1_is_pc = true;
    char head[300];
    if (t->pieces) {   /* a built-in type: its pieces and fields */
      for (int i = 0; i < t->nshow && !b->failed; i++) {
        out_text(b, t->pieces[i], fn, loc);
        mb_display_at(b, elem(b, v, vt, t->show[i]), true, fn, loc, depth + 1);
      }
      out_text(b, t->pieces[t->nshow], fn, loc);
      ends[nend++] = b->ms.n;
      mb_step(b, M_JUMP, fn, loc);
      b->ms.v[br].l2 = b->ms.n;
      b->ms.v[br].l2_is_pc = true;
      continue;
    }
    snprintf(head, sizeof head, "#<%s", t->name);
    out_text(b, head, fn, loc);
    for (int i = 0; i < t->nfields && !b->failed; i++) {
      snprintf(head, sizeof head, " %s: ", t->fields[i]);
      out_text(b, head, fn, loc);
      mb_display_at(b, elem(b, v, vt, i + 1), true, fn, loc, depth + 1);
    }
    out_text(b, ">", fn, loc);
    ends[nend++] = b->ms.n;
    mb_step(b, M_JUMP, fn, loc);
    b->ms.v[br].l2 = b->ms.n;
    b->ms.v[br].l2_is_pc = true;
  }
  out_text(b, "#<record>", fn, loc);   /* not reached: every type was tested */
  for (int i = 0; i < nend; i++) {
    b->ms.v[ends[i]].l1 = b->ms.n;
    b->ms.v[ends[i]].l1_is_pc = true;
  }
}
