/* machine.h - compiling an IR program into the autoregressive machine:
 * the trace format (docs/trace-format.md), the memory layout, the steps a
 * program executes, the gates that execute them, and the decoding of a
 * trace back into what happened.
 *
 * Ownership: an mprog owns its model, its tables and its copy of the
 * program's layout; it keeps no pointer into the IR it was built from
 * except the world (for symbol and string names), which must outlive it.
 */
#ifndef TVL_MACHINE_H
#define TVL_MACHINE_H

#include "gates.h"
#include "lang/ir.h"

/* Vocabulary roles, in the order of the model's ranges. */
typedef enum {
  R_VAL,     /* a value -32768..32767, or the low chunk of a long value */
  R_HI,      /* high chunk of a long value: v = 65536 h + lo + 32768 */
  R_JUMP,    /* the next step is at this PC (a branch, or a resync) */
  R_SYM,     /* output: #f, #t, then the program's symbols */
  R_STR,     /* output: a string constant */
  R_NL,      /* output: newline */
  R_PRINT,   /* output marker: the next value is printed as an integer */
  R_RESULT,  /* marker: what follows is the value of the expression */
  R_HALT,    /* end of the program */
  R_ERR,     /* runtime error at this site; ends the program */
  R_BOS,     /* start of the prompt */
  R_SETR,    /* prompt: the next value goes to this static cell */
  R_SETM,    /* prompt: the next value goes to MEM[WADDR] */
  R_CALL,    /* a tool call of extern k begins; its arguments follow, then
                the host appends the result (or ERR) */
  R_NROLES
} role;

extern const char *const role_names[R_NROLES];

#define SHORT_MIN (-32768)
#define SHORT_MAX 32767

/* Machine registers (static cells 1..). */
enum { REG_SP = 1, REG_HP, REG_WADDR, REG_RV, REG_FIRST_FREE };

typedef enum {
  M_WRITE,    /* write the value to the target */
  M_EVAL,     /* evaluate for errors only; emits JUMP(pc+1) */
  M_OUTINT,   /* emits the value (after a PRINT marker), writes nothing */
  M_OUTSYM,   /* emits SYM(value + offset) */
  M_OUTSTR,   /* emits STR(value) */
  M_MARK,     /* emits a fixed single token: PRINT, NL, RESULT or HALT */
  M_JUMP,     /* emits JUMP(target) */
  M_BRANCH,   /* emits JUMP(cond ? target : target2) */
  M_JUMPDYN,  /* emits JUMP(value) */
  M_CALL,     /* emits CALL(k): a tool call of extern k begins */
} mkind;

typedef enum {
  TGT_NONE,
  TGT_STATIC,   /* static cell `addr` */
  TGT_FRAME,    /* MEM[SP + off] */
  TGT_WADDR,    /* MEM[WADDR + off] */
  TGT_HP,       /* MEM[HP + off] */
} target_kind;

/* The read programs of err_site.hcode (mhostval.c): a stack of values;
 * HV_K v pushes v, HV_CELL a static cell a, HV_FRAME o the frame cell SP
 * + o, HV_MEM k replaces the top x by the memory cell x + k, HV_ADD and
 * HV_SUB combine the top two; HV_END ends an operand, an integer,
 * HV_ENDSYM one printed as a symbol (a program symbol id). */
enum { HV_K = 1, HV_CELL, HV_FRAME, HV_MEM, HV_ADD, HV_SUB, HV_END, HV_ENDSYM,
       HV_OP,       /* HV_OP f n: the operation f (HVF_*) of the top n values */
       HV_SEL,      /* c x y -> x where c is not 0, else y */
       HV_TABLE,    /* HV_TABLE base kmin kmax has_default default: key -> its
                       cell's value, or the default where the cell was never
                       written (has_default 2: a tagged one, 2^31 + default) */
       HV_NONE,     /* pushes no value (an arm that is no read) */
       HV_STROBJ }; /* HV_STROBJ base n: a string's block, x < n ? MEM[base + x]
                       : x (mstrings.c, %string-object) */
/* The operations of HV_OP, as the evaluator computes them on integers that
 * each fit in 32 bits; a result that does not (or a division by 0) is no
 * value, which only a select's other arm may drop. */
