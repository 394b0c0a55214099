/* builtins.c - the primitive procedures, as the reference evaluator runs
 * them.  Integers are 32-bit; every result that would not fit is an
 * overflow error, never a wrapped value. */
#include "config.h"

#include "lang.h"

#include <string.h>

static const ast *arg_at(const ast *call, int i) {
  return i < call->u.call.n ? call->u.call.args[i] : call;
}

/* An overflow error that shows the call as written: "(+ 2147483647 1)
 * is 2147483648, which does not fit in 32 bits".  The exact result is
 * shown when it is known. */
static TVL_NORETURN void overflow(ev_ctx *c, const ast *call, const char *op,
                                  const value *a, int n, bool known,
                                  int64_t exact) {
  char text[200];
  int len = snprintf(text, sizeof text, "(%s", op);
  for (int i = 0; i < n && len < 150; i++)
    len += snprintf(text + len, sizeof text - (size_t)len, " %d", (int)a[i].i);
  if (len >= 150 && n > 0)
    len += snprintf(text + len, sizeof text - (size_t)len, " ...");
  snprintf(text + len, sizeof text - (size_t)len, ")");
  if (known)
    ev_fail(c, call->loc, "overflow",
            "integer overflow: %s is %lld, which does not fit in 32 bits",
            text, (long long)exact);
  ev_fail(c, call->loc, "overflow",
          "integer overflow: %s does not fit in 32 bits", text);
}

static bool fits(int64_t r) { return r >= TVL_INT_MIN && r <= TVL_INT_MAX; }

/* Only the final result must fit, as in Scheme: (+ 2147483647 1 -1) is
 * 2147483647.  A 64-bit sum of 32-bit integers cannot itself overflow. */
static value bi_add(ev_ctx *c, const ast *call, value *a, int n) {
  int64_t r = 0;
  for (int i = 0; i < n; i++) r += a[i].i;
  if (!fits(r)) overflow(c, call, "+", a, n, true, r);
  return v_int((int32_t)r);
}

static value bi_sub(ev_ctx *c, const ast *call, value *a, int n) {
  int64_t r = n == 1 ? -(int64_t)a[0].i : a[0].i;
  for (int i = 1; i < n; i++) r -= a[i].i;
  if (!fits(r)) overflow(c, call, "-", a, n, true, r);
  return v_int((int32_t)r);
}

/* Once a partial product is larger than 2^31 in magnitude, no remaining
 * factor (non-zero, so at least 1 in magnitude) can bring it back. */
static value bi_mul(ev_ctx *c, const ast *call, value *a, int n) {
  for (int i = 0; i < n; i++)
    if (a[i].i == 0) return v_int(0);
  int64_t r = 1;
  for (int i = 0; i < n; i++) {
    r *= a[i].i;
    if (r > ((int64_t)1 << 31) || r < -((int64_t)1 << 31))
      overflow(c, call, "*", a, n, i == n - 1, r);
  }
  if (!fits(r)) overflow(c, call, "*", a, n, true, r);
  return v_int((int32_t)r);
}

static void nonzero(ev_ctx *c, const ast *call, const char *op, value *a) {
  if (a[1].i == 0)
    ev_fail(c, call->loc, "division", "division by zero: (%s %d 0)", op,
            (int)a[0].i);
}

static value bi_quotient(ev_ctx *c, const ast *call, value *a, int n) {
  nonzero(c, call, "quotient", a);
  int64_t r = (int64_t)a[0].i / a[1].i;
  if (!fits(r)) overflow(c, call, "quotient", a, n, true, r);
  return v_int((int32_t)r);
}

static value bi_remainder(ev_ctx *c, const ast *call, value *a, int n) {
  nonzero(c, call, "remainder", a);
  return v_int((int32_t)((int64_t)a[0].i % a[1].i));
}

static value bi_modulo(ev_ctx *c, const ast *call, value *a, int n) {
  nonzero(c, call, "modulo", a);
  int64_t r = (int64_t)a[0].i % a[1].i;
  if (r != 0 && ((r < 0) != (a[1].i < 0))) r += a[1].i;
  return v_int((int32_t)r);
}

static value bi_abs(ev_ctx *c, const ast *call, value *a, int n) {
  int64_t x = a[0].i;
  if (x < 0) x = -x;
  if (!fits(x)) overflow(c, call, "abs", a, n, true, x);
  return v_int((int32_t)x);
}

static value bi_min(ev_ctx *c, const ast *call, value *a, int n) {
  int32_t r = a[0].i;
  for (int i = 1; i < n; i++) if (a[i].i < r) r = a[i].i;
  return v_int(r);
}

