/* mlayout.c - where a program's values live before any step is built:
 * the symbols and strings its constants name (collected once, shared
 * structure and cycles included), each variable's home (a global's cell
 * or a frame offset), the memory map (cells, frames, the heap and its
 * limit), and which calls need no frame depth (tail calls and the gaps
 * between frames).  machine.c's driver calls these in that order.
 *
 * Ownership: everything is written into the builder (mb) and its
 * program (mprog), freed with them (machine.c mb_free / mprog_free).
 */
#include "config.h"

#include "mbuild.h"

#include <stdlib.h>
#include <string.h>

/* ---- layout --------------------------------------------------------- */

static int prog_sym(mb *b, int world_sym) {
  int n = b->p->w->syms.names.n;
  if (world_sym < 0 || world_sym >= n) return 0;
  if (n > b->sym_rev_n) {
    b->sym_rev = xrealloc(b->sym_rev, (size_t)n * sizeof(int));
    memset(b->sym_rev + b->sym_rev_n, 0, (size_t)(n - b->sym_rev_n) * sizeof(int));
    b->sym_rev_n = n;
  }
  if (!b->sym_rev[world_sym]) {
    VEC_PUSH(b->p->syms, world_sym);
    b->sym_rev[world_sym] = b->p->syms.n + 1;
  }
  return b->sym_rev[world_sym];
}

static int prog_str(mb *b, int world_str) {
  for (int i = 0; i < b->p->strs.n; i++)
    if (b->p->strs.v[i] == world_str) return i;
  VEC_PUSH(b->p->strs, world_str);
  return b->p->strs.n - 1;
}

int mb_str_const(mb *b, const char *s) {
  return prog_str(b, world_intern_string(b->p->w, s, strlen(s)));
}

/* Expressions are DAGs: a shared constant must be renumbered once, so
 * visited nodes are remembered in an open-addressing pointer set. */
typedef struct {
  const void **v;
  size_t cap, n;
} ptrset;

static bool ptrset_add(ptrset *s, const void *p) {
  if (2 * (s->n + 1) > s->cap) {
    ptrset t = {xcalloc(s->cap ? 2 * s->cap : 256, sizeof(void *)), s->cap ? 2 * s->cap : 256, 0};
    for (size_t i = 0; i < s->cap; i++)
      if (s->v[i]) ptrset_add(&t, s->v[i]);
    free(s->v);
    *s = t;
  }
  size_t h = ((uintptr_t)p >> 4) * 0x9E3779B97F4A7C15ull % s->cap;
  while (s->v[h]) {
    if (s->v[h] == p) return false;
    h = (h + 1) % s->cap;
  }
  s->v[h] = p;
  s->n++;
  return true;
}

/* The symbols and strings in a value: every vector and pair once (a
 * value may share structure or be circular), 16 deep. */
static void collect_value_syms(mb *b, ptrset *seen, value v, int depth) {
  while (depth < 16) {
    if (v.kind == VK_SYM) prog_sym(b, v.i);
    if (v.kind == VK_STR) prog_str(b, v.i);
    /* a closure's captured values and boxes hold values of earlier forms too */
    bool held = v.kind == VK_VEC || v.kind == VK_BOX || v.kind == VK_PORT || v.kind == VK_REC ||
                (v.kind == VK_PROC && v.vec && v.vec->n);
    if ((!held && v.kind != VK_PAIR) || !v.vec || !ptrset_add(seen, v.vec)) return;
    if (held) {
      for (int32_t i = 0; i < v.vec->n; i++) collect_value_syms(b, seen, v.vec->items[i], depth + 1);
      return;
    }
    collect_value_syms(b, seen, V_CAR(v), depth + 1);
    v = V_CDR(v);   /* along the cdrs without recursion: lists may be long */
  }
}