enum { HVF_ADD = 1, HVF_SUB, HVF_MUL, HVF_QUO, HVF_REM, HVF_MOD, HVF_ABS, HVF_MIN,
       HVF_MAX, HVF_AND, HVF_IOR, HVF_XOR, HVF_LOGNOT, HVF_EQ, HVF_LT, HVF_GT, HVF_LE,
       HVF_GE, HVF_ZERO, HVF_POS, HVF_NEG, HVF_EVEN, HVF_ODD, HVF_TRUE, HVF_TRUED,
       HVF_NOT, HVF_NOTD, HVF_ASH, HVF_EXPT,
       /* the character builtins on a code point (lang/chars.c's tables,
        * as mchars.c's lookups give them) */
       HVF_ALPHA, HVF_NUMERIC, HVF_WHITE, HVF_UPPER, HVF_LOWER, HVF_UPCASE,
       HVF_DOWNCASE,
       /* the kind tests of a tagged value (integer?, pair?, ..., char?),
        * on the value with its tag, as mexpr.c's kind_test() */
       HVF_ISINT, HVF_ISPAIR, HVF_ISNIL, HVF_ISPROC, HVF_ISVEC, HVF_ISSTR,
       HVF_ISBOOL, HVF_ISSYM, HVF_ISCHAR,
       HVF_SAME };  /* eq? of two values as they are (tagged or not) */

/* An error site: one place in the source that can fail at run time. */
typedef struct {
  const char *kind;     /* "overflow", "division", "bounds", ... */
  char *msg;
  srcloc loc;
  bool value_follows;   /* a kind error: the message ends with the written
                           value of the operand, " (a)", which the steps
                           before the ERR printed (mstep_info.errval) */
  bool value_bare;      /* with value_follows: " VALUE", not " (VALUE)" (a
                           list error: "cadr: argument 1 must be a list
                           long enough, not (1)") */
  bool value_slots;     /* with value_follows: the message holds bytes 1 to
                           4 where the integers the report printed go, the
                           first, second... (mreport3.c) */
  /* Values the host reads from the decoded trace to write the message
   * (mhostval.c): hn operands, each a small read program in hcode
   * (static cells, frame and heap cells as the trace wrote them), valid
   * at the step hpc only.  hop names the overflowing operation whose
   * whole text the host writes ("+", "*", "ash", ...); with no hop the
   * bytes 1 to 4 of hmsg take the operands.  msg stays the text without
   * values, for a host that does not read them. */
  int32_t *hcode;
  char *hmsg;
  int nhcode, hn, hpc;
  const char *hop;
} err_site;

/* What one step (one PC) is, for decoding and for people. */
typedef struct {
  mkind k;
  role mark;            /* M_MARK */
  target_kind tgt;
  int32_t addr;         /* TGT_STATIC */
  int32_t off;          /* TGT_FRAME / TGT_WADDR / TGT_HP */
  int32_t target, target2;
  int out_kind;         /* tkind of a printed value */
  int val_kind;         /* tkind of the value written or computed, T_ANY
                           when not known (for :trace) */
  char *what;           /* "i := (+ i 1)", "if (< i n)", ... */
  srcloc loc;
  /* tool calls: M_CALL, then one write per argument (tool_arg = its
   * index), then the write of the result (tool_arg = -1), whose tokens the
   * host supplies instead of the model */
  bool write;           /* M_OUTSTR: the string is written, not displayed */
  int tool;             /* extern index + 1; 0 when not part of a call */
  int tool_arg;
  int tool_site;        /* the result step: error site of a failed call */
  bool errval;          /* a step of a kind error's report: what it prints
                           is the operand's text for the error message */
  int digits;           /* > 0: a printed integer is written with at least
                           this many digits, zeros first (mreport3.c) */
  bool after_long;      /* a jump that raises no error: after a long value
                           written by the step before it, its JUMP takes
                           the resync's place (docs/trace-format.md) */
} mstep_info;

/* A static cell and what it holds. */
typedef struct {
  char *name;
  int var;              /* IR variable or -1 */
  gcell *global;        /* a global variable's cell, or NULL */
  int type;             /* IR type of its value, -1 for registers */
} static_cell;

typedef struct {
  gcell *table;
  int32_t base;         /* address of key kmin */
  int32_t kmin, kmax;
} table_layout;

