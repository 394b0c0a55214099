/* mbuild.h - private to the machine compiler (machine.c, mexpr.c,
 * mtrace.c): the builder state while a program becomes gates. */
#ifndef TVL_MBUILD_H
#define TVL_MBUILD_H

#include "machine.h"

/* Address space.  Keys are (2a, -a^2), so addresses stay below 2^24 to
 * keep every attention score exact in float64. */
#define ADDR_MAX ((int32_t)1 << 24)
#define BIG_SHIFT 1073741824.0     /* 2^30: pushes a PC out of range */
#define BONUS 1125899906842624.0   /* 2^50: output bonus of the chosen role */
#define PAIR_CELLS 4               /* heap cells a pair takes, as the evaluator counts */

typedef enum {
  SP_NONE,
  SP_VSET_ADDR,    /* value: address of element (a) of vector (b); checks */
  SP_MAKEVEC_HDR,  /* value: length (a), checks length and heap; fill (b) */
  SP_HP_BUMP,      /* value: HP + length (a) + 2 */
  SP_SP_ADD,       /* value: SP + k; checks the stack limit when k > 0 */
  SP_FAIL,         /* M_EVAL: raises error site konst, always */
  SP_FAILV,        /* M_EVAL: raises the error site that val computes
                      (mvreport.c) */
  SP_CONS,         /* value: the car (a), after the cdr's (b) errors and
                      the heap check */
  SP_PSET_ADDR,    /* value: address of cell off (konst) of pair (a), after
                      the stored value's (b) errors; checks */
  SP_PRINT_PUSH,   /* value: SP + konst, a print routine's frame (mprint.c);
                      checks the stack's room */
  SP_ERRREG,       /* M_OUTINT: the error register konst of the step that
                      failed; M_EVAL: fails at the site register 0 names
                      (mreport2.c) */
} special;

/* Error registers (mreport2.c): values a failing step hands to a shared
 * report routine. */
#define EREG_MAX 5
#define GPATH_MAX 16

/* One step while building. */
typedef struct {
  mkind k;
  role mark;
  target_kind tgt;
  int32_t addr, off;
  ir_expr *val;       /* value, condition, or NULL */
  ir_expr *x1, *x2;   /* operands of specials */
  special sp;
  int32_t konst;      /* constant value (jumps, strings, SP_SP_ADD) */
  int l1, l2;         /* label targets, resolved into target/target2 */
  bool l1_is_pc, l2_is_pc;
  bool konst_pc;      /* konst holds a PC (jump target, return address) */
  int fn;             /* IR function the step belongs to */
  int out_kind;
  int sym_offset;     /* M_OUTSYM: added to the value */
  int tool, tool_arg, tool_site;   /* see mstep_info */
  int dcheck;         /* > 0: the evaluator's depth check of a call made
                         here, the callee's depth being the step's
                         function's SP depth plus dcheck */
  bool write;         /* M_OUTSTR: written (quoted, escaped), not displayed */
  const ir_expr *report_of;   /* the first step of the report of this
                                 kind check (mreport.c) */
  bool errval;        /* a step of such a report */
  int landing;        /* + 1: the first step of landing ir.landings[i]
                         (mcatch.c) */
  srcloc loc;
  char *what;
} mstmt;

/* Where an IR variable lives. */
typedef struct {
  bool frame;         /* in the frame of a recursive function */
  int32_t addr;       /* static cell */
  int32_t off;        /* frame: offset from SP (negative) */
} var_home;

/* Read modes, each with its own pool of shared physical heads. */
typedef enum { RD_STATIC, RD_FRAME, RD_DYN, RD_NMODES } read_mode;

typedef struct {
  int head;           /* gate id */
  int time;
  read_mode mode;
  VEC(struct hslot { int step; int32_t addr; gform form; const char *label; }) users;
} phys_head;

/* A computed value with what it is known to be. */
typedef struct {
  gform f;
  double lo, hi;      /* range when no error happened before */
  bool clean;         /* exactly 0 or 1 even when computed on garbage (a
                         step's output); a boolean read from memory is not:
                         an untaken arm may read the wrong cell */
} cval;

