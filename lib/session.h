/* session.h - one tvl session: the world of definitions plus the way forms
 * are run (reference evaluator now; the compiled transformer later).  The
 * REPL, the script runner and the public libtvl API all drive a session.
 *
 * Ownership: a session owns its world.  A form_result owns its strings and
 * error until form_result_free(); values in it point into the world.
 */
#ifndef TVL_SESSION_H
#define TVL_SESSION_H

#include "lang/lang.h"

typedef enum { MODE_REFERENCE, MODE_TRANSFORMER, MODE_CHECK } run_mode;

typedef struct {
  bool ok;
  bool is_definition;
  bool has_value;        /* an expression whose value is not unspecified */
  value result;
  strbuf text;           /* the value, printed as `write` does */
  strbuf summary;        /* definition summary: "x = 5", "f: procedure ..." */
  int64_t steps;         /* evaluator steps */
  int64_t tokens;        /* transformer tokens (compiled mode) */
  bool circuit;          /* the tokens were a circuit's forward passes */
  int64_t tool_calls;    /* externs the host called for the transformer */
  double ms;             /* wall time of the run */
  double cpu_ms;         /* its CPU time (the process's) */
  const char *dense_why; /* a run was dense, and why (static text); NULL:
                            every transformer run was routed */
  lang_error err;
} form_result;

void form_result_init(form_result *r);
void form_result_free(form_result *r);

struct runner;

typedef struct session {
  world *w;
  run_mode mode;
  warn_fn warn;
  void *warn_ctx;
  struct runner *run;    /* compiled programs (transformer and check modes) */
  bool brute;            /* use the brute-force KV cache instead of the hull */
  bool plain_hull;       /* the hull for every head, no O(1) caches (tests) */
  bool dense;            /* run every FFN unit, even of a routed model */
  /* tests: > 0 runs the plain pass beside every transformer run, with
   * the brute cache for this many positions (runner_set_lockstep) */
  int64_t lockstep;
  /* told of the progress of transformer runs longer than progress_after
   * ms (runner_set_progress); NULL: not told */
  void (*progress)(void *ctx, int64_t tokens, double seconds, bool done);
  void *progress_ctx;
  double progress_after;
  double milp_limit;     /* seconds of MILP scheduling per procedure
                            definition; 0: the list schedule only */
} session;

session *session_new(void);
void session_free(session *s);
void session_reset(session *s);   /* forget every definition */
/* Expands, checks and runs one top-level form; takes the form's arena.
 * On failure the session's definitions are exactly as before. */
bool session_eval(session *s, rd_form *f, const int *later, int nlater,
                  form_result *r);
/* prelude.c: loads the library procedures written in tvl that form names
 * (and the SRFI-1 ones once the program used (srfi srfi-1)), each through
 * eval, before the form runs.  prelude_names: the i-th one, false past
 * the end. */
/* A library procedure written in tvl (prelude.c, prelude-lib.c). */
typedef struct {
  const char *name;
  bool srfi1;          /* needs (use-modules (srfi srfi-1)) */
  const char *text;
} prelude_def;
enum { PRELUDE_LIB_MAX = 96 };   /* prelude-lib.c: room in its table */
extern const prelude_def prelude_lib_defs[PRELUDE_LIB_MAX];
enum { PRELUDE_LISTS_MAX = 16 };   /* prelude-lists.c: room in its table */
extern const prelude_def prelude_lists_defs[PRELUDE_LISTS_MAX];
enum { PRELUDE_WIND_MAX = 40 };   /* prelude-wind.c: room in its table */
extern const prelude_def prelude_wind_defs[PRELUDE_WIND_MAX];
/* the builtin whose name also loads prelude_wind_defs[i] (or NULL) */
extern const char *const prelude_wind_also[PRELUDE_WIND_MAX];
enum { PRELUDE_PORTS_MAX = 24 };   /* prelude-ports.c: the text of a value */
extern const prelude_def prelude_ports_defs[PRELUDE_PORTS_MAX];
enum { PRELUDE_GUILE_MAX = 64 };   /* prelude-guile.c: room in its table */
extern const prelude_def prelude_guile_defs[PRELUDE_GUILE_MAX];
enum { PRELUDE_READ_MAX = 24 };   /* prelude-read.c: read, parameters */
extern const prelude_def prelude_read_defs[PRELUDE_READ_MAX];
enum { PRELUDE_RANGES_MAX = 16 };   /* prelude-ranges.c: optional arguments */
extern const prelude_def prelude_ranges_defs[PRELUDE_RANGES_MAX];
/* prelude-ranges.c: renames the calls of builtins with Guile's optional
 * arguments that tvl's builtins lack, in form, before prelude_before */
void prelude_ranges(session *s, sx *form);

void prelude_before(session *s, const sx *form,
                    bool (*eval)(session *s, rd_form *f));
bool prelude_names(int i, const char **name, bool *srfi1);
/* One line describing a global: "x = 5", "f: procedure (f x)", ...; a
 * value printed longer than max_value bytes is cut short with " ..."
 * (0: never). */
enum { SUMMARY_VALUE_MAX = 200 };
bool session_describe(session *s, int sym, size_t max_value, strbuf *out);
/* Formats an error or warning with file:line:col and a caret. */
void session_diag(session *s, srcloc loc, const char *severity,
                  const char *msg, strbuf *out);
/* Transformer and check modes (compiled.c): runs a checked form. */
void session_eval_compiled(session *s, ast *a, int frame, rd_form *f,
                           form_result *r);
/* Check mode, for a form refused before compiling (its error in r->err):
 * the evaluator runs it and the refusal is reported as a difference. */
void session_check_refused(session *s, ast *a, int frame, rd_form *f,
                           form_result *r);
const char *run_mode_name(run_mode m);

/* Limits (limits.c), by name: steps, depth, heap, memory, time.  Setting
 * one validates it: false with the allowed range in *err. */
bool session_set_limit(session *s, const char *name, double v, strbuf *err);
/* From text: a number, with K/M/G for memory, or "off" for time. */
bool session_parse_limit(session *s, const char *name, const char *text,
                         strbuf *err);
double session_get_limit(const session *s, const char *name);  /* NaN: no such */
void session_limit_range(const char *name, strbuf *out);
const char *session_limit_name(int i);   /* NULL past the last */
/* "steps 100000000\ndepth 10000\n..." */
void session_show_limits(const session *s, strbuf *out);
/* The names a run of forms will define, for forward references. */
void session_collect_defines(session *s, const sx *form, int_vec *names);

#endif
