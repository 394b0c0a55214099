/* mtrace.c - the prompt a program starts from, and what a trace says.
 *
 * The prompt sets every static cell ([SETR a][HI][VAL]), loads tables and
 * vectors into the heap ([SETR WADDR][HI][VAL] [SETM][HI][VAL] per cell),
 * and jumps to the entry.  Decoding replays the generated tokens the way
 * the model reads them: a step is complete at its last token, and a write
 * lands where its statement says.
 */
#include "config.h"

#include "mbuild.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int tok(const mprog *p, role r, int64_t v) {
  const vocab_range *x = &p->ranges[r];
  int64_t i = v - x->value0;
  if (i < 0 || i >= x->count) return -1;
  return x->first + (int)i;
}

static bool push_value(const mprog *p, int_vec *out, int64_t v) {
  int64_t h = (int64_t)floor((double)v / 65536.0);
  int64_t l = v - 65536 * h - 32768;
  int th = tok(p, R_HI, h), tl = tok(p, R_VAL, l);
  if (th < 0 || tl < 0) return false;
  VEC_PUSH(*out, th);
  VEC_PUSH(*out, tl);
  return true;
}

int machine_value_tokens(const mprog *p, int64_t v, int toks[2]) {
  if (v < INT32_MIN || v > (p->dyn ? (int64_t)DYN_MAX : INT32_MAX)) return 0;
  if (v >= SHORT_MIN && v <= SHORT_MAX) {
    toks[0] = tok(p, R_VAL, v);
    return toks[0] < 0 ? 0 : 1;
  }
  int64_t h = (int64_t)floor((double)v / 65536.0);
  toks[0] = tok(p, R_HI, h);
  toks[1] = tok(p, R_VAL, v - 65536 * h - 32768);
  return toks[0] < 0 || toks[1] < 0 ? 0 : 2;
}

/* ---- a small map (int64 -> index + 1) --------------------------------- */

/* Lists have as many objects as elements: finding one by a scan would
 * make loading and reading back a long list quadratic. */
typedef struct {
  int64_t *k;
  int *v;
  size_t cap, n;
} imap;

static size_t im_slot(const imap *m, int64_t k) {
  size_t i = (size_t)(((uint64_t)k * 0x9e3779b97f4a7c15ull) >> 20) & (m->cap - 1);
  while (m->v[i] && m->k[i] != k) i = (i + 1) & (m->cap - 1);
  return i;
}

static int im_get(const imap *m, int64_t k) {
  return m->cap ? m->v[im_slot(m, k)] : 0;
}

static void im_put(imap *m, int64_t k, int v) {
  if (2 * (m->n + 1) > m->cap) {
    imap t = {NULL, NULL, m->cap ? 2 * m->cap : 256, 0};
    t.k = xcalloc(t.cap, sizeof *t.k);
    t.v = xcalloc(t.cap, sizeof *t.v);
    for (size_t i = 0; i < m->cap; i++)
      if (m->v[i]) im_put(&t, m->k[i], m->v[i]);
    free(m->k);
    free(m->v);
    *m = t;
  }
  size_t i = im_slot(m, k);
  if (!m->v[i]) m->n++;
  m->k[i] = k;
  m->v[i] = v;
}

static void im_free(imap *m) {
  free(m->k);
  free(m->v);
}

/* ---- machine values of world values --------------------------------- */

typedef struct {
  const mprog *p;
  mload *placed_out;
  imap placed_ix;             /* object -> index + 1 in placed_out */
  int32_t hp;
  i64_vec heap_writes;   /* pairs addr, value */
  char *err;
  size_t errlen;
  bool failed;
} loader;

static int32_t sym_id(const mprog *p, int world_sym) {
  for (int i = 0; i < p->syms.n; i++)
    if (p->syms.v[i] == world_sym) return i + 2;
  return -1;
}

static bool machine_value(loader *L, value v, int type, int64_t *out);

/* A vector of the world on the heap; `type` is its class (its elements'
 * class says whether they carry tags). */
static void note_placed(loader *L, tvec *t, int32_t a, int type) {
  mload *P = L->placed_out;
  struct vplace pl = {t, a, type};
  VEC_PUSH(P->placed, pl);
  im_put(&L->placed_ix, (int64_t)(uintptr_t)t, P->placed.n);
}

static int32_t placed_at(loader *L, const tvec *t) {
  int i = im_get(&L->placed_ix, (int64_t)(uintptr_t)t);
  return i ? L->placed_out->placed.v[i - 1].addr : -1;
}

static int32_t place_vec(loader *L, tvec *t, int type) {
  int32_t found = placed_at(L, t);
  if (found >= 0) return found;
  int32_t a = L->hp;
  if ((int64_t)a + t->n + 2 >= L->p->heap_end) {
    snprintf(L->err, L->errlen, "the vectors do not fit in the heap");
    L->failed = true;
    return 0;
  }
  L->hp += t->n + 2;
  note_placed(L, t, a, type);
  VEC_PUSH(L->heap_writes, a);
  VEC_PUSH(L->heap_writes, t->n);
  VEC_PUSH(L->heap_writes, a + 1);
  VEC_PUSH(L->heap_writes, 0);
  int et = L->p->ir ? ir_elem_type(L->p->ir, type) : -1;
  for (int32_t i = 0; i < t->n && !L->failed; i++) {
    int64_t x;
    if (!machine_value(L, t->items[i], et, &x)) return 0;
    VEC_PUSH(L->heap_writes, a + 2 + i);
    VEC_PUSH(L->heap_writes, x);
  }
  return a;
}

static bool raw_value(loader *L, value v, int type, int64_t *out);

/* A closure of the world on the heap: [count, id, captured values]
 * (backend/mclosure.c); shared, it stays one object. */
