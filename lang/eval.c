/* eval.c - the reference evaluator: a plain tree-walking interpreter that
 * defines what every program means.  It is the oracle for the compiled
 * transformer, so it stays simple and obviously right.
 *
 * Frames live on an explicit stack of value slots.  Calls in tail position
 * reuse the C frame (loops run in constant C stack) and pop the caller's
 * frame when the callee does not need it as its static link.  Non-tail
 * calls recurse in C, counted against max_depth; evaluation runs on a
 * thread with a large stack so that the depth limit, not the C stack, is
 * what stops deep recursion.
 */
#include "config.h"

#include "lang.h"
#include "bigint.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  int parent;   /* static link: frame index, -1 for none */
  int base;     /* first slot in vs */
  tvec *clo;    /* the closure being run (its captured variables), or NULL */
} frame_rec;

struct ev_ctx {
  world *w;
  VEC(value) vs;
  VEC(frame_rec) frames;
  int depth;
  int64_t steps;
  jmp_buf jb;
  lang_error *err;
  defblock *blk;   /* arena of the form, for definitions */
  defblock *cur_blk;  /* the definition whose code runs (closures pin it) */
  ast site;        /* a call site without arguments, for builtins called
                      from builtins (apply, map...) */
  VEC(value) mv;   /* the values of the one multiple-value result that
                      can exist at a time (see ev_values) */
  const ast *tail_site;   /* the builtin call being made in tail position */
  bool tail_pending;      /* it asked for a tail call (ev_tail_defer) */
  value tail_fn;          /* ... of this closure */
  VEC(value) targs;       /* ... with these arguments */
  VEC(struct cc_rec *) ccs;   /* the calls of call/cc that run, innermost
                                 last (ev_call_cc) */
  VEC(struct wind_rec) winds;        /* dynamic-wind: the after thunks to
                                        run on an escape, innermost last */
  VEC(struct catch_rec *) catches;   /* catch: innermost last */
  bool thrown;            /* throw / error: the key and arguments below */
  value throw_key, throw_args;
  ev_note note;    /* Guile's arguments of the error raised (guile-args.c) */
};

struct wind_rec {
  value after;
  int ccs_n;        /* c->ccs.n when it began */
};

static void unwind_to(ev_ctx *c, srcloc loc, int ccs_n, int winds_n);

world *ev_world(ev_ctx *c) { return c->w; }
lang_error *ev_error(ev_ctx *c) { return c->err; }
void ev_raise(ev_ctx *c) { longjmp(c->jb, 1); }

void ev_output(ev_ctx *c, const char *s, size_t n) {
  if (port_current() && port_redirect(c, s, n)) return;
  if (c->w->out) c->w->out(c->w->out_ctx, s, n);
}

/* ---- call/cc, escapes only ---------------------------------------------
 * A call of call/cc records where it is (a setjmp) and what the
 * evaluator's stacks hold; calling its continuation while it runs goes
 * back there (a longjmp) with the arguments as its result.  Once the
 * call has returned, the continuation is refused: re-entry (generators,
 * coroutines) is not supported. */
struct cc_rec {
  tvec *k;
  jmp_buf jb;
  value v;          /* one value thrown */
  value *vals;      /* or several */
  int nvals;        /* -1: v */
};

static TVL_NORETURN void cc_throw(ev_ctx *c, srcloc loc, tvec *k, value *args,
                                  int n) {
  int i = c->ccs.n - 1;
  while (i >= 0 && c->ccs.v[i]->k != k) i--;
  if (i < 0)
    ev_fail(c, loc, "continuation",
            "continuations can only be used to escape: this one's "
            "call/cc has already returned (re-entry is not supported)");
  unwind_to(c, loc, i + 1, -1);
  for (int j = i + 1; j < c->ccs.n; j++) free(c->ccs.v[j]);
  c->ccs.n = i + 1;
  struct cc_rec *r = c->ccs.v[i];
  if (n == 1) {
    r->v = args[0];
    r->nvals = -1;
  } else {
    r->vals = n ? xmalloc((size_t)n * sizeof(value)) : NULL;
    if (n) memcpy(r->vals, args, (size_t)n * sizeof(value));
    r->nvals = n;
  }
  longjmp(r->jb, 1);
}

ev_note *ev_note_of(ev_ctx *c) { return &c->note; }

void ev_fail(ev_ctx *c, srcloc loc, const char *kind, const char *fmt, ...) {
  /* a note made for this error is kept for it, any other forgotten */
  c->note.armed = c->note.armed == 2;
  strbuf b;
  sb_init(&b);
  va_list ap;
  va_start(ap, fmt);
  sb_vprintf(&b, fmt, ap);
  va_end(ap);
  lang_error_set(c->err, loc, kind, "%s", b.s);
  sb_free(&b);
  longjmp(c->jb, 1);
}

static value eval_tail(ev_ctx *c, const ast *a, int f);
static bool stack_low(void);

/* ---- multiple values ---------------------------------------------------
 * (values), (values 1 2): a result that is not one value is a marker, kind
 * VK_BOX without an object (a box never is a result otherwise), i the
 * number of values, which sit in c->mv.  Only one exists at a time: it
 * goes straight from `values` to the continuation that takes it, through
 * tail positions only (eval_tail).  Every other place takes one value
 * (eval), as in Guile: the first, or an error when there is none;
 * call-with-values takes them all, and a non-last expression of a body
 * drops them. */
value ev_values(ev_ctx *c, const value *v, int n) {
  if (n == 1) return v[0];
  c->mv.n = 0;
  for (int i = 0; i < n; i++) VEC_PUSH(c->mv, v[i]);
  value m = {VK_BOX, n, NULL};
  return m;
}

int ev_multiple(ev_ctx *c, value v, const value **items) {
  if (v.kind != VK_BOX || v.vec) return -1;
  *items = c->mv.v;
  return v.i;
}

static value single(ev_ctx *c, srcloc loc, value v) {
  if (v.kind != VK_BOX || v.vec) return v;
  if (v.i == 0)
    ev_fail(c, loc, "arity", "zero values returned where one value is "
                              "needed: (values) gives none");
  return c->mv.v[0];
}

/* An expression whose one value is needed. */
static inline value eval(ev_ctx *c, const ast *a, int f) {
  return single(c, a->loc, eval_tail(c, a, f));
}

void ev_heap_full(ev_ctx *c, srcloc loc) {
  ev_fail(c, loc, "memory",
          "out of memory: vectors would need more than %lld cells (raise "
          "the limit with --max-heap or :limit heap)",
          (long long)c->w->lim.max_heap);
}

static int push_frame(ev_ctx *c, int parent, int size) {
  frame_rec fr = {parent, c->vs.n, NULL};
  VEC_RESERVE(c->vs, c->vs.n + size);
  for (int i = 0; i < size; i++) c->vs.v[c->vs.n + i] = v_void();
  c->vs.n += size;
  VEC_PUSH(c->frames, fr);
  return c->frames.n - 1;
}

static int up(ev_ctx *c, int f, int depth) {
  while (depth-- > 0) f = c->frames.v[f].parent;
  return f;
}

static value *slot(ev_ctx *c, int f, int depth, int s) {
  return &c->vs.v[c->frames.v[up(c, f, depth)].base + s];
}

static const char *name_of(ev_ctx *c, int sym) {
  return sym_name(&c->w->syms, sym);
}


static value make_box(ev_ctx *c, srcloc loc, value v) {
  tvec *t = world_new_obj(c->w, TV_BOX, 1, v);
  if (!t) ev_heap_full(c, loc);
  value b = {VK_BOX, 0, t};
  return b;
}

static value unbox(value v) { return v.kind == VK_BOX ? v.vec->items[0] : v; }

