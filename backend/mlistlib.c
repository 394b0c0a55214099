/* mlistlib.c - the text of a list procedure's error (S_ERRTEXT).
 *
 * The list library of compiled code (lang/lower-listlib.c) builds the
 * message of some errors as it runs: the value a message names is only
 * known then ("length: argument 1 must be a proper list, not (1 . 2)",
 * "list-ref: index 7 is out of range for this list"), and a circular
 * list is written with datum labels, which the lowering spells out
 * piece by piece.  Each S_ERRTEXT statement becomes steps that print, as
 * `write` does, into the error's text instead of the output (the steps'
 * errval flag, as a kind error's report has: docs/trace-format.md); the
 * X_FAIL that follows raises an error whose site says its text follows
 * (mb_printed_site).
 *
 * Ownership: steps and sites belong to the builder and the program, as
 * every other step's.
 */
#include "config.h"

#include "mbuild.h"

#include <string.h>

void mb_expand_errtext(mb *b, const ir_stmt *s, int f) {
  int start = b->ms.n;
  if (s->a[0] && mb_symbol_errtext(b, s, f)) {   /* msymbols.c */
  } else if (s->a[0]) {
    mb_print_errtext(b, true);
    mb_display(b, s->a[0], s->write, f, s->loc);
    mb_print_errtext(b, false);
  } else {
    mstmt *m = mb_step(b, M_OUTSTR, f, s->loc);
    m->konst = mb_str_const(b, s->text);
    m->what = mb_describe(b, "error text");
  }
  for (int i = start; i < b->ms.n; i++) b->ms.v[i].errval = true;
}

int mb_printed_site(mb *b, const char *kind, srcloc loc, const char *msg) {
  err_site e = {.kind = kind, .msg = xstrdup(msg), .loc = loc, .value_follows = true, .value_bare = true, .value_slots = false};
  VEC_PUSH(b->p->sites, e);
  return b->p->sites.n - 1;
}