static void collect_expr(mb *b, ptrset *seen, ir_expr *e) {
  if (!e || !ptrset_add(seen, e)) return;
  tkind k = e->has_nat ? e->nat : ir_kind(b->ir, e->type);
  if (e->k == X_CONST && k == T_SYM) e->ival = prog_sym(b, e->ival);
  if (e->k == X_CONST && k == T_STR) e->ival = prog_str(b, e->ival);
  if (b->ir->has_chars) mb_chars_note(b, e);
  mb_strings_note(b, e);
  for (int i = 0; i < e->n; i++) collect_expr(b, seen, e->a[i]);
}

/* Symbols and strings get small dense ids: the vocabulary holds them. */
void mb_collect_constants(mb *b) {
  ir_prog *ir = b->ir;
  ptrset seen = {0};
  for (int f = 0; f < ir->fns.n; f++)
    for (int s = 0; s < ir->fns.v[f].body.n; s++) {
      ir_stmt *st = &ir->fns.v[f].body.v[s];
      for (int k = 0; k < 3; k++) collect_expr(b, &seen, st->a[k]);
      for (int k = 0; k < st->nargs; k++) collect_expr(b, &seen, st->args[k]);
    }
  free(seen.v);
  ptrset vseen = {0};
  for (int t = 0; t < ir->tables.n; t++) {
    const table_def *td = ir->tables.v[t]->table;
    for (int i = 0; i < td->n; i++) {
      collect_value_syms(b, &vseen, td->keys[i], 0);
      collect_value_syms(b, &vseen, td->vals[i], 0);
    }
    if (td->has_default) collect_value_syms(b, &vseen, td->dflt, 0);
  }
  for (int g = 0; g < ir->globals.n; g++)
    if (ir->globals.v[g]->kind == G_VAR) collect_value_syms(b, &vseen, ir->globals.v[g]->val, 0);
  for (int v = 0; v < ir->vars.n; v++)   /* quoted lists */
    if (ir->vars.v[v].konst) collect_value_syms(b, &vseen, *ir->vars.v[v].konst, 0);
  free(vseen.v);
  /* then every other symbol of the world: arguments and later values of
   * globals may hold any of them (the program's own come first) */
  for (int i = 0; i < b->p->w->syms.names.n; i++) prog_sym(b, i);
  mb_strings_syms(b, prog_str);
}

int32_t mb_new_cell(mb *b, const char *name, int var, gcell *global, int type) {
  static_cell c = {xstrdup(name), var, global, type};
  if (b->p->cells.n == 0) {
    static_cell zero = {xstrdup("(unused)"), -1, NULL, -1};
    VEC_PUSH(b->p->cells, zero);
  }
  VEC_PUSH(b->p->cells, c);
  return b->p->cells.n - 1;
}

const char *mb_var_name(mb *b, int v, char *buf, size_t n) {
  const ir_var *x = &b->ir->vars.v[v];
  if (x->name >= 0)
    snprintf(buf, n, "%s", sym_name(&b->p->w->syms, x->name));
  else
    snprintf(buf, n, "t%d", v);
  return buf;
}

/* ---- depth ---------------------------------------------------------- */

/* `t := call G(...)` then `return t`, the call in tail position. */
bool mb_tail_shape(const ir_prog *ir, const ir_stmt *s, const ir_stmt *ret, int f) {
  return !ir->fns.v[f].is_main && s->var >= 0 && s->depth == 0 && ret->k == S_RETURN &&
         ret->a[0]->k == X_VAR && ret->a[0]->var == s->var;
}

static void mark_shared(const ir_prog *ir, const ir_expr *e, int f, bool *shared) {
  if (!e) return;
  if (e->k == X_VAR && e->var >= 0) {
    const ir_var *v = &ir->vars.v[e->var];
    if (v->cls != VAR_GLOBAL && v->fn >= 0 && v->fn != f) shared[v->fn] = true;
  }
  for (int i = 0; i < e->n; i++) mark_shared(ir, e->a[i], f, shared);
}

/* Constant gaps of the functions without frames, from their callers;
 * false when some function is called at two different gaps. */