/* An error flag: 0/1, raised at a site, valid when all its guards are 1. */
typedef struct {
  gform flag;
  int site;
  gform guard;        /* product of guards as a sum: valid when == nguard */
  int nguard;
  int jump;           /* > 0: when it is the step's first error, the step
                         jumps to PC jump - 1 (a kind error's report)
                         instead of emitting ERR site */
  gform sitef;        /* with has_sitef: the site is this value (the end
                         of a shared report, mvreport.c) */
  bool has_sitef;
  /* npay > 0: when it is the step's first error, these values go to the
   * error registers (mreport2.c) */
  int npay;
  gform pay[EREG_MAX];
  int gpath[GPATH_MAX];   /* with npay: the arms it is in (mb.gpath) */
} eflag;

typedef struct {
  mprog *p;
  ir_prog *ir;
  gate_graph *gg;
  char *err;
  size_t errlen;
  bool failed;

  VEC(mstmt) ms;
  var_home *home;     /* per IR variable */
  int *fn_frame;      /* per IR function: frame size, 0 if static */
  int *fn_entry_label, *fn_ret_cell;
  int *label_pc;      /* per (fn, label) */
  int *var_reads;     /* per IR variable: how many expressions read it */
  int **fn_labels;
  int next_temp_cell;
  int frame_cells;
  /* Depth as the evaluator counts it (nested calls not in tail
   * position).  A function with a frame ("framed": every recursive one,
   * and others that need it) runs at depth (SP - stack_base) / frame_cells;
   * one without runs at that depth plus its constant gap. */
  bool *framed;       /* per IR function */
  int *gap;           /* per IR function */
  int32_t depth_top;  /* stack_base + (limit + 1) * frame_cells: an SP at or
                         above it is deeper than the limit */
  int max_push;       /* largest push, in frames */
  int result_tmp;        /* + 1: the main function's result temp, shared by
                            all its returns (0: none yet) */
  int *sym_rev;       /* world symbol -> program symbol id (0: none yet) */
  int sym_rev_n;    /* size of every frame of a recursive function */

  /* infrastructure gates */
  int g_hi, g_hival, g_valv, g_val_ind, g_jump_ind, g_pos;
  gform lo, prev_hi_val, found, cur, own, nrm, value_in;
  int *cstep;         /* [npc]: [cur_all == s] gates */
  int *ostep;         /* [npc]: [own_v == s] gates */
  gform sp, hp, waddr;      /* register values read at every position */
  int reg_time;             /* when register reads are available */
  gform mem_key_x, mem_key_y, mem_addr, mem_val;
  int mem_mask;
  gform reg_key_x, reg_key_y, reg_addr, reg_val;
  int reg_mask;
  int mem_ready;            /* earliest time memory heads can run */

  VEC(phys_head) heads;

  /* the step being generated */
  int cur_step;
  VEC(eflag) flags;
  gform guard;
  int nguard;
  /* the arms of the guards, outermost first: 2 x (a number per select
   * built) + 1 in its else arm (mreport2.c) */
  int gpath[GPATH_MAX];
  int nsel;
  /* values already computed in this step, by the shape of their
   * expression, so that a shared subexpression is computed once */
  VEC(struct memo { char *key; cval v; int nguard; gform guard; }) memo;
  /* characters of shapes built for the memo, all steps together: a value
   * that inlining shares between the arms of nested selects is built once
   * per arm, so a program's work can grow exponentially with its nesting
   * (mexpr.c refuses it past SHAPE_WORK_MAX) */
  int64_t shape_work;
  VEC(struct divmemo { char *key; cval aa, ad, uq, ur; gform na, nd; }) divs;

  /* the source map: the entry of the expression being built, + 1
   * (0: none; msrc.c) */
  int src_cur;

  /* kind checks whose failure jumps to a report (mreport.c) */
  VEC(struct report {
    const ir_expr *check;
    int pc;
    const ir_expr *node;   /* mvreport.c: the failing expression, and */
    const char *vkind;     /* the kind of its error (NULL: a kind check) */
  }) reports;

  int *landing_pc;          /* per landing (mcatch.c), or NULL */
  struct mprint *print;     /* print routines (mprint.c), or NULL */
  /* mreport2.c: the shared routines that print an error from the error
   * registers, and the position features their heads read */
  int g_jval, g_ring, g_ring2, g_ring1;
  VEC(struct eroutine { const char *name; int pc; ir_expr *key; }) eroutines;

  /* final per-step results */
  gform *step_val;          /* emitted value */
  gform *step_short;        /* [value fits one token] */
  VEC(eflag) *step_flags;
  bool *after_long;         /* the step may run at the last token of the
                               long value the step before it wrote, its
                               jump standing for the resync (build_output) */
  const ir_expr *host_node;   /* the overflow whose operands the host
                                 reads for its message (mhostval.c) */
} mb;

