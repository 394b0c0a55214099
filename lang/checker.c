/* checker.c - resolves every name, lays out frames, marks tail calls and
 * rejects what is wrong before anything runs: unbound names, wrong arity,
 * procedures used as values, and argument kinds known statically.
 *
 * Frames: every function (and the top-level form itself) gets one frame;
 * parameters take the first slots, every let-bound variable of the body
 * (outside nested functions) a further slot, reused once its let ends.
 */
#include "config.h"

#include "lang.h"
#include "checker-early.h"

#include <string.h>

typedef struct scope_entry {
  int name;
  bool is_fn;
  int slot;        /* variable */
  fn_def *fn;      /* function */
  int nest;        /* nesting level of the function whose frame holds it */
  bool *boxed;     /* where to say that the variable needs a box */
  bool captured;   /* referenced from inside a lambda value, or a local
                      procedure that is not a loop */
  bool assigned;   /* set! somewhere, or a letrec variable */
  int lvar;        /* a letrec variable: its id in checker-early.c, or -1 */
} scope_entry;

/* A letrec variable's init being checked (checker-early.c). */
typedef struct {
  int first;       /* the letrec's first variable id */
  int i;           /* the init's index */
  bool parallel;   /* of a letrec whose inits all run first */
} open_init;

typedef struct {
  fn_def *fn;      /* a lambda value being checked */
  int nest;        /* its nesting level */
} open_lambda;

typedef struct {
  world *w;
  lang_error *err;
  bool failed;
  VEC(scope_entry) scope;
  int nest;          /* current function nesting level */
  int next_slot;     /* first free slot of the current frame */
  int max_slot;      /* frame size so far */
  fn_def *fn;        /* current function, NULL at top level */
  const int *later;
  int nlater;
  int defining;      /* symbol of the function being defined, or -1 */
  fn_def *defining_fn;
  warn_fn warn;
  void *warn_ctx;
  VEC(open_lambda) lams;
  early_an *ea;      /* reads of letrec variables before their init */
  int unit;          /* the code being checked, for ea; -1: top level */
  VEC(open_init) inits;
  int inits_base;    /* the inits open in the current procedure */
} ck;

static void check(ck *c, ast *a, bool tail);

static const char *nm(ck *c, int sym) { return sym_name(&c->w->syms, sym); }

static void fail(ck *c, srcloc loc, const char *fmt, ...) TVL_PRINTF(3, 4);
static void fail(ck *c, srcloc loc, const char *fmt, ...) {
  if (c->failed) return;
  strbuf b;
  sb_init(&b);
  va_list ap;
  va_start(ap, fmt);
  sb_vprintf(&b, fmt, ap);
  va_end(ap);
  lang_error_set(c->err, loc, "check", "%s", b.s);
  sb_free(&b);
  c->failed = true;
}

static bool later_defined(ck *c, int name) {
  if (name == c->defining) return true;
  for (int i = 0; i < c->nlater; i++)
    if (c->later[i] == name) return true;
  return false;
}

static void push_var(ck *c, int name, int slot, bool *boxed, bool assigned) {
  scope_entry e = {name, false, slot, NULL, c->nest, boxed, false, assigned, -1};
  VEC_PUSH(c->scope, e);
}

static void push_fn(ck *c, int name, fn_def *fn) {
  scope_entry e = {name, true, 0, fn, c->nest, NULL, false, false, -1};
  VEC_PUSH(c->scope, e);
}

/* Leaves a scope: a variable both captured and assigned lives in a box,
 * so that the closures and the frame share it. */
static void pop_scope(ck *c, int save) {
  for (int i = save; i < c->scope.n; i++) {
    scope_entry *e = &c->scope.v[i];
    if (e->boxed) *e->boxed = e->captured && e->assigned;
  }
  c->scope.n = save;
}

static int alloc_slot(ck *c) {
  int s = c->next_slot++;
  if (c->next_slot > c->max_slot) c->max_slot = c->next_slot;
  return s;
}

/* A local name seen from nesting level `nest`, inside the open lambdas
 * 0..li: a name bound outside lambda li is one of its captured
 * variables, whose source is found the same way where the lambda is
 * evaluated. */
static ref_info local_ref(ck *c, int ei, int li, int nest) {
  scope_entry *e = &c->scope.v[ei];
  ref_info r = {0};
  if (li < 0 || e->nest >= c->lams.v[li].nest) {
    r.depth = nest - e->nest;
    if (e->is_fn) {
      r.kind = REF_LOCALFN;
      r.fn = e->fn;
    } else {
      r.kind = REF_LOCAL;
      r.slot = e->slot;
    }
    return r;
  }
  if (e->is_fn) {   /* the expander makes such procedures closures */
    r.kind = REF_UNRESOLVED;
    return r;
  }
  e->captured = true;
  fn_def *f = c->lams.v[li].fn;
  int k = 0;
  while (k < f->ncaps && f->cap_names[k] != e->name) k++;
  if (k == f->ncaps) {
    if (k >= f->cap_max) {
      r.kind = REF_UNRESOLVED;
      return r;
    }
    f->ncaps++;
    f->cap_names[k] = e->name;
    f->cap_src[k] = local_ref(c, ei, li - 1, c->lams.v[li].nest - 1);
  }
  r.kind = REF_CAPTURED;
  r.depth = nest - c->lams.v[li].nest;
  r.slot = k;
  return r;
}