/* The closure of code that captures nothing (a lambda without free
 * locals, a global procedure): made once, found again while it lives
 * (a failed form's heap objects are dropped). */
static value self_closure(ev_ctx *c, srcloc loc, fn_def *fn, defblock *blk) {
  world *w = c->w;
  tvec *t = fn->self;
  if (t && fn->self_id < w->heap.n && w->heap.v[fn->self_id] == t &&
      t->tag == TV_CLOSURE && t->fn == fn && t->n == 0)
    return v_proc(t);
  t = world_new_obj(w, TV_CLOSURE, 0, v_void());
  if (!t) ev_heap_full(c, loc);
  t->fn = fn;
  t->blk = blk;
  world_pin(w, blk);
  fn->self = t;
  fn->self_id = t->id;
  return v_proc(t);
}

/* A variable's slot or captured item, box included. */
static value load_raw(ev_ctx *c, const ref_info *r, int f) {
  if (r->kind == REF_LOCAL) return *slot(c, f, r->depth, r->slot);
  return c->frames.v[up(c, f, r->depth)].clo->items[r->slot];
}

static value builtin_value(const builtin *b) {
  value v = {VK_PROC, builtin_index(b), NULL};
  return v;
}

/* A letrec variable read before its init has run (Guile: "Unbound
 * variable"); compiled code raises the same (lang/lower.c). */
static void undefined_read(ev_ctx *c, srcloc loc, int name) {
  ev_fail(c, loc, "unbound", "%s is used before its definition", name_of(c, name));
}

/* A local variable's value; a read the checker marked (a letrec
 * variable's, checker-early.c) is compared with the marker it holds
 * until its init runs. */
static value load_local(ev_ctx *c, const ref_info *r, int f, srcloc loc, int name) {
  value v = unbox(load_raw(c, r, f));
  if (r->early && v_is_undefined(v)) undefined_read(c, loc, name);
  return v;
}

static value load(ev_ctx *c, const ast *a, int f) {
  const ref_info *r = &a->u.ref.r;
  if (r->kind == REF_LOCAL || r->kind == REF_CAPTURED)
    return load_local(c, r, f, a->loc, a->u.ref.name);
  if (r->kind == REF_BUILTIN || ref_is_builtin_now(r)) return builtin_value(r->bi);
  if (r->kind == REF_LOCALFN)
    ev_fail(c, a->loc, "check", "internal: local procedure %s used as a value",
            name_of(c, a->u.ref.name));
  gcell *g = r->cell;
  if (g->kind == G_VAR) return g->val;
  if (g->kind == G_FUNC) return self_closure(c, a->loc, g->fn, g->blk);
  if (g->kind == G_UNDEFINED) {
    ev_note_unbound(c, v_sym(a->u.ref.name));
    ev_fail(c, a->loc, "unbound", "unbound variable %s", name_of(c, a->u.ref.name));
  }
  ev_fail(c, a->loc, "type", "%s is a %s, not a value", name_of(c, a->u.ref.name),
          gkind_text(g->kind));
}

static void store(ev_ctx *c, const ast *a, int f, value v) {
  const ref_info *r = &a->u.set.r;
  if (r->kind == REF_LOCAL || r->kind == REF_CAPTURED) {
    value *p = r->kind == REF_LOCAL
                   ? slot(c, f, r->depth, r->slot)
                   : &c->frames.v[up(c, f, r->depth)].clo->items[r->slot];
    if (p->kind == VK_BOX) {
      world_save_vec(c->w, p->vec);
      p->vec->items[0] = v;
    } else {
      *p = v;
    }
    return;
  }
  gcell *g = r->cell;
  if (g->kind == G_UNDEFINED)
    ev_fail(c, a->loc, "unbound", "cannot set! %s: it is not defined",
            name_of(c, a->u.set.name));
  if (g->kind != G_VAR)
    ev_fail(c, a->loc, "type", "cannot set! %s: it is a %s; use define to "
            "replace it", name_of(c, a->u.set.name), gkind_text(g->kind));
  world_save_cell(c->w, g);
  g->val = v;
}

static void kind_error(ev_ctx *c, const ast *where, const char *fn, int i,
                       const char *want, value got) {
  strbuf b;
  sb_init(&b);
  value_print(c->w, got, &b, true);
  if (b.n > 60) {
    b.n = 57;
    sb_puts(&b, "...");
  }
  char text[128];
  snprintf(text, sizeof text, "%s", b.s);
  sb_free(&b);
  ev_note_kind(c, fn, i, got);
  ev_fail(c, where->loc, "type", "%s: argument %d must be %s, not %s (%s)",
          fn, i + 1, want, value_kind_name(got), text);
}

/* What each arg_kind accepts, and how a message names it. */
static const struct { vkind k; const char *text; } arg_kinds[] = {
  [AK_INT] = {VK_INT, "an integer"},   [AK_VEC] = {VK_VEC, "a vector"},
  [AK_BOOL] = {VK_BOOL, "a boolean"},  [AK_PAIR] = {VK_PAIR, "a pair"},
  [AK_PROC] = {VK_PROC, "a procedure"}, [AK_STR] = {VK_STR, "a string"},
  [AK_CHAR] = {VK_CHAR, "a character"}, [AK_SYM] = {VK_SYM, "a symbol"},
};

/* Whether v has the kind k wants: a big integer (--bignum) is an integer
 * for the builtins that have a big version (lang/bigint.c). */
static bool kind_ok(const builtin *b, arg_kind k, value v) {
  if (v.kind == arg_kinds[k].k) return true;
  return v.kind == VK_BIG && k == AK_INT && bn_builtin(b);
}

/* The builtin's own function, or its big version when the switch is on. */
static builtin_fn builtin_code(const builtin *b) {
  builtin_fn big = bn_builtin(b);
  return big ? big : b->fn;
}

/* Checks the kinds of a builtin's arguments; true when that decides
 * its value (*r): a comparison Guile applies two by two
 * (builtin_pairwise) checks a pair only when it gets there, so the
 * arguments before the first of a wrong kind may already make it #f. */
static bool check_arg_kinds(ev_ctx *c, const ast *call, const builtin *b,
                            value *args, int n, value *r) {
  if (builtin_pairwise(b)) {
    if (n < 2) {
      *r = v_bool(true);
      return true;
    }
    int bad = 0;
    arg_kind k = builtin_arg_kind(b, 0);
    while (bad < n && kind_ok(b, k, args[bad])) bad++;
    if (bad >= 2 && bad < n) {
      value v = builtin_code(b)(c, call, args, bad);
      if (!v_truthy(v)) {
        *r = v;
        return true;
      }
    }
  }
  for (int i = 0; i < n; i++) {
    arg_kind k = builtin_arg_kind(b, i);
    const ast *where = i < call->u.call.n ? call->u.call.args[i] : call;
    if (k != AK_ANY && !kind_ok(b, k, args[i])) {
      if (args[i].kind == VK_BIG && k == AK_INT) bn_too_big(c, where->loc, b->name, i, args[i]);
      kind_error(c, where, b->name, i, arg_kinds[k].text, args[i]);
    }
  }
  return false;
}

/* Builtins get at most this many arguments in a copy of their own. */
enum { BUILTIN_OWN_ARGS = 16 };

