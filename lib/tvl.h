/* tvl.h - the public interface of libtvl.
 *
 * A tvl_session holds definitions; tvl_eval runs source text in it, form
 * by form, as the tvl program would; tvl_call and function pointers call
 * its procedures from C.  Ownership: everything a function returns as
 * `const char *` belongs to the session and stays valid until the next
 * call on that session; function pointers live until tvl_session_free.
 *
 * Build with  cc prog.c $(pkg-config --cflags --libs libtvl).
 */
#ifndef TVL_H
#define TVL_H

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tvl_session tvl_session;

tvl_session *tvl_session_new(void);
void tvl_session_free(tvl_session *s);

/* Runs every form of `source`.  Returns 0 on success, -1 on the first
 * error (later forms are not run, earlier ones stay in effect). */
int tvl_eval(tvl_session *s, const char *source);
/* The printed value of the last form evaluated ("" if it had none). */
const char *tvl_result(const tvl_session *s);
/* The last error, formatted with file:line:col and a caret, or NULL. */
const char *tvl_error(const tvl_session *s);
/* Everything `display` and `newline` printed during the last tvl_eval. */
const char *tvl_output(const tvl_session *s);

/* How forms run: "transformer" (compiled into weights and run by the
 * transformer; the default), "reference" (the reference evaluator) or
 * "check" (both, failing on the first difference).  Returns 0, or -1 for
 * an unknown mode. */
int tvl_set_mode(tvl_session *s, const char *mode);

/* What the definitions of the last tvl_eval compiled or defined, one line
 * each, as the REPL shows it ("f: 1 layer · d_model 8 ...", "x = 5",
 * "c-abs: extern int32 abs(int32) from libc"); "" if none. */
const char *tvl_summary(const tvl_session *s);

/* ---- calling tvl from C ---------------------------------------------- */

/* Calls NAME (a procedure, table or extern of the session) with nargs C
 * int arguments, as the form (NAME ARG ...) runs in the session's mode:
 * in the transformer, the procedure's own compiled program runs with the
 * arguments in its prompt (compiled when first needed).  Returns 0 with
 * the value in *result (an integer; #t and #f as 1 and 0), or -1 with
 * tvl_error() set: NAME undefined or not callable, wrong arity, a run-time
 * error, or a value of another kind (tvl_result() shows it).  Like
 * tvl_eval, it clears the previous result, error and output. */
int tvl_call(tvl_session *s, const char *name, const int *args, int nargs,
             int *result);

/* A generic function pointer: cast it to the real type before calling. */
typedef void (*tvl_fnptr)(void);

/* A real C function of nargs (0 to 16) int arguments returning int that
 * runs NAME as tvl_call does: cast it to int (*)(int, int) for nargs 2,
 * and so on.  It is a libffi closure, valid until tvl_session_free; it
 * finds NAME when called, so a redefinition takes effect.  NULL if NAME
 * is not a procedure, table or extern taking nargs arguments (tvl_error()
 * says why).
 *
 * Errors: a call that fails returns 0 and records its error: tvl_error()
 * then returns the first such error, and tvl_failed_calls() counts them,
 * until the next tvl_eval or tvl_call.  Calls through the pointer keep
 * the output of `display` (tvl_output) and do not change tvl_result.
 *
 * A session is not thread-safe: call the pointer from one thread at a
 * time.  A call made while the session is running (from a C function that
 * tvl itself called) fails instead of running. */
tvl_fnptr tvl_function_pointer(tvl_session *s, const char *name, int nargs);

/* The same for qsort and bsearch over arrays of int: the comparator calls
 * NAME with the two ints its arguments point to. */
typedef int (*tvl_compare_fn)(const void *, const void *);
tvl_compare_fn tvl_int_comparator(tvl_session *s, const char *name);

/* Calls through function pointers that failed since the last tvl_eval or
 * tvl_call. */
long tvl_failed_calls(const tvl_session *s);

/* ---- running scripts you do not trust ---------------------------------- */

/* A script can do what its session lets it: with `extern` it calls any C
 * function of any library (system(), unlink() ...), so a session that runs
 * others' code should switch foreign code off.  After tvl_disable_extern,
 * `extern` is an error at declaration and externs declared before fail
 * when called; it cannot be switched back on.  A session starts with it
 * off when the environment has TVL_NO_EXTERN=1. */
void tvl_disable_extern(tvl_session *s);
/* 1 when foreign code is switched off. */
int tvl_extern_disabled(const tvl_session *s);

/* The limits that stop a runaway form with an error, the session kept:
 *   "steps"   evaluator steps / transformer tokens per form (1 to 10^12;
 *             default 10^8)
 *   "depth"   nested non-tail calls (1 to 10^6; default 10^4)
 *   "heap"    vector cells, all vectors together (16 to 2^24; default 2^22)
 *   "memory"  bytes of heap in use (16 MB to the physical memory; default
 *             half of it); checked while running and compiling
 *   "time"    seconds per form (0.001 to 10^6; INFINITY: none, the default)
 * Returns 0, or -1 when the name is unknown or the value outside its
 * range (tvl_error() gives the range); the limit is then unchanged. */
int tvl_set_limit(tvl_session *s, const char *name, double value);
/* The limit's value (INFINITY for no time limit); NaN for an unknown name. */
double tvl_get_limit(const tvl_session *s, const char *name);

const char *tvl_version(void);

#ifdef __cplusplus
}
#endif

#endif
