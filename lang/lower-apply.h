/* lower-apply.h - what the lowerings of apply share (lang/lower-apply*.c,
 * lower-bval.c, lower-hof.c): the walk over apply's arguments (the
 * leading operands, then the list's elements), the evaluator's kind
 * error of a spread argument, the loops of the variadic builtins.
 *
 * Private to lang/lower*.c (included after lower.h).
 */
#ifndef TVL_LOWER_APPLY_H
#define TVL_LOWER_APPLY_H

#include "lower.h"

/* The arguments of apply's call s in order, each into variable x (its
 * number, from 1, into idx), the body emitted by `each`. */
typedef void lw_ap_each_fn(lw *c, void *st, int x, int idx, srcloc loc);
void lw_ap_walk(lw *c, const ir_stmt *s, int x, int idx, lw_ap_each_fn *each, void *st,
                srcloc loc);

/* The evaluator's kind error of argument number idx (a variable) of op
 * unless x (a variable) satisfies pred: "op: argument 10 must be WANT,
 * not a symbol (a)". */
void lw_ap_check_kind(lw *c, const char *op, const char *pred, const char *want, int x,
                      int idx, srcloc loc);

/* lower-apply3.c: apply of the other variadic builtins (logand, logior,
 * logxor, /, max, min, vector, cons*, symbol-append, the integer,
 * character and string comparisons, error) to any number of arguments,
 * one loop. */
bool lw_apply_loop_ok(lw *c, const builtin *b);
void lw_apply_loop(lw *c, const ir_stmt *s, const ast *a, const builtin *b, bool ret, int end);

/* lower-apply4.c: apply of + - * gcd lcm to any number of arguments, one
 * loop whose overflow names the operands as the evaluator's does. */
bool lw_apply_arith_ok(const builtin *b);
void lw_apply_arith(lw *c, const ir_stmt *s, const ast *a, const builtin *b, bool ret,
                    int end);

/* lower-hof.c: map's and for-each's check that the lists are of one
 * length: len (a variable) against first's, the evaluator's error. */
void lw_hof_same_length(lw *c, const char *op, int first, int len, int end, srcloc loc);

#endif
