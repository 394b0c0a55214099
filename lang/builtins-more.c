/* builtins-more.c - multiple values (values, call-with-values), iota, and
 * the other procedures GNU Guile 3 has without a module that small
 * programs use at once (filter, sort, gcd, 1+, list-head...), as the
 * reference evaluator runs them, with Guile's results.  How a result of
 * several values travels is eval.c's (ev_values). */
#include "config.h"

#include "lang.h"

#include <string.h>

static value bi_values(ev_ctx *c, const ast *call, value *a, int n) {
  (void)call;
  return ev_values(c, a, n);
}

/* (call-with-values producer consumer): the consumer receives every value
 * the producer returns, and its result is the call's, as it is (a tail
 * call, in Scheme's terms). */
static value bi_call_with_values(ev_ctx *c, const ast *call, value *a, int n) {
  (void)n;
  bool tail = ev_tail_ok(c, call);
  value consumer = a[1];
  value r = ev_call_tail(c, call, a[0], NULL, 0);
  const value *items;
  int k = ev_multiple(c, r, &items);
  if (k < 0) k = 1, items = &r;
  /* a consumer written as a lambda (as let-values and the other forms
   * make it) says how many values it takes */
  if (consumer.vec && consumer.vec->fn) {
    const fn_def *fn = consumer.vec->fn;
    int fixed = fn->variadic ? fn->nparams - 1 : fn->nparams;
    if (k < fixed || (!fn->variadic && k > fixed))
      ev_fail(c, call->loc, "arity", "wrong number of values: %d returned "
              "where %s%d %s expected", k, fn->variadic ? "at least " : "",
              fixed, fixed == 1 ? "is" : "are");
  }
  /* the consumer may make values of its own: the values are copied out
   * first, to the C stack, or to the heap when there are many (an error
   * unwinds past this frame: nothing here may need freeing) */
  value local[64];
  value *args = local;
  if (k > 64) {
    tvec *t = world_new_vec(ev_world(c), k, v_int(0));
    if (!t) ev_heap_full(c, call->loc);
    args = t->items;
  }
  if (k) memcpy(args, items, (size_t)k * sizeof *args);
  if (tail && consumer.kind == VK_PROC && consumer.vec && consumer.vec->tag != TV_CONT)
    return ev_tail_defer(c, consumer, args, k);
  return ev_call_tail(c, call, consumer, args, k);
}

/* (iota count [start [step]]): the list start, start+step, ... of count
 * integers. */
static value bi_iota(ev_ctx *c, const ast *call, value *a, int n) {
  int64_t count = a[0].i, start = n > 1 ? a[1].i : 0, step = n > 2 ? a[2].i : 1;
  if (count < 0)
    ev_fail(c, call->loc, "type", "iota: argument 1 must be a non-negative "
                                  "integer, not %lld", (long long)count);
  int64_t last = start + (count ? count - 1 : 0) * step;
  if (last < TVL_INT_MIN || last > TVL_INT_MAX)
    ev_fail(c, call->loc, "overflow", "integer overflow: (iota %lld %lld %lld) "
            "would reach %lld, which does not fit in 32 bits", (long long)count,
            (long long)start, (long long)step, (long long)last);
  value l = v_nil();
  for (int64_t i = count - 1; i >= 0; i--)
    l = ev_cons(c, call->loc, v_int((int32_t)(start + i * step)), l);
  return l;
}

/* ---- lists ----------------------------------------------------------- */

static TVL_NORETURN void bad_arg(ev_ctx *c, const ast *call, int i,
                                 const char *op, const char *want, value got) {
  strbuf b;
  sb_init(&b);
  value_print(ev_world(c), got, &b, true);
  if (b.n > 60) {
    b.n = 57;
    sb_puts(&b, "...");
  }
  char text[128];
  snprintf(text, sizeof text, "%s", b.s ? b.s : "");
  sb_free(&b);
  const ast *at = i < call->u.call.n ? call->u.call.args[i] : call;
  ev_fail(c, at->loc, "type", "%s: argument %d must be %s, not %s", op, i + 1,
          want, text);
}

