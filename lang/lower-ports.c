/* lower-ports.c - (format #f ...) and (simple-format #f ...) with a
 * literal format string, in compiled code.
 *
 * The model's own output is tokens (display and write emit them, the host
 * only maps them to text: backend/machine.c); a new string of a value's
 * text is instead made by code of the program: lib/prelude-ports.c's
 * %tvl-text, written in tvl and loaded before a form that names format
 * with #f (lib/prelude.c), computes the text as the evaluator's printer
 * shows it.  A call is lowered as the evaluator's do_format runs it:
 * every argument first, in order, then each run of plain text (with ~%
 * and ~~) a string constant, each ~a the display text and each ~s the
 * write text of its argument (a call of %tvl-text), then one block of
 * the pieces' characters (as string-append).  A format string with a
 * directive that fails, or a format string made at run time, stays
 * refused (lower-strings3.c).
 *
 * (%tvl-cannot "what") in %tvl-text, for what it cannot show as the
 * evaluator does, is a run-time refusal: the program stops with
 * "compiled code cannot write WHAT into a string (run it with
 * --reference)", never a wrong text.
 *
 * Ownership: everything is allocated in the program being lowered. */
#include "config.h"

#include "lower-build.h"
#include "lower-strings3.h"
#include "lower-ports.h"

#include <string.h>

static gcell *text_cell(lw *c) {
  int id = sym_lookup(&c->w->syms, "%tvl-text", 9);
  gcell *g = id >= 0 ? world_find(c->w, id) : NULL;
  return g && g->kind == G_FUNC && g->fn->nparams == 3 ? g : NULL;
}

/* Whether the format call a is one this file lowers: to #f, a literal
 * format string whose directives all work with the arguments given. */
static bool literal_ok(lw *c, const ast *a) {
  int n = a->u.call.n;
  if (n < 2 || n > 64) return false;
  const ast *fa = a->u.call.args[1];
  if (fa->kind != E_CONST || fa->u.k.kind != VK_STR || fa->u.k.vec) return false;
  if (!text_cell(c)) return false;
  const char *s = world_string(c->w, (int)fa->u.k.i);
  size_t len = strlen(s);
  int next = 2;
  for (size_t i = 0; i < len; i++) {
    if (s[i] != '~' || i + 1 >= len) continue;
    switch (s[++i]) {
    case 'a': case 'A': case 's': case 'S':
      if (next++ >= n) return false;
      break;
    case '%': case '~': break;
    default: return false;
    }
  }
  return next == n;
}

bool lw_port_format_ok(lw *c, const ast *a) {
  const ast *dest = a->u.call.n > 0 ? a->u.call.args[0] : NULL;
  return dest && dest->kind == E_CONST && dest->u.k.kind == VK_BOOL && !dest->u.k.i &&
         literal_ok(c, a);
}

/* A new temporary holding the text of variable v (write: as write
 * shows it), from %tvl-text. */
static int text_of(lw *c, gcell *g, const ast *x, int v, bool write, srcloc loc,
                   int depth) {
  /* a constant's text is known: the evaluator's printer, now */
  if (x->kind == E_CONST && x->u.k.kind != VK_PAIR && x->u.k.kind != VK_VEC) {
    strbuf b;
    sb_init(&b);
    value_print(c->w, x->u.k, &b, write);
    int id = world_intern_string(c->w, b.s ? b.s : "", b.n);
    sb_free(&b);
    return assign_new(c, kconst(c, T_STR, id, loc), loc);
  }
  ir_expr *args[3] = {var(c, v, loc), kbool(c, write, loc), kint(c, 0, loc)};
  lw_add_dep(c, g);
  ir_expr *r = lw_call_stmt_at(c, lw_lower_global_fn(c, g, loc), args, 3, loc, depth);
  return assign_new(c, r, loc);
}

/* One new string of the pieces' characters (variables holding strings). */
static ir_expr *join(lw *c, const int *v, int n, srcloc loc) {
  int obj[130], len[130];
  int total = temp_of(c, T_INT, loc);
  lw_assign(c, total, kint(c, 0, loc), loc);
  for (int i = 0; i < n; i++) {
    obj[i] = ls_object(c, v[i], loc);
    len[i] = assign_new(c, ls_length(c, obj[i], loc), loc);
    lw_assign(c, total, prim(c, "+", var(c, total, loc), var(c, len[i], loc), T_INT, loc),
              loc);
  }
  int out = ls_new_block(c, var(c, total, loc), loc);
  int k = temp_of(c, T_INT, loc), zero = temp_of(c, T_INT, loc);
  lw_assign(c, k, kint(c, 0, loc), loc);
  lw_assign(c, zero, kint(c, 0, loc), loc);
  for (int i = 0; i < n; i++) ls_copy_chars(c, out, k, obj[i], zero, len[i], loc);
  return ls_as_string(c, out, loc);
}