/* machine.c */
void mb_fail(mb *b, const char *fmt, ...) TVL_PRINTF(2, 3);
gform mb_onehot(mb *b, int step);            /* [cur == step] */
int mb_site(mb *b, const char *kind, srcloc loc, const char *fmt, ...)
    TVL_PRINTF(4, 5);
/* IR made while building steps, in the program's arena */
ir_expr *mb_mkx(mb *b, x_kind k, int type, int n);
int mb_int_type(mb *b);
ir_expr *mb_int_const(mb *b, int32_t k);
char *mb_describe(mb *b, const char *fmt, ...) TVL_PRINTF(2, 3);

/* The flag [depth of a call made in function fn > the limit], the
 * callee's depth being fn's SP depth plus k. */
gform mb_depth_flag(mb *b, int fn, int k);
int mb_depth_fits(const mb *b);
int mb_depth_site(mb *b, srcloc loc);

/* mlayout.c: before the steps, in this order: the constants' symbols and
 * strings, the depth analysis (tail calls, frame gaps), each variable's
 * home, the memory map.  mb_str_const: a string constant's index in the
 * program's table; mb_var_name: a variable's name for descriptions;
 * mb_tail_shape: `t := call G(...)` followed by `return t`. */
void mb_collect_constants(mb *b);
void mb_analyse_depth(mb *b);
void mb_layout_vars(mb *b);
void mb_layout_memory(mb *b);
const char *mb_var_name(mb *b, int v, char *buf, size_t n);
bool mb_tail_shape(const ir_prog *ir, const ir_stmt *s, const ir_stmt *ret, int f);
/* mgates.c: the program counter's gates; the memory keys (after the
 * steps' writes are known) */
void mb_build_pc(mb *b);
void mb_build_memory_keys(mb *b, int setm_comp_gate);
/* a new static cell (cell 0 is never used), for a variable or a register */
int32_t mb_new_cell(mb *b, const char *name, int var, gcell *global, int type);

/* mtrace.c: the kind of a world value (T_ANY: none compiled); whether a
 * table's values are of several kinds, its cells then holding tagged
 * values (docs/trace-format.md), read as such by its lookups */
tkind machine_value_kind(value v);
/* The heap cell at addr as the trace last wrote it; false when never
 * written (mtrace.c). */
bool mtrace_mem_read(const mtrace *t, int32_t addr, int64_t *v);
/* The message of a failed run's site e with the values its read
 * programs name (mhostrun.c); false to keep the site's text. */
bool mb_host_text(const mprog *p, const mtrace *t, const err_site *e, strbuf *out);
bool machine_table_tagged(const table_def *td);

/* mreport.c: after a failed kind check, the step jumps to a report that
 * prints the operand (written, as the evaluator's message shows it) and
 * ends in ERR; docs/trace-format.md. */
void mb_build_reports(mb *b);   /* before the steps are optimised */
void mb_find_reports(mb *b);    /* after: where each report starts */
int mb_report_pc(mb *b, const ir_expr *check);   /* -1: none */
/* mvreport.c: errors that name values (division by zero, an index out
 * of range, an overflow...): their reports, built at the end of
 * mb_build_reports, and the flag that jumps to one when it exists */
