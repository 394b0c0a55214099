/* mcatch.c - a builtin's error that a catch takes, in the machine
 * (lang/lower-wind.c lw_wind_landings makes the landings).
 *
 * A kind check that may fail has, in a program whose catches may take
 * its error (their handlers ignoring the arguments), a landing in its
 * function: statements that send the error to the catch that takes its
 * key, or stop as the check did.  The check's failure
 * makes its step jump to the landing's first step (an eflag with a jump,
 * as a kind error's report: backend/machine.c build_output) instead of
 * emitting ERR or jumping to the report; the landing's own copy of the
 * check stops the machine as before.  Nothing jumps to a landing in the
 * steps' code, so the optimiser keeps them as it keeps reports, and they
 * are found again after it renumbers the steps.  Programs without a
 * catch have none.
 */
#include "config.h"

#include "mbuild.h"

void mb_mark_landings(mb *b) {
  const ir_prog *ir = b->ir;
  for (int i = 0; i < ir->landings.n; i++) {
    const struct ir_landing *d = &ir->landings.v[i];
    int pc = b->fn_labels[d->fn][d->label];
    if (pc >= 0 && pc < b->ms.n) b->ms.v[pc].landing = i + 1;
  }
}

void mb_find_landings(mb *b) {
  int n = b->ir->landings.n;
  if (!n) return;
  b->landing_pc = xmalloc((size_t)n * sizeof(int));
  for (int i = 0; i < n; i++) b->landing_pc[i] = -1;
  for (int s = 0; s < b->ms.n; s++)
    if (b->ms.v[s].landing) b->landing_pc[b->ms.v[s].landing - 1] = s;
}

static int landing_pc(mb *b, const ir_expr *check, bool vset) {
  if (!b->landing_pc) return -1;
  int fn = b->ms.v[b->cur_step].fn;
  const ir_prog *ir = b->ir;
  for (int i = 0; i < ir->landings.n; i++)
    if (ir->landings.v[i].check == check && ir->landings.v[i].fn == fn &&
        ir->landings.v[i].vset == vset)
      return b->landing_pc[i];
  return -1;
}

int mb_landing_pc(mb *b, const ir_expr *check) { return landing_pc(b, check, false); }

bool mx_catch_vset_flag(mb *b, gform flag, const ir_expr *index) {
  int pc = landing_pc(b, index, true);
  if (pc < 0) return false;
  double k;
  if (gf_is_const(flag, &k) && k == 0) return true;
  eflag e = {.flag = flag, .site = -1, .guard = b->guard, .nguard = b->nguard, .jump = pc + 1};
  VEC_PUSH(b->flags, e);
  return true;
}

bool mx_catch_flag(mb *b, gform flag, const ir_expr *node) {
  int pc = node ? mb_landing_pc(b, node) : -1;
  if (pc < 0) return false;
  double k;
  if (gf_is_const(flag, &k) && k == 0) return true;
  eflag e = {.flag = flag, .site = -1, .guard = b->guard, .nguard = b->nguard, .jump = pc + 1};
  VEC_PUSH(b->flags, e);
  return true;
}