static int find_local_index(ck *c, int name) {
  for (int i = c->scope.n - 1; i >= 0; i--)
    if (c->scope.v[i].name == name) return i;
  return -1;
}

/* What a name means here. */
static ref_info resolve(ck *c, int name) {
  ref_info r = {0};
  int ei = find_local_index(c, name);
  if (ei >= 0) {
    r = local_ref(c, ei, c->lams.n - 1, c->nest);
    /* from inside a local procedure (not a loop) of the variable's own:
     * assigned, it lives in a box too, which compiled code passes to the
     * procedure where that cannot reach the frame (a procedure that may
     * run several times at once: lang/lower-proc.c lw_lift_local) */
    if (r.kind == REF_LOCAL && r.depth > 0)
      for (const fn_def *f = c->fn; f && f->nest > c->scope.v[ei].nest; f = f->parent)
        if (!f->is_loop && !f->closure) c->scope.v[ei].captured = true;
    if (r.kind == REF_UNRESOLVED)
      fail(c, c->scope.v[ei].fn ? c->scope.v[ei].fn->loc : (srcloc){-1, 0, 0},
           "internal: %s cannot be reached from this lambda", nm(c, name));
    return r;
  }
  gcell *g = world_find(c->w, name);
  const builtin *b = builtin_find(nm(c, name));
  if (b && !c->w->srfi1 && builtin_srfi1(b)) b = NULL;   /* as in Guile */
  if (g && g->kind != G_UNDEFINED) {
    r.kind = REF_GLOBAL;
    r.cell = g;
    return r;
  }
  if (later_defined(c, name) && (!b || name == c->defining || c->fn)) {
    /* a builtin redefined further down: in a procedure body it means the
     * builtin while the name is undefined (ref_is_builtin_now); code that
     * runs now sees the builtin */
    r.kind = REF_GLOBAL;
    r.cell = world_cell(c->w, name);
    if (name != c->defining) r.bi = b;
    return r;
  }
  if (b) {
    r.kind = REF_BUILTIN;
    r.bi = b;
    return r;
  }
  r.kind = REF_UNRESOLVED;
  return r;
}

/* A read of a local name: a letrec variable read where its init may not
 * have run yet goes to checker-early.c, from a nested procedure (which
 * an init may call) or from an init of the same letrec at or before the
 * variable's own. */
static void note_read(ck *c, int name, ref_info *r, srcloc loc) {
  if (r->kind != REF_LOCAL && r->kind != REF_CAPTURED) return;
  int ei = find_local_index(c, name);
  if (ei < 0 || c->scope.v[ei].lvar < 0) return;
  const scope_entry *e = &c->scope.v[ei];
  if (e->nest < c->nest) {
    ea_read(c->ea, c->unit, e->lvar, r, loc);
    return;
  }
  int k = ea_var_index(c->ea, e->lvar);
  for (int j = c->inits_base; j < c->inits.n; j++)
    if (c->inits.v[j].first == e->lvar - k && (c->inits.v[j].i <= k || c->inits.v[j].parallel)) {
      ea_direct(c->ea, e->lvar, r, loc);
      return;
    }
}

/* Why a name a Scheme programmer expects is missing, or "". */
static const char *missing_hint(const char *name) {
  if (!strcmp(name, "help")) return " (:help lists the commands, forms and builtins)";
  if (!strcmp(name, "quit") || !strcmp(name, "exit"))
    return " ((exit) as a form of its own, :quit or Ctrl-D leaves tvl)";
  if (!strncmp(name, "string", 6) || strstr(name, "->string") ||
      !strcmp(name, "substring"))
    return " (tvl(1) and :help list the string procedures tvl has)";
  return "";
}

/* missing_hint, or " (did you mean NAME?)" with the closest of the names
 * in scope here, the globals, the builtins and the special forms. */
static const char *hint_for(ck *c, int name, strbuf *buf) {
  const char *h = missing_hint(nm(c, name));
  if (*h) return h;
  static const char *const forms[] = {
    "define", "deftable", "lambda", "let", "let*", "letrec", "letrec*", "if",
    "cond", "case", "when", "unless", "and", "or", "begin", "set!", "do",
    "while", "quote", "extern", "use-modules", NULL};
  near_word nw;
  near_init(&nw, nm(c, name));
  for (int i = 0; i < c->scope.n; i++) near_try(&nw, nm(c, c->scope.v[i].name));
  for (int i = 0; i < c->w->globals.n; i++)
    if (c->w->globals.v[i] && c->w->globals.v[i]->kind != G_UNDEFINED)
      near_try(&nw, nm(c, i));
  for (int i = 0; builtin_at(i); i++) near_try(&nw, builtin_at(i)->name);
  for (int i = 0; forms[i]; i++) near_try(&nw, forms[i]);
  if (!nw.best) return "";
  sb_printf(buf, " (did you mean %s?)", nw.best);
  return buf->s;
}

/* An unknown global: an error where it would run now, a warning inside a
 * function body (it may be defined before the function is called). */
