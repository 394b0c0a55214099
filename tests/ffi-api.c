/* ffi-api.c - the embedding API beyond tvl_eval: tvl_call, function
 * pointers, comparators, summaries, and extern through the API (with a C
 * function of this program, found in the process by dlsym). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tvl.h"
#include "tap.h"

static tvl_session *session;
static int (*inner)(int);

/* Called by tvl through extern: calls back into the running session. */
int ffi_api_reenter(int x);
int ffi_api_reenter(int x) { return inner ? inner(x) + 100 : -1; }

/* Called by tvl through extern: a plain C function of this program. */
int ffi_api_twice(int x);
int ffi_api_twice(int x) { return 2 * x; }

static const char *first_line(const char *s) {
  static char line[256];
  if (!s) return "(none)";
  snprintf(line, sizeof line, "%.*s", (int)strcspn(s, "\n"), s);
  return line;
}

static void calls(const char *mode) {
  tvl_session *s = tvl_session_new();
  int r = 0, st;
  tap_ok(tvl_set_mode(s, mode) == 0, "%s: mode set", mode);
  st = tvl_eval(s, "(define (add3 a b c) (+ a b (* 2 c)))"
                     "(define (neg? x) (< x 0))"
                     "(deftable sq (1 1) (2 4) (3 9) (else -1))"
                     "(define (sym x) 'a)"
                     "(define limit 10)");
  tap_ok(st == 0,
         "%s: definitions (%s)", mode, first_line(tvl_error(s)));
  tap_ok(strstr(tvl_summary(s), "add3") && strstr(tvl_summary(s), "limit = 10"),
         "%s: the summary names them: %s", mode, first_line(tvl_summary(s)));
  st = tvl_call(s, "add3", (int[]){1, 2, 3}, 3, &r);
  tap_ok(st == 0 && r == 9,
         "%s: (add3 1 2 3) is %d", mode, r);
  st = tvl_call(s, "add3", (int[]){-2147483647, -1, 0}, 3, &r);
  tap_ok(st == 0 &&
             r == -2147483647 - 1,
         "%s: 32-bit extremes go through: %d", mode, r);
  st = tvl_call(s, "add3", (int[]){2147483647, 1, 0}, 3, &r);
  tap_ok(st == -1 &&
             strstr(tvl_error(s), "overflow"),
         "%s: overflow is an error: %s", mode, first_line(tvl_error(s)));
  st = tvl_call(s, "neg?", (int[]){-4}, 1, &r);
  tap_ok(st == 0 && r == 1 &&
             !strcmp(tvl_result(s), "#t"),
         "%s: a boolean result is 1 (%s)", mode, tvl_result(s));
  st = tvl_call(s, "sq", (int[]){3}, 1, &r);
  tap_ok(st == 0 && r == 9,
         "%s: a table is called too: %d", mode, r);
  st = tvl_call(s, "sym", (int[]){3}, 1, &r);
  tap_ok(st == -1 &&
             strstr(tvl_error(s), "sym returned a symbol a, not an integer"),
         "%s: %s", mode, first_line(tvl_error(s)));
  st = tvl_call(s, "limit", NULL, 0, &r);
  tap_ok(st == -1 &&
             strstr(tvl_error(s), "limit is a variable"),
         "%s: %s", mode, first_line(tvl_error(s)));
  st = tvl_call(s, "nothing", NULL, 0, &r);
  tap_ok(st == -1 &&
             strstr(tvl_error(s), "<tvl_call>: error: nothing is not defined"),
         "%s: %s", mode, first_line(tvl_error(s)));
  st = tvl_call(s, "add3", (int[]){1}, 1, &r);
  tap_ok(st == -1 &&
             strstr(tvl_error(s), "add3 takes 3 arguments, but 1 was given"),
         "%s: %s", mode, first_line(tvl_error(s)));
  st = tvl_call(s, "add3", (int[]){1, 1, 1}, 3, NULL);
  tap_ok(st == 0 && tvl_error(s) == NULL,
         "%s: a call clears the last error", mode);
  int (*add3)(int, int, int) =
      (int (*)(int, int, int))tvl_function_pointer(s, "add3", 3);
  tap_ok(add3 && add3(10, 20, 30) == 90 && add3(0, 0, -1) == -2,
         "%s: a function pointer of three arguments", mode);
  st = tvl_eval(s, "(define (add3 a b c) (- a b c))");
  tap_ok(st == 0 && add3 &&
             add3(10, 20, 30) == -40,
         "%s: the pointer sees a redefinition", mode);
  tap_ok(add3 && add3(5, 1, 1) == 3 && tvl_failed_calls(s) == 0,
         "%s: no failure so far", mode);
  r = add3 ? add3(-2147483647, 1, 1) : -1;
  tap_ok(r == 0 && tvl_failed_calls(s) == 1 && strstr(tvl_error(s), "overflow"),
         "%s: an overflow through the pointer returns 0 and is recorded: %s",
         mode, first_line(tvl_error(s)));
  tap_ok(add3 && add3(1, 1, 1) == -1 && tvl_failed_calls(s) == 1 &&
             strstr(tvl_error(s), "overflow"),
         "%s: the first error stays until the next tvl_eval or tvl_call", mode);
  tvl_fnptr none = tvl_function_pointer(s, "add3", 17);
  tap_ok(none == NULL && strstr(tvl_error(s), "0 to 16 arguments"),
         "%s: %s", mode, first_line(tvl_error(s)));
  st = tvl_eval(s, "(define (ret0) 7)");
  tap_ok(st == 0, "%s: a procedure of no arguments", mode);
  int (*ret0)(void) = (int (*)(void))tvl_function_pointer(s, "ret0", 0);
  tap_ok(ret0 && ret0() == 7, "%s: called through a pointer of none", mode);
  tvl_session_free(s);
}

