/* api-safety.c - what an embedder running others' code relies on: foreign
 * code switched off, every limit settable and validated, runaway forms
 * stopped with the session kept. */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "tvl.h"
#include "tap.h"

/* The condition is evaluated before the message's arguments. */
#define CHECK(cond, ...)                                                    \
  do {                                                                      \
    bool ok_ = (cond);                                                      \
    tap_ok(ok_, __VA_ARGS__);                                               \
  } while (0)

static const char *first_line(const char *e) {
  static char b[400];
  if (!e) return "(no error)";
  size_t n = strcspn(e, "\n");
  if (n >= sizeof b) n = sizeof b - 1;
  memcpy(b, e, n);
  b[n] = 0;
  return b;
}

static void limits(void) {
  tvl_session *s = tvl_session_new();
  static const struct { const char *name; double ok, low, high; } cases[] = {
    {"steps", 5000, 0, 1e13},
    {"depth", 50, 0, 2e6},
    {"heap", 100, 0, 1 << 25},
    {"memory", 64 << 20, 1024, 1e18},
    {"time", 2.5, 0, 1e7},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    CHECK(tvl_set_limit(s, cases[i].name, cases[i].ok) == 0 &&
          tvl_get_limit(s, cases[i].name) == cases[i].ok,
          "%s limit set to %g", cases[i].name, cases[i].ok);
    CHECK(tvl_set_limit(s, cases[i].name, cases[i].low) == -1 &&
          tvl_error(s) && strstr(tvl_error(s), "must be from") &&
          tvl_get_limit(s, cases[i].name) == cases[i].ok,
          "%s %g refused, limit kept: %s", cases[i].name, cases[i].low,
          first_line(tvl_error(s)));
    CHECK(tvl_set_limit(s, cases[i].name, cases[i].high) == -1 &&
          tvl_get_limit(s, cases[i].name) == cases[i].ok,
          "%s %g refused", cases[i].name, cases[i].high);
  }
  CHECK(tvl_set_limit(s, "steps", 10.5) == -1, "a fractional step limit is refused");
  CHECK(tvl_set_limit(s, "steps", NAN) == -1, "NaN is refused");
  CHECK(tvl_set_limit(s, "colours", 3) == -1 && isnan(tvl_get_limit(s, "colours")) &&
        strstr(tvl_error(s), "unknown limit"), "an unknown limit is refused");
  CHECK(tvl_set_limit(s, "time", INFINITY) == 0 && isinf(tvl_get_limit(s, "time")),
        "INFINITY removes the time limit");

  /* the limits set through the API stop runaway forms */
  tvl_set_mode(s, "reference");
  CHECK(tvl_eval(s, "(define (spin) (let l () (l)))") == 0 &&
        tvl_eval(s, "(spin)") == -1 && strstr(tvl_error(s), "more than 5000 calls"),
        "the step limit set through the API stops a loop: %s", first_line(tvl_error(s)));
  tvl_set_limit(s, "steps", 1e8);
  CHECK(tvl_eval(s, "(define (deep n) (if (= n 0) 0 (+ 1 (deep (- n 1)))))") == 0 &&
        tvl_eval(s, "(deep 49)") == 0 && tvl_eval(s, "(deep 50)") == -1 &&
        strstr(tvl_error(s), "more than 50 nested calls"),
        "the depth limit set through the API: %s", first_line(tvl_error(s)));
  CHECK(tvl_eval(s, "(make-vector 98)") == 0 && tvl_eval(s, "(make-vector 99)") == -1,
        "the heap limit set through the API: %s", first_line(tvl_error(s)));
  tvl_set_limit(s, "steps", 1e12);
  tvl_set_limit(s, "time", 0.3);
  CHECK(tvl_eval(s, "(spin)") == -1 && strstr(tvl_error(s), "time limit reached"),
        "the time limit stops a loop: %s", first_line(tvl_error(s)));
  CHECK(tvl_eval(s, "(deep 10)") == 0 && !strcmp(tvl_result(s), "10"),
        "the session answers after it");
  tvl_set_limit(s, "time", INFINITY);
  tvl_set_limit(s, "steps", 1e8);
  tvl_set_mode(s, "transformer");
  /* a run keeps what it writes, not its tokens: the runaway makes a
   * vector at every turn, and the heap limit is far above what 24 MB hold */
  tvl_set_limit(s, "memory", 24 << 20);
  tvl_set_limit(s, "heap", 1 << 22);
  CHECK(tvl_eval(s, "(define (f n) (make-vector 1000 n) (if (= n -1) n (f (+ n 1))))") == 0 &&
        tvl_eval(s, "(f 0)") == -1 && strstr(tvl_error(s), "memory limit reached"),
        "the memory limit stops a runaway run in the transformer: %s",
        first_line(tvl_error(s)));
  CHECK(tvl_eval(s, "(f -5)") == 0 && !strcmp(tvl_result(s), "-1"),
        "the session answers after it (%s)", tvl_result(s));
  tvl_session_free(s);
}

static void no_extern(void) {
  tvl_session *s = tvl_session_new();
  tvl_set_mode(s, "reference");
  CHECK(!tvl_extern_disabled(s), "a session starts with extern on");
  CHECK(tvl_eval(s, "(extern c-abs \"libc\" \"abs\" (int32) int32) (c-abs -4)") == 0 &&
        !strcmp(tvl_result(s), "4"), "an extern runs before the switch");
  tvl_disable_extern(s);
  CHECK(tvl_extern_disabled(s), "the switch is on");
  CHECK(tvl_eval(s, "(extern sh \"libc\" \"system\" (string) int32)") == -1 &&
        strstr(tvl_error(s), "extern is switched off"),
        "a declaration is refused: %s", first_line(tvl_error(s)));
  CHECK(tvl_eval(s, "(c-abs -4)") == -1 && strstr(tvl_error(s), "switched off"),
        "an extern declared before fails when called: %s", first_line(tvl_error(s)));
  int r = 0;
  CHECK(tvl_call(s, "c-abs", (int[]){-4}, 1, &r) == -1, "and through tvl_call");
  tvl_set_mode(s, "transformer");
  CHECK(tvl_eval(s, "(define (g x) (c-abs x)) (g -4)") == -1 &&
        strstr(tvl_error(s), "switched off"),
        "and in the transformer: %s", first_line(tvl_error(s)));
  tvl_session_free(s);

  setenv("TVL_NO_EXTERN", "1", 1);
  s = tvl_session_new();
  CHECK(tvl_extern_disabled(s) &&
        tvl_eval(s, "(extern c-abs \"libc\" \"abs\" (int32) int32)") == -1,
        "TVL_NO_EXTERN=1 starts a session with extern off");
  tvl_session_free(s);
  setenv("TVL_NO_EXTERN", "0", 1);
  s = tvl_session_new();
  CHECK(!tvl_extern_disabled(s), "TVL_NO_EXTERN=0 does not");
  tvl_session_free(s);
  unsetenv("TVL_NO_EXTERN");
}

int main(void) {
  limits();
  no_extern();
  tap_plan(tap_n);
  return tap_done();
}