/* The length of a proper list, or an error naming argument i. */
static int64_t proper(ev_ctx *c, const ast *call, int i, const char *op, value l) {
  int64_t n = 0;
  value slow = l;
  for (value x = l; x.kind == VK_PAIR; x = V_CDR(x)) {
    if (++n % 2 == 0) {
      slow = V_CDR(slow);
      if (V_CDR(x).kind == VK_PAIR && V_CDR(x).vec == slow.vec)
        bad_arg(c, call, i, op, "a proper list", l);
    }
    if (V_CDR(x).kind != VK_PAIR && V_CDR(x).kind != VK_NIL)
      bad_arg(c, call, i, op, "a proper list", l);
  }
  if (l.kind != VK_PAIR && l.kind != VK_NIL) bad_arg(c, call, i, op, "a proper list", l);
  return n;
}

/* A list under construction: its head and its last pair. */
typedef struct { value head, last; } lbuild;

static void push(ev_ctx *c, const ast *call, lbuild *b, value x) {
  value p = ev_cons(c, call->loc, x, v_nil());
  if (b->head.kind == VK_NIL) b->head = p;
  else V_CDR(b->last) = p;
  b->last = p;
}

static value bi_filter(ev_ctx *c, const ast *call, value *a, int n) {
  (void)n;
  proper(c, call, 1, "filter", a[1]);
  lbuild b = {v_nil(), v_nil()};
  for (value l = a[1]; l.kind == VK_PAIR; l = V_CDR(l)) {
    value x = V_CAR(l);
    if (v_truthy(ev_call_value(c, call, a[0], &x, 1))) push(c, call, &b, x);
  }
  return b.head;
}

static value bi_delete(ev_ctx *c, const ast *call, value *a, int n) {
  (void)n;
  proper(c, call, 1, "delete", a[1]);
  lbuild b = {v_nil(), v_nil()};
  for (value l = a[1]; l.kind == VK_PAIR; l = V_CDR(l))
    if (!value_equal_in(ev_world(c), a[0], V_CAR(l))) push(c, call, &b, V_CAR(l));
  return b.head;
}

static value bi_list_head(ev_ctx *c, const ast *call, value *a, int n) {
  (void)n;
  if (a[1].i < 0) bad_arg(c, call, 1, "list-head", "a non-negative integer", a[1]);
  lbuild b = {v_nil(), v_nil()};
  value l = a[0];
  for (int32_t k = 0; k < a[1].i; k++, l = V_CDR(l)) {
    if (l.kind != VK_PAIR) bad_arg(c, call, 0, "list-head", "a list long enough", a[0]);
    push(c, call, &b, V_CAR(l));
  }
  return b.head;
}

/* (make-list n [fill]): Guile's fill is the empty list. */
static value bi_make_list(ev_ctx *c, const ast *call, value *a, int n) {
  if (a[0].kind != VK_INT || a[0].i < 0)
    bad_arg(c, call, 0, "make-list", "a non-negative integer", a[0]);
  value l = v_nil();
  for (int32_t k = 0; k < a[0].i; k++) l = ev_cons(c, call->loc, n > 1 ? a[1] : v_nil(), l);
  return l;
}

static value bi_cons_star(ev_ctx *c, const ast *call, value *a, int n) {
  value l = a[n - 1];
  for (int i = n - 2; i >= 0; i--) l = ev_cons(c, call->loc, a[i], l);
  return l;
}

/* (assq-ref alist key), (assoc-ref alist key): the value, or #f. */
static value alist_ref(ev_ctx *c, const ast *call, value *a, bool equal,
                       const char *op) {
  for (value l = a[0]; l.kind == VK_PAIR; l = V_CDR(l)) {
    value p = V_CAR(l);
    if (p.kind != VK_PAIR) bad_arg(c, call, 0, op, "an association list", a[0]);
    if (equal ? value_equal_in(ev_world(c), V_CAR(p), a[1]) : value_eqv(V_CAR(p), a[1]))
      return V_CDR(p);
  }
  return v_bool(false);
}

static value bi_assq_ref(ev_ctx *c, const ast *call, value *a, int n) {
  (void)n;
  return alist_ref(c, call, a, false, "assq-ref");
}

static value bi_assoc_ref(ev_ctx *c, const ast *call, value *a, int n) {
  (void)n;
  return alist_ref(c, call, a, true, "assoc-ref");
}

/* ---- sort ------------------------------------------------------------- */

