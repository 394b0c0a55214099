/* lower.h - what the two halves of the lowering share (lang/lower.c:
 * context, kinds, building IR, evaluation order, references, builtins,
 * calls, expressions; lang/lower-proc.c: inlining with effects, local
 * procedures, whole functions, the listing).  Private to lang/: the
 * lowering's public interface is ir.h.
 *
 * Ownership: as in ir.h; an lw context lives for one lowering and owns
 * nothing but its vectors, which the entry points free.
 */
#ifndef TVL_LANG_LOWER_H
#define TVL_LANG_LOWER_H

#include "ir.h"

/* ---- purity --------------------------------------------------------- */

typedef struct purity_memo {
  const fn_def *fn;
  int state;   /* 1 visiting, 2 pure, 3 impure */
} purity_memo;

typedef struct {
  world *w;
  VEC(purity_memo) memo;
} purity;

/* ---- the lowering context ------------------------------------------- */

/* What a frame slot of the AST stands for while lowering. */
typedef struct {
  int var;          /* IR variable, or -1 */
  ir_expr *expr;    /* a pure expression bound by let or inlining */
  bool boxed;       /* var holds the variable's box (lower-box.c) */
} slot_binding;

/* One AST function activation: the top level, a procedure being lowered,
 * an inlined body, a contified loop.  `up` is its static parent. */
typedef struct frame_map {
  const fn_def *fn;
  slot_binding *slots;
  int nslots;
  struct frame_map *up;
  struct loop_info *loops;   /* contified loops defined here */
  int *cap_vars;    /* a lambda's frame: the IR variables of its captured
                       values (lower-closure.c) */
  int edepth;       /* its depth (nested calls, as the evaluator counts
                       them) minus the IR function's at entry */
} frame_map;

/* Where the value of an expression in tail position goes. */
typedef struct {
  int id;           /* identity, to recognise jumps to the same place */
  bool ret;         /* return from the IR function */
  int var;          /* else: assign here (-1: discard) ... */
  int label;        /* ... and jump here */
} cont;

typedef struct loop_info {
  const fn_def *fn;
  int head;          /* label at the top of the body */
  int *params;       /* IR vars */
  cont k;            /* where the loop's value goes */
  frame_map *def;    /* frame it was defined in */
  struct loop_info *next;
} loop_info;

/* A lifted local procedure: its IR function and the variables it
 * captures, passed as extra arguments. */
typedef struct {
  const fn_def *fn;
  int irfn;
  int ncap;                    /* captured variables passed as arguments */
  int *cap_depth, *cap_slot;   /* relative to the defining frame; a slot
                                  -1 - j: item j of that lambda frame's closure */
  bool shared;                 /* reads the enclosing frames directly */
  bool lowered;
  frame_map *def;              /* the frame it was defined in */
} lifted;

