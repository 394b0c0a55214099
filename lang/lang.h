/* lang.h - the language layer: reader -> expander -> checker -> reference
 * evaluator (and, later, lowering).  Data flows one way through it.
 *
 * Ownership:
 *  - A world owns its symbols, interned strings, global cells, vectors and
 *    source registry; world_free() releases all of it.
 *  - The reader allocates each top-level form in a fresh arena and hands
 *    that arena to the caller with the form (rd_form).
 *  - The expander allocates the AST in an arena the caller supplies.  When a
 *    top-level definition is committed, its arena moves into the global
 *    cell, which frees it when the name is redefined or the world is reset.
 *  - Values never own memory: vectors, pairs, closures and strings made
 *    at run time live in the world's heap until the world is reset;
 *    string literals are interned by the world.
 *  - Macros (define-syntax) are copied into the world's macro arena.
 */
#ifndef TVL_LANG_H
#define TVL_LANG_H

#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/base.h"

#define TVL_INT_MIN INT32_MIN
#define TVL_INT_MAX INT32_MAX

/* ---- symbols and strings ------------------------------------------- */

typedef struct {
  VEC(char *) names;
  int *hash;     /* open addressing, -1 = empty */
  int hash_cap;
} symtab;

void symtab_init(symtab *t);
void symtab_free(symtab *t);
int sym_intern(symtab *t, const char *s, size_t n);
int sym_lookup(const symtab *t, const char *s, size_t n); /* -1 if absent */
const char *sym_name(const symtab *t, int id);

/* ---- syntax objects (reader output) --------------------------------- */

typedef enum { SX_INT, SX_SYM, SX_STR, SX_BOOL, SX_LIST, SX_VEC,
               SX_CHAR /* u.i: the code point */,
               SX_BIG  /* --bignum: an integer past 32 bits, u.str its text
                          as written (sign, digits, a #x #b #o #d prefix) */
} sx_kind;

typedef struct sx sx;
struct sx {
  sx_kind kind;
  srcloc loc;
  union {
    int64_t i;
    int sym;
    bool b;
    struct { const char *s; size_t n; } str;
    /* SX_LIST and SX_VEC; tail: the datum after the dot of a dotted
     * list (a b . c), NULL for a proper list and for vectors */
    struct { sx **v; int n; sx *tail; } list;
  } u;
};

/* ---- reader --------------------------------------------------------- */

/* Bytes go in, in pieces of any size; complete top-level forms come out.
 * ROOT: not inside any form.  PENDING: inside an unfinished form or token
 * (the REPL shows its continuation prompt).  ERROR: a syntax error; read it
 * with rd_error() and call rd_recover() to go on. */
typedef enum { RD_ROOT, RD_PENDING, RD_ERROR } rd_status;

typedef struct reader reader;
typedef struct {
  sx *form;
  arena mem;   /* owns form; caller must arena_free() it */
} rd_form;

reader *rd_new(symtab *syms, src_registry *src, int file);
void rd_free(reader *r);
/* Feeds bytes; the reader records them in the source registry itself. */
void rd_feed(reader *r, const char *bytes, size_t n);
/* A line the caller consumed itself (a REPL command): recorded in the
 * source registry, so that positions of later forms stay right. */
void rd_skip_line(reader *r, const char *bytes, size_t n);
/* No more input: an unfinished form becomes an error. */
void rd_eof(reader *r);
rd_status rd_status_of(const reader *r);
int rd_depth(const reader *r);     /* open parentheses of the pending form */
bool rd_has_form(const reader *r);
rd_form rd_take(reader *r);
/* The current error: message and where it is. */
const char *rd_error(const reader *r, srcloc *loc);
/* Forget the unfinished form and skip the rest of the current line. */
void rd_recover(reader *r);

/* ---- values --------------------------------------------------------- */

/* Every value carries its kind.  Pairs, closures and boxes are heap
 * objects like vectors (a tvec with a tag): a pair has two items (car,
 * cdr), a closure one item per captured variable, a box (a variable that
 * is both captured by a lambda and assigned) one item.  Boxes never
 * escape: loading a variable reads through its box. */
typedef enum {
  VK_VOID, VK_INT, VK_BOOL, VK_SYM, VK_STR, VK_VEC,
  VK_NIL,    /* the empty list */
  VK_PAIR,   /* vec: a TV_PAIR object */
  VK_PROC,   /* vec: a TV_CLOSURE object, or NULL and i: a builtin index */
  VK_BOX,    /* internal: vec is a TV_BOX object */
  VK_CHAR,   /* i: a Unicode code point */
  VK_PORT,   /* vec: a TV_PORT object (lang/ports.c), evaluator only */
  VK_EOF,    /* the end-of-file object, evaluator only */
  VK_REC,    /* vec: a TV_REC object, a SRFI-9 record (lang/records.c) */
  VK_BIG,    /* vec: a TV_BIG object, i the sign: an integer past 32 bits
                (lang/bigint.h; only made with --bignum) */
} vkind;

