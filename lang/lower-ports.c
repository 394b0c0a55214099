/* lower-ports.c - (format #f ...) and (simple-format #f ...) with a
 * literal format string, and string ports (output and input, below), in
 * compiled code.
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

/* The global procedure NAME of the prelude (prelude-ports.c) taking n
 * arguments, or NULL when not loaded. */
static gcell *named(lw *c, const char *name, int n) {
  int id = sym_lookup(&c->w->syms, name, strlen(name));
  gcell *g = id >= 0 ? world_find(c->w, id) : NULL;
  return g && g->kind == G_FUNC && g->fn->nparams == n ? g : NULL;
}

static int call_named(lw *c, gcell *g, ir_expr **args, int n, srcloc loc, int depth) {
  lw_add_dep(c, g);
  return assign_new(c, lw_call_stmt_at(c, lw_lower_global_fn(c, g, loc), args, n, loc, depth),
                    loc);
}

/* A new string of the characters of string (or character) x. */
static int copy_of(lw *c, ir_expr *x, bool ch, srcloc loc) {
  if (ch) {
    int o = ls_new_full_block(c, kint(c, 1, loc), loc);
    ls_store(c, o, kint(c, 0, loc), x, loc);
    return assign_new(c, ls_as_string(c, o, loc), loc);
  }
  int v = assign_new(c, x, loc);
  int obj = ls_object(c, v, loc);
  int len = assign_new(c, ls_length(c, obj, loc), loc);
  int out = ls_new_full_block(c, var(c, len, loc), loc);
  int k = temp_of(c, T_INT, loc), zero = temp_of(c, T_INT, loc);
  lw_assign(c, k, kint(c, 0, loc), loc);
  lw_assign(c, zero, kint(c, 0, loc), loc);
  ls_copy_chars(c, out, k, obj, zero, len, loc);
  return assign_new(c, ls_as_string(c, out, loc), loc);
}

/* The text of x made for its kind k (the kind the pass before found):
 * a copy of a string, number->string, a symbol's name... (-1: no
 * procedure for that kind). */
static int piece_for(lw *c, ir_expr *x, tkind k, bool write, srcloc loc, int depth) {
  gcell *g = NULL;
  ir_expr *args[1] = {x};
  switch (k) {
  case T_STR:
    if (!write) return copy_of(c, x, false, loc);
    g = named(c, "%tvl-write-string", 1);
    break;
  case T_CHAR:
    if (!write) return copy_of(c, x, true, loc);
    g = named(c, "%tvl-char-name", 1);
    break;
  case T_INT: g = named(c, "%tvl-int-text", 1); break;
  case T_SYM: g = named(c, write ? "%tvl-symbol-write" : "%tvl-symbol-display", 1); break;
  case T_BOOL: {
    ir_expr *t = kconst(c, T_STR, world_intern_string(c->w, "#t", 2), loc);
    ir_expr *f = kconst(c, T_STR, world_intern_string(c->w, "#f", 2), loc);
    return assign_new(c, pick(c, x, t, f, loc), loc);
  }
  default: return -1;
  }
  return g ? call_named(c, g, args, 1, loc, depth) : -1;
}

/* A new temporary holding the text of x (write: as write shows it). */
static int piece_of(lw *c, ir_expr *x, bool write, srcloc loc, int depth) {
  c->p->has_chars = true;
  tkind k = x->k == X_CONST ? ir_kind(c->p, x->type) : T_ANY;
  if (k == T_STR && !write) return assign_new(c, x, loc);
  const value *kv = x->k == X_VAR && c->p->port.fixed && c->p->port.mode > 0
                        ? c->p->vars.v[x->var].konst : NULL;   /* a quoted list */
  if (k == T_STR || k == T_INT || k == T_SYM || k == T_BOOL || k == T_CHAR || kv) {
    /* a constant's text is known: the evaluator's printer, now */
    value v = kv ? *kv : k == T_STR ? v_str(x->ival) : k == T_INT ? v_int(x->ival)
            : k == T_SYM ? v_sym(x->ival) : k == T_BOOL ? v_bool(x->ival) : v_char(x->ival);
    strbuf b;
    sb_init(&b);
    value_print(c->w, v, &b, write);
    int id = world_intern_string(c->w, b.s ? b.s : "", b.n);
    sb_free(&b);
    return assign_new(c, kconst(c, T_STR, id, loc), loc);
  }
  /* a piece of a value: its kind is found by a first pass that makes
   * none (so that its class meets no other), then each is made for its
   * kind (%tvl-text, for every kind, would join the classes of all the
   * values written, and is a large procedure) */
  int site = c->port_sites.n;
  VEC_PUSH(c->port_sites, x->type);
  const port_pass *pp = &c->p->port;
  if (pp->mode == 0) {
    VEC_PUSH(c->port_spec, T_ANY);
    return assign_new(c, kconst(c, T_STR, world_intern_string(c->w, "", 0), loc), loc);
  }
  tkind want = pp->mode == 1 && site < pp->n ? pp->kinds[site] : T_ANY;
  int piece = want != T_ANY ? piece_for(c, x, want, write, loc, depth) : -1;
  VEC_PUSH(c->port_spec, piece >= 0 ? want : T_ANY);
  if (piece >= 0) return piece;
  ir_expr *args[3] = {x, kbool(c, write, loc), kint(c, 0, loc)};
  return call_named(c, text_cell(c), args, 3, loc, depth);
}