static ref_info unknown_global(ck *c, int name, srcloc loc) {
  ref_info r = {0};
  strbuf hb;
  sb_init(&hb);
  if (!c->fn) {
    fail(c, loc, "unbound variable %s%s", nm(c, name), hint_for(c, name, &hb));
    sb_free(&hb);
    return r;
  }
  if (c->warn) {
    strbuf b;
    sb_init(&b);
    const char *hint = hint_for(c, name, &hb);
    sb_printf(&b, "%s is not defined%s", nm(c, name), *hint ? hint : " (yet)");
    c->warn(c->warn_ctx, loc, b.s);
    sb_free(&b);
  }
  sb_free(&hb);
  r.kind = REF_GLOBAL;
  r.cell = world_cell(c->w, name);
  return r;
}

/* The kind of an expression when it is known without running it; -1 if
 * not.  Used only to reject calls that could never succeed.  Follows the
 * else branches and bodies in a loop: cond and let* chains can be long. */
static int static_kind(const ast *a) {
  int seen = -2;   /* the kind every branch so far agrees on; -2: none yet */
  for (;;) {
    int k;
    switch (a->kind) {
    case E_IF: {
      int t = static_kind(a->u.iff.t);
      if (t < 0 || (seen != -2 && t != seen)) return -1;
      seen = t;
      a = a->u.iff.e;
      continue;
    }
    case E_BEGIN: a = a->u.seq.v[a->u.seq.n - 1]; continue;
    case E_LET: case E_LETREC: a = a->u.let.body; continue;
    case E_CONST: k = a->u.k.kind; break;
    case E_VECLIT: k = VK_VEC; break;
    case E_LAMBDA: k = VK_PROC; break;
    case E_SET: k = VK_VOID; break;
    case E_CALL:
      k = a->u.call.r.kind == REF_BUILTIN ? a->u.call.r.bi->result : -1;
      break;
    default: k = -1; break;
    }
    return seen == -2 || k == seen ? k : -1;
  }
}

/* Whether an expression's value may be a procedure. */
static bool may_be_proc(const ast *a) {
  if (a->kind == E_REF) return a->u.ref.r.kind != REF_BUILTIN;
  if (a->kind == E_CONST) return a->u.k.kind == VK_PROC;
  int k = static_kind(a);
  return k < 0 || k == VK_PROC;
}

/* What a builtin call may call, for checker-early.c: its arguments in
 * procedure positions (map's first, not its lists), or for a builtin
 * without such positions, one passed where anything goes to a builtin
 * that does more than keep or compare it (catch's thunk, a predicate of
 * string-index).  A lambda or a local procedure is followed; any other
 * value that may be a procedure is a call the checker cannot follow. */
static void note_builtin_call(ck *c, const builtin *b, const ast *call) {
  static const char *const keeps[] = {
    "list", "cons", "cons*", "vector", "append", "eq?", "eqv?", "equal?",
    "not", "procedure?", "null?", "pair?", "list?", "vector?", "display",
    "write", "vector-set!", "set-car!", "set-cdr!", "vector-fill!",
    "values", "boolean?", "number?", "integer?", "string?", "symbol?", NULL};
  bool keep = false, procs = false;
  for (int i = 0; keeps[i] && !keep; i++) keep = !strcmp(b->name, keeps[i]);
  int n = b->max_args >= 0 && call->u.call.n > b->max_args ? b->max_args : call->u.call.n;
  for (int i = 0; i < n; i++) procs |= builtin_arg_kind(b, i) == AK_PROC;
  for (int i = 0; i < n; i++) {
    arg_kind k = builtin_arg_kind(b, i);
    if (k != AK_PROC && (procs || keep || k != AK_ANY)) continue;
    const ast *x = call->u.call.args[i];
    if (x->kind == E_LAMBDA)
      ea_call(c->ea, c->unit, ea_fn_unit(c->ea, x->u.lam.fn));
    else if (x->kind == E_REF && x->u.ref.r.kind == REF_LOCALFN)
      ea_call(c->ea, c->unit, ea_fn_unit(c->ea, x->u.ref.r.fn));
    else if (may_be_proc(x))
      ea_unknown(c->ea, c->unit);
  }
}

static bool kind_ok(arg_kind want, int have) {
  if (have < 0 || want == AK_ANY) return true;
  switch (want) {
  case AK_INT: return have == VK_INT;
  case AK_VEC: return have == VK_VEC;
  case AK_BOOL: return have == VK_BOOL;
  case AK_PAIR: return have == VK_PAIR;
  case AK_PROC: return have == VK_PROC;
  default: return true;
  }
}

const char *ck_arg_kind_name(arg_kind k) {
  switch (k) {
  case AK_INT: return "an integer";
  case AK_VEC: return "a vector";
  case AK_BOOL: return "a boolean";
  case AK_PAIR: return "a pair";
  case AK_PROC: return "a procedure";
  default: return "a value";
  }
}

static void check_arity(ck *c, const ast *call, const char *what, int min,
                        int max) {
  int n = call->u.call.n;
  if (n >= min && (max < 0 || n <= max)) return;
  const char *name = nm(c, call->u.call.name);
  if (min == max)
    fail(c, call->loc, "%s %s takes %d argument%s, but %d %s given", what,
         name, min, min == 1 ? "" : "s", n, n == 1 ? "was" : "were");
  else if (max < 0)
    fail(c, call->loc, "%s %s takes at least %d argument%s, but %d %s given",
         what, name, min, min == 1 ? "" : "s", n, n == 1 ? "was" : "were");
  else
    fail(c, call->loc, "%s %s takes %d to %d arguments, but %d %s given",
         what, name, min, max, n, n == 1 ? "was" : "were");
}

