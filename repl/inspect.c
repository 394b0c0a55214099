/* inspect.c - seeing inside a compiled program: what the inspect
 * commands share (output sinks, words, formatting, reading and running an
 * expression with hooks), :margins (how far a run is from miscomputing)
 * and :export (the model, its prompt and what a runner needs to decode
 * it, as one safetensors file).  :trace is in inspect-trace.c, the weight
 * listings and the pictures in inspect-weights.c.
 */
#include "config.h"

#include "inspect.h"

#include "backend/circuit.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ---- output --------------------------------------------------------- */

void isink_flush(isink *o) {
  if (!o->buf.n) return;
  if (o->f) {
    if (fwrite(o->buf.s, 1, o->buf.n, o->f) != o->buf.n) o->failed = true;
    o->bytes += (int64_t)o->buf.n;
  } else {
    shell_out(o->sh, o->buf.s, o->buf.n);
  }
  sb_clear(&o->buf);
}

static void isink_maybe_flush(isink *o) {
  if (o->buf.n >= 65536) isink_flush(o);
}

void isink_printf(isink *o, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  sb_vprintf(&o->buf, fmt, ap);
  va_end(ap);
  isink_maybe_flush(o);
}

void isink_puts(isink *o, const char *s) {
  sb_puts(&o->buf, s);
  isink_maybe_flush(o);
}

bool isink_open(isink *o, shell *sh, const char *path) {
  memset(o, 0, sizeof *o);
  o->sh = sh;
  o->nerrors0 = sh->nerrors;
  sb_init(&o->buf);
  if (!path) return true;
  o->f = safe_open(&o->file, path, 0644);
  if (!o->f) {
    shell_message(sh, "cannot write %s: %s", path, strerror(errno));
    sh->nerrors++;
    return false;
  }
  return true;
}

bool isink_close(isink *o, const char *path) {
  isink_flush(o);
  sb_free(&o->buf);
  if (o->f) {
    /* a failed listing leaves the target as it was */
    if (o->failed) {
      int e = errno;
      safe_abort(&o->file);
      errno = e;
    } else if (!safe_commit(&o->file)) {
      o->failed = true;
    }
  }
  o->f = NULL;
  if (o->failed) {
    shell_message(o->sh, "cannot write %s: %s", path ? path : "the output",
                  strerror(errno));
    o->sh->nerrors++;
    return false;
  }
  return true;
}

bool isink_done(isink *o, const char *path, const char *what) {
  shell *sh = o->sh;
  bool to_file = o->f != NULL;
  if (!isink_close(o, path)) return false;
  if (to_file && sh->nerrors == o->nerrors0)
    shell_printf(sh, "wrote %s: %s (%lld bytes)\n", path, what, (long long)o->bytes);
  return true;
}

/* ---- words ---------------------------------------------------------- */

/* The end of the word at s: blanks end it outside parentheses and
 * strings. */
static const char *word_end(const char *s) {
  int depth = 0;
  bool str = false;
  for (; *s; s++) {
    char c = *s;
    if (str) {
      if (c == '\\' && s[1]) s++;
      else if (c == '"') str = false;
      continue;
    }
    if (c == '"') str = true;
    else if (c == '(') depth++;
    else if (c == ')' && depth > 0) depth--;
    else if ((c == ' ' || c == '\t') && depth == 0) break;
  }
  return s;
}

void iwords_split(iwords *ws, const char *args) {
  memset(ws, 0, sizeof *ws);
  const char *s = args;
  for (;;) {
    while (*s == ' ' || *s == '\t') s++;
    if (!*s) break;
    const char *e = word_end(s);
    char *w = xmalloc((size_t)(e - s) + 1);
    memcpy(w, s, (size_t)(e - s));
    w[e - s] = 0;
    VEC_PUSH(ws->w, w);
    s = e;
  }
}

void iwords_free(iwords *ws) {
  for (int i = 0; i < ws->w.n; i++) free(ws->w.v[i]);
  VEC_FREE(ws->w);
}

bool iwords_redirect(shell *sh, iwords *ws, char **path) {
  *path = NULL;
  int n = ws->w.n;
  int at = -1;
  for (int i = 0; i < n; i++)
    if (ws->w.v[i][0] == '>' && i > 0) at = i;
  if (at < 0) return true;
  const char *w = ws->w.v[at];
  if (w[1] && at == n - 1) {          /* ">FILE" */
    *path = xstrdup(w + 1);
  } else if (!w[1] && at == n - 2) {  /* "> FILE" */
    *path = xstrdup(ws->w.v[n - 1]);
  } else {
    shell_message(sh, "'>' must be followed by one file name, at the end");
    sh->nerrors++;
    return false;
  }
  for (int i = at; i < n; i++) free(ws->w.v[i]);
  ws->w.n = at;
  return true;
}

/* ---- formatting ----------------------------------------------------- */

void fmt_num(strbuf *b, double x) {
  if (isnan(x)) {
    sb_puts(b, "nan");
  } else if (isinf(x)) {
    sb_puts(b, x > 0 ? "inf" : "-inf");
  } else if (x == floor(x) && fabs(x) < 9007199254740992.0) {
    sb_printf(b, "%lld", (long long)x);
  } else {
    char buf[40];
    for (int prec = 6; prec <= 17; prec++) {
      snprintf(buf, sizeof buf, "%.*g", prec, x);
      if (strtod(buf, NULL) == x) break;
    }
    sb_puts(b, buf);
  }
}

