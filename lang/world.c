/* world.c - symbols, interned strings, global cells, the vector heap, the
 * per-form transaction journal, errors and value printing. */
#include "config.h"

#include "lang.h"
#include "bigint.h"
#include "records.h"

#include <stdlib.h>
#include <string.h>

/* ---- symbols -------------------------------------------------------- */

static uint32_t hash_bytes(const char *s, size_t n) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
  return h;
}

void symtab_init(symtab *t) {
  memset(t, 0, sizeof *t);
  t->hash_cap = 256;
  t->hash = xmalloc((size_t)t->hash_cap * sizeof(int));
  for (int i = 0; i < t->hash_cap; i++) t->hash[i] = -1;
}

void symtab_free(symtab *t) {
  for (int i = 0; i < t->names.n; i++) free(t->names.v[i]);
  VEC_FREE(t->names);
  free(t->hash);
  t->hash = NULL;
}

static int probe(const symtab *t, const char *s, size_t n) {
  uint32_t mask = (uint32_t)t->hash_cap - 1;
  uint32_t i = hash_bytes(s, n) & mask;
  for (;;) {
    int id = t->hash[i];
    if (id < 0) return -(int)i - 1;
    const char *name = t->names.v[id];
    if (strlen(name) == n && !memcmp(name, s, n)) return id;
    i = (i + 1) & mask;
  }
}

int sym_lookup(const symtab *t, const char *s, size_t n) {
  int p = probe(t, s, n);
  return p >= 0 ? p : -1;
}

int sym_intern(symtab *t, const char *s, size_t n) {
  int p = probe(t, s, n);
  if (p >= 0) return p;
  if ((t->names.n + 1) * 2 > t->hash_cap) {
    int cap = t->hash_cap * 2;
    free(t->hash);
    t->hash = xmalloc((size_t)cap * sizeof(int));
    t->hash_cap = cap;
    for (int i = 0; i < cap; i++) t->hash[i] = -1;
    for (int id = 0; id < t->names.n; id++) {
      const char *nm = t->names.v[id];
      int q = probe(t, nm, strlen(nm));
      t->hash[-q - 1] = id;
    }
    p = probe(t, s, n);
  }
  char *copy = xmalloc(n + 1);
  memcpy(copy, s, n);
  copy[n] = 0;
  VEC_PUSH(t->names, copy);
  t->hash[-p - 1] = t->names.n - 1;
  return t->names.n - 1;
}

const char *sym_name(const symtab *t, int id) {
  if (id < 0 || id >= t->names.n) return "?";
  return t->names.v[id];
}

const char *vkind_name(vkind k) {
  switch (k) {
  case VK_VOID: return "the unspecified value";
  case VK_INT: return "an integer";
  case VK_BOOL: return "a boolean";
  case VK_SYM: return "a symbol";
  case VK_STR: return "a string";
  case VK_VEC: return "a vector";
  case VK_NIL: return "the empty list";
  case VK_PAIR: return "a pair";
  case VK_PROC: return "a procedure";
  case VK_BOX: return "a box";
  case VK_CHAR: return "a character";
  case VK_PORT: return "a port";
  case VK_EOF: return "the end-of-file object";
  case VK_REC: return "a record";
  case VK_BIG: return "an integer";
  }
  return "a value";
}

/* A value's kind in an error's message: a record of a built-in type
 * (a hash table, a promise) is named as that kind. */
const char *value_kind_name(value v) {
  if (v.kind == VK_REC && v.vec && v.vec->n > 0) return rec_kind_name((int)v.vec->items[0].i);
  return vkind_name((vkind)v.kind);
}

/* ---- the world ------------------------------------------------------ */

world *world_new(void) {
  world *w = xcalloc(1, sizeof *w);
  symtab_init(&w->syms);
  src_init(&w->src);
  w->lim.max_steps = 100000000;
  w->lim.max_depth = 1000000;
  w->lim.max_heap = (int64_t)1 << 22;
  w->lim.max_memory = mem_default_limit();
  w->calls = ffi_log_new();
  arena_init(&w->macro_mem);
  return w;
}

