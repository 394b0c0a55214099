/* ir.h - the lowering's output: a program as functions made of a linear
 * list of statements (labels, jumps, branches) whose expressions are pure
 * trees: no side effects, no calls that are not inlined.  The backend turns
 * each statement into one or more machine steps.
 *
 * Ownership: an ir_prog owns everything in it (ir_free); expressions are
 * allocated in the program's arena and may be shared (a DAG).
 */
#ifndef TVL_IR_H
#define TVL_IR_H

#include "lang.h"

/* ---- kinds (static types) ------------------------------------------- */

/* Compiled code needs one kind per variable and expression.  Kinds are
 * inferred by unification; a vector kind carries its element kind. */
typedef enum { T_ANY = -1, T_VOID, T_INT, T_BOOL, T_SYM, T_STR, T_VEC,
               T_DYN,  /* any kind: the value carries its kind (a tag) */
               T_NIL,  /* the empty list */
               T_PAIR, /* a pair: its car and cdr classes */
               T_CHAR, /* a character: its code point */
               T_PROC  /* a procedure: its id (ir_prog.procs, from 1) */
} tkind;

typedef struct {
  int parent;       /* union-find */
  tkind k;          /* T_ANY while unknown */
  int elem;         /* T_VEC: kind of the elements */
  int car, cdr;     /* T_PAIR: classes of the car and of the cdr (a T_DYN
                       class keeps those of the pairs it holds, as it
                       keeps `elem` for its vectors); lists make the
                       graph of classes cyclic (a list's cdr class holds
                       pairs whose cdr class is itself) */
  srcloc why;       /* where this kind was first fixed */
  uint64_t procs;   /* the procedures (bit id - 1) values of this class may
                       be: the candidates of a call through one (joined by
                       unification; lang/lower-closure.c) */
  bool port;        /* a root class whose vectors are string ports, set
                       when the lowering ends (lang/lower-ports.c) */
  bool rec;         /* a class whose vectors are records (each class of
                       the root's set), set when the lowering ends
                       (lang/lower-records.c) */
  int rec_tid;      /* ... the type of all its records (0: none yet,
                       INT_MIN: several), for the kind's name in kind
                       errors ("a hash table") */
} ir_type;

/* A value of kind T_DYN carries its kind: an integer is itself, any
 * other value is its usual machine value (a boolean 0/1 or symbol id from
 * 2, as SYM tokens number them; a string id; a vector's address; 0 for
 * the unspecified value) plus DYN_BASE + (tag - 1) * DYN_SPAN, above
 * every 32-bit integer (docs/trace-format.md). */
#define DYN_BASE 2147483648.0            /* 2^31 */
#define DYN_SPAN 16777216.0              /* 2^24 */
#define DYN_NTAGS 8
#define DYN_MAX (DYN_BASE + DYN_NTAGS * DYN_SPAN - 1)
enum { TAG_INT, TAG_SYM, TAG_VOID, TAG_STR, TAG_VEC, TAG_NIL, TAG_PAIR, TAG_PROC };
/* characters take the last tag (procedures the one before it) */
#define TAG_CHAR (DYN_NTAGS)
/* The tag of a kind (booleans and symbols share one); -1 for none. */
static inline int dyn_tag(tkind k) {
  switch (k) {
  case T_INT: return TAG_INT;
  case T_BOOL: case T_SYM: return TAG_SYM;
  case T_VOID: return TAG_VOID;
  case T_STR: return TAG_STR;
  case T_VEC: return TAG_VEC;
  case T_NIL: return TAG_NIL;
  case T_PAIR: return TAG_PAIR;
  case T_CHAR: return TAG_CHAR;
  case T_PROC: return TAG_PROC;
  default: return -1;
  }
}
static inline double dyn_base(int tag) {
  return tag <= 0 ? 0 : DYN_BASE + (tag - 1) * DYN_SPAN;
}

/* ---- expressions ---------------------------------------------------- */