/* A builtin call whose argument is of a kind known to be wrong cannot
 * succeed; it is marked, and compiled code raises the evaluator's error
 * where the call is reached (after its arguments), not before the form
 * runs: the evaluator reports it only when reached. */
static void check_builtin_args(ck *c, ast *call, const builtin *b) {
  call->u.call.bad_arg = 0;
  if (!c->w->strict_kinds) return;   /* the evaluator finds them when run */
  /* a comparison checks its third argument and those after it only when
   * the ones before compare true (builtin_pairwise) */
  int upto = builtin_pairwise(b) ? (call->u.call.n < 2 ? 0 : 2) : call->u.call.n;
  for (int i = 0; i < upto && i < 127; i++) {
    int have = static_kind(call->u.call.args[i]);
    if (!kind_ok(builtin_arg_kind(b, i), have)) {
      call->u.call.bad_arg = (signed char)(i + 1);
      call->u.call.bad_kind = (signed char)have;
      return;
    }
  }
}

/* The tvl kind a C argument type takes. */
static int xtype_kind(xtype t) { return t == XT_STRING ? VK_STR : VK_INT; }

static void check_extern_args(ck *c, const ast *call, const extern_def *x) {
  if (!c->w->strict_kinds) return;
  for (int i = 0; i < call->u.call.n && !c->failed; i++) {
    int want = xtype_kind(x->args[i]);
    int have = static_kind(call->u.call.args[i]);
    if (have >= 0 && have != want)
      fail(c, call->u.call.args[i]->loc, "%s: argument %d must be %s (%s), "
           "not %s", nm(c, call->u.call.name), i + 1, vkind_name((vkind)want),
           xtype_name(x->args[i]), vkind_name((vkind)have));
  }
}

static void check_fn_body(ck *c, fn_def *f);

static void check_fn_arity(ck *c, const ast *call, const fn_def *f) {
  if (f->variadic) check_arity(c, call, "procedure", f->nparams - 1, -1);
  else check_arity(c, call, "procedure", f->nparams, f->nparams);
}

/* (op args ...) with op an expression. */
static void check_apply(ck *c, ast *a, bool tail) {
  a->u.call.tail = tail;
  ea_unknown(c->ea, c->unit);
  check(c, a->u.call.op, false);
  for (int i = 0; i < a->u.call.n; i++) check(c, a->u.call.args[i], false);
}

/* A lambda value: a frame of its own, and no static link: what it uses
 * from outside is captured when it is evaluated. */
static void check_lambda(ck *c, ast *a) {
  fn_def *f = a->u.lam.fn;
  f->nest = c->nest + 1;
  f->parent = c->fn;
  f->ncaps = 0;
  ea_escape(c->ea, ea_fn_unit(c->ea, f), c->unit);   /* any call may run it */
  open_lambda l = {f, f->nest};
  VEC_PUSH(c->lams, l);
  check_fn_body(c, f);
  c->lams.n--;
}

static void check_call(ck *c, ast *a, bool tail) {
  a->u.call.tail = tail;
  /* The operator first, as an unknown one is the more useful error.  The
   * expander binds the calls it makes itself (case's eqv?). */
  ref_info r = a->u.call.r.kind == REF_BUILTIN ? a->u.call.r
                                                : resolve(c, a->u.call.name);
  if (r.kind == REF_UNRESOLVED)
    r = unknown_global(c, a->u.call.name, a->u.call.name_loc);
  if (c->failed) return;
  for (int i = 0; i < a->u.call.n; i++) check(c, a->u.call.args[i], false);
  if (c->failed) return;
  a->u.call.r = r;
  if (r.kind == REF_BUILTIN && !strcmp(r.bi->name, "with-exception-handler") &&
      a->u.call.n >= 2 && ast_blind_handler(a->u.call.args[0]) &&
      !(a->u.call.n == 4 && a->u.call.args[3]->kind == E_CONST &&
        a->u.call.args[3]->u.k.kind == VK_BOOL && a->u.call.args[3]->u.k.i))
    c->w->here_handlers = true;   /* lower-exn.c: errors may reach it where they are */
  switch (r.kind) {   /* what the call may run, for checker-early.c */
  case REF_LOCALFN:
    ea_call(c->ea, c->unit, ea_fn_unit(c->ea, r.fn));
    break;
  case REF_LOCAL:
  case REF_CAPTURED:
    note_read(c, a->u.call.name, &a->u.call.r, a->u.call.name_loc);
    ea_unknown(c->ea, c->unit);
    break;
  case REF_BUILTIN:
    note_builtin_call(c, r.bi, a);
    break;
  case REF_GLOBAL:
    if (r.cell->kind != G_TABLE && r.cell->kind != G_EXTERN) ea_unknown(c->ea, c->unit);
    break;
  default:
    break;
  }
  switch (r.kind) {
  case REF_LOCAL:
  case REF_CAPTURED:
    return;   /* a procedure value, or a run-time error */
  case REF_LOCALFN:
    check_fn_arity(c, a, r.fn);
    return;
  case REF_BUILTIN:
    check_arity(c, a, "builtin", r.bi->min_args, r.bi->max_args);
    if (!c->failed) check_builtin_args(c, a, r.bi);
    return;
  case REF_GLOBAL:
    if (a->u.call.name == c->defining) {
      check_fn_arity(c, a, c->defining_fn);
      return;
    }
    if (later_defined(c, a->u.call.name)) return; /* checked when called */
    switch (r.cell->kind) {
    case G_FUNC:
      check_fn_arity(c, a, r.cell->fn);
      return;
    case G_TABLE:
      check_arity(c, a, "table", 1, 1);
      return;
    case G_EXTERN:
      check_arity(c, a, "C function", r.cell->ext->nargs, r.cell->ext->nargs);
      if (!c->failed) check_extern_args(c, a, r.cell->ext);
      return;
    case G_VAR:
      /* compiled code calls no values; the evaluator calls a procedure
       * value and finds anything else at run time */
      if (c->w->strict_kinds && r.cell->val.kind != VK_PROC)
        fail(c, a->u.call.name_loc, "%s is a variable, not a procedure",
             nm(c, a->u.call.name));
      return;
    default:
      return;
    }
  default:
    return;
  }
}