static value bi_max(ev_ctx *c, const ast *call, value *a, int n) {
  int32_t r = a[0].i;
  for (int i = 1; i < n; i++) if (a[i].i > r) r = a[i].i;
  return v_int(r);
}

/* A negative exponent gives an integer only for a base of 1 or -1, which
 * is what Scheme answers too; 0 to a negative power divides by zero. */
static value bi_expt(ev_ctx *c, const ast *call, value *a, int n) {
  int64_t b = a[0].i, e = a[1].i;
  if (b == 1 || e == 0) return v_int(1);
  if (b == -1) return v_int(e % 2 ? -1 : 1);
  if (e < 0) {
    if (b == 0)
      ev_fail(c, call->loc, "division", "division by zero: (expt 0 %lld)",
              (long long)e);
    ev_fail(c, arg_at(call, 1)->loc, "type",
            "expt: (expt %lld %lld) is a fraction, and tvl has only integers",
            (long long)b, (long long)e);
  }
  if (b == 0) return v_int(0);
  /* |b| >= 2: the loop overflows after at most 31 rounds. */
  int64_t r = 1;
  for (int64_t i = 0; i < e; i++) {
    r *= b;
    if (!fits(r)) overflow(c, call, "expt", a, n, i == e - 1, r);
  }
  return v_int((int32_t)r);
}

/* ---- comparisons ---------------------------------------------------- */

#define COMPARE(name, op)                                                  \
  static value name(ev_ctx *c, const ast *call, value *a, int n) {        \
    for (int i = 0; i + 1 < n; i++)                                        \
      if (!(a[i].i op a[i + 1].i)) return v_bool(false);                   \
    return v_bool(true);                                                   \
  }
COMPARE(bi_eq, ==)
COMPARE(bi_lt, <)
COMPARE(bi_gt, >)
COMPARE(bi_le, <=)
COMPARE(bi_ge, >=)

static value bi_zero(ev_ctx *c, const ast *call, value *a, int n) { return v_bool(a[0].i == 0); }
static value bi_positive(ev_ctx *c, const ast *call, value *a, int n) { return v_bool(a[0].i > 0); }
static value bi_negative(ev_ctx *c, const ast *call, value *a, int n) { return v_bool(a[0].i < 0); }
static value bi_even(ev_ctx *c, const ast *call, value *a, int n) { return v_bool(a[0].i % 2 == 0); }
static value bi_odd(ev_ctx *c, const ast *call, value *a, int n) { return v_bool(a[0].i % 2 != 0); }

static value bi_not(ev_ctx *c, const ast *call, value *a, int n) { return v_bool(!v_truthy(a[0])); }

static value bi_eqv(ev_ctx *c, const ast *call, value *a, int n) { return v_bool(value_eqv(a[0], a[1])); }
static value bi_equal(ev_ctx *c, const ast *call, value *a, int n) { return v_bool(value_equal(a[0], a[1])); }

static value bi_is_int(ev_ctx *c, const ast *call, value *a, int n) { return v_bool(a[0].kind == VK_INT); }
static value bi_is_bool(ev_ctx *c, const ast *call, value *a, int n) { return v_bool(a[0].kind == VK_BOOL); }
static value bi_is_sym(ev_ctx *c, const ast *call, value *a, int n) { return v_bool(a[0].kind == VK_SYM); }
static value bi_is_vec(ev_ctx *c, const ast *call, value *a, int n) { return v_bool(a[0].kind == VK_VEC); }
static value bi_is_str(ev_ctx *c, const ast *call, value *a, int n) { return v_bool(a[0].kind == VK_STR); }

/* ---- bitwise -------------------------------------------------------- */

static value bi_logand(ev_ctx *c, const ast *call, value *a, int n) {
  int32_t r = -1;
  for (int i = 0; i < n; i++) r &= a[i].i;
  return v_int(r);
}
static value bi_logior(ev_ctx *c, const ast *call, value *a, int n) {
  int32_t r = 0;
  for (int i = 0; i < n; i++) r |= a[i].i;
  return v_int(r);
}
static value bi_logxor(ev_ctx *c, const ast *call, value *a, int n) {
  int32_t r = 0;
  for (int i = 0; i < n; i++) r ^= a[i].i;
  return v_int(r);
}
static value bi_lognot(ev_ctx *c, const ast *call, value *a, int n) { return v_int(~a[0].i); }