static void flush(lw *c, strbuf *text, int *pieces, int *np, srcloc loc) {
  if (!text->n) return;
  int id = world_intern_string(c->w, text->s, text->n);
  pieces[(*np)++] = assign_new(c, kconst(c, T_STR, id, loc), loc);
  text->n = 0;
}

/* The text of a format call whose operands are in v (the format string
 * literal_ok), a new string. */
static ir_expr *format_text(lw *c, const ast *a, const int *v, int depth) {
  srcloc loc = a->loc;
  gcell *g = text_cell(c);
  const char *s = world_string(c->w, (int)a->u.call.args[1]->u.k.i);
  size_t len = strlen(s);
  strbuf text;
  sb_init(&text);
  int pieces[130], np = 0, next = 2;
  for (size_t i = 0; i < len && !c->failed; i++) {
    if (s[i] != '~' || i + 1 >= len) {
      sb_putc(&text, s[i]);
      continue;
    }
    char d = s[++i];
    if (d == '%') {
      sb_putc(&text, '\n');
    } else if (d == '~') {
      sb_putc(&text, '~');
    } else {
      flush(c, &text, pieces, &np, loc);
      pieces[np] = text_of(c, g, a->u.call.args[next], v[next], d == 's' || d == 'S', loc, depth);
      np++, next++;
    }
  }
  flush(c, &text, pieces, &np, loc);
  sb_free(&text);
  if (c->failed) return lw_void_expr(c, loc);
  return join(c, pieces, np, loc);
}

ir_expr *lw_port_format(lw *c, const ast *a, frame_map *f) {
  int n = a->u.call.n;
  tkind kinds[64];
  for (int i = 0; i < n; i++) kinds[i] = T_ANY;
  int v[64];
  if (!ls_operands(c, a, f, kinds, v)) return lw_void_expr(c, a->loc);
  c->p->has_chars = true;
  return format_text(c, a, v, lw_call_depth(f, a));
}

/* (%tvl-cannot "what"): the run-time refusal. */
bool lw_port_cannot_call(lw *c, const ast *a) {
  if (a->u.call.r.kind != REF_GLOBAL || a->u.call.n != 1) return false;
  const char *name = lw_nm(c, a->u.call.name);
  const ast *w = a->u.call.args[0];
  return !strcmp(name, "%tvl-cannot") && w->kind == E_CONST && w->u.k.kind == VK_STR &&
         !w->u.k.vec;
}

ir_expr *lw_port_cannot(lw *c, const ast *a) {
  const char *what = world_string(c->w, (int)a->u.call.args[0]->u.k.i);
  return lw_fail_expr(c, a->loc, "compile",
                      "compiled code cannot write %s into a string (run it with --reference)",
                      what);
}

/* ---- call-with-output-string ------------------------------------------
 *
 * (call-with-output-string (lambda (p) body)) where body uses p only as
 * the port of display, write, newline, write-char, format and
 * simple-format calls, and binds no other p (port_cwos_ok, which the
 * checker's gate asks too): the port is a new vector of one element, the
 * list of the pieces written so far, newest first; the lambda is called
 * with it as any procedure value is; each of those calls computes its
 * piece (%tvl-text of the value, "\n", a format's text) and conses it
 * onto the list; at the end %tvl-port-join makes the string of the pieces.
 * The port is never seen by anything else, so its vector never shows.
 * Output calls to any other port, and the other port procedures, stay
 * refused. */

typedef VEC(const ast *) astvec;

int port_arg_index(const ast *a) {
  if (a->kind != E_CALL || a->u.call.r.kind != REF_BUILTIN) return -1;
  const char *name = a->u.call.r.bi->name;
  int n = a->u.call.n;
  if (!strcmp(name, "newline")) return n == 1 ? 0 : -1;
  if (!strcmp(name, "display") || !strcmp(name, "write") || !strcmp(name, "write-char"))
    return n == 2 ? 1 : -1;
  if (!strcmp(name, "format") || !strcmp(name, "simple-format")) {
    const ast *d = n > 0 ? a->u.call.args[0] : NULL;
    return d && d->kind == E_REF ? 0 : -1;
  }
  return -1;
}

static bool binds(const fn_def *fn, int p) {
  if (fn->name == p) return true;
  for (int i = 0; i < fn->nparams; i++)
    if (fn->params[i] == p) return true;
  return false;
}

