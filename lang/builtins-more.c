/* builtins-more.c - multiple values (values, call-with-values) and iota,
 * as the reference evaluator runs them (GNU Guile 3's behaviour).  How a
 * result of several values travels is eval.c's (ev_values). */
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

static const arg_kind k_proc_proc[] = {AK_PROC, AK_PROC};

#define VALUES "multiple values"

const builtin more_builtins[] = {
  {"values", 0, -1, AK_ANY, NULL, -1, bi_values, "return its arguments as several values (one: that value itself)", VALUES},
  {"call-with-values", 2, 2, AK_ANY, k_proc_proc, -1, bi_call_with_values, "call the consumer with every value the producer (a procedure of no arguments) returns", VALUES},
  {"iota", 1, 3, AK_INT, NULL, -1, bi_iota, "new list of count integers: start (default 0), start+step (default 1), ...", "lists"},
};

const int more_builtins_n = (int)(sizeof more_builtins / sizeof more_builtins[0]);