typedef struct {
  ir_prog *p;
  world *w;
  lang_error *err;
  bool failed;
  int fn;                  /* IR function being filled */
  int next_cont;
  purity pu;
  VEC(lifted) lift;
  /* global procedures already lowered: cell -> IR function */
  VEC(struct gfn { gcell *cell; int irfn; }) gfns;
  VEC(struct work { gcell *cell; int irfn; }) pending;
  int inline_depth;
  const ast *no_select;    /* an if/and/or whose arms need statements:
                              lowered as branches */
  gcell *self_cell;        /* global procedure being lowered */
  bool in_lifted;          /* lowering the body of a lifted procedure */
  int deep_pair, deep_vec; /* 1 + the class of the world's pairs, vectors
                              nested deep (lower-types.c), 0: none yet */
  loop_info *self_loop;    /* its body as a loop, for tail calls to itself */
  VEC(int) fail_types;     /* kinds of X_FAIL values: void if nothing else
                              fixes them (they never produce a value) */
  bool conservative;       /* second pass of a program with tagged values:
                              every kind check may fail */
  bool catch_raise;        /* lower %catch-raise with the first catch that
                              may take a builtin's error (a pass after one
                              that found landings: lower-wind.c) */
  bool winds;              /* a dynamic-wind is lowered: a builtin's error
                              that stops the program gets a landing that
                              runs the after thunks (lower-wind.c) */
  unsigned catch_takes, catch_sees;  /* per builtin error key (lower-wind.c
                              CK_*): a catch may take it; one whose handler
                              may look at its arguments may take it */
  VEC(const ast *) callv_sites;  /* calls through values (S_CALLV l1) */
  VEC(int) proc_flow;            /* pairs (to, from): a checked procedure's
                                    class gets every procedure its operand's
                                    gets, later ones too (lower-kinds.c) */
  VEC(int) lam_pending;          /* lambdas whose bodies wait (proc index) */
  struct lw_vmemo *vmemo;        /* world objects -> classes (lower-valtype.c) */
  struct lw_mv *mv;              /* multiple values (lower-values.c); NULL
                                    in programs that make none */
  /* string ports (lower-ports.c): the classes of ports, the reads of
   * their pieces, the static cells of with-output-to-string's port (+1) */
  VEC(int) port_types;
  VEC(int) port_in_types;    /* ... of input ports */
  VEC(int) port_eof_types;   /* classes that may hold the end-of-file object */
  VEC(ir_expr *) port_preds; /* port?, input-port?, output-port? to settle */
  VEC(int) port_pred_which;  /* ... the ports each is true of: 1 out, 2 in */
  VEC(const ir_expr *) port_nodes;
  int port_on, port_cur;
  bool port_form;          /* lowering a top-level form (its main function
                              never runs inside with-output-to-string) */
  VEC(int) port_sites;     /* each piece's class, in the order made */
  VEC(tkind) port_spec;    /* ... the kind it was made for (T_ANY: all) */
  /* records (lower-records.c): the classes of the blocks made, the
   * record tests to settle and their operands' classes, our reads */
  VEC(int) rec_types;
  VEC(int) vec_views;          /* pairs (view, class) of vector checks */
  VEC(int) rec_type_tids;      /* the tid of the records of each of rec_types */
  /* kind errors whose message says "not a vector" before the classes of
   * records and ports are known: the failure, the operand's class and
   * where the kind's name starts (lower-kinds.c, lw_vec_kind_names) */
  VEC(struct vec_msg { int fail, type, at; }) vec_msgs;
  VEC(ir_expr *) rec_preds;
  VEC(int) rec_pred_types;
  VEC(const ir_expr *) rec_nodes;
  bool block_nofill;   /* lower-strings2.c: the next string block is one
                          the code after it writes whole (no fill loop) */
} lw;
/* lower-records.c: the record builtins (define-record-type) */
bool lw_record_effect_name(const char *name);
ir_expr *lw_record_prim(lw *c, const ast *a, const builtin *b, ir_expr **args, int n);
ir_expr *lw_record_effect(lw *c, const ast *a, frame_map *f);
int lw_record_type_of(lw *c, value v, int depth);
void lw_record_check(lw *c);
/* lower-valtype.c: the class of a world object met before (-1: none;
 * *busy: its parts are being walked), and noting one */
int lw_vmemo_get(lw *c, const tvec *t, bool *busy);
void lw_vmemo_put(lw *c, const tvec *t, int type, bool busy);
void lw_vmemo_free(lw *c);

/* ---- shared between lower.c and lower-proc.c ------------------------ */

bool lw_prim_pure(const builtin *b);
bool lw_fn_pure(purity *pu, const fn_def *f);
void lw_fail(lw *c, srcloc loc, const char *fmt, ...) TVL_PRINTF(3, 4);
const char *lw_nm(lw *c, int sym);
int lw_new_type(lw *c, tkind k);
bool lw_unify(lw *c, int a, int b, srcloc loc, const char *what);
int lw_type_of_kind(lw *c, tkind k);
bool lw_want(lw *c, const ir_expr *e, tkind k, const char *what);
int lw_type_of_value(lw *c, value v, int depth);
ir_expr *lw_mk(lw *c, x_kind k, srcloc loc, int n);
ir_expr *lw_var_expr(lw *c, int var, srcloc loc);
int lw_new_var(lw *c, int name, var_class cls, srcloc loc);
ir_stmt *lw_emit(lw *c, s_kind k, srcloc loc);
int lw_new_label(lw *c);
void lw_label(lw *c, int l, srcloc loc);
void lw_assign(lw *c, int var, ir_expr *e, srcloc loc);
ir_expr *lw_void_expr(lw *c, srcloc loc);
/* e, with its errors reported at loc as the evaluator does. */
ir_expr *lw_at_place(lw *c, ir_expr *e, srcloc loc);
/* v, reached after the arguments args[0..n) (their errors first). */
ir_expr *lw_after_args(lw *c, ir_expr *v, ir_expr **args, int n);
/* A run-time error raised where compiled code reaches it (X_FAIL), in the
 * evaluator's words; its value is of any kind. */
