/* inspect-trace.c - :trace: what the model did at every position of a run.
 *
 * For every generated token: the position of the forward pass that made
 * it, the token, what it means (which statement, which variable, which
 * value), and for every attention head of that pass the position that
 * won, its key and the score margin to the runner-up; grouped by
 * statement.  --json writes the same, with the names interpretability
 * tools use (blocks.{l}.hook_resid_post, ...), for a notebook.
 *
 * The host never computes a program value here either: it follows the
 * program counter from the JUMP tokens the way the session's decoder
 * does, and says what each token means.  The token shown at a position is
 * the token pushed into the model there; for a tool call's result that is
 * the host's token, not the model's argmax, and it is marked so.
 */
#include "config.h"

#include "inspect.h"

#include "backend/circuit.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- following the program counter --------------------------------- */

/* The host's reading of a trace, one token at a time, as the session's
 * decoder (mdecoder) reads it: the PC comes from the JUMP tokens, a step
 * completes at its last token, and writes to the registers are replayed
 * so that frame and heap addresses come out right. */
typedef struct {
  const mprog *p;
  int pc;
  bool have_hi, after_lo, in_result, ended;
  bool host_lo;        /* the next token is the low chunk of a host value */
  int64_t hi;
  int64_t *cells;
  int ncells;
  int tool;            /* extern index of the call under way, or -1 */
  int32_t tool_args[16];
} hdec;

/* What one token means. */
typedef struct {
  int pc;              /* the statement it belongs to */
  bool ends;           /* it completes the statement */
  bool wrote;
  bool is_call;        /* a CALL token */
  int32_t addr;
  int64_t value;
  bool is_result;      /* out is part of the result, not output */
  strbuf target;       /* what was written */
  strbuf what;         /* the meaning, in words */
  strbuf out;          /* printed text */
} hmean;

static void hmean_init(hmean *m) {
  memset(m, 0, sizeof *m);
  sb_init(&m->target);
  sb_init(&m->what);
  sb_init(&m->out);
}

static void hmean_free(hmean *m) {
  sb_free(&m->target);
  sb_free(&m->what);
  sb_free(&m->out);
}

static void hdec_init(hdec *d, const mprog *p, const int *prompt, int n) {
  memset(d, 0, sizeof *d);
  d->p = p;
  d->pc = p->entry_pc;
  d->tool = -1;
  d->ncells = p->cells.n;
  d->cells = xcalloc((size_t)(d->ncells ? d->ncells : 1), sizeof(int64_t));
  for (int i = 0; i + 2 < n; i++) {
    if (model_token_range(p->m, prompt[i]) != R_SETR) continue;
    int64_t a = model_token_value(p->m, prompt[i]);
    int64_t h = model_token_value(p->m, prompt[i + 1]);
    int64_t l = model_token_value(p->m, prompt[i + 2]);
    if (a > 0 && a < d->ncells) d->cells[a] = 65536 * h + l + 32768;
  }
}

static void hdec_free(hdec *d) { free(d->cells); }

static const mstep_info *hdec_step(const hdec *d) {
  return d->pc >= 0 && d->pc < d->p->npc ? &d->p->steps[d->pc] : NULL;
}

/* The next token is supplied by the host, not taken from the argmax: the
 * result of a tool call (both chunks of a long one), as the runner does
 * it (mdecoder_tool_pending). */
static bool hdec_host_next(const hdec *d) {
  if (d->host_lo) return true;
  const mstep_info *s = hdec_step(d);
  return !d->ended && !d->have_hi && !d->after_lo && s && s->tool && s->tool_arg == -1;
}

static int32_t target_addr(const hdec *d, const mstep_info *s, strbuf *name) {
  int32_t base = 0;
  const char *reg = NULL;
  switch (s->tgt) {
  case TGT_STATIC:
    if (s->addr > 0 && s->addr < d->ncells && d->p->cells.v[s->addr].name)
      sb_puts(name, d->p->cells.v[s->addr].name);
    else
      sb_printf(name, "cell %d", (int)s->addr);
    return s->addr;
  case TGT_FRAME: reg = "SP"; base = (int32_t)d->cells[REG_SP]; break;
  case TGT_WADDR: reg = "WADDR"; base = (int32_t)d->cells[REG_WADDR]; break;
  case TGT_HP: reg = "HP"; base = (int32_t)d->cells[REG_HP]; break;
  default: return -1;
  }
  sb_printf(name, "MEM[%s%+d]", reg, (int)s->off);
  return base + s->off;
}

/* "c-abs(-5)": the call the host makes for the running tool step. */
static void tool_call_text(const hdec *d, const mstep_info *s, strbuf *b) {
  const extern_def *x = d->p->externs.v[s->tool - 1]->ext;
  sb_printf(b, "%s(", extern_name(d->p, s->tool - 1));
  for (int i = 0; i < x->nargs && i < 16; i++) {
    if (i) sb_puts(b, ", ");
    if (x->args[i] == XT_STRING) {
      int32_t k = d->tool_args[i];
      json_str(b, k >= 0 && k < d->p->strs.n ? world_string(d->p->w, d->p->strs.v[k]) : "?");
    } else {
      sb_printf(b, "%d", (int)d->tool_args[i]);
    }
  }
  sb_putc(b, ')');
}

/* A value as the program sees it: a symbol or a boolean as written, an
 * integer (or an address) as a number. */
