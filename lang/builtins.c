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
  if (a[1].i == 0) {
    ev_note_div(c, op);
    ev_fail(c, call->loc, "division", "division by zero: (%s %d 0)", op,
            (int)a[0].i);
  }
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
static bool equal_in(ev_ctx *c, value x, value y) { return value_equal_in(ev_world(c), x, y); }
static value bi_equal(ev_ctx *c, const ast *call, value *a, int n) { return v_bool(equal_in(c, a[0], a[1])); }

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
  /* without a fill the elements are unspecified, as in Guile */
  return v_vec(new_vec(c, call, a[0].i, n > 1 ? a[1] : v_void()));
}

static value bi_vector(ev_ctx *c, const ast *call, value *a, int n) {
  tvec *t = new_vec(c, call, n, v_int(0));
  for (int i = 0; i < n; i++) t->items[i] = a[i];
  return v_vec(t);
}

static void in_bounds(ev_ctx *c, const ast *call, const char *op, value *a) {
  if (a[1].i < 0 || a[1].i >= a[0].vec->n) {
    ev_note_range(c, op, 1, a[1], a[0].vec->n);
    ev_fail(c, arg_at(call, 1)->loc, "bounds",
            "%s: index %d is out of range for a vector of length %d", op,
            (int)a[1].i, (int)a[0].vec->n);
  }
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


/* ---- pairs and lists ------------------------------------------------ */

static TVL_NORETURN void list_error(ev_ctx *c, const ast *call, int i,
                                    const char *op, const char *want,
                                    value got) {
  strbuf b;
  sb_init(&b);
  value_print(ev_world(c), got, &b, true);
  if (b.n > 60) {
    b.n = 57;
    sb_puts(&b, "...");
  }
  char text[128];
  snprintf(text, sizeof text, "%s", b.s);
  sb_free(&b);
  /* a c[ad]+r notes its own (cxr) */
  if (ev_note_of(c)->armed != 2) ev_note_kind(c, op, i, got);
  ev_fail(c, arg_at(call, i)->loc, "type", "%s: argument %d must be %s, not %s",
          op, i + 1, want, text);
}

/* The length of a proper list; -1 for an improper or circular one
 * (the tortoise moves every second step). */
static int64_t list_length(value l) {
  int64_t n = 0;
  value slow = l;
  while (l.kind == VK_PAIR) {
    l = V_CDR(l);
    n++;
    if (n % 2 == 0) {
      slow = V_CDR(slow);
      if (l.kind == VK_PAIR && l.vec == slow.vec) return -1;
    }
  }
  return l.kind == VK_NIL ? n : -1;
}

static int64_t proper(ev_ctx *c, const ast *call, int i, const char *op, value l) {
  int64_t n = list_length(l);
  if (n < 0) list_error(c, call, i, op, "a proper list", l);
  return n;
}

static value cons(ev_ctx *c, const ast *call, value a, value d) {
  return ev_cons(c, call->loc, a, d);
}

/* Appends to a list under construction: *head is the list, *last its
 * final pair (new pairs of this call: no journal needed). */
static void push_back(ev_ctx *c, const ast *call, value *head, value *last,
                      value x) {
  value p = cons(c, call, x, v_nil());
  if (head->kind == VK_NIL) *head = p;
  else V_CDR(*last) = p;
  *last = p;
}

static value bi_cons(ev_ctx *c, const ast *call, value *a, int n) { return cons(c, call, a[0], a[1]); }
static value bi_car(ev_ctx *c, const ast *call, value *a, int n) { return V_CAR(a[0]); }
static value bi_cdr(ev_ctx *c, const ast *call, value *a, int n) { return V_CDR(a[0]); }

static value bi_set_car(ev_ctx *c, const ast *call, value *a, int n) {
  world_save_vec(ev_world(c), a[0].vec);
  V_CAR(a[0]) = a[1];
  return v_void();
}

static value bi_set_cdr(ev_ctx *c, const ast *call, value *a, int n) {
  world_save_vec(ev_world(c), a[0].vec);
  V_CDR(a[0]) = a[1];
  return v_void();
}

/* c[ad]+r: the letters are applied from the right, as the name reads. */
static value cxr(ev_ctx *c, const ast *call, value v, const char *path) {
  value x = v;
  for (int i = (int)strlen(path) - 1; i >= 0; i--) {
    if (x.kind != VK_PAIR) {
      char name[8];
      snprintf(name, sizeof name, "c%sr", path);
      /* Guile names the part that is not a pair */
      static char noted[8];
      memcpy(noted, name, sizeof noted);
      ev_note_kind(c, noted, 0, x);
      list_error(c, call, 0, name, "a list long enough", v);
    }
    x = path[i] == 'a' ? V_CAR(x) : V_CDR(x);
  }
  return x;
}

#define CXR(fn, path) \
  static value fn(ev_ctx *c, const ast *call, value *a, int n) { return cxr(c, call, a[0], path); }
CXR(bi_caar, "aa") CXR(bi_cadr, "ad") CXR(bi_cdar, "da") CXR(bi_cddr, "dd")
CXR(bi_caaar, "aaa") CXR(bi_caadr, "aad") CXR(bi_cadar, "ada") CXR(bi_caddr, "add")
CXR(bi_cdaar, "daa") CXR(bi_cdadr, "dad") CXR(bi_cddar, "dda") CXR(bi_cdddr, "ddd")
CXR(bi_caaaar, "aaaa") CXR(bi_caaadr, "aaad") CXR(bi_caadar, "aada") CXR(bi_caaddr, "aadd")
CXR(bi_cadaar, "adaa") CXR(bi_cadadr, "adad") CXR(bi_caddar, "adda") CXR(bi_cadddr, "addd")
CXR(bi_cdaaar, "daaa") CXR(bi_cdaadr, "daad") CXR(bi_cdadar, "dada") CXR(bi_cdaddr, "dadd")
CXR(bi_cddaar, "ddaa") CXR(bi_cddadr, "ddad") CXR(bi_cdddar, "ddda") CXR(bi_cddddr, "dddd")

static value bi_is_pair(ev_ctx *c, const ast *call, value *a, int n) { return v_bool(a[0].kind == VK_PAIR); }
static value bi_is_null(ev_ctx *c, const ast *call, value *a, int n) { return v_bool(a[0].kind == VK_NIL); }
static value bi_is_list(ev_ctx *c, const ast *call, value *a, int n) { return v_bool(list_length(a[0]) >= 0); }
static value bi_is_proc(ev_ctx *c, const ast *call, value *a, int n) { return v_bool(a[0].kind == VK_PROC); }

static value bi_list(ev_ctx *c, const ast *call, value *a, int n) {
  value l = v_nil();
  for (int i = n - 1; i >= 0; i--) l = cons(c, call, a[i], l);
  return l;
}

static value bi_length(ev_ctx *c, const ast *call, value *a, int n) {
  int64_t len = proper(c, call, 0, "length", a[0]);
  return v_int((int32_t)len);
}

/* Every list but the last is copied; the last is shared (and may be any
 * value, as in Scheme). */
static value bi_append(ev_ctx *c, const ast *call, value *a, int n) {
  if (n == 0) return v_nil();
  value head = v_nil(), last = v_nil();
  for (int i = 0; i + 1 < n; i++) {
    proper(c, call, i, "append", a[i]);
    for (value l = a[i]; l.kind == VK_PAIR; l = V_CDR(l))
      push_back(c, call, &head, &last, V_CAR(l));
  }
  if (head.kind == VK_NIL) return a[n - 1];
  V_CDR(last) = a[n - 1];
  return head;
}

static value bi_reverse(ev_ctx *c, const ast *call, value *a, int n) {
  proper(c, call, 0, "reverse", a[0]);
  value r = v_nil();
  for (value l = a[0]; l.kind == VK_PAIR; l = V_CDR(l)) r = cons(c, call, V_CAR(l), r);
  return r;
}

static value list_tail(ev_ctx *c, const ast *call, value l, int32_t k,
                       const char *op) {
  if (k < 0)
    ev_fail(c, arg_at(call, 1)->loc, "bounds", "%s: the index must not be "
            "negative (%d)", op, (int)k);
  value x = l;
  for (int32_t i = 0; i < k; i++) {
    if (x.kind != VK_PAIR) {
      /* Guile: list-tail wants a pair there (wrong-type-arg); list-ref's
       * index is out of range where the list ends (in ()) */
      bool tail = op[5] == 't';
      if (tail) ev_note_tail(c, op, x);
      else if (x.kind == VK_NIL) ev_note_range(c, op, 1, v_int(k), 0);
      ev_fail(c, arg_at(call, 1)->loc, tail ? "type" : "bounds", "%s: index %d is out of "
              "range for this list", op, (int)k);
    }
    x = V_CDR(x);
  }
  return x;
}

static value bi_list_tail(ev_ctx *c, const ast *call, value *a, int n) {
  return list_tail(c, call, a[0], a[1].i, "list-tail");
}

static value bi_list_ref(ev_ctx *c, const ast *call, value *a, int n) {
  value x = list_tail(c, call, a[0], a[1].i, "list-ref");
  if (x.kind != VK_PAIR) {
    if (x.kind == VK_NIL) ev_note_range(c, "list-ref", 1, a[1], 0);
    ev_fail(c, arg_at(call, 1)->loc, "bounds", "list-ref: index %d is out "
            "of range for this list", (int)a[1].i);
  }
  return V_CAR(x);
}

typedef bool (*same_fn)(const world *, value, value);

static bool eqv_in(const world *w, value x, value y) {
  (void)w;
  return value_eqv(x, y);
}

/* eq?: as eqv? but for big integers (--bignum), which are the same only
 * when they are one object, as in Guile. */
static bool eq_in(const world *w, value x, value y) {
  if (x.kind == VK_BIG && y.kind == VK_BIG) return x.vec == y.vec;
  return eqv_in(w, x, y);
}

/* memq and memv as Guile's: the first pair whose car is x, found before
 * the list is known to be improper or circular; else #f for a proper
 * list and an error for another. */
static value mem(ev_ctx *c, const ast *call, const char *op, value x, value l,
                 same_fn same) {
  value slow = l, all = l;
  for (int64_t n = 1; l.kind == VK_PAIR; n++) {
    if (same(ev_world(c), x, V_CAR(l))) return l;
    l = V_CDR(l);
    if (n % 2 == 0) slow = V_CDR(slow);
    if (l.kind == VK_PAIR && l.vec == slow.vec) break;   /* circular */
  }
  if (l.kind != VK_NIL) list_error(c, call, 1, op, "a proper list", all);
  return v_bool(false);
}

/* assq, assv, assoc: as Guile's, an improper or circular list is an
 * error when the walk reaches its end (Guile never ends on a circular
 * one), and so is an element that is not a pair. */
static value ass(ev_ctx *c, const ast *call, const char *op, value x,
                 value l, same_fn same) {
  value slow = l, all = l;
  for (int64_t n = 1; l.kind == VK_PAIR; n++) {
    value e = V_CAR(l);
    if (e.kind != VK_PAIR)
      list_error(c, call, 1, op, "a list of pairs", V_CAR(l));
    if (same(ev_world(c), x, V_CAR(e))) return e;
    l = V_CDR(l);
    if (n % 2 == 0) slow = V_CDR(slow);
    if (l.kind == VK_PAIR && l.vec == slow.vec) break;   /* circular */
  }
  if (l.kind != VK_NIL) list_error(c, call, 1, op, "a proper list", all);
  return v_bool(false);
}

static value bi_memq(ev_ctx *c, const ast *call, value *a, int n) {
  return mem(c, call, "memq", a[0], a[1], eq_in);
}
static value bi_memv(ev_ctx *c, const ast *call, value *a, int n) {
  return mem(c, call, "memv", a[0], a[1], eqv_in);
}
/* member checks the whole list first, as Guile's */
static value bi_member(ev_ctx *c, const ast *call, value *a, int n) {
  proper(c, call, 1, "member", a[1]);
  return mem(c, call, "member", a[0], a[1], value_equal_in);
}
static value bi_assq(ev_ctx *c, const ast *call, value *a, int n) { return ass(c, call, "assq", a[0], a[1], eq_in); }
static value bi_assv(ev_ctx *c, const ast *call, value *a, int n) { return ass(c, call, "assv", a[0], a[1], eqv_in); }
static value bi_assoc(ev_ctx *c, const ast *call, value *a, int n) { return ass(c, call, "assoc", a[0], a[1], value_equal_in); }

/* of a proper list only, as Guile's */
static value bi_list_copy(ev_ctx *c, const ast *call, value *a, int n) {
  proper(c, call, 0, "list-copy", a[0]);
  value head = v_nil(), last = v_nil(), l = a[0];
  for (; l.kind == VK_PAIR; l = V_CDR(l)) push_back(c, call, &head, &last, V_CAR(l));
  if (head.kind == VK_NIL) return l;
  V_CDR(last) = l;
  return head;
}

/* Of '() it is '(), as Guile's; a circular list has no last pair. */
static value bi_last_pair(ev_ctx *c, const ast *call, value *a, int n) {
  value l = a[0], slow = a[0];
  if (l.kind == VK_NIL) return l;
  if (l.kind != VK_PAIR) {   /* the words of a kind error (eval.c) */
    char want[160];
    strbuf b;
    sb_init(&b);
    value_print(ev_world(c), l, &b, true);
    if (b.n > 60) {
      b.n = 57;
      sb_puts(&b, "...");
    }
    snprintf(want, sizeof want, "a pair, not %s (%s)", value_kind_name(l), b.s);
    sb_free(&b);
    ev_fail(c, arg_at(call, 0)->loc, "type", "last-pair: argument 1 must be %s", want);
  }
  for (int64_t k = 1; V_CDR(l).kind == VK_PAIR; k++) {
    l = V_CDR(l);
    if (k % 2 == 0) slow = V_CDR(slow);
    if (l.vec == slow.vec) list_error(c, call, 0, "last-pair", "a list that is not circular", a[0]);
  }
  return l;
}

static value bi_vector_to_list(ev_ctx *c, const ast *call, value *a, int n) {
  value l = v_nil();
  for (int32_t i = a[0].vec->n - 1; i >= 0; i--) l = cons(c, call, a[0].vec->items[i], l);
  return l;
}

static value bi_list_to_vector(ev_ctx *c, const ast *call, value *a, int n) {
  int64_t len = proper(c, call, 0, "list->vector", a[0]);
  tvec *t = world_new_vec(ev_world(c), (int32_t)len, v_int(0));
  if (!t) ev_heap_full(c, call->loc);
  int32_t i = 0;
  for (value l = a[0]; l.kind == VK_PAIR; l = V_CDR(l)) t->items[i++] = V_CAR(l);
  return v_vec(t);
}

/* ---- procedures ------------------------------------------------------ */

/* The arguments of a builtin live on the evaluator's stack, which a call
 * back into the evaluator may move: those that call procedures copy
 * their arguments to locals first. */

/* A scratch vector on the heap: freed with the form's other objects,
 * also when a call made from it fails. */
static value *scratch(ev_ctx *c, const ast *call, int64_t n) {
  if (n > TVL_INT_MAX) ev_heap_full(c, call->loc);
  tvec *t = world_new_vec(ev_world(c), (int32_t)n, v_int(0));
  if (!t) ev_heap_full(c, call->loc);
  return t->items;
}

static value bi_apply(ev_ctx *c, const ast *call, value *a, int n) {
  bool tail = ev_tail_ok(c, call);
  value f = a[0];
  int64_t len = proper(c, call, n - 1, "apply", a[n - 1]);
  int64_t total = n - 2 + len;
  value *args = scratch(c, call, total);
  for (int i = 1; i + 1 < n; i++) args[i - 1] = a[i];
  int64_t k = n - 2;
  for (value l = a[n - 1]; l.kind == VK_PAIR; l = V_CDR(l)) args[k++] = V_CAR(l);
  if (tail && f.kind == VK_PROC && f.vec && f.vec->tag != TV_CONT) return ev_tail_defer(c, f, args, (int)total);
  return ev_call_tail(c, call, f, args, (int)total);   /* (apply values l) */
}

/* The lists of map / for-each, all of one length as Guile requires. */
static int64_t same_lengths(ev_ctx *c, const ast *call, const char *op,
                            const value *lists, int nl) {
  int64_t len = -1;
  for (int i = 0; i < nl; i++) {
    int64_t k = proper(c, call, i + 1, op, lists[i]);
    if (len >= 0 && k != len)
      ev_fail(c, call->loc, "type", "%s: the lists have different lengths "
              "(%lld and %lld)", op, (long long)len, (long long)k);
    len = k;
  }
  return len;
}

enum { MAX_LISTS = 16 };

static value map_each(ev_ctx *c, const ast *call, value *a, int n, bool keep,
                      const char *op) {
  if (n - 1 > MAX_LISTS)
    ev_fail(c, call->loc, "arity", "%s: at most %d lists", op, MAX_LISTS);
  value f = a[0], lists[MAX_LISTS], args[MAX_LISTS];
  int nl = n - 1;
  memcpy(lists, a + 1, (size_t)nl * sizeof(value));
  same_lengths(c, call, op, lists, nl);
  value head = v_nil(), last = v_nil();
  while (lists[0].kind == VK_PAIR) {
    for (int i = 0; i < nl; i++) {
      args[i] = V_CAR(lists[i]);
      lists[i] = V_CDR(lists[i]);
    }
    /* for-each drops what the procedure returns, (values) too (Guile) */
    value r = keep ? ev_call_value(c, call, f, args, nl)
                   : ev_call_tail(c, call, f, args, nl);
    if (keep) push_back(c, call, &head, &last, r);
  }
  return keep ? head : v_void();
}

static value bi_map(ev_ctx *c, const ast *call, value *a, int n) { return map_each(c, call, a, n, true, "map"); }
static value bi_for_each(ev_ctx *c, const ast *call, value *a, int n) { return map_each(c, call, a, n, false, "for-each"); }

/* R7RS: over the shortest of the vectors. */
static value vector_each(ev_ctx *c, const ast *call, value *a, int n, bool keep,
                         const char *op) {
  if (n - 1 > MAX_LISTS)
    ev_fail(c, call->loc, "arity", "%s: at most %d vectors", op, MAX_LISTS);
  value f = a[0], vecs[MAX_LISTS], args[MAX_LISTS];
  int nv = n - 1;
  memcpy(vecs, a + 1, (size_t)nv * sizeof(value));
  for (int i = 0; i < nv; i++)
    if (vecs[i].kind != VK_VEC) list_error(c, call, i + 1, op, "a vector", vecs[i]);
  int32_t len = vecs[0].vec->n;
  for (int i = 1; i < nv; i++)
    if (vecs[i].vec->n < len) len = vecs[i].vec->n;
  tvec *out = NULL;
  if (keep) {
    out = world_new_vec(ev_world(c), len, v_int(0));
    if (!out) ev_heap_full(c, call->loc);
  }
  for (int32_t j = 0; j < len; j++) {
    for (int i = 0; i < nv; i++) {
      if (j >= vecs[i].vec->n)   /* the procedure shrank nothing: vectors */
        return keep ? v_vec(out) : v_void();   /* keep their length */
      args[i] = vecs[i].vec->items[j];
    }
    value r = keep ? ev_call_value(c, call, f, args, nv)
                   : ev_call_tail(c, call, f, args, nv);
    if (keep) out->items[j] = r;
  }
  return keep ? v_vec(out) : v_void();
}

static value bi_vector_map(ev_ctx *c, const ast *call, value *a, int n) { return vector_each(c, call, a, n, true, "vector-map"); }
static value bi_vector_for_each(ev_ctx *c, const ast *call, value *a, int n) { return vector_each(c, call, a, n, false, "vector-for-each"); }

/* SRFI-1 fold: (kons e1 e2 ... acc), left to right, up to the shortest
 * list. */
static value bi_fold(ev_ctx *c, const ast *call, value *a, int n) {
  if (n - 2 > MAX_LISTS)
    ev_fail(c, call->loc, "arity", "fold: at most %d lists", MAX_LISTS);
  value f = a[0], acc = a[1], lists[MAX_LISTS], args[MAX_LISTS + 1];
  int nl = n - 2;
  memcpy(lists, a + 2, (size_t)nl * sizeof(value));
  for (int i = 0; i < nl; i++) proper(c, call, i + 2, "fold", lists[i]);
  for (;;) {
    for (int i = 0; i < nl; i++) {
      if (lists[i].kind != VK_PAIR) return acc;
      args[i] = V_CAR(lists[i]);
      lists[i] = V_CDR(lists[i]);
    }
    args[nl] = acc;
    acc = ev_call_value(c, call, f, args, nl + 1);
  }
}

/* SRFI-1 fold-right: (kons e1 (kons e2 ... knil)), one list. */
static value bi_fold_right(ev_ctx *c, const ast *call, value *a, int n) {
  value f = a[0], acc = a[1], l = a[2];
  int64_t len = proper(c, call, 2, "fold-right", l);
  value *items = scratch(c, call, len);
  int64_t i = 0;
  for (; l.kind == VK_PAIR; l = V_CDR(l)) items[i++] = V_CAR(l);
  while (i-- > 0) {
    value args[2] = {items[i], acc};
    acc = ev_call_value(c, call, f, args, 2);
  }
  return acc;
}

/* SRFI-1 reduce: (f e acc) over the list, the first element the start;
 * ridentity for an empty list. */
static value bi_reduce(ev_ctx *c, const ast *call, value *a, int n) {
  value f = a[0], l = a[2];
  proper(c, call, 2, "reduce", l);
  if (l.kind != VK_PAIR) return a[1];
  value acc = V_CAR(l);
  for (l = V_CDR(l); l.kind == VK_PAIR; l = V_CDR(l)) {
    value args[2] = {V_CAR(l), acc};
    acc = ev_call_value(c, call, f, args, 2);
  }
  return acc;
}

/* ---- output --------------------------------------------------------- */

/* to the port of argument 1 if there is one (ports.c) */
static value print_value(ev_ctx *c, const ast *call, value *a, int n, bool write) {
  tvec *p = port_arg(c, call, a, n, 1, write ? "write" : "display");
  strbuf b;
  sb_init(&b);
  value_print(ev_world(c), a[0], &b, write);
  if (p) port_write(c, call->loc, p, b.s ? b.s : "", b.n);
  else ev_output(c, b.s ? b.s : "", b.n);
  sb_free(&b);
  return v_void();
}

static value bi_display(ev_ctx *c, const ast *call, value *a, int n) { return print_value(c, call, a, n, false); }
static value bi_write(ev_ctx *c, const ast *call, value *a, int n) { return print_value(c, call, a, n, true); }
static value bi_newline(ev_ctx *c, const ast *call, value *a, int n) {
  tvec *p = port_arg(c, call, a, n, 0, "newline");
  if (p) port_write(c, call->loc, p, "\n", 1);
  else ev_output(c, "\n", 1);
  return v_void();
}

/* ---- the table ------------------------------------------------------ */

static const arg_kind k_vec_int[] = {AK_VEC, AK_INT, AK_ANY};
static const arg_kind k_int_any[] = {AK_INT, AK_ANY};
static const arg_kind k_vec_any[] = {AK_VEC, AK_ANY};
static const arg_kind k_pair_any[] = {AK_PAIR, AK_ANY};
static const arg_kind k_any_int[] = {AK_ANY, AK_INT};
static const arg_kind k_proc_any[] = {AK_PROC, AK_ANY, AK_ANY};

#define LISTS "lists"
#define PROCS "procedures as values"


#define R(k) (k)
static const builtin table[] = {
  {"+", 0, -1, AK_INT, NULL, R(VK_INT), bi_add, "sum of the integers", NULL},
  {"-", 1, -1, AK_INT, NULL, R(VK_INT), bi_sub, "difference, or negation of one integer", NULL},
  {"*", 0, -1, AK_INT, NULL, R(VK_INT), bi_mul, "product of the integers", NULL},
  {"quotient", 2, 2, AK_INT, NULL, R(VK_INT), bi_quotient, "division truncated toward zero", NULL},
  {"remainder", 2, 2, AK_INT, NULL, R(VK_INT), bi_remainder, "remainder with the sign of the dividend", NULL},
  {"modulo", 2, 2, AK_INT, NULL, R(VK_INT), bi_modulo, "remainder with the sign of the divisor", NULL},
  {"abs", 1, 1, AK_INT, NULL, R(VK_INT), bi_abs, "absolute value", NULL},
  {"min", 1, -1, AK_INT, NULL, R(VK_INT), bi_min, "smallest of the integers", NULL},
  {"max", 1, -1, AK_INT, NULL, R(VK_INT), bi_max, "largest of the integers", NULL},
  {"expt", 2, 2, AK_INT, NULL, R(VK_INT), bi_expt, "integer power (exponent >= 0)", NULL},
  {"=", 0, -1, AK_INT, NULL, R(VK_BOOL), bi_eq, "integers equal", NULL},
  {"<", 0, -1, AK_INT, NULL, R(VK_BOOL), bi_lt, "strictly increasing", NULL},
  {">", 0, -1, AK_INT, NULL, R(VK_BOOL), bi_gt, "strictly decreasing", NULL},
  {"<=", 0, -1, AK_INT, NULL, R(VK_BOOL), bi_le, "non-decreasing", NULL},
  {">=", 0, -1, AK_INT, NULL, R(VK_BOOL), bi_ge, "non-increasing", NULL},
  {"zero?", 1, 1, AK_INT, NULL, R(VK_BOOL), bi_zero, "is zero", NULL},
  {"positive?", 1, 1, AK_INT, NULL, R(VK_BOOL), bi_positive, "is greater than zero", NULL},
  {"negative?", 1, 1, AK_INT, NULL, R(VK_BOOL), bi_negative, "is less than zero", NULL},
  {"even?", 1, 1, AK_INT, NULL, R(VK_BOOL), bi_even, "is even", NULL},
  {"odd?", 1, 1, AK_INT, NULL, R(VK_BOOL), bi_odd, "is odd", NULL},
  {"not", 1, 1, AK_ANY, NULL, R(VK_BOOL), bi_not, "#t for #f, #f for anything else", NULL},
  {"eq?", 2, 2, AK_ANY, NULL, R(VK_BOOL), bi_eqv, "same value (vectors: same object)", NULL},
  {"eqv?", 2, 2, AK_ANY, NULL, R(VK_BOOL), bi_eqv, "same value (vectors: same object)", NULL},
  {"equal?", 2, 2, AK_ANY, NULL, R(VK_BOOL), bi_equal, "same value, vectors compared element by element", NULL},
  {"integer?", 1, 1, AK_ANY, NULL, R(VK_BOOL), bi_is_int, "is an integer", NULL},
  {"number?", 1, 1, AK_ANY, NULL, R(VK_BOOL), bi_is_int, "is a number (an integer)", NULL},
  {"boolean?", 1, 1, AK_ANY, NULL, R(VK_BOOL), bi_is_bool, "is #t or #f", NULL},
  {"symbol?", 1, 1, AK_ANY, NULL, R(VK_BOOL), bi_is_sym, "is a symbol", NULL},
  {"vector?", 1, 1, AK_ANY, NULL, R(VK_BOOL), bi_is_vec, "is a vector", NULL},
  {"string?", 1, 1, AK_ANY, NULL, R(VK_BOOL), bi_is_str, "is a string", NULL},
  {"logand", 0, -1, AK_INT, NULL, R(VK_INT), bi_logand, "bitwise and", NULL},
  {"logior", 0, -1, AK_INT, NULL, R(VK_INT), bi_logior, "bitwise inclusive or", NULL},
  {"logxor", 0, -1, AK_INT, NULL, R(VK_INT), bi_logxor, "bitwise exclusive or", NULL},
  {"lognot", 1, 1, AK_INT, NULL, R(VK_INT), bi_lognot, "bitwise complement", NULL},
  {"ash", 2, 2, AK_INT, NULL, R(VK_INT), bi_ash, "arithmetic shift: left for a positive count, right (floor) for a negative one", NULL},
  {"make-vector", 1, 2, AK_ANY, k_int_any, R(VK_VEC), bi_make_vector, "new vector of a length, filled (default unspecified)", NULL},
  {"vector", 0, -1, AK_ANY, NULL, R(VK_VEC), bi_vector, "new vector of the arguments", NULL},
  {"vector-ref", 2, 2, AK_ANY, k_vec_int, R(-1), bi_vector_ref, "element at an index", NULL},
  {"vector-set!", 3, 3, AK_ANY, k_vec_int, R(VK_VOID), bi_vector_set, "replace the element at an index", NULL},
  {"vector-length", 1, 1, AK_VEC, NULL, R(VK_INT), bi_vector_length, "number of elements", NULL},
  {"vector-fill!", 2, 2, AK_ANY, k_vec_any, R(VK_VOID), bi_vector_fill, "set every element", NULL},
  {"display", 1, 2, AK_ANY, NULL, R(VK_VOID), bi_display, "print a value (strings without quotes), to a port if given", NULL},
  {"write", 1, 2, AK_ANY, NULL, R(VK_VOID), bi_write, "print a value (strings quoted), to a port if given", NULL},
  {"newline", 0, 1, AK_ANY, NULL, R(VK_VOID), bi_newline, "print a line break, to a port if given", NULL},
  {"cons", 2, 2, AK_ANY, NULL, R(VK_PAIR), bi_cons, "new pair of a car and a cdr", NULL},
  {"car", 1, 1, AK_PAIR, NULL, R(-1), bi_car, "first element of a pair", NULL},
  {"cdr", 1, 1, AK_PAIR, NULL, R(-1), bi_cdr, "second element of a pair (the rest of a list)", NULL},
  {"set-car!", 2, 2, AK_ANY, k_pair_any, R(VK_VOID), bi_set_car, "replace the car of a pair", NULL},
  {"set-cdr!", 2, 2, AK_ANY, k_pair_any, R(VK_VOID), bi_set_cdr, "replace the cdr of a pair", NULL},
  {"caar", 1, 1, AK_ANY, NULL, R(-1), bi_caar, "(car (car x))", NULL},
  {"cadr", 1, 1, AK_ANY, NULL, R(-1), bi_cadr, "(car (cdr x)): the second element", NULL},
  {"cdar", 1, 1, AK_ANY, NULL, R(-1), bi_cdar, "(cdr (car x))", NULL},
  {"cddr", 1, 1, AK_ANY, NULL, R(-1), bi_cddr, "(cdr (cdr x))", NULL},
  {"caaar", 1, 1, AK_ANY, NULL, R(-1), bi_caaar, "(car (car (car x)))", NULL},
  {"caadr", 1, 1, AK_ANY, NULL, R(-1), bi_caadr, "(car (car (cdr x)))", NULL},
  {"cadar", 1, 1, AK_ANY, NULL, R(-1), bi_cadar, "(car (cdr (car x)))", NULL},
  {"caddr", 1, 1, AK_ANY, NULL, R(-1), bi_caddr, "(car (cdr (cdr x))): the third element", NULL},
  {"cdaar", 1, 1, AK_ANY, NULL, R(-1), bi_cdaar, "(cdr (car (car x)))", NULL},
  {"cdadr", 1, 1, AK_ANY, NULL, R(-1), bi_cdadr, "(cdr (car (cdr x)))", NULL},
  {"cddar", 1, 1, AK_ANY, NULL, R(-1), bi_cddar, "(cdr (cdr (car x)))", NULL},
  {"cdddr", 1, 1, AK_ANY, NULL, R(-1), bi_cdddr, "(cdr (cdr (cdr x)))", NULL},
  {"caaaar", 1, 1, AK_ANY, NULL, R(-1), bi_caaaar, "(car (car (car (car x))))", NULL},
  {"caaadr", 1, 1, AK_ANY, NULL, R(-1), bi_caaadr, "(car (car (car (cdr x))))", NULL},
  {"caadar", 1, 1, AK_ANY, NULL, R(-1), bi_caadar, "(car (car (cdr (car x))))", NULL},
  {"caaddr", 1, 1, AK_ANY, NULL, R(-1), bi_caaddr, "(car (car (cdr (cdr x))))", NULL},
  {"cadaar", 1, 1, AK_ANY, NULL, R(-1), bi_cadaar, "(car (cdr (car (car x))))", NULL},
  {"cadadr", 1, 1, AK_ANY, NULL, R(-1), bi_cadadr, "(car (cdr (car (cdr x))))", NULL},
  {"caddar", 1, 1, AK_ANY, NULL, R(-1), bi_caddar, "(car (cdr (cdr (car x))))", NULL},
  {"cadddr", 1, 1, AK_ANY, NULL, R(-1), bi_cadddr, "(car (cdr (cdr (cdr x)))): the fourth element", NULL},
  {"cdaaar", 1, 1, AK_ANY, NULL, R(-1), bi_cdaaar, "(cdr (car (car (car x))))", NULL},
  {"cdaadr", 1, 1, AK_ANY, NULL, R(-1), bi_cdaadr, "(cdr (car (car (cdr x))))", NULL},
  {"cdadar", 1, 1, AK_ANY, NULL, R(-1), bi_cdadar, "(cdr (car (cdr (car x))))", NULL},
  {"cdaddr", 1, 1, AK_ANY, NULL, R(-1), bi_cdaddr, "(cdr (car (cdr (cdr x))))", NULL},
  {"cddaar", 1, 1, AK_ANY, NULL, R(-1), bi_cddaar, "(cdr (cdr (car (car x))))", NULL},
  {"cddadr", 1, 1, AK_ANY, NULL, R(-1), bi_cddadr, "(cdr (cdr (car (cdr x))))", NULL},
  {"cdddar", 1, 1, AK_ANY, NULL, R(-1), bi_cdddar, "(cdr (cdr (cdr (car x))))", NULL},
  {"cddddr", 1, 1, AK_ANY, NULL, R(-1), bi_cddddr, "(cdr (cdr (cdr (cdr x))))", NULL},
  {"pair?", 1, 1, AK_ANY, NULL, R(VK_BOOL), bi_is_pair, "is a pair", NULL},
  {"null?", 1, 1, AK_ANY, NULL, R(VK_BOOL), bi_is_null, "is the empty list", NULL},
  {"list?", 1, 1, AK_ANY, NULL, R(VK_BOOL), bi_is_list, "is a proper list (ends in (), not circular)", NULL},
  {"procedure?", 1, 1, AK_ANY, NULL, R(VK_BOOL), bi_is_proc, "is a procedure", NULL},
  {"list", 0, -1, AK_ANY, NULL, R(-1), bi_list, "new list of the arguments", NULL},
  {"length", 1, 1, AK_ANY, NULL, R(VK_INT), bi_length, "number of elements of a proper list", NULL},
  {"append", 0, -1, AK_ANY, NULL, R(-1), bi_append, "the lists joined (the last argument is shared, not copied)", NULL},
  {"reverse", 1, 1, AK_ANY, NULL, R(-1), bi_reverse, "new list of the elements in reverse order", NULL},
  {"list-tail", 2, 2, AK_ANY, k_any_int, R(-1), bi_list_tail, "the list without its first k elements", NULL},
  {"list-ref", 2, 2, AK_ANY, k_any_int, R(-1), bi_list_ref, "element at an index (from 0)", NULL},
  {"memq", 2, 2, AK_ANY, NULL, R(-1), bi_memq, "the sublist starting at the first element eq? to x, or #f", NULL},
  {"memv", 2, 2, AK_ANY, NULL, R(-1), bi_memv, "the sublist starting at the first element eqv? to x, or #f", NULL},
  {"member", 2, 2, AK_ANY, NULL, R(-1), bi_member, "the sublist starting at the first element equal? to x, or #f", NULL},
  {"assq", 2, 2, AK_ANY, NULL, R(-1), bi_assq, "the first pair of an association list whose car is eq? to x, or #f", NULL},
  {"assv", 2, 2, AK_ANY, NULL, R(-1), bi_assv, "the first pair whose car is eqv? to x, or #f", NULL},
  {"assoc", 2, 2, AK_ANY, NULL, R(-1), bi_assoc, "the first pair whose car is equal? to x, or #f", NULL},
  {"list-copy", 1, 1, AK_ANY, NULL, R(-1), bi_list_copy, "new list of the same elements", NULL},
  {"last-pair", 1, 1, AK_ANY, NULL, R(-1), bi_last_pair, "the last pair of a list (of '() it is '())", NULL},
  {"vector->list", 1, 1, AK_VEC, NULL, R(-1), bi_vector_to_list, "new list of a vector's elements", NULL},
  {"list->vector", 1, 1, AK_ANY, NULL, R(VK_VEC), bi_list_to_vector, "new vector of a list's elements", NULL},
  {"apply", 2, -1, AK_ANY, k_proc_any, R(-1), bi_apply, "call a procedure with the arguments, the last one a list spread out", NULL},
  {"map", 2, -1, AK_ANY, k_proc_any, R(-1), bi_map, "list of the procedure's results on the elements of the lists", NULL},
  {"for-each", 2, -1, AK_ANY, k_proc_any, R(VK_VOID), bi_for_each, "call the procedure on the elements of the lists, in order", NULL},
  {"vector-map", 2, -1, AK_ANY, k_proc_any, R(VK_VEC), bi_vector_map, "new vector of the procedure's results on the elements (R7RS)", NULL},
  {"vector-for-each", 2, -1, AK_ANY, k_proc_any, R(VK_VOID), bi_vector_for_each, "call the procedure on the elements of the vectors, in order (R7RS)", NULL},
  {"fold", 3, -1, AK_ANY, k_proc_any, R(-1), bi_fold, "SRFI-1 fold: (kons element acc) from the left", NULL},
  {"fold-right", 3, 3, AK_ANY, k_proc_any, R(-1), bi_fold_right, "SRFI-1 fold-right: (kons element acc) from the right", NULL},
  {"reduce", 3, 3, AK_ANY, k_proc_any, R(-1), bi_reduce, "SRFI-1 reduce: fold with the first element as the start", NULL},
};

/* The builtins of builtins-text.c, builtins-more.c and builtins-guile.c follow
 * this table's: one index space. */
extern const builtin text_builtins[];
extern const int text_builtins_n;
extern const builtin more_builtins[];
extern const int more_builtins_n;
extern const builtin guile_builtins[];
extern const int guile_builtins_n;
extern const builtin port_builtins[];   /* ports.c */
extern const int port_builtins_n;
extern const builtin wind_builtins[];   /* builtins-wind.c */
extern const int wind_builtins_n;
extern const builtin record_builtins[];   /* records.c */
extern const int record_builtins_n;

enum { N_CORE = (int)(sizeof table / sizeof table[0]) };

const builtin *builtin_at(int i) {
  if (i >= 0 && i < N_CORE) return &table[i];
  if (i >= N_CORE && i < N_CORE + text_builtins_n) return &text_builtins[i - N_CORE];
  i -= N_CORE + text_builtins_n;
  if (i >= 0 && i < more_builtins_n) return &more_builtins[i];
  i -= more_builtins_n;
  if (i >= 0 && i < guile_builtins_n) return &guile_builtins[i];
  i -= guile_builtins_n;
  if (i >= 0 && i < port_builtins_n) return &port_builtins[i];
  i -= port_builtins_n;
  if (i >= 0 && i < wind_builtins_n) return &wind_builtins[i];
  i -= wind_builtins_n;
  if (i >= 0 && i < record_builtins_n) return &record_builtins[i];
  return NULL;
}

const builtin *builtin_find(const char *name) {
  for (int i = 0; builtin_at(i); i++)
    if (!strcmp(builtin_at(i)->name, name)) return builtin_at(i);
  return NULL;
}

bool builtin_pairwise(const builtin *b) {
  static const char *const names[] = {
      "=", "<", ">", "<=", ">=", "char=?", "char<?", "char>?", "char<=?", "char>=?",
      "char-ci=?", "string=?", "string<?", "string>?", "string<=?", "string>=?",
      "string-ci=?", NULL};
  for (int i = 0; names[i]; i++)
    if (!strcmp(b->name, names[i])) return true;
  return false;
}

bool builtin_srfi1(const builtin *b) {
  return !strcmp(b->name, "fold") || !strcmp(b->name, "fold-right") ||
         !strcmp(b->name, "reduce");
}

bool builtin_library(const builtin *b) {
  return (b >= more_builtins && b < more_builtins + more_builtins_n) ||
         (b >= guile_builtins && b < guile_builtins + guile_builtins_n) ||
         (b >= port_builtins && b < port_builtins + port_builtins_n) ||
         (b >= wind_builtins && b < wind_builtins + wind_builtins_n) ||
         (b >= record_builtins && b < record_builtins + record_builtins_n);
}

int builtin_index(const builtin *b) {
  if (b >= table && b < table + N_CORE) return (int)(b - table);
  if (b >= more_builtins && b < more_builtins + more_builtins_n)
    return N_CORE + text_builtins_n + (int)(b - more_builtins);
  if (b >= guile_builtins && b < guile_builtins + guile_builtins_n)
    return N_CORE + text_builtins_n + more_builtins_n + (int)(b - guile_builtins);
  if (b >= port_builtins && b < port_builtins + port_builtins_n)
    return N_CORE + text_builtins_n + more_builtins_n + guile_builtins_n +
           (int)(b - port_builtins);
  if (b >= wind_builtins && b < wind_builtins + wind_builtins_n)
    return N_CORE + text_builtins_n + more_builtins_n + guile_builtins_n +
           port_builtins_n + (int)(b - wind_builtins);
  if (b >= record_builtins && b < record_builtins + record_builtins_n)
    return N_CORE + text_builtins_n + more_builtins_n + guile_builtins_n +
           port_builtins_n + wind_builtins_n + (int)(b - record_builtins);
  return N_CORE + (int)(b - text_builtins);
}