ir_expr *lw_fail_expr(lw *c, srcloc loc, const char *kind, const char *fmt, ...)
    TVL_PRINTF(4, 5);
frame_map *lw_new_frame(lw *c, const fn_def *fn, int nslots, frame_map *up);
frame_map *lw_frame_up(frame_map *f, int depth);
loop_info *lw_find_loop(frame_map *f, int depth, const fn_def *fn);
lifted *lw_find_lifted(lw *c, const fn_def *fn);
void lw_add_dep(lw *c, gcell *g);
void lw_use_table(lw *c, gcell *g);
bool lw_assigns_slot(const ast *a, int depth, int slot);
/* Whether evaluating e can raise an error. */
bool lw_may_fail(lw *c, const ir_expr *e);
/* The element class of vectors of class t (made when it has none). */
int lw_elem_of(lw *c, int t);
/* The car (cdr false) or cdr class of pairs of class t (made when none). */
int lw_pair_part(lw *c, int t, bool cdr);
/* lower-kinds.c: args[i] of a call of fn as an operand that must be of
 * kind k (X_CHECK); it is given kind k when it may have it. */
ir_expr *lw_checked_arg(lw *c, const ast *call, const char *fn, ir_expr **args,
                        int i, tkind k);
/* e (a value of kind k) where its own class may come to hold tagged
 * values: the variable a statement fills keeps kind k. */
ir_expr *lw_retype(lw *c, ir_expr *e, tkind k);
bool lw_proc_flow(lw *c);

/* lower-narrow.c: in the arm of an if that its test proves, a variable
 * tested by a kind predicate reads as a value of that kind. */
typedef struct {
  slot_binding *s;
  ir_expr *old, *now;
} lw_narrowed;
bool lw_narrow_begin(lw *c, const ast *test, bool then_arm, const ast *arm,
                     frame_map *f, lw_narrowed *sv);
void lw_narrow_end(lw_narrowed *sv);
/* When the lowering ends: checks whose operand has their kind removed,
 * messages of those that always fail completed, has_dyn set. */
void lw_settle_kinds(lw *c);
void lw_vec_kind_names(lw *c);   /* "not a record" of a class of records */
/* lower-lists.c: a new pair (a statement), its value. */
ir_expr *lw_cons(lw *c, ir_expr *car, ir_expr *cdr, srcloc loc);
ir_expr *lw_list(lw *c, const ast *a, frame_map *f);
ir_expr *lw_quoted(lw *c, value v, srcloc loc);
bool lw_may_be_structured(lw *c, const ir_expr *e);
bool lw_equal_walks(lw *c, const ir_expr *x, const ir_expr *y);
ir_expr *lw_equal(lw *c, ir_expr **args, srcloc loc);
ir_expr *lw_member(lw *c, const ast *a, const char *name, ir_expr **args);
ir_expr *lw_cxr(lw *c, const ast *a, const char *name, ir_expr **args);
ir_expr *lw_set_part(lw *c, const ast *a, const char *name, ir_expr **args);
/* lower-listlib.c: length, list?, append, reverse, list-tail, list-ref,
 * assq, assv, assoc, list-copy, last-pair, vector->list, list->vector as
 * loops; NULL for other builtins.  Those that make pairs or vectors are
 * statements (lw_effect_prim), the others are lowered with the pure. */
bool lw_listlib_allocates(const char *name);
ir_expr *lw_listlib_prim(lw *c, const ast *a, const char *name, ir_expr **args, int n);
ir_expr *lw_listlib_effect(lw *c, const ast *a, frame_map *f);
/* lower-apply2.c: apply of list and append to any number of arguments,
 * as a loop */
bool lw_apply_fold_ok(const builtin *b);
void lw_apply_fold(lw *c, const ir_stmt *s, const builtin *b, bool ret, int end);
bool lw_apply_map_ok(const builtin *b);
void lw_apply_map(lw *c, const ir_stmt *s, const ast *a, const builtin *b, int hi, bool ret,
                  int end);
/* lower-listlib2.c: filter, delete, iota, cons*, acons, sort, vector-copy
 * (statements) */