static void value_text(const mprog *p, int64_t v, int kind, strbuf *b) {
  if (kind == T_DYN) {
    /* a value that carries its kind: what it holds, and the tagged
     * number the trace has */
    int64_t x = v;
    tkind k = machine_untag(&x);
    if (k == T_INT) {
      sb_printf(b, "%lld", (long long)x);
      return;
    }
    if (k == T_STR && x >= 0 && x < p->strs.n)
      value_print(p->w, v_str(p->strs.v[x]), b, true);
    else if (k == T_VOID)
      sb_puts(b, "the unspecified value");
    else if (k == T_VEC)
      sb_printf(b, "the vector at %lld", (long long)x);
    else if (k == T_PAIR)
      sb_printf(b, "the pair at %lld", (long long)x);
    else if (k == T_NIL)
      sb_puts(b, "()");
    else if (k == T_CHAR)
      char_write((int32_t)x, b);
    else if (k == T_PROC && x > p->ir->procs.n)
      sb_printf(b, "the closure at %lld", (long long)x);
    else if (k == T_PROC)
      ir_proc_text(p->ir, (int)x, b);
    else if (k == T_SYM || k == T_BOOL)
      value_text(p, x, k, b);
    else
      sb_puts(b, "?");
    sb_printf(b, " (tagged %lld)", (long long)v);
    return;
  }
  if (kind == T_SYM && v >= 2) sb_putc(b, '\'');
  if (kind == T_CHAR) char_write((int32_t)v, b);
  else if (kind == T_SYM || kind == T_BOOL) sym_text(p, v, kind, b);
  else sb_printf(b, "%lld", (long long)v);
}

/* Step pc completed with the value v. */
static void hdec_complete(hdec *d, int pc, int64_t v, hmean *m) {
  const mstep_info *s = pc >= 0 && pc < d->p->npc ? &d->p->steps[pc] : NULL;
  if (s && s->k == M_WRITE) {
    if (s->tool && s->tool_arg >= 0 && s->tool_arg < 16) d->tool_args[s->tool_arg] = (int32_t)v;
    int32_t a = target_addr(d, s, &m->target);
    if (s->tgt == TGT_STATIC && a > 0 && a < d->ncells) d->cells[a] = v;
    m->wrote = true;
    m->addr = a;
    m->value = v;
    sb_printf(&m->what, "%s := ", m->target.s);
    value_text(d->p, v, s->val_kind, &m->what);
    if (s->tgt != TGT_STATIC) sb_printf(&m->what, " (address %d)", (int)a);
    if (s->tool && s->tool_arg >= 0)
      sb_printf(&m->what, ": argument %d of %s", s->tool_arg + 1, extern_name(d->p, s->tool - 1));
    if (s->tool && s->tool_arg == -1) {
      sb_puts(&m->what, ": the host called ");
      tool_call_text(d, s, &m->what);
    }
  } else if (s && s->k == M_OUTINT) {
    sb_printf(&m->out, "%lld", (long long)v);
    m->is_result = d->in_result;
    sb_printf(&m->what, "prints %lld", (long long)v);
  } else {
    sb_printf(&m->what, "value %lld", (long long)v);
  }
}

static void hdec_jump(hdec *d, int64_t v, hmean *m) {
  const mstep_info *s = hdec_step(d);
  const char *how = "jump";
  if (s && s->k == M_BRANCH) how = "branch";
  else if (s && s->k == M_JUMPDYN) how = "computed jump";
  else if (s && s->k == M_EVAL) how = "checked, go on";
  sb_printf(&m->what, "%s to pc %lld", how, (long long)v);
  d->pc = (int)v;
}

static void hdec_output(hdec *d, role r, int64_t v, hmean *m) {
  const mprog *p = d->p;
  const mstep_info *s = hdec_step(d);
  if (r == R_SYM) {
    sym_text(p, v, s ? s->out_kind : T_SYM, &m->out);
  } else if (r == R_STR) {
    bool ok = v >= 0 && v < p->strs.n;
    /* a string that is the value of the expression prints as written */
    if (ok) value_print(p->w, v_str(p->strs.v[v]), &m->out, s && s->write);
  } else {
    sb_putc(&m->out, '\n');
  }
  m->is_result = d->in_result;
  sb_puts(&m->what, "prints ");
  json_strn(&m->what, m->out.s ? m->out.s : "", m->out.n);
  d->pc++;
}

static void hdec_call(hdec *d, int64_t v, hmean *m) {
  m->is_call = true;
  d->tool = (int)v;
  sb_printf(&m->what, "tool call of %s: its arguments follow, then the host appends "
                      "its result", extern_name(d->p, v));
  d->pc++;
}

static void hdec_mark(hdec *d, role r, int64_t v, hmean *m) {
  const mprog *p = d->p;
  switch (r) {
  case R_PRINT: sb_puts(&m->what, "an integer is printed next"); d->pc++; break;
  case R_RESULT:
    sb_puts(&m->what, "the value of the expression follows");
    d->in_result = true;
    d->pc++;
    break;
  case R_HALT: sb_puts(&m->what, "the program ends"); d->ended = true; break;
  case R_CALL: hdec_call(d, v, m); break;
  case R_ERR:
    if (v >= 0 && v < p->sites.n) {
      const err_site *e = &p->sites.v[v];
      sb_printf(&m->what, "error (%s): %s", e->kind, e->msg);
      if (e->loc.line > 0) {
        sb_puts(&m->what, " at ");
        loc_text(p, e->loc, &m->what);
      }
    } else {
      sb_printf(&m->what, "error at site %lld", (long long)v);
    }
    d->ended = true;
    break;
  default:
    sb_printf(&m->what, "unexpected %s token", p->ranges[r].role);
    d->ended = true;
  }
}