static int32_t place_closure(loader *L, tvec *t, int id) {
  int32_t found = placed_at(L, t);
  if (found >= 0) return found;
  int32_t a = L->hp;
  if ((int64_t)a + t->n + 2 >= L->p->heap_end) {
    snprintf(L->err, L->errlen, "the closures do not fit in the heap");
    L->failed = true;
    return 0;
  }
  L->hp += t->n + 2;
  note_placed(L, t, a, -1);
  VEC_PUSH(L->heap_writes, a);
  VEC_PUSH(L->heap_writes, t->n);
  VEC_PUSH(L->heap_writes, a + 1);
  VEC_PUSH(L->heap_writes, id);
  for (int32_t i = 0; i < t->n && !L->failed; i++) {
    int64_t x;
    if (!machine_value(L, t->items[i], ir_closure_cap_type(L->p->ir, id, i), &x)) return 0;
    VEC_PUSH(L->heap_writes, a + 2 + i);
    VEC_PUSH(L->heap_writes, x);
  }
  return a;
}

/* A pair of the world on the heap ([car, cdr], PAIR_CELLS cells), with
 * the pairs that follow it along the cdrs: their addresses first (a walk,
 * however long the list), then their cells (a recursion only into cars).
 * Shared structure stays shared (one address per pair). */
static int32_t place_pair(loader *L, tvec *t, int type) {
  mload *P = L->placed_out;
  int32_t found = placed_at(L, t);
  if (found >= 0) return found;
  int first = P->placed.n;
  const ir_prog *ir = L->p->ir;
  for (tvec *x = t; x && !L->failed;) {
    int32_t a = L->hp;
    if ((int64_t)a + PAIR_CELLS >= L->p->heap_end) {
      snprintf(L->err, L->errlen, "the lists do not fit in the heap");
      L->failed = true;
      return 0;
    }
    L->hp += PAIR_CELLS;
    note_placed(L, x, a, type);
    value d = x->items[1];
    x = d.kind == VK_PAIR && placed_at(L, d.vec) < 0 ? d.vec : NULL;
    type = ir ? ir_pair_type(ir, type, true) : -1;
  }
  int last = P->placed.n;
  for (int i = first; i < last && !L->failed; i++) {
    struct vplace pl = P->placed.v[i];   /* a copy: the car may place more */
    for (int k = 0; k < 2 && !L->failed; k++) {
      int64_t x;
      int cls = ir ? ir_pair_type(ir, pl.type, k == 1) : -1;
      if (!machine_value(L, pl.v->items[k], cls, &x)) return 0;
      VEC_PUSH(L->heap_writes, pl.addr + k);
      VEC_PUSH(L->heap_writes, x);
    }
  }
  return L->failed ? 0 : P->placed.v[first].addr;
}

tkind machine_value_kind(value v) {
  switch ((vkind)v.kind) {
  case VK_INT: return T_INT;
  case VK_BOOL: return T_BOOL;
  case VK_SYM: return T_SYM;
  case VK_STR: return T_STR;
  case VK_VEC: return T_VEC;
  case VK_VOID: return T_VOID;
  case VK_NIL: return T_NIL;
  case VK_PAIR: return T_PAIR;
  case VK_CHAR: return T_CHAR;
  case VK_PROC: return T_PROC;
  case VK_EOF: return T_VOID;   /* the void tag's 1 (lang/lower-ports.c) */
  case VK_REC: return T_VEC;    /* a record: a vector block (lang/lower-records.c) */
  default: return T_ANY;
  }
}

bool machine_table_tagged(const table_def *td) {
  int k = td->n > 0 ? td->vals[0].kind : td->has_default ? td->dflt.kind : -1;
  for (int i = 1; i < td->n; i++)
    if (td->vals[i].kind != k) return true;
  return td->has_default && td->dflt.kind != k;
}

/* The machine value of v in a cell of class `type`: tagged when the class
 * holds values of several kinds. */
static bool machine_value(loader *L, value v, int type, int64_t *out) {
  if (!raw_value(L, v, type, out)) return false;
  if (type < 0 || !L->p->ir || ir_kind(L->p->ir, type) != T_DYN) return true;
  *out += (int64_t)dyn_base(dyn_tag(machine_value_kind(v)));
  return true;
}

static bool raw_value(loader *L, value v, int type, int64_t *out) {
  switch ((vkind)v.kind) {
  case VK_INT: *out = v.i; return true;
  case VK_BOOL: *out = v.i ? 1 : 0; return true;
  case VK_VOID: *out = 0; return true;
  case VK_SYM:
    *out = sym_id(L->p, v.i);
    if (*out < 0) {
      snprintf(L->err, L->errlen, "symbol %s is not in the program's vocabulary",
               sym_name(&L->p->w->syms, v.i));
      L->failed = true;
      return false;
    }
    return true;
  case VK_STR:
    if (v.vec) {   /* a string made at run time: on the heap, as a vector */
      if (!L->p->str_tables) break;
      *out = place_vec(L, v.vec, -1);
      return !L->failed;
    }
    for (int i = 0; i < L->p->strs.n; i++)
      if (L->p->strs.v[i] == v.i) {
        *out = i;
        return true;
      }
    snprintf(L->err, L->errlen, "a string is not in the program's vocabulary");
    L->failed = true;
    return false;
  case VK_VEC:
    *out = place_vec(L, v.vec, type);
    return !L->failed;
  case VK_NIL: *out = 0; return true;
  case VK_CHAR: *out = v.i; return true;
  case VK_PAIR:
    *out = place_pair(L, v.vec, type);
    return !L->failed;
  case VK_PROC: {   /* its id, or a closure (lang/lower-closure.c) */
    int id = L->p->ir ? ir_proc_id(L->p->ir, v) : 0;
    if (id <= 0) break;
    *out = v.vec && v.vec->n ? place_closure(L, v.vec, id) : id;
    return !L->failed;
  }
  case VK_BOX:   /* a closure's captured box: a vector of one (lang/lower-box.c) */
    if (!v.vec) break;
    *out = place_vec(L, v.vec, type);
    return !L->failed;
  case VK_PORT:   /* a string port: a vector of one (lang/lower-ports.c) */
    if (!v.vec || v.vec->n != 1) break;
    *out = place_vec(L, v.vec, type);
    return !L->failed;
  case VK_EOF:   /* the void tag's 1 (lang/lower-ports.c) */
    *out = 1;
    return true;
  case VK_REC:   /* a record: tid, then its fields (lang/lower-records.c) */
    if (!v.vec) break;
    *out = place_vec(L, v.vec, type);
    return !L->failed;
  case VK_BIG:   /* --bignum: the evaluator's only (docs/bignum.md) */
    snprintf(L->err, L->errlen, "compiled code cannot hold an integer past 32 bits yet");
    L->failed = true;
    return false;
  }
  snprintf(L->err, L->errlen, "compiled code cannot hold %s yet",
           vkind_name((vkind)v.kind));
  L->failed = true;
  return false;
}