/* The source map (backend/msrc.c): for each step, every expression of
 * the source it computes, what computes it and where its value is, for
 * :explain and :trace.  Entries of one step are in the order the
 * expressions were built (a parent before its subexpressions). */
typedef struct {
  int pc;
  srcloc loc;
  int parent;           /* entry of the enclosing expression, or -1 */
  int same_as;          /* -1, or the entry of this step that computed the
                           same value first (the step computes it once) */
  gform value;          /* its value, a linear form over gates (in gg) */
  int *gates;           /* the FFN gates built for it, not for its */
  int ngates;           /* subexpressions */
  /* the heads it reads with; a read at a computed address also has the
   * address gate's units u0..u0+nu-1 that compute its query */
  struct msrc_read { int head; int addr_gate, u0, nu; } *reads;
  int nreads;
  int g0, g1;           /* while building: gates made meanwhile */
} msrc_entry;

typedef struct mprog {
  world *w;
  model *m;
  placement pl;         /* schedule and slots, kept for :slots/:schedule */
  gate_graph gg;        /* kept for :schedule and :weights labels */
  vocab_range ranges[R_NROLES];
  int npc;
  mstep_info *steps;
  int nsteps_alloc;
  VEC(err_site) sites;
  VEC(int) syms;        /* program symbol id (from 2) -> world symbol */
  VEC(int) strs;        /* program string id -> world string */
  VEC(gcell *) externs; /* CALL k calls externs.v[k] */
  VEC(static_cell) cells;   /* index = address; 0 unused */
  VEC(table_layout) tables;
  uint32_t uc_used;     /* Unicode tables the program reads (mchars.c) */
  int32_t uc_base[UC_NTABLES];   /* their addresses of code point 0 */
  bool str_tables;      /* the strings' tables are in memory (mstrings.c) */
  int32_t str_base, str_n;
  bool str_syms;        /* symbol->string: the table of symbol names */
  int32_t str_symbase;
  int32_t sym_base;     /* the symbol region's address, or 0 (msymbols.c) */
  bool str_cuts;        /* the literals' texts as error messages cut them */
  int32_t str_cutbase, str_ncut;
  int32_t stack_base, stack_end, heap_base, heap_end;
  int32_t cc_base, cc_cells;   /* call/cc's region (mcallcc.c), or 0 */
  int max_depth;        /* the depth limit the stack was sized for */
  int depth_cap;        /* 0, or the nested calls that fit when max_depth's
                           frames do not: deeper is a refusal at run time */
  int64_t max_heap;     /* the heap limit the heap was sized for */
  bool heap_capped;     /* the heap is smaller: addresses ran out first */
  int entry_pc;
  int32_t result_cell;  /* static cell holding main's value */
  int main_type_kind;   /* tkind of the value of main */
  int main_elem_kind;   /* for vectors */
  VEC(int) main_params; /* static cells of main's parameters */
  int n_heads, n_units; /* totals, for the summary */
  double compile_ms;
  char sched_note[256];  /* the scheduler's warning, if any */
  char *ir_text;        /* listing of the IR, for :ir */
  /* where the values a program reads appear in the residual stream: the
   * slot of the head that reads `label` at step pc */
  VEC(struct slotref { char *label; int slot; int layer; int pc; }) slotmap;
  ir_prog *ir;          /* kept for kinds of globals when writing back */
  struct circuit *circ; /* a circuit (backend/circuit.h), NULL for a
                           machine; in gg's arena */
  bool dyn;             /* some values carry their kind (tagged) */
  VEC(msrc_entry) srcmap;   /* the source map, machines only */
} mprog;

/* The largest HI value of the program's vocabulary. */
double machine_hi_max(const mprog *p);

/* Compiles a lowered program; returns NULL with err set on failure. */
mprog *machine_compile(ir_prog *ir, const sched_opts *opts, char *err,
                       size_t errlen);
void mprog_free(mprog *p);

/* ---- running -------------------------------------------------------- */

