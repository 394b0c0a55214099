/* bigint.h - exact integers past 32 bits in the reference evaluator
 * (experimental, off unless --bignum or TVL_BIGNUM=1; docs/bignum.md).
 *
 * A big integer is a value of kind VK_BIG: vec a TV_BIG heap object whose
 * items hold the magnitude's limbs (items[k].i, base 2^15, least
 * significant first, the last one non-zero), i the sign (1 or -1).  The
 * form is canonical: a result that fits in 32 bits is always a VK_INT,
 * so a VK_BIG never equals a VK_INT.
 *
 * Ownership: big integers live in the world's heap like vectors.
 */
#ifndef TVL_BIGINT_H
#define TVL_BIGINT_H

#include "lang.h"

/* The switch: off by default; TVL_BIGNUM=1 in the environment turns it
 * on at the first question, bn_enable() at any time. */
bool bn_enabled(void);
void bn_enable(bool on);

/* The evaluator's version of builtin b when the switch is on and b has
 * one (+, quotient, =, number->string...), else NULL.  Each takes the
 * arguments as b does, its 32-bit cases unchanged. */
builtin_fn bn_builtin(const builtin *b);

/* The value of a big integer, written in radix 10 (display, write). */
void bn_print(value v, strbuf *out);
/* The value of an integer literal's text (a sign, digits, a #x #b #o #d
 * prefix), made on w's heap when past 32 bits; false when the heap is
 * full. */
bool bn_literal(world *w, const char *s, size_t n, value *out);
/* eqv? of two VK_BIG values. */
bool bn_eqv(value x, value y);
/* The error of a builtin without a big version given a big integer:
 * "integer overflow: OP: argument I is N, which does not fit in 32 bits". */
TVL_NORETURN void bn_too_big(ev_ctx *c, srcloc loc, const char *op, int i,
                             value v);

#endif