static bool find_gaps(mb *b, bool *conflict) {
  ir_prog *ir = b->ir;
  int n = ir->fns.n;
  bool *known = xcalloc((size_t)n + 1, 1);
  for (int f = 0; f < n; f++) {
    b->gap[f] = 0;
    known[f] = b->framed[f] || f == ir->main_fn;
    conflict[f] = false;
  }
  bool ok = true;
  for (bool changed = true; changed;) {
    changed = false;
    for (int f = 0; f < n; f++) {
      if (!known[f]) continue;
      for (int i = 0; i < ir->fns.v[f].body.n; i++) {
        const ir_stmt *s = &ir->fns.v[f].body.v[i];
        if (s->k != S_CALL || b->framed[s->fn]) continue;
        int g = b->gap[f] + s->depth;
        if (!known[s->fn]) {
          known[s->fn] = true;
          b->gap[s->fn] = g;
          changed = true;
        } else if (b->gap[s->fn] != g && !conflict[s->fn]) {
          conflict[s->fn] = true;
          ok = false;
        }
      }
    }
  }
  free(known);
  return ok;
}

/* Which functions get frames, and the gaps of the others.  A function
 * called at different depths relative to its caller's SP depth gets a
 * frame (its SP then tells its depth); so does one that calls a framed
 * function in tail position (it hands over its own frame).  A function
 * whose variables a lifted procedure reads keeps them static: at the
 * depth limit it may then differ from the evaluator. */
void mb_analyse_depth(mb *b) {
  ir_prog *ir = b->ir;
  int n = ir->fns.n;
  b->framed = xcalloc((size_t)n + 1, sizeof(bool));
  b->gap = xcalloc((size_t)n + 1, sizeof(int));
  bool *shared = xcalloc((size_t)n + 1, 1);
  bool *conflict = xcalloc((size_t)n + 1, 1);
  for (int f = 0; f < n; f++) {
    b->framed[f] = ir->fns.v[f].recursive;
    for (int i = 0; i < ir->fns.v[f].body.n; i++) {
      const ir_stmt *s = &ir->fns.v[f].body.v[i];
      for (int k = 0; k < 3; k++) mark_shared(ir, s->a[k], f, shared);
      for (int k = 0; k < s->nargs; k++) mark_shared(ir, s->args[k], f, shared);
      if (s->var >= 0 && ir->vars.v[s->var].cls != VAR_GLOBAL &&
          ir->vars.v[s->var].fn >= 0 && ir->vars.v[s->var].fn != f)
        shared[ir->vars.v[s->var].fn] = true;
    }
  }
  for (int round = 0; round <= n; round++) {
    bool more = false;
    if (!find_gaps(b, conflict))
      for (int f = 0; f < n; f++)
        if (conflict[f] && !shared[f] && f != ir->main_fn && !b->framed[f])
          b->framed[f] = more = true;
    for (int f = 0; f < n; f++) {
      const ir_fn *F = &ir->fns.v[f];
      if (b->framed[f] || shared[f] || F->is_main) continue;
      for (int i = 0; i + 1 < F->body.n; i++) {
        const ir_stmt *s = &F->body.v[i];
        if (s->k == S_CALL && b->framed[s->fn] && mb_tail_shape(ir, s, s + 1, f)) {
          b->framed[f] = more = true;
          break;
        }
      }
    }
    if (!more) break;
  }
  find_gaps(b, conflict);
  free(shared);
  free(conflict);
}

/* The nested calls compiled code holds: the depth limit, or fewer when
 * the program's frames do not fit (depth_cap). */
int mb_depth_fits(const mb *b) {
  return b->p->depth_cap ? b->p->depth_cap : b->p->max_depth;
}

/* The error site of a push past the depth: the evaluator's error, or,
 * when the stack holds fewer frames than the limit, a refusal. */
