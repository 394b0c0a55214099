/* builtins-wind.c - dynamic-wind, catch and throw, with-exception-handler
 * and raise-exception, as Guile 3.0.8 has them without modules; the
 * evaluator does the work (eval.c ev_dynamic_wind, ev_catch, ev_throw,
 * ev_with_handler, ev_raise_exception).  Compiled code runs dynamic-wind,
 * catch and throw, with-exception-handler and raise-exception as
 * procedures written in tvl (lang/lower-wind.c, lang/lower-exn.c,
 * lib/prelude-wind.c). */
#include "lang.h"

#include <string.h>

static value bi_dynamic_wind(ev_ctx *c, const ast *call, value *a, int n) {
  (void)n;
  return ev_dynamic_wind(c, call, a[0], a[1], a[2]);
}

static value bi_catch(ev_ctx *c, const ast *call, value *a, int n) {
  (void)n;
  return ev_catch(c, call, a[0], a[1], a[2]);
}

static value bi_throw(ev_ctx *c, const ast *call, value *a, int n) {
  value args = v_nil();
  for (int i = n - 1; i >= 1; i--) args = ev_cons(c, call->loc, a[i], args);
  ev_throw(c, call->loc, a[0], args);
}

/* What (error msg irritant...) gives a catch: Guile's misc-error with
 * (#f "~A ~S ..." (msg irritant...) #f). */
void wind_error_thrown(ev_ctx *c, const ast *call, value *a, int n) {
  if (!ev_catching(c)) return;   /* nothing allocated for no catch */
  strbuf f;
  sb_init(&f);
  sb_puts(&f, "~A");
  for (int i = 1; i < n; i++) sb_puts(&f, " ~S");
  world *w = ev_world(c);
  value fmt = v_str(world_intern_string(w, f.s, strlen(f.s)));
  sb_free(&f);
  value items = v_nil();
  for (int i = n - 1; i >= 0; i--) items = ev_cons(c, call->loc, a[i], items);
  value l = ev_cons(c, call->loc, v_bool(false), v_nil());
  l = ev_cons(c, call->loc, items, l);
  l = ev_cons(c, call->loc, fmt, l);
  l = ev_cons(c, call->loc, v_bool(false), l);
  ev_set_thrown(c, v_sym(sym_intern(&w->syms, "misc-error", 10)), l);
}

/* Keyword arguments (the reader's #:unwind? and #:continuable?, symbols
 * the expander passes as constants): a[from] the keyword kw, a[from+1]
 * its value; false when left out. */
static bool keyword_flag(ev_ctx *c, const ast *call, value *a, int n, int from,
                         const char *op, const char *kw) {
  if (n <= from) return false;
  if (n != from + 2 || a[from].kind != VK_SYM ||
      strcmp(sym_name(&ev_world(c)->syms, (int)a[from].i), kw))
    ev_fail(c, call->loc, "type", "%s: expected %s and a value after the %s", op, kw,
            from == 2 ? "handler and the thunk" : "object");
  return v_truthy(a[from + 1]);
}

static value bi_with_exception_handler(ev_ctx *c, const ast *call, value *a, int n) {
  bool unwind = keyword_flag(c, call, a, n, 2, "with-exception-handler", "#:unwind?");
  if (a[0].kind != VK_PROC || a[1].kind != VK_PROC)
    ev_fail(c, call->loc, "type", "with-exception-handler: the handler and the thunk must be "
            "procedures");
  return ev_with_handler(c, call, a[0], a[1], unwind);
}

static value bi_raise_exception(ev_ctx *c, const ast *call, value *a, int n) {
  bool cont = keyword_flag(c, call, a, n, 1, "raise-exception", "#:continuable?");
  return ev_raise_exception(c, call, a[0], cont);
}

static const arg_kind throw_args[] = {AK_SYM};

const builtin wind_builtins[] = {
  {"dynamic-wind", 3, 3, AK_PROC, NULL, -1, bi_dynamic_wind, "call before, thunk and after (procedures of no arguments); the thunk's values; after also runs when an escape leaves the thunk", NULL},
  {"catch", 3, 3, AK_ANY, NULL, -1, bi_catch, "call thunk; a throw or error in it whose key is key (#t: any) calls handler with the key and the arguments instead", NULL},
  {"throw", 1, -1, AK_ANY, throw_args, -1, bi_throw, "leave for the innermost catch of this key, whose handler gets the key and the arguments", NULL},
  {"with-exception-handler", 2, 4, AK_ANY, NULL, -1, bi_with_exception_handler, "call thunk; raise-exception in it calls handler with the object (#:unwind? #t: where with-exception-handler was called, its value then with-exception-handler's)", NULL},
  {"raise-exception", 1, 3, AK_ANY, NULL, -1, bi_raise_exception, "call the innermost exception handler with the object (#:continuable? #t: its value is raise-exception's)", NULL},
};

const int wind_builtins_n = (int)(sizeof wind_builtins / sizeof wind_builtins[0]);