/* "table" or "C function" when a name means one (and so is not a value),
 * NULL for a variable or a procedure. */
static const char *ref_what(const ref_info *r) {
  if (r->kind == REF_GLOBAL && r->cell->kind == G_TABLE) return "table";
  if (r->kind == REF_GLOBAL && r->cell->kind == G_EXTERN) return "C function";
  return NULL;
}

static void check_ref(ck *c, ast *a) {
  ref_info r = resolve(c, a->u.ref.name);
  if (r.kind == REF_UNRESOLVED) r = unknown_global(c, a->u.ref.name, a->loc);
  if (c->failed) return;
  a->u.ref.r = r;
  note_read(c, a->u.ref.name, &a->u.ref.r, a->loc);
  if (r.kind == REF_LOCALFN) ea_escape(c->ea, ea_fn_unit(c->ea, r.fn), c->unit);
  const char *what = ref_what(&r);
  if (what)
    fail(c, a->loc, "%s is a %s, not a value: call it, do not pass it",
         nm(c, a->u.ref.name), what);
}

static void check_set(ck *c, ast *a) {
  check(c, a->u.set.val, false);
  if (c->failed) return;
  int ei = find_local_index(c, a->u.set.name);
  if (ei >= 0) c->scope.v[ei].assigned = true;
  if (ei >= 0 && c->scope.v[ei].lvar >= 0) ea_assigned(c->ea, c->scope.v[ei].lvar);
  ref_info r = resolve(c, a->u.set.name);
  if (r.kind == REF_UNRESOLVED) {
    if (c->fn) {
      r = unknown_global(c, a->u.set.name, a->loc);
    } else {
      fail(c, a->loc, "cannot set! %s: it is not defined",
           nm(c, a->u.set.name));
      return;
    }
  }
  a->u.set.r = r;
  const char *what = ref_what(&r);
  if (!what && r.kind == REF_LOCALFN) what = "procedure";
  if (!what && r.kind == REF_BUILTIN) what = "builtin";
  if (!what && r.kind == REF_GLOBAL && r.cell->kind == G_FUNC) what = "procedure";
  if (what)
    fail(c, a->loc, "cannot set! %s: it is a %s; use define to replace it",
         nm(c, a->u.set.name), what);
}

/* let: inits see the outer scope; slots are reserved first so that
 * temporaries of the inits cannot land on them.  A let whose body is
 * another let (let* expands to such chains) is handled in the same loop,
 * so a long chain does not recurse. */
static void check_let(ck *c, ast *a, bool tail) {
  int save_slot = c->next_slot, save_scope = c->scope.n;
  for (;;) {
    for (int i = 0; i < a->u.let.n; i++) {
      let_binding *b = &a->u.let.v[i];
      if (!b->fn) b->slot = alloc_slot(c);
    }
    for (int i = 0; i < a->u.let.n && !c->failed; i++) {
      let_binding *b = &a->u.let.v[i];
      if (b->fn) {
        b->fn->nest = c->nest + 1;
        b->fn->parent = c->fn;
        check_fn_body(c, b->fn);
      } else {
        check(c, b->init, false);
      }
    }
    for (int i = 0; i < a->u.let.n; i++) {
      let_binding *b = &a->u.let.v[i];
      if (b->fn) push_fn(c, b->name, b->fn);
      else push_var(c, b->name, b->slot, &b->boxed, false);
    }
    if (c->failed || a->u.let.body->kind != E_LET) break;
    a = a->u.let.body;
  }
  check(c, a->u.let.body, tail);
  pop_scope(c, save_scope);
  c->next_slot = save_slot;
}