void mload_free(mload *l) { VEC_FREE(l->placed); }

bool machine_prompt(mprog *p, const value *args, int nargs, int_vec *prompt,
                    mload *load, char *err, size_t errlen) {
  loader L;
  memset(&L, 0, sizeof L);
  L.p = p;
  L.placed_out = load;
  load->placed.n = 0;
  L.hp = p->heap_base;
  L.err = err;
  L.errlen = errlen;
  prompt->n = 0;
  VEC_PUSH(*prompt, tok(p, R_BOS, 0));
  int ncells = p->cells.n;
  int64_t *init = xcalloc((size_t)(ncells ? ncells : 1), sizeof(int64_t));
  init[REG_SP] = p->stack_base;
  for (int a = 1; a < ncells && !L.failed; a++) {
    const static_cell *c = &p->cells.v[a];
    if (c->global && c->global->kind == G_VAR)
      machine_value(&L, c->global->val, c->type, &init[a]);
    else if (c->var >= 0 && p->ir && p->ir->vars.v[c->var].konst)
      machine_value(&L, *p->ir->vars.v[c->var].konst, c->type, &init[a]);   /* a quoted list */
  }
  if (nargs != p->main_params.n && !L.failed) {
    snprintf(err, errlen, "%d arguments for %d parameters", nargs, p->main_params.n);
    L.failed = true;
  }
  for (int i = 0; i < nargs && !L.failed; i++) {
    int a = p->main_params.v[i];
    machine_value(&L, args[i], p->cells.v[a].type, &init[a]);
  }
  /* tables: one cell per key */
  for (int t = 0; t < p->tables.n && !L.failed; t++) {
    const table_layout *tl = &p->tables.v[t];
    const table_def *td = tl->table->table;
    bool tagged = machine_table_tagged(td);
    for (int i = 0; i < td->n && !L.failed; i++) {
      int64_t k, v;
      if (!machine_value(&L, td->keys[i], -1, &k) || !machine_value(&L, td->vals[i], -1, &v))
        break;
      /* values of several kinds carry their kind, as the lookups read them */
      if (tagged) v += (int64_t)dyn_base(dyn_tag(machine_value_kind(td->vals[i])));
      VEC_PUSH(L.heap_writes, tl->base + k - tl->kmin);
      VEC_PUSH(L.heap_writes, v);
    }
  }
  if (p->uc_used) machine_chars_prompt(p, &L.heap_writes);
  if (p->str_tables) machine_strings_prompt(p, &L.heap_writes);
  machine_symbols_prompt(p, &L.heap_writes);   /* msymbols.c */
  init[REG_HP] = L.hp;
  load->heap_top = L.hp;
  bool ok = !L.failed;
  for (int a = 1; a < ncells && ok; a++) {
    VEC_PUSH(*prompt, tok(p, R_SETR, a));
    ok = push_value(p, prompt, init[a]);
  }
  for (int i = 0; i + 1 < L.heap_writes.n && ok; i += 2) {
    VEC_PUSH(*prompt, tok(p, R_SETR, REG_WADDR));
    ok = push_value(p, prompt, L.heap_writes.v[i]);
    VEC_PUSH(*prompt, tok(p, R_SETM, 0));
    ok = ok && push_value(p, prompt, L.heap_writes.v[i + 1]);
  }
  VEC_PUSH(*prompt, tok(p, R_JUMP, p->entry_pc));
  if (ok && !L.failed) {
    /* a later WADDR write must not be confused with the loader's */
  }
  free(init);
  VEC_FREE(L.heap_writes);
  im_free(&L.placed_ix);
  if (!ok && !L.failed) snprintf(err, errlen, "a value does not fit the vocabulary");
  return ok && !L.failed;
}

/* ---- decoding ------------------------------------------------------- */

void mtrace_init(mtrace *t) {
  memset(t, 0, sizeof *t);
  sb_init(&t->output);
  sb_init(&t->result);
  sb_init(&t->errval);
  t->err_site = -1;
}

void mtrace_free(mtrace *t) {
  sb_free(&t->output);
  sb_free(&t->result);
  sb_free(&t->errval);
  free(t->cells);
  free(t->cell_written);
  VEC_FREE(t->mem);
  free(t->mem_index);
}

/* The cells written at run time (frames, heap) are found through a hash
 * index, so that a run that writes n addresses costs O(n), not O(n^2). */
static uint32_t mem_hash(int32_t addr, int cap) {
  return ((uint32_t)addr * 2654435761u) & (uint32_t)(cap - 1);
}

static int32_t *mem_slot(const mtrace *t, int32_t addr) {
  if (!t->mem_index_cap) return NULL;
  uint32_t h = mem_hash(addr, t->mem_index_cap);
  for (;;) {
    int32_t *s = &t->mem_index[h];
    if (!*s || t->mem.v[*s - 1].addr == addr) return s;
    h = (h + 1) & (uint32_t)(t->mem_index_cap - 1);
  }
}

static void mem_reindex(mtrace *t) {
  int cap = t->mem_index_cap ? 2 * t->mem_index_cap : 64;
  free(t->mem_index);
  t->mem_index = xcalloc((size_t)cap, sizeof *t->mem_index);
  t->mem_index_cap = cap;
  for (int i = 0; i < t->mem.n; i++) *mem_slot(t, t->mem.v[i].addr) = i + 1;
}

static void mem_write(mtrace *t, int32_t addr, int64_t v) {
  if (2 * (t->mem.n + 1) > t->mem_index_cap) mem_reindex(t);
  int32_t *s = mem_slot(t, addr);
  if (*s) {
    t->mem.v[*s - 1].val = v;
    return;
  }
  struct mcell c = {addr, v};
  VEC_PUSH(t->mem, c);
  *s = t->mem.n;
}

/* Text goes to the result while inside RESULT .. HALT, to the error
 * message in a kind error's report; otherwise it is output, handed on at
 * once when the caller asked to stream it. */