typedef enum {
  X_CONST,   /* ival: integer, 0/1, symbol id (world), string id */
  X_VAR,     /* var */
  X_PRIM,    /* op(args): a pure builtin */
  X_SELECT,  /* a[0] ? a[1] : a[2], both arms computed, errors gated */
  X_VREF,    /* vector a[0] at index a[1] */
  X_VLEN,    /* length of vector a[0] */
  X_TABLE,   /* table lookup of key a[0] */
  X_NOT,     /* Scheme not: #t only for #f */
  X_SEQ,     /* a[0..n-2] evaluated for their errors only (ungated, in
                order), then the value of a[n-1]: the arguments of an
                inlined call fail even when its body does not use them */
  X_FAIL,    /* where it is reached, the runtime error failures[ival]: a
                call the evaluator rejects when it makes it (a name not
                defined yet, a variable, a wrong number of arguments) */
  X_CHECK,   /* a[0] as an operand that must be of kind ival (the
                builtin's argument): the evaluator's kind error
                failures[var] where a[0] is another kind.  Only where a[0]
                may be of another kind (tagged, or fixed to another): the
                lowering removes the others when it finishes */
  X_DEPTH,   /* the evaluator's depth check of a call that compiled code
                makes without a frame (inlined, a loop entered): fails
                when the function's depth at entry plus ival exceeds the
                depth limit; value unspecified */
  X_CXR,     /* the car (ival 0) or the cdr (ival 1) of pair a[0] */
  X_PROCID,  /* of procedure value a[0]: its id (ival -1), or its captured
                value ival (a closure's heap cell 2 + ival) */
  X_CC,      /* call/cc's bookkeeping (lang/lower-callcc.c): ival CC_READ:
                the cell a[0] of the continuations' region; CC_ADDR: the
                address of continuation a[0] (untagged); CC_SP: SP now */
} x_kind;
enum { CC_READ, CC_ADDR, CC_SP, CC_CELL /* backend: a[0]'s address */ };

typedef struct ir_expr ir_expr;
struct ir_expr {
  x_kind k;
  srcloc loc;
  int type;             /* index into ir_prog.types */
  int32_t ival;
  int var;
  const builtin *op;
  gcell *table;
  ir_expr **a;
  int n;
  bool has_nat;         /* the node computes a value of kind `nat` itself
                           (a constant, an arithmetic or boolean result):
                           boxed when its type is T_DYN */
  tkind nat;
  bool mark;            /* visited (the lowering's final pass) */
};

/* ---- statements ----------------------------------------------------- */

typedef enum {
  S_ASSIGN,   /* var := a[0] */
  S_EVAL,     /* evaluate a[0] only for its errors */
  S_VSET,     /* vector a[0], index a[1] := a[2] */
  S_MAKEVEC,  /* var := new vector of length a[0] filled with a[1] */
  S_CALL,     /* var (or -1) := fn(args) */
  S_EXTCALL,  /* var := ext(args): a C function, called by the host (a tool
                 call in the trace) */
  S_RETURN,   /* return a[0] from the current function */
  S_DISPLAY,  /* display (or write) a[0] */
  S_NEWLINE,
  S_BRANCH,   /* if a[0] goto l1 else goto l2 */
  S_JUMP,     /* goto l1 */
  S_LABEL,    /* l1: */
  S_CONS,     /* var := a new pair of a[0] (car) and a[1] (cdr) */
  S_PSET,     /* the car (l1 0) or the cdr (l1 1) of pair a[0] := a[1] */
  S_EQUAL,    /* var := (equal? a[0] a[1]), walking vectors and lists */
  S_ERRTEXT,  /* into the text of the error that follows (an X_FAIL whose
                 failure is `bare`): a[0] written (displayed unless
                 `write`), or `text` when a[0] is NULL (lower-listlib.c,
                 lower-error.c) */
  S_CALLV,    /* var := call of procedure value a[0] (args): the lowering
                 expands it when it finishes (lang/lower-closure.c) into a
                 jump on the procedure's id to one S_CALL per procedure */
  S_CLOSURE,  /* var := a new closure of procedure l1 (an id) capturing
                 args (heap: count, id, the captured values) */
  S_CCSET,    /* cell a[0] of the continuations' region := a[1] */
  S_ESCAPE,   /* SP := a[0], then goto label l1 of function fn (a
                 continuation's escape: lang/lower-callcc.c) */
} s_kind;

