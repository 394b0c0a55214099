/* checker-early.c - reads of letrec (body define) variables before their
 * definition.
 *
 * In Guile, reading a variable of a body whose define has not run yet is
 * an error ("Unbound variable").  The evaluator gives each such variable
 * a marker until its init runs (v_undefined) and compares the value with
 * it on the reads this pass marks (REF_EARLY_CHECK).  Compiled code has no
 * such marker: a read in the letrec's own inits, before the variable's
 * define, is known statically and compiled into the evaluator's error
 * (REF_EARLY_ALWAYS); a read from a procedure that an init may call
 * (directly by name, transitively, or through any call the checker cannot
 * follow, which may reach any procedure used as a value) is not, and
 * compiled code refuses the letrec rather than read a slot that holds no
 * value yet (ast.u.let.early_name, lang/checker.c's gate).
 *
 * A read from a procedure body in its own letrec's body is not early: the
 * body runs after every init.  A read in the direct code of a procedure
 * reached by a call is of another activation's variables, so only reads
 * from procedures nested in the letrec count. */
#include "config.h"

#include "checker-early.h"

#include <stdlib.h>

typedef struct {
  int var;          /* ea_var */
  ref_info *r;
  srcloc loc;
} ea_readrec;

typedef struct {
  int_vec calls;    /* units it calls by name (or runs: nested inits) */
  int_vec reads;    /* indices of ea.reads */
  bool unknown;     /* makes a call the checker cannot follow */
  bool escaped;     /* a procedure that is a value: any unknown call may run it */
  int init_var;     /* an init unit: its variable; -1 for a procedure */
  int home;         /* an init unit: the procedure unit it runs in */
} ea_unit;

typedef struct {
  ast *letrec;
  int k;             /* index in the letrec */
  bool assigned;     /* set! somewhere: a read in an init may follow it */
  bool nested_read;  /* read from a nested procedure */
} ea_var;

struct early_an {
  VEC(ea_unit) units;
  VEC(ea_var) vars;
  VEC(ea_readrec) reads, direct;
  int gen;
};

static _Thread_local int next_gen;

early_an *ea_new(void) {
  early_an *ea = calloc(1, sizeof *ea);
  if (!ea) abort();
  ea->gen = ++next_gen;
  if (ea->gen == 0) ea->gen = ++next_gen;   /* 0: a fn_def never seen */
  return ea;
}

void ea_free(early_an *ea) {
  if (!ea) return;
  for (int i = 0; i < ea->units.n; i++) {
    VEC_FREE(ea->units.v[i].calls);
    VEC_FREE(ea->units.v[i].reads);
  }
  VEC_FREE(ea->units);
  VEC_FREE(ea->vars);
  VEC_FREE(ea->reads);
  VEC_FREE(ea->direct);
  free(ea);
}

static int new_unit(early_an *ea, int init_var, int home) {
  ea_unit u = {{0}, {0}, false, false, init_var, home};
  VEC_PUSH(ea->units, u);
  return ea->units.n - 1;
}

int ea_fn_unit(early_an *ea, fn_def *fn) {
  if (fn->early_gen != ea->gen) {
    fn->early_gen = ea->gen;
    fn->early_unit = new_unit(ea, -1, -1);
  }
  return fn->early_unit;
}

int ea_letrec(early_an *ea, ast *letrec) {
  int first = ea->vars.n;
  letrec->u.let.early = false;
  for (int k = 0; k < letrec->u.let.n; k++) {
    ea_var v = {letrec, k, false, false};
    VEC_PUSH(ea->vars, v);
  }
  return first;
}

int ea_var_index(const early_an *ea, int var) { return ea->vars.v[var].k; }

int ea_init_unit(early_an *ea, int var, int unit) {
  int home = unit;
  bool nested = unit >= 0 && ea->units.v[unit].init_var >= 0;
  if (nested) home = ea->units.v[unit].home;
  int u = new_unit(ea, var, home);
  if (nested) VEC_PUSH(ea->units.v[unit].calls, u);   /* it runs this init */
  return u;
}

void ea_call(early_an *ea, int from, int to) {
  if (from < 0 || to < 0) return;
  int_vec *c = &ea->units.v[from].calls;
  for (int i = 0; i < c->n; i++)
    if (c->v[i] == to) return;
  VEC_PUSH(*c, to);
}

void ea_unknown(early_an *ea, int unit) {
  if (unit >= 0) ea->units.v[unit].unknown = true;
}

