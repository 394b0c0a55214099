/* inspect-ablate.c - :ablate and :patch, interventions on a run as
 * researchers make them on trained models.
 *
 * :ablate COMPONENT [--at POSITIONS] EXPR runs EXPR as it is and again with
 * COMPONENT's output zeroed, at every position or at the positions given:
 * a head (L2.H0: the values it read, which its output projection takes
 * next), an FFN unit (L5.U3: its activation relu(gate) * up, before the
 * down projection) or a slot (slot 16: the residual's value there after
 * the embedding and after every half-layer, so that nothing reads what
 * was written into it).  :patch COMPONENT [--at POSITIONS] EXPR1 EXPR2
 * runs EXPR2 with COMPONENT's activations taken from EXPR1's run at the
 * same positions: the same three places, with EXPR1's numbers.  The
 * executor's observer (exec_observer) is handed these buffers before the
 * forward pass goes on with them, and writes here change the pass.
 *
 * Both compare the two runs: their outputs, and the first position where
 * the tokens differ, with what each head read there in each run.  EXPR
 * must be a call of a compiled procedure with constant arguments (it runs
 * in the procedure's own program, so that both runs have the same model
 * and positions); :patch needs both calls to be of the same procedure.
 */
#include "config.h"

#include "inspect.h"

#include <stdlib.h>
#include <string.h>

typedef enum { C_HEAD, C_UNIT, C_SLOT } ckind;

typedef struct {
  ckind k;
  int layer, index;
} component;

/* "L2.H0", "L5.U3", "slot 16" (two words) or "slot16"; *at advances. */
static bool parse_component(shell *sh, const iwords *ws, int *at, const model *m,
                            component *c) {
  const char *w = ws->w.v[*at];
  char kind = 0, tail;
  int l = -1, i = -1;
  if (sscanf(w, "L%d.%c%d%c", &l, &kind, &i, &tail) == 3 && (kind == 'H' || kind == 'U')) {
    c->k = kind == 'H' ? C_HEAD : C_UNIT;
    c->layer = l;
    c->index = i;
    (*at)++;
    if (l < 0 || l >= m->n_layers) {
      shell_message(sh, "%s: the model has layers 0 to %d", w, m->n_layers - 1);
      return false;
    }
    int n = kind == 'H' ? m->layers[l].n_heads : m->layers[l].n_ffn;
    if (i < 0 || i >= n) {
      shell_message(sh, "%s: layer %d has %d %s", w, l, n, kind == 'H' ? "heads" : "FFN units");
      return false;
    }
    return true;
  }
  const char *num = NULL;
  if (!strcmp(w, "slot") && *at + 1 < ws->w.n) num = ws->w.v[++*at];
  else if (!strncmp(w, "slot", 4) && w[4]) num = w + 4;
  if (num && sscanf(num, "%d%c", &i, &tail) == 1) {
    (*at)++;
    c->k = C_SLOT;
    c->layer = -1;
    c->index = i;
    if (i < 0 || i >= m->d_model) {
      shell_message(sh, "slot %d: the model has slots 0 to %d", i, m->d_model - 1);
      return false;
    }
    return true;
  }
  shell_message(sh, "%s: a component is a head (L2.H0), an FFN unit (L5.U3) or a slot "
                    "(slot 16), as :trace and :weights name them", w);
  return false;
}

static void component_text(const mprog *p, const component *c, strbuf *b) {
  const model *m = p->m;
  if (c->k == C_HEAD) {
    sb_printf(b, "L%d.H%d (%s)", c->layer, c->index, m->layers[c->layer].heads[c->index].name);
  } else if (c->k == C_UNIT) {
    sb_printf(b, "L%d.U%d", c->layer, c->index);
    unit_origin **u;
    if (unit_origins(p, &u)) {
      const unit_origin *o = &u[c->layer][c->index];
      if (o->gate >= 0) sb_printf(b, " (%s)", p->gg.g.v[o->gate].name);
      else if (o->cleared >= 0) sb_printf(b, " (slot clear of %s)", p->gg.g.v[o->cleared].name);
    }
    unit_origins_free(p, u);
  } else {
    sb_printf(b, "slot %d", c->index);
  }
}

/* ---- recording a run ---------------------------------------------------- */

/* What each head did at one position. */
typedef struct {
  bool found;
  int64_t pos;
} hread;

/* The positions an intervention applies at: all, or a sorted list. */
typedef struct {
  bool all;
  VEC(int64_t) v;
} positions;