typedef struct {
  s_kind k;
  srcloc loc;
  int var;
  int l1, l2;
  int fn;
  gcell *ext;           /* S_EXTCALL: the extern's cell */
  bool write;
  const char *text;     /* S_ERRTEXT */
  ir_expr *a[3];
  ir_expr **args;
  int nargs;
  int depth;            /* S_CALL: the callee's depth (as the evaluator
                           counts nested calls) minus the caller's at its
                           entry: 0 for a call in tail position */
  int scratch;          /* S_CALLV of apply: 1 + the variable of the
                           evaluator's scratch vector (lower-apply.c),
                           which lower-applymap.c fills; else 0 */
  int chain;            /* S_VSET: 0, or c > 0: the store alone, at the
                           address the S_VSET just before it (of the same
                           vector, index a[1] - c, nothing between) wrote
                           to WADDR, plus c: no address step and no bounds
                           check, which the lowering proved (a block's
                           copy, lower-strings2.c) */
  bool nofill;          /* S_MAKEVEC: the elements are not written; the
                           lowering writes every one before any read (a
                           string's block that a copy fills) */
} ir_stmt;

/* ---- variables and functions ---------------------------------------- */

typedef enum {
  VAR_GLOBAL,   /* a global variable of the world */
  VAR_LOCAL,    /* parameter or local of one function */
  VAR_TEMP,     /* made by the lowering */
} var_class;

typedef struct {
  int name;         /* symbol, -1 for temporaries */
  var_class cls;
  int fn;           /* owning function (locals, temps) */
  gcell *cell;      /* VAR_GLOBAL */
  int type;
  bool assigned;    /* set! or assignment after its initialisation */
  srcloc loc;
  const value *konst;   /* a quoted list: the constant the prompt places
                           on the heap, this static cell holding it (a
                           VAR_TEMP of no function) */
} ir_var;

typedef struct {
  int name;             /* symbol */
  srcloc loc;
  gcell *cell;          /* global procedures; NULL for lifted/local ones */
  int nparams;
  int *params;          /* var ids */
  int ret_type;
  VEC(ir_stmt) body;
  int nlabels;
  bool recursive;       /* part of a call cycle: locals live in frames */
  bool is_main;
} ir_fn;

/* An error that compiled code raises where it is reached (X_FAIL), in
 * the evaluator's words. */
/* In the text S_ERRTEXT statements print for a bare X_FAIL whose message
 * is empty (the whole text), a value between two of these bytes is cut
 * as the evaluator cuts a value in a message: past 60 bytes, its first
 * 57 and "..." (backend/mtrace.c, tools/tvl_run.py). */
#define ERRTEXT_CUT '\x1f'

typedef struct {
  const char *kind;     /* static string: "unbound", "type", "arity" */
  const char *msg;      /* in the program's arena */
  bool bare;            /* a list error: the message is followed by " "
                           and the written value of the argument (X_CHECK
                           a[1]), not by its kind and " (value)"; of an
                           X_FAIL: by what the S_ERRTEXT statements before
                           it printed (the whole message when msg is "") */
} ir_failure;

/* How a pass of the lowering makes string ports (lang/lower-ports.c):
 * whether output goes to with-output-to-string's port while one runs
 * (a program is lowered again with it when a call is met); how the
 * text of a value written to a port (a piece) is made: mode 0 only to
 * find each piece's kind (the program is lowered again), 1 by the
 * procedure for that kind (kinds[i] for the i-th piece), 2 by the
 * procedure for every kind (%tvl-text) when a kind changed. */
typedef struct {
  bool redirect;
  bool fixed;   /* the program changes no pair or vector (the pass
                   before found): a quoted constant's text is known */
  int mode;
  const tkind *kinds;
  int n;
} port_pass;