bool lw_listlib2_name(const char *name);
ir_expr *lw_listlib2_effect(lw *c, const ast *a, frame_map *f);
/* ... called through a value (those that call no procedure) */
bool lw_listlib_value_ok(const builtin *b);
ir_expr *lw_listlib_value_call(lw *c, const ast *a, const builtin *b, ir_expr **args, int n);
ir_expr *lw_listlib_call(lw *c, const ast *a, const char *name, ir_expr **args, int n);
/* lower-sort.c: (sort seq less), (stable-sort seq less), less checked */
ir_expr *lw_sort_call(lw *c, const ast *a, const int *v, int depth);
ir_expr *lw_ll_finish(lw *c, int hl[2], ir_expr *x, srcloc loc);
/* ... and their parts, for lower-hof.c: a proper list's length (or the
 * evaluator's error), a list built in order (hl: its first and last
 * pair variables), an error's text written as the program runs */
int lw_ll_length(lw *c, int l, const char *op, int argi, srcloc at, srcloc loc);
int lw_ll_length_dyn(lw *c, int l, const char *op, int argvar, srcloc at, srcloc loc);
void lw_ll_builder(lw *c, int hl[2], srcloc loc);
void lw_ll_push_back(lw *c, int hl[2], ir_expr *x, srcloc loc);
void lw_ll_err_text(lw *c, const char *text, srcloc loc);
void lw_ll_err_write(lw *c, ir_expr *x, srcloc loc);
void lw_ll_err_raise(lw *c, srcloc at, const char *kind, const char *msg);
/* lower-hof.c: map, for-each, vector-map, vector-for-each and SRFI-1
 * fold, loops that call their procedure through its value (statements);
 * NULL for other builtins */
bool lw_hof_name(const char *name);
ir_expr *lw_hof_effect(lw *c, const ast *a, frame_map *f);
ir_expr *lw_prim(lw *c, const ast *a, const builtin *b, ir_expr **args, int n);
/* lower-chars.c: a call of a character builtin, or NULL for others. */
ir_expr *lw_char_prim(lw *c, const ast *a, const builtin *b, ir_expr **args, int n);
/* lower-strings.c: a call of a procedure that reads strings, or NULL. */
ir_expr *lw_string_prim(lw *c, const ast *a, const builtin *b, ir_expr **args, int n);
ir_expr *lw_effect_prim(lw *c, const ast *a, frame_map *f);
/* lower-error.c: error and exit */
/* lower-wind.c: dynamic-wind, catch and throw (NULL: not one of them);
 * error's offer to the catches; an escape's unwinding where call/cc
 * resumes (i: its record's index); lower-callcc.c: CCN's value */
ir_expr *lw_wind_call(lw *c, const ast *a, frame_map *f);
/* lower-exn.c: with-exception-handler and raise-exception (NULL: not
 * one of them) */
ir_expr *lw_exn_call(lw *c, const ast *a, frame_map *f);
/* lower-pairwise.c: a comparison Guile applies two by two whose later
 * arguments may be of a wrong kind, or of fewer than 2 arguments (NULL:
 * lw_prim as usual) */
ir_expr *lw_pairwise(lw *c, const ast *a, const builtin *b, ir_expr **args, int n);
int lw_pairwise_operand(lw *c, const ast *a, int v, int i);
ir_expr *lw_checked_arg_late(lw *c, const ast *call, const char *fn, ir_expr **args,
                             int i, tkind k);
void lw_wind_error(lw *c, const ast *a, frame_map *f, const int *vars, int n);
void lw_wind_resume(lw *c, const ast *a, frame_map *f, int i);
/* (exit [ARG]): offered to the catches as Guile's throw of quit, then
 * the after thunks of the winds that run are called (lower-wind.c). */
void lw_wind_exit(lw *c, const ast *a, frame_map *f, const int *vars, int n);
/* An error or exit about to stop the program: in a program that has
 * dynamic-wind, the after thunks of the open winds run first. */
void lw_wind_stop(lw *c, srcloc loc, int depth);
/* After the kinds settle: a landing for each kind check that may fail
 * (ir_prog.landings), where a catch takes its error. */
void lw_wind_landings(lw *c);
/* lower-exn.c: the prelude procedure the landings call */
const char *lw_catch_raise_name(lw *c);
ir_expr *lw_callcc_n(lw *c, srcloc loc);
bool lw_is_stop_name(const char *name);
ir_expr *lw_stop_effect(lw *c, const ast *a, frame_map *f);
/* lower-strings2.c: strings made at run time, and the procedures that
 * read strings with loops (statements); NULL for other builtins */