void json_num(strbuf *b, double x) {
  if (!isfinite(x)) sb_puts(b, "null");
  else fmt_num(b, x);
}

void fmt_time(strbuf *b, int t, int n_layers) {
  if (t < 0) sb_puts(b, "in");
  else if (t >= 2 * n_layers) sb_puts(b, "out");
  else sb_printf(b, "L%d%s", t / 2, t % 2 ? "f" : "a");
}

void slot_label_at(const mprog *p, const int *holders, int s, int t, strbuf *b) {
  int g = holders[(t + 1) * p->pl.d_model + s];
  if (g < 0) return;
  sb_puts(b, p->gg.g.v[g].name);
  /* after half-layer t, a value is live while a later half reads it */
  if (t >= p->pl.live_to[g]) sb_puts(b, " (dead)");
}

void slot_labels_json(const mprog *p, strbuf *b) {
  const placement *pl = &p->pl;
  int *h = slots_holders(&p->gg, pl);
  strbuf x;
  sb_init(&x);
  sb_puts(b, "\"half_layers\":[");
  for (int t = -1; t < 2 * pl->n_layers; t++) {
    sb_clear(&x);
    fmt_time(&x, t, pl->n_layers);
    if (t >= 0) sb_putc(b, ',');
    json_str(b, x.s);
  }
  sb_puts(b, "],\"slot_names_by_half\":[");
  for (int t = -1; t < 2 * pl->n_layers; t++) {
    sb_puts(b, t >= 0 ? ",[" : "[");
    for (int s = 0; s < pl->d_model; s++) {
      sb_clear(&x);
      slot_label_at(p, h, s, t, &x);
      if (s) sb_putc(b, ',');
      json_str(b, x.s ? x.s : "");
    }
    sb_putc(b, ']');
  }
  sb_putc(b, ']');
  sb_free(&x);
  free(h);
}

void json_str(strbuf *b, const char *s) {
  sb_putc(b, '"');
  for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
    switch (*p) {
    case '"': sb_puts(b, "\\\""); break;
    case '\\': sb_puts(b, "\\\\"); break;
    case '\n': sb_puts(b, "\\n"); break;
    case '\t': sb_puts(b, "\\t"); break;
    case '\r': sb_puts(b, "\\r"); break;
    default:
      if (*p < 0x20) sb_printf(b, "\\u%04x", *p);
      else sb_putc(b, (char)*p);
    }
  }
  sb_putc(b, '"');
}

void json_strn(strbuf *b, const char *s, size_t n) {
  char *t = xmalloc(n + 1);
  memcpy(t, s, n);
  t[n] = 0;
  for (size_t i = 0; i < n; i++)
    if (!t[i]) t[i] = ' ';
  json_str(b, t);
  free(t);
}

void sym_text(const mprog *p, int64_t v, int kind, strbuf *out) {
  if (kind == T_BOOL || v < 2) sb_puts(out, v ? "#t" : "#f");
  else if (v - 2 < p->syms.n) sb_puts(out, sym_name(&p->w->syms, p->syms.v[v - 2]));
  else sb_printf(out, "?sym%lld", (long long)v);
}

const char *extern_name(const mprog *p, int64_t k) {
  return k >= 0 && k < p->externs.n ? sym_name(&p->w->syms, p->externs.v[k]->ext->name)
                                    : "?extern";
}

void loc_text(const mprog *p, srcloc loc, strbuf *out) {
  if (loc.file < 0 || loc.line <= 0) return;
  sb_printf(out, "%s:%d:%d", src_name(&p->w->src, loc.file), loc.line, loc.col);
}

const char *step_kind_name(mkind k) {
  switch (k) {
  case M_WRITE: return "write";
  case M_EVAL: return "eval";
  case M_OUTINT: return "print-int";
  case M_OUTSYM: return "print-sym";
  case M_OUTSTR: return "print-str";
  case M_MARK: return "mark";
  case M_JUMP: return "jump";
  case M_BRANCH: return "branch";
  case M_JUMPDYN: return "jump-dyn";
  case M_CALL: return "call";
  default: return "other";
  }
}

/* Its own description, or its kind. */
void step_text(const mprog *p, int pc, strbuf *out) {
  if (pc < 0 || pc >= p->npc) {
    sb_printf(out, "pc %d (past the program)", pc);
    return;
  }
  const mstep_info *s = &p->steps[pc];
  if (s->what) sb_puts(out, s->what);
  else if (s->k == M_MARK) sb_printf(out, "mark %s", role_names[s->mark]);
  else if (s->k == M_OUTSTR) sb_puts(out, "print a string");
  else sb_puts(out, step_kind_name(s->k));
}

/* ---- reading an expression ------------------------------------------ */

void rexpr_free(rexpr *x) {
  if (x->have_form) arena_free(&x->f.mem);
  x->have_form = false;
}

