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
bool lw_port_format_ok(lw *c, const ast *a) {
  int n = a->u.call.n;
  if (n < 2 || n > 64) return false;
  const ast *dest = a->u.call.args[0], *fa = a->u.call.args[1];
  if (dest->kind != E_CONST || dest->u.k.kind != VK_BOOL || dest->u.k.i ||
      fa->kind != E_CONST || fa->u.k.kind != VK_STR || fa->u.k.vec)
    return false;
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

/* A new temporary holding the text of variable v (write: as write
 * shows it), from %tvl-text. */
static int text_of(lw *c, gcell *g, int v, bool write, srcloc loc, int depth) {
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

ir_expr *lw_port_format(lw *c, const ast *a, frame_map *f) {
  srcloc loc = a->loc;
  int n = a->u.call.n;
  gcell *g = text_cell(c);
  tkind kinds[64];
  for (int i = 0; i < n; i++) kinds[i] = T_ANY;
  int v[64];
  if (!ls_operands(c, a, f, kinds, v)) return lw_void_expr(c, loc);
  c->p->has_chars = true;
  int depth = lw_call_depth(f, a);
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
      pieces[np++] = text_of(c, g, v[next++], d == 's' || d == 'S', loc, depth);
    }
  }
  flush(c, &text, pieces, &np, loc);
  sb_free(&text);
  if (c->failed) return lw_void_expr(c, loc);
  return join(c, pieces, np, loc);
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