/* Reads one token; host says whether the host supplied it. */
static void hdec_token(hdec *d, int token, bool host, hmean *m) {
  const mprog *p = d->p;
  int r = model_token_range(p->m, token);
  int64_t v = model_token_value(p->m, token);
  m->pc = d->pc;
  m->ends = true;
  d->host_lo = false;
  if (r < 0) {
    sb_printf(&m->what, "not a token of the vocabulary");
    d->ended = true;
  } else if (d->have_hi) {
    d->have_hi = false;
    /* a machine resyncs after a long value; a circuit's value ends here */
    d->after_lo = !p->circ;
    /* the next step's jump in the resync's place is a statement of its own */
    m->ends = p->circ != NULL || (d->pc + 1 < p->npc && p->steps[d->pc + 1].after_long);
    sb_puts(&m->what, "low chunk; ");
    hdec_complete(d, d->pc, 65536 * d->hi + v + 32768, m);
  } else if (d->after_lo) {
    d->after_lo = false;
    if (d->pc + 1 < p->npc && p->steps[d->pc + 1].after_long) {
      m->pc = d->pc + 1;
      sb_printf(&m->what, "jump to pc %lld (in the resync's place)", (long long)v);
    } else
      sb_printf(&m->what, "resync: the next step is pc %lld", (long long)v);
    d->pc = (int)v;
  } else if (r == R_HI) {
    d->hi = v;
    d->have_hi = true;
    d->host_lo = host;
    m->ends = false;
    sb_printf(&m->what, "high chunk %lld of a long value", (long long)v);
  } else if (r == R_VAL) {
    hdec_complete(d, d->pc, v, m);
    d->pc++;
  } else if (r == R_JUMP) {
    hdec_jump(d, v, m);
  } else if (r == R_SYM || r == R_STR || r == R_NL) {
    hdec_output(d, (role)r, v, m);
  } else {
    hdec_mark(d, (role)r, v, m);
  }
}

/* ---- what the prompt says ------------------------------------------ */

/* The static cell or memory cell at addr, by name: "x", "lookup['B]",
 * "MEM[12]". */
static void cell_name(const mprog *p, bool mem, int64_t addr, strbuf *b) {
  if (!mem) {
    if (addr > 0 && addr < p->cells.n && p->cells.v[addr].name)
      sb_puts(b, p->cells.v[addr].name);
    else
      sb_printf(b, "cell %lld", (long long)addr);
    return;
  }
  for (int t = 0; t < p->tables.n; t++) {
    const table_layout *tl = &p->tables.v[t];
    int64_t k = tl->kmin + addr - tl->base;
    if (k < tl->kmin || k > tl->kmax) continue;
    const table_def *td = tl->table->table;
    sb_printf(b, "%s[", sym_name(&p->w->syms, tl->table->name));
    value_text(p, k, td->n > 0 && td->keys[0].kind == VK_SYM ? T_SYM : T_INT, b);
    sb_putc(b, ']');
    return;
  }
  sb_printf(b, "MEM[%lld]", (long long)addr);
}

static int cell_kind(const mprog *p, bool mem, int64_t addr) {
  if (!mem && addr > 0 && addr < p->cells.n && p->cells.v[addr].type >= 0)
    return ir_kind(p->ir, p->cells.v[addr].type);
  for (int t = 0; mem && t < p->tables.n; t++) {
    const table_layout *tl = &p->tables.v[t];
    const table_def *td = tl->table->table;
    int64_t k = tl->kmin + addr - tl->base;
    if (k >= tl->kmin && k <= tl->kmax && td->n > 0 && td->vals[0].kind == VK_SYM)
      return T_SYM;
  }
  return T_INT;
}

/* Per prompt position, what its token says in the program's terms (or
 * NULL): the prompt is "SETR a HI h VAL l" for a static cell and "SETR
 * WADDR HI h VAL l  SETM HI h VAL l" for a memory cell, each value in two
 * chunks (65536 h + l + 32768). */
char **prompt_texts(const mprog *p, const int *pr, int n) {
  char **tx = xcalloc((size_t)n + 1, sizeof *tx);
  const model *m = p->m;
  for (int i = 0; p->circ && i < n; i++) {
    strbuf b;
    sb_init(&b);
    if (circuit_token_text(p, i, pr[i], &b)) tx[i] = sb_detach(&b);
    sb_free(&b);
  }
  if (p->circ) return tx;
  for (int i = 0; i + 2 < n; i++) {
    if (model_token_range(m, pr[i]) != R_SETR || model_token_range(m, pr[i + 1]) != R_HI ||
        model_token_range(m, pr[i + 2]) != R_VAL)
      continue;
    int64_t a = model_token_value(m, pr[i]);
    int64_t v = 65536 * model_token_value(m, pr[i + 1]) + model_token_value(m, pr[i + 2]) + 32768;
    bool mem = a == REG_WADDR && i + 5 < n && model_token_range(m, pr[i + 3]) == R_SETM;
    int at = i;
    if (mem) {
      strbuf addr;
      sb_init(&addr);
      cell_name(p, true, v, &addr);
      tx[i + 2] = xstrdup(addr.s);   /* the address: which cell follows */
      sb_free(&addr);
      a = v;
      at = i + 3;
      v = 65536 * model_token_value(m, pr[i + 4]) + model_token_value(m, pr[i + 5]) + 32768;
    }
    strbuf b;
    sb_init(&b);
    cell_name(p, mem, a, &b);
    sb_puts(&b, " = ");
    value_text(p, v, cell_kind(p, mem, a), &b);
    tx[at + 2] = xstrdup(b.s);
    sb_puts(&b, ", high chunk");
    tx[at + 1] = xstrdup(b.s);
    sb_free(&b);
    if (mem) {
      char *w = tx[i + 2];
      tx[i + 2] = NULL;
      sb_init(&b);
      sb_printf(&b, "WADDR = address of %s", w);
      tx[i + 2] = xstrdup(b.s);
      sb_free(&b);
      free(w);
    }
    i = at + 2;
  }
  return tx;
}

/* ---- recording a run ------------------------------------------------ */

typedef struct {
  double q[2];
  bool found;
  int64_t pos, kx, ky, count;
  double margin;
} headrec;

