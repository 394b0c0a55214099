/* inspect.c - seeing inside a compiled program: :trace (what the model
 * did at every position), :margins (how far it is from miscomputing) and
 * :export (the model, its prompt and what a runner needs to decode it, as
 * one safetensors file).  The weight listings and the pictures are in
 * inspect-weights.c.
 *
 * The host never computes a program value here either: it follows the
 * program counter from the JUMP tokens the way machine_decode does, and
 * says what each generated token means.
 */
#include "config.h"

#include "inspect.h"

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
  sb_init(&o->buf);
  if (!path) return true;
  o->f = fopen(path, "w");
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
  if (o->f && fclose(o->f) != 0) o->failed = true;
  o->f = NULL;
  if (o->failed) {
    shell_message(o->sh, "cannot write %s: %s", path ? path : "the output",
                  strerror(errno));
    o->sh->nerrors++;
    return false;
  }
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

static void json_num(strbuf *b, double x) {
  if (!isfinite(x)) sb_puts(b, "null");
  else fmt_num(b, x);
}

void fmt_time(strbuf *b, int t, int n_layers) {
  if (t < 0) sb_puts(b, "in");
  else if (t >= 2 * n_layers) sb_puts(b, "out");
  else sb_printf(b, "L%d%s", t / 2, t % 2 ? "f" : "a");
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

static void json_strn(strbuf *b, const char *s, size_t n) {
  char *t = xmalloc(n + 1);
  memcpy(t, s, n);
  t[n] = 0;
  for (size_t i = 0; i < n; i++)
    if (!t[i]) t[i] = ' ';
  json_str(b, t);
  free(t);
}

/* "#f", "#t", a symbol's name: a SYM token's value as printed. */
static void sym_text(const mprog *p, int64_t v, int kind, strbuf *out) {
  if (kind == T_BOOL || v < 2) sb_puts(out, v ? "#t" : "#f");
  else if (v - 2 < p->syms.n) sb_puts(out, sym_name(&p->w->syms, p->syms.v[v - 2]));
  else sb_printf(out, "?sym%lld", (long long)v);
}

static const char *str_text(const mprog *p, int64_t v) {
  return v >= 0 && v < p->strs.n ? world_string(p->w, p->strs.v[v]) : "";
}

static void loc_text(const mprog *p, srcloc loc, strbuf *out) {
  if (loc.file < 0 || loc.line <= 0) return;
  sb_printf(out, "%s:%d:%d", src_name(&p->w->src, loc.file), loc.line, loc.col);
}

static const char *kind_name(mkind k) {
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
  default: return "other";
  }
}

/* What a step is, in words: its own description, or its kind. */
static void step_text(const mprog *p, int pc, strbuf *out) {
  if (pc < 0 || pc >= p->npc) {
    sb_printf(out, "pc %d (past the program)", pc);
    return;
  }
  const mstep_info *s = &p->steps[pc];
  if (s->what) sb_puts(out, s->what);
  else if (s->k == M_MARK) sb_printf(out, "mark %s", role_names[s->mark]);
  else if (s->k == M_OUTSTR) sb_puts(out, "print a string");
  else sb_puts(out, kind_name(s->k));
}

/* ---- reading an expression ------------------------------------------ */

/* One expression read from a command's text, expanded and checked: the
 * caller runs on the deep stack and frees f.mem. */
typedef struct {
  rd_form f;
  ast *a;
  int frame;
  bool have_form;
} rexpr;

static void rexpr_free(rexpr *x) {
  if (x->have_form) arena_free(&x->f.mem);
  x->have_form = false;
}

static bool read_expr(shell *sh, const char *srcname, const char *text,
                      rexpr *x, lang_error *err) {
  world *w = sh->s->w;
  memset(x, 0, sizeof *x);
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
                                 sh->s->warn_ctx, err);
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

static bool direct_args(const ast *a, gcell **fn, value *args, int *nargs,
                        lang_error *err);

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

static void report(shell *sh, const lang_error *err) {
  shell_error(sh, err->loc, err->msg ? err->msg : "error");
}