/* Whether a uses the name p only as the port of output calls (pushed on
 * out), and never binds it. */
static bool uses_ok(const ast *a, int p, astvec *out) {
  switch (a->kind) {
  case E_CONST: return true;
  case E_REF: return a->u.ref.name != p;
  case E_SET: return a->u.set.name != p && uses_ok(a->u.set.val, p, out);
  case E_IF:
    return uses_ok(a->u.iff.c, p, out) && uses_ok(a->u.iff.t, p, out) &&
           uses_ok(a->u.iff.e, p, out);
  case E_BEGIN: case E_AND: case E_OR: case E_VECLIT:
    for (int i = 0; i < a->u.seq.n; i++)
      if (!uses_ok(a->u.seq.v[i], p, out)) return false;
    return true;
  case E_LET: case E_LETREC:
    for (int i = 0; i < a->u.let.n; i++) {
      const let_binding *b = &a->u.let.v[i];
      if (b->name == p) return false;
      if (b->fn && (binds(b->fn, p) || !uses_ok(b->fn->body, p, out))) return false;
      if (b->init && !uses_ok(b->init, p, out)) return false;
    }
    return uses_ok(a->u.let.body, p, out);
  case E_LAMBDA:
    return !binds(a->u.lam.fn, p) && uses_ok(a->u.lam.fn->body, p, out);
  case E_APPLY:
    if (!uses_ok(a->u.call.op, p, out)) return false;
    for (int i = 0; i < a->u.call.n; i++)
      if (!uses_ok(a->u.call.args[i], p, out)) return false;
    return true;
  case E_CALL: {
    if (a->u.call.name == p) return false;
    int k = port_arg_index(a);
    const ast *pa = k >= 0 ? a->u.call.args[k] : NULL;
    bool ours = pa && pa->u.ref.name == p;
    for (int i = 0; i < a->u.call.n; i++)
      if (!(ours && i == k) && !uses_ok(a->u.call.args[i], p, out)) return false;
    if (ours && out) VEC_PUSH(*out, a);
    return true;
  }
  case E_DEFINE:
    if (a->u.def.name == p) return false;
    if (a->u.def.fn) return !binds(a->u.def.fn, p) && uses_ok(a->u.def.fn->body, p, out);
    return uses_ok(a->u.def.val, p, out);
  default:
    return false;
  }
}

bool port_cwos_ok(const ast *a, void *out) {
  if (a->kind != E_CALL || a->u.call.r.kind != REF_BUILTIN ||
      strcmp(a->u.call.r.bi->name, "call-with-output-string") || a->u.call.n != 1)
    return false;
  const ast *l = a->u.call.args[0];
  if (l->kind != E_LAMBDA) return false;
  const fn_def *fn = l->u.lam.fn;
  if (fn->nparams != 1 || fn->variadic) return false;
  astvec tmp = {0};
  bool ok = uses_ok(fn->body, fn->params[0], out ? (astvec *)out : &tmp);
  VEC_FREE(tmp);
  return ok;
}

static gcell *join_cell(lw *c) {
  int id = sym_lookup(&c->w->syms, "%tvl-port-join", 14);
  gcell *g = id >= 0 ? world_find(c->w, id) : NULL;
  return g && g->kind == G_FUNC && g->fn->nparams == 1 ? g : NULL;
}

/* The pieces' list of port variable `port`, element 0 of its vector. */
static ir_expr *port_list(lw *c, const ast *a, int port, int k, srcloc loc) {
  ir_expr *ops[64];
  for (int i = 0; i <= k; i++) ops[i] = var(c, port, loc);
  ir_expr *e = lw_mk(c, X_VREF, loc, 2);
  e->a[0] = lw_checked_arg(c, a, a->u.call.r.bi->name, ops, k, T_VEC);
  e->a[1] = kint(c, 0, loc);
  e->type = lw_elem_of(c, c->p->vars.v[port].type);
  return e;
}

/* piece consed onto the list of port variable `port` */
static void port_add(lw *c, const ast *a, int port, int k, int piece, srcloc loc) {
  ir_expr *cell = lw_cons(c, var(c, piece, loc), port_list(c, a, port, k, loc), loc);
  ir_expr *pv = lw_retype(c, var(c, port, loc), T_VEC), *zero = kint(c, 0, loc);
  ir_stmt *s = lw_emit(c, S_VSET, loc);
  s->a[0] = pv;
  s->a[1] = zero;
  s->a[2] = cell;
  lw_unify(c, lw_elem_of(c, c->p->vars.v[port].type), cell->type, loc, "a port's text");
}