static value call_builtin(ev_ctx *c, const ast *a, int f) {
  const builtin *b = a->u.call.r.bi;
  int n = a->u.call.n, base = c->vs.n;
  for (int i = 0; i < n; i++) {
    value v = eval(c, a->u.call.args[i], f);
    VEC_PUSH(c->vs, v);
  }
  /* no arguments and a stack never used: no pointer arithmetic on NULL.
     A builtin that calls a procedure (filter, sort, fold...) grows the value
     stack, which may move it: it gets its arguments in a copy of its own
     (for the few arguments such builtins take; the others never call back) */
  value *args = n ? c->vs.v + base : NULL, own[BUILTIN_OWN_ARGS];
  if (n && n <= BUILTIN_OWN_ARGS) args = memcpy(own, args, (size_t)n * sizeof(value));
  value r;
  if (check_arg_kinds(c, a, b, args, n, &r)) {
    c->vs.n = base;
    return r;
  }
  c->tail_site = a->u.call.tail ? a : NULL;
  r = builtin_code(b)(c, a, args, n);
  c->tail_site = NULL;
  c->vs.n = base;
  return r;
}

/* apply and call-with-values in tail position call their procedure in
 * tail position, as in Scheme: when call is the builtin call eval_tail
 * is making in tail position, ev_tail_defer hands the call of closure
 * fv on args back to it, which makes it as its own tail call. */
bool ev_tail_ok(ev_ctx *c, const ast *call) {
  bool ok = c->tail_site == call && call;
  c->tail_site = NULL;
  return ok;
}

value ev_tail_defer(ev_ctx *c, value fv, const value *args, int n) {
  c->targs.n = 0;
  for (int i = 0; i < n; i++) VEC_PUSH(c->targs, args[i]);
  c->tail_fn = fv;
  c->tail_pending = true;
  return v_void();
}

static void arity_error(ev_ctx *c, const ast *a, const char *what, int want) {
  ev_fail(c, a->loc, "arity", "%s %s takes %d argument%s, but %d %s given",
          what, name_of(c, a->u.call.name), want, want == 1 ? "" : "s",
          a->u.call.n, a->u.call.n == 1 ? "was" : "were");
}

/* The checker knows the arity only of what is defined when it runs; a
 * call to a name defined later is checked here. */
static value table_lookup(ev_ctx *c, const ast *a, int f, gcell *g) {
  if (a->u.call.n != 1) arity_error(c, a, "table", 1);
  value k = eval(c, a->u.call.args[0], f);
  const table_def *t = g->table;
  for (int i = 0; i < t->n; i++)
    if (t->keys[i].kind == k.kind && t->keys[i].i == k.i) return t->vals[i];
  if (t->has_default) return t->dflt;
  strbuf b;
  sb_init(&b);
  value_print(c->w, k, &b, true);
  char text[128];
  snprintf(text, sizeof text, "%s", b.s);
  sb_free(&b);
  ev_fail(c, a->loc, "table", "table %s has no entry for %s",
          name_of(c, a->u.call.name), text);
}

/* A call of a C function: kinds checked here, as for builtins, so that a
 * wrong one is a type error at the argument. */
static value extern_call(ev_ctx *c, const ast *a, int f, const extern_def *x) {
  if (x->nargs != a->u.call.n) arity_error(c, a, "C function", x->nargs);
  int base = c->vs.n;
  for (int i = 0; i < a->u.call.n; i++) {
    value v = eval(c, a->u.call.args[i], f);
    VEC_PUSH(c->vs, v);
  }
  for (int i = 0; i < a->u.call.n; i++) {
    bool str = x->args[i] == XT_STRING;
    value v = c->vs.v[base + i];
    if (v.kind != (str ? VK_STR : VK_INT)) {
      char want[32];
      snprintf(want, sizeof want, "%s (%s)", str ? "a string" : "an integer",
               xtype_name(x->args[i]));
      kind_error(c, a->u.call.args[i], name_of(c, a->u.call.name), i, want, v);
    }
  }
  value r;
  char err[512];
  bool ok = ffi_invoke(c->w, x, a->u.call.n ? c->vs.v + base : NULL, a->u.call.n, &r,
                       err, sizeof err);
  c->vs.n = base;
  if (!ok) ev_fail(c, a->loc, "ffi", "%s", err);
  return r;
}

static void tick(ev_ctx *c, const ast *a) {
  if (++c->steps > c->w->lim.max_steps)
    ev_fail(c, a->loc, "steps",
            "step limit reached: more than %lld calls and loop iterations "
            "(raise it with --max-steps or :limit steps)",
            (long long)c->w->lim.max_steps);
  if (c->w->interrupt && *c->w->interrupt)
    ev_fail(c, a->loc, "interrupt", "interrupted (Ctrl-C)");
  const char *why = guard_poll();   /* the memory and time limits */
  if (why) ev_fail(c, a->loc, why, "%s", guard_message());
}

/* Evaluates the arguments of a call into the value stack; returns where
 * they start. */
static int eval_args(ev_ctx *c, const ast *a, int f) {
  int base = c->vs.n;
  for (int i = 0; i < a->u.call.n; i++) {
    value v = eval(c, a->u.call.args[i], f);
    VEC_PUSH(c->vs, v);
  }
  return base;
}

/* Parameters that closures capture and the body assigns live in boxes. */
static void box_params(ev_ctx *c, const fn_def *fn, int base, srcloc loc) {
  if (!fn->param_boxed) return;
  for (int i = 0; i < fn->nparams; i++)
    if (fn->param_boxed[i])
      c->vs.v[base + i] = make_box(c, loc, c->vs.v[base + i]);
}

/* Makes the callee's frame from arguments sitting at vs[base..]. */
static int enter(ev_ctx *c, const fn_def *fn, int parent, int base, tvec *clo,
                 srcloc loc) {
  int nf = push_frame(c, parent, fn->frame_size);
  c->frames.v[nf].clo = clo;
  if (fn->nparams)   /* with none, vs may still be unallocated (NULL) */
    memcpy(&c->vs.v[c->frames.v[nf].base], &c->vs.v[base],
           (size_t)fn->nparams * sizeof(value));
  box_params(c, fn, c->frames.v[nf].base, loc);
  return nf;
}

value ev_cons(ev_ctx *c, srcloc loc, value car, value cdr) {
  tvec *t = world_new_obj(c->w, TV_PAIR, 2, car);
  if (!t) ev_heap_full(c, loc);
  t->items[1] = cdr;
  return v_pair(t);
}

static const char *proc_name(ev_ctx *c, const fn_def *fn) {
  return fn->name >= 0 ? name_of(c, fn->name) : "this lambda";
}

/* Checks the number of arguments at vs[base..base+n) and gathers the
 * rest into a list for a variadic procedure: afterwards the frame's
 * parameters sit at vs[base..base+nparams). */
static void fix_args(ev_ctx *c, srcloc loc, const fn_def *fn, int base, int n) {
  int fixed = fn->variadic ? fn->nparams - 1 : fn->nparams;
  if (n < fixed || (!fn->variadic && n > fixed))
    ev_fail(c, loc, "arity", "%s%s takes %s%d argument%s, but %d %s given",
            fn->name >= 0 ? "procedure " : "", proc_name(c, fn),
            fn->variadic ? "at least " : "", fixed,
            fixed == 1 ? "" : "s", n, n == 1 ? "was" : "were");
  if (!fn->variadic) return;
  value rest = v_nil();
  for (int i = n - 1; i >= fixed; i--) rest = ev_cons(c, loc, c->vs.v[base + i], rest);
  c->vs.n = base + fixed;
  VEC_PUSH(c->vs, rest);
}

static TVL_NORETURN void not_procedure(ev_ctx *c, srcloc loc, value v) {
  strbuf b;
  sb_init(&b);
  value_print(c->w, v, &b, true);
  if (b.n > 60) {
    b.n = 57;
    sb_puts(&b, "...");
  }
  char text[128];
  snprintf(text, sizeof text, "%s", b.s);
  sb_free(&b);
  ev_note_apply(c, v);
  ev_fail(c, loc, "type", "attempt to call %s (%s), which is not a procedure",
          text, value_kind_name(v));
}