static void emit_text(mdecoder *d, const char *s, size_t n) {
  if (d->pc >= 0 && d->pc < d->p->npc && d->p->steps[d->pc].errval) {
    sb_putn(&d->t->errval, s, n);
    return;
  }
  if (d->in_result) {
    sb_putn(&d->t->result, s, n);
    return;
  }
  sb_putn(&d->t->output, s, n);
  if (d->stream && n) d->stream(d->stream_ctx, s, n);
}

static void sym_text(const mprog *p, int32_t v, int kind, strbuf *out) {
  if (kind == T_BOOL || v < 2) {
    sb_puts(out, v ? "#t" : "#f");
    return;
  }
  /* display and write both show a name that cannot be read back as
   * #{...}#, as the evaluator (and Guile) do */
  if (v - 2 < p->syms.n) sym_write(sym_name(&p->w->syms, p->syms.v[v - 2]), out);
  else sb_printf(out, "?sym%d", (int)v);
}

static int32_t target_addr(mdecoder *d, const mstep_info *s) {
  int64_t *cells = d->t->cells;
  switch (s->tgt) {
  case TGT_STATIC: return s->addr;
  case TGT_FRAME: return (int32_t)cells[REG_SP] + s->off;
  case TGT_WADDR: return (int32_t)cells[REG_WADDR] + s->off;
  case TGT_HP: return (int32_t)cells[REG_HP] + s->off;
  default: return -1;
  }
}

/* Statement `pc` completed with value v. */
static void complete(mdecoder *d, int pc, int64_t v) {
  const mstep_info *s = &d->p->steps[pc];
  mtrace *t = d->t;
  t->steps++;
  char buf[32];
  switch (s->k) {
  case M_WRITE: {
    if (s->tool && s->tool_arg >= 0 && s->tool_arg < 16) d->tool_args[s->tool_arg] = (int32_t)v;
    int32_t a = target_addr(d, s);
    if (s->tgt == TGT_STATIC && a > 0 && a < d->p->cells.n) {
      t->cells[a] = v;
      t->cell_written[a] = true;
    } else {
      mem_write(t, a, v);
    }
    break;
  }
  case M_OUTINT: {
    if (s->out_kind == T_CHAR || s->out_kind == T_STR || s->out_kind == T_SYM) {
      strbuf sb;
      sb_init(&sb);
      if (s->out_kind == T_SYM && sym_char_escaped((int32_t)v))
        sb_printf(&sb, "\\x%x;", (unsigned)v);   /* inside #{...}#, as sym_write */
      else if (s->out_kind == T_SYM) utf8_put(&sb, (int32_t)v);
      else if (s->write && s->out_kind == T_STR) str_char_write((int32_t)v, &sb);
      else if (s->write) char_write((int32_t)v, &sb);
      else utf8_put(&sb, (int32_t)v);
      emit_text(d, sb.s, sb.n);
      sb_free(&sb);
      break;
    }
    /* digits: a part of a number, written whole (mreport3.c) */
    int n = s->digits ? snprintf(buf, sizeof buf, "%0*lld", s->digits, (long long)llabs(v))
                      : snprintf(buf, sizeof buf, "%lld", (long long)v);
    size_t at = t->errval.n;
    emit_text(d, buf, (size_t)n);
    if (s->errval && t->nerrval_at < 8) {
      t->errval_at[t->nerrval_at++] = (int)at;
      t->errval_at[t->nerrval_at++] = (int)t->errval.n;
    }
    break;
  }
  default:
    break;
  }
}

void mdecoder_init(mdecoder *d, const mprog *p, const int *prompt,
                   int nprompt, mtrace *t) {
  memset(d, 0, sizeof *d);
  d->p = p;
  d->t = t;
  int ncells = p->cells.n;
  t->cells = xcalloc((size_t)(ncells ? ncells : 1), sizeof(int64_t));
  t->cell_written = xcalloc((size_t)(ncells ? ncells : 1), sizeof(bool));
  /* replay the prompt's static cells, so frame and heap writes land right */
  for (int i = 0; i + 2 < nprompt; i++) {
    if (model_token_range(p->m, prompt[i]) != R_SETR) continue;
    int32_t a = (int32_t)model_token_value(p->m, prompt[i]);
    int64_t h = model_token_value(p->m, prompt[i + 1]);
    int64_t l = model_token_value(p->m, prompt[i + 2]);
    if (a > 0 && a < ncells) t->cells[a] = 65536 * h + l + 32768;
    /* the loader's heap writes (SETR WADDR v, SETM v): the host reads
     * heap cells for some error messages (mhostval.c) */
    if (a == REG_WADDR && i + 5 < nprompt && model_token_range(p->m, prompt[i + 3]) == R_SETM)
      mem_write(t, (int32_t)t->cells[REG_WADDR],
                65536 * model_token_value(p->m, prompt[i + 4]) +
                    model_token_value(p->m, prompt[i + 5]) + 32768);
  }
  d->pc = p->entry_pc;
  d->tool = -1;
}

int mdecoder_tool_pending(const mdecoder *d, const int32_t **args) {
  if (d->have_hi || d->after_lo || d->t->halted || d->t->failed) return -1;
  if (d->pc < 0 || d->pc >= d->p->npc) return -1;
  const mstep_info *s = &d->p->steps[d->pc];
  if (!s->tool || s->tool_arg != -1) return -1;
  if (args) *args = d->tool_args;
  return s->tool - 1;
}

int machine_tool_error_token(const mprog *p, const mdecoder *d) {
  if (d->pc < 0 || d->pc >= p->npc) return -1;
  return tok(p, R_ERR, p->steps[d->pc].tool_site);
}

static bool bad(mdecoder *d, char *err, size_t errlen, const char *what) {
  snprintf(err, errlen, "malformed trace at generated token %lld: %s",
           (long long)d->t->tokens - 1, what);
  return false;
}