static ir_expr *cwos(lw *c, const ast *a, frame_map *f) {
  srcloc loc = a->loc;
  gcell *g = join_cell(c);
  if (!g || !text_cell(c)) {
    lw_fail(c, loc, "call-with-output-string is not compiled to the transformer here "
                    "(run with --reference to use the evaluator)");
    return lw_void_expr(c, loc);
  }
  if (!port_cwos_ok(a, &c->port_calls)) {
    lw_fail(c, loc, "call-with-output-string of other than a lambda that uses its port "
                    "only to write into it is not compiled to the transformer yet (run "
                    "with --reference to use the evaluator)");
    return lw_void_expr(c, loc);
  }
  ir_expr *args[1];
  lw_lower_args(c, a, f, args);
  if (c->failed) return lw_void_expr(c, loc);
  int pv = assign_new(c, args[0], loc);
  int port = temp(c, loc);
  c->p->vars.v[port].type = lw_type_of_kind(c, T_VEC);
  ir_expr *one = kint(c, 1, loc), *nil = kconst(c, T_NIL, 0, loc);
  ir_stmt *s = lw_emit(c, S_MAKEVEC, loc);
  s->var = port;
  s->a[0] = one;
  s->a[1] = nil;
  lw_unify(c, lw_elem_of(c, c->p->vars.v[port].type), s->a[1]->type, loc, "a port's text");
  c->p->has_lists = true;
  c->p->has_chars = true;
  int depth = f->edepth + 1;   /* the procedure's activation */
  ir_expr *cargs[1] = {var(c, port, loc)};
  ir_expr *call = lw_callv(c, a, var(c, pv, loc), cargs, 1, depth);
  lw_emit(c, S_EVAL, loc)->a[0] = call;   /* (lw_emit after: a statement moves the body) */
  if (c->failed) return lw_void_expr(c, loc);
  int l = assign_new(c, port_list(c, a, port, 0, loc), loc);
  ir_expr *jargs[1] = {var(c, l, loc)};
  lw_add_dep(c, g);
  return lw_call_stmt_at(c, lw_lower_global_fn(c, g, loc), jargs, 1, loc, depth);
}

static bool approved(lw *c, const ast *a) {
  for (int i = 0; i < c->port_calls.n; i++)
    if (c->port_calls.v[i] == a) return true;
  return false;
}

/* An output call into call-with-output-string's port. */
static ir_expr *port_output(lw *c, const ast *a, frame_map *f) {
  srcloc loc = a->loc;
  const builtin *b = a->u.call.r.bi;
  const char *name = b->name;
  int n = a->u.call.n, k = port_arg_index(a);
  bool fmt = name[0] == 'f' || name[0] == 's';
  if (fmt && !literal_ok(c, a)) {
    lw_fail(c, loc, "calls of %s to a port with a format string that is not a literal, "
                    "or whose directives fail, are not compiled to the transformer yet "
                    "(run with --reference to use the evaluator)", name);
    return lw_void_expr(c, loc);
  }
  tkind kinds[64];
  for (int i = 0; i < n; i++) kinds[i] = T_ANY;
  if (!strcmp(name, "write-char")) kinds[0] = T_CHAR;
  int v[64];
  if (!ls_operands(c, a, f, kinds, v)) return lw_void_expr(c, loc);
  c->p->has_chars = true;
  int depth = lw_call_depth(f, a), piece;
  if (fmt) {
    piece = assign_new(c, format_text(c, a, v, depth), loc);
  } else if (!strcmp(name, "newline")) {
    piece = assign_new(c, kconst(c, T_STR, world_intern_string(c->w, "\n", 1), loc), loc);
  } else {
    piece = text_of(c, text_cell(c), a->u.call.args[0], v[0], name[0] == 'w' && name[5] != '-',
                    loc, depth);
  }
  if (c->failed) return lw_void_expr(c, loc);
  port_add(c, a, v[k], k, piece, loc);
  return lw_void_expr(c, loc);
}

ir_expr *lw_port_effect(lw *c, const ast *a, frame_map *f) {
  if (a->kind != E_CALL || a->u.call.r.kind != REF_BUILTIN) return NULL;
  const char *name = a->u.call.r.bi->name;
  if (!strcmp(name, "call-with-output-string")) return cwos(c, a, f);
  int k = port_arg_index(a);
  if (k < 0) return NULL;
  if (approved(c, a)) return port_output(c, a, f);
  if (!strcmp(name, "format") || !strcmp(name, "simple-format")) return NULL;
  lw_fail(c, a->u.call.name_loc, "output to ports other than the port of "
                                 "call-with-output-string is not compiled to the transformer "
                                 "yet (run with --reference to use the evaluator)");
  return lw_void_expr(c, a->loc);
}