void world_pin(world *w, defblock *b) {
  if (!b || b->pinned) return;
  b->pinned = true;
  b->refs++;
  VEC_PUSH(w->pinned, b);
}

static void free_definitions(world *w) {
  VEC_FREE(w->macros);
  arena_free(&w->macro_mem);
  arena_init(&w->macro_mem);
  for (int i = 0; i < w->pinned.n; i++) defblock_release(w->pinned.v[i]);
  VEC_FREE(w->pinned);
  for (int i = 0; i < w->globals.n; i++) {
    gcell *c = w->globals.v[i];
    if (!c) continue;
    defblock_release(c->blk);
    free(c);
  }
  VEC_FREE(w->globals);
  for (int i = 0; i < w->heap.n; i++) {
    free(w->heap.v[i]->items);
    free(w->heap.v[i]);
  }
  VEC_FREE(w->heap);
  w->heap_cells = 0;
}

void world_free(world *w) {
  if (!w) return;
  free_definitions(w);
  for (int i = 0; i < w->strings.n; i++) free(w->strings.v[i]);
  VEC_FREE(w->strings);
  for (int i = 0; i < w->string_chars.n; i++) free(w->string_chars.v[i].cp);
  VEC_FREE(w->string_chars);
  VEC_FREE(w->gjournal);
  VEC_FREE(w->rec_tids);
  VEC_FREE(w->vjournal);
  symtab_free(&w->syms);
  src_free(&w->src);
  ffi_log_free(w->calls);
  free(w);
}

void world_reset(world *w) {
  free_definitions(w);
  ffi_log_clear(w->calls);
  w->srfi1 = false;
  w->ice9_match = false;
  w->rec_tids.n = 0;
  w->gjournal.n = 0;
  w->vjournal.n = 0;
}

static int new_string(world *w, const char *s, size_t n, bool literal) {
  char *c = xmalloc(n + 1);
  memcpy(c, s, n);
  c[n] = 0;
  VEC_PUSH(w->strings, c);
  struct wchars d = {0, xmalloc((n ? n : 1) * sizeof(int32_t)), literal};
  for (size_t i = 0; i < n;) d.cp[d.n++] = utf8_get(s, n, &i);
  VEC_PUSH(w->string_chars, d);
  return w->strings.n - 1;
}

int world_intern_string(world *w, const char *s, size_t n) {
  for (int i = 0; i < w->strings.n; i++)
    if (!w->string_chars.v[i].literal && strlen(w->strings.v[i]) == n &&
        !memcmp(w->strings.v[i], s, n))
      return i;
  return new_string(w, s, n, false);
}

int world_literal_string(world *w, const char *s, size_t n) {
  return new_string(w, s, n, true);
}

bool world_has_literal_strings(const world *w) {
  for (int i = 0; i < w->string_chars.n; i++)
    if (w->string_chars.v[i].literal) return true;
  return false;
}

const char *world_string(const world *w, int id) {
  return id >= 0 && id < w->strings.n ? w->strings.v[id] : "";
}

/* ---- characters of strings ------------------------------------------ */

/* The code point at s[*i], moving *i past it.  Literals were checked by
 * the reader; a malformed byte (from C code) stands for itself. */
int32_t utf8_get(const char *s, size_t n, size_t *i) {
  const unsigned char *u = (const unsigned char *)s + *i;
  size_t left = n - *i;
  int len = u[0] < 0x80 ? 1 : (u[0] & 0xE0) == 0xC0 ? 2
          : (u[0] & 0xF0) == 0xE0 ? 3 : (u[0] & 0xF8) == 0xF0 ? 4 : 0;
  if (len <= 1 || (size_t)len > left) {
    (*i)++;
    return u[0];
  }
  int32_t cp = u[0] & (0x7F >> len);
  for (int k = 1; k < len; k++) {
    if ((u[k] & 0xC0) != 0x80) {
      (*i)++;
      return u[0];
    }
    cp = (cp << 6) | (u[k] & 0x3F);
  }
  *i += (size_t)len;
  return cp;
}