/* Strings: a literal (or a symbol's name) is an interned string of the
 * world, immutable: vec NULL and i its id.  A string made at run time
 * (make-string, string-append...) is a TV_STR heap object, i -1, whose
 * items are characters: it costs as many cells as a vector of its
 * length, and string-set! changes it in place. */
typedef enum { TV_VEC, TV_PAIR, TV_CLOSURE, TV_BOX, TV_STR,
               TV_CONT,   /* a continuation of call/cc (kind VK_PROC) */
               TV_PORT,   /* a string port (lang/ports.c) */
               TV_REC,    /* a record: tid, then its fields (lang/records.c) */
               TV_BIG     /* a big integer's limbs (lang/bigint.h) */ } tvec_tag;

typedef struct tvec tvec;
typedef struct {
  uint8_t kind;   /* vkind */
  int32_t i;      /* VK_INT value, VK_BOOL 0/1, VK_SYM id, VK_STR id */
  tvec *vec;      /* VK_VEC, VK_PAIR, VK_PROC (closure), VK_BOX */
} value;

struct fn_def;
struct defblock;
struct tvec {
  int32_t n;
  uint32_t txn;    /* transaction that last snapshot it, see world */
  int64_t id;      /* allocation order, for printing and for the machine */
  value *items;
  uint8_t tag;     /* tvec_tag */
  const struct fn_def *fn;  /* TV_CLOSURE: its code */
  struct defblock *blk;     /* TV_CLOSURE: the definition holding the code */
};

static inline value v_void(void) { value v = {VK_VOID, 0, NULL}; return v; }
static inline value v_int(int32_t i) { value v = {VK_INT, i, NULL}; return v; }
static inline value v_bool(bool b) { value v = {VK_BOOL, b, NULL}; return v; }
static inline value v_sym(int s) { value v = {VK_SYM, s, NULL}; return v; }
static inline value v_str(int s) { value v = {VK_STR, s, NULL}; return v; }
static inline value v_char(int32_t c) { value v = {VK_CHAR, c, NULL}; return v; }
static inline value v_heapstr(tvec *t) { value v = {VK_STR, -1, t}; return v; }
static inline value v_vec(tvec *t) { value v = {VK_VEC, 0, t}; return v; }
static inline value v_nil(void) { value v = {VK_NIL, 0, NULL}; return v; }
static inline value v_pair(tvec *t) { value v = {VK_PAIR, 0, t}; return v; }
static inline value v_proc(tvec *t) { value v = {VK_PROC, 0, t}; return v; }
static inline bool v_truthy(value v) { return !(v.kind == VK_BOOL && v.i == 0); }
#define V_CAR(v) ((v).vec->items[0])
#define V_CDR(v) ((v).vec->items[1])

const char *vkind_name(vkind k);   /* "an integer", "a boolean", ... */
const char *value_kind_name(value v);   /* ... "a hash table" of a built-in record */

/* ---- core AST (expander output, checker annotates) ------------------- */

typedef enum {
  E_CONST,    /* literal value */
  E_REF,      /* variable reference */
  E_SET,      /* (set! name e) */
  E_IF,       /* (if c t e); a missing else is a void constant */
  E_BEGIN,    /* sequence, value of the last */
  E_AND,      /* short-circuit, value of the last or #f */
  E_OR,       /* short-circuit, first true value or #f */
  E_LET,      /* parallel bindings then body */
  E_LETREC,   /* internal defines / named let: functions and variables,
                 initialised in order, visible in each other */
  E_CALL,     /* (name args...): function, local function, table, builtin */
  E_VECLIT,   /* #(...) literal: a fresh vector each evaluation */
  E_DEFINE,   /* top level only: (define name e) or a function */
  E_DEFTABLE, /* top level only */
  E_EXTERN,   /* top level only: (extern name "lib" "symbol" (types) type) */
  E_LAMBDA,   /* (lambda params body...) as a value: makes a closure */
  E_APPLY,    /* (op args...) where op is an expression (u.call.op) */
} ast_kind;

typedef struct ast ast;
typedef struct fn_def fn_def;
typedef struct gcell gcell;
typedef struct builtin builtin;
typedef struct extern_def extern_def;

/* Where a name was found by the checker. */
typedef enum {
  REF_UNRESOLVED,
  REF_GLOBAL,     /* gcell: variable, function or table, late bound */
  REF_LOCAL,      /* slot in a frame `depth` static links up */
  REF_LOCALFN,    /* local function defined `depth` static links up */
  REF_BUILTIN,
  REF_CAPTURED,   /* item `slot` of the closure of the frame `depth` up */
} ref_kind;