/* Guile 3.0's sorts (libguile/sort.c, quicksort.i.c), with the same
 * calls of less in the same order, so that a less that prints or fails
 * does so as in Guile: lists (and stable-sort of a vector) by a top-down
 * merge sort, vectors by Guile's quicksort, which is not stable.  The
 * scratch is on the heap (an error of less unwinds past this frame):
 * the elements, a second vector for the merges and SORT_STACK cells for
 * the quicksort's stack, as compiled code takes them
 * (lang/lower-sort.c). */
enum { SORT_STACK = 192, SORT_THRESH = 4 };

static bool less_p(ev_ctx *c, const ast *call, value less, value a, value b) {
  value args[2] = {a, b};
  return v_truthy(ev_call_value(c, call, less, args, 2));
}

/* v[lo..lo+n) sorted: the first half (n/2, or (n+1)/2 for stable-sort
 * of a vector), the second, then merged through tmp. */
static void merge_step(ev_ctx *c, const ast *call, value less, value *v, value *tmp,
                       int32_t lo, int32_t n, bool ceil_half) {
  if (n == 2) {
    if (less_p(c, call, less, v[lo + 1], v[lo])) {
      value t = v[lo];
      v[lo] = v[lo + 1];
      v[lo + 1] = t;
    }
    return;
  }
  if (n < 2) return;
  int32_t m = ceil_half ? (n + 1) / 2 : n / 2;
  merge_step(c, call, less, v, tmp, lo, m, ceil_half);
  merge_step(c, call, less, v, tmp, lo + m, n - m, ceil_half);
  int32_t i = lo, j = lo + m, k = lo, ae = lo + m, be = lo + n;
  while (i < ae && j < be) tmp[k++] = less_p(c, call, less, v[j], v[i]) ? v[j++] : v[i++];
  while (i < ae) tmp[k++] = v[i++];
  while (j < be) tmp[k++] = v[j++];
  memcpy(v + lo, tmp + lo, (size_t)n * sizeof *v);
}

static void buggy(ev_ctx *c, const ast *call, const char *op) {
  ev_fail(c, call->loc, "type", "%s: buggy less predicate used when sorting", op);
}

#define SWAPV(x, y) \
  do { \
    value t_ = v[x]; \
    v[x] = v[y]; \
    v[y] = t_; \
  } while (0)

/* Guile's quicksort of v[0..n): median of three, partitions above
 * SORT_THRESH elements (the larger one's bounds on the stack st), then
 * the smallest of the first five to the front and an insertion sort. */
static void quick_sort(ev_ctx *c, const ast *call, value less, value *v, value *st,
                       int32_t n, const char *op) {
  if (n == 0) return;
  int32_t lo = 0, hi = n - 1, top = 0;
  if (n > SORT_THRESH) {
    st[top++] = v_int(0);   /* the bottom node, popped last */
    st[top++] = v_int(0);
    while (top > 0) {
      int32_t mid = lo + (hi - lo) / 2;
      if (less_p(c, call, less, v[mid], v[lo])) SWAPV(mid, lo);
      if (less_p(c, call, less, v[hi], v[mid])) {
        SWAPV(mid, hi);
        if (less_p(c, call, less, v[mid], v[lo])) SWAPV(mid, lo);
      }
      int32_t left = lo + 1, right = hi - 1;
      do {
        while (less_p(c, call, less, v[left], v[mid]))
          if (++left > hi) buggy(c, call, op);
        while (less_p(c, call, less, v[mid], v[right]))
          if (--right < lo) buggy(c, call, op);
        if (left < right) {
          SWAPV(left, right);
          if (mid == left) mid = right;
          else if (mid == right) mid = left;
          left++;
          right--;
        } else if (left == right) {
          left++;
          right--;
          break;
        }
      } while (left <= right);
      if (right - lo <= SORT_THRESH) {
        if (hi - left <= SORT_THRESH) {
          top -= 2;
          lo = (int32_t)st[top].i;
          hi = (int32_t)st[top + 1].i;
        } else {
          lo = left;
        }
      } else if (hi - left <= SORT_THRESH) {
        hi = right;
      } else if (right - lo > hi - left) {
        st[top++] = v_int(lo);
        st[top++] = v_int(right);
        lo = left;
      } else {
        st[top++] = v_int(left);
        st[top++] = v_int(hi);
        hi = right;
      }
    }
    lo = 0;
    hi = n - 1;
  }
  int32_t tmp = lo, thresh = hi < SORT_THRESH ? hi : SORT_THRESH;
  for (int32_t run = tmp + 1; run <= thresh; run++)
    if (less_p(c, call, less, v[run], v[tmp])) tmp = run;
  if (tmp != lo) SWAPV(tmp, lo);
  for (int32_t run = lo + 2; run <= hi; run++) {
    tmp = run - 1;
    while (less_p(c, call, less, v[run], v[tmp])) {
      if (tmp == lo) buggy(c, call, op);
      tmp--;
    }
    tmp++;
    if (tmp != run) {
      value x = v[run];
      for (int32_t o = run; o > tmp; o--) v[o] = v[o - 1];
      v[tmp] = x;
    }
  }
}

