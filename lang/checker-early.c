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
  int_vec creators; /* escaped: the units where it becomes a value */
} ea_unit;

typedef struct {
  ast *letrec;
  int k;             /* index in the letrec */
  bool assigned;     /* set! somewhere: a read in an init may follow it */
  bool nested_read;  /* read from a nested procedure */
  int init_unit;     /* its init's unit; -1: a procedure binding */
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
    VEC_FREE(ea->units.v[i].creators);
  }
  VEC_FREE(ea->units);
  VEC_FREE(ea->vars);
  VEC_FREE(ea->reads);
  VEC_FREE(ea->direct);
  free(ea);
}

static int new_unit(early_an *ea, int init_var, int home) {
  ea_unit u = {{0}, {0}, false, false, init_var, home, {0}};
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
    ea_var v = {letrec, k, false, false, -1};
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
  ea->vars.v[var].init_unit = u;
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

void ea_escape(early_an *ea, int unit, int creator) {
  if (unit < 0) return;
  ea_unit *u = &ea->units.v[unit];
  u->escaped = true;
  if (creator < 0) return;   /* top-level code: never in an init */
  for (int i = 0; i < u->creators.n; i++)
    if (u->creators.v[i] == creator) return;
  VEC_PUSH(u->creators, creator);
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

typedef struct {
  early_an *ea;
  int *seen, *ran;   /* stamps: visited from this init; run by an init so far */
  int stamp, ran_stamp;
  int_vec work;
} walk;

static void visit(walk *w, int u) {
  if (w->seen[u] == w->stamp) return;
  w->seen[u] = w->stamp;
  w->ran[u] = w->ran_stamp;
  VEC_PUSH(w->work, u);
}

/* The code init unit p may run: what it calls by name, transitively, and
 * where a call cannot be followed, every procedure value made by code the
 * inits of this letrec may have run so far.  (One made elsewhere is made
 * either outside the letrec's scope, and cannot name what it holds, or in
 * its body, which runs after every init: for an earlier activation too.)
 * The first read of a variable of the letrec that has no value yet, or
 * -1. */
static int early_read_from(walk *w, int p) {
  early_an *ea = w->ea;
  const ea_var *pv = &ea->vars.v[ea->units.v[p].init_var];
  const ast *l = pv->letrec;
  w->stamp++;
  w->work.n = 0;
  visit(w, p);
  bool unknown = false;
  for (int done = 0;;) {
    for (; done < w->work.n; done++) {
      const ea_unit *u = &ea->units.v[w->work.v[done]];
      unknown |= u->unknown;
      for (int i = 0; i < u->calls.n; i++) visit(w, u->calls.v[i]);
    }
    if (!unknown) break;
    int before = w->work.n;
    for (int e = 0; e < ea->units.n; e++) {
      const ea_unit *x = &ea->units.v[e];
      if (!x->escaped || w->seen[e] == w->stamp) continue;
      for (int k = 0; k < x->creators.n; k++)
        if (w->ran[x->creators.v[k]] == w->ran_stamp) {
          visit(w, e);
          break;
        }
    }
    if (w->work.n == before) break;
  }
  for (int j = 0; j < w->work.n; j++) {
    const ea_unit *u = &ea->units.v[w->work.v[j]];
    for (int i = 0; i < u->reads.n; i++) {
      const ea_var *v = &ea->vars.v[ea->reads.v[u->reads.v[i]].var];
      if (v->letrec == l && (v->k >= pv->k || l->u.let.parallel)) return u->reads.v[i];
    }
  }
  return -1;
}

void ea_finish(early_an *ea) {
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
  walk wk = {ea, calloc((size_t)ea->units.n + 1, sizeof(int)),
             calloc((size_t)ea->units.n + 1, sizeof(int)), 0, 0, {0}};
  if (!wk.seen || !wk.ran) abort();
  /* each letrec whose variables nested procedures read, its inits in
   * order */
  for (int first = 0; first < ea->vars.n; first += ea->vars.v[first].letrec->u.let.n) {
    ast *l = ea->vars.v[first].letrec;
    bool any = false;
    for (int k = 0; k < l->u.let.n; k++) any |= ea->vars.v[first + k].nested_read;
    if (!any) continue;
    wk.ran_stamp++;
    for (int k = 0; k < l->u.let.n && !l->u.let.early; k++) {
      int p = ea->vars.v[first + k].init_unit;
      if (p < 0) continue;
      int rd = early_read_from(&wk, p);
      if (rd >= 0) refuse(ea, ea->reads.v[rd].var, ea->reads.v[rd].loc);
    }
  }
  VEC_FREE(wk.work);
  free(wk.seen);
  free(wk.ran);
}