typedef struct {
  ref_kind kind;
  int depth;          /* REF_LOCAL / REF_LOCALFN */
  int slot;           /* REF_LOCAL */
  gcell *cell;        /* REF_GLOBAL */
  fn_def *fn;         /* REF_LOCALFN */
  const builtin *bi;  /* REF_BUILTIN; with REF_GLOBAL: the builtin the name
                         means until the script defines it further down */
  /* checker, a letrec (body define) variable read where it may not have
   * its value yet: REF_EARLY_CHECK (the evaluator compares the value with
   * the not-yet-defined marker), REF_EARLY_ALWAYS (read in its own
   * letrec's init, before its definition: the error wherever reached) */
  unsigned char early;
} ref_info;

enum { REF_EARLY_CHECK = 1, REF_EARLY_ALWAYS = 2 };

/* The value a letrec variable holds until its init has run (never seen
 * by a program: reading it is an error, lang/eval.c). */
static inline value v_undefined(void) { value v = {VK_VOID, 1, NULL}; return v; }
static inline bool v_is_undefined(value v) { return v.kind == VK_VOID && v.i == 1; }


/* A function: global, local (internal define / named let) or a lambda
 * bound by define. */
struct fn_def {
  int name;          /* symbol */
  srcloc loc;
  int nparams;
  int *params;       /* symbols */
  srcloc *param_locs;
  ast *body;
  int frame_size;    /* slots: params first, then locals (checker) */
  int nest;          /* static nesting level: 0 for global functions */
  fn_def *parent;    /* enclosing function, NULL for global ones */
  bool is_loop;      /* named let / do / while loop (for the compiler) */
  bool variadic;     /* the last parameter takes the rest as a list */
  bool closure;      /* a lambda value: free locals are captured, no
                        static link (E_LAMBDA) */
  bool *param_boxed; /* checker: the parameter lives in a box */
  int ncaps, cap_max;/* captured variables (checker), room for them */
  int *cap_names;    /* symbols */
  ref_info *cap_src; /* where each is, where the lambda is evaluated */
  tvec *self;        /* evaluator: the closure of a lambda without
                        captures, or of a global procedure, made once */
  int64_t self_id;
  int early_gen, early_unit;   /* checker-early.c: its unit, for that pass */
};

typedef struct {
  int name;          /* symbol */
  srcloc loc;
  ast *init;         /* NULL for a function binding */
  fn_def *fn;        /* function binding */
  int slot;          /* checker: frame slot for a variable binding */
  bool boxed;        /* checker: captured by a lambda and assigned */
} let_binding;

struct ast {
  ast_kind kind;
  srcloc loc;
  union {
    value k;                                          /* E_CONST */
    struct { int name; ref_info r; } ref;             /* E_REF */
    struct { int name; ref_info r; ast *val; } set;   /* E_SET */
    struct { ast *c, *t, *e; } iff;                   /* E_IF */
    struct { ast **v; int n; } seq;                   /* BEGIN AND OR VECLIT */
    struct {
      let_binding *v; int n; ast *body;
      /* checker, E_LETREC: early, a variable (early_name) that calls in
       * the inits may read before its definition, and where: compiled
       * code refuses the form (checker-early.c) */
      bool early; int early_name; srcloc early_loc;
      /* E_LETREC of a letrec (not letrec* or a body): as in Guile, every
       * init runs before any variable gets its value */
      bool parallel;
    } let;                                            /* E_LET E_LETREC */
    struct {
      int name; srcloc name_loc; ref_info r; ast **args; int n;
      bool tail;                                      /* checker */
      /* checker, compiled modes: 1 + the first argument of a builtin
       * whose kind is known to be wrong (0: none), and that kind; the
       * call then raises the evaluator's kind error where it is run */
      signed char bad_arg, bad_kind;
      ast *op;                                        /* E_APPLY */
    } call;
    struct { fn_def *fn; } lam;                       /* E_LAMBDA */
    struct { int name; srcloc name_loc; ast *val; fn_def *fn; } def;
    struct {
      int name; int n;
      value *keys, *vals; srcloc *locs;
      bool has_default; value dflt;
    } table;                                          /* E_DEFTABLE */
    struct { int name; srcloc name_loc; extern_def *x; } ext; /* E_EXTERN */
  } u;
};

/* ---- builtins ------------------------------------------------------- */

/* The kind an argument must have, checked statically where the argument's
 * kind is known and always at run time. */
typedef enum {
  AK_ANY, AK_INT, AK_VEC, AK_BOOL, AK_PAIR, AK_PROC, AK_STR, AK_CHAR, AK_SYM
} arg_kind;

typedef struct world world;
typedef struct ev_ctx ev_ctx;

/* Evaluator entry for a builtin: args already evaluated (strict builtins). */
typedef value (*builtin_fn)(ev_ctx *c, const ast *call, value *args, int n);

