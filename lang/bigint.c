/* bigint.c - exact integers past 32 bits for the reference evaluator
 * (experimental, behind --bignum / TVL_BIGNUM=1: docs/bignum.md).
 *
 * The arithmetic works on scratch magnitudes (`bn`: limbs base 2^15 in
 * uint32_t, least significant first, no high zero limb) and turns each
 * result back into a value: a VK_INT when it fits in 32 bits (the
 * canonical form), else a TV_BIG heap object.  Schoolbook multiplication,
 * long division after Knuth (TAOCP 2, 4.3.1, algorithm D), printing in
 * radix 10 through base 10^9 digits, in other radixes by divisions by
 * the largest power of the radix below 2^15.
 *
 * Errors leave by longjmp (ev_fail), so every check that can fail is made
 * before scratch memory is taken, and scratch is freed before a value is
 * allocated (whose failure is the heap limit's error).
 *
 * Ownership: scratch magnitudes are malloc'd and freed here; values live
 * in the world's heap.
 */
#include "config.h"

#include "bigint.h"

#include <stdlib.h>
#include <string.h>

enum { LIMB_BITS = 15, LIMB_BASE = 1 << LIMB_BITS, LIMB_MASK = LIMB_BASE - 1 };

/* ---- the switch ------------------------------------------------------ */

static int enabled = -1;   /* -1: not asked yet */

bool bn_enabled(void) {
  if (enabled < 0) {
    const char *e = getenv("TVL_BIGNUM");
    enabled = e && *e && strcmp(e, "0") != 0;
  }
  return enabled;
}

void bn_enable(bool on) { enabled = on; }

/* ---- magnitudes ------------------------------------------------------ */

typedef struct {
  int sign;        /* 1 or -1; 1 for zero */
  int n;           /* limbs in use */
  uint32_t *d;
} bn;

static bn bn_new(int cap) {
  bn r = {1, 0, xcalloc((size_t)(cap > 0 ? cap : 1), sizeof(uint32_t))};
  return r;
}

static void bn_free(bn *x) {
  free(x->d);
  x->d = NULL;
  x->n = 0;
}

static void trim(bn *x) {
  while (x->n > 0 && x->d[x->n - 1] == 0) x->n--;
  if (x->n == 0) x->sign = 1;
}

static bn from_i64(int64_t v) {
  bn r = bn_new(5);
  uint64_t m = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
  r.sign = v < 0 ? -1 : 1;
  while (m) {
    r.d[r.n++] = (uint32_t)(m & LIMB_MASK);
    m >>= LIMB_BITS;
  }
  return r;
}

static bn from_value(value v) {
  if (v.kind == VK_INT) return from_i64(v.i);
  bn r = bn_new(v.vec->n);
  r.sign = v.i < 0 ? -1 : 1;
  r.n = v.vec->n;
  for (int32_t k = 0; k < r.n; k++) r.d[k] = (uint32_t)v.vec->items[k].i;
  trim(&r);
  return r;
}

static bn copy(const bn *x) {
  bn r = bn_new(x->n);
  r.sign = x->sign;
  r.n = x->n;
  if (x->n) memcpy(r.d, x->d, (size_t)x->n * sizeof *r.d);
  return r;
}

static bool is_zero(const bn *x) { return x->n == 0; }

/* r as a value, a fixnum when it fits (*ok false: the heap is full);
 * r is freed. */
static value make_value(world *w, bn *r, bool *ok) {
  *ok = true;
  trim(r);
  if (r->n <= 3) {
    uint64_t m = 0;
    for (int k = r->n - 1; k >= 0; k--) m = (m << LIMB_BITS) | r->d[k];
    if (r->sign > 0 && m <= (uint64_t)TVL_INT_MAX) {
      bn_free(r);
      return v_int((int32_t)m);
    }
    if (r->sign < 0 && m <= (uint64_t)TVL_INT_MAX + 1) {
      bn_free(r);
      return v_int((int32_t)(-(int64_t)m));
    }
  }
  int n = r->n, sign = r->sign;
  tvec *t = world_new_obj(w, TV_BIG, n, v_int(0));
  if (!t) {
    bn_free(r);
    *ok = false;
    return v_void();
  }
  for (int k = 0; k < n; k++) t->items[k] = v_int((int32_t)r->d[k]);
  bn_free(r);
  value v = {VK_BIG, sign, t};
  return v;
}

/* The same in a builtin: a full heap is the evaluator's error at loc. */
static value to_value(ev_ctx *c, srcloc loc, bn *r) {
  bool ok;
  value v = make_value(ev_world(c), r, &ok);
  if (!ok) ev_heap_full(c, loc);
  return v;
}

static int cmp_mag(const bn *a, const bn *b) {
  if (a->n != b->n) return a->n < b->n ? -1 : 1;
  for (int k = a->n - 1; k >= 0; k--)
    if (a->d[k] != b->d[k]) return a->d[k] < b->d[k] ? -1 : 1;
  return 0;
}

static int cmp(const bn *a, const bn *b) {
  if (a->sign != b->sign) return a->sign < b->sign ? -1 : 1;
  int m = cmp_mag(a, b);
  return a->sign > 0 ? m : -m;
}

static bn add_mag(const bn *a, const bn *b) {
  int n = a->n > b->n ? a->n : b->n;
  bn r = bn_new(n + 1);
  uint32_t carry = 0;
  for (int k = 0; k < n; k++) {
    uint32_t s = carry + (k < a->n ? a->d[k] : 0) + (k < b->n ? b->d[k] : 0);
    r.d[k] = s & LIMB_MASK;
    carry = s >> LIMB_BITS;
  }
  r.d[n] = carry;
  r.n = n + 1;
  trim(&r);
  return r;
}