bool mdecoder_push(mdecoder *d, int token, char *err, size_t errlen) {
  const mprog *p = d->p;
  mtrace *t = d->t;
  t->tokens++;
  int r = model_token_range(p->m, token);
  int64_t v = model_token_value(p->m, token);
  if (r < 0 || d->pc < 0 || d->pc > p->npc) return bad(d, err, errlen, "no such step");
  if (d->have_hi) {
    if (r != R_VAL) return bad(d, err, errlen, "HI not followed by VAL");
    complete(d, d->pc, 65536 * d->pending_hi + v + 32768);
    d->have_hi = false;
    d->after_lo = true;
    return true;
  }
  if (d->after_lo) {
    if (r != R_JUMP) return bad(d, err, errlen, "no resync after a long value");
    /* the next step's own jump in the resync's place */
    if (d->pc + 1 < p->npc && p->steps[d->pc + 1].after_long) t->steps++;
    d->pc = (int)v;
    d->after_lo = false;
    return true;
  }
  switch ((role)r) {
  case R_HI:
    d->pending_hi = v;
    d->have_hi = true;
    return true;
  case R_VAL:
    complete(d, d->pc, v);
    d->pc++;
    return true;
  case R_JUMP:
    t->steps++;
    d->pc = (int)v;
    return true;
  case R_SYM: {
    strbuf sb;
    sb_init(&sb);
    sym_text(p, (int32_t)v, p->steps[d->pc].out_kind, &sb);
    emit_text(d, sb.s, sb.n);
    sb_free(&sb);
    break;
  }
  case R_STR: {
    if (v < 0 || v >= p->strs.n) return bad(d, err, errlen, "no such string");
    if (p->steps[d->pc].write) {
      strbuf sb;
      sb_init(&sb);
      value_print(p->w, v_str(p->strs.v[v]), &sb, true);
      emit_text(d, sb.s, sb.n);
      sb_free(&sb);
      break;
    }
    const char *str = world_string(p->w, p->strs.v[v]);
    emit_text(d, str, strlen(str));
    break;
  }
  case R_NL:
    emit_text(d, "\n", 1);
    break;
  case R_PRINT:
    break;
  case R_CALL:
    if (v < 0 || v >= p->externs.n) return bad(d, err, errlen, "no such extern");
    d->tool = (int)v;
    t->tool_calls++;
    break;
  case R_RESULT:
    d->in_result = true;
    t->has_result = true;
    break;
  case R_HALT:
    t->halted = true;
    t->steps++;
    if (p->result_cell > 0) t->result_value = t->cells[p->result_cell];
    return true;
  case R_ERR:
    t->failed = true;
    t->err_site = (int)v;
    t->err_pc = d->pc;
    return true;
  default:
    return bad(d, err, errlen, "a prompt token was generated");
  }
  t->steps++;
  d->pc++;
  return true;
}

/* A whole text the model printed, where a value it names sits between
 * two ERRTEXT_CUT bytes (lang/lower-apply3.c): that value cut as the
 * evaluator cuts a value in a message (60 bytes: 57 and "..."). */
static void put_marked(strbuf *out, const char *s, size_t n) {
  for (size_t i = 0; i < n;) {
    const char *m = memchr(s + i, ERRTEXT_CUT, n - i);
    const char *z = m ? memchr(m + 1, ERRTEXT_CUT, n - (size_t)(m + 1 - s)) : NULL;
    if (!z) {
      sb_putn(out, s + i, n - i);
      return;
    }
    sb_putn(out, s + i, (size_t)(m - (s + i)));
    size_t len = (size_t)(z - m - 1);
    if (len > 60) {
      sb_putn(out, m + 1, 57);
      sb_puts(out, "...");
    } else {
      sb_putn(out, m + 1, len);
    }
    i = (size_t)(z + 1 - s);
  }
}

void machine_error_text(const mprog *p, const mtrace *t, strbuf *out) {
  if (t->err_site < 0 || t->err_site >= p->sites.n) return;
  const err_site *e = &p->sites.v[t->err_site];
  if (e->hcode && mb_host_text(p, t, e, out)) return;   /* mhostval.c, mhostrun.c */
  if (e->value_slots) {
    for (const char *s = e->msg; *s; s++) {
      int i = (unsigned char)*s - 1;
      if (i < 0 || i >= 4) {
        sb_putc(out, *s);
      } else if (2 * i + 1 < t->nerrval_at) {
        int a = t->errval_at[2 * i], z = t->errval_at[2 * i + 1];
        sb_putn(out, t->errval.s + a, (size_t)(z - a));
      }
    }
    return;
  }
  sb_puts(out, e->msg);
  if (!e->value_follows) return;
  size_t n = t->errval.n;
  if (e->msg[0] || !e->value_bare) sb_puts(out, e->value_bare ? " " : " (");
  /* a value in a message is cut; a whole text printed by the program
   * (error, exit, mvreport.c) is not */
  if (n > 60 && e->msg[0]) {
    sb_putn(out, t->errval.s, 57);
    sb_puts(out, "...");
  } else {
    put_marked(out, t->errval.s ? t->errval.s : "", n);
  }
  if (!e->value_bare) sb_putc(out, ')');
}

bool machine_decode(const mprog *p, const int *prompt, int nprompt,
                    const int *gen, int ngen, mtrace *t, char *err,
                    size_t errlen) {
  mdecoder d;
  mdecoder_init(&d, p, prompt, nprompt, t);
  for (int i = 0; i < ngen && !t->halted && !t->failed; i++)
    if (!mdecoder_push(&d, gen[i], err, errlen)) return false;
  return true;
}

void machine_token_text(const mprog *p, int token, strbuf *out) {
  int r = model_token_range(p->m, token);
  if (r < 0) {
    sb_printf(out, "?%d", token);
    return;
  }
  int64_t v = model_token_value(p->m, token);
  if (r == R_CALL && v >= 0 && v < p->externs.n) {
    sb_printf(out, "CALL %s", sym_name(&p->w->syms, p->externs.v[v]->ext->name));
    return;
  }
  /* markers carry no value; a valued role shows it even when its range
   * has one token (one string in the program is STR 0) */
  bool marker = r == R_NL || r == R_PRINT || r == R_RESULT || r == R_HALT ||
                r == R_BOS || r == R_SETM;
  if (marker && p->ranges[r].count == 1) sb_printf(out, "%s", p->ranges[r].role);
  else sb_printf(out, "%s %lld", p->ranges[r].role, (long long)v);
}