struct builtin {
  const char *name;
  int min_args, max_args;   /* max -1: variadic */
  arg_kind arg;             /* every argument, unless per_arg says */
  const arg_kind *per_arg;  /* NULL, or one kind per position (fixed arity) */
  int result;               /* a vkind, or -1 when it depends */
  builtin_fn fn;
  const char *doc;          /* one-line description for :help / man */
  /* what compiled code cannot run yet ("lists"), or NULL */
  const char *evaluator_only;
};

const builtin *builtin_find(const char *name);
const builtin *builtin_at(int i);   /* NULL past the end */
int builtin_index(const builtin *b);
/* A procedure of Guile's library (iota, filter, sort...) rather than a
 * primitive: programs often define their own, and hiding it is silent. */
bool builtin_library(const builtin *b);
/* ast-names.c: whether e (fn's body) may name one of the n symbols
 * names, by name; whether fn never names its parameters. */
bool ast_names_any(const ast *e, const int *names, int n);
bool ast_fn_names_any(const fn_def *fn, const int *names, int n);
bool ast_fn_ignores_params(const fn_def *fn);
/* An exception handler written as a lambda that never names its
 * parameters: an error or throw reaches it (#:unwind? #t) in both modes,
 * with #f for Guile's exception object (eval.c, lower-exn.c). */
bool ast_blind_handler(const ast *h);
/* The comparisons (= < char=? string<? ...) that Guile applies to
 * their arguments two by two, left to right, checking the kinds of a
 * pair only when it gets there: (= 1 2 'a) is #f, (= 'a) and (=) are #t
 * (numbers.c scm_i_num_eq_p and the others). */
bool builtin_pairwise(const builtin *b);
/* fold, fold-right, reduce: SRFI-1's, unbound until the program says
 * (use-modules (srfi srfi-1)) (world.srfi1), as in Guile. */
bool builtin_srfi1(const builtin *b);
/* The kind argument i must have (per_arg of a variadic builtin covers
 * its first min_args positions). */
static inline arg_kind builtin_arg_kind(const builtin *b, int i) {
  if (!b->per_arg) return b->arg;
  if (b->max_args < 0 && i >= b->min_args) return AK_ANY;
  return b->per_arg[i];
}

/* ---- globals and the world ----------------------------------------- */

typedef enum { G_UNDEFINED, G_VAR, G_FUNC, G_TABLE, G_EXTERN } gkind;

/* A C function declared with (extern NAME "LIBRARY" "SYMBOL" (ARG-TYPES ...)
 * RET-TYPE), resolved with dlopen/dlsym and called through libffi (ffi.c).
 * Types: int32, int64, double, and the others ffi.c documents.  In the
 * reference evaluator a call is an ordinary call; in compiled code it is a
 * tool call in the trace (docs/trace-format.md). */
typedef enum { XT_VOID, XT_INT32, XT_INT64, XT_DOUBLE, XT_STRING } xtype;

struct extern_def {
  int name;                  /* symbol */
  char *library, *symbol;    /* as declared (in the definition's arena) */
  int nargs;
  xtype *args;
  xtype ret;
  void *fn;                  /* resolved address */
  void *cif;                 /* prepared libffi call interface (ffi.c) */
};

/* Resolves and prepares an extern (dlopen, dlsym, ffi_prep_cif), with the
 * call interface allocated in `mem` (the definition's arena); false with
 * a message naming what is missing. */
bool ffi_prepare(extern_def *x, arena *mem, char *err, size_t errlen);
/* Calls it with tvl values (kinds checked against the declared types;
 * string arguments and results go through w's interned strings); the
 * result converted back (an int64 or double result that does not fit a
 * 32-bit integer is an error, never a wrapped value).  Errors of a call
 * have the kind "ffi". */
bool ffi_invoke(world *w, const extern_def *x, const value *args, int nargs,
                value *out, char *err, size_t errlen);
/* "int32", "int64", "double", "string", "void". */
const char *xtype_name(xtype t);

/* C calls recorded and replayed (ffi-replay.c).  A run that repeats a
 * program (check mode's reference evaluator, :trace, :margins) calls no C
 * function a second time: its k-th call of a function with given
 * arguments takes the k-th outcome recorded for it since the replay's
 * starting point; a call with none is made (FFI_REPLAY_OR_LIVE) or
 * refused (FFI_REPLAY).  Every real call is recorded in w->calls. */
typedef enum { FFI_LIVE, FFI_REPLAY, FFI_REPLAY_OR_LIVE } ffi_mode;
typedef struct ffi_log ffi_log;
ffi_log *ffi_log_new(void);
void ffi_log_free(ffi_log *l);
void ffi_log_clear(ffi_log *l);
int64_t ffi_log_size(const ffi_log *l);   /* calls ever recorded */
/* from: an ffi_log_size taken when the first run started; who: the
 * replaying run, for messages (":trace"). */
void ffi_replay_begin(world *w, ffi_mode mode, int64_t from, const char *who);
void ffi_replay_end(world *w);
/* For ffi_invoke: the call as text; a recorded outcome (1 a value, 0 an
 * error in err, -1 none); a real call's outcome (takes key). */
