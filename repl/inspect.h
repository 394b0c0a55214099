/* inspect.h - the colon commands that look inside a compiled program:
 * :trace (repl/inspect-trace.c), :margins and :export (repl/inspect.c),
 * :weights and the pictures of :weights --svg and :slots --svg
 * (repl/inspect-weights.c).
 *
 * Every command writes through an `isink`: the REPL's standard output, or
 * a file when the command ends in "> FILE".
 */
#ifndef TVL_INSPECT_H
#define TVL_INSPECT_H

#include <stdio.h>

#include "shell.h"

#include "runner.h"

void cmd_trace(shell *sh, const char *args);
void cmd_weights(shell *sh, const char *args);
void cmd_margins(shell *sh, const char *args);
void cmd_export(shell *sh, const char *args);
/* inspect-ablate.c */
void cmd_ablate(shell *sh, const char *args);
void cmd_patch(shell *sh, const char *args);
/* inspect-explain.c */
void cmd_explain(shell *sh, const char *args);

/* commands.c: the compiled program of the procedure NAME, or NULL
 * (reported). */
const mprog *program_of(shell *sh, const char *name);

/* ---- shared by the inspect files ------------------------------------ */

/* Where a command's output goes: stdout through the shell, or a file. */
typedef struct {
  shell *sh;
  FILE *f;
  safe_file file;   /* the file being written (base/safefile.c) */
  strbuf buf;
  bool failed;
  int64_t bytes;   /* written to the file */
  int nerrors0;    /* the shell's error count when opened */
} isink;

void isink_printf(isink *o, const char *fmt, ...) TVL_PRINTF(2, 3);
void isink_puts(isink *o, const char *s);
/* Writes what is buffered; a file sink is closed by isink_close. */
void isink_flush(isink *o);
/* Opens a sink on a file (NULL: stdout).  False, reported, on failure. */
bool isink_open(isink *o, shell *sh, const char *path);
/* Flushes and closes; false (reported) when writing failed. */
bool isink_close(isink *o, const char *path);
/* isink_close, then, for a file and when no error was reported since
 * isink_open, "wrote FILE: WHAT (N bytes)". */
bool isink_done(isink *o, const char *path, const char *what);

/* The words of a command's arguments: runs of non-blank bytes, where a
 * parenthesised datum or a string counts as part of one word. */
typedef struct {
  VEC(char *) w;
} iwords;

void iwords_split(iwords *ws, const char *args);
void iwords_free(iwords *ws);
/* Takes a trailing "> FILE" off the words; *path is NULL when absent. */
bool iwords_redirect(shell *sh, iwords *ws, char **path);

/* Numbers the way the listings print them: integers exactly, others in
 * the shortest form that reads back the same. */
void fmt_num(strbuf *b, double x);
/* "L0a", "L2f", "in", "out" for a time of the placement. */
void fmt_time(strbuf *b, int t, int n_layers);
/* The name of what slot s holds after half-layer t (-1 the embedding),
 * from slots_holders' table: the value's name, "NAME (dead)" when no
 * later half-layer reads it, nothing when the slot holds nothing. */
void slot_label_at(const mprog *p, const int *holders, int s, int t,
                   strbuf *b);
/* "half_layers":["in","L0a",...],"slot_names_by_half":[[...],...]: per
 * residual (the embedding, then after each half-layer), every slot's
 * label as slot_label gives it. */
void slot_labels_json(const mprog *p, strbuf *b);
/* A JSON string literal. */
void json_str(strbuf *b, const char *s);
/* The same of n bytes that may hold NULs (program output). */
void json_strn(strbuf *b, const char *s, size_t n);
/* A number, or null when it is not finite (JSON has no infinity). */
void json_num(strbuf *b, double x);

/* ---- the program being inspected (inspect.c) ------------------------ */