void mb_build_value_reports(mb *b);
void mx_vflag(mb *b, gform flag, int site, const ir_expr *node, const char *vkind);
void mx_fail_at(mb *b, const ir_expr *site);   /* SP_FAILV */
/* merrtext.c: the evaluator's text of an overflow of constants */
bool mx_const_overflow_text(const char *op, bool one, const int64_t *k, int n, strbuf *m);
/* mreport2.c: an index out of range reported by a routine shared by
 * the program (built after mb_build_value_reports), the failing step
 * handing it the index and the length in error registers; and, in
 * build_output, the registers, the heads that read them back and the
 * values of the routines' SP_ERRREG steps. */
void mb_build_routines(mb *b);
void mx_bounds_flag(mb *b, gform bad, const char *op, srcloc loc, cval idx, cval len,
                    const ir_expr *node, const char *vkind);
void mb_build_eregs(mb *b);
/* mreport3.c: the routine of errors that name integers (built by
 * mb_build_routines), a sum's check, and the rest its routine prints */
void mb_build_sum_routines(mb *b);
bool mx_sum_flag(mb *b, cval r, const cval *a, int n, const ir_expr *e);
gform mb_ereg_rest(mb *b, int reg);
/* The same for a division by zero, the dividend named; false when the
 * program has no division routine (then mvreport.c's way). */
bool mx_div_flag(mb *b, gform zero, const char *op, srcloc loc, cval dividend);
void mx_ereg_fail(mb *b);   /* an M_EVAL SP_ERRREG step */
/* The steps machine.c's display makes: the text of e (written). */
bool mb_display(mb *b, ir_expr *e, bool write, int fn, srcloc loc);
/* The same, for a value nested `depth` deep in what is displayed. */
bool mb_display_at(mb *b, ir_expr *e, bool write, int fn, srcloc loc, int depth);
/* mrecords.c: display/write of a record (a vector of a class of records) */
void mb_display_record(mb *b, ir_expr *e, bool write, int fn, srcloc loc, int depth);
/* The same for the last cdr of a list, known to be neither a pair nor
 * the empty list. */
void mb_display_tail(mb *b, ir_expr *e, bool write, int fn, srcloc loc, int depth);

/* mlists.c: pairs (docs/trace-format.md) */
void mb_expand_cons(mb *b, const ir_stmt *s, int f);
void mb_expand_pset(mb *b, const ir_stmt *s, int f);
cval mb_pset_addr(mb *b, const mstmt *m);          /* SP_PSET_ADDR */
/* A set of IR expressions by address (open addressing; zero-initialise,
 * free v): the report modules walk shared expression graphs once. */
typedef struct {
  const ir_expr **v;
  size_t cap, n;
} mb_exprset;
bool mb_exprset_add(mb_exprset *s, const ir_expr *e);   /* mreport.c: true if new */
cval mb_cons_value(mb *b, const mstmt *m);          /* SP_CONS */
bool mb_display_list(mb *b, ir_expr *e, bool write, int fn, srcloc loc, int depth);
/* mclosure.c: display/write of a procedure value (T_PROC); a new
 * closure (S_CLOSURE); a procedure's id or captured value (X_PROCID) */
void mb_display_proc(mb *b, ir_expr *e, int fn, srcloc loc);
void mb_expand_closure(mb *b, const ir_stmt *s, int f);
cval mb_proc_id(mb *b, const ir_expr *e);
/* mexpr.c, for mclosure.c: the untagged value of kind k inside tagged v
 * (mx_select: below) */
cval mx_unbox(mb *b, cval v, tkind k);
/* mequal.c: equal? walking vectors and lists (S_EQUAL) */
void mb_expand_equal(mb *b, const ir_stmt *s, int f);
/* mlistlib.c: a list procedure's error text (S_ERRTEXT), and the site of
 * an error whose text those statements printed */