char *ffi_call_key(world *w, const extern_def *x, const value *args, int nargs);
int ffi_log_take(world *w, const char *key, value *out, char *err, size_t errlen);
void ffi_log_add(world *w, char *key, bool ok, value result, const char *err);

typedef struct {
  int n;
  value *keys, *vals;
  bool has_default;
  value dflt;
} table_def;

struct gcell {
  int name;
  gkind kind;
  value val;           /* G_VAR */
  fn_def *fn;          /* G_FUNC */
  table_def *table;    /* G_TABLE */
  extern_def *ext;     /* G_EXTERN */
  struct defblock *blk;/* owns fn / table / AST of the definition */
  srcloc loc;          /* where it was defined */
  uint32_t txn;        /* see world_txn_* */
  uint64_t version;    /* bumped at every redefinition */
};

/* A REF_GLOBAL with a builtin (a builtin the script redefines further
 * down, used in a procedure body) means the builtin while the global is
 * undefined: each use sees the binding as it is when it runs. */
static inline bool ref_is_builtin_now(const ref_info *r) {
  return r->kind == REF_GLOBAL && r->bi && r->cell->kind == G_UNDEFINED;
}

typedef struct {
  int64_t max_steps;   /* calls + loop iterations in the evaluator */
  int max_depth;       /* nested non-tail calls */
  int64_t max_heap;    /* vector cells, all vectors together */
  int64_t max_memory;  /* bytes of heap in use (base/guard.c) */
  double max_seconds;  /* of one form's run; 0: no limit */
} limits;

typedef void (*out_fn)(void *ctx, const char *s, size_t n);

struct world {
  symtab syms;
  VEC(char *) strings;         /* immutable strings (UTF-8) */
  VEC(struct wchars { int32_t n; int32_t *cp; bool literal; }) string_chars;
                               /* the same strings decoded: characters;
                                  literal: a literal of the program, never
                                  shared by interning */
  src_registry src;
  VEC(gcell *) globals;        /* indexed by symbol id, may hold NULL */
  VEC(tvec *) heap;
  int64_t heap_cells;
  limits lim;
  out_fn out;
  void *out_ctx;
  volatile int *interrupt;     /* set asynchronously by Ctrl-C */
  bool no_extern;              /* foreign code switched off (--no-extern) */
  struct ffi_log *calls;       /* C calls made, for replays (ffi-replay.c) */
  int ffi_mode;                /* an ffi_mode */
  int64_t ffi_from;            /* where the replay's calls start */
  const char *ffi_replayer;    /* ":trace", ... while replaying */
  bool strict_kinds;           /* the checker rejects argument kinds known
                                  statically (compiled modes); the
                                  reference evaluator finds them at run time */
  VEC(struct defblock *) pinned; /* code that closures point into */
  struct defblock *form_blk;   /* the top-level form compiled code runs:
                                  the closures it makes keep it */
  bool one_value;              /* compiling a define's value: one value is
                                  needed (lang/lower-values.c) */
  bool here_handlers;          /* a with-exception-handler without
                                  #:unwind? #t whose handler ignores its
                                  argument was checked: compiled code calls
                                  prelude-wind.c's %throw-here (lang/
                                  lower-exn.c), never unset */
  bool no_landings;            /* lowering without the landings where a
                                  catch takes a builtin's error (its model
                                  was too big with them: lib/runner.c) */
  bool srfi1;                  /* the program said (use-modules (srfi
                                  srfi-1)): fold, take, ... are bound */
  bool ice9_format;            /* ... (use-modules (ice-9 format)): format
                                  has more directives (expand-format.c) */
  bool ice9_match;             /* ... and (ice-9 match): match is syntax */
  VEC(int) rec_tids;           /* the record types this world defined
                                  (lang/records.c's process-wide numbers):
                                  the types compiled display tests */
  VEC(struct macro *) macros;  /* define-syntax (macro.c), in macro_mem */
  arena macro_mem;
  int64_t macro_uses;          /* for the fresh names of expansions */
  /* transaction journal: a failed top-level form restores what it changed */
  uint32_t txn;
  VEC(struct gsave { gcell *cell; gcell old; bool redefine; }) gjournal;
  VEC(struct vsave { tvec *v; int32_t n; value *items; }) vjournal;
  int64_t heap_mark;           /* heap.n when the transaction began */
};

world *world_new(void);
void world_free(world *w);
/* Forget every definition and vector; keeps the source registry. */
void world_reset(world *w);
int world_intern_string(world *w, const char *s, size_t n);
/* A new immutable string for one string literal of the program: two
 * literals with the same text are two objects, as in Guile (so
 * (eq? "a" "a") is #f and case never matches a string). */