/* A builtin reached through a value: its arity and kinds checked here. */
static value dyn_builtin(ev_ctx *c, const ast *site, const builtin *b,
                         value *args, int n) {
  if (n < b->min_args || (b->max_args >= 0 && n > b->max_args)) {
    if (b->min_args == b->max_args)
      ev_fail(c, site->loc, "arity", "builtin %s takes %d argument%s, but %d %s given",
              b->name, b->min_args, b->min_args == 1 ? "" : "s", n,
              n == 1 ? "was" : "were");
    ev_fail(c, site->loc, "arity", "builtin %s takes %s%d argument%s, but %d %s given",
            b->name, b->max_args < 0 ? "at least " : "", b->min_args,
            b->min_args == 1 ? "" : "s", n, n == 1 ? "was" : "were");
  }
  value own[BUILTIN_OWN_ARGS];   /* as in call_builtin: args may be on the stack */
  if (n && n <= BUILTIN_OWN_ARGS) args = memcpy(own, args, (size_t)n * sizeof(value));
  value r;
  if (check_arg_kinds(c, site, b, args, n, &r)) return r;
  return builtin_code(b)(c, site, args, n);
}

static void enter_depth(ev_ctx *c, srcloc loc) {
  if (++c->depth > c->w->lim.max_depth)
    ev_fail(c, loc, "depth",
            "recursion too deep: more than %d nested calls (raise the "
            "limit with --max-depth or :limit depth)",
            c->w->lim.max_depth);
  if (stack_low())
    ev_fail(c, loc, "depth",
            "recursion too deep: the evaluator's stack is used up after "
            "%d nested calls (the depth limit is %d)", c->depth,
            c->w->lim.max_depth);
}

value ev_call_tail(ev_ctx *c, const ast *site, value fv, value *args, int n) {
  c->site.kind = E_CALL;
  c->site.loc = site->loc;
  c->site.u.call.n = 0;
  c->site.u.call.name = -1;
  if (fv.kind != VK_PROC) not_procedure(c, site->loc, fv);
  if (!fv.vec) {
    ast here = c->site;   /* the builtin may call back */
    return dyn_builtin(c, &here, builtin_at(fv.i), args, n);
  }
  if (fv.vec->tag == TV_CONT) cc_throw(c, site->loc, fv.vec, args, n);
  tick(c, site);
  const fn_def *fn = fv.vec->fn;
  int base = c->vs.n;
  value *copy = n ? xmalloc((size_t)n * sizeof(value)) : NULL;
  if (n) memcpy(copy, args, (size_t)n * sizeof(value));
  VEC_RESERVE(c->vs, base + n);
  if (n) memcpy(c->vs.v + base, copy, (size_t)n * sizeof(value));
  free(copy);
  c->vs.n = base + n;
  fix_args(c, site->loc, fn, base, n);
  enter_depth(c, site->loc);
  int save_frames = c->frames.n;
  defblock *save_blk = c->cur_blk;
  int nf = enter(c, fn, -1, base, fv.vec, site->loc);
  c->cur_blk = fv.vec->blk;
  value v = eval_tail(c, fn->body, nf);
  c->cur_blk = save_blk;
  c->frames.n = save_frames;
  c->vs.n = base;
  c->depth--;
  return v;
}

value ev_call_value(ev_ctx *c, const ast *site, value fv, value *args, int n) {
  srcloc loc = site->loc;
  return single(c, loc, ev_call_tail(c, site, fv, args, n));
}

value ev_call_cc(ev_ctx *c, const ast *site, value f) {
  tvec *k = world_new_obj(c->w, TV_CONT, 0, v_void());
  if (!k) ev_heap_full(c, site->loc);
  struct cc_rec *r = xcalloc(1, sizeof *r);
  r->k = k;
  VEC_PUSH(c->ccs, r);
  const int at = c->ccs.n - 1, vs_n = c->vs.n, frames_n = c->frames.n,
            depth = c->depth;
  defblock *const blk = c->cur_blk;
  tvec *const port = port_current();
  const ast here = *site;
  if (setjmp(r->jb)) {
    c->vs.n = vs_n;
    c->frames.n = frames_n;
    c->depth = depth;
    c->cur_blk = blk;
    port_set_current(port);
    c->ccs.n = at;
    value v = r->nvals < 0 ? r->v : ev_values(c, r->vals, r->nvals);
    free(r->vals);
    free(r);
    return v;
  }
  value kv = v_proc(k);
  value v = ev_call_tail(c, &here, f, &kv, 1);
  c->ccs.n = at;
  free(r);
  return v;
}

/* ---- dynamic-wind, catch, throw ----------------------------------------
 * dynamic-wind records its after thunk while the thunk runs; an escape
 * (a continuation called, an error or throw caught) runs the after thunks
 * it leaves, innermost first, each with its record gone, as Guile does.
 * catch swaps the context's jmp_buf for its own: every error (ev_fail,
 * ev_raise) and throw lands there; it matches the key or passes it on. */
struct catch_rec {
  jmp_buf saved;    /* c->jb outside it */
  value key;
  bool handler;     /* a with-exception-handler (key unused) */
  bool unwind;      /* ... with #:unwind? #t */
  bool masked;      /* its handler, or one outside it, runs (ev_raise) */
  bool blind;       /* ... written as a lambda that ignores its argument */
  value proc;       /* ... its handler */
  char *held;       /* ... the message of the error it is called for
                       where the error is (blind, not unwind), owned */
  int ccs_n, winds_n, vs_n, frames_n, depth;
  defblock *blk;
  tvec *port;
};

static void catch_free(struct catch_rec *r) {
  free(r->held);
  free(r);
}

/* Leaves the catches begun after ccs_n calls of call/cc ran, and runs
 * the after thunks of the winds begun then (ccs_n >= 0) or past winds_n. */
static void unwind_to(ev_ctx *c, srcloc loc, int ccs_n, int winds_n) {
  while (c->catches.n > 0 && ccs_n >= 0 &&
         c->catches.v[c->catches.n - 1]->ccs_n >= ccs_n) {
    struct catch_rec *r = c->catches.v[--c->catches.n];
    memcpy(c->jb, r->saved, sizeof(jmp_buf));
    catch_free(r);
  }
  while (c->winds.n > 0 &&
         (ccs_n >= 0 ? c->winds.v[c->winds.n - 1].ccs_n >= ccs_n
                     : c->winds.n > winds_n)) {
    value after = c->winds.v[--c->winds.n].after;
    ast here = c->site;
    here.loc = loc;
    ev_call_value(c, &here, after, NULL, 0);
  }
}

value ev_dynamic_wind(ev_ctx *c, const ast *site, value before, value thunk,
                      value after) {
  const ast here = *site;
  ev_call_value(c, &here, before, NULL, 0);
  struct wind_rec w = {after, c->ccs.n};
  VEC_PUSH(c->winds, w);
  value v = ev_call_tail(c, &here, thunk, NULL, 0);
  const value *items;
  int n = ev_multiple(c, v, &items);
  value *keep = NULL;
  if (n > 0) {
    keep = xmalloc((size_t)n * sizeof(value));
    memcpy(keep, items, (size_t)n * sizeof(value));
  }
  c->winds.n--;
  ev_call_value(c, &here, after, NULL, 0);
  if (n >= 0) {
    v = ev_values(c, keep, n);
    free(keep);
  }
  return v;
}

bool ev_catching(ev_ctx *c) { return c->catches.n > 0; }

void ev_set_thrown(ev_ctx *c, value key, value args) {
  c->thrown = true;
  c->throw_key = key;
  c->throw_args = args;
}