/* letrec: every name is visible in every init and function body. */
static void check_letrec(ck *c, ast *a, bool tail) {
  int save_slot = c->next_slot, save_scope = c->scope.n;
  int first = ea_letrec(c->ea, a);
  for (int i = 0; i < a->u.let.n; i++) {
    let_binding *b = &a->u.let.v[i];
    if (b->fn) {
      b->fn->nest = c->nest + 1;
      b->fn->parent = c->fn;
      push_fn(c, b->name, b->fn);
    } else {
      b->slot = alloc_slot(c);
      push_var(c, b->name, b->slot, &b->boxed, true);
      c->scope.v[c->scope.n - 1].lvar = first + i;
    }
  }
  for (int i = 0; i < a->u.let.n && !c->failed; i++) {
    let_binding *b = &a->u.let.v[i];
    if (b->fn) {
      check_fn_body(c, b->fn);
      continue;
    }
    int save_unit = c->unit;
    c->unit = ea_init_unit(c->ea, first + i, c->unit);
    open_init oi = {first, i, a->u.let.parallel};
    VEC_PUSH(c->inits, oi);
    check(c, b->init, false);
    c->inits.n--;
    c->unit = save_unit;
  }
  check(c, a->u.let.body, tail);
  pop_scope(c, save_scope);
  c->next_slot = save_slot;
}

/* A function body gets a frame of its own. */
static void check_fn_body(ck *c, fn_def *f) {
  int save_nest = c->nest, save_next = c->next_slot, save_max = c->max_slot;
  fn_def *save_fn = c->fn;
  int save_unit = c->unit, save_inits = c->inits_base;
  c->unit = ea_fn_unit(c->ea, f);
  c->inits_base = c->inits.n;
  c->nest = f->nest;
  c->fn = f;
  c->next_slot = 0;
  c->max_slot = 0;
  int save_scope = c->scope.n;
  for (int i = 0; i < f->nparams; i++)
    push_var(c, f->params[i], alloc_slot(c),
             f->param_boxed ? &f->param_boxed[i] : NULL, false);
  check(c, f->body, true);
  f->frame_size = c->max_slot;
  pop_scope(c, save_scope);
  c->nest = save_nest;
  c->fn = save_fn;
  c->unit = save_unit;
  c->inits_base = save_inits;
  c->next_slot = save_next;
  c->max_slot = save_max;
}

/* The last part of an if, begin, and or or is checked by looping, not
 * recursing: cond chains can be thousands of clauses long. */
static void check(ck *c, ast *a, bool tail) {
  for (;;) {
    if (c->failed) return;
    switch (a->kind) {
    case E_CONST:
      return;
    case E_REF:
      check_ref(c, a);
      return;
    case E_SET:
      check_set(c, a);
      return;
    case E_IF:
      check(c, a->u.iff.c, false);
      check(c, a->u.iff.t, tail);
      a = a->u.iff.e;
      continue;
    case E_BEGIN:
    case E_AND:
    case E_OR:
      for (int i = 0; i + 1 < a->u.seq.n; i++) check(c, a->u.seq.v[i], false);
      a = a->u.seq.v[a->u.seq.n - 1];
      continue;
    case E_VECLIT:
      for (int i = 0; i < a->u.seq.n; i++) check(c, a->u.seq.v[i], false);
      return;
    case E_LET:
      check_let(c, a, tail);
      return;
    case E_LETREC:
      check_letrec(c, a, tail);
      return;
    case E_CALL:
      check_call(c, a, tail);
      return;
    case E_APPLY:
      check_apply(c, a, tail);
      return;
    case E_LAMBDA:
      check_lambda(c, a);
      return;
    case E_EXTERN:
      fail(c, a->loc, "extern is only allowed at top level");
      return;
    case E_DEFINE:
    case E_DEFTABLE:
      fail(c, a->loc, "definitions are only allowed at top level or at the "
                      "start of a body");
      return;
    }
  }
}

static void warn_hiding(ck *c, int name, srcloc loc) {
  const builtin *b = builtin_find(nm(c, name));
  if (b && !builtin_library(b) && c->warn)
    c->warn(c->warn_ctx, loc,
            "this definition hides the builtin of the same name");
}

static void check_define(ck *c, ast *a) {
  int name = a->u.def.name;
  warn_hiding(c, name, a->u.def.name_loc);
  if (a->u.def.fn) {
    fn_def *f = a->u.def.fn;
    f->nest = 1;
    f->parent = NULL;
    /* The function's own name resolves to its global cell even on its
     * first definition, so that recursion works. */
    int save = c->defining;
    fn_def *save_fn = c->defining_fn;
    c->defining = name;
    c->defining_fn = f;
    check_fn_body(c, f);
    c->defining = save;
    c->defining_fn = save_fn;
  } else {
    check(c, a->u.def.val, false);
  }
}

/* (set! f e) at top level where f is a global procedure: Guile replaces
 * the procedure; here it is (define f e), which the evaluator and the
 * compiler know (set! of a procedure inside a body is still refused). */
static void set_to_define(world *w, ast *a) {
  if (a->kind != E_SET) return;
  gcell *g = world_find(w, a->u.set.name);
  if (!g || g->kind != G_FUNC) return;
  int name = a->u.set.name;
  ast *val = a->u.set.val;
  a->kind = E_DEFINE;
  a->u.def.name = name;
  a->u.def.name_loc = a->loc;
  a->u.def.val = val;
  a->u.def.fn = NULL;
}

