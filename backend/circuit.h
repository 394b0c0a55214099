/* circuit.h - compiling a procedure without loops, recursion, mutation
 * or output into a circuit: one forward pass, no program counter, no
 * machine (DESIGN.md, "Two shapes of compiled program"; docs/circuits.md).
 *
 * The prompt holds the table entries and the arguments as tokens:
 *   BOS, then every table as a block of one token per key from its
 *   smallest key to its largest (SETM v: the entry's value v; BOS where
 *   the table has no entry for the key), then the arguments (VAL v for
 *   an integer, SYM s for a boolean or a symbol).
 * The last argument is the current token of the one forward pass; the
 * others are read by heads at their fixed positions.  A table lookup is a
 * head whose query is the key's block position and whose keys are
 * parabolic in the position (2r, -r^2), masked to entry tokens: it reads
 * the nearest entry's value and position.  FFN units do the arithmetic,
 * comparisons and selects; the output head emits the value (VAL or SYM),
 * or ERR when the position the lookup found is not the key's (ERR -1 or
 * ERR 1, the side of the nearest entry; docs/circuits.md).
 *
 * A circuit is an mprog (machine.h) whose `circ` is set, so that the
 * inspection commands, :export and the numpy runner use it as they use a
 * machine; npc is 0.  Everything circuit-specific lives in the program's
 * gate-graph arena and goes with mprog_free.
 */
#ifndef TVL_CIRCUIT_H
#define TVL_CIRCUIT_H

#include "machine.h"

/* What a circuit's prompt and decoding need. */
typedef struct circuit {
  int nparams;
  int *param_kind;        /* tkind of each parameter */
  int *param_pos;         /* prompt position of each argument */
  int nprompt;            /* tokens of the prompt */
  int ntables;
  struct ctable {
    gcell *table;
    int base;             /* position of key kmin */
    int64_t kmin, kmax;
  } *tables;
  int result_kind;        /* tkind of the value */
  bool long_value;        /* an integer that may need two tokens, HI h
                             then VAL lo (v = 65536 h + lo + 32768, as
                             the machine's): two forward passes, each
                             computing v from the prompt */
  int nsyms;              /* world symbols the vocabulary holds */
  /* the program's names with their slots, for the slot map and :explain:
   * parameters, table reads, named and computed values, in order */
  int nnames;
  struct cname {
    const char *name;     /* "x", "y=(lookup x)", "(+ y 1)" */
    int gate;
    bool param, result;
    srcloc loc;           /* of the expression (a parameter: the
                             procedure's) */
  } *names;
} circuit;

/* Compiles the IR of a global procedure (ir_lower_function) into a
 * circuit; `fn` gives the names of its let-bound values.  NULL with
 * `why` set when the procedure is not a circuit (then the IR is still the
 * caller's, unchanged); otherwise the program owns the IR. */
mprog *circuit_compile(ir_prog *ir, const gcell *fn, char *why, size_t whylen);

/* Whether the arguments fit the circuit's prompt (kinds, short
 * integers, symbols the vocabulary holds); why not, in err. */
bool circuit_args_fit(const mprog *p, const value *args, int nargs, char *err,
                      size_t errlen);
bool circuit_prompt(const mprog *p, const value *args, int nargs, int_vec *prompt,
                    char *err, size_t errlen);

/* The read program of a lookup's computed key (backend/mhostval.c): the
 * site's hcode and hmsg, so that the host names the key from the prompt
 * ("table t has no entry for 6"); false when the key is no tree of the
 * prompt's values. */
bool mb_circuit_key_site(const ir_prog *ir, const circuit *c, const ir_expr *key,
                         const char *table, err_site *site);

/* The message of the error site `site` of a circuit run on `prompt`:
 * the values it names read from the prompt's tokens. */
void circuit_error_text(const mprog *p, int site, const int *prompt, int nprompt,
                        strbuf *out);

/* Decodes the generated tokens so far: 1 when the value (or an error) is
 * complete, 0 when more are needed, -1 on a malformed trace (err).  On
 * completion *site is the error site (or -1) and *out the value, with its
 * printed text in text. */
int circuit_decode(const mprog *p, const int *gen, int ngen, value *out,
                   strbuf *text, int *site, char *err, size_t errlen);

/* The program's names and their slots ("x→3  y=(lookup x)→4"), and the
 * plumbing ("constant 0 · position 1-2 · ..."). */
void circuit_slot_names(const mprog *p, const char *sep, strbuf *out);
void circuit_plumbing(const mprog *p, strbuf *out);
/* A prompt token in the circuit's words: "lookup['B] = 5", "x = 'B". */
bool circuit_token_text(const mprog *p, int64_t pos, int token, strbuf *out);

#endif