/* One forward pass and the token that followed it. */
typedef struct {
  int64_t pos;         /* of the pass; its token is at pos + 1 */
  int input;           /* the token at pos */
  int argmax;          /* what the model chose */
  int token;           /* what was pushed at pos + 1 (-1: never pushed) */
  bool host;           /* the host supplied token, not the argmax */
  headrec *heads;      /* per head of the model */
  double *vals;        /* the values the heads read, by value offset */
  double *resid;       /* n_layers x d, or NULL */
  hmean m;
} posrec;

typedef struct {
  int pc;
  int64_t index;       /* statement number, from 0 */
  bool complete;
  VEC(posrec) pos;
} sgroup;

typedef struct {
  shell *sh;
  isink *o;
  bool json, resid;
  int keep;            /* statements shown at each end */
  const char *expr_text;
  const mprog *p;
  int nprompt;
  int_vec tokens;      /* every token pushed, prompt first */
  head_layout hl;
  int namew;           /* width of the longest head name */
  int *holders;        /* slots_holders: what each slot holds when */
  char **ptext;        /* prompt_texts */
  hdec dec;
  posrec cur;          /* the pass under way: the heads report into it */
  posrec pend;         /* the pass before, waiting for its token */
  bool pending;
  sgroup g;            /* the statement being recorded */
  sgroup *ring;        /* the last `keep` statements */
  int ring_n, ring_at;
  int64_t nstatements, skipped, skipped_tokens, host_tokens, calls;
  bool first_json;     /* no statement written yet */
} tracer;

static void posrec_alloc(tracer *t, posrec *r) {
  memset(r, 0, sizeof *r);
  r->heads = xcalloc((size_t)t->hl.nheads + 1, sizeof *r->heads);
  r->vals = xcalloc((size_t)t->hl.nvals + 1, sizeof *r->vals);
  if (t->resid)
    r->resid = xcalloc((size_t)t->p->m->n_layers * t->p->m->d_model + 1,
                       sizeof *r->resid);
  hmean_init(&r->m);
}

static void posrec_free(posrec *r) {
  free(r->heads);
  free(r->vals);
  free(r->resid);
  hmean_free(&r->m);
}

static void group_clear(sgroup *g) {
  for (int i = 0; i < g->pos.n; i++) posrec_free(&g->pos.v[i]);
  g->pos.n = 0;
}

static void group_free(sgroup *g) {
  group_clear(g);
  VEC_FREE(g->pos);
}

/* ---- printing: text ------------------------------------------------- */

static void token_at(const tracer *t, int64_t pos, strbuf *b) {
  if (pos >= 0 && pos < t->nprompt && t->ptext[pos]) sb_puts(b, t->ptext[pos]);
  else if (pos >= 0 && pos < t->tokens.n) machine_token_text(t->p, t->tokens.v[pos], b);
  else sb_puts(b, "?");
}

static void head_line(const tracer *t, const posrec *r, int l, int h, strbuf *b) {
  const model_head *mh = &t->p->m->layers[l].heads[h];
  const headrec *x = &r->heads[t->hl.hoff[l] + h];
  sb_printf(b, "    L%d.H%d %-*s q (", l, h, t->namew, mh->name);
  fmt_num(b, x->q[0]);
  sb_puts(b, ", ");
  fmt_num(b, x->q[1]);
  sb_puts(b, ")");
  if (!x->found) {
    sb_puts(b, "  no key stored yet: reads zeros\n");
    return;
  }
  sb_printf(b, "  won %lld [", (long long)x->pos);
  token_at(t, x->pos, b);
  sb_printf(b, "] key (%lld, %lld) margin ", (long long)x->kx, (long long)x->ky);
  fmt_num(b, x->margin);
  if (x->count > 1)
    sb_printf(b, " (%lld tied: %s)", (long long)x->count,
              mh->tie == TIE_LATEST ? "the latest wins" : "their mean");
  sb_puts(b, " reads (");
  const double *v = r->vals + t->hl.voff[t->hl.hoff[l] + h];
  for (int k = 0; k < mh->dv; k++) {
    if (k) sb_puts(b, ", ");
    fmt_num(b, v[k]);
  }
  sb_puts(b, ")\n");
}

/* The residual after each layer, its non-zero slots by name. */
static void resid_lines(const tracer *t, const posrec *r, strbuf *b) {
  const model *m = t->p->m;
  for (int l = 0; l < m->n_layers; l++) {
    sb_printf(b, "    resid after L%d:", l);
    const double *x = r->resid + (size_t)l * m->d_model;
    for (int s = 0; s < m->d_model; s++) {
      if (x[s] == 0.0) continue;
      sb_printf(b, " [%d ", s);
      slot_label_at(t->p, t->holders, s, 2 * l + 1, b);
      sb_puts(b, "]=");
      fmt_num(b, x[s]);
    }
    sb_putc(b, '\n');
  }
}

/* "  37 JUMP 0 -> VAL 6   result := 6", "=> ... [host]" for a token the
 * host supplied. */
static void pos_line(const tracer *t, const posrec *r, strbuf *b) {
  sb_printf(b, "  %lld ", (long long)r->pos);
  machine_token_text(t->p, r->input, b);
  sb_puts(b, r->host ? " => " : " -> ");
  if (r->token >= 0) machine_token_text(t->p, r->token, b);
  else sb_puts(b, "?");
  if (r->host) {
    sb_puts(b, " [host]   ");
    sb_puts(b, r->m.what.s ? r->m.what.s : "");
    sb_puts(b, "; the model's argmax ");
    machine_token_text(t->p, r->argmax, b);
    sb_puts(b, " is not used\n");
  } else {
    sb_printf(b, "%s  %s\n", r->m.is_call ? "  [tool call]" : " ",
              r->m.what.s ? r->m.what.s : "");
  }
}

/* What the step does, with the expression of the source it computes
 * ("result := (* x x)", "branch: (= k 3)") and its place; the
 * statement's place when it computes none. */
