/* api-test.c - the public libtvl interface, as an embedder uses it. */
#include <string.h>

#include "tvl.h"
#include "tap.h"

int main(void) {
  tvl_session *s = tvl_session_new();
  /* these checks are about the language through the API: the reference
   * evaluator; the transformer is checked at the end */
  tap_ok(tvl_set_mode(s, "reference") == 0 && tvl_set_mode(s, "nonsense") == -1,
         "modes can be chosen, unknown ones are refused");
  tap_ok(s != NULL, "a session is created");
  tap_ok(tvl_eval(s, "(define (sq x) (* x x)) (sq 12)") == 0, "evaluates two forms");
  tap_ok(!strcmp(tvl_result(s), "144"), "result of the last form is 144 (got %s)", tvl_result(s));
  tap_ok(tvl_eval(s, "(display (sq 3)) (newline)") == 0 && !strcmp(tvl_output(s), "9\n"),
         "display output is collected");
  tap_ok(tvl_eval(s, "(sq 1 2)") == -1, "an arity error fails");
  const char *e = tvl_error(s);
  tap_ok(e && strstr(e, "error: procedure sq takes 1 argument, but 2 were given") != NULL,
         "the error names the problem: %.*s", e ? (int)strcspn(e, "\n") : 6,
         e ? e : "(none)");
  tap_ok(tvl_eval(s, "(sq 5)") == 0 && !strcmp(tvl_result(s), "25"),
         "definitions survive an error");
  tap_ok(tvl_eval(s, "(+ 2147483647 1)") == -1 && strstr(tvl_error(s), "overflow"),
         "overflow is an error");
  tap_ok(tvl_eval(s, "(begin (define (g) 1) (g)") == -1 && tvl_error(s) &&
         strstr(tvl_error(s), "<eval ") &&
         strstr(tvl_error(s), ":1:1: error: this '(' is never closed") &&
         strstr(tvl_error(s), "\n  ^\n"),
         "a syntax error names where it is and shows a caret");
  tap_ok(tvl_eval(s, "(g)") == -1, "a form that did not parse defined nothing");
  tap_ok(tvl_eval(s, "(define v (vector 1 2)) (define n 0)") == 0,
         "a vector and a counter are defined");
  tap_ok(tvl_eval(s, "(begin (set! n 5) (vector-set! v 0 'x) (quotient 1 0))") == -1 &&
         strstr(tvl_error(s), "division by zero"),
         "a failing form reports its error");
  tap_ok(tvl_eval(s, "(vector n v)") == 0 && !strcmp(tvl_result(s), "#(0 #(1 2))"),
         "its set! and vector-set! were undone (got %s)", tvl_result(s));
  tap_ok(tvl_eval(s, "(display 1) (sq 1 2) (display \"never\")") == -1 &&
         !strcmp(tvl_output(s), "1"),
         "forms after the first failing one do not run (output %s)", tvl_output(s));
  tap_ok(tvl_eval(s, "(define (loop-forever) (let l () (l)))") == 0 &&
         tvl_eval(s, "(loop-forever)") == -1 &&
         strstr(tvl_error(s), "step limit reached"),
         "a runaway loop stops at the step limit");
  tap_ok(tvl_eval(s, "") == 0 && !strcmp(tvl_result(s), "") && tvl_error(s) == NULL,
         "empty source is fine and clears the last error");
  tap_ok(tvl_set_mode(s, "transformer") == 0 &&
         tvl_eval(s, "(define (tri n) (do ((i 0 (+ i 1)) (a 0 (+ a i))) ((> i n) a))) (tri 100)") == 0 &&
         !strcmp(tvl_result(s), "5050"),
         "in the transformer, (tri 100) is %s", tvl_result(s));
  tap_ok(tvl_set_mode(s, "check") == 0 && tvl_eval(s, "(tri 1000)") == 0 &&
         !strcmp(tvl_result(s), "500500"),
         "check mode agrees on (tri 1000): %s", tvl_result(s));
  tap_ok(tvl_version() && tvl_version()[0], "the version is %s", tvl_version());
  if (tvl_error(s)) tap_diag("last error: %.*s", (int)strcspn(tvl_error(s), "\n"), tvl_error(s));
  tvl_session_free(s);
  tap_plan(tap_n);
  return tap_done();
}