static void externs(const char *mode) {
  tvl_session *s = tvl_session_new();
  session = s;
  int r = 0, st;
  tvl_set_mode(s, mode);
  st = tvl_eval(s, "(extern c-abs \"libc\" \"abs\" (int32) int32)");
  tap_ok(st == 0 &&
             !strcmp(tvl_summary(s), "c-abs: extern int32 abs(int32) from libc"),
         "%s: an extern through the API: %s", mode, tvl_summary(s));
  st = tvl_call(s, "c-abs", (int[]){-5}, 1, &r);
  tap_ok(st == 0 && r == 5,
         "%s: tvl_call of an extern: %d", mode, r);
  st = tvl_eval(s, "(extern twice \"\" \"ffi_api_twice\" (int32) int32)"
                  "(define (quad x) (twice (twice x)))");
  tap_ok(st == 0,
         "%s: a C function of this program, from the process (%s)", mode,
         first_line(tvl_error(s)));
  st = tvl_call(s, "quad", (int[]){5}, 1, &r);
  tap_ok(st == 0 && r == 20,
         "%s: (quad 5) is %d (%s)", mode, r, first_line(tvl_error(s)));
  tap_ok(tvl_eval(s, "(define (inc x) (+ x 1))"
                     "(extern reenter \"\" \"ffi_api_reenter\" (int32) int32)") == 0,
         "%s: a C function that calls back into the session", mode);
  inner = (int (*)(int))tvl_function_pointer(s, "inc", 1);
  tap_ok(inner && inner(1) == 2, "%s: the pointer works from outside", mode);
  st = tvl_eval(s, "(reenter 1)");
  tap_ok(st == 0 && !strcmp(tvl_result(s), "100") &&
             tvl_error(s) && strstr(tvl_error(s), "already running"),
         "%s: from inside a run it fails (returns 0) and says why: %s (result %s)",
         mode, first_line(tvl_error(s)), tvl_result(s));
  st = tvl_eval(s, "(define (f) (c-abs -1))");
  tap_ok(st == 0 &&
             tvl_eval(s, "(extern c-abs \"libc\" \"nope\" (int32) int32)") == -1 &&
             tvl_call(s, "f", NULL, 0, &r) == 0 && r == 1,
         "%s: a failed declaration changes nothing", mode);
  inner = NULL;
  tvl_session_free(s);
}

int main(void) {
  calls("reference");
  calls("transformer");
  calls("check");
  externs("reference");
  externs("transformer");
  externs("check");
  tap_plan(tap_n);
  return tap_done();
}
