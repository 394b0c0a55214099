/* checker-early.h - which reads of letrec (body define) variables may
 * happen before the variable's init has run (checker-early.c), for the
 * checker.
 *
 * The checker reports what it sees while it walks a top-level form:
 * units of code (every procedure body, and every init of a letrec
 * variable), the calls between them, the procedures that become values
 * (lambdas, local procedures passed on), the calls whose callee it
 * cannot know, and the reads of letrec variables.  ea_finish then marks
 * the reads (ref_info.early) and the letrecs compiled code must refuse
 * (ast.u.let.early_name). */
#ifndef TVL_CHECKER_EARLY_H
#define TVL_CHECKER_EARLY_H

#include "lang.h"

typedef struct early_an early_an;

early_an *ea_new(void);
void ea_free(early_an *ea);

/* The unit of a procedure's body (made on first use). */
int ea_fn_unit(early_an *ea, fn_def *fn);
/* A letrec's bindings (procedures too): the id of the first (the others
 * follow), made when the checker enters it. */
int ea_letrec(early_an *ea, ast *letrec);
/* The unit of variable var's init, which runs as part of `unit` (-1: the
 * top level). */
int ea_init_unit(early_an *ea, int var, int unit);

void ea_call(early_an *ea, int from, int to);   /* a call by name */
void ea_unknown(early_an *ea, int unit);        /* a call it cannot follow */
/* A procedure (unit) becomes a value where unit `creator` runs. */
void ea_escape(early_an *ea, int unit, int creator);
void ea_assigned(early_an *ea, int var);        /* set! of the variable */
/* A read of variable `var` from a nested procedure (unit). */
void ea_read(early_an *ea, int unit, int var, ref_info *r, srcloc loc);
/* A read in an init of var's own letrec, in the same procedure, before
 * var's init has run (a later or the same init; any init of a letrec
 * whose inits all run first). */
void ea_direct(early_an *ea, int var, ref_info *r, srcloc loc);

/* The variable's index in its letrec. */
int ea_var_index(const early_an *ea, int var);

/* Marks the reads and letrecs of the form just checked. */
void ea_finish(early_an *ea);

#endif