TVL_NORETURN void ev_throw(ev_ctx *c, srcloc loc, value key, value args) {
  strbuf b;
  sb_init(&b);
  sb_puts(&b, "Throw to key `");
  value_print(c->w, key, &b, true);
  sb_puts(&b, "' with args `");
  value_print(c->w, args, &b, true);
  sb_puts(&b, "'.");
  lang_error_set(c->err, loc, "throw", "%s", b.s);
  sb_free(&b);
  ev_set_thrown(c, key, args);
  longjmp(c->jb, 1);
}

/* Guile's key for an error of this kind; NULL for what tvl stops and
 * Guile would not (limits, exit), which no catch catches. */
static const char *error_key(const char *kind) {
  static const char *const map[][2] = {
      {"type", "wrong-type-arg"},       {"arity", "wrong-number-of-args"},
      {"bounds", "out-of-range"},       {"division", "numerical-overflow"},
      {"unbound", "unbound-variable"},  {"error", "misc-error"},
      {"arith", "wrong-type-arg"},
  };
  if (!kind) return NULL;
  for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
    if (!strcmp(kind, map[i][0])) return map[i][1];
  return NULL;
}

static value key_sym(ev_ctx *c, const char *name) {
  return v_sym(sym_intern(&c->w->syms, name, strlen(name)));
}

/* The key and arguments of the error or throw that landed; false when no
 * catch may take it. */
static bool landed(ev_ctx *c, srcloc loc, value *key, value *args) {
  if (c->thrown) {
    *key = c->throw_key;
    *args = c->throw_args;
    return true;
  }
  const char *k = error_key(c->err->kind);
  if (!k) return false;
  *key = key_sym(c, k);
  /* Guile's (subr message format-arguments data), guile-args.c; else
   * tvl's own message, whole, and no subr or format arguments. */
  if (ev_guile_args(c, loc, args)) return true;
  const char *m = c->err->msg ? c->err->msg : "";
  value msg = v_str(world_intern_string(c->w, m, strlen(m)));
  value l = ev_cons(c, loc, v_bool(false), v_nil());
  l = ev_cons(c, loc, v_nil(), l);
  l = ev_cons(c, loc, msg, l);
  *args = ev_cons(c, loc, v_bool(false), l);
  return true;
}

value ev_catch(ev_ctx *c, const ast *site, value key, value thunk,
               value handler) {
  const ast here = *site;
  if (!(key.kind == VK_BOOL && key.i) && key.kind != VK_SYM)
    ev_fail(c, site->loc, "type",
            "catch: the key must be a symbol or #t");
  struct catch_rec *r = xcalloc(1, sizeof *r);
  memcpy(r->saved, c->jb, sizeof(jmp_buf));
  r->key = key;
  r->ccs_n = c->ccs.n;
  r->winds_n = c->winds.n;
  r->vs_n = c->vs.n;
  r->frames_n = c->frames.n;
  r->depth = c->depth;
  r->blk = c->cur_blk;
  r->port = port_current();
  VEC_PUSH(c->catches, r);
  if (setjmp(c->jb)) {
    /* Still the innermost catch: an after thunk run below that throws
     * lands here again. */
    r = c->catches.v[c->catches.n - 1];
    value k, args;
    bool ok = landed(c, here.loc, &k, &args);
    if (!ok || r->masked || !((r->key.kind == VK_BOOL) ||
                              (k.kind == VK_SYM && k.i == r->key.i))) {
      c->catches.n--;
      memcpy(c->jb, r->saved, sizeof(jmp_buf));
      free(r);
      longjmp(c->jb, 1);
    }
    c->thrown = false;
    lang_error_free(c->err);
    c->err->kind = NULL;
    c->vs.n = r->vs_n;
    c->frames.n = r->frames_n;
    c->depth = r->depth;
    c->cur_blk = r->blk;
    c->tail_pending = false;
    port_set_current(r->port);
    for (int j = r->ccs_n; j < c->ccs.n; j++) free(c->ccs.v[j]);
    c->ccs.n = r->ccs_n;
    unwind_to(c, here.loc, -1, r->winds_n);
    c->catches.n--;
    memcpy(c->jb, r->saved, sizeof(jmp_buf));
    free(r);
    VEC(value) hv = {0};
    VEC_PUSH(hv, k);
    for (value p = args; p.kind == VK_PAIR; p = V_CDR(p))
      VEC_PUSH(hv, V_CAR(p));
    value v = ev_call_tail(c, &here, handler, hv.v, hv.n);
    VEC_FREE(hv);
    return v;
  }
  value v = ev_call_tail(c, &here, thunk, NULL, 0);
  r = c->catches.v[--c->catches.n];
  memcpy(c->jb, r->saved, sizeof(jmp_buf));
  free(r);
  return v;
}

/* ---- with-exception-handler, raise-exception ------------------------
 * A handler is a catch record (so that escapes and unwind_to leave it as
 * they leave a catch).  raise-exception finds the innermost record not
 * masked: a catch of #t or %exception is thrown to (key %exception,
 * arguments (obj), as Guile's catch sees a raise); a handler with
 * #:unwind? #t is thrown to and called where it was installed; any
 * other handler is called where the raise is, with itself and the
 * records inside it masked, and its value is raise-exception's when the
 * raise is #:continuable? #t (else an error, as in Guile).  Guile also
 * passes errors and throws to handlers, as exception objects, which tvl
 * does not have: an error or throw reaches a handler written as a lambda
 * that never names its parameter (ast_blind_handler: it gets #f; without
 * #:unwind? it is called where the error is), and any other handler it
 * reaches stops the program with a message that says so (no catch takes
 * it). */
static const struct catch_rec *exn_target;   /* the handler a raise unwinds to */



