/* builtins-wind.c - dynamic-wind, catch and throw, as Guile 3.0.8 has
 * them; the evaluator does the work (eval.c ev_dynamic_wind, ev_catch,
 * ev_throw).  Compiled code runs none of them yet (evaluator_only). */
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

#define WIND "dynamic-wind, catch and throw"

static const arg_kind throw_args[] = {AK_SYM};

const builtin wind_builtins[] = {
  {"dynamic-wind", 3, 3, AK_PROC, NULL, -1, bi_dynamic_wind, "call before, thunk and after (procedures of no arguments); the thunk's values; after also runs when an escape leaves the thunk", WIND},
  {"catch", 3, 3, AK_ANY, NULL, -1, bi_catch, "call thunk; a throw or error in it whose key is key (#t: any) calls handler with the key and the arguments instead", WIND},
  {"throw", 1, -1, AK_ANY, throw_args, -1, bi_throw, "leave for the innermost catch of this key, whose handler gets the key and the arguments", WIND},
};

const int wind_builtins_n = (int)(sizeof wind_builtins / sizeof wind_builtins[0]);