/* ---- writing back --------------------------------------------------- */

bool mtrace_mem_read(const mtrace *t, int32_t addr, int64_t *v) {
  int32_t *s = mem_slot(t, addr);
  if (!s || !*s) return false;
  *v = t->mem.v[*s - 1].val;
  return true;
}

typedef struct {
  const mprog *p;
  const mtrace *t;
  mload *load;
  char *err;
  size_t errlen;
  /* objects made or found but not filled yet: read back by a loop over
   * this stack, not a recursion, so that values nested to any depth come
   * back */
  VEC(struct vtask { int kind; int type; int32_t addr; tvec *v; int64_t len, fill; }) todo;
  VEC(struct vdone { int32_t addr; tvec *v; }) done;
  imap done_ix;       /* address -> index + 1 in done */
  imap placed_ix;     /* address -> index + 1 in load->placed (pairs) */
} backer;

static void note_done(backer *k, int32_t addr, tvec *v) {
  struct vdone d = {addr, v};
  VEC_PUSH(k->done, d);
  im_put(&k->done_ix, addr, k->done.n);
}

static void backer_free(backer *k) {
  VEC_FREE(k->todo);
  VEC_FREE(k->done);
  im_free(&k->done_ix);
  im_free(&k->placed_ix);
}

static bool to_world(backer *k, int type, int64_t v, value *out);

enum { TASK_VEC, TASK_PAIR, TASK_CLOSURE };

static void defer(backer *k, int kind, int type, int32_t addr, tvec *v, int64_t len,
                  int64_t fill) {
  struct vtask t = {kind, type, addr, v, len, fill};
  VEC_PUSH(k->todo, t);
}

/* A string made at run time (or loaded by the prompt) at addr: [length,
 * 0, characters] (mstrings.c), as the world's heap string. */
static bool string_at(backer *k, int32_t addr, value *out) {
  int di = im_get(&k->done_ix, addr);
  if (di) {
    *out = v_heapstr(k->done.v[di - 1].v);
    return true;
  }
  tvec *vec = NULL;
  for (int i = 0; i < k->load->placed.n; i++)
    if (k->load->placed.v[i].addr == addr) vec = k->load->placed.v[i].v;
  int64_t len = 0;
  if (!mtrace_mem_read(k->t, addr, &len)) {
    if (!vec) {
      snprintf(k->err, k->errlen, "a string at %d has no length in the trace", (int)addr);
      return false;
    }
    len = vec->n;
  }
  if (!vec) {
    vec = world_new_obj(k->p->w, TV_STR, (int32_t)len, v_char(0));
    if (!vec) {
      snprintf(k->err, k->errlen, "out of memory for the strings of the result");
      return false;
    }
  } else {
    world_save_vec(k->p->w, vec);
  }
  note_done(k, addr, vec);
  for (int32_t i = 0; i < len && i < vec->n; i++) {
    int64_t x;
    if (mtrace_mem_read(k->t, addr + 2 + i, &x)) vec->items[i] = v_char((int32_t)x);
  }
  *out = v_heapstr(vec);
  return true;
}

static tvec *vector_at(backer *k, int type, int32_t addr) {
  int di = im_get(&k->done_ix, addr);
  if (di) return k->done.v[di - 1].v;
  world *w = k->p->w;
  tvec *vec = NULL;
  for (int i = 0; i < k->load->placed.n; i++)
    if (k->load->placed.v[i].addr == addr) vec = k->load->placed.v[i].v;
  int64_t len = 0, fill = 0;
  if (!mtrace_mem_read(k->t, addr, &len)) {
    if (!vec) {
      snprintf(k->err, k->errlen, "a vector at %d has no length in the trace", (int)addr);
      return NULL;
    }
    len = vec->n;   /* loaded by the prompt, unchanged */
  }
  mtrace_mem_read(k->t, addr + 1, &fill);
  if (!vec) {
    vec = world_new_vec(w, (int32_t)len, v_int(0));
    if (!vec) {
      snprintf(k->err, k->errlen, "out of memory for the vectors of the result");
      return NULL;
    }
  } else {
    world_save_vec(w, vec);
  }
  note_done(k, addr, vec);
  defer(k, TASK_VEC, type, addr, vec, len, fill);
  return vec;
}

/* The elements of vector vec at addr that the run wrote (or the fill of
 * a new one). */
static bool vector_fill(backer *k, const struct vtask *T) {
  int type = T->type;
  int32_t addr = T->addr;
  tvec *vec = T->v;
  int64_t len = T->len, fill = T->fill;
  int et = ir_elem_type(k->p->ir, type);
  for (int32_t i = 0; i < len; i++) {
    int64_t x;
    bool written = mtrace_mem_read(k->t, addr + 2 + i, &x);
    if (!written) {
      if (vec->items && i < vec->n && k->load->placed.n) {
        /* a loaded vector keeps elements nobody wrote */
        bool loaded = false;
        for (int j = 0; j < k->load->placed.n; j++) loaded |= k->load->placed.v[j].addr == addr;
        if (loaded) continue;
      }
      x = fill;
    }
    value ev;
    if (!to_world(k, et, x, &ev)) return false;
    vec->items[i] = ev;
  }
  return true;
}

static tvec *done_at(backer *k, int32_t addr) {
  int i = im_get(&k->done_ix, addr);
  return i ? k->done.v[i - 1].v : NULL;
}

/* The loaded pair at addr, or NULL. */
static tvec *loaded_pair(backer *k, int32_t addr) {
  if (!k->placed_ix.cap)
    for (int i = 0; i < k->load->placed.n; i++)
      if (k->load->placed.v[i].v->tag == TV_PAIR)
        im_put(&k->placed_ix, k->load->placed.v[i].addr, i + 1);
  int i = im_get(&k->placed_ix, addr);
  return i ? k->load->placed.v[i - 1].v : NULL;
}

/* The world pair at addr, noted done: one the prompt loaded (saved for
 * the transaction when the run wrote its cells), or a new one; NULL on
 * an error. */