static void step_with_source(const mprog *p, int pc, strbuf *b) {
  strbuf what, src;
  sb_init(&what);
  sb_init(&src);
  step_text(p, pc, &what);
  srcloc loc = pc >= 0 && pc < p->npc ? p->steps[pc].loc : (srcloc){0};
  if (pc >= 0 && pc < p->npc && step_source(p, pc, &src, &loc)) {
    size_t n = strlen(what.s);
    if (n >= 3 && !strcmp(what.s + n - 3, "...")) sb_printf(b, "%.*s%s", (int)n - 3, what.s, src.s);
    else sb_printf(b, "%s: %s", what.s, src.s);
  } else {
    sb_puts(b, what.s);
  }
  if (loc.line > 0) {
    sb_puts(b, "  (");
    loc_text(p, loc, b);
    sb_putc(b, ')');
  }
  sb_free(&what);
  sb_free(&src);
}

static void print_group_text(tracer *t, const sgroup *g) {
  strbuf b;
  sb_init(&b);
  if (t->p->circ) sb_puts(&b, "the circuit: one forward pass per token of its value");
  else {
    sb_printf(&b, "statement %lld  pc %d  ", (long long)g->index, g->pc);
    step_with_source(t->p, g->pc, &b);
  }
  if (!g->complete) sb_puts(&b, "  [incomplete]");
  sb_putc(&b, '\n');
  const model *m = t->p->m;
  for (int i = 0; i < g->pos.n; i++) {
    const posrec *r = &g->pos.v[i];
    pos_line(t, r, &b);
    for (int l = 0; l < m->n_layers; l++)
      for (int h = 0; h < m->layers[l].n_heads; h++) head_line(t, r, l, h, &b);
    if (r->resid) resid_lines(t, r, &b);
  }
  isink_puts(t->o, b.s ? b.s : "");
  sb_free(&b);
}

/* ---- printing: JSON ------------------------------------------------- */

static void json_doubles(strbuf *b, const double *v, int n) {
  sb_putc(b, '[');
  for (int i = 0; i < n; i++) {
    if (i) sb_putc(b, ',');
    json_num(b, v[i]);
  }
  sb_putc(b, ']');
}

/* Per layer, arrays indexed by head, as a TransformerLens cache indexes
 * them: blocks.{l}.attn.hook_q [head][2], .hook_z [head][dv] (the value
 * read), .winners [head] (null: no key yet), and the residual after the
 * layer, blocks.{l}.hook_resid_post [d_model]. */
static void json_layers(const tracer *t, const posrec *r, strbuf *b) {
  const model *m = t->p->m;
  for (int l = 0; l < m->n_layers; l++) {
    const model_layer *L = &m->layers[l];
    const headrec *x = r->heads + t->hl.hoff[l];
    sb_printf(b, ",\"blocks.%d.attn.hook_q\":[", l);
    for (int h = 0; h < L->n_heads; h++) {
      if (h) sb_putc(b, ',');
      json_doubles(b, x[h].q, 2);
    }
    sb_printf(b, "],\"blocks.%d.attn.hook_z\":[", l);
    for (int h = 0; h < L->n_heads; h++) {
      if (h) sb_putc(b, ',');
      json_doubles(b, r->vals + t->hl.voff[t->hl.hoff[l] + h], L->heads[h].dv);
    }
    sb_printf(b, "],\"blocks.%d.attn.winners\":[", l);
    for (int h = 0; h < L->n_heads; h++) {
      if (h) sb_putc(b, ',');
      if (!x[h].found) {
        sb_puts(b, "null");
        continue;
      }
      int64_t p = x[h].pos;
      sb_printf(b, "{\"pos\":%lld,\"token\":%d,\"key\":[%lld,%lld],\"score\":",
                (long long)p, p >= 0 && p < t->tokens.n ? t->tokens.v[p] : -1,
                (long long)x[h].kx, (long long)x[h].ky);
      json_num(b, x[h].q[0] * (double)x[h].kx + x[h].q[1] * (double)x[h].ky);
      sb_puts(b, ",\"margin\":");
      json_num(b, x[h].margin);
      sb_printf(b, ",\"ties\":%lld}", (long long)x[h].count);
    }
    sb_putc(b, ']');
    if (r->resid) {
      sb_printf(b, ",\"blocks.%d.hook_resid_post\":", l);
      json_doubles(b, r->resid + (size_t)l * m->d_model, m->d_model);
    }
  }
}

static void json_pos(const tracer *t, const posrec *r, strbuf *b) {
  strbuf s;
  sb_init(&s);
  sb_printf(b, "{\"pos\":%lld,\"input\":%d,\"input_text\":", (long long)r->pos, r->input);
  machine_token_text(t->p, r->input, &s);
  json_str(b, s.s);
  sb_clear(&s);
  sb_printf(b, ",\"token_pos\":%lld,\"token\":%d,\"token_text\":", (long long)r->pos + 1,
            r->token);
  if (r->token >= 0) machine_token_text(t->p, r->token, &s);
  json_str(b, s.s ? s.s : "");
  sb_clear(&s);
  sb_printf(b, ",\"host\":%s,\"argmax\":%d,\"argmax_text\":", r->host ? "true" : "false",
            r->argmax);
  machine_token_text(t->p, r->argmax, &s);
  json_str(b, s.s);
  sb_free(&s);
  sb_printf(b, ",\"tool_call\":%s,\"pc\":%d,\"meaning\":", r->m.is_call ? "true" : "false",
            r->m.pc);
  json_str(b, r->m.what.s);
  if (r->m.wrote) {
    sb_puts(b, ",\"write\":{\"target\":");
    json_str(b, r->m.target.s);
    sb_printf(b, ",\"addr\":%d,\"value\":%lld}", (int)r->m.addr, (long long)r->m.value);
  }
  if (r->m.out.n) {
    sb_puts(b, r->m.is_result ? ",\"result\":" : ",\"output\":");
    json_strn(b, r->m.out.s, r->m.out.n);
  }
  json_layers(t, r, b);
  sb_putc(b, '}');
}