/* |a| - |b|, for |a| >= |b|. */
static bn sub_mag(const bn *a, const bn *b) {
  bn r = bn_new(a->n);
  int32_t borrow = 0;
  for (int k = 0; k < a->n; k++) {
    int32_t s = (int32_t)a->d[k] - (k < b->n ? (int32_t)b->d[k] : 0) - borrow;
    borrow = s < 0;
    r.d[k] = (uint32_t)(s + (borrow ? LIMB_BASE : 0));
  }
  r.n = a->n;
  trim(&r);
  return r;
}

/* a + sb·b, sb 1 or -1. */
static bn add_signed(const bn *a, const bn *b, int sb) {
  int bs = b->sign * sb;
  if (is_zero(b)) return copy(a);
  if (a->sign == bs) {
    bn r = add_mag(a, b);
    r.sign = bs;
    trim(&r);
    return r;
  }
  bool a_big = cmp_mag(a, b) >= 0;
  bn r = a_big ? sub_mag(a, b) : sub_mag(b, a);
  r.sign = a_big ? a->sign : bs;
  trim(&r);
  return r;
}

static bn mul(const bn *a, const bn *b) {
  if (is_zero(a) || is_zero(b)) return bn_new(1);
  bn r = bn_new(a->n + b->n);
  for (int i = 0; i < a->n; i++) {
    uint64_t carry = 0;
    for (int j = 0; j < b->n; j++) {
      uint64_t t = (uint64_t)r.d[i + j] + (uint64_t)a->d[i] * b->d[j] + carry;
      r.d[i + j] = (uint32_t)(t & LIMB_MASK);
      carry = t >> LIMB_BITS;
    }
    r.d[i + b->n] = (uint32_t)carry;
  }
  r.n = a->n + b->n;
  r.sign = a->sign * b->sign;
  trim(&r);
  return r;
}

/* |a| divided by d (1 <= d < 2^15): the quotient's magnitude, *rem. */
static bn divmod_small(const bn *a, uint32_t d, uint32_t *rem) {
  bn q = bn_new(a->n);
  uint32_t r = 0;
  for (int k = a->n - 1; k >= 0; k--) {
    uint32_t cur = (r << LIMB_BITS) | a->d[k];
    q.d[k] = cur / d;
    r = cur % d;
  }
  q.n = a->n;
  trim(&q);
  *rem = r;
  return q;
}

/* Truncated division of the magnitudes, |b| > 0: |a| = q·|b| + r; both
 * results non-negative. */
static void divmod_mag(const bn *a, const bn *b, bn *q, bn *r) {
  if (cmp_mag(a, b) < 0) {
    *q = bn_new(1);
    *r = copy(a);
    r->sign = 1;
    return;
  }
  if (b->n == 1) {
    uint32_t rem;
    *q = divmod_small(a, b->d[0], &rem);
    *r = from_i64(rem);
    return;
  }
  int n = b->n, m = a->n - b->n;
  /* normalise: the divisor's top limb gets its high bit set */
  int s = 0;
  while ((b->d[n - 1] << s) < (LIMB_BASE >> 1)) s++;
  uint32_t *u = xcalloc((size_t)a->n + 1, sizeof *u), *v = xcalloc((size_t)n, sizeof *v);
  uint32_t carry = 0;
  for (int k = 0; k < a->n; k++) {
    uint32_t t = (a->d[k] << s) | carry;
    u[k] = t & LIMB_MASK;
    carry = t >> LIMB_BITS;
  }
  u[a->n] = carry;
  carry = 0;
  for (int k = 0; k < n; k++) {
    uint32_t t = (b->d[k] << s) | carry;
    v[k] = t & LIMB_MASK;
    carry = t >> LIMB_BITS;
  }
  *q = bn_new(m + 1);
  q->n = m + 1;
  for (int j = m; j >= 0; j--) {
    uint64_t num = ((uint64_t)u[j + n] << LIMB_BITS) | u[j + n - 1];
    uint64_t qhat = num / v[n - 1], rhat = num % v[n - 1];
    /* the estimate is at most 2 too large; the test with the next limb
     * corrects it except, rarely, by 1 (the add-back below) */
    while (qhat >= LIMB_BASE ||
           qhat * v[n - 2] > ((rhat << LIMB_BITS) | u[j + n - 2])) {
      qhat--;
      rhat += v[n - 1];
      if (rhat >= LIMB_BASE) break;
    }
    int64_t borrow = 0;
    uint64_t mc = 0;
    for (int i = 0; i < n; i++) {
      uint64_t p = qhat * v[i] + mc;
      mc = p >> LIMB_BITS;
      int64_t t = (int64_t)u[i + j] - (int64_t)(p & LIMB_MASK) - borrow;
      borrow = t < 0;
      u[i + j] = (uint32_t)(t + (borrow ? LIMB_BASE : 0));
    }
    int64_t t = (int64_t)u[j + n] - (int64_t)mc - borrow;
    if (t < 0) {
      /* qhat was 1 too large: add the divisor back */
      u[j + n] = (uint32_t)(t + LIMB_BASE);
      qhat--;
      uint32_t c = 0;
      for (int i = 0; i < n; i++) {
        uint32_t sum = u[i + j] + v[i] + c;
        u[i + j] = sum & LIMB_MASK;
        c = sum >> LIMB_BITS;
      }
      u[j + n] = (u[j + n] + c) & LIMB_MASK;
    } else {
      u[j + n] = (uint32_t)t;
    }
    q->d[j] = (uint32_t)qhat;
  }
  trim(q);
  *r = bn_new(n);
  for (int k = 0; k < n; k++)
    r->d[k] = ((u[k] >> s) | (u[k + 1] << (LIMB_BITS - s))) & LIMB_MASK;
  r->n = n;
  trim(r);
  free(u);
  free(v);
}

