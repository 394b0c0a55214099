/* gen-int.h - the generator's state, shared by tests/gen.c (the typed
 * core: expressions, statements, procedures, loops) and tests/gen-lang.c
 * (the rest of the language: bitwise operations, lambda, letrec, quote,
 * strings, mixed kinds, unbound names, forward references, mutual tail
 * calls, redefinitions, errors in every position).
 *
 * Ownership: a gen owns its output buffer until gen_program detaches it;
 * nothing else is allocated.
 */
#ifndef TVL_TESTS_GEN_INT_H
#define TVL_TESTS_GEN_INT_H

#include "gen.h"

#include "base/base.h"

#include <stdarg.h>

#define N_OF(a) ((int)(sizeof(a) / sizeof((a)[0])))

enum { MAXV = 160, MAXPROC = 48, MAXTAB = 4, MAXPARAM = 3, NSYM = 6, MAXKEYS = 6 };

/* contexts of an expression */
enum {
  C_FIX = 1,    /* the parent fixes the kind (an operand of arithmetic) */
  C_WANT = 2,   /* the kind must be fixed (displayed, returned) */
};

typedef enum { K_INT, K_BOOL, K_SYM, K_VINT, K_VBOOL, K_VSYM } kind;

enum { REC_NONE, REC_BODY, REC_TAIL, REC_VEC };

static const char *const sym_pool[NSYM] __attribute__((unused)) = {"a", "b", "c", "d", "e", "f"};

typedef struct {
  char name[16];
  kind k;
  bool mut;      /* may be assigned */
  bool fixed;    /* kind (a vector's element kind) known to the compiler */
  bool wide;     /* an integer of unknown range: a global or a loop's */
} var;

typedef struct {
  char name[16];
  int np;
  kind pk[MAXPARAM];
  kind ret;
  int rec;        /* REC_*: the first parameter bounds the recursion */
  bool done;      /* its definition has been written */
  bool pure;      /* no effects, no loops, no recursion: inlined */
  bool lookups;   /* has table lookups or vector-ref, maybe in callees */
  bool is_void;   /* ends in a statement: called only as one */
  bool eqs;       /* has eq?, maybe in callees */
  uint64_t calls; /* the procedures its body calls (bit i: p[i]) */
} proc;

typedef struct {
  char name[16];
  bool symkeys;
  kind vk;
  int n;
  int keys[MAXKEYS], vals[MAXKEYS];
  bool dflt;
  int dval;
} table;

typedef struct {
  uint64_t s;
  const gen_opts *o;
  strbuf b;
  var v[MAXV];
  int nv;
  proc p[MAXPROC];
  int np;
  table t[MAXTAB];
  int nt;
  int fresh;
  int budget;       /* nodes left for the form being written */
  int loops;        /* loop nesting */
  int trips;        /* product of the enclosing loops' trip bounds */
  int self;         /* procedure being defined, -1 at top level */
  bool impure;      /* the procedure being defined has effects */
  bool lookups;     /* it has table lookups or vector-ref */
  bool eqs;         /* it has eq? */
  bool dirty;       /* something that can fail, or that reads what a
                       statement can change, was written earlier in the
                       statement being written */
  bool top;         /* the next expression is a whole top-level form */
  bool let_init;    /* the next expression is the value of a let binding */
  int small;        /* > 0: integer constants of at most 1000 */
  int andor;        /* > 0: inside an operand of and / or, or a case key */
  int test;         /* > 0: inside a value that decides a branch */
  int sym_arms;     /* > 0: in an arm of a symbol-valued conditional */
  int safe;         /* > 0: write only expressions that cannot fail */
  int pure;         /* > 0: write only expressions without effects */
  /* gen-lang.c */
  char ext[16];     /* the extern declared, "" when none */
  int lang;         /* > 0: inside a construct of gen-lang.c */
  int later;        /* index of a global defined after the procedures
                       that read it, -1 when none */
  uint64_t seed0;   /* the program's seed */
  bool macros;      /* the macros of gl_prelude are defined */
} gen;