bool read_expr(shell *sh, const char *srcname, const char *text,
                      rexpr *x, lang_error *err) {
  world *w = sh->s->w;
  memset(x, 0, sizeof *x);
  x->command = srcname;
  int file = src_add(&w->src, srcname);
  reader *rd = rd_new(&w->syms, &w->src, file);
  rd_feed(rd, text, strlen(text));
  rd_eof(rd);
  bool ok = false;
  srcloc at = {file, 1, 1};
  if (!rd_has_form(rd)) {
    const char *m = rd_error(rd, &at);
    lang_error_set(err, at, "syntax", "%s", m ? m : "an expression is needed");
    goto done;
  }
  x->f = rd_take(rd);
  x->have_form = true;
  if (rd_has_form(rd) || rd_status_of(rd) == RD_ERROR) {
    const char *m = rd_status_of(rd) == RD_ERROR ? rd_error(rd, &at) : NULL;
    lang_error_set(err, at, "syntax", "%s", m ? m : "one expression is expected");
    goto done;
  }
  int_vec names = {0};
  session_collect_defines(sh->s, x->f.form, &names);
  bool defines = names.n > 0;
  VEC_FREE(names);
  if (defines) {
    lang_error_set(err, x->f.form->loc, "syntax",
                   "an expression is expected here, not a definition");
    goto done;
  }
  x->a = ex_expand_toplevel(w, x->f.form, &x->f.mem, err);
  ok = x->a && ck_check_toplevel(w, x->a, &x->frame, NULL, 0, sh->s->warn,
                                 sh->s->warn_ctx, err) &&
       ck_compilable(w, x->a, err);
done:
  while (rd_has_form(rd)) {
    rd_form extra = rd_take(rd);
    arena_free(&extra.mem);
  }
  rd_free(rd);
  return ok;
}

/* (NAME ARG ...) with constant arguments: the procedure and the values. */
static bool direct_args(const ast *a, gcell **fn, value *args, int *nargs,
                        lang_error *err) {
  if (a->kind != E_CALL || a->u.call.r.kind != REF_GLOBAL ||
      a->u.call.r.cell->kind != G_FUNC) {
    lang_error_set(err, a->loc, "syntax", "a call of a global procedure is expected");
    return false;
  }
  if (a->u.call.n > 16) {
    lang_error_set(err, a->loc, "syntax", "at most 16 arguments");
    return false;
  }
  for (int i = 0; i < a->u.call.n; i++) {
    const ast *x = a->u.call.args[i];
    if (x->kind != E_CONST || x->u.k.kind == VK_VOID) {
      lang_error_set(err, x->loc, "syntax",
                     "arguments must be constants (numbers, 'symbols, #t, #f, #(...))");
      return false;
    }
    args[i] = x->u.k;
  }
  *fn = a->u.call.r.cell;
  *nargs = a->u.call.n;
  return true;
}

/* The session runs a call of a compiled procedure with constant arguments
 * (no strings) in the procedure's own program, the arguments in its
 * prompt; anything else, or a procedure that only compiles into its
 * callers, gets a program of its own.  The inspect commands do the same.
 * True, with the procedure's program compiled, for the first case. */
typedef struct {
  gcell *fn;
  value args[16];
  int nargs;
} dcall;

static bool as_direct(runner *r, const ast *a, dcall *d) {
  lang_error err = {0};
  bool ok = a->kind == E_CALL && a->u.call.r.kind == REF_GLOBAL &&
            a->u.call.r.cell->kind == G_FUNC &&
            a->u.call.r.cell->fn->nparams == a->u.call.n &&
            direct_args(a, &d->fn, d->args, &d->nargs, &err);
  for (int i = 0; ok && i < d->nargs; i++) ok = d->args[i].kind != VK_STR;
  ok = ok && runner_program(r, d->fn, &err) != NULL;
  lang_error_free(&err);
  return ok;
}

const mprog *direct_program(shell *sh, const rexpr *x) {
  runner *r = shell_runner(sh);
  dcall d;
  if (!as_direct(r, x->a, &d)) return NULL;
  lang_error err = {0};
  const mprog *p = runner_program(r, d.fn, &err);
  lang_error_free(&err);
  return p;
}

void report_error(shell *sh, const lang_error *err) {
  shell_error(sh, err->loc, err->msg ? err->msg : "error");
}

runner *shell_runner(shell *sh) {
  session *s = sh->s;
  if (!s->run) s->run = runner_new(s->w);
  runner_set_limits(s->run, s->w->lim.max_steps, s->w->interrupt);
  runner_set_progress(s->run, NULL, NULL, 0);
  runner_set_milp(s->run, s->milp_limit);
  return s->run;
}

static bool parse_int(const char *s, long lo, long hi, long *out) {
  char *end;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (errno || end == s || *end || v < lo || v > hi) return false;
  *out = v;
  return true;
}

bool run_traced(shell *sh, const rexpr *x, const runner_hooks *h, run_out *out) {
  world *w = sh->s->w;
  out_fn save = w->out;
  w->out = NULL;   /* the program's output is part of the listing */
  world_txn_begin(w);
  runner *r = shell_runner(sh);
  dcall d;
  /* it repeats what a form did: C functions are not called again */
  ffi_replay_begin(w, FFI_REPLAY, 0, x->command);
  bool ok = as_direct(r, x->a, &d) ? runner_trace_call(r, d.fn, d.args, d.nargs, h, out)
                                   : runner_trace(r, x->a, x->frame, h, out);
  ffi_replay_end(w);
  world_txn_rollback(w);
  w->out = save;
  return ok;
}