typedef struct ir_prog {
  world *w;
  arena mem;
  VEC(ir_type) types;
  VEC(ir_var) vars;
  VEC(ir_fn) fns;
  int main_fn;
  int main_type;        /* kind of the main expression's value */
  bool has_dyn;         /* some type is T_DYN */
  bool has_lists;       /* some class was made for pairs or the empty list */
  bool has_chars;       /* the program makes or tests characters */
  bool sets_cdrs;       /* the program calls set-cdr!: its lists may be
                           circular (backend/mlists.c) */
  bool sets_parts;      /* it calls set-car!, set-cdr! or vector-set!: a
                           value may refer back to itself (mprint.c) */
  bool circular_global; /* a global it reads holds a value that refers
                           back to itself, or nested deeper than its class
                           is followed (lower-types.c lw_type_of_value) */
  bool has_rtstr;       /* strings made at run time (heap strings) */
  bool has_rtsym;       /* symbols made at run time (lang/lower-symbols.c) */
  port_pass port;       /* how this pass lowered string ports */
  bool port_wotos;      /* the program calls with-output-to-string */
  VEC(tkind) port_found;   /* each piece's kind when the pass ended */
  bool port_spec_failed;   /* a piece made for a kind its value lost */
  bool has_eof;         /* the end-of-file object (lang/lower-ports.c) */
  int sym_hp, sym_list; /* their static cells' variables + 1 */
  bool str_eqv_early;   /* member/assoc lowered as eqv? on strings before
                           has_rtstr was known: lowered again (lower-proc.c) */
  int stn_fn;           /* string->number's shared function + 1, or 0
                           (lang/lower-strings2.c) */
  VEC(gcell *) tables;  /* tables the program reads */
  VEC(gcell *) globals; /* global variables the program reads or sets */
  VEC(gcell *) deps;    /* every definition the program was built from */
  VEC(ir_failure) failures;  /* X_FAIL errors */
  /* failures whose message names an integer the host reads from the trace
   * (backend/mhostval.c): hmsg, its byte 1 the value of operand */
  VEC(struct ir_failval { int failure; const ir_expr *operand; const char *hmsg; }) failvals;
  /* computations whose overflow the evaluator names by other operands
   * than the node's own (lcm's product, gcd's abs): op and its operands */
  VEC(struct ir_hostops { const ir_expr *node; const char *op; ir_expr **ops; int n; }) hostops;
  /* procedures used as values (lang/lower-closure.c): a value of kind
   * T_PROC is 1 + its index here */
  VEC(struct ir_proc {
    const fn_def *fn;
    gcell *cell;        /* a global procedure; NULL for a lambda */
    int irfn;           /* its parameters, then its captured values */
    int ncaps;          /* > 0: its values are closures on the heap */
    const builtin *bi;  /* a builtin used as a value (fn NULL, irfn -1) */
    uint64_t cap_boxed; /* bit j: captured value j is a box (lower-box.c) */
    bool cc;            /* a continuation of call/cc site cc_fn:cc_label
                           (fn NULL, irfn -1; lang/lower-callcc.c): its
                           values are [0, id] on the heap */
    int cc_fn, cc_label, cc_var;   /* where it resumes; the cell its
                                      value goes through (cc_fn -1: the
                                      world's continuation cc_obj, which a
                                      global holds from an earlier form:
                                      dead, its value an id) */
    tvec *cc_obj;
  }) procs;
  bool has_callcc;      /* the program calls call/cc: the continuations'
                           region (2 cells per live one: its address, SP) */
  bool has_closures;    /* some procedure value is a closure: a value is
                           an id (at most procs.n) or a closure's address */
  /* a builtin's error that a catch takes (lang/lower-wind.c): the
   * function %catch-raise + 1 (0: none), and the landing of each kind
   * check that may fail: label `label` of function fn, where the failed
   * check's step jumps (backend/mcatch.c) */
  int catch_raise;
  int wind_stop;        /* %unwind-cc + 1 (0: none), which a landing calls
                           with 0 to run the after thunks of the winds
                           before a builtin's error stops the program */
  unsigned catch_keys;  /* the keys of builtins' errors the program's
                           catches may take (IR_CK_*): an error of
                           another key is no catch's (lib/runner.c) */
  bool wants_raise;     /* landings wanted but %catch-raise not lowered:
                           lowered again (lower-proc.c) */
  VEC(struct ir_landing {
    const ir_expr *check;   /* the check, or a vector-set!'s index (vset) */
    int fn, label;
    bool vset;
  }) landings;
} ir_prog;