/* (sort list-or-vector less): a new sorted list or vector; stable-sort
 * the same, by a merge sort for vectors too. */
static value sort_as(ev_ctx *c, const ast *call, value *a, const char *op) {
  world *w = ev_world(c);
  bool vec = a[0].kind == VK_VEC;
  int64_t len = vec ? a[0].vec->n : proper(c, call, 0, op, a[0]);
  if (len > TVL_INT_MAX / 2) ev_heap_full(c, call->loc);
  tvec *items = world_new_vec(w, (int32_t)len, v_int(0));
  tvec *tmp = items ? world_new_vec(w, (int32_t)len, v_int(0)) : NULL;
  tvec *st = tmp ? world_new_vec(w, SORT_STACK, v_int(0)) : NULL;
  if (!st) ev_heap_full(c, call->loc);
  if (vec) {
    if (len) memcpy(items->items, a[0].vec->items, (size_t)len * sizeof(value));
  } else {
    int32_t k = 0;
    for (value l = a[0]; l.kind == VK_PAIR; l = V_CDR(l)) items->items[k++] = V_CAR(l);
  }
  if (vec && op[0] == 's' && op[1] == 'o')
    quick_sort(c, call, a[1], items->items, st->items, (int32_t)len, op);
  else
    merge_step(c, call, a[1], items->items, tmp->items, 0, (int32_t)len, vec);
  if (vec) return v_vec(items);
  value l = v_nil();
  for (int32_t k = (int32_t)len - 1; k >= 0; k--) l = ev_cons(c, call->loc, items->items[k], l);
  return l;
}

static value bi_sort(ev_ctx *c, const ast *call, value *a, int n) {
  (void)n;
  return sort_as(c, call, a, "sort");
}

static value bi_stable_sort(ev_ctx *c, const ast *call, value *a, int n) {
  (void)n;
  return sort_as(c, call, a, "stable-sort");
}

/* ---- vectors ------------------------------------------------------------ */

static value bi_vector_copy(ev_ctx *c, const ast *call, value *a, int n) {
  int32_t len = a[0].vec->n;
  int32_t from = n > 1 ? a[1].i : 0, to = n > 2 ? a[2].i : len;
  if (from < 0 || from > len)
    bad_arg(c, call, 1, "vector-copy", "an index of the vector", a[1]);
  if (to < from || to > len)
    bad_arg(c, call, 2, "vector-copy", "an index of the vector from the start on", a[2]);
  tvec *t = world_new_vec(ev_world(c), to - from, v_int(0));
  if (!t) ev_heap_full(c, call->loc);
  if (to > from) memcpy(t->items, a[0].vec->items + from, (size_t)(to - from) * sizeof(value));
  return v_vec(t);
}

/* ---- integers ----------------------------------------------------------- */

static value int_result(ev_ctx *c, const ast *call, const char *op, value *a,
                        int n, int64_t r) {
  if (r >= TVL_INT_MIN && r <= TVL_INT_MAX) return v_int((int32_t)r);
  char text[160];
  int len = snprintf(text, sizeof text, "(%s", op);
  for (int i = 0; i < n && len < 120; i++)
    len += snprintf(text + len, sizeof text - (size_t)len, " %d", (int)a[i].i);
  ev_fail(c, call->loc, "overflow", "integer overflow: %s) is %lld, which does "
          "not fit in 32 bits", text, (long long)r);
}

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