int world_literal_string(world *w, const char *s, size_t n);
bool world_has_literal_strings(const world *w);
const char *world_string(const world *w, int id);
/* The characters of a string value (interned or on the heap): its
 * length and the code point at an index (in range). */
int32_t str_length(const world *w, value s);
int32_t str_ref(const world *w, value s, int32_t i);
/* A string value as UTF-8 (appended to out). */
void str_utf8(const world *w, value s, strbuf *out);
/* Appends one code point as UTF-8; reads one (moving *i past it). */
void utf8_put(strbuf *out, int32_t cp);
int32_t utf8_get(const char *s, size_t n, size_t *i);

/* ---- characters (chars.c) ------------------------------------------- */

/* What follows #\ in a character literal: a single character, a name
 * (space, newline, nul, ...), xHH... in hex or NNN in octal; -1 when it
 * is none of these. */
int32_t char_from_name(const char *s, size_t n);
/* `write` forms, as Guile prints them: #\a #\space #\x7f is #\delete,
 * and a string with its escapes ("a\nb"). */
void char_write(int32_t cp, strbuf *out);
/* One character of a string as `write` shows it inside the quotes. */
void str_char_write(int32_t cp, strbuf *out);
void str_write(const world *w, value s, strbuf *out);
/* A symbol as `write` shows it: #{hello world}# when it could not be
 * read back as written (as Guile does). */
void sym_write(const char *name, strbuf *out);
/* Whether a symbol's character is written \xHH; inside #{...}# (sym_write). */
bool sym_char_escaped(int32_t cp);
/* proctext.c: how a procedure prints (builtin b, else lambda fn), as in
 * Guile: #<procedure car (_)>, #<procedure f (a b)>. */
void proc_text(const symtab *syms, const src_registry *src, const builtin *b, const fn_def *fn,
               strbuf *out);
/* builtins-text.c: string-join's grammar of that name: 0 infix, 1
 * strict-infix, 2 prefix, 3 suffix, -1 none */
int string_join_grammar(const char *name);
bool char_valid(int64_t cp);   /* a Unicode scalar value */
bool char_alphabetic(int32_t cp);
bool char_numeric(int32_t cp);
bool char_whitespace(int32_t cp);
bool char_upper_case(int32_t cp);
bool char_lower_case(int32_t cp);
int32_t char_upcase(int32_t cp);
int32_t char_downcase(int32_t cp);
int32_t char_ci_key(int32_t cp);     /* what char-ci=? compares */
int32_t string_ci_key(int32_t cp);   /* what string-ci=? compares */
/* The tables behind the classes (sorted [lo, hi] ranges) and the case
 * mappings (sorted [from, to] pairs), for compiled code's lookups
 * (backend/mchars.c); returns the number of rows. */
enum { UC_ALPHA, UC_NUMERIC, UC_WHITE, UC_UPPER, UC_LOWER, UC_UPCASE, UC_DOWNCASE,
       UC_NTABLES };
int char_table(int which, const int32_t (**rows)[2]);
gcell *world_cell(world *w, int sym);          /* created on demand */
gcell *world_find(const world *w, int sym);    /* NULL if never seen */

/* A transaction around each top-level form. */
void world_txn_begin(world *w);
void world_txn_commit(world *w);
void world_txn_rollback(world *w);
/* Called before a change: snapshots the cell / vector once per txn. */
void world_save_cell(world *w, gcell *c);
void world_save_vec(world *w, tvec *v);

/* The arena of a top-level form that defines something is shared by every
 * name the form defines: it is freed when the last of them is redefined. */
typedef struct defblock {
  arena mem;
  int refs;
  bool pinned;     /* a closure points into it: kept until world_reset */
} defblock;
/* Keeps a definition's code alive for the closures made from it (no
 * collector: until the world is reset). */
void world_pin(world *w, defblock *b);
defblock *world_adopt(arena *mem);          /* takes the arena's contents */
void defblock_release(defblock *b);
/* What a global that is not a variable is, for messages ("procedure"). */
const char *gkind_text(gkind k);
/* Installs a definition in a cell, journaled so that rollback undoes it. */
void world_define(world *w, gcell *c, gkind kind, value val, fn_def *fn,
                  table_def *table, defblock *blk, srcloc loc);
/* The same for an extern (x lives in blk). */
void world_define_extern(world *w, gcell *c, extern_def *x, defblock *blk,
                         srcloc loc);

tvec *world_new_vec(world *w, int32_t n, value fill); /* NULL: heap limit */
/* A heap object of any tag (NULL: heap limit); a pair costs 4 cells. */
tvec *world_new_obj(world *w, tvec_tag tag, int32_t n, value fill);

/* ---- errors --------------------------------------------------------- */

typedef struct {
  srcloc loc;
  char *msg;          /* owned */
  const char *kind;   /* "syntax", "check", "overflow", "bounds", ... */
  int status;         /* kind "exit": the status (exit N) asked for */
} lang_error;