/* When a pass ends: each piece's kind; whether one made for its kind
 * (mode 1) lost it. */
void lw_port_found(lw *c) {
  for (int i = 0; i < c->port_sites.n; i++) {
    tkind k = ir_kind(c->p, c->port_sites.v[i]);
    VEC_PUSH(c->p->port_found, k);
    if (c->port_spec.v[i] != T_ANY && c->port_spec.v[i] != k) c->p->port_spec_failed = true;
  }
  VEC_FREE(c->port_sites);
  VEC_FREE(c->port_spec);
}

bool lw_port_again(const ir_prog *p, port_pass *pp) {
  if (p->port_wotos && !pp->redirect) {
    pp->redirect = true;
    pp->mode = 0;
    return true;
  }
  if (pp->mode == 0 && p->port_found.n) {
    tkind *k = xcalloc((size_t)p->port_found.n, sizeof *k);
    memcpy(k, p->port_found.v, (size_t)p->port_found.n * sizeof *k);
    free((void *)pp->kinds);
    pp->kinds = k;
    pp->n = p->port_found.n;
    pp->fixed = !p->sets_parts && !p->sets_cdrs;
    pp->mode = 1;
    return true;
  }
  if (pp->mode == 1 && p->port_spec_failed) {
    pp->mode = 2;
    return true;
  }
  return false;
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
  (void)g;
  return piece_of(c, var(c, v, loc), write, loc, depth);
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
  int out = ls_new_full_block(c, var(c, total, loc), loc);
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


/* ---- output string ports ----------------------------------------------
 *
 * A port that compiled code makes (open-output-string, the port of
 * call-with-output-string, with-output-to-string's) is a new vector of
 * one element: the list of the pieces written to it so far, newest
 * first.  An output call to it (display, write, newline, write-char,
 * format with it as destination) computes its piece (%tvl-text of the
 * value, "\n", a format's text) and conses it onto the list;
 * get-output-string and the end of call-with-output-string and
 * with-output-to-string make the string of the pieces
 * (%tvl-port-join).  A port is a value like any other: kept in
 * variables, passed to procedures, captured by lambdas, several at once.
 *
 * with-output-to-string sets two static cells, ON (0: the program's own
 * output) and CUR (the port), for the time its thunk runs, as the
 * evaluator sets its current port; call/cc's escapes set them back
 * (lower-callcc.c).  A program that calls with-output-to-string is
 * lowered again with every output call of the current output port (to
 * no port, or to (current-output-port)) a branch on ON: its own output
 * token, or a piece of CUR.  Programs without it pay nothing.
 *
 * A port's vector must never show as a vector: lw_port_check refuses,
 * when the lowering ends, a program where a port's class meets anything
 * but this file's operations (a vector, another kind, a predicate,
 * display or equal? of it, a global variable or the form's value that
 * may hold it). */

static const char port_mark[] = "(string port)";   /* ir_stmt.text of ours */

static gcell *join_cell(lw *c) {
  int id = sym_lookup(&c->w->syms, "%tvl-port-join", 14);
  gcell *g = id >= 0 ? world_find(c->w, id) : NULL;
  return g && g->kind == G_FUNC && g->fn->nparams == 1 ? g : NULL;
}

static bool ports_ready(lw *c, srcloc loc, const char *what) {
  if (join_cell(c) && text_cell(c)) return true;
  lw_fail(c, loc, "%s is not compiled to the transformer here (its text procedures are not "
                  "loaded; run with --reference to use the evaluator)", what);
  return false;
}

/* Element 0 of the port that expression pv is: an output port's list of
 * pieces, an input port's pair (string, index). */
static ir_expr *port_elem0(lw *c, ir_expr *pv, bool input, srcloc loc) {
  lw_unify(c, pv->type, lw_type_of_kind(c, T_VEC), loc,
           input ? "an input port" : "a string port");
  if (input) VEC_PUSH(c->port_in_types, pv->type);
  else VEC_PUSH(c->port_types, pv->type);
  ir_expr *e = lw_mk(c, X_VREF, loc, 2);
  e->a[0] = pv;
  e->a[1] = kint(c, 0, loc);
  e->type = lw_elem_of(c, pv->type);
  VEC_PUSH(c->port_nodes, e);
  return e;
}

/* The pieces' list of the port that expression pv is (element 0). */
static ir_expr *port_list(lw *c, ir_expr *pv, srcloc loc) {
  return port_elem0(c, pv, false, loc);
}

/* piece (a variable holding a string) consed onto the port pv's list */
static void port_add(lw *c, ir_expr *pv, int piece, srcloc loc) {
  ir_expr *cell = lw_cons(c, var(c, piece, loc), port_list(c, pv, loc), loc);
  ir_stmt *s = lw_emit(c, S_VSET, loc);
  s->a[0] = pv;
  s->a[1] = kint(c, 0, loc);
  s->a[2] = cell;
  s->text = port_mark;
  lw_unify(c, lw_elem_of(c, pv->type), cell->type, loc, "a port's text");
}

int lw_port_type_of(lw *c, tvec *t, int depth) {
  bool busy;
  int m = lw_vmemo_get(c, t, &busy);   /* one class per object */
  if (m >= 0) return m;
  int ty = lw_type_of_kind(c, T_VEC);
  lw_vmemo_put(c, t, ty, true);
  lw_unify(c, lw_elem_of(c, ty), lw_type_of_value(c, t->items[0], depth + 1), (srcloc){-1, 0, 0},
           "a port's text");
  lw_vmemo_put(c, t, ty, false);
  /* an input port's item is (string . index) (lang/ports.c) */
  bool input = t->items[0].kind == VK_PAIR && V_CDR(t->items[0]).kind == VK_INT;
  if (input) VEC_PUSH(c->port_in_types, ty);
  else VEC_PUSH(c->port_types, ty);
  c->p->has_lists = true;
  c->p->has_chars = true;
  c->p->has_rtstr = true;   /* its pieces */
  return ty;
}

/* A new port, in a new temporary. */
static int new_port(lw *c, srcloc loc) {
  int port = temp(c, loc);
  c->p->vars.v[port].type = lw_type_of_kind(c, T_VEC);
  ir_stmt *s = lw_emit(c, S_MAKEVEC, loc);
  s->var = port;
  s->a[0] = kint(c, 1, loc);
  s->a[1] = kconst(c, T_NIL, 0, loc);
  s->text = port_mark;
  lw_unify(c, lw_elem_of(c, c->p->vars.v[port].type), s->a[1]->type, loc, "a port's text");
  VEC_PUSH(c->port_types, c->p->vars.v[port].type);
  c->p->has_lists = true;
  c->p->has_chars = true;
  return port;
}

/* The string of port pv's pieces. */
static ir_expr *port_string(lw *c, ir_expr *pv, srcloc loc, int depth) {
  int l = assign_new(c, port_list(c, pv, loc), loc);
  ir_expr *jargs[1] = {var(c, l, loc)};
  gcell *g = join_cell(c);
  lw_add_dep(c, g);
  return lw_call_stmt_at(c, lw_lower_global_fn(c, g, loc), jargs, 1, loc, depth);
}

/* with-output-to-string's static cells (created when first needed) */
static int port_cell(lw *c, int *slot, tkind k, srcloc loc) {
  if (!*slot) {
    int v = temp(c, loc);
    c->p->vars.v[v].fn = -1;   /* a static cell, every function's */
    c->p->vars.v[v].type = lw_type_of_kind(c, k);
    if (k == T_VEC) VEC_PUSH(c->port_types, c->p->vars.v[v].type);
    *slot = v + 1;
  }
  return *slot - 1;
}

static int cur_on(lw *c, srcloc loc) { return port_cell(c, &c->port_on, T_INT, loc); }
static int cur_port(lw *c, srcloc loc) { return port_cell(c, &c->port_cur, T_VEC, loc); }

/* Output of x (NULL: a newline) to the current output port. */
static void out_current(lw *c, ir_expr *x, bool write, srcloc loc, int depth) {
  /* the form's own code runs before and after with-output-to-string's
   * thunk (a procedure of its own), never inside it */
  if (!c->p->port.redirect || (c->port_form && c->fn == c->p->main_fn)) {
    if (x) {
      ir_stmt *s = lw_emit(c, S_DISPLAY, loc);
      s->a[0] = x;
      s->write = write;
    } else {
      lw_emit(c, S_NEWLINE, loc);
    }
    return;
  }
  int own = lw_new_label(c), port = lw_new_label(c), end = lw_new_label(c);
  branch(c, prim(c, "=", var(c, cur_on(c, loc), loc), kint(c, 0, loc), T_BOOL, loc), own, port,
         loc);
  lw_label(c, own, loc);
  if (x) {
    ir_stmt *s = lw_emit(c, S_DISPLAY, loc);
    s->a[0] = x;
    s->write = write;
  } else {
    lw_emit(c, S_NEWLINE, loc);
  }
  jump(c, end, loc);
  lw_label(c, port, loc);
  int piece = x ? piece_of(c, x, write, loc, depth)
                : assign_new(c, kconst(c, T_STR, world_intern_string(c->w, "\n", 1), loc), loc);
  port_add(c, var(c, cur_port(c, loc), loc), piece, loc);
  lw_label(c, end, loc);
}

void lw_out_display(lw *c, ir_expr *x, bool write, srcloc loc, int depth) {
  out_current(c, x, write, loc, depth);
}

void lw_out_newline(lw *c, srcloc loc, int depth) { out_current(c, NULL, false, loc, depth); }

bool lw_port_cc_save(lw *c, int saved[2], srcloc loc) {
  if (!c->p->port.redirect) return false;
  saved[0] = assign_new(c, var(c, cur_on(c, loc), loc), loc);
  saved[1] = assign_new(c, var(c, cur_port(c, loc), loc), loc);
  return true;
}

void lw_port_cc_restore(lw *c, const int saved[2], srcloc loc) {
  lw_assign(c, cur_on(c, loc), var(c, saved[0], loc), loc);
  lw_assign(c, cur_port(c, loc), var(c, saved[1], loc), loc);
}

/* (with-output-to-string thunk) */
static ir_expr *wots(lw *c, const ast *a, frame_map *f) {
  srcloc loc = a->loc;
  if (!ports_ready(c, loc, "with-output-to-string")) return lw_void_expr(c, loc);
  c->p->port_wotos = true;   /* lowered again with port.redirect (lower-proc.c) */
  ir_expr *args[1];
  lw_lower_args(c, a, f, args);
  if (c->failed) return lw_void_expr(c, loc);
  int tv = assign_new(c, args[0], loc);
  int depth = f->edepth + 1;   /* the thunk's activation */
  int saved[2];
  bool redirect = lw_port_cc_save(c, saved, loc);
  int port = new_port(c, loc);
  if (redirect) {
    lw_assign(c, cur_port(c, loc), var(c, port, loc), loc);
    lw_assign(c, cur_on(c, loc), kint(c, 1, loc), loc);
  }
  ir_expr *none[1] = {NULL};
  ir_expr *call = lw_callv(c, a, var(c, tv, loc), none, 0, depth);
  lw_emit(c, S_EVAL, loc)->a[0] = call;   /* (lw_emit after: a statement moves the body) */
  if (c->failed) return lw_void_expr(c, loc);
  if (redirect) lw_port_cc_restore(c, saved, loc);
  return port_string(c, var(c, port, loc), loc, depth);
}

/* (call-with-output-string proc) */
static ir_expr *cwos(lw *c, const ast *a, frame_map *f) {
  srcloc loc = a->loc;
  if (!ports_ready(c, loc, "call-with-output-string")) return lw_void_expr(c, loc);
  ir_expr *args[1];
  lw_lower_args(c, a, f, args);
  if (c->failed) return lw_void_expr(c, loc);
  int pv = assign_new(c, args[0], loc);
  int port = new_port(c, loc);
  int depth = f->edepth + 1;   /* the procedure's activation */
  ir_expr *cargs[1] = {var(c, port, loc)};
  ir_expr *call = lw_callv(c, a, var(c, pv, loc), cargs, 1, depth);
  lw_emit(c, S_EVAL, loc)->a[0] = call;
  if (c->failed) return lw_void_expr(c, loc);
  return port_string(c, var(c, port, loc), loc, depth);
}

bool port_is_current(const ast *a) {
  return a->kind == E_CALL && a->u.call.r.kind == REF_BUILTIN && a->u.call.n == 0 &&
         !strcmp(a->u.call.r.bi->name, "current-output-port");
}

bool port_is_error(const ast *a) {
  return a->kind == E_CALL && a->u.call.r.kind == REF_BUILTIN && a->u.call.n == 0 &&
         !strcmp(a->u.call.r.bi->name, "current-error-port");
}

int port_arg_index(const ast *a) {
  if (a->kind != E_CALL || a->u.call.r.kind != REF_BUILTIN) return -1;
  const char *name = a->u.call.r.bi->name;
  int n = a->u.call.n;
  if (!strcmp(name, "newline")) return n == 1 ? 0 : -1;
  if (!strcmp(name, "display") || !strcmp(name, "write") || !strcmp(name, "write-char"))
    return n == 2 ? 1 : -1;
  if (!strcmp(name, "format") || !strcmp(name, "simple-format")) {
    const ast *d = n > 0 ? a->u.call.args[0] : NULL;
    return d && !(d->kind == E_CONST && d->u.k.kind == VK_BOOL) ? 0 : -1;
  }
  return -1;
}

bool port_compiled(const ast *a) {
  if (a->kind != E_CALL || a->u.call.r.kind != REF_BUILTIN) return false;
  const char *name = a->u.call.r.bi->name;
  return !strcmp(name, "call-with-output-string") || !strcmp(name, "with-output-to-string") ||
         !strcmp(name, "open-output-string") || !strcmp(name, "get-output-string") ||
         !strcmp(name, "open-input-string") || !strcmp(name, "read-char") ||
         !strcmp(name, "peek-char") || !strcmp(name, "char-ready?") ||
         !strcmp(name, "eof-object?") || port_predicate(a);
}

bool port_predicate(const ast *a) {
  if (a->kind != E_CALL || a->u.call.r.kind != REF_BUILTIN || a->u.call.n != 1) return false;
  const char *name = a->u.call.r.bi->name;
  return !strcmp(name, "port?") || !strcmp(name, "input-port?") || !strcmp(name, "output-port?");
}

/* (port? x), (input-port? x), (output-port? x): known from x's class
 * when the lowering ends (a class of ports holds nothing else); until
 * then a node the lowering does not fold, made a constant then. */
static ir_expr *predicate(lw *c, const ast *a, frame_map *f) {
  srcloc loc = a->loc;
  const char *name = a->u.call.r.bi->name;
  const ast *x = a->u.call.args[0];
  if (port_is_current(x)) return kbool(c, name[0] != 'i', loc);
  if (x->kind == E_CONST) return kbool(c, false, loc);
  ir_expr *args[1];
  lw_lower_args(c, a, f, args);
  if (c->failed) return lw_void_expr(c, loc);
  int v = assign_new(c, args[0], loc);
  ir_expr *e = prim(c, "not", var(c, v, loc), NULL, T_BOOL, loc);
  VEC_PUSH(c->port_preds, e);
  VEC_PUSH(c->port_pred_which, name[0] == 'p' ? 3 : name[0] == 'i' ? 2 : 1);
  return e;
}

/* ---- input string ports ------------------------------------------------
 *
 * An input port is a vector of one element, a pair of the string and the
 * index of the next character; read-char replaces the pair by one with
 * the next index.  The end-of-file object is the unspecified value's tag
 * with 1 where the unspecified value has 0: read-char's and peek-char's
 * value is tagged (a character or it), as is every value eof-object?
 * tests, and eof-object? compares the tagged values.  The backend shows it
 * as #<eof> (backend/machine.c).  A class of input ports, like one of
 * output ports, must meet nothing else, and neither may be kept in a
 * global variable or be a form's value; an end-of-file object may not be
 * either, nor be written into a string by %tvl-text (lw_port_check). */

static ir_expr *eof_const(lw *c, srcloc loc) {
  c->p->has_eof = true;
  return kconst(c, T_VOID, 1, loc);
}

/* The class every value eof-object? may see: tagged (a character's and
 * the end-of-file object's kinds met). */
static void eof_class(lw *c, int t, srcloc loc) {
  lw_unify(c, t, lw_new_type(c, T_VOID), loc, "an end-of-file object");
  lw_unify(c, t, lw_new_type(c, T_CHAR), loc, "an end-of-file object");
  VEC_PUSH(c->port_eof_types, t);
  c->p->has_chars = true;
}

int lw_eof_type(lw *c) {
  int t = lw_new_type(c, T_VOID);
  eof_class(c, t, (srcloc){-1, 0, 0});
  c->p->has_eof = true;
  return t;
}

/* The pair of input port pv (element 0). */
static int in_pair(lw *c, ir_expr *pv, srcloc loc) {
  return assign_new(c, port_elem0(c, pv, true, loc), loc);
}

static void in_set(lw *c, ir_expr *pv, ir_expr *s, ir_expr *i, srcloc loc) {
  ir_expr *cell = lw_cons(c, s, i, loc);
  ir_stmt *st = lw_emit(c, S_VSET, loc);
  st->a[0] = pv;
  st->a[1] = kint(c, 0, loc);
  st->a[2] = cell;
  st->text = port_mark;
  lw_unify(c, lw_elem_of(c, pv->type), cell->type, loc, "an input port");
}

static ir_expr *open_input(lw *c, const ast *a, frame_map *f) {
  srcloc loc = a->loc;
  tkind kinds[1] = {T_STR};
  int v[1];
  if (!ls_operands(c, a, f, kinds, v)) return lw_void_expr(c, loc);
  int port = temp(c, loc);
  c->p->vars.v[port].type = lw_type_of_kind(c, T_VEC);
  ir_expr *cell = lw_cons(c, var(c, v[0], loc), kint(c, 0, loc), loc);
  ir_stmt *s = lw_emit(c, S_MAKEVEC, loc);
  s->var = port;
  s->a[0] = kint(c, 1, loc);
  s->a[1] = cell;
  s->text = port_mark;
  lw_unify(c, lw_elem_of(c, c->p->vars.v[port].type), cell->type, loc, "an input port");
  VEC_PUSH(c->port_in_types, c->p->vars.v[port].type);
  c->p->has_lists = true;
  c->p->has_chars = true;
  return var(c, port, loc);
}

/* read-char (take) and peek-char */
static ir_expr *read_in(lw *c, const ast *a, frame_map *f, bool take) {
  srcloc loc = a->loc;
  ir_expr *args[1];
  lw_lower_args(c, a, f, args);
  if (c->failed) return lw_void_expr(c, loc);
  int pv = assign_new(c, args[0], loc);
  int pr = in_pair(c, var(c, pv, loc), loc);
  int s = assign_new(c, pair_part(c, pr, false, loc), loc);
  int i = assign_new(c, pair_part(c, pr, true, loc), loc);
  int obj = ls_object(c, s, loc);
  int len = assign_new(c, ls_length(c, obj, loc), loc);
  int res = temp(c, loc);
  eof_class(c, c->p->vars.v[res].type, loc);
  int yes = lw_new_label(c), no = lw_new_label(c), end = lw_new_label(c);
  branch(c, prim(c, "<", var(c, i, loc), var(c, len, loc), T_BOOL, loc), yes, no, loc);
  lw_label(c, yes, loc);
  lw_assign(c, res, ls_char_at(c, obj, var(c, i, loc), loc), loc);
  if (take)
    in_set(c, var(c, pv, loc), var(c, s, loc),
           prim(c, "+", var(c, i, loc), kint(c, 1, loc), T_INT, loc), loc);
  jump(c, end, loc);
  lw_label(c, no, loc);
  lw_assign(c, res, eof_const(c, loc), loc);
  lw_label(c, end, loc);
  return var(c, res, loc);
}

static ir_expr *input_call(lw *c, const ast *a, frame_map *f, const char *name) {
  srcloc loc = a->loc;
  if (!strcmp(name, "open-input-string")) return open_input(c, a, f);
  if (!strcmp(name, "read-char")) return read_in(c, a, f, true);
  if (!strcmp(name, "peek-char")) return read_in(c, a, f, false);
  ir_expr *args[1];
  lw_lower_args(c, a, f, args);
  if (c->failed) return lw_void_expr(c, loc);
  if (!strcmp(name, "char-ready?")) {   /* #t for a string port */
    int pv = assign_new(c, args[0], loc);
    (void)in_pair(c, var(c, pv, loc), loc);
    return kbool(c, true, loc);
  }
  /* eof-object? */
  const ast *x = a->u.call.args[0];
  if (x->kind == E_CONST) return kbool(c, false, loc);
  int v = assign_new(c, args[0], loc);
  eof_class(c, c->p->vars.v[v].type, loc);
  return prim(c, "eqv?", var(c, v, loc), eof_const(c, loc), T_BOOL, loc);
}

/* An output call (display, write, newline, write-char, format) to the
 * port its argument k is: the current output port when that argument is
 * (current-output-port). */
static ir_expr *port_output(lw *c, const ast *a, frame_map *f, int k) {
  srcloc loc = a->loc;
  const char *name = a->u.call.r.bi->name;
  int n = a->u.call.n;
  bool fmt = name[0] == 'f' || name[0] == 's';
  bool current = port_is_current(a->u.call.args[k]);
  if (port_is_error(a->u.call.args[k])) {
    /* the model's output is the program's standard output: text for the
     * standard error has no way out of it yet.  Refused when the call
     * runs (a program whose error path never runs still runs), never
     * written to the standard output. */
    lw_emit(c, S_EVAL, loc)->a[0] =
        lw_fail_expr(c, loc, "unsupported", "output to (current-error-port) is not compiled to "
                     "the transformer yet (run with --reference to use the evaluator)");
    return lw_void_expr(c, loc);
  }
  if (fmt && !literal_ok(c, a)) {
    lw_fail(c, loc, "calls of %s to a port with a format string that is not a literal, "
                    "or whose directives fail, are not compiled to the transformer yet "
                    "(run with --reference to use the evaluator)", name);
    return lw_void_expr(c, loc);
  }
  if (!ports_ready(c, loc, "output to a string port")) return lw_void_expr(c, loc);
  tkind kinds[64];
  for (int i = 0; i < n; i++) kinds[i] = T_ANY;
  if (!strcmp(name, "write-char")) kinds[0] = T_CHAR;
  int v[64];
  if (current) {   /* (current-output-port) is no operand of ours */
    ast b = *a;
    ast *ops[64];
    for (int i = 0, j = 0; i < n; i++)
      if (i != k) ops[j++] = a->u.call.args[i];
    b.u.call.args = ops;
    b.u.call.n = n - 1;
    int w[64];
    if (!ls_operands(c, &b, f, kinds + (k == 0), w)) return lw_void_expr(c, loc);
    for (int i = 0, j = 0; i < n; i++) v[i] = i == k ? -1 : w[j++];
  } else if (!ls_operands(c, a, f, kinds, v)) {
    return lw_void_expr(c, loc);
  }
  c->p->has_chars = true;
  int depth = lw_call_depth(f, a), piece;
  if (current && !fmt) {
    if (!strcmp(name, "newline")) lw_out_newline(c, loc, depth);
    else lw_out_display(c, var(c, v[0], loc), name[0] == 'w' && name[5] != '-', loc, depth);
    return lw_void_expr(c, loc);
  }
  if (fmt) {
    piece = assign_new(c, format_text(c, a, v, depth), loc);
    if (current) {
      lw_out_display(c, var(c, piece, loc), false, loc, depth);
      return lw_void_expr(c, loc);
    }
  } else if (!strcmp(name, "newline")) {
    piece = assign_new(c, kconst(c, T_STR, world_intern_string(c->w, "\n", 1), loc), loc);
  } else {
    piece = text_of(c, text_cell(c), a->u.call.args[0], v[0], name[0] == 'w' && name[5] != '-',
                    loc, depth);
  }
  if (c->failed) return lw_void_expr(c, loc);
  port_add(c, var(c, v[k], loc), piece, loc);
  return lw_void_expr(c, loc);
}

ir_expr *lw_port_effect(lw *c, const ast *a, frame_map *f) {
  if (a->kind != E_CALL || a->u.call.r.kind != REF_BUILTIN) return NULL;
  const char *name = a->u.call.r.bi->name;
  srcloc loc = a->loc;
  if (!strcmp(name, "call-with-output-string")) return cwos(c, a, f);
  if (!strcmp(name, "with-output-to-string")) return wots(c, a, f);
  if (port_predicate(a)) return predicate(c, a, f);
  if (!strcmp(name, "open-input-string") || !strcmp(name, "read-char") ||
      !strcmp(name, "peek-char") || !strcmp(name, "char-ready?") || !strcmp(name, "eof-object?"))
    return input_call(c, a, f, name);
  if (!strcmp(name, "open-output-string")) {
    if (!ports_ready(c, loc, "open-output-string")) return lw_void_expr(c, loc);
    return var(c, new_port(c, loc), loc);
  }
  if (!strcmp(name, "get-output-string")) {
    if (!ports_ready(c, loc, "get-output-string")) return lw_void_expr(c, loc);
    ir_expr *args[1];
    lw_lower_args(c, a, f, args);
    if (c->failed) return lw_void_expr(c, loc);
    int pv = assign_new(c, args[0], loc);
    return port_string(c, var(c, pv, loc), loc, lw_call_depth(f, a));
  }
  int k = port_arg_index(a);
  if (k < 0) return NULL;
  return port_output(c, a, f, k);
}

/* ---- the check that a port never shows as a vector -------------------- */

typedef struct {
  lw *c;
  const ir_prog *p;
  bool *port;    /* per class root: a port's */
  char *seen;    /* per class root, for reach */
  const char *why;   /* a format of what: the refusal's subject */
  const char *what;
  srcloc at;         /* where */
} pcheck;

static int root_of(const ir_prog *p, int t) {
  while (t >= 0 && p->types.v[t].parent != t) t = p->types.v[t].parent;
  return t;
}

static bool reach_(pcheck *k, int t) {
  int r = root_of(k->p, t);
  if (r < 0 || k->seen[r]) return false;
  if (k->port[r]) return true;
  k->seen[r] = 1;
  const ir_type *x = &k->p->types.v[r];
  return (x->elem >= 0 && reach_(k, x->elem)) || (x->car >= 0 && reach_(k, x->car)) ||
         (x->cdr >= 0 && reach_(k, x->cdr));
}

/* Whether values of class t may be or hold a port, procedures' captured
 * values included. */
static bool reach(pcheck *k, int t, bool procs) {
  memset(k->seen, 0, (size_t)k->p->types.n);
  if (reach_(k, t)) return true;
  if (!procs) return false;
  uint64_t set = ir_proc_set(k->p, t);
  for (int id = 1; id <= k->p->procs.n && id <= 64; id++) {
    const struct ir_proc *pr = &k->p->procs.v[id - 1];
    if (!(set >> (id - 1) & 1) || pr->ncaps <= 0) continue;
    for (int j = 0; j < pr->ncaps; j++) {
      memset(k->seen, 0, (size_t)k->p->types.n);
      if (reach_(k, ir_closure_cap_type(k->p, id, j))) return true;
    }
  }
  return false;
}

static bool is_port(pcheck *k, int t) {
  int r = root_of(k->p, t);
  return r >= 0 && k->port[r];
}

static bool ours(pcheck *k, const ir_expr *e) {
  for (int i = 0; i < k->c->port_nodes.n; i++)
    if (k->c->port_nodes.v[i] == e) return true;
  return false;
}

static void expr_check(pcheck *k, const ir_expr *e, int depth) {
  if (!e || k->why || depth > 10000) return;
  switch (e->k) {
  case X_PRIM:
    for (int i = 0; i < e->n; i++)
      if (is_port(k, e->a[i]->type) ||
          (e->op && !strcmp(e->op->name, "equal?") && reach(k, e->a[i]->type, false))) {
        k->what = e->op ? e->op->name : "an operation";
        k->why = "calls of %s on string ports";
        return;
      }
    break;
  case X_VLEN:
    if (is_port(k, e->a[0]->type)) k->why = "string ports used as vectors";
    break;
  case X_VREF:
    if (is_port(k, e->a[0]->type) && !ours(k, e)) k->why = "string ports used as vectors";
    break;
  case X_CHECK:
    if (e->ival != T_VEC && is_port(k, e->a[0]->type))
      k->why = "string ports where another kind is wanted";
    break;
  default:
    break;
  }
  for (int i = 0; i < e->n; i++) expr_check(k, e->a[i], depth + 1);
}

static void stmt_check(pcheck *k, const ir_stmt *s) {
  bool mine = s->text == port_mark;
  switch (s->k) {
  case S_MAKEVEC:
    if (!mine && is_port(k, k->p->vars.v[s->var].type)) k->why = "vectors used as string ports";
    break;
  case S_VSET:
    if (!mine && is_port(k, s->a[0]->type)) k->why = "string ports used as vectors";
    break;
  case S_ASSIGN:
    /* a value of a class that is no port's flowing into a port's (an
     * operand copied without unifying its class) */
    if (!mine && s->var >= 0 && s->a[0] && is_port(k, k->p->vars.v[s->var].type) &&
        !is_port(k, s->a[0]->type))
      k->why = "vectors used as string ports";
    break;
  case S_DISPLAY:
    if (reach(k, s->a[0]->type, false)) k->why = "display or write of a string port";
    break;
  case S_EQUAL:
    if (reach(k, s->a[0]->type, false) || reach(k, s->a[1]->type, false)) k->why = "equal? of string ports";
    break;
  case S_ERRTEXT:
    if (s->a[0] && reach(k, s->a[0]->type, false)) k->why = "string ports in an error's message";
    break;
  default:
    break;
  }
  for (int i = 0; i < 3 && !k->why; i++) expr_check(k, s->a[i], 0);
  for (int i = 0; i < s->nargs && !k->why; i++) expr_check(k, s->args[i], 0);
}

/* The predicates' values (see predicate): ports of class roots out (1),
 * in (2). */
static void predicates(lw *c, const bool *out, const bool *in) {
  for (int i = 0; i < c->port_preds.n; i++) {
    ir_expr *e = c->port_preds.v[i];
    int r = root_of(c->p, e->a[0]->type);
    int has = (out && out[r] ? 1 : 0) | (in && in[r] ? 2 : 0);
    e->k = X_CONST;
    e->ival = (has & c->port_pred_which.v[i]) != 0;
    e->n = 0;
    e->op = NULL;
  }
  VEC_FREE(c->port_preds);
  VEC_FREE(c->port_pred_which);
}

void lw_port_check(lw *c) {
  ir_prog *p = c->p;
  if (c->failed) return;
  if (!c->port_types.n && !c->port_in_types.n && !c->port_eof_types.n) {
    predicates(c, NULL, NULL);
    return;
  }
  size_t nt = (size_t)p->types.n + 1;
  pcheck k = {c, p, xcalloc(nt, 1), xcalloc(nt, 1), NULL, NULL, {-1, 0, 0}};
  /* what %tvl-text cannot show: input ports and the end-of-file object */
  pcheck h = {c, p, xcalloc(nt, 1), k.seen, NULL, NULL, {-1, 0, 0}};
  bool *out = xcalloc(nt, 1), *in = xcalloc(nt, 1);
  for (int i = 0; i < c->port_types.n; i++) out[root_of(p, c->port_types.v[i])] = true;
  for (int i = 0; i < c->port_in_types.n; i++) in[root_of(p, c->port_in_types.v[i])] = true;
  for (int t = 0; t < p->types.n; t++) k.port[t] = h.port[t] = out[t] || in[t];
  for (int i = 0; i < c->port_eof_types.n; i++) h.port[root_of(p, c->port_eof_types.v[i])] = true;
  predicates(c, out, in);
  for (int t = 0; t < p->types.n && !k.why; t++) {
    if (k.port[t] && p->types.v[t].k != T_VEC) k.why = "string ports mixed with values of other kinds (or another value where a port is wanted)";
    if (out[t] && in[t]) k.why = "input and output string ports in one variable";
    p->types.v[t].port = k.port[t];   /* the world's VK_PORT (backend/mtrace.c) */
  }
  for (int v = 0; v < p->vars.n && !k.why; v++) {
    /* a global holds a port of the world (loaded as such), or no port */
    const ir_var *x = &p->vars.v[v];
    bool world_port = x->cls == VAR_GLOBAL && x->cell && x->cell->kind == G_VAR &&
                      x->cell->val.kind == VK_PORT && is_port(&k, x->type);
    if ((x->cls == VAR_GLOBAL || x->konst) && !world_port &&
        (is_port(&k, x->type) || (x->konst && reach(&k, x->type, true))))
      k.why = "vectors used as string ports";
    if (k.why) k.at = x->loc;
  }
  for (int f = 0; f < p->fns.n && !k.why; f++)
    for (int i = 0; i < p->fns.v[f].body.n && !k.why; i++) {
      const ir_stmt *s = &p->fns.v[f].body.v[i];
      stmt_check(&k, s);
      /* a value returned into a class it is not copied into (a form's
       * value read back as a port, a port's as a vector) */
      if (!k.why && s->k == S_RETURN && s->a[0] &&
          is_port(&k, p->fns.v[f].ret_type) != is_port(&k, s->a[0]->type))
        k.why = is_port(&k, s->a[0]->type) ? "string ports used as vectors"
                                           : "vectors used as string ports";
      if (k.why) k.at = s->loc;
    }
  /* %tvl-text shows no end-of-file object (a pass of mode 0 writes none) */
  for (int i = 0; i < c->port_sites.n && !k.why && p->port.mode > 0; i++)
    if (c->port_spec.v[i] == T_ANY && reach(&h, c->port_sites.v[i], false))
      k.why = "the end-of-file object or input ports written into a string";
  if (k.why) {
    char what[160];
    snprintf(what, sizeof what, k.why, k.what ? k.what : "");
    lw_fail(c, k.at.line > 0 ? k.at : p->fns.v[0].loc,
            "%s are not compiled to the transformer yet (run with --reference to use the "
            "evaluator)", what);
    /* a procedure's own model: it compiles with its callers, whose
     * programs say what its ports meet (lib/compiled.c) */
    if (!c->port_form) c->err->kind = "incomplete";
  }
  free(out);
  free(in);
  free(h.port);
  free(k.port);
  free(k.seen);
}