static runner *shell_runner(shell *sh) {
  session *s = sh->s;
  if (!s->run) s->run = runner_new(s->w);
  runner_set_limits(s->run, s->w->lim.max_steps, s->w->interrupt);
  runner_set_progress(s->run, false);
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

/* ---- following the program counter --------------------------------- */

/* The host's reading of a trace, one token at a time, as machine_decode
 * reads it: the PC comes from the JUMP tokens, a step completes at its
 * last token, and writes to the registers are replayed so that frame and
 * heap addresses come out right. */
typedef struct {
  const mprog *p;
  int pc;
  bool have_hi, after_lo, in_result, ended;
  int64_t hi;
  int32_t *cells;
  int ncells;
} hdec;

/* What one generated token means. */
typedef struct {
  int pc;              /* the statement it belongs to */
  bool ends;           /* it completes the statement */
  bool wrote;
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
  d->ncells = p->cells.n;
  d->cells = xcalloc((size_t)(d->ncells ? d->ncells : 1), sizeof(int32_t));
  for (int i = 0; i + 2 < n; i++) {
    if (model_token_range(p->m, prompt[i]) != R_SETR) continue;
    int64_t a = model_token_value(p->m, prompt[i]);
    int64_t h = model_token_value(p->m, prompt[i + 1]);
    int64_t l = model_token_value(p->m, prompt[i + 2]);
    if (a > 0 && a < d->ncells) d->cells[a] = (int32_t)(65536 * h + l + 32768);
  }
}

static void hdec_free(hdec *d) { free(d->cells); }

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
  case TGT_FRAME: reg = "SP"; base = d->cells[REG_SP]; break;
  case TGT_WADDR: reg = "WADDR"; base = d->cells[REG_WADDR]; break;
  case TGT_HP: reg = "HP"; base = d->cells[REG_HP]; break;
  default: return -1;
  }
  sb_printf(name, "MEM[%s%+d]", reg, (int)s->off);
  return base + s->off;
}

/* Step pc completed with the value v. */
static void hdec_complete(hdec *d, int pc, int64_t v, hmean *m) {
  const mstep_info *s = pc >= 0 && pc < d->p->npc ? &d->p->steps[pc] : NULL;
  if (s && s->k == M_WRITE) {
    int32_t a = target_addr(d, s, &m->target);
    if (s->tgt == TGT_STATIC && a > 0 && a < d->ncells) d->cells[a] = (int32_t)v;
    m->wrote = true;
    m->addr = a;
    m->value = v;
    sb_printf(&m->what, "%s := %lld", m->target.s, (long long)v);
    if (s->tgt != TGT_STATIC) sb_printf(&m->what, " (address %d)", (int)a);
  } else if (s && s->k == M_OUTINT) {
    sb_printf(&m->out, "%lld", (long long)v);
    m->is_result = d->in_result;
    sb_printf(&m->what, "prints %lld", (long long)v);
  } else {
    sb_printf(&m->what, "value %lld", (long long)v);
  }
}

static void hdec_jump(hdec *d, int64_t v, hmean *m) {
  const mstep_info *s = d->pc >= 0 && d->pc < d->p->npc ? &d->p->steps[d->pc] : NULL;
  const char *how = "jump";
  if (s && s->k == M_BRANCH) how = "branch";
  else if (s && s->k == M_JUMPDYN) how = "computed jump";
  else if (s && s->k == M_EVAL) how = "checked, go on";
  sb_printf(&m->what, "%s to pc %lld", how, (long long)v);
  d->pc = (int)v;
}