/* What a trace says happened. */
typedef struct {
  bool halted, failed;
  int err_site;             /* when failed */
  int err_pc;               /* the step that emitted ERR */
  strbuf output;            /* everything displayed */
  strbuf result;            /* the text of the value after RESULT */
  strbuf errval;            /* the text the steps of a kind error's report
                               printed: the failing operand, written */
  int errval_at[8];         /* where its first 4 integers start and end */
  int nerrval_at;
  bool has_result;
  int64_t steps;            /* statements executed */
  int64_t tokens;           /* tokens generated */
  int64_t tool_calls;       /* CALL tokens */
  /* final memory: static cells and heap cells written */
  int64_t *cells;           /* by static address (tagged values are
                               above 32 bits) */
  bool *cell_written;
  VEC(struct mcell { int32_t addr; int64_t val; }) mem;   /* last write per address */
  int32_t *mem_index;       /* open addressing over mem: 1 + its index, 0
                               empty; mem_index_cap slots (a power of 2) */
  int mem_index_cap;
  int64_t result_value;     /* the result as a machine value */
} mtrace;

void mtrace_init(mtrace *t);
void mtrace_free(mtrace *t);
/* Decoding one token at a time, as they are generated; output text can
 * be streamed to a callback as soon as its token is decoded. */
typedef struct {
  const mprog *p;
  mtrace *t;
  int pc;
  int64_t pending_hi;
  bool have_hi, after_lo, in_result;
  int tool;                 /* extern index of the call under way, or -1 */
  int32_t tool_args[16];
  void (*stream)(void *ctx, const char *s, size_t n);
  void *stream_ctx;
} mdecoder;

void mdecoder_init(mdecoder *d, const mprog *p, const int *prompt,
                   int nprompt, mtrace *t);
bool mdecoder_push(mdecoder *d, int token, char *err, size_t errlen);
/* When the next token is a tool call's result, the extern index (its
 * arguments in *args); otherwise -1.  The host then pushes the result
 * (machine_value_tokens) or an error (machine_error_token) itself. */
int mdecoder_tool_pending(const mdecoder *d, const int32_t **args);
/* The tokens of a value written by a step: [VAL v] or [HI h][VAL l]; the
 * count, or 0 when v is not a 32-bit integer. */
int machine_value_tokens(const mprog *p, int64_t v, int toks[2]);
/* The ERR token of the running step's tool call. */
int machine_tool_error_token(const mprog *p, const mdecoder *d);
/* Decodes generated tokens (after the prompt). */
bool machine_decode(const mprog *p, const int *prompt, int nprompt,
                    const int *gen, int ngen, mtrace *t, char *err,
                    size_t errlen);
/* The meaning of one token of a trace, for :trace. */
void machine_token_text(const mprog *p, int token, strbuf *out);

/* Where the prompt put each vector of the world, and the heap top. */
typedef struct {
  VEC(struct vplace { tvec *v; int32_t addr; int type; }) placed;
  int32_t heap_top;
} mload;

void mload_free(mload *l);
/* Builds the prompt: current values of the globals the program reads, the
 * tables, the arguments of main (NULL if none), and the jump to entry. */
bool machine_prompt(mprog *p, const value *args, int nargs, int_vec *prompt,
                    mload *load, char *err, size_t errlen);
/* The world value of a machine value of IR type `type` at the end of a
 * run: vectors are read back from the decoded memory (existing ones are
 * updated in place, journaled; new ones are made). */
bool machine_world_value(const mprog *p, const mtrace *t, mload *load,
                         int type, int64_t v, value *out, char *err,
                         size_t errlen);
/* The message of the error a failed trace ended in: the site's text, and
 * for a kind error the operand its report printed, " (a)", cut as the
 * evaluator cuts it. */
void machine_error_text(const mprog *p, const mtrace *t, strbuf *out);
/* The message of site whose values the host reads from a circuit's
 * prompt (vals[i], where ok[i], the value of prompt position i: HV_CELL
 * and HV_MEM read by position); false when the site has no read
 * program or an operand no value. */
bool machine_flat_error_text(const mprog *p, int site, const int64_t *vals, const bool *ok,
                             int n, strbuf *out);
/* A tagged value (docs/trace-format.md): its kind, and *v becomes the
 * plain value of that kind it holds (T_ANY for no known tag). */
tkind machine_untag(int64_t *v);
/* Writes back the globals and vectors a successful run changed. */
bool machine_write_back(const mprog *p, const mtrace *t, mload *load,
                        char *err, size_t errlen);


#endif