int mb_depth_site(mb *b, srcloc loc) {
  if (b->p->depth_cap)
    return mb_site(b, "compile", loc,
                   "compiled code's stack holds %d nested calls of this "
                   "program (frames of %d cells), fewer than the depth limit "
                   "%d: run it with --reference for deeper recursion",
                   b->p->depth_cap, b->frame_cells, b->p->max_depth);
  return mb_site(b, "depth", loc,
                 "recursion too deep: more than %d nested calls (raise "
                 "the limit with --max-depth or :limit depth)",
                 b->p->max_depth);
}

gform mb_depth_flag(mb *b, int fn, int k) {
  gate_graph *gg = b->gg;
  /* main runs at depth 0, and without frames SP never moves */
  if (!b->frame_cells || fn == b->ir->main_fn)
    return gf_const(gg, k > mb_depth_fits(b) ? 1 : 0);
  gform x = gf_addk(gg, b->sp, (double)k * b->frame_cells - (double)b->depth_top + 1);
  return gf_gate(gg, gg_step(gg, "too deep", x));
}

void mb_layout_vars(mb *b) {
  ir_prog *ir = b->ir;
  mb_new_cell(b, "SP", -1, NULL, -1);
  mb_new_cell(b, "HP", -1, NULL, -1);
  mb_new_cell(b, "WADDR", -1, NULL, -1);
  mb_new_cell(b, "RV", -1, NULL, -1);
  b->home = xcalloc((size_t)ir->vars.n + 64, sizeof(var_home));
  b->fn_frame = xcalloc((size_t)ir->fns.n, sizeof(int));
  b->fn_ret_cell = xcalloc((size_t)ir->fns.n, sizeof(int));
  /* frames: return address at 0, parameters, then the other variables */
  for (int f = 0; f < ir->fns.n; f++) {
    ir_fn *F = &ir->fns.v[f];
    if (!b->framed[f]) continue;
    int size = 1 + F->nparams;
    for (int v = 0; v < ir->vars.n; v++)
      if (ir->vars.v[v].cls != VAR_GLOBAL && ir->vars.v[v].fn == f) {
        bool param = false;
        for (int i = 0; i < F->nparams; i++) param |= F->params[i] == v;
        if (!param) size++;
      }
    b->fn_frame[f] = size;
  }
  /* every frame has the size of the largest, so that the stack's depth in
   * frames is the depth of recursion the limit is about */
  int largest = 0;
  for (int f = 0; f < ir->fns.n; f++)
    if (b->fn_frame[f] > largest) largest = b->fn_frame[f];
  for (int f = 0; f < ir->fns.n; f++)
    if (b->framed[f]) b->fn_frame[f] = largest;
  b->frame_cells = largest;
  char buf[96];
  for (int v = 0; v < ir->vars.n; v++) {
    ir_var *x = &ir->vars.v[v];
    if (x->cls == VAR_GLOBAL) {
      b->home[v].addr = mb_new_cell(b, mb_var_name(b, v, buf, sizeof buf), v, x->cell, x->type);
      continue;
    }
    int f = x->fn;
    if (f < 0 || !b->framed[f]) {
      b->home[v].addr = mb_new_cell(b, mb_var_name(b, v, buf, sizeof buf), v, NULL, x->type);
      continue;
    }
    ir_fn *F = &ir->fns.v[f];
    int off = -1;
    for (int i = 0; i < F->nparams; i++)
      if (F->params[i] == v) off = 1 + i;
    if (off < 0) {
      /* count earlier non-parameter variables of f */
      off = 1 + F->nparams;
      for (int u = 0; u < v; u++) {
        if (ir->vars.v[u].cls == VAR_GLOBAL || ir->vars.v[u].fn != f) continue;
        bool param = false;
        for (int i = 0; i < F->nparams; i++) param |= F->params[i] == u;
        if (!param) off++;
      }
    }
    b->home[v].frame = true;
    b->home[v].off = off - b->fn_frame[f];
  }
  for (int f = 0; f < ir->fns.n; f++) {
    if (f == ir->main_fn || b->framed[f]) continue;
    snprintf(buf, sizeof buf, "ret:%s", sym_name(&b->p->w->syms, ir->fns.v[f].name));
    b->fn_ret_cell[f] = mb_new_cell(b, buf, -1, NULL, -1);
  }
}

