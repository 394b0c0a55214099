/* mstrings.c - equal? on strings in compiled code.
 *
 * A compiled string is the number of its literal (its STR token), and
 * each literal is its own object, as in the evaluator and Guile: eq? and
 * eqv? compare those numbers.  equal? compares characters, so two
 * literals of the same text must be equal?: before comparing, each
 * operand that may be a string goes to the first literal of its text
 * (the program's strings are known when it is compiled): v + sum over the
 * literals i that repeat an earlier text c of [v = i] (c - i), one
 * equality unit per such literal, for a tagged value the same on the
 * string tag's numbers (other kinds never equal them).  A program whose
 * strings are all different pays nothing.
 *
 * Ownership: nothing kept; the units belong to the step being built.
 */
#include "config.h"

#include "mbuild.h"

#include <string.h>

cval mx_string_canon(mb *b, const ir_expr *x, cval v) {
  tkind k = ir_kind(b->ir, x->type);
  if (k != T_STR && k != T_DYN) return v;
  gate_graph *gg = b->gg;
  double base = k == T_DYN ? dyn_base(TAG_STR) : 0;
  const mprog *p = b->p;
  gform f = v.f;
  for (int i = 1; i < p->strs.n; i++) {
    const char *s = world_string(p->w, p->strs.v[i]);
    int c = i;
    for (int j = 0; j < i && c == i; j++)
      if (!strcmp(s, world_string(p->w, p->strs.v[j]))) c = j;
    if (c == i) continue;
    double at = base + i;
    if (v.hi < at || v.lo > at) continue;
    gform eq = gf_gate(gg, gg_eqk(gg, "the same text", v.f, at));
    f = gf_axpy(gg, f, (double)(c - i), eq);
  }
  cval r = v;
  r.f = f;
  r.clean = false;
  return r;
}
