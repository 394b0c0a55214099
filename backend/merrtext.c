/* merrtext.c - the evaluator's words for an overflow whose operands are
 * all constants: "integer overflow: (* 100000 100000) is 10000000000,
 * which does not fit in 32 bits", "integer overflow: (expt 2 40) does
 * not fit in 32 bits".  The compiler knows the whole text, so the error
 * site says it and the check needs no report (lang/builtins.c overflow()
 * and int_result() are the texts this follows, case by case).
 *
 * Ownership: the text is the caller's strbuf.
 */
#include "config.h"

#include "mbuild.h"

#include <stdint.h>
#include <string.h>

static bool fits(int64_t r) { return r >= INT32_MIN && r <= INT32_MAX; }

static int64_t gcd2(int64_t x, int64_t y) {
  if (x < 0) x = -x;
  if (y < 0) y = -y;
  while (y) {
    int64_t t = x % y;
    x = y;
    y = t;
  }
  return x;
}

static void call_text(strbuf *m, const char *op, const int64_t *k, int n) {
  sb_printf(m, "integer overflow: (%s", op);
  for (int i = 0; i < n; i++) sb_printf(m, " %lld", (long long)k[i]);
  sb_puts(m, ")");
}

static bool say(strbuf *m, const char *op, const int64_t *k, int n, bool known, int64_t r) {
  call_text(m, op, k, n);
  if (known)
    sb_printf(m, " is %lld, which does not fit in 32 bits", (long long)r);
  else
    sb_puts(m, " does not fit in 32 bits");
  return true;
}

/* Whether op of the constants k overflows as the evaluator computes it;
 * then its message goes to m.  `one` marks a + or - written (1+ x) or
 * (1- x) (lang/lower-arith.c). */
bool mx_const_overflow_text(const char *op, bool one, const int64_t *k, int n, strbuf *m) {
  for (int i = 0; i < n; i++)
    if (!fits(k[i])) return false;
  if (!strcmp(op, "+") || !strcmp(op, "-")) {
    if (n < 1 || n > 16) return false;
    bool plus = op[0] == '+';
    int64_t r = plus ? 0 : n == 1 ? -k[0] : k[0];
    for (int i = plus ? 0 : 1; i < n; i++) r += plus ? k[i] : -k[i];
    if (fits(r)) return false;
    if (one && n == 2 && k[1] == 1) return say(m, plus ? "1+" : "1-", k, 1, true, r);
    return say(m, op, k, n, true, r);
  }
  if (!strcmp(op, "*")) {
    if (n > 16) return false;
    for (int i = 0; i < n; i++)
      if (k[i] == 0) return false;
    int64_t r = 1;
    for (int i = 0; i < n; i++) {
      r *= k[i];
      if (r > ((int64_t)1 << 31) || r < -((int64_t)1 << 31)) return say(m, op, k, n, i == n - 1, r);
    }
    return fits(r) ? false : say(m, op, k, n, true, r);
  }
  if (!strcmp(op, "expt") && n == 2) {
    int64_t b = k[0], e = k[1];
    if (b == 1 || e == 0 || b == -1 || e < 0 || b == 0) return false;
    int64_t r = 1;
    for (int64_t i = 0; i < e; i++) {
      r *= b;
      if (!fits(r)) return say(m, op, k, n, i == e - 1, r);
    }
    return false;
  }
  if (!strcmp(op, "lcm") || !strcmp(op, "gcd")) {
    /* lang/builtins-more.c bi_lcm, bi_gcd */
    if (n > 16) return false;
    bool lcm = op[0] == 'l';
    int64_t r = lcm ? 1 : 0;
    for (int i = 0; i < n && (!lcm || r); i++) {
      int64_t x = k[i] < 0 ? -k[i] : k[i];
      if (lcm && x == 0) return false;
      r = lcm ? r / gcd2(r, x) * x : gcd2(r, x);
      if (lcm && r > INT32_MAX) break;
    }
    return fits(r) ? false : say(m, op, k, n, true, r);
  }
  if (!strcmp(op, "ash") && n == 2) {
    int64_t x = k[0], s = k[1];
    if (s <= 0 || x == 0) return false;
    if (s > 31) return say(m, op, k, n, false, 0);
    int64_t r = x * ((int64_t)1 << s);
    return fits(r) ? false : say(m, op, k, n, true, r);
  }
  return false;
}
