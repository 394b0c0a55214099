/* runner.h - compiling forms into transformers and running them: what the
 * session does in transformer and check modes.
 *
 * Every global procedure gets its own compiled program (its "fragment":
 * lowered IR, gates, schedule, weights), cached by the versions of every
 * definition it was built from; a redefinition recompiles exactly the
 * procedures that depend on it.  An expression compiles to a program of
 * its own; a call of a compiled procedure with constant arguments reuses
 * the procedure's program with the arguments in the prompt.
 *
 * Ownership: a runner owns its cache and every mprog in it; it borrows
 * the world.
 */
#ifndef TVL_RUNNER_H
#define TVL_RUNNER_H

#include "backend/machine.h"
#include "lib/lockstep.h"

typedef struct runner runner;

typedef struct {
  bool ok;
  strbuf output;        /* what the program displayed */
  strbuf result;        /* its value, printed */
  bool has_result;      /* not the unspecified value */
  value value;          /* the value as a world value */
  int64_t tokens;       /* generated */
  int64_t prompt_tokens;
  int64_t steps;        /* statements executed */
  int64_t tool_calls;   /* calls of externs performed by the host */
  double compile_ms, run_ms;
  double run_cpu_ms;    /* CPU time of the run (this process) */
  bool reused;          /* an existing program was used */
  bool circuit;         /* it ran a circuit: tokens are forward passes */
  const char *dense_why; /* the run was dense, and why; NULL: routed */
  const mprog *prog;    /* borrowed, valid until the next runner call */
  lang_error err;
} run_out;

void run_out_init(run_out *r);
void run_out_free(run_out *r);

runner *runner_new(world *w);
void runner_free(runner *r);
void runner_set_kv(runner *r, kv_kind kind);
/* Dense: every FFN unit at every position, even of a routed model. */
void runner_set_dense(runner *r, bool dense);
/* Tests: the plain pass in lockstep with every run (lib/lockstep.h), with
 * the brute cache for the first brute_budget positions (of all runs). */
void runner_set_lockstep(runner *r, bool on, int64_t brute_budget);
const lockstep *runner_lockstep(const runner *r);   /* NULL when off */
void runner_set_limits(runner *r, int64_t max_tokens, volatile int *interrupt);
/* Long runs report their progress through fn (NULL: no progress): every
 * ~200 ms once `after_ms` have passed, and once with done set when the run
 * ends (only if a report was made), however it ends.  The caller draws it
 * and keeps it apart from the program's output. */
typedef void (*progress_fn)(void *ctx, int64_t tokens, double seconds,
                            bool done);
void runner_set_progress(runner *r, progress_fn fn, void *ctx, double after_ms);
/* Whether procedures that can be circuits are (the default). */
void runner_set_circuits(runner *r, bool on);
/* MILP time limit for procedures' own programs (0: list schedule). */
void runner_set_milp(runner *r, double seconds);
/* Recompiles a procedure's program with the MILP for `seconds`. */
const mprog *runner_optimize(runner *r, gcell *fn, double seconds,
                             lang_error *err);

/* Compiles and runs an expression (checked AST); writes back the globals
 * and vectors it changed when write_back is set. */
bool runner_eval(runner *r, const ast *expr, int frame, bool write_back,
                 run_out *out);
/* Compiles and runs an expression for its effects only (its value is
 * dropped, so its branches may differ in kind); writes back. */
bool runner_exec(runner *r, const ast *expr, int frame, run_out *out);
/* Compiles a global procedure's own program (on definition). */
bool runner_compile_fn(runner *r, gcell *fn, run_out *out);
/* Calls a compiled global procedure with argument values. */
bool runner_call(runner *r, gcell *fn, const value *args, int nargs,
                 bool write_back, run_out *out);
/* The compiled program of a procedure, compiling it if needed. */
const mprog *runner_program(runner *r, gcell *fn, lang_error *err);
/* Procedures recompiled or reused by the last definition. */
void runner_recompile_dependents(runner *r, gcell *changed, strbuf *recompiled,
                                 strbuf *reused);
/* Traced runs (:trace, :margins): what happened at every position.
 * on_start receives the program and its prompt before the first forward
 * pass; on_token follows the forward pass at position pos, whose input
 * was `token` and whose argmax is `next`; obs sees every head and layer
 * of every pass.  A traced run uses the brute KV cache (which computes
 * score margins) and writes nothing back to the session. */
typedef struct {
  void *ctx;
  void (*on_start)(void *ctx, const mprog *p, const int *prompt, int n);
  void (*on_token)(void *ctx, int64_t pos, int token, int next);
  exec_observer obs;
} runner_hooks;

bool runner_trace(runner *r, const ast *expr, int frame, const runner_hooks *h,
                  run_out *out);
bool runner_trace_call(runner *r, gcell *fn, const value *args, int nargs,
                       const runner_hooks *h, run_out *out);
/* Compiles an expression into the runner's scratch program without
 * running it (valid until the next runner call), for :export. */
const mprog *runner_compile_expr(runner *r, const ast *expr, int frame,
                                 lang_error *err);

/* One-line summary and slot map of a compiled procedure. */
void runner_summary(const mprog *p, const char *name, strbuf *out);
/* lib/slotmap.c: the program's names with their slots, half-layers and
 * (for a slot several names share) steps, sep between names: "x→42
 * [L1a..L5f] pc 9  y=(lookup x)→19 [L5f..out] pc 9"; and the machine's
 * slots by role: "program counter 2 7-14 · memory 6 17 · ... ·
 * temporaries RV→42". */
void slotmap_names(const mprog *p, const char *sep, strbuf *out);
void slotmap_machine(const mprog *p, strbuf *out);

#endif