static void print_group_json(tracer *t, const sgroup *g) {
  strbuf b;
  sb_init(&b);
  sb_puts(&b, t->first_json ? "\n" : ",\n");
  t->first_json = false;
  sb_printf(&b, "{\"statement\":%lld,\"pc\":%d,\"what\":", (long long)g->index, g->pc);
  strbuf w;
  sb_init(&w);
  if (t->p->circ) sb_puts(&w, "the circuit");
  else step_text(t->p, g->pc, &w);
  json_str(&b, w.s);
  sb_clear(&w);
  if (g->pc >= 0 && g->pc < t->p->npc) loc_text(t->p, t->p->steps[g->pc].loc, &w);
  sb_puts(&b, ",\"loc\":");
  json_str(&b, w.s ? w.s : "");
  /* the expression of the source the step computes (the source map) */
  strbuf src;
  sb_init(&src);
  srcloc at;
  if (!t->p->circ && g->pc >= 0 && g->pc < t->p->npc && step_source(t->p, g->pc, &src, &at)) {
    sb_puts(&b, ",\"source\":");
    json_str(&b, src.s);
    sb_clear(&w);
    loc_text(t->p, at, &w);
    sb_puts(&b, ",\"source_loc\":");
    json_str(&b, w.s ? w.s : "");
  }
  sb_free(&src);
  sb_free(&w);
  sb_printf(&b, ",\"complete\":%s,\"positions\":[", g->complete ? "true" : "false");
  for (int i = 0; i < g->pos.n; i++) {
    if (i) sb_puts(&b, ",\n");
    json_pos(t, &g->pos.v[i], &b);
  }
  sb_puts(&b, "]}");
  isink_puts(t->o, b.s);
  sb_free(&b);
}

static void print_group(tracer *t, const sgroup *g) {
  if (t->json) print_group_json(t, g);
  else print_group_text(t, g);
}

/* ---- the header ------------------------------------------------------ */

static void prompt_summary(const tracer *t, const int *prompt, int n, strbuf *b) {
  if (t->p->circ) {
    const circuit *c = t->p->circ;
    sb_printf(b, "prompt: %d tokens at positions 0..%d (BOS, %d table places, %d argument%s)",
              n, n - 1, n - 1 - c->nparams, c->nparams, c->nparams == 1 ? "" : "s");
    return;
  }
  int setr = 0, setm = 0;
  for (int i = 0; i < n; i++) {
    int r = model_token_range(t->p->m, prompt[i]);
    setr += r == R_SETR;
    setm += r == R_SETM;
  }
  /* a memory cell is SETR WADDR, then SETM */
  sb_printf(b, "prompt: %d tokens at positions 0..%d (BOS, %d static cells, "
               "%d memory cells, ", n, n - 1, setr - setm, setm);
  if (n > 0) machine_token_text(t->p, prompt[n - 1], b);
  sb_putc(b, ')');
}

static void header_text(tracer *t, const int *prompt, int n) {
  const mprog *p = t->p;
  strbuf b;
  sb_init(&b);
  sb_printf(&b, "%s: %s%d layer%s \xc2\xb7 d_model %d \xc2\xb7 %d head%s \xc2\xb7 "
                "%d FFN units", t->expr_text, p->circ ? "circuit \xc2\xb7 " : "", p->m->n_layers,
            p->m->n_layers == 1 ? "" : "s", p->m->d_model, t->hl.nheads,
            t->hl.nheads == 1 ? "" : "s", p->n_units);
  if (!p->circ) sb_printf(&b, " \xc2\xb7 %d steps", p->npc);
  sb_putc(&b, '\n');
  prompt_summary(t, prompt, n, &b);
  sb_puts(&b, "\nper forward pass: its position, the token there -> the token it emitted "
              "(=> [host]: the host's token, pushed instead), what that token means;\n"
              "per head: query, winning position [its token], key, score margin to the "
              "runner-up, value read\n");
  isink_puts(t->o, b.s);
  sb_free(&b);
}

static void header_json(tracer *t, const int *prompt, int n) {
  const model *m = t->p->m;
  strbuf b;
  sb_init(&b);
  sb_puts(&b, "{\"format\":\"tvl-trace/1\",\"expression\":");
  json_str(&b, t->expr_text);
  sb_printf(&b, ",\"model\":{\"n_layers\":%d,\"d_model\":%d,\"steps\":%d,\"heads\":[",
            m->n_layers, m->d_model, t->p->npc);
  for (int l = 0; l < m->n_layers; l++) {
    sb_puts(&b, l ? ",[" : "[");
    for (int h = 0; h < m->layers[l].n_heads; h++) {
      const model_head *mh = &m->layers[l].heads[h];
      sb_puts(&b, h ? ",{\"name\":" : "{\"name\":");
      json_str(&b, mh->name);
      sb_printf(&b, ",\"tie\":\"%s\",\"dv\":%d,\"mask_slot\":%d}",
                mh->tie == TIE_LATEST ? "latest" : "average", mh->dv, mh->mask_slot);
    }
    sb_putc(&b, ']');
  }
  sb_puts(&b, "],\"slot_names\":[");
  for (int s = 0; s < m->d_model; s++) {
    if (s) sb_putc(&b, ',');
    json_str(&b, m->slot_names ? m->slot_names[s] : "");
  }
  sb_puts(&b, "],");
  slot_labels_json(t->p, &b);
  sb_puts(&b, "},\"prompt\":[");
  for (int i = 0; i < n; i++) sb_printf(&b, "%s%d", i ? "," : "", prompt[i]);
  sb_printf(&b, "],\"keep\":%d,\"statements\":[", t->keep);
  isink_puts(t->o, b.s);
  sb_free(&b);
}