/* The keys of the builtins' errors (lang/eval.c error_key), as bits. */
enum {
  IR_CK_WTA = 1,     /* wrong-type-arg */
  IR_CK_OOR = 2,     /* out-of-range */
  IR_CK_NUM = 4,     /* numerical-overflow */
  IR_CK_ARITY = 8,   /* wrong-number-of-args */
  IR_CK_UNBOUND = 16 /* unbound-variable */
};

/* Lowers a checked expression (the top-level form, or the body of a
 * definition's value) into a program whose main function computes its
 * value, or only its effects when `discard` is set (an item of a top-level
 * begin other than the last: its value needs no single kind).  Returns
 * NULL with err set when the program uses something the compiler cannot
 * express (the message says what and where). */
ir_prog *ir_lower_main(world *w, const ast *expr, int frame_size, bool discard,
                       lang_error *err);
/* Lowers a call of a global procedure with its parameters as the inputs
 * the prompt supplies (for a definition's own model). */
ir_prog *ir_lower_function(world *w, gcell *fn, lang_error *err);
void ir_free(ir_prog *p);

/* The kind after unification. */
tkind ir_kind(const ir_prog *p, int type);
int ir_elem_type(const ir_prog *p, int type);
/* Whether the vectors of class `type` are string ports (a value the
 * world holds as VK_PORT). */
bool ir_is_port(const ir_prog *p, int type);
/* Whether the vectors of class `type` are records (lang/lower-records.c). */
bool ir_is_rec(const ir_prog *p, int type);
/* "a record", "a hash table" (a class of one built-in record type's),
 * "a port" (a class of string ports), or NULL: a class of vectors */
const char *ir_vec_kind_name(const ir_prog *p, int type);
/* The procedures (bit id - 1) values of class `type` may be. */
uint64_t ir_proc_set(const ir_prog *p, int type);
/* The car (cdr false) or cdr class of the pairs of class `type`; -1: none. */
int ir_pair_type(const ir_prog *p, int type, bool cdr);
/* Class dst (a new one, of a vector or pair kind) has the parts of src:
 * its element class, its car and cdr classes. */
void ir_share_parts(ir_prog *p, int dst, int src);
const char *tkind_name(tkind k);
/* A readable listing of the program, for tests and :ir.  A value the
 * compiled code computes once is labelled where it is first computed and
 * named where it is used again ("#1=(table lookup x@0)", "#1#"): where
 * the same value comes again after being computed unconditionally, or
 * under the same guards (lang/ir-share.c). */
void ir_dump(const ir_prog *p, strbuf *out);

/* Procedures as values (lang/lower-closure.c): the global procedure a
 * world value is (NULL: none compiled code can hold); the id a program
 * gives it (0: none); the world's value of id; its text as display
 * prints it. */
gcell *ir_proc_cell(world *w, value v);
int ir_proc_id(const ir_prog *p, value v);
value ir_proc_world_value(world *w, const ir_prog *p, int id);
/* A new closure of procedure id with n captured values (to fill), kept
 * by its definition (NULL: none to keep it); the class of its captured
 * value j. */
tvec *ir_closure_new(world *w, const ir_prog *p, int id, int n);
int ir_closure_cap_type(const ir_prog *p, int id, int j);
const char *ir_proc_text(const ir_prog *p, int id, strbuf *out);

/* Whether a global procedure is pure (no side effects, no loops, no
 * recursion): such procedures are inlined into their callers. */
bool ir_fn_is_pure(world *w, const fn_def *f);

#endif