void head_layout_init(head_layout *hl, const model *m) {
  hl->hoff = xcalloc((size_t)m->n_layers + 1, sizeof *hl->hoff);
  int nh = 0, nv = 0;
  for (int l = 0; l < m->n_layers; l++) {
    hl->hoff[l] = nh;
    nh += m->layers[l].n_heads;
  }
  hl->hoff[m->n_layers] = nh;
  hl->voff = xcalloc((size_t)nh + 1, sizeof *hl->voff);
  for (int l = 0; l < m->n_layers; l++)
    for (int h = 0; h < m->layers[l].n_heads; h++) {
      hl->voff[hl->hoff[l] + h] = nv;
      nv += m->layers[l].heads[h].dv;
    }
  hl->nheads = nh;
  hl->nvals = nv;
}

void head_layout_free(head_layout *hl) {
  free(hl->hoff);
  free(hl->voff);
  hl->hoff = hl->voff = NULL;
}

/* True when `name` is one of the blank-separated words of `list`. */
static bool in_list(const char *list, const char *name) {
  size_t n = strlen(name);
  for (const char *s = list; *s;) {
    const char *e = strchr(s, ' ');
    size_t k = e ? (size_t)(e - s) : strlen(s);
    if (k == n && !strncmp(s, name, n)) return true;
    if (!e) break;
    s = e + 1;
  }
  return false;
}

bool parse_opts(shell *sh, const iwords *ws, const char *allowed, iopts *o,
                int *at) {
  memset(o, 0, sizeof *o);
  o->keep = 10;
  int i = 0;
  for (; i < ws->w.n && !strncmp(ws->w.v[i], "--", 2); i++) {
    const char *w = ws->w.v[i] + 2;
    if (!in_list(allowed, w)) goto bad;
    if (!strcmp(w, "json")) o->json = true;
    else if (!strcmp(w, "resid")) o->resid = true;
    else if (!strcmp(w, "steps")) {
      if (i + 1 >= ws->w.n || !parse_int(ws->w.v[++i], 1, 1000000, &o->keep)) {
        shell_message(sh, "--steps needs a number from 1 to 1000000");
        sh->nerrors++;
        return false;
      }
    } else {
      goto bad;
    }
  }
  *at = i;
  return true;
bad:
  shell_message(sh, "unknown option %s (:help lists the options of each command)",
                ws->w.v[i]);
  sh->nerrors++;
  return false;
}

char *join_words(const iwords *ws, int from) {
  strbuf b;
  sb_init(&b);
  for (int i = from; i < ws->w.n; i++) {
    if (i > from) sb_putc(&b, ' ');
    sb_puts(&b, ws->w.v[i]);
  }
  if (!b.s) sb_puts(&b, "");
  return sb_detach(&b);
}

/* ---- :margins ------------------------------------------------------- */

/* A sparse row: the non-zero weights of one matrix row. */
typedef struct {
  int n;
  int *col;
  double *w;
} srow;

/* Unit u's row of W_gate, its non-zero weights in slot order. */
static void srow_make(srow *r, const model_layer *L, int u) {
  const model_ffn *f = &L->ffn[FFN_GATE];
  int64_t a = f->start[u], n = f->start[u + 1] - a;
  r->n = 0;
  r->col = xmalloc((size_t)(n ? n : 1) * sizeof(int));
  r->w = xmalloc((size_t)(n ? n : 1) * sizeof(double));
  for (int64_t q = a; q < a + n; q++)
    if (f->w[q] != 0.0) {
      r->col[r->n] = f->slot[q];
      r->w[r->n++] = f->w[q];
    }
}

typedef struct {
  const mprog *p;
  int nprompt;
  int_vec tokens;
  head_layout hl;
  double *x, *mid, *vals;   /* residual before the layer, after attention */
  srow **gate;              /* per layer, per unit */
  /* attention */
  double att_min;
  int att_l, att_h;
  int64_t att_pos, queries, ties;
  /* FFN */
  double ffn_min;
  int ffn_l, ffn_u;
  int64_t ffn_pos, evals, at_kink, fractional;
  double frac_worst;
  int64_t passes;
} margins;

static void margins_start(void *ctx, const mprog *p, const int *prompt, int n) {
  margins *g = ctx;
  const model *m = p->m;
  g->p = p;
  g->nprompt = n;
  for (int i = 0; i < n; i++) VEC_PUSH(g->tokens, prompt[i]);
  head_layout_init(&g->hl, m);
  int d = m->d_model;
  g->x = xcalloc((size_t)d + 1, sizeof(double));
  g->mid = xcalloc((size_t)d + 1, sizeof(double));
  g->vals = xcalloc((size_t)g->hl.nvals + 1, sizeof(double));
  g->gate = xcalloc((size_t)m->n_layers + 1, sizeof(srow *));
  for (int l = 0; l < m->n_layers; l++) {
    const model_layer *L = &m->layers[l];
    g->gate[l] = xcalloc((size_t)L->n_ffn + 1, sizeof(srow));
    for (int u = 0; u < L->n_ffn; u++) srow_make(&g->gate[l][u], L, u);
  }
}

static void margins_head(void *ctx, int64_t pos, int layer, int head,
                         const double q[2], const kv_result *r, const double *val) {
  margins *g = ctx;
  (void)q;
  int k = g->hl.hoff[layer] + head;
  memcpy(g->vals + g->hl.voff[k], val, (size_t)g->p->m->layers[layer].heads[head].dv * sizeof(double));
  if (!r->found) return;
  g->queries++;
  if (r->count > 1) g->ties++;
  if (isfinite(r->margin) && r->margin < g->att_min) {
    g->att_min = r->margin;
    g->att_l = layer;
    g->att_h = head;
    g->att_pos = pos;
  }
}

