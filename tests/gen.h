/* gen.h - random tvl programs, as source text, from a seed.
 *
 * Programs are typed as they are generated (integers, booleans, symbols and
 * vectors of each), so that every variable, parameter and vector keeps one
 * kind, as compiled code needs.  Loop-free programs (tables, small
 * procedures, selects, arithmetic that sometimes overflows or divides by
 * zero) and structured programs (loops with bounded trip counts, set!,
 * vectors, bounded recursion, display) are made from the same pieces.
 *
 * Some constructs the language allows are kept out by default because the
 * compiler rejects them or gets them wrong today; each has a flag that
 * turns it back on (see gen_flag_names).
 *
 * The generator uses its own PRNG (splitmix64): a seed gives the same
 * program on every machine.
 */
#ifndef TVL_TESTS_GEN_H
#define TVL_TESTS_GEN_H

#include <stdbool.h>
#include <stdint.h>

enum {
  /* quotient/remainder/modulo of two variables of unbounded range */
  GEN_VAR_DIVISION = 1u << 0,
  /* non-tail recursion deeper than the depth limit */
  GEN_DEEP_RECURSION = 1u << 1,
  /* procedures that call procedures defined after them */
  GEN_FORWARD_CALLS = 1u << 2,
  /* top-level calls with symbol constants as arguments */
  GEN_FOREIGN_SYMBOLS = 1u << 3,
  /* top-level calls with #t/#f constants as arguments */
  GEN_BOOL_ARGS = 1u << 4,
  /* (1u << 5 and 1u << 6 were procedures ending in a statement and
   * procedures without parameters returning vectors: fixed in the
   * compiler, always generated now) */
  /* parameters whose kind the body leaves open, displayed or returned */
  GEN_OPEN_KINDS = 1u << 7,
  /* products of any two expressions (else one factor is a constant, or
   * both are globals or loop variables) */
  GEN_GENERAL_MUL = 1u << 8,
  /* arguments that can fail in calls of procedures that get inlined */
  GEN_LAZY_ARGS = 1u << 9,
  /* expressions with effects after something that can fail or that
   * reads what they change, in one expression (the compiler runs them
   * first) */
  GEN_HOISTED_CALLS = 1u << 10,
  /* + and - of three operands (partial sums may overflow) */
  GEN_NARY_ARITH = 1u << 11,
  /* let bindings that can fail (the compiler evaluates them lazily) */
  GEN_LAZY_LETS = 1u << 12,
  /* top-level expressions with effects whose value is a symbol */
  GEN_SYM_EFFECTS = 1u << 13,
  /* table lookups and vector-ref in values that decide branches */
  GEN_TEST_LOOKUPS = 1u << 14,
  /* calls as statements, their values dropped */
  GEN_CALL_STMTS = 1u << 15,
  /* vectors of no elements */
  GEN_EMPTY_VECTORS = 1u << 16,
  /* top-level expressions that choose between new vectors */
  GEN_VECTOR_SELECT = 1u << 17,
  /* case clauses with several data */
  GEN_CASE_LISTS = 1u << 18,
  /* a let right inside the value of a let binding */
  GEN_LET_IN_LET = 1u << 19,
  /* eq? inside and / or and case keys (also in inlined calls) */
  GEN_ANDOR_EQ = 1u << 20,
  /* variables in the arms of symbol-valued conditionals */
  GEN_SAME_ARMS = 1u << 21,
  GEN_ALL = (1u << 22) - 1,
  /* what test-differential generates unless told otherwise: every
   * construct the compiler handles exactly.  Left out, with why:
   * deep-recursion (at the depth limit, an inlined leaf call is not a
   * frame, so the transformer can go one call deeper), forward-calls
   * (mutual recursion through later definitions meets the same depth
   * difference; the calls themselves now agree), general-mul (some products of wide ranges are refused as
   * not provably exact), sym-effects, call-stmts, empty-vectors and
   * vector-select (open bugs: each can still fail in check mode) */
  GEN_DEFAULT = GEN_VAR_DIVISION | GEN_FOREIGN_SYMBOLS | GEN_BOOL_ARGS |
                GEN_OPEN_KINDS | GEN_LAZY_ARGS | GEN_HOISTED_CALLS |
                GEN_NARY_ARITH | GEN_LAZY_LETS | GEN_TEST_LOOKUPS |
                GEN_CASE_LISTS | GEN_LET_IN_LET | GEN_ANDOR_EQ | GEN_SAME_ARMS
};

typedef struct {
  bool structured;      /* loops, set!, vectors, recursion, display */
  unsigned enable;      /* GEN_* constructs that are off by default */
  int max_depth;        /* nesting of expressions */
  int nprocs;           /* procedures defined (at least) */
  int nexprs;           /* top-level expressions (at least) */
} gen_opts;

void gen_opts_default(gen_opts *o, bool structured);
/* Parses "var-division,deep-recursion" or "all" into GEN_* bits; false
 * (and a message on stderr) for an unknown name. */
bool gen_parse_flags(const char *list, unsigned *flags);
/* The flags' names, for usage messages. */
const char *gen_flag_names(void);
/* A whole program, one top-level form per line; the caller frees it. */
char *gen_program(uint64_t seed, const gen_opts *o);
/* The seed of the k-th program of a run started from `base`. */
uint64_t gen_seed_at(uint64_t base, uint64_t k);

#endif