value ev_with_handler(ev_ctx *c, const ast *site, value proc, value thunk, bool unwind) {
  const ast here = *site;
  struct catch_rec *r = xcalloc(1, sizeof *r);
  memcpy(r->saved, c->jb, sizeof(jmp_buf));
  r->handler = true;
  r->unwind = unwind;
  r->blind = site->kind == E_CALL && site->u.call.n >= 2 && ast_blind_handler(site->u.call.args[0]);
  r->proc = proc;
  r->ccs_n = c->ccs.n;
  r->winds_n = c->winds.n;
  r->vs_n = c->vs.n;
  r->frames_n = c->frames.n;
  r->depth = c->depth;
  r->blk = c->cur_blk;
  r->port = port_current();
  VEC_PUSH(c->catches, r);
  if (setjmp(c->jb)) {
    r = c->catches.v[c->catches.n - 1];
    bool mine = c->thrown && exn_target == r;
    bool passed = !mine && !r->masked && !(c->thrown && exn_target) &&
                  (c->thrown || error_key(c->err->kind));
    value obj = v_bool(false);
    if (passed && !r->unwind && r->blind) {
      /* Guile calls the handler where the error is, before any after
       * thunk runs (the winds inside are still there), with the records
       * inside it and itself masked; it gets #f for the exception object
       * it never looks at (compiled code the same: prelude-wind.c, key
       * %here).  It may escape; when it returns, Guile raises a
       * &non-continuable, which tvl has not: an error here, which no
       * catch takes (lower-exn.c HANDLER_RETURNED). */
      r->held = c->err->msg;   /* freed if the handler escapes */
      c->err->msg = NULL;
      c->err->kind = NULL;
      c->thrown = false;
      r->masked = true;
      /* called from here, as compiled code calls it where
       * with-exception-handler was called (its depth, port, call/cc
       * records), but with the winds inside still there */
      c->vs.n = r->vs_n;
      c->frames.n = r->frames_n;
      c->depth = r->depth;
      c->cur_blk = r->blk;
      c->tail_pending = false;
      port_set_current(r->port);
      for (int j = r->ccs_n; j < c->ccs.n; j++) free(c->ccs.v[j]);
      c->ccs.n = r->ccs_n;
      ev_call_value(c, &here, r->proc, &obj, 1);
      c->catches.n--;
      memcpy(c->jb, r->saved, sizeof(jmp_buf));
      catch_free(r);
      ev_fail(c, here.loc, "unsupported", "with-exception-handler: the handler returned "
              "from an error or throw, which is not continuable (Guile raises a "
              "&non-continuable there)");
    } else if (passed && r->unwind && r->blind) {
      /* an error or throw Guile passes to this handler as an exception
       * object, which tvl does not have: a handler that never looks at
       * it gets #f (compiled code the same: lower-exn.c) */
      mine = true;
      passed = false;
    } else if (mine) {
      obj = V_CAR(c->throw_args);
    }
    if (passed && c->err->kind && !strcmp(c->err->kind, "exit")) {
      /* an exit (Guile's &quit-exception) goes on past this handler,
       * as in compiled code (lib/prelude-wind.c %throw) */
    } else if (passed) {
      /* an error or throw Guile would pass to this handler */
      char *m = c->err->msg;
      srcloc at = c->err->loc;
      c->err->msg = NULL;
      lang_error_free(c->err);
      lang_error_set(c->err, at, "unsupported", "%s (with-exception-handler: tvl passes "
                     "only raise-exception's objects to a handler, not errors or throws: "
                     "catch takes those)", m ? m : "");
      free(m);
      c->thrown = false;
    }
    if (!mine) {
      c->catches.n--;
      memcpy(c->jb, r->saved, sizeof(jmp_buf));
      catch_free(r);
      longjmp(c->jb, 1);
    }
    exn_target = NULL;
    c->thrown = false;
    lang_error_free(c->err);
    c->err->kind = NULL;
    c->vs.n = r->vs_n;
    c->frames.n = r->frames_n;
    c->depth = r->depth;
    c->cur_blk = r->blk;
    c->tail_pending = false;
    port_set_current(r->port);
    for (int j = r->ccs_n; j < c->ccs.n; j++) free(c->ccs.v[j]);
    c->ccs.n = r->ccs_n;
    unwind_to(c, here.loc, -1, r->winds_n);
    c->catches.n--;
    memcpy(c->jb, r->saved, sizeof(jmp_buf));
    value h = r->proc;
    free(r);
    return ev_call_tail(c, &here, h, &obj, 1);
  }
  value v = ev_call_tail(c, &here, thunk, NULL, 0);
  r = c->catches.v[--c->catches.n];
  memcpy(c->jb, r->saved, sizeof(jmp_buf));
  free(r);
  return v;
}

value ev_raise_exception(ev_ctx *c, const ast *site, value obj, bool continuable) {
  const ast here = *site;
  int i = c->catches.n - 1;
  while (i >= 0 && c->catches.v[i]->masked) i--;
  for (; i >= 0; i--) {
    struct catch_rec *r = c->catches.v[i];
    if (r->handler || (r->key.kind == VK_BOOL) ||
        (r->key.kind == VK_SYM && !strcmp(sym_name(&c->w->syms, (int)r->key.i), "%exception")))
      break;
  }
  value args = ev_cons(c, site->loc, obj, v_nil());
  if (i < 0 || !c->catches.v[i]->handler || c->catches.v[i]->unwind) {
    exn_target = i >= 0 && c->catches.v[i]->handler ? c->catches.v[i] : NULL;
    ev_throw(c, site->loc, key_sym(c, "%exception"), args);
  }
  struct catch_rec *r = c->catches.v[i];
  int top = c->catches.n;
  for (int j = i; j < top; j++) c->catches.v[j]->masked = true;
  value v = ev_call_value(c, &here, r->proc, &obj, 1);
  if (!continuable)   /* Guile raises a &non-continuable, which tvl has not: no catch takes it */
    ev_fail(c, site->loc, "unsupported", "raise-exception: the handler returned from a "
            "non-continuable exception (raise it with #:continuable? #t)");
  for (int j = i; j < top && j < c->catches.n; j++) c->catches.v[j]->masked = false;
  return v;
}

/* A lambda value: its captured variables copied (a box is shared). */
static value make_closure(ev_ctx *c, const ast *a, int f) {
  fn_def *fn = a->u.lam.fn;
  if (fn->ncaps == 0) return self_closure(c, a->loc, fn, c->cur_blk);
  tvec *t = world_new_obj(c->w, TV_CLOSURE, fn->ncaps, v_void());
  if (!t) ev_heap_full(c, a->loc);
  t->fn = fn;
  t->blk = c->cur_blk;
  world_pin(c->w, c->cur_blk);
  for (int i = 0; i < fn->ncaps; i++) t->items[i] = load_raw(c, &fn->cap_src[i], f);
  return v_proc(t);
}

/* What a call calls. */
typedef struct {
  const fn_def *fn;
  int parent;        /* static link, -1 for none */
  tvec *clo;
  defblock *blk;
} callee;