/* The residual entering layer 0: the embedding, as the executor sums it. */
static void embed(const model *m, int token, int64_t pos, double *x) {
  int r = model_token_range(m, token), nf = 2 * m->n_ranges;
  double v = (double)model_token_value(m, token);
  double f[POS_NFEAT];
  model_pos_features(pos, f);
  for (int i = 0; i < m->d_model; i++) {
    const double *in = m->p_in + (size_t)i * nf;
    const double *ps = m->p_pos + (size_t)i * POS_NFEAT;
    double pf = ps[0] * f[0];
    for (int k = 1; k < POS_NFEAT; k++) pf += ps[k] * f[k];
    x[i] = (in[2 * r] + v * in[2 * r + 1]) + pf;
  }
}

/* mid = x + the heads' outputs, then every unit's gate input. */
static void margins_ffn(margins *g, int64_t pos, int l) {
  const model *m = g->p->m;
  const model_layer *L = &m->layers[l];
  int d = m->d_model;
  for (int i = 0; i < d; i++) {
    double acc = 0;
    for (int h = 0; h < L->n_heads; h++) {
      const model_head *mh = &L->heads[h];
      const double *v = g->vals + g->hl.voff[g->hl.hoff[l] + h];
      for (int c = 0; c < mh->dv; c++) acc += mh->wo[(size_t)i * mh->dv + c] * v[c];
    }
    g->mid[i] = g->x[i] + acc;
  }
  for (int u = 0; u < L->n_ffn; u++) {
    const srow *r = &g->gate[l][u];
    double s = 0;
    for (int k = 0; k < r->n; k++) s += r->w[k] * g->mid[r->col[k]];
    g->evals++;
    if (s == 0.0) {
      g->at_kink++;
      continue;
    }
    if (s != floor(s)) {
      g->fractional++;
      double off = fabs(s - floor(s + 0.5));
      if (off > g->frac_worst) g->frac_worst = off;
    }
    if (fabs(s) < g->ffn_min) {
      g->ffn_min = fabs(s);
      g->ffn_l = l;
      g->ffn_u = u;
      g->ffn_pos = pos;
    }
  }
}

static void margins_layer(void *ctx, int64_t pos, int layer, const double *resid) {
  margins *g = ctx;
  const model *m = g->p->m;
  if (layer == 0) embed(m, g->tokens.v[pos], pos, g->x);
  margins_ffn(g, pos, layer);
  memcpy(g->x, resid, (size_t)m->d_model * sizeof(double));
}

static void margins_token(void *ctx, int64_t pos, int token, int next) {
  margins *g = ctx;
  (void)token;
  g->passes++;
  if (pos >= g->nprompt - 1) VEC_PUSH(g->tokens, next);
}

static void margins_free(margins *g) {
  if (g->p)
    for (int l = 0; l < g->p->m->n_layers; l++) {
      for (int u = 0; u < g->p->m->layers[l].n_ffn; u++) {
        free(g->gate[l][u].col);
        free(g->gate[l][u].w);
      }
      free(g->gate[l]);
    }
  free(g->gate);
  free(g->x);
  free(g->mid);
  free(g->vals);
  head_layout_free(&g->hl);
  VEC_FREE(g->tokens);
}

static void unit_label(const mprog *p, int l, int u, strbuf *b) {
  unit_origin **uo = NULL;
  if (unit_origins(p, &uo)) {
    const unit_origin *o = &uo[l][u];
    if (o->gate >= 0) sb_printf(b, "\"%s\"", p->gg.g.v[o->gate].name);
    else sb_printf(b, "clear of \"%s\"", p->gg.g.v[o->cleared].name);
  } else {
    sb_puts(b, "?");
  }
  unit_origins_free(p, uo);
}

static void margins_report(isink *o, const margins *g, const run_out *out) {
  const mprog *p = g->p;
  strbuf b;
  sb_init(&b);
  sb_printf(&b, "run: %lld forward passes (%d over the prompt), %lld token%s generated\n",
            (long long)g->passes, g->nprompt, (long long)out->tokens, out->tokens == 1 ? "" : "s");
  if (isfinite(g->att_min)) {
    sb_puts(&b, "attention: smallest score gap ");
    fmt_num(&b, g->att_min);
    sb_printf(&b, " (layer %d head %d \"%s\", position %lld)\n", g->att_l, g->att_h,
              p->m->layers[g->att_l].heads[g->att_h].name, (long long)g->att_pos);
  } else {
    sb_puts(&b, "attention: no query had a second-best score: every gap is unbounded\n");
  }
  sb_printf(&b, "  %lld queries found keys; %lld of them had tied winners "
                "(decided by the tie rule)\n", (long long)g->queries, (long long)g->ties);
  if (isfinite(g->ffn_min)) {
    sb_puts(&b, "FFN: smallest threshold slack ");
    fmt_num(&b, g->ffn_min);
    sb_printf(&b, " (layer %d unit %d ", g->ffn_l, g->ffn_u);
    unit_label(p, g->ffn_l, g->ffn_u, &b);
    sb_printf(&b, ", position %lld)\n", (long long)g->ffn_pos);
  } else {
    sb_puts(&b, "FFN: no unit had a non-zero gate input\n");
  }
  sb_printf(&b, "  %lld unit evaluations: %lld exactly at the kink (gate input 0), "
                "%lld with a fractional gate input", (long long)g->evals,
            (long long)g->at_kink, (long long)g->fractional);
  if (g->fractional) {
    sb_puts(&b, " (farthest from an integer: ");
    fmt_num(&b, g->frac_worst);
    sb_putc(&b, ')');
  }
  sb_putc(&b, '\n');
  isink_puts(o, b.s);
  sb_free(&b);
}