static bool at_position(const positions *ps, int64_t pos) {
  if (ps->all) return true;
  for (int i = 0; i < ps->v.n && ps->v.v[i] <= pos; i++)
    if (ps->v.v[i] == pos) return true;
  return false;
}

typedef struct run {
  const mprog *p;
  head_layout hl;
  int nprompt;
  char **ptext;
  int_vec tokens;                 /* pushed, prompt first */
  VEC(hread) reads;               /* per position, per head */
  VEC(double) vals;               /* per position, per head value */
  /* the component's activation: a unit's, per position; a slot's, per
   * position and residual (the embedding, then after every half-layer) */
  VEC(double) act;
  /* the intervention (at NULL: none): zero the component, or take it
   * from the run `from` */
  component c;
  const positions *at;
  bool zero;
  const struct run *from;
} run;

static void run_free(run *r) {
  if (r->p) head_layout_free(&r->hl);
  for (int i = 0; r->ptext && i < r->nprompt; i++) free(r->ptext[i]);
  free(r->ptext);
  VEC_FREE(r->tokens);
  VEC_FREE(r->reads);
  VEC_FREE(r->vals);
  VEC_FREE(r->act);
}

/* Activations recorded per position. */
static int act_width(const run *r) {
  return r->c.k == C_SLOT ? 2 * r->p->m->n_layers + 1 : r->c.k == C_UNIT ? 1 : 0;
}

static void grow(run *r, int64_t pos) {
  while (r->reads.n < (pos + 1) * r->hl.nheads) {
    hread z = {false, 0};
    VEC_PUSH(r->reads, z);
  }
  while (r->vals.n < (pos + 1) * r->hl.nvals) VEC_PUSH(r->vals, 0.0);
  while (r->act.n < (pos + 1) * act_width(r)) VEC_PUSH(r->act, 0.0);
}

/* The intervention on one activation *x, the k-th of position pos (the
 * forward pass goes on with *x), then its record. */
static void intervene_at(run *r, int64_t pos, int k, double *x) {
  const run *f = r->from;
  int w = act_width(r);
  if (r->at && at_position(r->at, pos)) {
    if (r->zero) *x = 0.0;
    else if (f && (pos + 1) * w <= f->act.n) *x = f->act.v[pos * w + k];
  }
  r->act.v[pos * w + k] = *x;
}

static void on_start(void *ctx, const mprog *p, const int *prompt, int n) {
  run *r = ctx;
  r->p = p;
  head_layout_init(&r->hl, p->m);
  r->nprompt = n;
  r->ptext = prompt_texts(p, prompt, n);
  for (int i = 0; i < n; i++) VEC_PUSH(r->tokens, prompt[i]);
}

static void on_token(void *ctx, int64_t pos, int token, int next) {
  run *r = ctx;
  (void)token;
  if (pos + 1 >= r->tokens.n) VEC_PUSH(r->tokens, next);
}

static void on_head(void *ctx, int64_t pos, int layer, int head, const double q[2],
                    const kv_result *kr, const double *val) {
  run *r = ctx;
  (void)q;
  grow(r, pos);
  int k = r->hl.hoff[layer] + head, dv = r->p->m->layers[layer].heads[head].dv;
  r->reads.v[pos * r->hl.nheads + k] = (hread){kr->found, kr->pos};
  const run *f = r->from;
  /* the forward pass projects these values next (exec_observer); what
   * the head read is recorded, zeroed or not, and what it passes on when
   * patched */
  double *out = (double *)val, *rec = r->vals.v + pos * r->hl.nvals + r->hl.voff[k];
  bool here = r->at && r->c.k == C_HEAD && r->c.layer == layer && r->c.index == head &&
              at_position(r->at, pos);
  if (here && !r->zero && f && pos < f->vals.n / (f->hl.nvals ? f->hl.nvals : 1))
    memcpy(out, f->vals.v + pos * f->hl.nvals + r->hl.voff[k], (size_t)dv * sizeof(double));
  memcpy(rec, val, (size_t)dv * sizeof(double));
  if (here && r->zero) memset(out, 0, (size_t)dv * sizeof(double));
}

static void on_ffn(void *ctx, int64_t pos, int layer, double *h, int n) {
  run *r = ctx;
  grow(r, pos);
  if (r->c.k == C_UNIT && r->c.layer == layer && r->c.index < n)
    intervene_at(r, pos, 0, &h[r->c.index]);
}