static tvec *pair_obj(backer *k, int32_t a) {
  world *w = k->p->w;
  tvec *p = loaded_pair(k, a);
  int64_t car = 0, cdr = 0;
  bool wcar = mtrace_mem_read(k->t, a, &car), wcdr = mtrace_mem_read(k->t, a + 1, &cdr);
  if (!p && (!wcar || !wcdr)) {
    snprintf(k->err, k->errlen, "a pair at %d has no cells in the trace", (int)a);
    return NULL;
  }
  if (!p) {
    p = world_new_obj(w, TV_PAIR, 2, v_nil());
    if (!p) {
      snprintf(k->err, k->errlen, "out of memory for the pairs of the result");
      return NULL;
    }
  } else if (wcar || wcdr) {
    world_save_vec(w, p);
  }
  note_done(k, a, p);
  return p;
}

/* The world pair at addr; its cells are read later (pair_fill). */
static tvec *pair_at(backer *k, int type, int32_t addr) {
  tvec *p = done_at(k, addr);
  if (p) return p;
  p = pair_obj(k, addr);
  if (p) defer(k, TASK_PAIR, type, addr, p, 0, 0);
  return p;
}

/* The cells of pair T->v and of the pairs after it along the cdrs (a
 * walk, however long the list): a pair the prompt loaded is updated
 * where the run wrote its cells, one the run made is new. */
static bool pair_fill(backer *k, const struct vtask *T) {
  const ir_prog *ir = k->p->ir;
  tvec *p = T->v;
  int32_t a = T->addr;
  for (int cls = T->type;;) {
    int64_t car = 0, cdr = 0;
    bool wcar = mtrace_mem_read(k->t, a, &car), wcdr = mtrace_mem_read(k->t, a + 1, &cdr);
    if (wcar) {
      value x;
      if (!to_world(k, ir_pair_type(ir, cls, false), car, &x)) return false;
      p->items[0] = x;
    }
    if (!wcdr) break;   /* loaded, and its cdr unchanged */
    int dcls = ir_pair_type(ir, cls, true);
    int64_t dv = cdr;
    tkind dk = ir_kind(ir, dcls);
    if (dk == T_DYN) dk = machine_untag(&dv);
    if (dk != T_PAIR) {
      value x;
      if (!to_world(k, dcls, cdr, &x)) return false;
      p->items[1] = x;
      break;
    }
    tvec *np = done_at(k, (int32_t)dv);
    if (np) {   /* read back already, or to be */
      p->items[1] = v_pair(np);
      break;
    }
    np = pair_obj(k, (int32_t)dv);
    if (!np) return false;
    p->items[1] = v_pair(np);
    p = np;
    a = (int32_t)dv;
    cls = dcls;
  }
  return true;
}

/* The closure at addr: one the prompt loaded (its captured values never
 * change), or a new one with the values the run wrote. */
static bool closure_at(backer *k, int32_t addr, value *out) {
  tvec *t = done_at(k, addr);
  for (int i = 0; !t && i < k->load->placed.n; i++)
    if (k->load->placed.v[i].addr == addr && k->load->placed.v[i].v->tag == TV_CLOSURE)
      t = k->load->placed.v[i].v;
  if (t) {
    *out = v_proc(t);
    return true;
  }
  int64_t n = 0, id = 0;
  if (!mtrace_mem_read(k->t, addr, &n) || !mtrace_mem_read(k->t, addr + 1, &id) || n < 0 || n > 64) {
    snprintf(k->err, k->errlen, "a closure at %d is not in the trace", (int)addr);
    return false;
  }
  t = ir_closure_new(k->p->w, k->p->ir, (int)id, (int)n);
  if (!t) {
    snprintf(k->err, k->errlen, "a closure of the result cannot be kept");
    return false;
  }
  note_done(k, addr, t);
  defer(k, TASK_CLOSURE, (int)id, addr, t, n, 0);
  *out = v_proc(t);
  return true;
}

/* The captured values of a closure the run made. */
static bool closure_fill(backer *k, const struct vtask *T) {
  tvec *t = T->v;
  int64_t n = T->len, id = T->type;
  int32_t addr = T->addr;
  for (int32_t j = 0; j < n; j++) {
    int64_t x = 0;
    mtrace_mem_read(k->t, addr + 2 + j, &x);
    if (!to_world(k, ir_closure_cap_type(k->p->ir, (int)id, j), x, &t->items[j])) return false;
    if (j < 64 && id >= 1 && id <= k->p->ir->procs.n &&
        (k->p->ir->procs.v[id - 1].cap_boxed >> j & 1) && t->items[j].vec) {
      /* a box (lang/lower-box.c): the vector of one the run made, or the
       * box the prompt loaded */
      t->items[j].vec->tag = TV_BOX;
      t->items[j].kind = VK_BOX;
    }
  }
  return true;
}

/* Fills what to_world made, until nothing is left to fill. */
static bool drain(backer *k) {
  while (k->todo.n) {
    struct vtask T = k->todo.v[--k->todo.n];
    bool ok = T.kind == TASK_VEC ? vector_fill(k, &T)
              : T.kind == TASK_PAIR ? pair_fill(k, &T)
                                    : closure_fill(k, &T);
    if (!ok) return false;
  }
  return true;
}

/* v of class type as a world value, with everything it holds. */
static bool to_world_all(backer *k, int type, int64_t v, value *out) {
  return to_world(k, type, v, out) && drain(k);
}

tkind machine_untag(int64_t *v) {
  if (*v <= INT32_MAX) return T_INT;
  int tag = (int)((*v - (int64_t)DYN_BASE) / (int64_t)DYN_SPAN) + 1;
  *v -= (int64_t)dyn_base(tag);
  switch (tag) {
  case TAG_SYM: return *v < 2 ? T_BOOL : T_SYM;
  case TAG_VOID: return T_VOID;
  case TAG_STR: return T_STR;
  case TAG_VEC: return T_VEC;
  case TAG_NIL: return T_NIL;
  case TAG_PAIR: return T_PAIR;
  case TAG_CHAR: return T_CHAR;
  case TAG_PROC: return T_PROC;
  default: return T_ANY;
  }
}

/* A symbol made at run time (backend/msymbols.c): its name's block, read
 * from the trace, interned in the world. */