typedef struct {
  shell *sh;
  const char *text;
  isink *o;
  bool ok;
} margins_job;

static void margins_deep(void *arg) {
  margins_job *j = arg;
  lang_error err = {0};
  rexpr x;
  if (!read_expr(j->sh, ":margins", j->text, &x, &err)) {
    report_error(j->sh, &err);
    lang_error_free(&err);
    rexpr_free(&x);
    return;
  }
  margins g;
  memset(&g, 0, sizeof g);
  g.att_min = g.ffn_min = INFINITY;
  run_out out;
  run_out_init(&out);
  runner_hooks h = {&g, margins_start, margins_token, {&g, margins_head, margins_layer, NULL, NULL}};
  bool ok = run_traced(j->sh, &x, &h, &out);
  if (g.p) {
    isink_printf(j->o, "%s: %d layer%s \xc2\xb7 d_model %d \xc2\xb7 %d head%s \xc2\xb7 %d FFN units\n",
                 j->text, g.p->pl.n_layers, g.p->pl.n_layers == 1 ? "" : "s",
                 g.p->pl.d_model, g.hl.nheads, g.hl.nheads == 1 ? "" : "s", g.p->n_units);
    margins_report(j->o, &g, &out);
  }
  isink_flush(j->o);
  if (!ok) report_error(j->sh, &out.err);
  j->ok = ok;
  margins_free(&g);
  run_out_free(&out);
  rexpr_free(&x);
}

/* "NAME ARG ..." as the call "(NAME ARG ...)"; "(EXPR)" as it is. */
static char *call_text(const iwords *ws, int from) {
  char *rest = join_words(ws, from);
  if (rest[0] == '(' && ws->w.n - from == 1) return rest;
  strbuf b;
  sb_init(&b);
  sb_printf(&b, "(%s)", rest);
  free(rest);
  return sb_detach(&b);
}

void cmd_margins(shell *sh, const char *args) {
  iwords ws;
  iwords_split(&ws, args);
  char *path = NULL, *text = NULL;
  if (!iwords_redirect(sh, &ws, &path)) goto done;
  if (ws.w.n == 0) {
    shell_message(sh, "usage: :margins NAME [ARG ...] | :margins (EXPR)");
    sh->nerrors++;
    goto done;
  }
  text = call_text(&ws, 0);
  isink sink;
  if (!isink_open(&sink, sh, path)) goto done;
  margins_job j = {sh, text, &sink, false};
  lang_run_deep(margins_deep, &j);
  isink_done(&sink, path, "the margins");
done:
  free(text);
  free(path);
  iwords_free(&ws);
}

/* ---- :export --------------------------------------------------------- */

static void meta_steps(const mprog *p, strbuf *b) {
  sb_puts(b, ",\"steps\":[");
  for (int pc = 0; pc < p->npc; pc++) {
    const mstep_info *s = &p->steps[pc];
    sb_printf(b, "%s{\"kind\":\"%s\"", pc ? "," : "", step_kind_name(s->k));
    if (s->k == M_MARK) sb_printf(b, ",\"mark\":\"%s\"", role_names[s->mark]);
    if (s->k == M_OUTSYM) sb_printf(b, ",\"out\":\"%s\"", s->out_kind == T_BOOL ? "bool" : "sym");
    /* a string that is the expression's value prints quoted */
    if (s->k == M_OUTSTR && s->write) sb_puts(b, ",\"write\":true");
    /* a character: PRINT, then its code point (display or write) */
    if (s->k == M_OUTINT && s->out_kind == T_CHAR)
      sb_printf(b, ",\"out\":\"char\"%s", s->write ? ",\"write\":true" : "");
    /* a kind error's report: what it prints goes into the message */
    if (s->errval) sb_puts(b, ",\"errval\":true");
    if (s->digits) sb_printf(b, ",\"digits\":%d", s->digits);
    /* the host supplies the tokens of the result step (tool_arg -1) */
    if (s->tool) sb_printf(b, ",\"tool\":%d,\"tool_arg\":%d", s->tool - 1, s->tool_arg);
    if (s->k == M_WRITE) {
      static const char *const tg[] = {"none", "static", "frame", "waddr", "hp"};
      sb_printf(b, ",\"target\":\"%s\",\"addr\":%d,\"off\":%d", tg[s->tgt], (int)s->addr,
                (int)s->off);
    }
    strbuf t;
    sb_init(&t);
    step_text(p, pc, &t);
    sb_puts(b, ",\"what\":");
    json_str(b, t.s);
    sb_clear(&t);
    loc_text(p, s->loc, &t);
    sb_puts(b, ",\"loc\":");
    json_str(b, t.s ? t.s : "");
    sb_free(&t);
    sb_putc(b, '}');
  }
  sb_putc(b, ']');
}