static value bi_ash(ev_ctx *c, const ast *call, value *a, int n) {
  int64_t x = a[0].i, s = a[1].i;
  if (s <= 0) {
    if (s < -31) return v_int(x < 0 ? -1 : 0);
    return v_int((int32_t)(x >> -s));   /* arithmetic shift: floor */
  }
  if (x == 0) return v_int(0);
  if (s > 31) overflow(c, call, "ash", a, n, false, 0);
  int64_t r = x * ((int64_t)1 << s);
  if (!fits(r)) overflow(c, call, "ash", a, n, true, r);
  return v_int((int32_t)r);
}

/* ---- vectors -------------------------------------------------------- */

static tvec *new_vec(ev_ctx *c, const ast *call, int32_t n, value fill) {
  if (n < 0)
    ev_fail(c, arg_at(call, 0)->loc, "bounds",
            "make-vector: the length must not be negative (%d)", (int)n);
  tvec *t = world_new_vec(ev_world(c), n, fill);
  if (!t) ev_heap_full(c, call->loc);
  return t;
}

static value bi_make_vector(ev_ctx *c, const ast *call, value *a, int n) {
  return v_vec(new_vec(c, call, a[0].i, n > 1 ? a[1] : v_int(0)));
}

static value bi_vector(ev_ctx *c, const ast *call, value *a, int n) {
  tvec *t = new_vec(c, call, n, v_int(0));
  for (int i = 0; i < n; i++) t->items[i] = a[i];
  return v_vec(t);
}

static void in_bounds(ev_ctx *c, const ast *call, const char *op, value *a) {
  if (a[1].i < 0 || a[1].i >= a[0].vec->n)
    ev_fail(c, arg_at(call, 1)->loc, "bounds",
            "%s: index %d is out of range for a vector of length %d", op,
            (int)a[1].i, (int)a[0].vec->n);
}

static value bi_vector_ref(ev_ctx *c, const ast *call, value *a, int n) {
  in_bounds(c, call, "vector-ref", a);
  return a[0].vec->items[a[1].i];
}

static value bi_vector_set(ev_ctx *c, const ast *call, value *a, int n) {
  in_bounds(c, call, "vector-set!", a);
  world_save_vec(ev_world(c), a[0].vec);
  a[0].vec->items[a[1].i] = a[2];
  return v_void();
}

static value bi_vector_length(ev_ctx *c, const ast *call, value *a, int n) {
  return v_int(a[0].vec->n);
}

static value bi_vector_fill(ev_ctx *c, const ast *call, value *a, int n) {
  world_save_vec(ev_world(c), a[0].vec);
  for (int32_t i = 0; i < a[0].vec->n; i++) a[0].vec->items[i] = a[1];
  return v_void();
}

/* ---- output --------------------------------------------------------- */

static value print_value(ev_ctx *c, value v, bool write) {
  strbuf b;
  sb_init(&b);
  value_print(ev_world(c), v, &b, write);
  ev_output(c, b.s ? b.s : "", b.n);
  sb_free(&b);
  return v_void();
}

static value bi_display(ev_ctx *c, const ast *call, value *a, int n) { return print_value(c, a[0], false); }
static value bi_write(ev_ctx *c, const ast *call, value *a, int n) { return print_value(c, a[0], true); }
static value bi_newline(ev_ctx *c, const ast *call, value *a, int n) {
  ev_output(c, "\n", 1);
  return v_void();
}

/* ---- the table ------------------------------------------------------ */

static const arg_kind k_vec_int[] = {AK_VEC, AK_INT, AK_ANY};
static const arg_kind k_int_any[] = {AK_INT, AK_ANY};
static const arg_kind k_vec_any[] = {AK_VEC, AK_ANY};