void ea_escape(early_an *ea, int unit) {
  if (unit >= 0) ea->units.v[unit].escaped = true;
}

void ea_assigned(early_an *ea, int var) { ea->vars.v[var].assigned = true; }

void ea_read(early_an *ea, int unit, int var, ref_info *r, srcloc loc) {
  ea_readrec x = {var, r, loc};
  VEC_PUSH(ea->reads, x);
  ea->vars.v[var].nested_read = true;
  if (unit >= 0) VEC_PUSH(ea->units.v[unit].reads, ea->reads.n - 1);
}

void ea_direct(early_an *ea, int var, ref_info *r, srcloc loc) {
  ea_readrec x = {var, r, loc};
  VEC_PUSH(ea->direct, x);
}

static void refuse(const early_an *ea, int var, srcloc loc) {
  ast *l = ea->vars.v[var].letrec;
  if (l->u.let.early) return;
  l->u.let.early = true;
  l->u.let.early_name = l->u.let.v[ea->vars.v[var].k].name;
  l->u.let.early_loc = loc;
}

/* Whether some letrec variable of init unit p's letrec, at or after p's
 * own, is read by code the init may run: the first such read, or -1. */
static int early_read_from(early_an *ea, int p, int *stamp, int_vec *work) {
  const ea_var *pv = &ea->vars.v[ea->units.v[p].init_var];
  work->n = 0;
  VEC_PUSH(*work, p);
  stamp[p] = p + 1;
  bool escapes_added = false;
  for (int w = 0; w < work->n; w++) {
    const ea_unit *u = &ea->units.v[work->v[w]];
    for (int i = 0; i < u->reads.n; i++) {
      const ea_readrec *rd = &ea->reads.v[u->reads.v[i]];
      const ea_var *v = &ea->vars.v[rd->var];
      if (v->letrec == pv->letrec && (v->k >= pv->k || v->letrec->u.let.parallel))
        return u->reads.v[i];
    }
    for (int i = 0; i < u->calls.n; i++)
      if (stamp[u->calls.v[i]] != p + 1) {
        stamp[u->calls.v[i]] = p + 1;
        VEC_PUSH(*work, u->calls.v[i]);
      }
    if (u->unknown && !escapes_added) {
      escapes_added = true;
      for (int e = 0; e < ea->units.n; e++)
        if (ea->units.v[e].escaped && stamp[e] != p + 1) {
          stamp[e] = p + 1;
          VEC_PUSH(*work, e);
        }
    }
  }
  return -1;
}

void ea_finish(early_an *ea, const world *w) {
  (void)w;
  for (int i = 0; i < ea->direct.n; i++) {
    const ea_readrec *d = &ea->direct.v[i];
    if (ea->vars.v[d->var].assigned) {
      /* a set! may have given it a value first: checked when run */
      d->r->early = REF_EARLY_CHECK;
      refuse(ea, d->var, d->loc);
    } else {
      d->r->early = REF_EARLY_ALWAYS;
    }
  }
  for (int i = 0; i < ea->reads.n; i++) ea->reads.v[i].r->early = REF_EARLY_CHECK;
  /* an init's unknown calls are its procedure's: a call of that
   * procedure (another activation) may run them */
  for (int i = 0; i < ea->units.n; i++) {
    const ea_unit *u = &ea->units.v[i];
    if (u->init_var >= 0 && u->unknown && u->home >= 0)
      ea->units.v[u->home].unknown = true;
  }
  if (!ea->reads.n) return;
  int *stamp = calloc((size_t)ea->units.n + 1, sizeof *stamp);
  if (!stamp) abort();
  int_vec work = {0};
  for (int p = 0; p < ea->units.n; p++) {
    int var = ea->units.v[p].init_var;
    if (var < 0) continue;
    /* only letrecs whose variables nested procedures read */
    const ea_var *pv = &ea->vars.v[var];
    bool any = false;
    for (int k = pv->letrec->u.let.parallel ? 0 : pv->k; k < pv->letrec->u.let.n && !any; k++)
      any = ea->vars.v[var - pv->k + k].nested_read;
    if (!any || pv->letrec->u.let.early) continue;
    int rd = early_read_from(ea, p, stamp, &work);
    if (rd >= 0) refuse(ea, ea->reads.v[rd].var, ea->reads.v[rd].loc);
  }
  VEC_FREE(work);
  free(stamp);
}