static void meta_tables(const mprog *p, strbuf *b) {
  sb_puts(b, ",\"roles\":[");
  for (int r = 0; r < R_NROLES; r++) sb_printf(b, "%s\"%s\"", r ? "," : "", role_names[r]);
  sb_puts(b, "],\"symbols\":[\"#f\",\"#t\"");
  for (int i = 0; i < p->syms.n; i++) {
    sb_putc(b, ',');
    json_str(b, sym_name(&p->w->syms, p->syms.v[i]));
  }
  sb_puts(b, "],\"strings\":[");
  for (int i = 0; i < p->strs.n; i++) {
    if (i) sb_putc(b, ',');
    json_str(b, world_string(p->w, p->strs.v[i]));
  }
  sb_puts(b, "],\"externs\":[");
  static const char *const xt[] = {"void", "int32", "int64", "double", "string"};
  for (int k = 0; k < p->externs.n; k++) {
    const extern_def *x = p->externs.v[k]->ext;
    sb_puts(b, k ? ",{\"name\":" : "{\"name\":");
    json_str(b, extern_name(p, k));
    sb_puts(b, ",\"library\":");
    json_str(b, x->library);
    sb_puts(b, ",\"symbol\":");
    json_str(b, x->symbol);
    sb_puts(b, ",\"args\":[");
    for (int i = 0; i < x->nargs; i++) sb_printf(b, "%s\"%s\"", i ? "," : "", xt[x->args[i]]);
    sb_printf(b, "],\"ret\":\"%s\"}", xt[x->ret]);
  }
  sb_puts(b, "],\"cells\":[");
  for (int a = 1; a < p->cells.n; a++) {
    sb_printf(b, "%s{\"addr\":%d,\"name\":", a > 1 ? "," : "", a);
    json_str(b, p->cells.v[a].name);
    sb_putc(b, '}');
  }
  sb_puts(b, "]");
}

static void meta_errors(const mprog *p, strbuf *b) {
  sb_puts(b, ",\"errors\":[");
  for (int i = 0; i < p->sites.n; i++) {
    const err_site *e = &p->sites.v[i];
    strbuf d;
    sb_init(&d);
    diag_format(&d, &p->w->src, e->loc, "error", e->msg);
    sb_printf(b, "%s{\"kind\":", i ? "," : "");
    json_str(b, e->kind);
    sb_puts(b, ",\"message\":");
    json_str(b, e->msg);
    sb_puts(b, ",\"diagnostic\":");
    json_str(b, d.s ? d.s : "");
    /* the message's first line ends with " (VALUE)", the text the
     * report printed (docs/trace-format.md) */
    if (e->value_follows) sb_puts(b, ",\"value_follows\":true");
    if (e->value_bare) sb_puts(b, ",\"value_bare\":true");
    if (e->value_slots) sb_puts(b, ",\"value_slots\":true");
    /* the values the host reads (backend/mhostval.c, docs/trace-format.md
     * "Values the host reads"): the read programs, the step that raises
     * the error (-1: a circuit, which reads its prompt), and the text
     * they go into: an overflow's operation, or a message whose bytes 1
     * to 4 take the operands */
    if (e->hcode) {
      sb_puts(b, ",\"read\":{\"code\":[");
      for (int j = 0; j < e->nhcode; j++) sb_printf(b, "%s%d", j ? "," : "", (int)e->hcode[j]);
      sb_printf(b, "],\"n\":%d,\"pc\":%d", e->hn, e->hpc);
      if (e->hop) {
        sb_puts(b, ",\"op\":");
        json_str(b, e->hop);
      }
      if (e->hmsg) {
        sb_puts(b, ",\"message\":");
        json_str(b, e->hmsg);
      }
      sb_putc(b, '}');
    }
    sb_putc(b, '}');
    sb_free(&d);
  }
  sb_putc(b, ']');
}

static void meta_slots(const mprog *p, strbuf *b) {
  sb_puts(b, ",\"slot_map\":[");
  for (int i = 0; i < p->slotmap.n; i++) {
    sb_puts(b, i ? ",{\"label\":" : "{\"label\":");
    json_str(b, p->slotmap.v[i].label);
    sb_printf(b, ",\"slot\":%d,\"layer\":%d,\"pc\":%d}", p->slotmap.v[i].slot,
              p->slotmap.v[i].layer, p->slotmap.v[i].pc);
  }
  sb_puts(b, "],\"slots\":[");
  const gate_graph *gg = &p->gg;
  const placement *pl = &p->pl;
  bool first = true;
  for (int g = 0; g < gg->g.n; g++) {
    if (pl->slot[g] < 0 || pl->time[g] == -3) continue;
    sb_puts(b, first ? "{\"gate\":" : ",{\"gate\":");
    first = false;
    json_str(b, gg->g.v[g].name);
    sb_printf(b, ",\"slot\":%d,\"from\":%d,\"to\":%d}", pl->slot[g], pl->live_from[g],
              pl->live_to[g]);
  }
  sb_putc(b, ']');
}