bool lw_strings_allocates(const char *name);
ir_expr *lw_strings_effect(lw *c, const ast *a, frame_map *f);
ir_expr *lw_string_length(lw *c, ir_expr *s, bool null, srcloc loc);
ir_expr *lw_symbol_name(lw *c, ir_expr *sym, srcloc loc);
bool lw_may_be_string(lw *c, const ir_expr *e);
ir_expr *lw_string_equal(lw *c, const ast *a, const builtin *b, ir_expr **args, srcloc loc);
/* lower-arith.c: 1+, 1-, exact?, exact-integer? (NULL for other
 * builtins), and gcd and lcm (statements: impure in lw_prim_pure). */
ir_expr *lw_arith_prim(lw *c, const ast *a, const builtin *b, ir_expr **args);
ir_expr *lw_gcd_lcm(lw *c, const ast *a, frame_map *f);
/* lower-expt.c: expt whose base and exponent are both computed (a loop
 * in steps); NULL when one is a constant. */
ir_expr *lw_expt_computed(lw *c, const ast *a, ir_expr **args);
/* lower-division.c: floor/ and truncate/ (quotient and remainder),
 * their one-value forms, exact-integer-sqrt (root and rest). */
bool lw_division_name(const char *name);
void lw_division(lw *c, const ast *a, ir_expr **args, ir_expr **q, ir_expr **r);
ir_expr *lw_division_prim(lw *c, const ast *a, const builtin *b, ir_expr **args);
ir_expr *lw_exact_div(lw *c, const ast *a, ir_expr **args);   /* (/ x y ...) */
ir_expr *lw_inline_call(lw *c, const fn_def *fn, ir_expr **args, frame_map *up,
                        srcloc loc, int edepth, bool check);
/* The depth of the activation a call in frame f starts (the evaluator
 * counts a call that is not in tail position). */
int lw_call_depth(const frame_map *f, const ast *call);
/* The evaluator's depth check for a call entered without a frame. */
ir_expr *lw_depth_check(lw *c, int edepth, srcloc loc);
void lw_lower_args(lw *c, const ast *a, frame_map *f, ir_expr **out);
void lw_captured_args(lw *c, const lifted *l, frame_map *def_frame, ir_expr **out, srcloc loc);
ir_expr *lw_call_stmt(lw *c, int irfn, ir_expr **args, int n, srcloc loc);
/* The same, with the callee's depth relative to the caller's entry. */
ir_expr *lw_call_stmt_at(lw *c, int irfn, ir_expr **args, int n, srcloc loc,
                         int depth);
void lw_loop_again(lw *c, loop_info *l, ir_expr **args, int n, srcloc loc);
ir_expr *lw_lower_call(lw *c, const ast *a, frame_map *f, cont *tail);
bool lw_contifiable(const ast *letrec, const let_binding *b);
bool lw_lift_local(lw *c, const let_binding *b, frame_map *f, bool prepare);
ir_expr *lw_lower_value(lw *c, const ast *a, frame_map *f);
void lw_lower_effect(lw *c, const ast *a, frame_map *f);
void lw_lower_tail(lw *c, const ast *a, frame_map *f, cont k);
int lw_lower_global_fn(lw *c, gcell *g, srcloc loc);

/* lower-closure.c: procedures as values */
ir_expr *lw_proc_value(lw *c, gcell *g, srcloc loc);
ir_expr *lw_builtin_value(lw *c, const builtin *b, srcloc loc);
int lw_type_of_proc(lw *c, value v);
ir_expr *lw_call_value(lw *c, const ast *a, frame_map *f);
/* A call of procedure value op (a variable's value) with args, made by
 * site (an E_CALL or E_APPLY: its texts and position) at depth `depth`;
 * its value. */
ir_expr *lw_callv(lw *c, const ast *site, ir_expr *op, ir_expr **args, int n, int depth);
ir_expr *lw_lambda_value(lw *c, const ast *a, frame_map *f);
ir_expr *lw_captured_load(lw *c, const ast *a, frame_map *f);

/* lower-box.c: variables assigned after a lambda captured them live in
 * boxes on the heap (one-cell vectors); closures capture the box. */