#define R(k) (k)
static const builtin table[] = {
  {"+", 0, -1, AK_INT, NULL, R(VK_INT), bi_add, "sum of the integers"},
  {"-", 1, -1, AK_INT, NULL, R(VK_INT), bi_sub, "difference, or negation of one integer"},
  {"*", 0, -1, AK_INT, NULL, R(VK_INT), bi_mul, "product of the integers"},
  {"quotient", 2, 2, AK_INT, NULL, R(VK_INT), bi_quotient, "division truncated toward zero"},
  {"remainder", 2, 2, AK_INT, NULL, R(VK_INT), bi_remainder, "remainder with the sign of the dividend"},
  {"modulo", 2, 2, AK_INT, NULL, R(VK_INT), bi_modulo, "remainder with the sign of the divisor"},
  {"abs", 1, 1, AK_INT, NULL, R(VK_INT), bi_abs, "absolute value"},
  {"min", 1, -1, AK_INT, NULL, R(VK_INT), bi_min, "smallest of the integers"},
  {"max", 1, -1, AK_INT, NULL, R(VK_INT), bi_max, "largest of the integers"},
  {"expt", 2, 2, AK_INT, NULL, R(VK_INT), bi_expt, "integer power (exponent >= 0)"},
  {"=", 1, -1, AK_INT, NULL, R(VK_BOOL), bi_eq, "integers equal"},
  {"<", 1, -1, AK_INT, NULL, R(VK_BOOL), bi_lt, "strictly increasing"},
  {">", 1, -1, AK_INT, NULL, R(VK_BOOL), bi_gt, "strictly decreasing"},
  {"<=", 1, -1, AK_INT, NULL, R(VK_BOOL), bi_le, "non-decreasing"},
  {">=", 1, -1, AK_INT, NULL, R(VK_BOOL), bi_ge, "non-increasing"},
  {"zero?", 1, 1, AK_INT, NULL, R(VK_BOOL), bi_zero, "is zero"},
  {"positive?", 1, 1, AK_INT, NULL, R(VK_BOOL), bi_positive, "is greater than zero"},
  {"negative?", 1, 1, AK_INT, NULL, R(VK_BOOL), bi_negative, "is less than zero"},
  {"even?", 1, 1, AK_INT, NULL, R(VK_BOOL), bi_even, "is even"},
  {"odd?", 1, 1, AK_INT, NULL, R(VK_BOOL), bi_odd, "is odd"},
  {"not", 1, 1, AK_ANY, NULL, R(VK_BOOL), bi_not, "#t for #f, #f for anything else"},
  {"eq?", 2, 2, AK_ANY, NULL, R(VK_BOOL), bi_eqv, "same value (vectors: same object)"},
  {"eqv?", 2, 2, AK_ANY, NULL, R(VK_BOOL), bi_eqv, "same value (vectors: same object)"},
  {"equal?", 2, 2, AK_ANY, NULL, R(VK_BOOL), bi_equal, "same value, vectors compared element by element"},
  {"integer?", 1, 1, AK_ANY, NULL, R(VK_BOOL), bi_is_int, "is an integer"},
  {"number?", 1, 1, AK_ANY, NULL, R(VK_BOOL), bi_is_int, "is a number (an integer)"},
  {"boolean?", 1, 1, AK_ANY, NULL, R(VK_BOOL), bi_is_bool, "is #t or #f"},
  {"symbol?", 1, 1, AK_ANY, NULL, R(VK_BOOL), bi_is_sym, "is a symbol"},
  {"vector?", 1, 1, AK_ANY, NULL, R(VK_BOOL), bi_is_vec, "is a vector"},
  {"string?", 1, 1, AK_ANY, NULL, R(VK_BOOL), bi_is_str, "is a string"},
  {"logand", 0, -1, AK_INT, NULL, R(VK_INT), bi_logand, "bitwise and"},
  {"logior", 0, -1, AK_INT, NULL, R(VK_INT), bi_logior, "bitwise inclusive or"},
  {"logxor", 0, -1, AK_INT, NULL, R(VK_INT), bi_logxor, "bitwise exclusive or"},
  {"lognot", 1, 1, AK_INT, NULL, R(VK_INT), bi_lognot, "bitwise complement"},
  {"ash", 2, 2, AK_INT, NULL, R(VK_INT), bi_ash, "arithmetic shift: left for a positive count, right (floor) for a negative one"},
  {"make-vector", 1, 2, AK_ANY, k_int_any, R(VK_VEC), bi_make_vector, "new vector of a length, filled (default 0)"},
  {"vector", 0, -1, AK_ANY, NULL, R(VK_VEC), bi_vector, "new vector of the arguments"},
  {"vector-ref", 2, 2, AK_ANY, k_vec_int, R(-1), bi_vector_ref, "element at an index"},
  {"vector-set!", 3, 3, AK_ANY, k_vec_int, R(VK_VOID), bi_vector_set, "replace the element at an index"},
  {"vector-length", 1, 1, AK_VEC, NULL, R(VK_INT), bi_vector_length, "number of elements"},
  {"vector-fill!", 2, 2, AK_ANY, k_vec_any, R(VK_VOID), bi_vector_fill, "set every element"},
  {"display", 1, 1, AK_ANY, NULL, R(VK_VOID), bi_display, "print a value (strings without quotes)"},
  {"write", 1, 1, AK_ANY, NULL, R(VK_VOID), bi_write, "print a value (strings quoted)"},
  {"newline", 0, 0, AK_ANY, NULL, R(VK_VOID), bi_newline, "print a line break"},
};

const builtin *builtin_find(const char *name) {
  for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
    if (!strcmp(table[i].name, name)) return &table[i];
  return NULL;
}

const builtin *builtin_at(int i) {
  return i >= 0 && (size_t)i < sizeof table / sizeof table[0] ? &table[i] : NULL;
}