void lang_error_free(lang_error *e);
void lang_error_set(lang_error *e, srcloc loc, const char *kind,
                    const char *fmt, ...) TVL_PRINTF(4, 5);

/* ---- expander ------------------------------------------------------- */

/* Turns one top-level form into an AST allocated in `mem`.  Returns NULL
 * and fills err on a malformed form. */
ast *ex_expand_toplevel(world *w, const sx *form, arena *mem, lang_error *err);

/* ---- macros (macro.c) ---------------------------------------------- */

/* define-syntax with syntax-rules at top level: the macro is kept by the
 * world until it is redefined, a global of its name is defined, or the
 * world is reset.  A use is rewritten into new syntax in `out`; NULL with
 * err filled when no rule matches. */
struct macro;
bool mac_define(world *w, const sx *form, lang_error *err);
const struct macro *mac_find(const world *w, int sym);
void mac_forget(world *w, int sym);
sx *mac_expand(world *w, const struct macro *m, const sx *form, arena *out,
               lang_error *err);

/* ---- checker -------------------------------------------------------- */

/* Resolves names, lays out frames, marks tail calls, checks arity and the
 * kinds that are known statically.  `later` lists names a script will
 * define further down (may be NULL); other unknown globals are errors at
 * top level and warnings inside function bodies (reported through warn). */
typedef void (*warn_fn)(void *ctx, srcloc loc, const char *msg);
bool ck_check_toplevel(world *w, ast *form, int *toplevel_frame,
                       const int *later, int nlater,
                       warn_fn warn, void *warn_ctx, lang_error *err);

/* What compiled code cannot run yet (lists, closures, procedures as
 * values, variadic procedures): false with a clear error at the first
 * such place.  Called before lowering in the compiled modes. */
bool ck_compilable(world *w, const ast *form, lang_error *err);
/* lang/lower-closure.c: whether compiled code calls builtin b through a
 * value (the checker's gate asks) */
bool lw_builtin_value_ok(const builtin *b);
/* lang/lower-values.c: argument i of call a is the builtin values as the
 * producer of call-with-values, which compiled code runs in place */
bool lw_values_producer(const ast *a, int i);

/* "an integer", "a vector", ... : what an argument kind asks for. */
const char *ck_arg_kind_name(arg_kind k);

/* ---- reference evaluator ------------------------------------------- */

typedef enum {
  EV_OK, EV_ERROR
} ev_status;

typedef struct {
  value result;
  int64_t steps;
  bool defined;          /* the form was a definition */
  int def_name;          /* symbol defined */
} ev_outcome;

/* Evaluates a checked top-level form.  Definitions are committed to the
 * world; on error the world is left exactly as it was before the form. */
ev_status ev_toplevel(world *w, ast *form, int frame_size, arena *form_mem,
                      ev_outcome *out, lang_error *err);
/* The same, with definitions keeping `blk` (the caller's reference stays
 * the caller's). */
ev_status ev_toplevel_in(world *w, ast *form, int frame_size, defblock *blk,
                         ev_outcome *out, lang_error *err);

/* Runs fn(arg) on a thread whose stack is deep enough for the recursion
 * limits (in place when already on one).  Every pass over a form runs
 * there, so that no input can exhaust the C stack. */
void lang_run_deep(void (*fn)(void *), void *arg);

/* Printing in Scheme's `display` and `write` styles (circular vectors
 * with datum labels), and Scheme's eqv? and equal?. */
void value_print(const world *w, value v, strbuf *out, bool write);
bool value_eqv(value x, value y);
bool value_equal(value x, value y);
/* equal? with the world, which string contents need: value_equal
 * compares an interned string and a heap string as different. */
bool value_equal_in(const world *w, value x, value y);

/* Guile's arguments for a builtin's error (lang/guile-args.c): its site
 * notes what it knows just before ev_fail, which keeps the note for that
 * one error (armed 2, then 1); a catch's handler gets them (eval.c). */
typedef struct {
  int armed;
  char what;          /* 't' kind, 'r' index out of range, 'z' division
                         by zero, 'l' list-tail past the end, 'a' a call
                         of a value not a procedure, 'u' unbound */
  const char *op;     /* the builtin */
  int pos;            /* the argument, from 1 */
  value got;          /* the value at fault (the index, the list's end) */
  int32_t len;        /* 'r': the length of the string */
} ev_note;
ev_note *ev_note_of(ev_ctx *c);
void ev_note_kind(ev_ctx *c, const char *op, int i, value got);   /* i from 0 */
void ev_note_range(ev_ctx *c, const char *op, int i, value k, int32_t len);
void ev_note_div(ev_ctx *c, const char *op);
void ev_note_tail(ev_ctx *c, const char *op, value tail);
void ev_note_apply(ev_ctx *c, value f);       /* f called, not a procedure */
void ev_note_unbound(ev_ctx *c, value name);  /* a symbol */
/* The arguments of the error just raised, when noted and listed; false
 * for tvl's own (#f MESSAGE () #f). */