/* Truncated division with signs: a = q·b + r, r with a's sign. */
static void divmod(const bn *a, const bn *b, bn *q, bn *r) {
  divmod_mag(a, b, q, r);
  q->sign = a->sign * b->sign;
  r->sign = a->sign;
  trim(q);
  trim(r);
}

/* Digits of |x| in radix 2..36, most significant first, into out. */
static void put_digits(const bn *x, int radix, strbuf *out) {
  if (is_zero(x)) {
    sb_putc(out, '0');
    return;
  }
  if (radix == 10) {
    /* display's case, made fast: the limbs are carried into base 10^9
     * digits from the top, with no division by a variable (a number of
     * 10^5 digits prints in a fraction of a second) */
    size_t cap = (size_t)x->n * 51 / 100 + 2, m = 0;
    uint32_t *dec = xcalloc(cap, sizeof *dec);
    for (int k = x->n - 1; k >= 0; k--) {
      uint64_t carry = x->d[k];
      for (size_t j = 0; j < m; j++) {
        uint64_t t = ((uint64_t)dec[j] << LIMB_BITS) + carry;
        dec[j] = (uint32_t)(t % 1000000000u);
        carry = t / 1000000000u;
      }
      while (carry) {
        dec[m++] = (uint32_t)(carry % 1000000000u);
        carry /= 1000000000u;
      }
    }
    if (x->sign < 0) sb_putc(out, '-');
    sb_printf(out, "%u", (unsigned)dec[m - 1]);
    for (size_t j = m - 1; j > 0; j--) sb_printf(out, "%09u", (unsigned)dec[j - 1]);
    free(dec);
    return;
  }
  static const char digit[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  /* the largest power of the radix below 2^15, and its digits */
  uint32_t chunk = (uint32_t)radix;
  int per = 1;
  while (chunk * (uint32_t)radix < LIMB_BASE) {
    chunk *= (uint32_t)radix;
    per++;
  }
  strbuf rev;   /* the digits, least significant first */
  sb_init(&rev);
  bn cur = copy(x);
  while (!is_zero(&cur)) {
    uint32_t rem;
    bn q = divmod_small(&cur, chunk, &rem);
    bn_free(&cur);
    cur = q;
    for (int k = 0; k < per && (rem || !is_zero(&cur)); k++) {
      sb_putc(&rev, digit[rem % (uint32_t)radix]);
      rem /= (uint32_t)radix;
    }
  }
  bn_free(&cur);
  if (x->sign < 0) sb_putc(out, '-');
  for (size_t k = rev.n; k > 0; k--) sb_putc(out, rev.s[k - 1]);
  sb_free(&rev);
}

/* ---- values ---------------------------------------------------------- */

/* |r|·radix + digit, in place (r has room for one more limb). */
static void mul_add(bn *r, uint32_t radix, uint32_t digit) {
  uint32_t carry = digit;   /* radix·limb + carry < 2^21 */
  for (int k = 0; k < r->n; k++) {
    uint32_t t = r->d[k] * radix + carry;
    r->d[k] = t & LIMB_MASK;
    carry = t >> LIMB_BITS;
  }
  if (carry) r->d[r->n++] = carry;
}

static int digit_of(int32_t ch, int radix) {
  int d = ch >= '0' && ch <= '9' ? ch - '0'
        : ch >= 'a' && ch <= 'z' ? ch - 'a' + 10
        : ch >= 'A' && ch <= 'Z' ? ch - 'A' + 10 : 99;
  return d < radix ? d : -1;
}

bool bn_literal(world *w, const char *s, size_t n, value *out) {
  size_t i = 0;
  int radix = 10;
  if (n >= 2 && s[0] == '#') {
    int p = s[1] | 0x20;
    radix = p == 'x' ? 16 : p == 'b' ? 2 : p == 'o' ? 8 : 10;
    i = 2;
  }
  int sign = 1;
  if (i < n && (s[i] == '+' || s[i] == '-')) sign = s[i++] == '-' ? -1 : 1;
  /* the reader checked the digits */
  bn r = bn_new((int)((n - i) * 6 / LIMB_BITS) + 2);
  for (; i < n; i++) mul_add(&r, (uint32_t)radix, (uint32_t)digit_of((unsigned char)s[i], radix));
  r.sign = sign;
  bool ok;
  *out = make_value(w, &r, &ok);
  return ok;
}

void bn_print(value v, strbuf *out) {
  bn x = from_value(v);
  put_digits(&x, 10, out);
  bn_free(&x);
}

bool bn_eqv(value x, value y) {
  if (x.i != y.i || x.vec->n != y.vec->n) return false;
  for (int32_t k = 0; k < x.vec->n; k++)
    if (x.vec->items[k].i != y.vec->items[k].i) return false;
  return true;
}

static char *value_text(value v) {
  strbuf b;
  sb_init(&b);
  if (v.kind == VK_BIG) bn_print(v, &b);
  else sb_printf(&b, "%d", (int)v.i);
  return b.s;
}

void bn_too_big(ev_ctx *c, srcloc loc, const char *op, int i, value v) {
  char text[64];
  char *t = value_text(v);
  /* cut as the kind errors cut a value */
  snprintf(text, sizeof text, "%.57s%s", t, strlen(t) > 60 ? "..." : "");
  free(t);
  ev_fail(c, loc, "overflow", "integer overflow: %s: argument %d is %s, which "
          "does not fit in 32 bits", op, i + 1, text);
}

static bool both_int(const value *a, int n) {
  for (int i = 0; i < n; i++)
    if (a[i].kind != VK_INT) return false;
  return true;
}

static builtin_fn orig(const char *name) { return builtin_find(name)->fn; }

/* ---- the builtins ------------------------------------------------------ */

static value add_sub(ev_ctx *c, const ast *call, value *a, int n, int s) {
  if (both_int(a, n)) {
    int64_t r = n == 1 && s < 0 ? -(int64_t)a[0].i : (n ? a[0].i : 0);
    for (int i = 1; i < n; i++) r += s * (int64_t)a[i].i;
    if (r >= TVL_INT_MIN && r <= TVL_INT_MAX) return v_int((int32_t)r);
  }
  bn acc = n ? from_value(a[0]) : bn_new(1);
  if (n == 1 && s < 0) acc.sign = -acc.sign;
  for (int i = 1; i < n; i++) {
    bn x = from_value(a[i]);
    bn r = add_signed(&acc, &x, s);
    bn_free(&x);
    bn_free(&acc);
    acc = r;
  }
  return to_value(c, call->loc, &acc);
}

static value bn_add(ev_ctx *c, const ast *call, value *a, int n) {
  return add_sub(c, call, a, n, 1);
}
static value bn_sub(ev_ctx *c, const ast *call, value *a, int n) {
  return add_sub(c, call, a, n, -1);
}

static value bn_inc(ev_ctx *c, const ast *call, value *a, int n) {
  value x[2] = {a[0], v_int(1)};
  (void)n;
  return add_sub(c, call, x, 2, 1);
}
static value bn_dec(ev_ctx *c, const ast *call, value *a, int n) {
  value x[2] = {a[0], v_int(1)};
  (void)n;
  return add_sub(c, call, x, 2, -1);
}

static value bn_mul(ev_ctx *c, const ast *call, value *a, int n) {
  if (both_int(a, n)) {
    int64_t r = 1;
    int i = 0;
    for (; i < n; i++) {
      r *= a[i].i;
      if (r > TVL_INT_MAX || r < TVL_INT_MIN) break;
    }
    if (i == n) return v_int((int32_t)r);
  }
  bn acc = from_i64(1);
  for (int i = 0; i < n; i++) {
    bn x = from_value(a[i]);
    bn r = mul(&acc, &x);
    bn_free(&x);
    bn_free(&acc);
    acc = r;
  }
  return to_value(c, call->loc, &acc);
}

static int cmp_values(value x, value y) {
  if (x.kind == VK_INT && y.kind == VK_INT) return x.i < y.i ? -1 : x.i > y.i;
  bn a = from_value(x), b = from_value(y);
  int r = cmp(&a, &b);
  bn_free(&a);
  bn_free(&b);
  return r;
}

#define COMPARE(name, test)                                              \
  static value name(ev_ctx *c, const ast *call, value *a, int n) {       \
    (void)c, (void)call;                                                 \
    for (int i = 0; i + 1 < n; i++) {                                    \
      int r = cmp_values(a[i], a[i + 1]);                                \
      if (!(test)) return v_bool(false);                                 \
    }                                                                    \
    return v_bool(true);                                                 \
  }
COMPARE(bn_eq, r == 0)
COMPARE(bn_lt, r < 0)
COMPARE(bn_gt, r > 0)
COMPARE(bn_le, r <= 0)
COMPARE(bn_ge, r >= 0)

static value bn_min_max(value *a, int n, int want) {
  value r = a[0];
  for (int i = 1; i < n; i++)
    if (cmp_values(a[i], r) == want) r = a[i];
  return r;
}
static value bn_min(ev_ctx *c, const ast *call, value *a, int n) {
  (void)c, (void)call;
  return bn_min_max(a, n, -1);
}
static value bn_max(ev_ctx *c, const ast *call, value *a, int n) {
  (void)c, (void)call;
  return bn_min_max(a, n, 1);
}

/* zero? positive? negative? even? odd?: a big integer is never zero,
 * and its parity is its lowest limb's (the base is even). */
#define PREDICATE(name, small, big)                                      \
  static value name(ev_ctx *c, const ast *call, value *a, int n) {       \
    (void)c, (void)call, (void)n;                                        \
    if (a[0].kind == VK_INT) {                                           \
      int32_t x = a[0].i;                                                \
      return v_bool(small);                                              \
    }                                                                    \
    value x = a[0];                                                      \
    return v_bool(big);                                                  \
  }
PREDICATE(bn_zero, x == 0, x.i == 0)
PREDICATE(bn_positive, x > 0, x.i > 0)
PREDICATE(bn_negative, x < 0, x.i < 0)
PREDICATE(bn_even, x % 2 == 0, x.vec->items[0].i % 2 == 0)
PREDICATE(bn_odd, x % 2 != 0, x.vec->items[0].i % 2 != 0)

/* eq? of big integers is the same object, as in Guile (a big integer is
 * a heap object there too); of anything else what eqv? says. */
static value bn_eq_p(ev_ctx *c, const ast *call, value *a, int n) {
  (void)c, (void)call, (void)n;
  if (a[0].kind == VK_BIG && a[1].kind == VK_BIG) return v_bool(a[0].vec == a[1].vec);
  return v_bool(value_eqv(a[0], a[1]));
}

static value bn_is_int(ev_ctx *c, const ast *call, value *a, int n) {
  (void)c, (void)call, (void)n;
  return v_bool(a[0].kind == VK_INT || a[0].kind == VK_BIG);
}
static value bn_true(ev_ctx *c, const ast *call, value *a, int n) {
  (void)c, (void)call, (void)a, (void)n;
  return v_bool(true);
}
static value bn_identity(ev_ctx *c, const ast *call, value *a, int n) {
  (void)c, (void)call, (void)n;
  return a[0];
}

static value bn_abs(ev_ctx *c, const ast *call, value *a, int n) {
  (void)n;
  if (a[0].kind == VK_INT && a[0].i != TVL_INT_MIN) return v_int(a[0].i < 0 ? -a[0].i : a[0].i);
  bn x = from_value(a[0]);
  x.sign = 1;
  return to_value(c, call->loc, &x);
}

/* Where the second argument is: the kind check lets a big integer
 * through as any integer argument of a builtin with a big version, and
 * where one is out of range (a radix, a shift) it is said here. */
static srcloc radix_loc(const ast *call) {
  return call->u.call.n > 1 ? call->u.call.args[1]->loc : call->loc;
}

/* ---- division ---------------------------------------------------------- */

typedef enum { D_TRUNC_Q, D_TRUNC_R, D_FLOOR_Q, D_FLOOR_R } div_kind;

static value divide(ev_ctx *c, const ast *call, value *a, const char *op,
                    const char *err_kind, div_kind k) {
  if (a[1].kind == VK_INT && a[1].i == 0) {
    char *t = value_text(a[0]);
    if (!strcmp(err_kind, "division")) ev_note_div(c, op);
    char text[80];
    snprintf(text, sizeof text, "%.70s", t);
    free(t);
    ev_fail(c, call->loc, err_kind, "division by zero: (%s %s 0)", op, text);
  }
  if (a[0].kind == VK_INT && a[1].kind == VK_INT) {
    /* 64-bit: (quotient -2^31 -1) is 2^31, past 32 bits */
    int64_t x = a[0].i, y = a[1].i, q = x / y, r = x % y;
    if (r != 0 && (r < 0) != (y < 0)) {
      if (k == D_FLOOR_Q) q--;
      if (k == D_FLOOR_R) r += y;
    }
    int64_t v = k == D_TRUNC_Q || k == D_FLOOR_Q ? q : r;
    if (v >= TVL_INT_MIN && v <= TVL_INT_MAX) return v_int((int32_t)v);
  }
  bn x = from_value(a[0]), y = from_value(a[1]), q, r;
  divmod(&x, &y, &q, &r);
  bool adjust = !is_zero(&r) && r.sign != y.sign;   /* floor differs */
  bn out;
  if (k == D_TRUNC_Q || k == D_FLOOR_Q) {
    if (k == D_FLOOR_Q && adjust) {
      bn one = from_i64(1);
      out = add_signed(&q, &one, -1);
      bn_free(&one);
      bn_free(&q);
    } else {
      out = q;
    }
    bn_free(&r);
  } else {
    if (k == D_FLOOR_R && adjust) {
      out = add_signed(&r, &y, 1);
      bn_free(&r);
    } else {
      out = r;
    }
    bn_free(&q);
  }
  bn_free(&x);
  bn_free(&y);
  return to_value(c, call->loc, &out);
}

#define DIVISION(name, op, err, k)                                       \
  static value name(ev_ctx *c, const ast *call, value *a, int n) {       \
    (void)n;                                                             \
    return divide(c, call, a, op, err, k);                               \
  }
DIVISION(bn_quotient, "quotient", "division", D_TRUNC_Q)
DIVISION(bn_remainder, "remainder", "division", D_TRUNC_R)
DIVISION(bn_modulo, "modulo", "division", D_FLOOR_R)
DIVISION(bn_floor_quotient, "floor-quotient", "arith", D_FLOOR_Q)
DIVISION(bn_floor_remainder, "floor-remainder", "arith", D_FLOOR_R)
DIVISION(bn_truncate_quotient, "truncate-quotient", "arith", D_TRUNC_Q)
DIVISION(bn_truncate_remainder, "truncate-remainder", "arith", D_TRUNC_R)

/* (/ x y ...): exact when every division is; the errors as bi_div
 * words them, with the big operands written out. */
static value bn_div(ev_ctx *c, const ast *call, value *a, int n) {
  int first = n == 1 ? 0 : 1;
  bool zero = false;
  for (int i = first; i < n; i++) zero |= a[i].kind == VK_INT && a[i].i == 0;
  if (both_int(a, n)) {
    int64_t r = n == 1 ? 1 : a[0].i;
    int i = first;
    for (; i < n && a[i].i != 0 && r % a[i].i == 0; i++) r /= a[i].i;
    if (i == n && r >= TVL_INT_MIN && r <= TVL_INT_MAX) return v_int((int32_t)r);
    if (zero || i < n) return orig("/")(c, call, a, n);   /* its errors */
  }
  bn acc = n == 1 ? from_i64(1) : from_value(a[0]);
  int i = first;
  for (; !zero && i < n; i++) {
    bn y = from_value(a[i]), q, r;
    divmod(&acc, &y, &q, &r);
    bool exact = is_zero(&r);
    bn_free(&y), bn_free(&r), bn_free(&acc);
    acc = q;
    if (!exact) break;
  }
  if (!zero && i == n) return to_value(c, call->loc, &acc);
  bn_free(&acc);
  strbuf t;
  sb_init(&t);
  sb_puts(&t, "(/");
  for (int k = 0; k < n && t.n < 8000; k++) {
    char *v = value_text(a[k]);
    sb_printf(&t, " %s", v);
    free(v);
  }
  sb_putc(&t, ')');
  char text[8192];
  snprintf(text, sizeof text, "%s", t.s);
  sb_free(&t);
  if (zero) {
    ev_note_div(c, "/");
    ev_fail(c, call->loc, "division", "division by zero: %s", text);
  }
  ev_fail(c, call->loc, "division", "/: %s is not an integer; tvl has no rationals", text);
}

/* ---- bitwise: two's complement of infinite width, as Guile's ---------- */

/* x as len limbs of two's complement (len above x's own limbs, so that
 * the top limb is all sign). */
static void to_twos(const bn *x, int len, uint32_t *out) {
  for (int k = 0; k < len; k++) out[k] = k < x->n ? x->d[k] : 0;
  if (x->sign > 0) return;
  uint32_t carry = 1;   /* -m = ~m + 1 */
  for (int k = 0; k < len; k++) {
    uint32_t t = (~out[k] & LIMB_MASK) + carry;
    out[k] = t & LIMB_MASK;
    carry = t >> LIMB_BITS;
  }
}

static bn from_twos(const uint32_t *in, int len) {
  bn r = bn_new(len);
  r.n = len;
  bool neg = in[len - 1] >> (LIMB_BITS - 1);
  uint32_t carry = 1;
  for (int k = 0; k < len; k++) {
    if (!neg) {
      r.d[k] = in[k];
      continue;
    }
    uint32_t t = (~in[k] & LIMB_MASK) + carry;
    r.d[k] = t & LIMB_MASK;
    carry = t >> LIMB_BITS;
  }
  r.sign = neg ? -1 : 1;
  trim(&r);
  return r;
}

typedef enum { B_AND, B_IOR, B_XOR } bit_op;

static value bitwise(ev_ctx *c, const ast *call, value *a, int n, bit_op op,
                     const char *name) {
  if (both_int(a, n)) return orig(name)(c, call, a, n);
  int len = 1;
  for (int i = 0; i < n; i++)
    if (a[i].kind == VK_BIG && a[i].vec->n + 1 > len) len = a[i].vec->n + 1;
  len = len < 4 ? 4 : len;   /* a fixnum takes up to 3 limbs */
  uint32_t *acc = xmalloc((size_t)len * sizeof *acc), *x = xmalloc((size_t)len * sizeof *x);
  for (int k = 0; k < len; k++) acc[k] = op == B_AND ? LIMB_MASK : 0;
  for (int i = 0; i < n; i++) {
    bn v = from_value(a[i]);
    to_twos(&v, len, x);
    bn_free(&v);
    for (int k = 0; k < len; k++)
      acc[k] = op == B_AND ? acc[k] & x[k] : op == B_IOR ? acc[k] | x[k] : acc[k] ^ x[k];
  }
  bn r = from_twos(acc, len);
  free(acc);
  free(x);
  return to_value(c, call->loc, &r);
}

static value bn_logand(ev_ctx *c, const ast *call, value *a, int n) {
  return bitwise(c, call, a, n, B_AND, "logand");
}
static value bn_logior(ev_ctx *c, const ast *call, value *a, int n) {
  return bitwise(c, call, a, n, B_IOR, "logior");
}
static value bn_logxor(ev_ctx *c, const ast *call, value *a, int n) {
  return bitwise(c, call, a, n, B_XOR, "logxor");
}

/* (lognot x) is -x - 1. */
static value bn_lognot(ev_ctx *c, const ast *call, value *a, int n) {
  if (a[0].kind == VK_INT) return orig("lognot")(c, call, a, n);
  bn x = from_value(a[0]), one = from_i64(1);
  x.sign = -x.sign;
  bn r = add_signed(&x, &one, -1);
  bn_free(&x), bn_free(&one);
  return to_value(c, call->loc, &r);
}

/* (ash x s): x·2^s, or x/2^-s rounded down. */
static value bn_ash(ev_ctx *c, const ast *call, value *a, int n) {
  value x = a[0], s = a[1];
  if (x.kind == VK_INT && x.i == 0) return v_int(0);
  if (s.kind == VK_BIG) {
    if (s.i < 0) return v_int(x.i < 0 ? -1 : 0);   /* x.i: its sign when big */
    bn_too_big(c, radix_loc(call), "ash", 1, s);
  }
  if (x.kind == VK_INT && (s.i <= 0 || (s.i <= 31 && x.i >= -(1 << (31 - s.i)) &&
                                        x.i < (1 << (31 - s.i)))))
    return orig("ash")(c, call, a, n);   /* fits */
  int32_t k = s.i < 0 ? -s.i : s.i;
  if (s.i > 0 && (double)k / LIMB_BITS > (double)ev_world(c)->lim.max_heap)
    ev_heap_full(c, call->loc);
  bn p = bn_new(k / LIMB_BITS + 1);
  p.n = k / LIMB_BITS + 1;
  p.d[k / LIMB_BITS] = 1u << (k % LIMB_BITS);
  bn v = from_value(x), out;
  if (s.i > 0) {
    out = mul(&v, &p);
  } else {
    bn q, r;
    divmod(&v, &p, &q, &r);
    if (!is_zero(&r) && v.sign < 0) {   /* toward minus infinity */
      bn one = from_i64(1);
      out = add_signed(&q, &one, -1);
      bn_free(&one), bn_free(&q);
    } else {
      out = q;
    }
    bn_free(&r);
  }
  bn_free(&v), bn_free(&p);
  return to_value(c, call->loc, &out);
}

/* floor/ and truncate/: both results as two values. */
static value two_values(ev_ctx *c, const ast *call, value *a, const char *op,
                        div_kind qk, div_kind rk) {
  value r[2] = {divide(c, call, a, op, "arith", qk), divide(c, call, a, op, "arith", rk)};
  return ev_values(c, r, 2);
}
static value bn_floor_div(ev_ctx *c, const ast *call, value *a, int n) {
  (void)n;
  return two_values(c, call, a, "floor/", D_FLOOR_Q, D_FLOOR_R);
}
static value bn_truncate_div(ev_ctx *c, const ast *call, value *a, int n) {
  (void)n;
  return two_values(c, call, a, "truncate/", D_TRUNC_Q, D_TRUNC_R);
}

/* (exact-integer-sqrt k) of a big k: Newton's iteration from above,
 * s' = (s + k/s) / 2, which decreases to floor(sqrt k). */
static value bn_exact_integer_sqrt(ev_ctx *c, const ast *call, value *a, int n) {
  if (a[0].kind == VK_INT || a[0].i < 0)
    return orig("exact-integer-sqrt")(c, call, a, n);   /* its error for < 0 */
  bn k = from_value(a[0]);
  /* a start above the root: 2^ceil(bits/2) */
  int bits = (k.n - 1) * LIMB_BITS;
  for (uint32_t top = k.d[k.n - 1]; top; top >>= 1) bits++;
  int half = (bits + 1) / 2;
  bn s = bn_new(half / LIMB_BITS + 1);
  s.n = half / LIMB_BITS + 1;
  s.d[half / LIMB_BITS] = 1u << (half % LIMB_BITS);
  for (;;) {
    bn q, r;
    divmod_mag(&k, &s, &q, &r);
    bn sum = add_mag(&s, &q), two;
    uint32_t rem;
    two = divmod_small(&sum, 2, &rem);
    bn_free(&q), bn_free(&r), bn_free(&sum);
    if (cmp_mag(&two, &s) >= 0) {
      bn_free(&two);
      break;
    }
    bn_free(&s);
    s = two;
  }
  bn sq = mul(&s, &s);
  bn rest = add_signed(&k, &sq, -1);
  bn_free(&sq), bn_free(&k);
  value r[2] = {to_value(c, call->loc, &s), to_value(c, call->loc, &rest)};
  return ev_values(c, r, 2);
}

static bn gcd_mag(const bn *a, const bn *b) {
  bn x = copy(a), y = copy(b);
  x.sign = y.sign = 1;
  while (!is_zero(&y)) {
    bn q, r;
    divmod_mag(&x, &y, &q, &r);
    bn_free(&q);
    bn_free(&x);
    x = y;
    y = r;
  }
  bn_free(&y);
  return x;
}

static value bn_gcd(ev_ctx *c, const ast *call, value *a, int n) {
  bn acc = bn_new(1);
  for (int i = 0; i < n; i++) {
    bn x = from_value(a[i]);
    bn g = gcd_mag(&acc, &x);
    bn_free(&x);
    bn_free(&acc);
    acc = g;
  }
  return to_value(c, call->loc, &acc);
}

static value bn_lcm(ev_ctx *c, const ast *call, value *a, int n) {
  bn acc = from_i64(1);
  for (int i = 0; i < n; i++) {
    bn x = from_value(a[i]);
    if (is_zero(&x)) {
      bn_free(&x);
      bn_free(&acc);
      return v_int(0);
    }
    x.sign = 1;
    bn g = gcd_mag(&acc, &x), q, r;
    divmod_mag(&x, &g, &q, &r);
    bn next = mul(&acc, &q);
    bn_free(&x), bn_free(&g), bn_free(&q), bn_free(&r), bn_free(&acc);
    acc = next;
  }
  return to_value(c, call->loc, &acc);
}

/* The fixnum exponents of the fixnum bases keep the evaluator's cases
 * and errors (bi_expt); a result past 32 bits is squared up here. */
static value bn_expt(ev_ctx *c, const ast *call, value *a, int n) {
  value b = a[0], e = a[1];
  if (b.kind == VK_INT && e.kind == VK_BIG && b.i >= -1 && b.i <= 1) {
    if (b.i == 1) return v_int(1);
    if (b.i == -1) return v_int(e.vec->items[0].i % 2 ? -1 : 1);
    if (e.i > 0) return v_int(0);
    char *et = value_text(e);
    char text[80];
    snprintf(text, sizeof text, "%.70s", et);
    free(et);
    ev_fail(c, call->loc, "division", "division by zero: (expt 0 %s)", text);
  }
  if (b.kind == VK_INT && (b.i == 1 || b.i == 0 || b.i == -1 ||
                           (e.kind == VK_INT && e.i <= 0)))
    return orig("expt")(c, call, a, n);
  if (e.kind == VK_INT && e.i == 0) return v_int(1);
  if (e.kind == VK_BIG || e.i < 0) {
    char *bt = value_text(b), *et = value_text(e);
    char text[140];
    snprintf(text, sizeof text, "(expt %.60s %.60s)", bt, et);
    free(bt);
    free(et);
    if (e.kind == VK_INT)
      ev_fail(c, call->loc, "type", "expt: %s is a fraction, and tvl has only integers", text);
    ev_fail(c, call->loc, "overflow", "integer overflow: %s is too large", text);
  }
  bn base = from_value(b);
  /* the result has about e times the base's bits: past the heap limit,
   * it fails before any work (and before a huge scratch allocation) */
  int bits = (base.n - 1) * LIMB_BITS;
  for (uint32_t top = base.d[base.n - 1]; top; top >>= 1) bits++;
  double limbs = (double)(bits - 1) * e.i / LIMB_BITS;
  if (limbs + 2 > (double)ev_world(c)->lim.max_heap) {
    bn_free(&base);
    ev_heap_full(c, call->loc);
  }
  bn r = from_i64(1);
  for (int32_t k = e.i; k > 0; k >>= 1) {
    if (k & 1) {
      bn t = mul(&r, &base);
      bn_free(&r);
      r = t;
    }
    if (k > 1) {
      bn t = mul(&base, &base);
      bn_free(&base);
      base = t;
    }
  }
  bn_free(&base);
  return to_value(c, call->loc, &r);
}

/* ---- text ---------------------------------------------------------------- */


static value bn_number_to_string(ev_ctx *c, const ast *call, value *a, int n) {
  builtin_fn plain = orig("number->string");
  if (n > 1 && a[1].kind == VK_BIG) bn_too_big(c, radix_loc(call), "number->string", 1, a[1]);
  if (a[0].kind == VK_INT) return plain(c, call, a, n);
  int radix = n > 1 ? a[1].i : 10;
  if (radix < 2 || radix > 36) {
    value x[2] = {v_int(0), a[1]};   /* the radix's error: no number in it */
    return plain(c, call, x, n);
  }
  strbuf s;
  sb_init(&s);
  bn x = from_value(a[0]);
  put_digits(&x, radix, &s);
  bn_free(&x);
  tvec *t = world_new_obj(ev_world(c), TV_STR, (int32_t)s.n, v_char(0));
  if (!t) {
    sb_free(&s);
    ev_heap_full(c, call->loc);
  }
  for (size_t k = 0; k < s.n; k++) t->items[k] = v_char((unsigned char)s.s[k]);
  sb_free(&s);
  return v_heapstr(t);
}

/* An integer's text whose value leaves 32 bits is read here; any other
 * text (a fixnum, not a number, a radix error) as the evaluator reads it. */
static value bn_string_to_number(ev_ctx *c, const ast *call, value *a, int n) {
  builtin_fn plain = orig("string->number");
  if (n > 1 && a[1].kind == VK_BIG) bn_too_big(c, radix_loc(call), "string->number", 1, a[1]);
  if (a[0].kind != VK_STR || (n > 1 && (a[1].kind != VK_INT || a[1].i < 2 || a[1].i > 36)))
    return plain(c, call, a, n);
  world *w = ev_world(c);
  int radix = n > 1 ? a[1].i : 10;
  int32_t len = str_length(w, a[0]), i = 0;
  if (len >= 2 && str_ref(w, a[0], 0) == '#') {
    int32_t p = str_ref(w, a[0], 1) | 0x20;
    radix = p == 'x' ? 16 : p == 'b' ? 2 : p == 'o' ? 8 : p == 'd' ? 10 : 0;
    if (!radix) return plain(c, call, a, n);
    i = 2;
  }
  int sign = 1;
  if (i < len && (str_ref(w, a[0], i) == '+' || str_ref(w, a[0], i) == '-'))
    sign = str_ref(w, a[0], i++) == '-' ? -1 : 1;
  if (i == len) return plain(c, call, a, n);
  for (int32_t k = i; k < len; k++)
    if (digit_of(str_ref(w, a[0], k), radix) < 0) return plain(c, call, a, n);
  bn r = bn_new((int)((len - i) * 6 / LIMB_BITS) + 2);
  for (; i < len; i++)
    mul_add(&r, (uint32_t)radix, (uint32_t)digit_of(str_ref(w, a[0], i), radix));
  r.sign = sign;
  return to_value(c, call->loc, &r);
}

/* ---- the table ------------------------------------------------------------ */

static const struct { const char *name; builtin_fn fn; } versions[] = {
  {"+", bn_add}, {"-", bn_sub}, {"*", bn_mul}, {"1+", bn_inc}, {"1-", bn_dec},
  {"=", bn_eq}, {"<", bn_lt}, {">", bn_gt}, {"<=", bn_le}, {">=", bn_ge},
  {"min", bn_min}, {"max", bn_max}, {"abs", bn_abs},
  {"zero?", bn_zero}, {"positive?", bn_positive}, {"negative?", bn_negative},
  {"even?", bn_even}, {"odd?", bn_odd},
  {"integer?", bn_is_int}, {"number?", bn_is_int}, {"exact-integer?", bn_is_int},
  {"exact?", bn_true}, {"eq?", bn_eq_p},
  {"floor", bn_identity}, {"ceiling", bn_identity}, {"round", bn_identity},
  {"truncate", bn_identity}, {"inexact->exact", bn_identity},
  {"quotient", bn_quotient}, {"remainder", bn_remainder}, {"modulo", bn_modulo},
  {"floor-quotient", bn_floor_quotient}, {"floor-remainder", bn_floor_remainder},
  {"truncate-quotient", bn_truncate_quotient},
  {"truncate-remainder", bn_truncate_remainder},
  {"gcd", bn_gcd}, {"lcm", bn_lcm}, {"expt", bn_expt}, {"/", bn_div}, {"ash", bn_ash},
  {"floor/", bn_floor_div}, {"truncate/", bn_truncate_div},
  {"exact-integer-sqrt", bn_exact_integer_sqrt},
  {"logand", bn_logand}, {"logior", bn_logior}, {"logxor", bn_logxor}, {"lognot", bn_lognot},
  {"number->string", bn_number_to_string}, {"string->number", bn_string_to_number},
};

builtin_fn bn_builtin(const builtin *b) {
  if (!bn_enabled()) return NULL;
  /* by the builtin's index, found once */
  static builtin_fn *by_index;
  static int count;
  if (!by_index) {
    while (builtin_at(count)) count++;
    by_index = xcalloc((size_t)count + 1, sizeof *by_index);
    for (size_t k = 0; k < sizeof versions / sizeof versions[0]; k++) {
      const builtin *v = builtin_find(versions[k].name);
      if (v) by_index[builtin_index(v)] = versions[k].fn;
    }
  }
  int i = builtin_index(b);
  return i >= 0 && i < count ? by_index[i] : NULL;
}