static void hdec_output(hdec *d, role r, int64_t v, hmean *m) {
  const mprog *p = d->p;
  int kind = d->pc >= 0 && d->pc < p->npc ? p->steps[d->pc].out_kind : T_SYM;
  if (r == R_SYM) sym_text(p, v, kind, &m->out);
  else if (r == R_STR) sb_puts(&m->out, str_text(p, v));
  else sb_putc(&m->out, '\n');
  m->is_result = d->in_result;
  sb_puts(&m->what, "prints ");
  json_str(&m->what, m->out.s ? m->out.s : "");
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

static void hdec_token(hdec *d, int token, hmean *m) {
  const mprog *p = d->p;
  int r = model_token_range(p->m, token);
  int64_t v = model_token_value(p->m, token);
  m->pc = d->pc;
  m->ends = true;
  if (r < 0) {
    sb_printf(&m->what, "not a token of the vocabulary");
    d->ended = true;
  } else if (d->have_hi) {
    d->have_hi = false;
    d->after_lo = true;
    m->ends = false;
    sb_puts(&m->what, "low chunk; ");
    hdec_complete(d, d->pc, 65536 * d->hi + v + 32768, m);
  } else if (d->after_lo) {
    d->after_lo = false;
    sb_printf(&m->what, "resync: the next step is pc %lld", (long long)v);
    d->pc = (int)v;
  } else if (r == R_HI) {
    d->hi = v;
    d->have_hi = true;
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

/* ---- recording a run ------------------------------------------------ */

typedef struct {
  double q[2];
  bool seen, found;
  int64_t pos, kx, ky, count;
  double margin;
} headrec;

/* One forward pass whose argmax is a generated token. */
typedef struct {
  int64_t pos;
  int input, token;
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
  int_vec tokens;      /* every token, prompt first */
  int nheads, nvals;
  int *hoff, *voff;    /* per layer: first head; per head: first value */
  int namew;           /* width of the longest head name */
  hdec dec;
  posrec cur;
  sgroup g;            /* the statement being recorded */
  sgroup *ring;        /* the last `keep` statements */
  int ring_n, ring_at;
  int64_t nstatements, shown, skipped, skipped_tokens;
  bool first_json;     /* no statement written yet */
} tracer;

static void posrec_alloc(tracer *t, posrec *r) {
  memset(r, 0, sizeof *r);
  r->heads = xcalloc((size_t)t->nheads + 1, sizeof *r->heads);
  r->vals = xcalloc((size_t)t->nvals + 1, sizeof *r->vals);
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

static void tracer_layout(tracer *t) {
  const model *m = t->p->m;
  t->hoff = xcalloc((size_t)m->n_layers + 1, sizeof *t->hoff);
  int nh = 0, nv = 0;
  for (int l = 0; l < m->n_layers; l++) {
    t->hoff[l] = nh;
    nh += m->layers[l].n_heads;
  }
  t->hoff[m->n_layers] = nh;
  t->voff = xcalloc((size_t)nh + 1, sizeof *t->voff);
  t->namew = 4;
  for (int l = 0; l < m->n_layers; l++)
    for (int h = 0; h < m->layers[l].n_heads; h++) {
      t->voff[t->hoff[l] + h] = nv;
      nv += m->layers[l].heads[h].dv;
      int w = (int)strlen(m->layers[l].heads[h].name);
      if (w > t->namew) t->namew = w;
    }
  t->nheads = nh;
  t->nvals = nv;
}

/* ---- printing: text ------------------------------------------------- */

static void token_text(const tracer *t, int64_t pos, strbuf *b) {
  if (pos >= 0 && pos < t->tokens.n) machine_token_text(t->p, t->tokens.v[pos], b);
  else sb_puts(b, "?");
}

static void head_line(tracer *t, const posrec *r, int l, int h, strbuf *b) {
  const model_head *mh = &t->p->m->layers[l].heads[h];
  const headrec *x = &r->heads[t->hoff[l] + h];
  sb_printf(b, "    L%d.H%d %-*s q (", l, h, t->namew, mh->name);
  fmt_num(b, x->q[0]);
  sb_puts(b, ", ");
  fmt_num(b, x->q[1]);
  sb_puts(b, ")");
  if (!x->found) {
    sb_puts(b, "  no key\n");
    return;
  }
  sb_printf(b, "  won %lld [", (long long)x->pos);
  token_text(t, x->pos, b);
  sb_printf(b, "] key (%lld, %lld) margin ", (long long)x->kx, (long long)x->ky);
  fmt_num(b, x->margin);
  if (x->count > 1) sb_printf(b, " ties %lld", (long long)x->count);
  sb_puts(b, " reads (");
  const double *v = r->vals + t->voff[t->hoff[l] + h];
  for (int k = 0; k < mh->dv; k++) {
    if (k) sb_puts(b, ", ");
    fmt_num(b, v[k]);
  }
  sb_puts(b, ")\n");
}

static void print_group_text(tracer *t, const sgroup *g) {
  strbuf b;
  sb_init(&b);
  sb_printf(&b, "statement %lld  pc %d  ", (long long)g->index, g->pc);
  step_text(t->p, g->pc, &b);
  if (g->pc >= 0 && g->pc < t->p->npc && t->p->steps[g->pc].loc.line > 0) {
    sb_puts(&b, "  (");
    loc_text(t->p, t->p->steps[g->pc].loc, &b);
    sb_putc(&b, ')');
  }
  if (!g->complete) sb_puts(&b, "  [incomplete]");
  sb_putc(&b, '\n');
  const model *m = t->p->m;
  for (int i = 0; i < g->pos.n; i++) {
    const posrec *r = &g->pos.v[i];
    sb_printf(&b, "  %lld -> ", (long long)r->pos);
    machine_token_text(t->p, r->token, &b);
    sb_printf(&b, "   %s\n", r->m.what.s ? r->m.what.s : "");
    for (int l = 0; l < m->n_layers; l++)
      for (int h = 0; h < m->layers[l].n_heads; h++) head_line(t, r, l, h, &b);
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

static void json_heads(tracer *t, const posrec *r, strbuf *b) {
  const model *m = t->p->m;
  for (int l = 0; l < m->n_layers; l++) {
    for (int h = 0; h < m->layers[l].n_heads; h++) {
      const headrec *x = &r->heads[t->hoff[l] + h];
      sb_printf(b, ",\"blocks.%d.attn.hook_q.%d\":", l, h);
      json_doubles(b, x->q, 2);
      sb_printf(b, ",\"blocks.%d.attn.hook_winner.%d\":", l, h);
      if (!x->found) {
        sb_puts(b, "null");
      } else {
        sb_printf(b, "{\"pos\":%lld,\"token\":%d,\"key\":[%lld,%lld],\"margin\":",
                  (long long)x->pos, x->pos < t->tokens.n ? t->tokens.v[x->pos] : -1,
                  (long long)x->kx, (long long)x->ky);
        json_num(b, x->margin);
        sb_printf(b, ",\"ties\":%lld}", (long long)x->count);
      }
      sb_printf(b, ",\"blocks.%d.attn.hook_z.%d\":", l, h);
      json_doubles(b, r->vals + t->voff[t->hoff[l] + h], m->layers[l].heads[h].dv);
    }
    if (r->resid) {
      sb_printf(b, ",\"blocks.%d.hook_resid_post\":", l);
      json_doubles(b, r->resid + (size_t)l * m->d_model, m->d_model);
    }
  }
}

static void json_pos(tracer *t, const posrec *r, strbuf *b) {
  sb_printf(b, "{\"pos\":%lld,\"input\":%d,\"input_text\":", (long long)r->pos, r->input);
  strbuf s;
  sb_init(&s);
  machine_token_text(t->p, r->input, &s);
  json_str(b, s.s);
  sb_clear(&s);
  sb_printf(b, ",\"token\":%d,\"token_text\":", r->token);
  machine_token_text(t->p, r->token, &s);
  json_str(b, s.s);
  sb_free(&s);
  sb_printf(b, ",\"pc\":%d,\"meaning\":", r->m.pc);
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
  json_heads(t, r, b);
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
  step_text(t->p, g->pc, &w);
  json_str(&b, w.s);
  sb_clear(&w);
  if (g->pc >= 0 && g->pc < t->p->npc) loc_text(t->p, t->p->steps[g->pc].loc, &w);
  sb_puts(&b, ",\"loc\":");
  json_str(&b, w.s ? w.s : "");
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
  t->shown++;
}

/* ---- the header ------------------------------------------------------ */

static void prompt_summary(const tracer *t, const int *prompt, int n, strbuf *b) {
  int setr = 0, setm = 0;
  for (int i = 0; i < n; i++) {
    int r = model_token_range(t->p->m, prompt[i]);
    setr += r == R_SETR;
    setm += r == R_SETM;
  }
  sb_printf(b, "prompt: %d tokens (BOS, %d static cells, %d memory cells, ", n,
            setr - setm, setm);
  if (n > 0) machine_token_text(t->p, prompt[n - 1], b);
  sb_putc(b, ')');
}

static void header_text(tracer *t, const int *prompt, int n) {
  const mprog *p = t->p;
  strbuf b;
  sb_init(&b);
  sb_printf(&b, "%s: %d layer%s \xc2\xb7 d_model %d \xc2\xb7 %d head%s \xc2\xb7 "
                "%d FFN units \xc2\xb7 %d steps\n", t->expr_text, p->pl.n_layers,
            p->pl.n_layers == 1 ? "" : "s", p->pl.d_model, t->nheads,
            t->nheads == 1 ? "" : "s", p->n_units, p->npc);
  prompt_summary(t, prompt, n, &b);
  sb_printf(&b, "\nper generated token: the position of the forward pass -> the "
                "token it emitted, what it means;\nper head: query, winning position "
                "[its token], key, score margin to the next best key, value read\n");
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
      sb_printf(&b, ",\"tie\":\"%s\",\"dv\":%d}", mh->tie == TIE_LATEST ? "latest" : "average",
                mh->dv);
    }
    sb_putc(&b, ']');
  }
  sb_puts(&b, "],\"slot_names\":[");
  for (int s = 0; s < m->d_model; s++) {
    if (s) sb_putc(&b, ',');
    json_str(&b, m->slot_names ? m->slot_names[s] : "");
  }
  sb_puts(&b, "]},\"prompt\":[");
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
  tracer_layout(t);
  hdec_init(&t->dec, p, prompt, n);
  posrec_alloc(t, &t->cur);
  t->ring = xcalloc((size_t)t->keep, sizeof *t->ring);
  if (t->json) header_json(t, prompt, n);
  else header_text(t, prompt, n);
}

static bool recorded(const tracer *t, int64_t pos) {
  return t->p && pos >= t->nprompt - 1;
}

static void on_head(void *ctx, int64_t pos, int layer, int head,
                    const double q[2], const kv_result *r, const double *val) {
  tracer *t = ctx;
  if (!recorded(t, pos)) return;
  headrec *x = &t->cur.heads[t->hoff[layer] + head];
  x->seen = true;
  x->q[0] = q[0];
  x->q[1] = q[1];
  x->found = r->found;
  x->pos = r->pos;
  x->kx = r->kx;
  x->ky = r->ky;
  x->count = r->count;
  x->margin = r->margin;
  int dv = t->p->m->layers[layer].heads[head].dv;
  memcpy(t->cur.vals + t->voff[t->hoff[layer] + head], val, (size_t)dv * sizeof(double));
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

static void on_token(void *ctx, int64_t pos, int token, int next) {
  tracer *t = ctx;
  if (!recorded(t, pos)) return;
  VEC_PUSH(t->tokens, next);
  posrec *r = &t->cur;
  r->pos = pos;
  r->input = token;
  r->token = next;
  hdec_token(&t->dec, next, &r->m);
  if (t->g.pos.n == 0) t->g.pc = r->m.pc;
  bool ends = r->m.ends || t->dec.ended;
  VEC_PUSH(t->g.pos, *r);
  posrec_alloc(t, &t->cur);
  if (ends) group_done(t);
}

/* ---- :trace ----------------------------------------------------------- */

static void elision_text(tracer *t) {
  if (!t->skipped) return;
  isink_printf(t->o, "... %lld statement%s (%lld token%s) not shown; "
                     ":trace --steps N shows the first and last N ...\n",
               (long long)t->skipped, t->skipped == 1 ? "" : "s",
               (long long)t->skipped_tokens, t->skipped_tokens == 1 ? "" : "s");
}

static void flush_ring(tracer *t) {
  if (t->json) {
    /* the elided statements are counted in "elided" below */
  } else {
    elision_text(t);
  }
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
  sb_printf(&b, "%lld token%s generated \xc2\xb7 %lld statement%s", (long long)out->tokens,
            out->tokens == 1 ? "" : "s", (long long)t->nstatements,
            t->nstatements == 1 ? "" : "s");
  if (t->skipped) sb_printf(&b, " (%lld not shown)", (long long)t->skipped);
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
                "\"statements_total\":%lld,\"tokens\":%lld,\"ok\":%s,\"output\":",
            (long long)t->skipped, (long long)t->skipped_tokens, (long long)t->nstatements,
            (long long)out->tokens, out->ok ? "true" : "false");
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
  free(t->hoff);
  free(t->voff);
  if (t->p) {
    hdec_free(&t->dec);
    posrec_free(&t->cur);
  }
  group_free(&t->g);
  for (int i = 0; t->ring && i < t->keep; i++) group_free(&t->ring[i]);
  free(t->ring);
}

typedef struct {
  shell *sh;
  const char *text;
  tracer *t;
  bool ok;
} trace_job;

static void trace_deep(void *arg) {
  trace_job *j = arg;
  tracer *t = j->t;
  world *w = j->sh->s->w;
  lang_error err = {0};
  rexpr x;
  if (!read_expr(j->sh, ":trace", j->text, &x, &err)) {
    report(j->sh, &err);
    lang_error_free(&err);
    rexpr_free(&x);
    return;
  }
  runner_hooks h = {t, on_start, on_token, {t, on_head, on_layer}};
  run_out out;
  run_out_init(&out);
  out_fn save = w->out;
  w->out = NULL;   /* the program's output is part of the listing */
  world_txn_begin(w);
  runner *r = shell_runner(j->sh);
  dcall d;
  bool ok = as_direct(r, x.a, &d) ? runner_trace_call(r, d.fn, d.args, d.nargs, &h, &out)
                                  : runner_trace(r, x.a, x.frame, &h, &out);
  world_txn_rollback(w);
  w->out = save;
  if (t->p) {
    flush_ring(t);
    if (t->json) footer_json(t, &out);
    else footer_text(t, &out);
  }
  isink_flush(t->o);
  if (!ok) report(j->sh, &out.err);
  j->ok = ok;
  run_out_free(&out);
  rexpr_free(&x);
}

typedef struct {
  bool json, resid, svg;
  long keep, layer;
  char *svg_path;
} iopts;

/* Leading --options of a command; *at receives the first other word. */
static bool parse_opts(shell *sh, iwords *ws, const char *allowed, iopts *o,
                       int *at) {
  memset(o, 0, sizeof *o);
  o->keep = 10;
  o->layer = -1;
  int i = 0;
  for (; i < ws->w.n && !strncmp(ws->w.v[i], "--", 2); i++) {
    const char *w = ws->w.v[i] + 2;
    if (!strstr(allowed, w)) goto bad;
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

/* The words from `from` on, joined by single blanks. */
static char *join_words(const iwords *ws, int from) {
  strbuf b;
  sb_init(&b);
  for (int i = from; i < ws->w.n; i++) {
    if (i > from) sb_putc(&b, ' ');
    sb_puts(&b, ws->w.v[i]);
  }
  if (!b.s) sb_puts(&b, "");
  return sb_detach(&b);
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
  t.resid = o.resid;
  t.keep = (int)o.keep;
  t.expr_text = text;
  t.first_json = true;
  trace_job j = {sh, text, &t, false};
  lang_run_deep(trace_deep, &j);
  tracer_free(&t);
  isink_close(&sink, path);
done:
  free(text);
  free(path);
  iwords_free(&ws);
}

/* ---- :margins ------------------------------------------------------- */

/* A sparse row: the non-zero weights of one matrix row. */
typedef struct {
  int n;
  int *col;
  double *w;
} srow;

static void srow_make(srow *r, const double *dense, int cols) {
  r->n = 0;
  r->col = xmalloc((size_t)(cols ? cols : 1) * sizeof(int));
  r->w = xmalloc((size_t)(cols ? cols : 1) * sizeof(double));
  for (int j = 0; j < cols; j++)
    if (dense[j] != 0.0) {
      r->col[r->n] = j;
      r->w[r->n++] = dense[j];
    }
}

typedef struct {
  const mprog *p;
  int nprompt;
  int_vec tokens;
  int *hoff, *voff, nheads, nvals;
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
  tracer tl;
  memset(&tl, 0, sizeof tl);
  tl.p = p;
  tracer_layout(&tl);
  g->hoff = tl.hoff;
  g->voff = tl.voff;
  g->nheads = tl.nheads;
  g->nvals = tl.nvals;
  int d = m->d_model;
  g->x = xcalloc((size_t)d + 1, sizeof(double));
  g->mid = xcalloc((size_t)d + 1, sizeof(double));
  g->vals = xcalloc((size_t)g->nvals + 1, sizeof(double));
  g->gate = xcalloc((size_t)m->n_layers + 1, sizeof(srow *));
  for (int l = 0; l < m->n_layers; l++) {
    const model_layer *L = &m->layers[l];
    g->gate[l] = xcalloc((size_t)L->n_ffn + 1, sizeof(srow));
    for (int u = 0; u < L->n_ffn; u++) srow_make(&g->gate[l][u], L->w_gate + (size_t)u * d, d);
  }
}

static void margins_head(void *ctx, int64_t pos, int layer, int head,
                         const double q[2], const kv_result *r, const double *val) {
  margins *g = ctx;
  (void)q;
  int k = g->hoff[layer] + head;
  memcpy(g->vals + g->voff[k], val, (size_t)g->p->m->layers[layer].heads[head].dv * sizeof(double));
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
  double p = (double)pos, p2 = (double)pos * (double)pos;
  for (int i = 0; i < m->d_model; i++) {
    const double *in = m->p_in + (size_t)i * nf;
    const double *ps = m->p_pos + (size_t)i * POS_NFEAT;
    x[i] = (in[2 * r] + v * in[2 * r + 1]) + (ps[POS_P] * p + ps[POS_P2] * p2);
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
      const double *v = g->vals + g->voff[g->hoff[l] + h];
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
  free(g->hoff);
  free(g->voff);
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
  sb_printf(&b, "run: %lld forward passes (%d over the prompt), %lld tokens generated\n",
            (long long)g->passes, g->nprompt, (long long)out->tokens);
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

static bool run_margins(shell *sh, const rexpr *x, margins *g, run_out *out) {
  runner_hooks h = {g, margins_start, margins_token, {g, margins_head, margins_layer}};
  runner *r = shell_runner(sh);
  dcall d;
  if (as_direct(r, x->a, &d)) return runner_trace_call(r, d.fn, d.args, d.nargs, &h, out);
  return runner_trace(r, x->a, x->frame, &h, out);
}

static void margins_deep(void *arg) {
  margins_job *j = arg;
  world *w = j->sh->s->w;
  lang_error err = {0};
  rexpr x;
  if (!read_expr(j->sh, ":margins", j->text, &x, &err)) {
    report(j->sh, &err);
    lang_error_free(&err);
    rexpr_free(&x);
    return;
  }
  margins g;
  memset(&g, 0, sizeof g);
  g.att_min = g.ffn_min = INFINITY;
  run_out out;
  run_out_init(&out);
  out_fn save = w->out;
  w->out = NULL;
  world_txn_begin(w);
  bool ok = run_margins(j->sh, &x, &g, &out);
  world_txn_rollback(w);
  w->out = save;
  if (g.p) {
    isink_printf(j->o, "%s: %d layer%s \xc2\xb7 d_model %d \xc2\xb7 %d head%s \xc2\xb7 %d FFN units\n",
                 j->text, g.p->pl.n_layers, g.p->pl.n_layers == 1 ? "" : "s",
                 g.p->pl.d_model, g.nheads, g.nheads == 1 ? "" : "s", g.p->n_units);
    margins_report(j->o, &g, &out);
  }
  isink_flush(j->o);
  if (!ok) report(j->sh, &out.err);
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
  isink_close(&sink, path);
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
    sb_printf(b, "%s{\"kind\":\"%s\"", pc ? "," : "", kind_name(s->k));
    if (s->k == M_MARK) sb_printf(b, ",\"mark\":\"%s\"", role_names[s->mark]);
    if (s->k == M_OUTSYM) sb_printf(b, ",\"out\":\"%s\"", s->out_kind == T_BOOL ? "bool" : "sym");
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
    sb_printf(b, ",\"slot\":%d,\"layer\":%d}", p->slotmap.v[i].slot, p->slotmap.v[i].layer);
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
  meta_tables(p, &b);
  meta_steps(p, &b);
  meta_errors(p, &b);
  meta_slots(p, &b);
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
    shell_message(sh, "cannot export to %s: %s", path, err);
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
  bool ok = machine_prompt((mprog *)p, args, nargs, prompt, &load, msg, sizeof msg);
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
  report(j->sh, &err);
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