static bool made_symbol(backer *k, int32_t addr, value *out) {
  int64_t len = 0;
  if (!mtrace_mem_read(k->t, addr, &len) || len < 0) {
    snprintf(k->err, k->errlen, "a symbol at %d has no name in the trace", (int)addr);
    return false;
  }
  strbuf sb;
  sb_init(&sb);
  for (int64_t i = 0; i < len; i++) {
    int64_t x = 0;
    if (!mtrace_mem_read(k->t, addr + 2 + (int32_t)i, &x)) {
      sb_free(&sb);
      snprintf(k->err, k->errlen, "a symbol at %d has no name in the trace", (int)addr);
      return false;
    }
    utf8_put(&sb, (int32_t)x);
  }
  *out = v_sym(sym_intern(&k->p->w->syms, sb.s ? sb.s : "", sb.n));
  sb_free(&sb);
  return true;
}

static bool to_world(backer *k, int type, int64_t v, value *out) {
  tkind kind = ir_kind(k->p->ir, type);
  if (kind == T_DYN) kind = machine_untag(&v);
  switch (kind) {
  case T_INT: *out = v_int((int32_t)v); return true;
  case T_BOOL: *out = v_bool(v != 0); return true;
  case T_VOID:   /* 1: the end-of-file object (lang/lower-ports.c) */
    if (v == 1) out->kind = VK_EOF, out->i = 0, out->vec = NULL;
    else *out = v_void();
    return true;
  case T_NIL: *out = v_nil(); return true;
  case T_CHAR: *out = v_char((int32_t)v); return true;
  case T_PROC:
    if (v > k->p->ir->procs.n) return closure_at(k, (int32_t)v, out);
    *out = ir_proc_world_value(k->p->w, k->p->ir, (int)v);
    if (out->kind == VK_PROC) return true;
    snprintf(k->err, k->errlen, "out of memory for a procedure of the result");
    return false;
  case T_PAIR: {
    tvec *p = pair_at(k, type, (int32_t)v);
    if (!p) return false;
    *out = v_pair(p);
    return true;
  }
  case T_SYM:
    if (k->p->sym_base && v > k->p->sym_base) return made_symbol(k, (int32_t)v, out);
    if (v < 2 || v - 2 >= k->p->syms.n) {
      snprintf(k->err, k->errlen, "symbol %d is not in the vocabulary", (int)v);
      return false;
    }
    *out = v_sym(k->p->syms.v[v - 2]);
    return true;
  case T_STR:
    if (k->p->str_tables && v >= k->p->str_n) return string_at(k, (int32_t)v, out);
    if (v < 0 || v >= k->p->strs.n) return false;
    *out = v_str(k->p->strs.v[v]);
    return true;
  case T_VEC: {
    tvec *vec = vector_at(k, type, (int32_t)v);
    if (!vec) return false;
    *out = v_vec(vec);
    if (ir_is_port(k->p->ir, type)) {   /* a string port (lang/lower-ports.c) */
      vec->tag = TV_PORT;
      out->kind = VK_PORT;
    } else if (ir_is_rec(k->p->ir, type)) {   /* a record (lang/lower-records.c) */
      vec->tag = TV_REC;
      out->kind = VK_REC;
    }
    return true;
  }
  default:
    snprintf(k->err, k->errlen, "a value of unknown kind");
    return false;
  }
}

bool machine_world_value(const mprog *p, const mtrace *t, mload *load,
                         int type, int64_t v, value *out, char *err,
                         size_t errlen) {
  backer k = {p, t, load, err, errlen, {0}, {0}, {0}, {0}};
  bool ok = to_world_all(&k, type, v, out);
  backer_free(&k);
  return ok;
}

bool machine_write_back(const mprog *p, const mtrace *t, mload *load,
                        char *err, size_t errlen) {
  backer k = {p, t, load, err, errlen, {0}, {0}, {0}, {0}};
  bool ok = true;
  /* vectors the prompt loaded: elements the run wrote */
  for (int i = 0; i < load->placed.n && ok; i++) {
    tvec *vec = load->placed.v[i].v;
    int32_t addr = load->placed.v[i].addr;
    if (vec->tag == TV_PAIR) {
      ok = pair_at(&k, load->placed.v[i].type, addr) != NULL && drain(&k);
      continue;
    }
    if (vec->tag == TV_CLOSURE) continue;   /* its values never change */
    int et = load->placed.v[i].type >= 0 ? ir_elem_type(p->ir, load->placed.v[i].type) : -1;
    for (int32_t j = 0; j < vec->n && ok; j++) {
      int64_t x;
      if (!mtrace_mem_read(t, addr + 2 + j, &x)) continue;
      if (et >= 0) {
        /* the element's class says how to read it: tagged, or of one kind
         * (a string, a pair, a vector, a procedure the run stored is read
         * back, not the element it replaced) */
        value nv;
        if (!to_world_all(&k, et, x, &nv)) {
          ok = false;
          break;
        }
        world_save_vec(p->w, vec);
        vec->items[j] = nv;
        continue;
      }
      /* a vector loaded without a class (a string's characters): the
       * element keeps the kind it had */
      value old = vec->items[j], nv;
      switch ((vkind)old.kind) {
      case VK_INT: nv = v_int((int32_t)x); break;
      case VK_BOOL: nv = v_bool(x != 0); break;
      case VK_CHAR: nv = v_char((int32_t)x); break;
      case VK_SYM:
        if (x < 2 || x - 2 >= p->syms.n) { ok = false; continue; }
        nv = v_sym(p->syms.v[(int)x - 2]);
        break;
      default:
        nv = old;
        if (old.kind == VK_VEC && old.vec) {
          for (int q = 0; q < load->placed.n; q++)
            if (load->placed.v[q].addr == x) nv = v_vec(load->placed.v[q].v);
        }
        break;
      }
      world_save_vec(p->w, vec);
      vec->items[j] = nv;
    }
  }
  /* globals the run assigned */
  for (int a = 1; a < p->cells.n && ok; a++) {
    const static_cell *c = &p->cells.v[a];
    if (!c->global || !t->cell_written[a]) continue;
    value v;
    if (!to_world_all(&k, c->type, t->cells[a], &v)) {
      ok = false;
      break;
    }
    world_save_cell(p->w, c->global);
    c->global->val = v;
  }
  backer_free(&k);
  return ok;
}