static void on_resid(void *ctx, int64_t pos, int half, double *resid) {
  run *r = ctx;
  grow(r, pos);
  if (r->c.k == C_SLOT) intervene_at(r, pos, half + 1, &resid[r->c.index]);
}

typedef struct {
  shell *sh;
  isink *o;
  component c;
  positions at;
  bool patch, parsed;
  const char *comp_text;
  const char *e1, *e2;   /* :ablate: e1 only; :patch: from e1 into e2 */
} job;

/* Runs one call; false (reported) when it is not a direct call. */
static bool run_call(job *j, const char *text, run *r, run_out *out, const mprog **prog) {
  lang_error err = {0};
  rexpr x;
  bool ok = read_expr(j->sh, j->patch ? ":patch" : ":ablate", text, &x, &err);
  const mprog *p = ok ? direct_program(j->sh, &x) : NULL;
  if (ok && !p) {
    shell_message(j->sh, "%s: a call of a compiled procedure with constant arguments is "
                         "needed (it runs in the procedure's own program)", text);
    j->sh->nerrors++;
    ok = false;
  }
  if (!ok && err.msg) report_error(j->sh, &err);
  lang_error_free(&err);
  if (ok && *prog && p != *prog) {
    shell_message(j->sh, "%s: both calls must be of the same procedure", text);
    j->sh->nerrors++;
    ok = false;
  }
  if (ok && !j->parsed) {
    iwords ws;
    iwords_split(&ws, j->comp_text);
    int at = 0;
    j->parsed = parse_component(j->sh, &ws, &at, p->m, &j->c);
    if (!j->parsed) j->sh->nerrors++;
    ok = j->parsed;
    iwords_free(&ws);
  }
  if (ok) {
    *prog = p;
    r->c = j->c;
    /* on_ffn makes every unit run: only for a unit */
    runner_hooks h = {r, on_start, on_token,
                      {r, on_head, NULL, on_resid, j->c.k == C_UNIT ? on_ffn : NULL}};
    run_traced(j->sh, &x, &h, out);
  }
  rexpr_free(&x);
  return ok;
}

static void outcome(const run_out *o, strbuf *b) {
  if (o->output.n) {
    sb_puts(b, "prints ");
    json_strn(b, o->output.s, o->output.n);
    sb_puts(b, o->ok ? ", then " : ", then ");
  }
  if (o->ok) sb_puts(b, o->has_result ? o->result.s : "(no value)");
  else sb_printf(b, "error: %s", o->err.msg ? o->err.msg : "?");
}

static void token_text(const run *r, int64_t pos, strbuf *b) {
  if (pos < r->nprompt && r->ptext[pos]) sb_puts(b, r->ptext[pos]);
  else if (pos < r->tokens.n) machine_token_text(r->p, r->tokens.v[pos], b);
  else sb_puts(b, "-");
}

static void head_read(const run *r, int64_t pos, int l, int h, strbuf *b) {
  int k = r->hl.hoff[l] + h;
  if (pos * r->hl.nheads + k >= r->reads.n) {
    sb_puts(b, "-");
    return;
  }
  const hread *x = &r->reads.v[pos * r->hl.nheads + k];
  if (!x->found) sb_puts(b, "nothing");
  else {
    sb_printf(b, "%lld [", (long long)x->pos);
    token_text(r, x->pos, b);
    sb_putc(b, ']');
  }
  sb_puts(b, " reads (");
  for (int i = 0; i < r->p->m->layers[l].heads[h].dv; i++) {
    if (i) sb_puts(b, ", ");
    fmt_num(b, r->vals.v[pos * r->hl.nvals + r->hl.voff[k] + i]);
  }
  sb_putc(b, ')');
}

/* The first position whose token differs, and what each head read
 * there in both runs. */