/* ---- the hooks ------------------------------------------------------ */

static void on_start(void *ctx, const mprog *p, const int *prompt, int n) {
  tracer *t = ctx;
  t->p = p;
  t->nprompt = n;
  for (int i = 0; i < n; i++) VEC_PUSH(t->tokens, prompt[i]);
  head_layout_init(&t->hl, p->m);
  t->holders = slots_holders(&p->gg, &p->pl);
  t->ptext = prompt_texts(p, prompt, n);
  t->namew = 4;
  for (int l = 0; l < p->m->n_layers; l++)
    for (int h = 0; h < p->m->layers[l].n_heads; h++) {
      int w = (int)strlen(p->m->layers[l].heads[h].name);
      if (w > t->namew) t->namew = w;
    }
  hdec_init(&t->dec, p, prompt, n);
  posrec_alloc(t, &t->cur);
  posrec_alloc(t, &t->pend);
  t->ring = xcalloc((size_t)t->keep, sizeof *t->ring);
  if (t->json) header_json(t, prompt, n);
  else header_text(t, prompt, n);
}

/* The passes worth showing: from the last prompt token on, whose pass
 * emits the first generated token. */
static bool recorded(const tracer *t, int64_t pos) {
  return t->p && pos >= t->nprompt - 1;
}

static void on_head(void *ctx, int64_t pos, int layer, int head,
                    const double q[2], const kv_result *r, const double *val) {
  tracer *t = ctx;
  if (!recorded(t, pos)) return;
  headrec *x = &t->cur.heads[t->hl.hoff[layer] + head];
  x->q[0] = q[0];
  x->q[1] = q[1];
  x->found = r->found;
  x->pos = r->pos;
  x->kx = r->kx;
  x->ky = r->ky;
  x->count = r->count;
  x->margin = r->margin;
  int dv = t->p->m->layers[layer].heads[head].dv;
  memcpy(t->cur.vals + t->hl.voff[t->hl.hoff[layer] + head], val, (size_t)dv * sizeof(double));
}

static void on_layer(void *ctx, int64_t pos, int layer, const double *resid) {
  tracer *t = ctx;
  if (!recorded(t, pos) || !t->cur.resid) return;
  int d = t->p->m->d_model;
  memcpy(t->cur.resid + (size_t)layer * d, resid, (size_t)d * sizeof(double));
}

/* A finished statement: shown now (the first ones), or kept in the ring
 * of the last ones. */
static void group_done(tracer *t) {
  sgroup *g = &t->g;
  g->complete = true;
  if (g->index < t->keep) {
    print_group(t, g);
    group_clear(g);
  } else {
    sgroup *slot = &t->ring[t->ring_at];
    if (t->ring_n == t->keep) {
      t->skipped++;
      t->skipped_tokens += slot->pos.n;
      group_clear(slot);
    } else {
      t->ring_n++;
    }
    sgroup tmp = *slot;
    *slot = *g;
    *g = tmp;
    t->ring_at = (t->ring_at + 1) % t->keep;
  }
  g->pos.n = 0;
  g->index = ++t->nstatements;
}

/* The pass in pend is followed by `token` at the next position (-1: the
 * run stopped before pushing one); reads what it means. */
static void settle(tracer *t, int token) {
  posrec *r = &t->pend;
  r->host = hdec_host_next(&t->dec);
  r->token = token;
  t->host_tokens += r->host;
  if (token >= 0) {
    hdec_token(&t->dec, token, r->host, &r->m);
  } else {
    r->m.pc = t->dec.pc;
    sb_puts(&r->m.what, "supplied by the host, but the run stopped before it was pushed");
    t->dec.ended = true;
  }
  t->calls += r->m.is_call;
  if (t->g.pos.n == 0) t->g.pc = r->m.pc;
  bool ends = r->m.ends || t->dec.ended;
  VEC_PUSH(t->g.pos, *r);
  posrec_alloc(t, &t->pend);
  t->pending = false;
  if (ends) group_done(t);
}

/* The pass at pos, whose input was `token`, chose `next`.  The token the
 * runner then pushes is not always `next` (the host supplies a tool
 * call's result), so a pass is settled when the next push shows its
 * input, or when the run ends. */
static void on_token(void *ctx, int64_t pos, int token, int next) {
  tracer *t = ctx;
  if (!recorded(t, pos)) return;
  if (t->pending) {
    VEC_PUSH(t->tokens, token);
    settle(t, token);
  }
  posrec done = t->cur;
  t->cur = t->pend;
  t->pend = done;
  t->pend.pos = pos;
  t->pend.input = token;
  t->pend.argmax = next;
  t->pending = true;
}

/* The run is over: the last pass's token was never pushed.  It is the
 * argmax, unless the host was to supply it: then it is the ERR of a
 * failed tool call, if the call is what stopped the run. */
static void settle_last(tracer *t, const run_out *out) {
  if (!t->pending) return;
  int token = t->pend.argmax;
  if (hdec_host_next(&t->dec)) {
    const mstep_info *s = hdec_step(&t->dec);
    const char *k = out->err.kind ? out->err.kind : "";
    bool call_failed = !out->ok && strcmp(k, "steps") && strcmp(k, "interrupt") &&
                       strcmp(k, "executor");
    token = call_failed ? model_token(t->p->m, R_ERR, s->tool_site) : -1;
  }
  VEC_PUSH(t->tokens, token);
  settle(t, token);
}

/* ---- the end --------------------------------------------------------- */