void mb_expand_errtext(mb *b, const ir_stmt *s, int f);
int mb_printed_site(mb *b, const char *kind, srcloc loc, const char *msg);
/* mhostval.c: a site like `site` whose values the host reads from the
 * trace at the running step: the operands ops (hop: the overflow of that
 * operation, else bytes 1 to n of the message msg); `site` itself when an
 * operand cannot be read that way. */
int mb_host_site(mb *b, int site, const char *hop, const char *msg,
                 const ir_expr *const *ops, int n);
/* The overflow site of b->host_node for `site`, or `site`. */
int mb_host_overflow_site(mb *b, int site);
mstmt *mb_step(mb *b, mkind k, int fn, srcloc loc);
int mb_temp(mb *b, int type, const char *name);
ir_expr *mb_var_ref(mb *b, int var);
void mb_set_target(mb *b, mstmt *m, int var);
int mb_str_const(mb *b, const char *s);
int mb_kind_type(mb *b, tkind k);

/* mprint.c: display of nested values by shared routines.  Around the
 * inline steps of value e: -1 (not a list, vector or tagged value), 0
 * (inline them, then call mb_print_leave), 1 (a call was emitted). */
int mb_print_enter(mb *b, ir_expr *e, bool write, int fn, srcloc loc, int depth);
void mb_print_leave(mb *b);
/* Around the steps that print an error's text (the list library's
 * messages, a kind error's report): on, every list, vector or tagged
 * value is printed by a call of a routine shared by all the program's
 * error texts of its class, not by steps of its own at each site (an
 * error's text is printed at most once per run: a few steps of call
 * there cost nothing, while inline steps cost a slot and units each). */
void mb_print_errtext(mb *b, bool on);
/* new_temp inside a routine: a cell of its frame (true) */
bool mb_print_frame_temp(mb *b, int id);
void mb_print_routines(mb *b);      /* after the reports */
/* equal? of any depth (mequal.c): a call of a routine that compares x
 * and y, leaving #t or #f in variable mb_equal_result(b); its body */
void mb_equal_call(mb *b, ir_expr *x, ir_expr *y, int fn, srcloc loc);
int mb_equal_result(mb *b);
bool mb_in_routine(mb *b);
void mb_equal_body(mb *b, ir_expr *x, ir_expr *y, int fn, srcloc loc);
int64_t mb_print_stack(mb *b);      /* the stack cells they need */
cval mb_print_push(mb *b, const mstmt *m);   /* SP_PRINT_PUSH */
void mb_print_free(mb *b);
#define MB_PRINT_RET (-1999999)     /* variable: MEM[SP + 0], a return PC */
/* machine.c: the steps of display without a routine around them */
void mb_display_inline(mb *b, ir_expr *e, bool write, int fn, srcloc loc, int depth);
void mb_display_unknown(mb *b, ir_expr *e, int fn, srcloc loc);
bool mb_print_needs_walk(mb *b, const ir_expr *e);
int mb_print_silent(mb *b, bool on);
void mb_print_silence(mb *b, int start);
int64_t mb_print_grow(mb *b, int64_t room);

/* msrc.c: the source map (machine.h msrc_entry).  mx_expr brackets each
 * expression with enter/leave; a memo hit and a head read are noted. */
int mx_src_enter(mb *b, const ir_expr *e);    /* returns the saved entry */
void mx_src_leave(mb *b, int saved, cval v);
void mx_src_shared(mb *b);
void mx_src_read(mb *b, int ph);
/* After mx_finish_heads: who owns each gate, and the heads' reads. */
void mx_src_finish(mb *b);
void msrc_free(mprog *p);

/* mopt.c: jump threading, branch chains to multiway jumps, dead steps */
void mb_optimize_steps(mb *b);

/* mcatch.c: the landings of kind checks whose errors a catch may take
 * (lang/lower-wind.c): marked before the steps are optimised, found
 * after; the PC a failed check of the running step jumps to (-1: none) */