static value bi_gcd(ev_ctx *c, const ast *call, value *a, int n) {
  int64_t r = 0;
  for (int i = 0; i < n; i++) r = gcd2(r, a[i].i);
  return int_result(c, call, "gcd", a, n, r);
}

/* (/ x y ...), (/ x): Guile divides exactly into rationals; tvl has only
 * integers, so the quotient is returned when every division is exact and
 * anything else stops: a divisor 0 (looked for first: Guile's division by
 * zero wins over a fraction, whatever comes first), then a fraction
 * (a/b/c is an integer only where every partial quotient is), then the
 * one quotient that does not fit (-2147483648 by -1).  The compiled code
 * (lower-division.c) says the same words. */
static value bi_div(ev_ctx *c, const ast *call, value *a, int n) {
  char text[8192];
  int len = snprintf(text, sizeof text, "(/");
  for (int i = 0; i < n && len < (int)sizeof text - 16; i++)
    len += snprintf(text + len, sizeof text - (size_t)len, " %d", (int)a[i].i);
  snprintf(text + len, sizeof text - (size_t)len, ")");
  int first = n == 1 ? 0 : 1;
  for (int i = first; i < n; i++)
    if (a[i].i == 0) {
      ev_note_div(c, "/");
      ev_fail(c, call->loc, "division", "division by zero: %s", text);
    }
  int64_t r = n == 1 ? 1 : a[0].i;
  for (int i = first; i < n; i++) {
    if (r % a[i].i)
      ev_fail(c, call->loc, "division", "/: %s is not an integer; tvl has no rationals", text);
    r /= a[i].i;
    if (r > TVL_INT_MAX)
      ev_fail(c, call->loc, "overflow", "integer overflow: (/ -2147483648 -1) is 2147483648, "
              "which does not fit in 32 bits");
  }
  return v_int((int32_t)r);
}

static value bi_lcm(ev_ctx *c, const ast *call, value *a, int n) {
  int64_t r = 1;
  for (int i = 0; i < n && r; i++) {
    int64_t x = a[i].i < 0 ? -(int64_t)a[i].i : a[i].i;
    if (x == 0) {
      r = 0;
      break;
    }
    r = r / gcd2(r, x) * x;
    if (r > TVL_INT_MAX) return int_result(c, call, "lcm", a, n, r);
  }
  return int_result(c, call, "lcm", a, n, r);
}

static value bi_inc(ev_ctx *c, const ast *call, value *a, int n) {
  return int_result(c, call, "1+", a, n, (int64_t)a[0].i + 1);
}

static value bi_dec(ev_ctx *c, const ast *call, value *a, int n) {
  return int_result(c, call, "1-", a, n, (int64_t)a[0].i - 1);
}

/* floor, ceiling, round, truncate, inexact->exact: the identity on the
 * exact integers (the kind is checked before the call). */
static value bi_identity_int(ev_ctx *c, const ast *call, value *a, int n) {
  (void)c, (void)call, (void)n;
  return a[0];
}

static value bi_exact(ev_ctx *c, const ast *call, value *a, int n) {
  (void)c, (void)call, (void)a, (void)n;
  return v_bool(true);   /* every number of tvl is an exact integer */
}

static value bi_exact_integer(ev_ctx *c, const ast *call, value *a, int n) {
  (void)c, (void)call, (void)n;
  return v_bool(a[0].kind == VK_INT);
}

static const arg_kind k_proc_proc[] = {AK_PROC, AK_PROC};
static const arg_kind k_proc_any[] = {AK_PROC, AK_ANY};
static const arg_kind k_any_proc[] = {AK_ANY, AK_PROC};
static const arg_kind k_any_int[] = {AK_ANY, AK_INT};
static const arg_kind k_vec_int_int[] = {AK_VEC, AK_INT, AK_INT};


/* Guile's procedure-name: a procedure's name as a symbol, #f for one
 * that has none (a lambda not bound by a definition or a let, a
 * continuation). */
static value bi_procedure_name(ev_ctx *c, const ast *call, value *a, int n) {
  (void)call, (void)n;
  world *w = ev_world(c);
  if (!a[0].vec) {
    const builtin *b = builtin_at((int)a[0].i);
    return b ? v_sym(sym_intern(&w->syms, b->name, strlen(b->name))) : v_bool(false);
  }
  const fn_def *fn = a[0].vec->tag == TV_CONT ? NULL : a[0].vec->fn;
  if (!fn || fn->name < 0 || strchr(sym_name(&w->syms, fn->name), ' '))
    return v_bool(false);   /* a name with a space is the expander's own */
  return v_sym(fn->name);
}