/* "write", "branch", ... for a step kind. */
const char *step_kind_name(mkind k);
/* What step pc is, in words. */
void step_text(const mprog *p, int pc, strbuf *out);
/* "FILE:LINE:COL", or nothing for an unknown place. */
void loc_text(const mprog *p, srcloc loc, strbuf *out);
/* "#f", "#t", a symbol's name: a SYM token's value as printed. */
void sym_text(const mprog *p, int64_t v, int kind, strbuf *out);
/* The name of extern k of a program (a CALL token's value). */
const char *extern_name(const mprog *p, int64_t k);

/* Where each head's records go in per-position arrays: hoff[l] is the
 * first head of layer l, voff[k] the first value of head k (freed by the
 * caller). */
typedef struct {
  int *hoff, *voff;
  int nheads, nvals;
} head_layout;

void head_layout_init(head_layout *hl, const model *m);
void head_layout_free(head_layout *hl);

/* One expression read from a command's text, expanded and checked; run
 * on the deep stack (lang_run_deep).  rexpr_free releases it. */
typedef struct {
  rd_form f;
  ast *a;
  int frame;
  bool have_form;
  const char *command;   /* ":trace", ... (static) */
} rexpr;

bool read_expr(shell *sh, const char *srcname, const char *text, rexpr *x,
               lang_error *err);
void rexpr_free(rexpr *x);
/* Reports a language error through the shell. */
void report_error(shell *sh, const lang_error *err);
/* The session's runner, with the session's limits. */
runner *shell_runner(shell *sh);
/* Runs an expression with trace hooks, the way the session would run it
 * (a call of a compiled procedure with constant arguments in the
 * procedure's own program), without writing anything back. */
bool run_traced(shell *sh, const rexpr *x, const runner_hooks *h, run_out *out);

/* The program a call of a compiled procedure with constant arguments
 * runs in (the procedure's own), or NULL for any other expression. */
const mprog *direct_program(shell *sh, const rexpr *x);
/* inspect-trace.c: per prompt position, what its token says in the
 * program's terms ("x = 'B", "lookup['B] = 5"), or NULL; n strings,
 * freed by the caller. */
char **prompt_texts(const mprog *p, const int *prompt, int n);

/* Leading --options of a command. */
typedef struct {
  bool json, resid;
  long keep;
} iopts;

/* Parses the leading "--" words of ws allowed by `allowed` (blank-
 * separated names); *at receives the first other word.  False, reported,
 * on an unknown option or a bad number. */
bool parse_opts(shell *sh, const iwords *ws, const char *allowed, iopts *o,
                int *at);
/* The words from `from` on, joined by single blanks (malloc'd). */
char *join_words(const iwords *ws, int from);

/* :slots NAME --svg FILE (inspect-weights.c). */
bool slots_svg(shell *sh, const mprog *p, const char *name, const char *path);
/* :weights NAME [LAYER] and :weights NAME --svg FILE. */
void weights_listing(isink *o, const mprog *p, const char *name, int layer);
bool weights_svg(shell *sh, const mprog *p, const char *name, const char *path);

/* The expression of the source that step pc computes (the outermost of
 * the source map, backend/msrc.c): its text, on one line, and its place;
 * false when the step computes none (inspect-explain.c). */
bool step_source(const mprog *p, int pc, strbuf *text, srcloc *loc);

/* The gate (or slot clear) behind each FFN unit and head of a model, from
 * the placement, in the order weights_build lays them out. */
typedef struct {
  int gate;      /* gate id, or -1 for a slot clear */
  int unit;      /* unit index within the gate */
  int cleared;   /* slot clear: the gate whose slot it zeroes */
} unit_origin;

/* Per layer, one origin per FFN unit; false when the placement does not
 * account for the model's units (the labels would be wrong). */
bool unit_origins(const mprog *p, unit_origin ***out);
void unit_origins_free(const mprog *p, unit_origin **u);
/* The head gate of physical head h of layer l, or -1. */
int head_gate(const mprog *p, int layer, int h);

#endif