static void flush_ring(tracer *t) {
  if (!t->json && t->skipped)
    isink_printf(t->o, "... %lld statement%s (%lld token%s) not shown; "
                       ":trace --steps N shows the first and last N ...\n",
                 (long long)t->skipped, t->skipped == 1 ? "" : "s",
                 (long long)t->skipped_tokens, t->skipped_tokens == 1 ? "" : "s");
  for (int i = 0; i < t->ring_n; i++) {
    int k = (t->ring_at - t->ring_n + i + 2 * t->keep) % t->keep;
    print_group(t, &t->ring[k]);
  }
  if (t->g.pos.n) {
    t->g.complete = false;
    print_group(t, &t->g);
  }
}

static void footer_text(tracer *t, const run_out *out) {
  strbuf b;
  sb_init(&b);
  int64_t n = t->tokens.n - t->nprompt;
  if (t->p && t->p->circ)
    sb_printf(&b, "%lld token%s generated, one forward pass each", (long long)n, n == 1 ? "" : "s");
  else
    sb_printf(&b, "%lld token%s generated \xc2\xb7 %lld statement%s", (long long)n,
              n == 1 ? "" : "s", (long long)t->nstatements, t->nstatements == 1 ? "" : "s");
  if (t->skipped) sb_printf(&b, " (%lld not shown)", (long long)t->skipped);
  if (t->calls)
    sb_printf(&b, " \xc2\xb7 %lld tool call%s, %lld token%s from the host", (long long)t->calls,
              t->calls == 1 ? "" : "s", (long long)t->host_tokens,
              t->host_tokens == 1 ? "" : "s");
  sb_putc(&b, '\n');
  if (out->output.n) {
    sb_puts(&b, "output: ");
    json_strn(&b, out->output.s, out->output.n);
    sb_putc(&b, '\n');
  }
  if (out->ok && out->has_result) sb_printf(&b, "result: %s\n", out->result.s ? out->result.s : "");
  isink_puts(t->o, b.s);
  sb_free(&b);
}

static void footer_json(tracer *t, const run_out *out) {
  strbuf b;
  sb_init(&b);
  sb_printf(&b, "\n],\"elided\":{\"statements\":%lld,\"tokens\":%lld},"
                "\"statements_total\":%lld,\"generated\":%lld,\"tool_calls\":%lld,"
                "\"host_tokens\":%lld,\"tokens\":[",
            (long long)t->skipped, (long long)t->skipped_tokens, (long long)t->nstatements,
            (long long)(t->tokens.n - t->nprompt), (long long)t->calls,
            (long long)t->host_tokens);
  for (int i = 0; i < t->tokens.n; i++) sb_printf(&b, "%s%d", i ? "," : "", t->tokens.v[i]);
  sb_printf(&b, "],\"ok\":%s,\"output\":", out->ok ? "true" : "false");
  json_strn(&b, out->output.s ? out->output.s : "", out->output.n);
  sb_puts(&b, ",\"result\":");
  if (out->ok && out->has_result) json_strn(&b, out->result.s, out->result.n);
  else sb_puts(&b, "null");
  sb_puts(&b, ",\"error\":");
  if (!out->ok && out->err.msg) json_str(&b, out->err.msg);
  else sb_puts(&b, "null");
  sb_puts(&b, "}\n");
  isink_puts(t->o, b.s);
  sb_free(&b);
}

static void tracer_free(tracer *t) {
  VEC_FREE(t->tokens);
  head_layout_free(&t->hl);
  free(t->holders);
  for (int i = 0; t->ptext && i < t->nprompt; i++) free(t->ptext[i]);
  free(t->ptext);
  if (t->p) {
    hdec_free(&t->dec);
    posrec_free(&t->cur);
    posrec_free(&t->pend);
  }
  group_free(&t->g);
  for (int i = 0; t->ring && i < t->keep; i++) group_free(&t->ring[i]);
  free(t->ring);
}

/* ---- :trace ----------------------------------------------------------- */

typedef struct {
  shell *sh;
  tracer *t;
} trace_job;

static void trace_deep(void *arg) {
  trace_job *j = arg;
  tracer *t = j->t;
  lang_error err = {0};
  rexpr x;
  if (!read_expr(j->sh, ":trace", t->expr_text, &x, &err)) {
    report_error(j->sh, &err);
    lang_error_free(&err);
    rexpr_free(&x);
    return;
  }
  runner_hooks h = {t, on_start, on_token, {t, on_head, on_layer, NULL, NULL}};
  run_out out;
  run_out_init(&out);
  bool ok = run_traced(j->sh, &x, &h, &out);
  if (t->p) {
    settle_last(t, &out);
    flush_ring(t);
    if (t->json) footer_json(t, &out);
    else footer_text(t, &out);
  }
  isink_flush(t->o);
  if (!ok) report_error(j->sh, &out.err);
  run_out_free(&out);
  rexpr_free(&x);
}

void cmd_trace(shell *sh, const char *args) {
  iwords ws;
  iwords_split(&ws, args);
  char *path = NULL, *text = NULL;
  iopts o;
  int at = 0;
  if (!iwords_redirect(sh, &ws, &path) ||
      !parse_opts(sh, &ws, "json resid steps", &o, &at))
    goto done;
  if (at >= ws.w.n) {
    shell_message(sh, "usage: :trace [--json] [--resid] [--steps N] EXPR [> FILE]");
    sh->nerrors++;
    goto done;
  }
  text = join_words(&ws, at);
  isink sink;
  if (!isink_open(&sink, sh, path)) goto done;
  tracer t;
  memset(&t, 0, sizeof t);
  t.sh = sh;
  t.o = &sink;
  t.json = o.json;
  /* a notebook wants the residual stream; a terminal only when asked */
  t.resid = o.resid || o.json;
  t.keep = (int)o.keep;
  t.expr_text = text;
  t.first_json = true;
  trace_job j = {sh, &t};
  lang_run_deep(trace_deep, &j);
  tracer_free(&t);
  isink_done(&sink, path, o.json ? "the trace, as JSON" : "the trace");
done:
  free(text);
  free(path);
  iwords_free(&ws);
}