/* ---- gen.c ---- */
uint64_t rnd(gen *g);
int rn(gen *g, int n);
bool chance(gen *g, int pct);
bool on(const gen *g, uint64_t flag);
void out(gen *g, const char *fmt, ...) TVL_PRINTF(2, 3);
void fresh_name(gen *g, const char *prefix, char *dst);
static inline bool is_vec(kind k) { return k >= K_VINT; }
static inline kind vec_of(kind k) { return (kind)(k + K_VINT); }
static inline kind elem_of(kind k) { return (kind)(k - K_VINT); }
var *push_var(gen *g, const char *prefix, kind k, bool mut, bool fixed);
var *pick_var(gen *g, kind k, int ctx, bool want_mut);
int32_t int_const(gen *g);
void out_sym(gen *g, int s, bool quote);
void out_scalar_const(gen *g, kind k);
bool g_expr(gen *g, kind k, int d, int ctx);
void g_stmt(gen *g, int d);
void g_stmts(gen *g, int d, int n);
bool g_leaf(gen *g, kind k, int ctx);
bool g_vec_new(gen *g, kind k, int d);
void g_test(gen *g, int d);
void g_operands(gen *g, kind k, int d, int n);
int pick_proc(gen *g, kind ret);
/* Records that the procedure being defined calls p[i]. */
void gen_note_call(gen *g, int i);
void g_args(gen *g, const proc *p, int d);
void g_proc_def(gen *g, int pi);
void g_top_call(gen *g, int pi);

/* ---- gen-lang.c ---- */
/* An expression of kind k from the rest of the language, or false (and
 * nothing written) when no construct of it is on for k. */
bool gl_expr(gen *g, kind k, int d, int ctx, bool *fixed);
/* A statement from the rest of the language; false when none is on. */
bool gl_stmt(gen *g, int d);
/* Top-level forms: before the procedures (externs, forward references),
 * among the expressions (redefinitions, unbound names, mutual tail calls,
 * letrec, lambda). */
void gl_prelude(gen *g);
void gl_later(gen *g);
bool gl_top(gen *g);
/* One of the string literals the generator uses. */
void gl_string(gen *g);
/* ---- gen-state.c ---- */
/* A top-level form that sets, shows or changes a global kept across
 * forms; false when none is on. */
bool gl_state_top(gen *g);
/* ---- gen-nest.c ---- */
bool gn_top(gen *g);
bool gk_top(gen *g);   /* gen-kinds.c */
/* ---- gen-chars.c ---- */
/* gen-lists.c: the list library (filter, sort, iota...), a top-level form */
bool glist_top(gen *g);
/* gen-sort.c: sort of the lists users build, a top-level form */
bool gsort_top(gen *g);
bool gsrfi_top(gen *g);   /* gen-srfi.c */
bool glib_top(gen *g);   /* gen-lib.c */
bool gmut_top(gen *g);   /* gen-mutlist.c */
bool gc_expr(gen *g, kind k, int d);
void gc_stmt(gen *g, int d);
/* gen-values.c */
bool gv_top(gen *g);
/* gen-tail.c */
bool gt_top(gen *g);
/* gen-early.c: body defines and letrec variables read before (and
 * after) their definitions */
bool ge_top(gen *g);
/* gen-escape.c: call/cc, string ports, string->symbol; a top-level form */
bool gx_top(gen *g);
bool gw_top(gen *g);   /* gen-wind.c: dynamic-wind, catch, throw */
/* gen-while.c: while with break and continue, bodies mixing definitions
 * and expressions; a top-level form */
bool gwh_top(gen *g);
/* gen-applycc.c: procedure parameters applied in procedures not inlined */
bool gac_top(gen *g);
/* gen-applymap.c: apply of map and for-each over 1 to 8 lists */
bool gam_top(gen *g);
bool grec_top(gen *g);   /* gen-records.c */
bool gmatch_top(gen *g);   /* gen-match.c */
/* gen-applylong.c: apply of every variadic builtin to long lists */
bool gal_top(gen *g);
/* gen-strings.c */
bool gs_expr(gen *g, kind k, int d);
void gs_stmt(gen *g, int d);
void gs_str(gen *g, int d);
void gs_chr(gen *g, int d);
/* gen-bval.c: builtins as values (strings, characters) */
void gb_str(gen *g, int d);
void gb_int(gen *g, int d);
void gb_bool(gen *g, int d);
void gs_prelude(gen *g);

#endif