static value eval_tail(ev_ctx *c, const ast *a, int f) {
  const int own = f;   /* frames from here up belong to this activation */
  for (;;) {
    switch (a->kind) {
    case E_CONST:
      return a->u.k;
    case E_REF:
      return load(c, a, f);
    case E_SET:
      store(c, a, f, eval(c, a->u.set.val, f));
      return v_void();
    case E_LAMBDA:
      return make_closure(c, a, f);
    case E_IF:
      a = v_truthy(eval(c, a->u.iff.c, f)) ? a->u.iff.t : a->u.iff.e;
      continue;
    case E_BEGIN:
      for (int i = 0; i + 1 < a->u.seq.n; i++) eval_tail(c, a->u.seq.v[i], f);
      a = a->u.seq.v[a->u.seq.n - 1];
      continue;
    case E_AND:
    case E_OR: {
      int i = 0;
      for (; i + 1 < a->u.seq.n; i++) {
        value v = eval(c, a->u.seq.v[i], f);
        if (v_truthy(v) != (a->kind == E_AND)) return v;
      }
      a = a->u.seq.v[i];
      continue;
    }
    case E_VECLIT: {
      int base = c->vs.n;
      for (int i = 0; i < a->u.seq.n; i++) {
        value v = eval(c, a->u.seq.v[i], f);
        VEC_PUSH(c->vs, v);
      }
      tvec *t = world_new_vec(c->w, a->u.seq.n, v_int(0));
      if (!t) ev_heap_full(c, a->loc);
      if (a->u.seq.n)
        memcpy(t->items, c->vs.v + base, (size_t)a->u.seq.n * sizeof(value));
      c->vs.n = base;
      return v_vec(t);
    }
    case E_LET:
      for (int i = 0; i < a->u.let.n; i++) {
        const let_binding *b = &a->u.let.v[i];
        if (b->init) {
          value v = eval(c, b->init, f);
          if (b->boxed) v = make_box(c, b->loc, v);
          *slot(c, f, 0, b->slot) = v;
        }
      }
      a = a->u.let.body;
      continue;
    case E_LETREC:
      /* boxes first: the closures of the inits may capture any of them;
       * each variable holds the not-yet-defined marker until its init
       * has run */
      for (int i = 0; i < a->u.let.n; i++) {
        const let_binding *b = &a->u.let.v[i];
        if (b->init)
          *slot(c, f, 0, b->slot) = b->boxed ? make_box(c, b->loc, v_undefined())
                                             : v_undefined();
      }
      if (a->u.let.parallel) {   /* letrec: every init, then the values */
        int base = c->vs.n;
        for (int i = 0; i < a->u.let.n; i++)
          if (a->u.let.v[i].init) {
            value v = eval(c, a->u.let.v[i].init, f);
            VEC_PUSH(c->vs, v);
          }
        for (int i = 0, j = base; i < a->u.let.n; i++) {
          const let_binding *b = &a->u.let.v[i];
          if (!b->init) continue;
          value *p = slot(c, f, 0, b->slot);
          if (b->boxed) p->vec->items[0] = c->vs.v[j++];
          else *p = c->vs.v[j++];
        }
        c->vs.n = base;
        a = a->u.let.body;
        continue;
      }
      for (int i = 0; i < a->u.let.n; i++) {
        const let_binding *b = &a->u.let.v[i];
        if (b->init) {
          value v = eval(c, b->init, f);
          value *p = slot(c, f, 0, b->slot);
          if (b->boxed) p->vec->items[0] = v;
          else *p = v;
        }
      }
      a = a->u.let.body;
      continue;
    case E_CALL:
    case E_APPLY: {
      const ref_info *r = &a->u.call.r;
      callee k = {NULL, -1, NULL, c->cur_blk};
      value opv = v_void();
      bool dyn = false, deferred = false;   /* deferred: ev_tail_defer */
      if (a->kind == E_APPLY) {
        opv = eval(c, a->u.call.op, f);
        dyn = true;
      } else if (r->kind == REF_BUILTIN || ref_is_builtin_now(r)) {
        if (!a->u.call.tail) return call_builtin(c, a, f);
        c->tail_pending = false;
        value res = call_builtin(c, a, f);
        if (!c->tail_pending) return res;
        c->tail_pending = false;
        opv = c->tail_fn;
        dyn = deferred = true;
      } else if (r->kind == REF_LOCALFN) {
        k.fn = r->fn;
        k.parent = up(c, f, r->depth);
      } else if (r->kind == REF_LOCAL || r->kind == REF_CAPTURED) {
        opv = load_local(c, r, f, a->u.call.name_loc, a->u.call.name);
        dyn = true;
      } else {
        gcell *g = r->cell;
        if (g->kind == G_TABLE) return table_lookup(c, a, f, g);
        if (g->kind == G_EXTERN) return extern_call(c, a, f, g->ext);
        if (g->kind == G_FUNC) {
          k.fn = g->fn;
          k.blk = g->blk;
        } else if (g->kind == G_VAR) {
          opv = g->val;
          dyn = true;
        } else {
          ev_note_unbound(c, v_sym(a->u.call.name));
          ev_fail(c, a->u.call.name_loc, "unbound", "unbound variable %s",
                  name_of(c, a->u.call.name));
        }
      }
      if (dyn && opv.kind == VK_PROC && !opv.vec) {
        int base = eval_args(c, a, f);
        c->tail_pending = false;
        c->tail_site = a->u.call.tail ? a : NULL;
        value res = dyn_builtin(c, a, builtin_at(opv.i),
                                a->u.call.n ? c->vs.v + base : NULL, a->u.call.n);
        c->tail_site = NULL;
        c->vs.n = base;
        if (!c->tail_pending) return res;
        c->tail_pending = false;
        opv = c->tail_fn;
        deferred = true;
      }
      if (dyn && opv.kind == VK_PROC && opv.vec->tag == TV_CONT) {
        int base = eval_args(c, a, f);
        cc_throw(c, a->loc, opv.vec, a->u.call.n ? c->vs.v + base : NULL,
                 a->u.call.n);
      }
      if (dyn && opv.kind == VK_PROC) {
        k.fn = opv.vec->fn;
        k.clo = opv.vec;
        k.blk = opv.vec->blk;
      }
      tick(c, a);
      int base = c->vs.n, nargs = a->u.call.n;
      if (deferred) {
        nargs = c->targs.n;
        VEC_RESERVE(c->vs, base + nargs);
        if (nargs) memcpy(c->vs.v + base, c->targs.v, (size_t)nargs * sizeof(value));
        c->vs.n = base + nargs;
      } else {
        base = eval_args(c, a, f);
      }
      if (dyn && opv.kind != VK_PROC && a->kind == E_CALL)
        ev_fail(c, a->u.call.name_loc, "type", "%s is a variable, not a "
                "procedure", name_of(c, a->u.call.name));
      if (dyn && opv.kind != VK_PROC) not_procedure(c, a->loc, opv);
      const fn_def *fn = k.fn;
      fix_args(c, a->loc, fn, base, nargs);
      int parent = k.parent;
      /* A tail call needs no depth, as in Scheme.  Frames of this
       * activation the callee cannot reach are dropped: its frame goes
       * right above its static link (above f when it is defined in f),
       * never below the frames this call of eval owns. */
      if (a->u.call.tail && f == c->frames.n - 1) {
        int at = parent >= f ? f + 1 : parent + 1 > own ? parent + 1 : own;
        int keep = at <= f ? c->frames.v[at].base : base;
        VEC_RESERVE(c->vs, keep + fn->frame_size + fn->nparams);
        if (fn->nparams && keep != base)
          memmove(&c->vs.v[keep], &c->vs.v[base],
                  (size_t)fn->nparams * sizeof(value));
        for (int i = fn->nparams; i < fn->frame_size; i++)
          c->vs.v[keep + i] = v_void();
        c->vs.n = keep + fn->frame_size;
        c->frames.n = at;
        frame_rec fr = {parent, keep, k.clo};
        VEC_PUSH(c->frames, fr);
        box_params(c, fn, keep, a->loc);
        c->cur_blk = k.blk;
        f = at;
        a = fn->body;
        continue;
      }
      enter_depth(c, a->loc);
      int save_frames = c->frames.n;
      defblock *save_blk = c->cur_blk;
      int nf = enter(c, fn, parent, base, k.clo, a->loc);
      c->cur_blk = k.blk;
      value v = eval_tail(c, fn->body, nf);
      c->cur_blk = save_blk;
      c->frames.n = save_frames;
      c->vs.n = base;
      c->depth--;
      return v;
    }
    case E_DEFINE:
    case E_DEFTABLE:
    case E_EXTERN:
      ev_fail(c, a->loc, "check", "definition in an expression");
    }
  }
}

/* ---- top level ------------------------------------------------------ */

static void define_form(ev_ctx *c, const ast *a, int f) {
  world *w = c->w;
  if (a->kind == E_DEFINE) {
    gcell *g = world_cell(w, a->u.def.name);
    if (a->u.def.fn) {
      world_define(w, g, G_FUNC, v_void(), a->u.def.fn, NULL, c->blk, a->loc);
    } else {
      c->cur_blk = c->blk;
      value v = eval(c, a->u.def.val, f);
      world_define(w, g, G_VAR, v, NULL, NULL, NULL, a->loc);
    }
    return;
  }
  if (a->kind == E_EXTERN) {
    world_define_extern(w, world_cell(w, a->u.ext.name), a->u.ext.x, c->blk,
                        a->loc);
    return;
  }
  table_def *t = arena_alloc(&c->blk->mem, sizeof *t);
  t->n = a->u.table.n;
  t->keys = a->u.table.keys;
  t->vals = a->u.table.vals;
  t->has_default = a->u.table.has_default;
  t->dflt = a->u.table.dflt;
  world_define(w, world_cell(w, a->u.table.name), G_TABLE, v_void(), NULL, t,
               c->blk, a->loc);
}

static bool is_definition(const ast *a) {
  return a->kind == E_DEFINE || a->kind == E_DEFTABLE || a->kind == E_EXTERN;
}

static int defined_name(const ast *a) {
  if (a->kind == E_DEFINE) return a->u.def.name;
  if (a->kind == E_EXTERN) return a->u.ext.name;
  return a->u.table.name;
}

typedef struct {
  ev_ctx *c;
  ast *form;
  int frame_size;
  ev_outcome *out;
  bool ok;
  int vs_n, frames_n, depth;   /* the stacks once the form's frame is made */
} run_args;