/* The metadata object of an exported program (docs/model-format.md). */
static char *export_meta(const mprog *p, const char *source, const int_vec *prompt) {
  strbuf b;
  sb_init(&b);
  sb_puts(&b, "{\"tvl_program\":1,\"source\":");
  json_str(&b, source);
  sb_printf(&b, ",\"entry_pc\":%d,\"npc\":%d,\"has_result\":%s", p->entry_pc, p->npc,
            p->main_type_kind != T_VOID ? "true" : "false");
  if (prompt) {
    sb_puts(&b, ",\"prompt\":[");
    for (int i = 0; i < prompt->n; i++) sb_printf(&b, "%s%d", i ? "," : "", prompt->v[i]);
    sb_putc(&b, ']');
  }
  if (p->circ) {
    static const char *const kinds[] = {"void", "int", "bool", "sym"};
    int k = p->circ->result_kind;
    sb_printf(&b, ",\"circuit\":{\"params\":%d,\"result\":\"%s\"}", p->circ->nparams,
              k >= 0 && k <= T_SYM ? kinds[k] : "?");
  }
  meta_tables(p, &b);
  meta_steps(p, &b);
  meta_errors(p, &b);
  meta_slots(p, &b);
  sb_putc(&b, ',');
  slot_labels_json(p, &b);
  sb_putc(&b, '}');
  return sb_detach(&b);
}

static bool save_program(shell *sh, const mprog *p, const char *source,
                         const int_vec *prompt, const char *path) {
  model copy = *p->m;
  copy.meta_json = export_meta(p, source, prompt);
  char err[512] = "";
  bool ok = model_save(&copy, path, err, sizeof err);
  free(copy.meta_json);
  if (!ok) {
    shell_message(sh, "cannot export: %s", err);
    sh->nerrors++;
    return false;
  }
  shell_printf(sh, "%s: %d layer%s \xc2\xb7 d_model %d \xc2\xb7 vocabulary %d", path,
               p->m->n_layers, p->m->n_layers == 1 ? "" : "s", p->m->d_model,
               p->m->vocab_size);
  if (prompt) shell_printf(sh, " \xc2\xb7 prompt %d tokens\n", prompt->n);
  else shell_printf(sh, " \xc2\xb7 no prompt (give the arguments to include one)\n");
  return true;
}

typedef struct {
  shell *sh;
  const char *text, *path, *source;
  bool expr, ok;
} export_job;

static bool export_prompt(shell *sh, const mprog *p, const value *args, int nargs,
                          int_vec *prompt) {
  char msg[512] = "";
  mload load = {{0}, 0};
  world *w = sh->s->w;
  world_txn_begin(w);
  bool ok = p->circ ? circuit_prompt(p, args, nargs, prompt, msg, sizeof msg)
                    : machine_prompt((mprog *)p, args, nargs, prompt, &load, msg, sizeof msg);
  world_txn_rollback(w);
  mload_free(&load);
  if (!ok) {
    shell_message(sh, "cannot build the prompt: %s", msg);
    sh->nerrors++;
  }
  return ok;
}

static void export_deep(void *arg) {
  export_job *j = arg;
  lang_error err = {0};
  rexpr x;
  int_vec prompt = {0};
  if (!read_expr(j->sh, ":export", j->text, &x, &err)) goto fail;
  const mprog *p;
  runner *r = shell_runner(j->sh);
  dcall d = {NULL, {{0}}, 0};
  if (j->expr && !as_direct(r, x.a, &d)) {
    p = runner_compile_expr(r, x.a, x.frame, &err);
  } else {
    if (!j->expr && !direct_args(x.a, &d.fn, d.args, &d.nargs, &err)) goto fail;
    p = runner_program(r, d.fn, &err);
  }
  if (!p) goto fail;
  bool with_prompt = !d.fn || d.nargs == p->main_params.n;
  if (with_prompt && !export_prompt(j->sh, p, d.args, d.nargs, &prompt)) goto done;
  j->ok = save_program(j->sh, p, j->source, with_prompt ? &prompt : NULL, j->path);
  goto done;
fail:
  report_error(j->sh, &err);
done:
  lang_error_free(&err);
  rexpr_free(&x);
  VEC_FREE(prompt);
}

/* :export NAME FILE: the procedure's model, with a prompt only when it
 * takes no arguments. */
static void export_plain(shell *sh, const char *name, const char *path) {
  const mprog *p = program_of(sh, name);
  if (!p) return;
  int_vec prompt = {0};
  bool with_prompt = p->main_params.n == 0;
  if (!with_prompt || export_prompt(sh, p, NULL, 0, &prompt))
    save_program(sh, p, name, with_prompt ? &prompt : NULL, path);
  VEC_FREE(prompt);
}

void cmd_export(shell *sh, const char *args) {
  iwords ws;
  iwords_split(&ws, args);
  char *text = NULL;
  if (ws.w.n < 2) {
    shell_message(sh, "usage: :export NAME FILE [ARG ...] | :export (EXPR) FILE");
    sh->nerrors++;
    goto done;
  }
  bool expr = ws.w.v[0][0] == '(';
  if (expr && ws.w.n != 2) {
    shell_message(sh, ":export (EXPR) FILE takes nothing after the file name");
    sh->nerrors++;
    goto done;
  }
  const char *path = ws.w.v[1];
  if (!expr && ws.w.n == 2) {
    export_plain(sh, ws.w.v[0], path);
    goto done;
  }
  strbuf call;
  sb_init(&call);
  if (expr) {
    sb_puts(&call, ws.w.v[0]);
  } else {
    sb_printf(&call, "(%s", ws.w.v[0]);
    for (int i = 2; i < ws.w.n; i++) sb_printf(&call, " %s", ws.w.v[i]);
    sb_putc(&call, ')');
  }
  text = sb_detach(&call);
  export_job j = {sh, text, path, text, expr, false};
  lang_run_deep(export_deep, &j);
done:
  free(text);
  iwords_free(&ws);
}