void mb_layout_memory(mb *b) {
  int32_t next = b->p->cells.n + 1;
  for (int t = 0; t < b->ir->tables.n && !b->failed; t++) {
    gcell *g = b->ir->tables.v[t];
    const table_def *td = g->table;
    table_layout tl = {g, next, 0, 0};
    for (int i = 0; i < td->n; i++) {
      int32_t k = td->keys[i].kind == VK_SYM ? prog_sym(b, td->keys[i].i) : td->keys[i].i;
      if (i == 0 || k < tl.kmin) tl.kmin = k;
      if (i == 0 || k > tl.kmax) tl.kmax = k;
    }
    if ((int64_t)tl.kmax - tl.kmin > (1 << 20)) {
      mb_fail(b, "the keys of table %s span more than 2^20: the compiled "
                 "lookup needs them closer together",
              sym_name(&b->p->w->syms, g->name));
      return;
    }
    next += tl.kmax - tl.kmin + 1;
    VEC_PUSH(b->p->tables, tl);
  }
  if (b->p->uc_used) next = mb_chars_layout(b, next);
  if (b->p->str_tables) next = mb_strings_layout(b, next);
  if (b->ir->has_rtsym) next = mb_symbols_layout(b, next);   /* msymbols.c */
  next = mb_callcc_layout(b, next);   /* mcallcc.c */
  /* room for max_depth frames: pushing one more raises the depth error.
   * A program whose frames are too large for that gets at least
   * DEPTH_CAP_MIN of them (mb_depth_site) */
  enum { DEPTH_CAP_MIN = 1000 };
  int64_t depth = b->p->w->lim.max_depth;
  b->p->max_depth = (int)depth;
  /* frames are written before the push that checks the depth: room for
   * the largest push above the limit */
  int64_t pstack = mb_print_stack(b);   /* print routines' frames, above */
  int64_t stack = b->frame_cells ? (depth + 1 + b->max_push) * b->frame_cells : 0;
  b->p->depth_cap = 0;
  if (stack + pstack > ADDR_MAX / 4 && b->frame_cells) {
    /* large frames: fewer fit than the limit allows.  The program still
     * compiles; a recursion deeper than what fits stops at run time with a
     * refusal (kind "compile"), never a wrong answer */
    int64_t fit = (ADDR_MAX / 4 - pstack) / b->frame_cells - 1 - b->max_push;
    if (fit < DEPTH_CAP_MIN) {
      mb_fail(b, "the depth limit (%lld) needs more stack than compiled code "
                 "has: lower it with --max-depth or :limit depth", (long long)depth);
      return;
    }
    depth = fit;
    b->p->depth_cap = (int)fit;
    stack = (depth + 1 + b->max_push) * b->frame_cells;
  }
  /* the print routines' stack: what is left of the room, if more */
  int64_t grown = mb_print_grow(b, ADDR_MAX / 4 - stack);
  stack += grown > pstack ? grown : pstack;
  b->p->stack_base = next;
  b->p->stack_end = next + (int32_t)stack;
  b->depth_top = next + (int32_t)((depth + 1) * b->frame_cells);
  b->p->heap_base = b->p->stack_end;
  /* the heap holds max_heap cells, as the evaluator's does, so that the
   * same program runs out of memory at the same vector in both */
  int64_t heap = b->p->w->lim.max_heap;
  b->p->max_heap = heap;
  b->p->heap_end = ADDR_MAX - 1;
  b->p->heap_capped = (int64_t)b->p->heap_base + heap >= ADDR_MAX - 1;
  if (!b->p->heap_capped) b->p->heap_end = b->p->heap_base + (int32_t)heap;
  if (b->p->heap_base >= b->p->heap_end) mb_fail(b, "program too large");
}