bool ck_check_toplevel(world *w, ast *form, int *toplevel_frame,
                       const int *later, int nlater, warn_fn warn,
                       void *warn_ctx, lang_error *err) {
  ck c = {0};
  c.w = w;
  c.err = err;
  c.defining = -1;
  c.warn = warn;
  c.warn_ctx = warn_ctx;
  c.ea = ea_new();
  c.unit = -1;
  /* Names defined by a top-level begin are known to the rest of it. */
  int_vec names = {0};
  for (int i = 0; i < nlater; i++) VEC_PUSH(names, later[i]);
  set_to_define(w, form);
  if (form->kind == E_BEGIN)
    for (int i = 0; i < form->u.seq.n; i++) {
      ast *a = form->u.seq.v[i];
      set_to_define(w, a);
      if (a->kind == E_DEFINE) VEC_PUSH(names, a->u.def.name);
      if (a->kind == E_DEFTABLE) VEC_PUSH(names, a->u.table.name);
      if (a->kind == E_EXTERN) VEC_PUSH(names, a->u.ext.name);
    }
  c.later = names.v;
  c.nlater = names.n;
  if (form->kind == E_BEGIN) {
    for (int i = 0; i < form->u.seq.n && !c.failed; i++) {
      ast *a = form->u.seq.v[i];
      if (a->kind == E_DEFINE) check_define(&c, a);
      else if (a->kind == E_EXTERN) warn_hiding(&c, a->u.ext.name, a->u.ext.name_loc);
      else if (a->kind != E_DEFTABLE) check(&c, a, false);
    }
  } else if (form->kind == E_DEFINE) {
    check_define(&c, form);
  } else if (form->kind == E_EXTERN) {
    warn_hiding(&c, form->u.ext.name, form->u.ext.name_loc);
  } else if (form->kind != E_DEFTABLE) {
    check(&c, form, false);
  }
  if (!c.failed) ea_finish(c.ea);
  ea_free(c.ea);
  VEC_FREE(c.inits);
  VEC_FREE(c.scope);
  VEC_FREE(c.lams);
  VEC_FREE(names);
  *toplevel_frame = c.max_slot;
  return !c.failed;
}

/* ---- what compiled code cannot run yet ------------------------------ */

/* The transformer does not run lists, closures, procedures as values or
 * variadic procedures yet: such a form is refused before lowering, at the
 * first place that needs them, never compiled into a wrong answer. */
typedef struct {
  world *w;
  lang_error *err;
  bool failed;
  const char *what;           /* what was refused */
  VEC(const fn_def *) seen;   /* global procedures walked already */
} gate;

#define GATE_HINT " are not compiled to the transformer yet (run with " \
                  "--reference to use the evaluator)"

static void refuse(gate *g, srcloc loc, const char *what) {
  if (g->failed) return;
  g->what = what;
  lang_error_set(g->err, loc, "compile", "%s" GATE_HINT, what);
  g->failed = true;
}

/* A global procedure's own closure, which compiled code holds as its
 * id (lower-closure.c), a lambda's closure, or a builtin it calls. */
static bool g_proc_ok(value v) {
  if (!v.vec) {
    const builtin *b = builtin_at((int)v.i);
    return b && lw_builtin_value_ok(b);
  }
  if (v.vec->tag == TV_CONT) return true;   /* a continuation: lower-callcc.c */
  if (!v.vec->fn) return false;
  if (v.vec->n == 0 && v.vec->fn->name >= 0 && v.vec->fn->parent == NULL) return true;
  return v.vec->fn->closure && v.vec->n == v.vec->fn->ncaps;
}

/* Whether a value (a global's) holds something compiled code cannot. */
static const char *value_needs(value v, int depth) {
  /* a string port compiled code holds (lower-ports.c); not the
   * program's own output port (ports.c) */
  if (v.kind == VK_PORT && (!v.vec || v.vec->n != 1))
    return "the output port kept in global variables";
  if (v.kind == VK_PAIR) {
    /* along the cdrs, a walk (lists may be long, or circular: the walk
     * stops where a tortoise at half its speed meets it) */
    value x = v, slow = v;
    for (int64_t n = 0; x.kind == VK_PAIR && n < ((int64_t)1 << 22); n++) {
      const char *w = depth < 8 ? value_needs(V_CAR(x), depth + 1) : NULL;
      if (w) return w;
      x = V_CDR(x);
      if (n & 1) slow = V_CDR(slow);
      if (x.kind == VK_PAIR && x.vec == slow.vec) return NULL;
    }
    return x.kind == VK_PAIR ? NULL : value_needs(x, depth + 1);
  }
  if (v.kind == VK_PROC && !g_proc_ok(v)) return "procedures as values";
  if (v.kind == VK_BOX)   /* a captured variable's box (lang/lower-box.c) */
    return v.vec && v.vec->n == 1 && depth < 8 ? value_needs(v.vec->items[0], depth + 1) : NULL;
  if (v.kind == VK_PROC && v.vec && depth < 8)   /* a closure's captured values */
    for (int32_t i = 0; i < v.vec->n; i++) {
      const char *w = value_needs(v.vec->items[i], depth + 1);
      if (w) return w;
    }
  if (v.kind == VK_VEC && depth < 8)
    for (int32_t i = 0; i < v.vec->n; i++) {
      const char *w = value_needs(v.vec->items[i], depth + 1);
      if (w) return w;
    }
  return NULL;
}

static void gate_ast(gate *g, const ast *a);
static void gate_global(gate *g, const ast *call, const fn_def *f);