void utf8_put(strbuf *out, int32_t cp) {
  if (cp < 0x80) {
    sb_putc(out, (char)cp);
  } else if (cp < 0x800) {
    sb_putc(out, (char)(0xC0 | (cp >> 6)));
    sb_putc(out, (char)(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    sb_putc(out, (char)(0xE0 | (cp >> 12)));
    sb_putc(out, (char)(0x80 | ((cp >> 6) & 0x3F)));
    sb_putc(out, (char)(0x80 | (cp & 0x3F)));
  } else {
    sb_putc(out, (char)(0xF0 | (cp >> 18)));
    sb_putc(out, (char)(0x80 | ((cp >> 12) & 0x3F)));
    sb_putc(out, (char)(0x80 | ((cp >> 6) & 0x3F)));
    sb_putc(out, (char)(0x80 | (cp & 0x3F)));
  }
}

int32_t str_length(const world *w, value s) {
  if (s.vec) return s.vec->n;
  return s.i >= 0 && s.i < w->string_chars.n ? w->string_chars.v[s.i].n : 0;
}

int32_t str_ref(const world *w, value s, int32_t i) {
  if (s.vec) return s.vec->items[i].i;
  return w->string_chars.v[s.i].cp[i];
}

void str_utf8(const world *w, value s, strbuf *out) {
  if (!s.vec) {
    sb_puts(out, world_string(w, s.i));
    return;
  }
  for (int32_t i = 0; i < s.vec->n; i++) utf8_put(out, s.vec->items[i].i);
}

gcell *world_find(const world *w, int sym) {
  return sym >= 0 && sym < w->globals.n ? w->globals.v[sym] : NULL;
}

gcell *world_cell(world *w, int sym) {
  while (w->globals.n <= sym) VEC_PUSH(w->globals, (gcell *)NULL);
  if (!w->globals.v[sym]) {
    gcell *c = xcalloc(1, sizeof *c);
    c->name = sym;
    c->kind = G_UNDEFINED;
    w->globals.v[sym] = c;
  }
  return w->globals.v[sym];
}

tvec *world_new_vec(world *w, int32_t n, value fill) {
  return world_new_obj(w, TV_VEC, n, fill);
}

tvec *world_new_obj(world *w, tvec_tag tag, int32_t n, value fill) {
  /* a big integer (--bignum) is not counted in cells: Guile's integers
   * have no such limit, and no cell is ever collected, so a loop over
   * big sums would run out where Guile does not; the --max-memory guard
   * still sees its bytes */
  bool counted = tag != TV_BIG;
  if (n < 0 || (counted && w->heap_cells + n + 2 > w->lim.max_heap)) return NULL;
  tvec *t = xcalloc(1, sizeof *t);
  t->tag = (uint8_t)tag;
  t->n = n;
  t->txn = w->txn;
  t->id = w->heap.n;
  t->items = xmalloc((size_t)(n ? n : 1) * sizeof(value));
  for (int32_t i = 0; i < n; i++) t->items[i] = fill;
  VEC_PUSH(w->heap, t);
  if (counted) w->heap_cells += n + 2;
  return t;
}

/* ---- transactions --------------------------------------------------- */

/* Every change a top-level form makes to a global cell or to a vector that
 * existed before the form is journaled on first touch; vectors made by the
 * form itself are simply dropped on rollback. */
void world_txn_begin(world *w) {
  w->txn++;
  w->gjournal.n = 0;
  w->vjournal.n = 0;
  w->heap_mark = w->heap.n;
}

void world_save_cell(world *w, gcell *c) {
  if (c->txn == w->txn) return;
  struct gsave s = {c, *c, false};
  VEC_PUSH(w->gjournal, s);
  c->txn = w->txn;
}

defblock *world_adopt(arena *mem) {
  defblock *b = xcalloc(1, sizeof *b);
  b->mem = *mem;
  arena_init(mem);
  return b;
}

void defblock_release(defblock *b) {
  if (b && --b->refs <= 0) {
    arena_free(&b->mem);
    free(b);
  }
}

/* What a global that is not a variable is, for messages. */
const char *gkind_text(gkind k) {
  switch (k) {
  case G_FUNC: return "procedure";
  case G_TABLE: return "table";
  case G_EXTERN: return "C function";
  default: return "variable";
  }
}

void world_define(world *w, gcell *c, gkind kind, value val, fn_def *fn,
                  table_def *table, defblock *blk, srcloc loc) {
  struct gsave s = {c, *c, true};
  VEC_PUSH(w->gjournal, s);
  c->txn = w->txn;
  if (blk) blk->refs++;
  c->kind = kind;
  c->val = val;
  c->fn = fn;
  c->table = table;
  c->ext = NULL;
  c->blk = blk;
  c->loc = loc;
  /* versions are never reused, even after a rollback: a compiled program
   * built from a definition that was undone must not look current */
  static uint64_t next_version;
  c->version = ++next_version;
}

void world_define_extern(world *w, gcell *c, extern_def *x, defblock *blk,
                         srcloc loc) {
  world_define(w, c, G_EXTERN, v_void(), NULL, NULL, blk, loc);
  c->ext = x;
}

void world_save_vec(world *w, tvec *v) {
  if (v->txn == w->txn) return;
  struct vsave s = {v, v->n, xmalloc((size_t)(v->n ? v->n : 1) * sizeof(value))};
  memcpy(s.items, v->items, (size_t)v->n * sizeof(value));
  VEC_PUSH(w->vjournal, s);
  v->txn = w->txn;
}

void world_txn_commit(world *w) {
  /* Definitions replaced by this form give up their arenas now. */
  for (int i = 0; i < w->gjournal.n; i++) {
    struct gsave *s = &w->gjournal.v[i];
    if (s->redefine) defblock_release(s->old.blk);
  }
  for (int i = 0; i < w->vjournal.n; i++) free(w->vjournal.v[i].items);
  w->gjournal.n = 0;
  w->vjournal.n = 0;
}

void world_txn_rollback(world *w) {
  for (int i = w->gjournal.n - 1; i >= 0; i--) {
    struct gsave *s = &w->gjournal.v[i];
    if (s->redefine) defblock_release(s->cell->blk);
    uint32_t txn = s->cell->txn;
    *s->cell = s->old;
    s->cell->txn = txn;
  }
  for (int i = w->vjournal.n - 1; i >= 0; i--) {
    struct vsave *s = &w->vjournal.v[i];
    memcpy(s->v->items, s->items, (size_t)s->n * sizeof(value));
    free(s->items);
  }
  for (int i = (int)w->heap_mark; i < w->heap.n; i++) {
    if (w->heap.v[i]->tag != TV_BIG) w->heap_cells -= w->heap.v[i]->n + 2;
    free(w->heap.v[i]->items);
    free(w->heap.v[i]);
  }
  w->heap.n = (int)w->heap_mark;
  w->gjournal.n = 0;
  w->vjournal.n = 0;
}

/* ---- errors --------------------------------------------------------- */

void lang_error_free(lang_error *e) {
  free(e->msg);
  e->msg = NULL;
}

void lang_error_set(lang_error *e, srcloc loc, const char *kind,
                    const char *fmt, ...) {
  strbuf b;
  sb_init(&b);
  va_list ap;
  va_start(ap, fmt);
  sb_vprintf(&b, fmt, ap);
  va_end(ap);
  free(e->msg);
  e->msg = sb_detach(&b);
  e->loc = loc;
  e->kind = kind;
  e->status = 0;   /* exit sets its own after this */
}

/* ---- maps keyed by vector ------------------------------------------- */

/* Printing and equal? walk vector graphs that may share structure or be
 * circular; they remember what they saw here (open addressing on the
 * address, sized to what the walk touches, not to the whole heap). */
typedef struct {
  const tvec **keys;
  int *vals;
  int cap, n;
} vec_map;

static void vmap_free(vec_map *m) {
  free(m->keys);
  free(m->vals);
  memset(m, 0, sizeof *m);
}

static size_t vmap_hash(const tvec *k, int cap) {
  uintptr_t h = (uintptr_t)k;
  h ^= h >> 17;
  h *= (uintptr_t)0x9E3779B97F4A7C15u;
  return (size_t)(h >> 7) & (size_t)(cap - 1);
}

static void vmap_grow(vec_map *m) {
  vec_map bigger = {0};
  bigger.cap = m->cap ? m->cap * 2 : 64;
  bigger.keys = xcalloc((size_t)bigger.cap, sizeof *bigger.keys);
  bigger.vals = xmalloc((size_t)bigger.cap * sizeof *bigger.vals);
  for (int i = 0; i < m->cap; i++) {
    if (!m->keys[i]) continue;
    size_t j = vmap_hash(m->keys[i], bigger.cap);
    while (bigger.keys[j]) j = (j + 1) & (size_t)(bigger.cap - 1);
    bigger.keys[j] = m->keys[i];
    bigger.vals[j] = m->vals[i];
  }
  bigger.n = m->n;
  vmap_free(m);
  *m = bigger;
}

/* The value stored for k, inserted as `init` when k is new. */
static int *vmap_at(vec_map *m, const tvec *k, int init) {
  if ((m->n + 1) * 2 > m->cap) vmap_grow(m);
  size_t j = vmap_hash(k, m->cap);
  while (m->keys[j] && m->keys[j] != k) j = (j + 1) & (size_t)(m->cap - 1);
  if (!m->keys[j]) {
    m->keys[j] = k;
    m->vals[j] = init;
    m->n++;
  }
  return &m->vals[j];
}

/* ---- equivalence ---------------------------------------------------- */

bool value_eqv(value x, value y) {
  if (x.kind != y.kind) return false;
  if (x.kind == VK_STR) return x.vec || y.vec ? x.vec == y.vec : x.i == y.i;
  if (x.kind == VK_VEC || x.kind == VK_PAIR || x.kind == VK_BOX ||
      x.kind == VK_PORT || x.kind == VK_REC)
    return x.vec == y.vec;
  if (x.kind == VK_PROC) return x.vec == y.vec && x.i == y.i;
  if (x.kind == VK_VOID || x.kind == VK_NIL) return true;
  if (x.kind == VK_BIG) return bn_eqv(x, y);
  return x.i == y.i;
}

typedef VEC(int) uf_parents;

static int uf_find(uf_parents *p, int i) {
  while (p->v[i] != i) {
    p->v[i] = p->v[p->v[i]];   /* path halving */
    i = p->v[i];
  }
  return i;
}

static int uf_index(vec_map *m, uf_parents *p, const tvec *t) {
  int fresh = p->n;
  int *slot = vmap_at(m, t, fresh);
  if (*slot == fresh) VEC_PUSH(*p, fresh);
  return *slot;
}

/* Element-wise equality that terminates on circular vectors: two vectors
 * under comparison are assumed equal (their classes are merged) while
 * their elements are compared, which is sound because any difference
 * found anywhere makes the whole answer #f.  Iterative: vectors may nest
 * millions deep. */
typedef struct {
  value a, b;
} value_pair;

static bool str_same(const world *w, value x, value y) {
  if (!x.vec && !y.vec && x.i == y.i) return true;   /* the same constant */
  /* two literals may hold the same text: without the world their
   * characters cannot be read */
  if (!w && (!x.vec || !y.vec)) return false;
  int32_t n = str_length(w, x);
  if (str_length(w, y) != n) return false;
  for (int32_t i = 0; i < n; i++)
    if (str_ref(w, x, i) != str_ref(w, y, i)) return false;
  return true;
}

bool value_equal(value x, value y) { return value_equal_in(NULL, x, y); }

bool value_equal_in(const world *w, value x, value y) {
  VEC(value_pair) todo = {0};
  vec_map seen = {0};
  uf_parents parent = {0};
  bool same = true;
  value_pair first = {x, y};
  VEC_PUSH(todo, first);
  while (same && todo.n > 0) {
    value_pair p = todo.v[--todo.n];
    /* two records are equal when of one type with equal fields (as in
     * Guile): item 0 is the type */
    bool both = (p.a.kind == VK_VEC && p.b.kind == VK_VEC) ||
                (p.a.kind == VK_PAIR && p.b.kind == VK_PAIR) ||
                (p.a.kind == VK_REC && p.b.kind == VK_REC);
    if (!both) {
      if (p.a.kind == VK_STR && p.b.kind == VK_STR) same = str_same(w, p.a, p.b);
      else same = value_eqv(p.a, p.b);
      continue;
    }
    if (p.a.vec == p.b.vec) continue;
    int ra = uf_find(&parent, uf_index(&seen, &parent, p.a.vec));
    int rb = uf_find(&parent, uf_index(&seen, &parent, p.b.vec));
    if (ra == rb) continue;
    if (p.a.vec->n != p.b.vec->n) {
      same = false;
      continue;
    }
    parent.v[ra] = rb;
    for (int32_t i = p.a.vec->n - 1; i >= 0; i--) {
      value_pair q = {p.a.vec->items[i], p.b.vec->items[i]};
      VEC_PUSH(todo, q);
    }
  }
  VEC_FREE(todo);
  VEC_FREE(parent);
  vmap_free(&seen);
  return same;
}

/* ---- printing ------------------------------------------------------- */

static void print_scalar(const world *w, value v, strbuf *out, bool write) {
  switch ((vkind)v.kind) {
  case VK_VOID:
    sb_puts(out, "#<unspecified>");
    return;
  case VK_INT:
    sb_printf(out, "%d", (int)v.i);
    return;
  case VK_BOOL:
    sb_puts(out, v.i ? "#t" : "#f");
    return;
  case VK_SYM:
    /* display shows a name that cannot be read back as write does,
     * #{a b}#, as Guile does */
    sym_write(sym_name(&w->syms, v.i), out);
    return;
  case VK_STR:
    if (write) str_write(w, v, out);
    else str_utf8(w, v, out);
    return;
  case VK_CHAR:
    if (write) char_write(v.i, out);
    else utf8_put(out, v.i);
    return;
  case VK_NIL:
    sb_puts(out, "()");
    return;
  case VK_PROC:
    if (!v.vec) proc_text(&w->syms, &w->src, builtin_at(v.i), NULL, out);
    else if (v.vec->tag == TV_CONT) sb_puts(out, "#<continuation>");
    else if (v.vec->fn) proc_text(&w->syms, &w->src, NULL, v.vec->fn, out);
    else sb_puts(out, "#<procedure>");
    return;
  case VK_BOX:
    print_scalar(w, v.vec->items[0], out, write);
    return;
  case VK_PORT: case VK_EOF:
    port_print(v, out);
    return;
  case VK_REC:
    rec_print(w, v, out, 0);
    return;
  case VK_BIG:
    bn_print(v, out);
    return;
  case VK_VEC:
  case VK_PAIR:
    return;
  }
}

/* Printing follows Guile 3.0: a vector or pair that is already being
 * printed (an ancestor: an enclosing vector, a list being printed, or one
 * of the pairs along that list's cdrs so far) is not walked into again but
 * written #N#, where N is its position on the stack of those objects
 * counted from the top (0 for the newest, -1 for the one below...):
 * (1 2 3 . #-2#) is a list whose fourth cdr is its second pair,
 * (1 . #0#) a pair whose cdr is itself.  Shared structure that is not
 * circular is written in full each time, as in Guile. */
typedef struct walk {
  const tvec *t;
  int32_t next;
  int32_t base;   /* objects on the stack below this vector or list */
} walk;
typedef VEC(walk) walk_stack;

typedef struct {
  walk_stack st;
  VEC(const tvec *) objs;   /* the objects being printed, outermost first */
  vec_map where;            /* object -> 1 + its place in objs; 0: not there */
} printer;

static bool is_obj(value v) { return v.kind == VK_VEC || v.kind == VK_PAIR; }

/* eq? of two values (Guile compares the cdrs as objects). */
static bool same_object(value x, value y) {
  if (x.kind != y.kind) return false;
  if (x.kind == VK_VEC || x.kind == VK_PAIR) return x.vec == y.vec;
  return value_eqv(x, y);
}

/* Where t is on the stack of objects being printed, or -1. */
static int stack_place(printer *p, const tvec *t) {
  if (!p->where.cap) return -1;
  return *vmap_at(&p->where, t, 0) - 1;
}

/* #N#: the object at stack place `at`, counted from `self`: the top, or
 * where pairs below the top that share the top pair's cdr begin (as
 * Guile 3.0 counts: a list whose last pair is its own cdr is written
 * (1 2 . #1#), the last pair counted from the one before it). */
static void back_ref(const printer *p, int at, strbuf *out) {
  int self = p->objs.n - 1;
  const tvec *top = p->objs.v[self];
  while (top->tag == TV_PAIR && self > 0 && p->objs.v[self - 1]->tag == TV_PAIR &&
         same_object(p->objs.v[self - 1]->items[1], top->items[1])) {
    self--;
    top = p->objs.v[self];
  }
  sb_printf(out, "#%d#", at - self);
}

static void push_obj(printer *p, const tvec *t) {
  VEC_PUSH(p->objs, t);
  *vmap_at(&p->where, t, 0) = p->objs.n;
}

/* One value inside a walk: scalars print at once, vectors and pairs are
 * opened and pushed (or written #N#). */
static void print_item(printer *p, const world *w, value v, strbuf *out,
                       bool write) {
  if (!is_obj(v)) {
    print_scalar(w, v, out, write);
    return;
  }
  int at = stack_place(p, v.vec);
  if (at >= 0) {
    back_ref(p, at, out);
    return;
  }
  push_obj(p, v.vec);
  sb_puts(out, v.kind == VK_VEC ? "#(" : "(");
  walk wi = {v.vec, 0, p->objs.n - 1};
  VEC_PUSH(p->st, wi);
}

/* Closes the innermost vector or list: ")" and its objects leave the
 * stack. */
static void close_obj(printer *p, strbuf *out) {
  int32_t base = p->st.v[--p->st.n].base;
  while (p->objs.n > base) *vmap_at(&p->where, p->objs.v[--p->objs.n], 0) = 0;
  sb_putc(out, ')');
}

/* Iterative, so that deeply nested vectors and long lists print in full.
 * A pair's walk entry moves along the list: next 0 prints the car, 1
 * looks at the cdr, 2 closes after a dotted tail. */
void value_print(const world *w, value v, strbuf *out, bool write) {
  if (!is_obj(v)) {
    print_scalar(w, v, out, write);
    return;
  }
  printer p = {0};
  print_item(&p, w, v, out, write);
  while (p.st.n > 0) {
    walk *top = &p.st.v[p.st.n - 1];
    const tvec *t = top->t;
    if (t->tag == TV_PAIR) {
      if (top->next == 0) {
        top->next = 1;
        print_item(&p, w, t->items[0], out, write);
        continue;
      }
      if (top->next == 2) {
        close_obj(&p, out);
        continue;
      }
      value d = t->items[1];
      if (d.kind == VK_NIL) {
        close_obj(&p, out);
      } else if (d.kind == VK_PAIR) {
        int at = stack_place(&p, d.vec);
        if (at >= 0) {   /* the cdr comes back: " . #N#" */
          sb_puts(out, " . ");
          back_ref(&p, at, out);
          close_obj(&p, out);
          continue;
        }
        sb_putc(out, ' ');
        push_obj(&p, d.vec);
        top->t = d.vec;
        top->next = 0;
      } else {
        sb_puts(out, " . ");
        top->next = 2;
        print_item(&p, w, d, out, write);
      }
      continue;
    }
    if (top->next == t->n) {
      close_obj(&p, out);
      continue;
    }
    if (top->next > 0) sb_putc(out, ' ');
    value item = t->items[top->next++];
    print_item(&p, w, item, out, write);
  }
  VEC_FREE(p.st);
  VEC_FREE(p.objs);
  vmap_free(&p.where);
}