void mb_mark_landings(mb *b);
void mb_find_landings(mb *b);
int mb_landing_pc(mb *b, const ir_expr *check);
/* The error flag of node's error (an index out of range, a division by
 * zero) jumps to its landing: false where it has none. */
bool mx_catch_flag(mb *b, gform flag, const ir_expr *node);
/* The same for the index out of range of a vector-set! whose index is
 * `index`. */
bool mx_catch_vset_flag(mb *b, gform flag, const ir_expr *index);

/* mexpr.c */
cval mx_expr(mb *b, const ir_expr *e);
/* mcallcc.c: call/cc's region, its cells, its escapes */
int32_t mb_callcc_layout(mb *b, int32_t next);
cval mb_callcc_expr(mb *b, const ir_expr *e);
void mb_expand_callcc(mb *b, const ir_stmt *s, int f);
void mx_step_begin(mb *b);   /* forget the previous step's values */
cval mx_const(mb *b, double k);
/* mreads.c: reads through shared heads */
cval mx_read_static(mb *b, int32_t addr, int type);
cval mx_read_var(mb *b, int var);
/* Reads MEM[addr]; *waddr receives the winner's address (for checks). */
cval mx_read_dyn(mb *b, cval addr, gform *waddr, double vlo, double vhi,
                 const char *label);
void mx_flag(mb *b, gform flag, int site);
/* Computes the operands, a checked one without its check: their own
 * errors come before any kind check, as in the evaluator. */
void mx_operands(mb *b, const ir_expr *const *ops, int n);
/* [lo <= x <= hi] as a 0/1 gform; x integral. */
gform mx_in_range(mb *b, cval x, double lo, double hi);
cval mx_add(mb *b, cval a, cval c, srcloc loc, const char *op);
double mx_kind_lo(mb *b, int type);
double mx_kind_hi(mb *b, int type);
double mx_val_hi(mb *b);
/* c ? t : e (c exactly 0 or 1) */
cval mx_select(mb *b, gform c, cval t, cval e);
/* mchars.c: the character builtins' Unicode tables, and char? */
void mb_chars_note(mb *b, const ir_expr *e);       /* a table is used */
int32_t mb_chars_layout(mb *b, int32_t next);      /* their addresses */
bool mx_char_prim(mb *b, const ir_expr *e, const cval *a, cval *out);
void mb_display_char(mb *b, ir_expr *e, bool write, int fn, srcloc loc);
/* mstrings.c: x's value v (a string, or tagged) as the first literal of
 * its text, for equal? */
cval mx_string_canon(mb *b, const ir_expr *x, cval v);
typedef VEC(int64_t) i64_vec;
/* the procedures that read strings: tables of the program's strings */
void mb_strings_note(mb *b, const ir_expr *e);
int32_t mb_strings_layout(mb *b, int32_t next);
/* symbol->string: every symbol's name among the program's strings */
void mb_strings_syms(mb *b, int (*prog_str)(mb *, int));
bool mx_string_prim(mb *b, const ir_expr *e, const cval *a, cval *out);
void machine_strings_prompt(const mprog *p, i64_vec *writes);
void mb_display_string(mb *b, ir_expr *e, bool write, int fn, srcloc loc);
/* msymbols.c: symbols made at run time (ir_prog.has_rtsym) */
#define SYM_REGION 262144
int32_t mb_symbols_layout(mb *b, int32_t next);
void machine_symbols_prompt(const mprog *p, i64_vec *writes);
gform mx_symbol_static(mb *b, cval v);
bool mx_symbol_prim(mb *b, const ir_expr *e, const cval *a, cval *out);
bool mx_symbol_print_prim(mb *b, const ir_expr *e, const cval *a, cval *out);
void mb_display_symbol(mb *b, ir_expr *e, int fn, srcloc loc);
bool mb_symbol_errtext(mb *b, const ir_stmt *s, int fn);
/* the prompt's writes of those tables: pairs address, value */
void machine_chars_prompt(const mprog *p, i64_vec *writes);
/* mreads.c: builds the shared heads once every step has asked for its
 * reads. */
void mx_finish_heads(mb *b);

#endif