/* A global procedure (lower-closure.c): compiled code holds it as a value */
static bool gate_proc_value(gate *g, const ast *a) {
  const ref_info *r = &a->u.ref.r;
  if (r->kind != REF_GLOBAL || r->cell->kind != G_FUNC) return false;
  gate_global(g, a, r->cell->fn);
  return true;
}

static void gate_fn(gate *g, const fn_def *f) {
  if (!g->failed) gate_ast(g, f->body);
}

/* A procedure defined in the reference mode and called from compiled
 * code is compiled too: it is refused at the call, for what its body
 * (or what it calls) needs. */
static void gate_global(gate *g, const ast *call, const fn_def *f) {
  for (int i = 0; i < g->seen.n; i++)
    if (g->seen.v[i] == f) return;
  VEC_PUSH(g->seen, f);
  lang_error inner = {0};
  gate sub = {g->w, &inner, false, NULL, {0}};
  sub.seen = g->seen;
  gate_fn(&sub, f);
  g->seen = sub.seen;
  if (sub.failed && !g->failed) {
    lang_error_set(g->err, call->loc, "compile", "%s uses %s, which" GATE_HINT,
                   sym_name(&g->w->syms, f->name), sub.what);
    g->what = sub.what;
    g->failed = true;
  }
  lang_error_free(&inner);
}

static void gate_ast(gate *g, const ast *a) {
  while (!g->failed) {
    switch (a->kind) {
    case E_CONST: {
      const char *w = value_needs(a->u.k, 0);
      if (w) refuse(g, a->loc, w);
      return;
    }
    case E_REF: {
      const ref_info *r = &a->u.ref.r;
      if (gate_proc_value(g, a))
        return;
      if (r->kind == REF_BUILTIN && !lw_builtin_value_ok(r->bi)) {
        static _Thread_local char what[96];   /* the builtin named */
        snprintf(what, sizeof what, "builtins used as values such as %s", r->bi->name);
        refuse(g, a->loc, what);
      }
      else if (r->kind == REF_GLOBAL && r->cell->kind == G_VAR) {
        const char *w = value_needs(r->cell->val, 0);
        if (w) refuse(g, a->loc, w);
      }
      return;
    }
    case E_SET: a = a->u.set.val; continue;
    case E_IF:
      gate_ast(g, a->u.iff.c);
      gate_ast(g, a->u.iff.t);
      a = a->u.iff.e;
      continue;
    case E_BEGIN: case E_AND: case E_OR: case E_VECLIT:
      for (int i = 0; i < a->u.seq.n; i++) gate_ast(g, a->u.seq.v[i]);
      return;
    case E_LET: case E_LETREC:
      if (a->kind == E_LETREC && a->u.let.early) {
        /* checker-early.c: compiled code would read a slot that holds
         * no value yet; the evaluator reports the read when it runs */
        lang_error_set(g->err, a->u.let.early_loc, "compile", "%s may be read "
                       "before its definition has run; compiled code refuses "
                       "it (run with --reference to use the evaluator)",
                       sym_name(&g->w->syms, a->u.let.early_name));
        g->what = "variables read before their definitions";
        g->failed = true;
        return;
      }
      for (int i = 0; i < a->u.let.n; i++) {
        const let_binding *b = &a->u.let.v[i];
        if (b->fn) gate_fn(g, b->fn);
        else gate_ast(g, b->init);
      }
      a = a->u.let.body;
      continue;
    case E_LAMBDA:   /* lang/lower-closure.c */
      gate_fn(g, a->u.lam.fn);
      return;
    case E_APPLY:
      gate_ast(g, a->u.call.op);
      for (int i = 0; i < a->u.call.n; i++) gate_ast(g, a->u.call.args[i]);
      return;
    case E_CALL: {
      const ref_info *r = &a->u.call.r;
      /* a global variable that holds no procedure is an error of the
       * call, which compiled code reports itself */
      int port = r->kind == REF_BUILTIN ? port_arg_index(a) : -1;   /* lower-ports.c */
      if (r->kind == REF_BUILTIN && r->bi->evaluator_only &&
          !port_symbol_literal(g->w, a, NULL) &&   /* ports.c */
          !port_compiled(a))   /* lower-ports.c */
        refuse(g, a->u.call.name_loc, r->bi->evaluator_only);
      else if (r->kind == REF_BUILTIN && port_argument(a) && port < 0)   /* ports.c */
        refuse(g, a->u.call.name_loc, "output to ports");
      else if (r->kind == REF_GLOBAL && r->cell->kind == G_FUNC)
        gate_global(g, a, r->cell->fn);
      for (int i = 0; i < a->u.call.n; i++)
        if (!lw_values_producer(a, i) &&   /* (call-with-values values f): lower-values.c */
            !((i == port || port_predicate(a)) && port_is_current(a->u.call.args[i])) &&
            !(i == port && port_is_error(a->u.call.args[i])))
          gate_ast(g, a->u.call.args[i]);
      return;
    }
    case E_DEFINE:
      if (a->u.def.fn) gate_fn(g, a->u.def.fn);
      else gate_ast(g, a->u.def.val);
      return;
    case E_DEFTABLE: case E_EXTERN:
      return;
    }
    return;
  }
}

bool ck_compilable(world *w, const ast *form, lang_error *err) {
  gate g = {w, err, false, NULL, {0}};
  gate_ast(&g, form);
  VEC_FREE(g.seen);
  return !g.failed;
}