int lw_box_new(lw *c, int name, ir_expr *v, srcloc loc);
ir_expr *lw_box_get(lw *c, int box, srcloc loc);
void lw_box_set(lw *c, int box, ir_expr *v, srcloc loc);
void lw_box_slot(lw *c, slot_binding *s, int name, srcloc loc);
void lw_box_params(lw *c, const fn_def *fn, frame_map *f, srcloc loc);
bool lw_cap_boxed(lw *c, const fn_def *fn, int j);
ir_expr *lw_captured_raw(lw *c, const ast *ref, frame_map *f, bool *boxed);

/* lower-rest.c: procedures with a rest parameter. */
int lw_fixed_params(const fn_def *fn);
bool lw_arity_ok(const fn_def *fn, int n);
ir_expr *lw_arity_fail(lw *c, const fn_def *fn, int n, srcloc loc);
int lw_pack_rest(lw *c, const fn_def *fn, ir_expr **args, int n, srcloc loc);

/* lower-apply.c: (apply f a ... list), a call through a value whose
 * arguments' number is the list's; expanded per procedure (S_CALLV with
 * `write` set: a[1] the number of arguments, a[2] the list). */
ir_expr *lw_apply(lw *c, const ast *a, frame_map *f);
void lw_apply_expand(lw *c, const ir_stmt *s, const ast *a, const struct ir_proc *pr,
                     ir_expr *op, bool ret, int end);
void lw_apply_unify(lw *c, const ir_stmt *s, const struct ir_proc *pr);
void lw_not_procedure(lw *c, const ir_stmt *s, ir_expr *op, int end);
void lw_callv_proc(lw *c, const ir_stmt *s, const struct ir_proc *pr, ir_expr *op,
                   ir_expr **args, int n, bool ret, int end);
void lw_callv_builtin(lw *c, const ir_stmt *s, const ast *a, const builtin *b);
/* lower-bval.c: builtins as values */
bool lw_bval_ok(const builtin *b);
bool lw_bval_calls_procs(const builtin *b);
bool lw_bval_fold_ok(const builtin *b);
int lw_bval_static_total(const ast *a);
void lw_bval_apply_fold(lw *c, const ir_stmt *s, const builtin *b, bool ret, int end);
ir_expr *lw_bval_call(lw *c, const ast *a, const ast *site, const builtin *b, ir_expr **args,
                      int n, int depth);
bool lw_lower_lambdas(lw *c);
void lw_expand_callv(lw *c);

/* lower-values.c: multiple values (values, call-with-values). */
void lw_mv_scan(lw *c, const ast *root);
bool lw_fn_mv(lw *c, const fn_def *fn);
void lw_mv_tail_ctx(lw *c, const ast *a, bool ret, bool drop, int kid);
void lw_mv_drop_ctx(lw *c, const ast *a);
void lw_mv_cont(lw *c, int kid, const ast *a);
void lw_mv_pass(lw *c, const ast *a, const ast *part);
ir_expr *lw_mv_call(lw *c, const ast *a, frame_map *f);
bool lw_mv_tail(lw *c, const ast *a, frame_map *f, bool ret);
ir_expr *lw_values_effect(lw *c, const ast *a, frame_map *f);
/* lower-callcc.c: call/cc for escapes; a call through a value that
 * reaches a continuation (lower-closure.c expand_site, unify_sites) */
ir_expr *lw_callcc_effect(lw *c, const ast *a, frame_map *f);
int lw_callcc_held(lw *c, tvec *k);
/* lower-values.c: the most values a call may return (1: none but one) */
int lw_mv_kmax(lw *c);
bool lw_mv_thunk_one(lw *c, const ast *x);   /* lower-wind.c: returns one value */
void lw_callcc_unify(lw *c, const ir_stmt *s, const struct ir_proc *pr);
void lw_callcc_escape(lw *c, const ir_stmt *s, const struct ir_proc *pr, ir_expr *op,
                      bool ret, int end);
ir_expr *lw_values_call(lw *c, ir_expr **args, int n, srcloc loc);

/* ---- the listing's shared values (lang/ir-share.c) ----------------- */

/* Which compound subexpressions of a statement's expressions the
 * compiled code computes once (backend/mexpr.c's per-step memo). */
typedef struct ir_share ir_share;
ir_share *ir_share_new(const ir_prog *p, const ir_expr *const *roots, int n);
/* For the next compound node printed, in order: a label k > 0 when it is
 * a reuse ("#k#", not printed further); else 0, with *def = k > 0 when
 * its first computation is reused later ("#k=(...)"). */
int ir_share_next(ir_share *s, const ir_expr *e, int *def);
void ir_share_free(ir_share *s);

#endif