const builtin more_builtins[] = {
  {"procedure-name", 1, 1, AK_PROC, NULL, -1, bi_procedure_name, "the procedure's name, a symbol, or #f for an anonymous one", "calls of procedure-name"},
  {"values", 0, -1, AK_ANY, NULL, -1, bi_values, "return its arguments as several values (one: that value itself)", NULL},
  {"call-with-values", 2, 2, AK_ANY, k_proc_proc, -1, bi_call_with_values, "call the consumer with every value the producer (a procedure of no arguments) returns", NULL},
  {"iota", 1, 3, AK_INT, NULL, -1, bi_iota, "new list of count integers: start (default 0), start+step (default 1), ...", NULL},
  {"filter", 2, 2, AK_ANY, k_proc_any, -1, bi_filter, "new list of the elements the predicate is true of, in order", NULL},
  {"delete", 2, 2, AK_ANY, NULL, -1, bi_delete, "new list without the elements equal? to x", NULL},
  {"list-head", 2, 2, AK_ANY, k_any_int, -1, bi_list_head, "new list of the first k elements", NULL},
  {"make-list", 1, 2, AK_ANY, NULL, -1, bi_make_list, "new list of n elements, each the fill (default the empty list)", NULL},
  {"cons*", 1, -1, AK_ANY, NULL, -1, bi_cons_star, "the arguments consed onto the last one", NULL},
  {"assq-ref", 2, 2, AK_ANY, NULL, -1, bi_assq_ref, "the value of the pair whose car is eq? to the key in an association list, or #f", NULL},
  {"assoc-ref", 2, 2, AK_ANY, NULL, -1, bi_assoc_ref, "the value of the pair whose car is equal? to the key, or #f", NULL},
  {"sort", 2, 2, AK_ANY, k_any_proc, -1, bi_sort, "new list or vector of the elements in the order of less (Guile's: stable for lists)", NULL},
  {"stable-sort", 2, 2, AK_ANY, k_any_proc, -1, bi_stable_sort, "as sort, stable for vectors too", NULL},
  {"vector-copy", 1, 3, AK_ANY, k_vec_int_int, VK_VEC, bi_vector_copy, "new vector of the elements from start (default 0) to end", NULL},
  {"gcd", 0, -1, AK_INT, NULL, VK_INT, bi_gcd, "greatest common divisor (0 for none)", NULL},
  {"lcm", 0, -1, AK_INT, NULL, VK_INT, bi_lcm, "least common multiple (1 for none)", NULL},
  {"1+", 1, 1, AK_INT, NULL, VK_INT, bi_inc, "the integer plus one", NULL},
  {"1-", 1, 1, AK_INT, NULL, VK_INT, bi_dec, "the integer minus one", NULL},
  {"floor", 1, 1, AK_INT, NULL, VK_INT, bi_identity_int, "the largest integer not above the number: the integer itself", NULL},
  {"ceiling", 1, 1, AK_INT, NULL, VK_INT, bi_identity_int, "the smallest integer not below the number: the integer itself", NULL},
  {"round", 1, 1, AK_INT, NULL, VK_INT, bi_identity_int, "the closest integer: the integer itself", NULL},
  {"truncate", 1, 1, AK_INT, NULL, VK_INT, bi_identity_int, "the integer part: the integer itself", NULL},
  {"inexact->exact", 1, 1, AK_INT, NULL, VK_INT, bi_identity_int, "the exact number: the integer itself", NULL},
  {"exact?", 1, 1, AK_INT, NULL, VK_BOOL, bi_exact, "#t for a number: every number of tvl is exact", NULL},
  {"exact-integer?", 1, 1, AK_ANY, NULL, VK_BOOL, bi_exact_integer, "is an integer", NULL},
  {"/", 1, -1, AK_INT, NULL, VK_INT, bi_div, "exact quotient of the integers (of 1 by one); an error where it is a fraction", NULL},
};

const int more_builtins_n = (int)(sizeof more_builtins / sizeof more_builtins[0]);