static void compare(job *j, const run *a, const run *b, const char *an, const char *bn) {
  int64_t n = a->tokens.n < b->tokens.n ? a->tokens.n : b->tokens.n, pos = -1;
  for (int64_t i = 0; i < n && pos < 0; i++)
    if (a->tokens.v[i] != b->tokens.v[i]) pos = i;
  if (pos < 0 && a->tokens.n == b->tokens.n) {
    isink_puts(j->o, "  the same tokens at every position\n");
    return;
  }
  strbuf s;
  sb_init(&s);
  if (pos < 0) {
    sb_printf(&s, "  the same tokens as far as both go: %lld %s, %lld %s\n",
              (long long)a->tokens.n, an, (long long)b->tokens.n, bn);
    isink_puts(j->o, s.s);
    sb_free(&s);
    return;
  }
  sb_printf(&s, "  first difference: the token at %lld, emitted by the pass at %lld: ",
            (long long)pos, (long long)pos - 1);
  machine_token_text(a->p, a->tokens.v[pos], &s);
  sb_printf(&s, " %s, ", an);
  machine_token_text(b->p, b->tokens.v[pos], &s);
  sb_printf(&s, " %s; what each head read at %lld:\n", bn, (long long)pos - 1);
  const model *m = a->p->m;
  for (int l = 0; l < m->n_layers; l++)
    for (int h = 0; h < m->layers[l].n_heads; h++) {
      strbuf x, y;
      sb_init(&x);
      sb_init(&y);
      head_read(a, pos - 1, l, h, &x);
      head_read(b, pos - 1, l, h, &y);
      size_t n0 = s.n;
      sb_printf(&s, "    L%d.H%d %-14s ", l, h, m->layers[l].heads[h].name);
      int w = (int)(s.n - n0);
      const char *mark = "";
      if (j->c.k == C_HEAD && j->c.layer == l && j->c.index == h)
        mark = j->patch ? "  <- patched" : "  <- its output zeroed";
      if (strcmp(x.s, y.s))
        sb_printf(&s, "%s: %s\n%*s%s: %s%s\n", an, x.s, w, "", bn, y.s, mark);
      else
        sb_printf(&s, "%s in both%s\n", x.s, mark);
      sb_free(&x);
      sb_free(&y);
    }
  isink_puts(j->o, s.s);
  sb_free(&s);
}

/* " at every position", " at positions 4 7-9". */
static void positions_text(const positions *ps, strbuf *b) {
  if (ps->all) {
    sb_puts(b, "at every position");
    return;
  }
  sb_puts(b, ps->v.n == 1 ? "at position" : "at positions");
  for (int i = 0; i < ps->v.n;) {
    int k = i;
    while (k + 1 < ps->v.n && ps->v.v[k + 1] == ps->v.v[k] + 1) k++;
    sb_printf(b, " %lld", (long long)ps->v.v[i]);
    if (k > i) sb_printf(b, "-%lld", (long long)ps->v.v[k]);
    i = k + 1;
  }
}

/* A note when some of the positions given are beyond the run. */
static void positions_beyond(job *j, const run *r) {
  if (j->at.all || !j->at.v.n || j->at.v.v[j->at.v.n - 1] < r->tokens.n - 1) return;
  strbuf t;
  sb_init(&t);
  sb_printf(&t, "  (the run's forward passes are at positions 0-%lld)\n",
            (long long)r->tokens.n - 2);
  isink_puts(j->o, t.s);
  sb_free(&t);
}

static void ablate_deep(void *arg) {
  job *j = arg;
  run a = {0}, b = {0};
  run_out oa, ob;
  run_out_init(&oa);
  run_out_init(&ob);
  const mprog *p = NULL;
  if (!run_call(j, j->e1, &a, &oa, &p)) goto done;
  b.at = &j->at;
  b.zero = true;
  run_call(j, j->e1, &b, &ob, &p);
  strbuf t;
  sb_init(&t);
  component_text(p, &j->c, &t);
  sb_puts(&t, " zeroed ");
  positions_text(&j->at, &t);
  sb_printf(&t, " of %s\n  as run:  ", j->e1);
  outcome(&oa, &t);
  sb_puts(&t, "\n  ablated: ");
  outcome(&ob, &t);
  sb_putc(&t, '\n');
  isink_puts(j->o, t.s);
  sb_free(&t);
  positions_beyond(j, &a);
  compare(j, &a, &b, "as run", "ablated");
done:
  run_free(&a);
  run_free(&b);
  run_out_free(&oa);
  run_out_free(&ob);
}

static void patch_deep(void *arg) {
  job *j = arg;
  run a = {0}, b = {0}, c = {0};
  run_out oa, ob, oc;
  run_out_init(&oa);
  run_out_init(&ob);
  run_out_init(&oc);
  const mprog *p = NULL;
  if (!run_call(j, j->e1, &a, &oa, &p) || !run_call(j, j->e2, &b, &ob, &p)) goto done;
  c.from = &a;
  c.at = &j->at;
  run_call(j, j->e2, &c, &oc, &p);
  strbuf t;
  sb_init(&t);
  component_text(p, &j->c, &t);
  sb_printf(&t, " taken from %s into %s, ", j->e1, j->e2);
  positions_text(&j->at, &t);
  sb_printf(&t, "\n  %s: ", j->e1);
  outcome(&oa, &t);
  sb_printf(&t, "\n  %s: ", j->e2);
  outcome(&ob, &t);
  sb_puts(&t, "\n  patched: ");
  outcome(&oc, &t);
  sb_putc(&t, '\n');
  isink_puts(j->o, t.s);
  sb_free(&t);
  positions_beyond(j, &b);
  compare(j, &b, &c, "as run", "patched");
done:
  run_free(&a);
  run_free(&b);
  run_free(&c);
  run_out_free(&oa);
  run_out_free(&ob);
  run_out_free(&oc);
}