bool ev_guile_args(ev_ctx *c, srcloc loc, value *args);

/* Used by builtins. */
TVL_NORETURN void ev_fail(ev_ctx *c, srcloc loc, const char *kind,
                          const char *fmt, ...) TVL_PRINTF(4, 5);
TVL_NORETURN void ev_heap_full(ev_ctx *c, srcloc loc);
/* Calls a procedure value from a builtin (map, apply...): a non-tail
 * call; errors point at `site`. */
value ev_call_value(ev_ctx *c, const ast *site, value f, value *args, int n);
/* The same, with the callee's result as it is: several values (see
 * ev_values) when it returns them. */
value ev_call_tail(ev_ctx *c, const ast *site, value f, value *args, int n);
/* A builtin that calls a procedure as its last act (apply,
 * call-with-values): ev_tail_ok, asked first, says whether its call
 * `call` is in tail position; ev_tail_defer then hands the call of
 * closure f to the evaluator, which makes it as a tail call. */
bool ev_tail_ok(ev_ctx *c, const ast *call);
value ev_tail_defer(ev_ctx *c, value f, const value *args, int n);
/* The result of (values v...): v[0] itself when n is 1, else a marker
 * of n values that only a tail position passes on. */
value ev_values(ev_ctx *c, const value *v, int n);
/* The number of values a marker of ev_values holds (their array in
 * *items, valid until the next ev_values), or -1 for one plain value. */
int ev_multiple(ev_ctx *c, value v, const value **items);
/* A new pair (heap limit checked, error at loc). */
value ev_cons(ev_ctx *c, srcloc loc, value car, value cdr);
world *ev_world(ev_ctx *c);
/* The error being raised, and raising it once filled (error, exit). */
lang_error *ev_error(ev_ctx *c);
TVL_NORETURN void ev_raise(ev_ctx *c);
void ev_output(ev_ctx *c, const char *s, size_t n);
/* (call/cc f) with escape-only continuations (eval.c): f called with a
 * continuation that, while the call lives, returns its arguments from it. */
value ev_call_cc(ev_ctx *c, const ast *site, value f);
/* dynamic-wind, catch, throw (eval.c; builtins in builtins-wind.c). */
value ev_dynamic_wind(ev_ctx *c, const ast *site, value before, value thunk,
                      value after);
value ev_catch(ev_ctx *c, const ast *site, value key, value thunk,
               value handler);
TVL_NORETURN void ev_throw(ev_ctx *c, srcloc loc, value key, value args);
/* The key and arguments a catch gets for the error raised next. */
void ev_set_thrown(ev_ctx *c, value key, value args);
bool ev_catching(ev_ctx *c);   /* a catch runs */
/* with-exception-handler (unwind: #:unwind? #t) and raise-exception */
value ev_with_handler(ev_ctx *c, const ast *site, value proc, value thunk, bool unwind);
value ev_raise_exception(ev_ctx *c, const ast *site, value obj, bool continuable);
void wind_error_thrown(ev_ctx *c, const ast *call, value *a, int n);

/* ---- string ports (ports.c) ----------------------------------------- */

/* Where output goes: NULL for the program's output, else the string port
 * of with-output-to-string; set back by call/cc's escapes. */
/* A call of display, write, newline or write-char with a port argument
 * (which compiled code refuses). */
bool port_argument(const ast *call);
/* lower-ports.c: which argument of an output call (display, write,
 * newline, write-char, format, simple-format) is its port, or -1; whether
 * a is (current-output-port); whether it is a call of a port procedure
 * compiled code runs (open-output-string, get-output-string,
 * call-with-output-string, with-output-to-string). */
int port_arg_index(const ast *call);
bool port_is_current(const ast *a);
bool port_is_error(const ast *a);   /* (current-error-port) */
bool port_compiled(const ast *call);
bool port_predicate(const ast *call);   /* port?, input-port?, output-port? */
/* (string->symbol "literal") or (symbol-append 'a 'b ...): true, and
 * the symbol in *sym (if not NULL), which compiled code takes as a
 * constant. */
bool port_symbol_literal(world *w, const ast *call, int *sym);
/* How a port or the end-of-file object prints. */
void port_print(value v, strbuf *out);
tvec *port_current(void);
void port_set_current(tvec *p);
/* ev_output's text while with-output-to-string runs: false when none. */
bool port_redirect(ev_ctx *c, const char *s, size_t n);
/* Appends text (UTF-8) to an output string port. */
void port_write(ev_ctx *c, srcloc loc, tvec *p, const char *s, size_t n);
/* The port argument i of display, write, newline, write-char: NULL for
 * the current output, else the string port (a kind error otherwise). */
tvec *port_arg(ev_ctx *c, const ast *call, value *a, int n, int i,
               const char *op);

#endif