/* The value a top-level form shows: none for (values), the first of
 * several (the REPL shows one value per form). */
static value toplevel_value(ev_ctx *c, value v) {
  const value *items;
  int n = ev_multiple(c, v, &items);
  if (n < 0) return v;
  return n == 0 ? v_void() : items[0];
}

/* The form stopped with an error or an exit while winds were open: as
 * Guile does, their after thunks run, innermost first, each popped before
 * it is called, outside every catch.  An after thunk that stops too does
 * not stop the others; the status is the last stop's (an exit's N, 1 for
 * an error).  The error reported is the first one, unless that was an
 * exit: then it is the after thunk's error.  An error reported with
 * another status (an after thunk called exit) keeps it in err->status
 * (repl/shell.c quits with it).  The host's stops (interrupt, time,
 * memory) run nothing. */
static void unwind_at_stop(ev_ctx *c, int vs_n, int frames_n, int depth) {
  const char *k = c->err->kind;
  if (!c->winds.n || !k || !strcmp(k, "interrupt") || !strcmp(k, "time") ||
      !strcmp(k, "memory"))
    return;
  while (c->catches.n > 0) free(c->catches.v[--c->catches.n]);
  for (int i = 0; i < c->ccs.n; i++) free(c->ccs.v[i]);
  c->ccs.n = 0;
  lang_error first = *c->err;   /* owns the message from here */
  c->err->msg = NULL;
  volatile int status = !strcmp(k, "exit") ? first.status : 1;
  volatile bool replaced = false;
  while (c->winds.n > 0) {
    value after = c->winds.v[--c->winds.n].after;
    c->thrown = false;
    c->vs.n = vs_n;
    c->frames.n = frames_n;
    c->depth = depth;
    c->tail_pending = false;
    port_set_current(NULL);
    if (setjmp(c->jb)) {
      bool ex = c->err->kind && !strcmp(c->err->kind, "exit");
      status = ex ? c->err->status : 1;
      if (!ex && !replaced && !strcmp(first.kind, "exit")) {
        /* the exit gives way to the after thunk's error */
        free(first.msg);
        first = *c->err;
        c->err->msg = NULL;
        replaced = true;
      }
      lang_error_free(c->err);
      for (int i = 0; i < c->ccs.n; i++) free(c->ccs.v[i]);
      c->ccs.n = 0;
      continue;
    }
    ast here = c->site;
    ev_call_value(c, &here, after, NULL, 0);
  }
  lang_error_free(c->err);
  *c->err = first;
  if (strcmp(first.kind, "exit") || status != first.status) {
    /* an error: its status when not 1; an exit: the last one's */
    c->err->status = !strcmp(first.kind, "exit") ? status : status == 1 ? 0 : status;
  }
  port_set_current(NULL);
}

static void run(void *p) {
  run_args *r = p;
  ev_ctx *c = r->c;
  if (setjmp(c->jb)) {
    unwind_at_stop(c, r->vs_n, r->frames_n, r->depth);
    r->ok = false;
    return;
  }
  int f = push_frame(c, -1, r->frame_size);
  r->vs_n = c->vs.n;
  r->frames_n = c->frames.n;
  r->depth = c->depth;
  c->cur_blk = c->blk;
  ast *a = r->form;
  r->out->result = v_void();
  if (a->kind == E_BEGIN) {
    for (int i = 0; i < a->u.seq.n; i++) {
      ast *x = a->u.seq.v[i];
      if (is_definition(x)) {
        define_form(c, x, f);
        r->out->defined = true;
        r->out->def_name = defined_name(x);
        r->out->result = v_void();
      } else {
        c->cur_blk = c->blk;
        r->out->result = toplevel_value(c, eval_tail(c, x, f));
      }
    }
  } else if (is_definition(a)) {
    define_form(c, a, f);
    r->out->defined = true;
    r->out->def_name = defined_name(a);
  } else {
    r->out->result = toplevel_value(c, eval_tail(c, a, f));
  }
  r->ok = true;
}

/* ---- a stack deep enough for the depth limits ----------------------- */

enum {
  DEEP_STACK_BYTES = 1 << 30,
  /* What evaluation may use of the deep stack: the rest is for the C
   * library, signal handlers and the sanitizers' redzones. */
  DEEP_STACK_BUDGET = DEEP_STACK_BYTES - (64 << 20),
  /* Without a thread of our own the stack size is unknown: stay small. */
  FALLBACK_STACK_BUDGET = 1 << 20,
};

/* The stack a form runs on: where it starts, and how much of it may be
 * used.  Set by lang_run_deep for the code it runs. */
static _Thread_local char *stack_base;
static _Thread_local size_t stack_budget;

typedef struct {
  void (*fn)(void *);
  void *arg;
} deep_call;

static void *deep_trampoline(void *p) {
  deep_call *d = p;
  stack_base = __builtin_frame_address(0);
  stack_budget = DEEP_STACK_BUDGET;
  d->fn(d->arg);
  return NULL;
}

void lang_run_deep(void (*fn)(void *), void *arg) {
  if (stack_base) {   /* already on a stack that lang_run_deep set up */
    fn(arg);
    return;
  }
  deep_call d = {fn, arg};
  pthread_attr_t attr;
  pthread_t th;
  bool started = false;
  if (pthread_attr_init(&attr) == 0) {
    started = pthread_attr_setstacksize(&attr, DEEP_STACK_BYTES) == 0 &&
              pthread_create(&th, &attr, deep_trampoline, &d) == 0;
    pthread_attr_destroy(&attr);
  }
  if (started) {
    pthread_join(th, NULL);
    return;
  }
  stack_base = __builtin_frame_address(0);
  stack_budget = FALLBACK_STACK_BUDGET;
  fn(arg);
  stack_base = NULL;
}

/* Whether the stack is nearly used up.  The call-depth limit normally
 * stops a recursion first, but a deep limit combined with a deeply nested
 * body could exhaust the stack before it. */
static bool stack_low(void) {
  if (!stack_base) return false;
  char *here = __builtin_frame_address(0);
  size_t used = here < stack_base ? (size_t)(stack_base - here)
                                  : (size_t)(here - stack_base);
  return used > stack_budget;
}

ev_status ev_toplevel_in(world *w, ast *form, int frame_size, defblock *blk,
                         ev_outcome *out, lang_error *err) {
  ev_ctx c;
  memset(&c, 0, sizeof c);
  c.w = w;
  c.err = err;
  c.blk = blk;
  memset(out, 0, sizeof *out);
  world_txn_begin(w);
  port_set_current(NULL);
  run_args r = {&c, form, frame_size, out, false, 0, 0, 0};
  lang_run_deep(run, &r);
  out->steps = c.steps;
  for (int i = 0; i < c.ccs.n; i++) free(c.ccs.v[i]);
  VEC_FREE(c.ccs);
  for (int i = 0; i < c.catches.n; i++) free(c.catches.v[i]);
  VEC_FREE(c.catches);
  VEC_FREE(c.winds);
  port_set_current(NULL);
  VEC_FREE(c.vs);
  VEC_FREE(c.frames);
  VEC_FREE(c.mv);
  VEC_FREE(c.targs);
  if (r.ok) world_txn_commit(w);
  else world_txn_rollback(w);
  return r.ok ? EV_OK : EV_ERROR;
}

ev_status ev_toplevel(world *w, ast *form, int frame_size, arena *form_mem,
                      ev_outcome *out, lang_error *err) {
  defblock *blk = world_adopt(form_mem);
  blk->refs = 1;
  ev_status st = ev_toplevel_in(w, form, frame_size, blk, out, err);
  defblock_release(blk);
  return st;
}