/* Splits "COMPONENT EXPR..." words: the component is one word, or
 * "slot N". */
static int component_words(const iwords *ws) {
  return ws->w.n > 0 && !strcmp(ws->w.v[0], "slot") ? 2 : 1;
}

/* "4", "4,7-9": positions, sorted, each once; false (reported) if not. */
static bool parse_positions(shell *sh, const char *w, positions *ps) {
  const char *s = w;
  while (*s) {
    char *e;
    long long a = strtoll(s, &e, 10), b = a;
    if (e == s || a < 0) break;
    s = e;
    if (*s == '-') {
      b = strtoll(s + 1, &e, 10);
      if (e == s + 1 || b < a || b - a > 1000000) break;
      s = e;
    }
    for (long long p = a; p <= b; p++) VEC_PUSH(ps->v, (int64_t)p);
    if (*s == ',') s++;
    else if (*s) break;
  }
  if (*s || !*w) {
    shell_message(sh, "--at %s: positions are numbers and ranges, as 4 or 4,7-9 "
                      "(:trace shows the positions of a run)", w);
    sh->nerrors++;
    return false;
  }
  for (int i = 1; i < ps->v.n; i++)      /* insertion sort, duplicates out */
    for (int k = i; k > 0 && ps->v.v[k - 1] >= ps->v.v[k]; k--) {
      int64_t t = ps->v.v[k];
      ps->v.v[k] = ps->v.v[k - 1];
      ps->v.v[k - 1] = t;
    }
  int n = 0;
  for (int i = 0; i < ps->v.n; i++)
    if (!n || ps->v.v[n - 1] != ps->v.v[i]) ps->v.v[n++] = ps->v.v[i];
  ps->v.n = n;
  return true;
}

static void intervene(shell *sh, const char *args, bool patch) {
  iwords ws;
  iwords_split(&ws, args);
  char *path = NULL;
  positions at = {true, {0}};
  const char *usage = patch ? "usage: :patch COMPONENT [--at POSITIONS] EXPR1 EXPR2 [> FILE]"
                            : "usage: :ablate COMPONENT [--at POSITIONS] EXPR [> FILE]";
  if (!iwords_redirect(sh, &ws, &path)) goto done;
  for (int i = 0; i < ws.w.n; i++) {
    if (strcmp(ws.w.v[i], "--at")) continue;
    if (i + 1 >= ws.w.n || !at.all) {
      shell_message(sh, "%s", usage);
      sh->nerrors++;
      goto done;
    }
    at.all = false;
    if (!parse_positions(sh, ws.w.v[i + 1], &at)) goto done;
    free(ws.w.v[i]);
    free(ws.w.v[i + 1]);
    for (int k = i; k + 2 < ws.w.n; k++) ws.w.v[k] = ws.w.v[k + 2];
    ws.w.n -= 2;
    i--;
  }
  int cw = component_words(&ws);
  if (ws.w.n != cw + (patch ? 2 : 1)) {
    shell_message(sh, "%s", usage);
    sh->nerrors++;
    goto done;
  }
  strbuf cb;
  sb_init(&cb);
  sb_puts(&cb, ws.w.v[0]);
  if (cw == 2) sb_printf(&cb, " %s", ws.w.v[1]);
  char *comp = sb_detach(&cb);
  isink sink;
  if (isink_open(&sink, sh, path)) {
    job j = {sh, &sink, {0, 0, 0}, at, patch, false, comp, ws.w.v[cw],
             patch ? ws.w.v[cw + 1] : NULL};
    lang_run_deep(patch ? patch_deep : ablate_deep, &j);
    isink_done(&sink, path, patch ? "the patched run" : "the ablated run");
  }
  free(comp);
done:
  VEC_FREE(at.v);
  free(path);
  iwords_free(&ws);
}

void cmd_ablate(shell *sh, const char *args) { intervene(sh, args, false); }
void cmd_patch(shell *sh, const char *args) { intervene(sh, args, true); }
