/* session.c - runs top-level forms through the language layers. */
#include "config.h"

#include "session.h"

#include "runner.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

void form_result_init(form_result *r) {
  memset(r, 0, sizeof *r);
  sb_init(&r->text);
  sb_init(&r->summary);
}

void form_result_free(form_result *r) {
  sb_free(&r->text);
  sb_free(&r->summary);
  lang_error_free(&r->err);
}

session *session_new(void) {
  session *s = xcalloc(1, sizeof *s);
  s->w = world_new();
  s->mode = MODE_TRANSFORMER;
  s->milp_limit = 1.0;
  /* an administrator's switch, for the tvl program and every embedder */
  const char *ne = getenv("TVL_NO_EXTERN");
  if (ne && ne[0] && strcmp(ne, "0")) s->w->no_extern = true;
  return s;
}

/* Forgets every definition.  The compiled programs go too: they point
 * into the world's cells. */
void session_reset(session *s) {
  runner_free(s->run);
  s->run = NULL;
  world_reset(s->w);
}

void session_free(session *s) {
  if (!s) return;
  runner_free(s->run);
  world_free(s->w);
  free(s);
}

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

void session_diag(session *s, srcloc loc, const char *severity,
                  const char *msg, strbuf *out) {
  diag_format(out, &s->w->src, loc, severity, msg);
}

static void describe_fn(session *s, const fn_def *f, strbuf *out) {
  sb_printf(out, "%s: procedure (%s", sym_name(&s->w->syms, f->name),
            sym_name(&s->w->syms, f->name));
  for (int i = 0; i < f->nparams; i++) {
    /* define* binds all its arguments to a hidden "lambda* args"
     * (lang/expand-keywords.c): shown as args */
    const char *p = sym_name(&s->w->syms, f->params[i]);
    if (!strcmp(p, "lambda* args")) p = "args";
    sb_printf(out, "%s%s", f->variadic && i == f->nparams - 1 ? " . " : " ", p);
  }
  sb_putc(out, ')');
}

/* "abs: extern int32 abs(int32) from libc" */
static void describe_extern(session *s, const extern_def *x, strbuf *out) {
  sb_printf(out, "%s: extern %s %s(", sym_name(&s->w->syms, x->name),
            xtype_name(x->ret), x->symbol);
  for (int i = 0; i < x->nargs; i++)
    sb_printf(out, "%s%s", i ? ", " : "", xtype_name(x->args[i]));
  if (*x->library) sb_printf(out, ") from %s", x->library);
  else sb_puts(out, ") from the process");
}

bool session_describe(session *s, int sym, size_t max_value, strbuf *out) {
  gcell *g = world_find(s->w, sym);
  if (!g || g->kind == G_UNDEFINED) return false;
  const char *name = sym_name(&s->w->syms, sym);
  switch (g->kind) {
  case G_VAR: {
    sb_printf(out, "%s = ", name);
    size_t start = out->n;
    value_print(s->w, g->val, out, true);
    if (max_value && out->n - start > max_value) {
      /* cut between two elements, at a blank, not inside a number or a
       * name; failing that, not inside a UTF-8 sequence */
      size_t cut = start + max_value, blank = cut;
      while (blank > start && out->s[blank] != ' ') blank--;
      if (blank > start) cut = blank;
      while (cut > start && (out->s[cut] & 0xC0) == 0x80) cut--;
      while (cut > start && out->s[cut - 1] == ' ') cut--;
      out->n = cut;
      out->s[cut] = 0;
      sb_puts(out, " ...");
    }
    break;
  }
  case G_FUNC:
    describe_fn(s, g->fn, out);
    break;
  case G_TABLE:
    sb_printf(out, "%s: table, %d entr%s%s", name, g->table->n,
              g->table->n == 1 ? "y" : "ies",
              g->table->has_default ? " and a default" : "");
    break;
  case G_EXTERN:
    describe_extern(s, g->ext, out);
    break;
  default:
    return false;
  }
  return true;
}

static bool is_head(session *s, const sx *f, const char *name) {
  return f->kind == SX_LIST && f->u.list.n >= 2 &&
         f->u.list.v[0]->kind == SX_SYM &&
         !strcmp(sym_name(&s->w->syms, f->u.list.v[0]->u.sym), name);
}

void session_collect_defines(session *s, const sx *form, int_vec *names) {
  if (is_head(s, form, "begin")) {
    for (int i = 1; i < form->u.list.n; i++)
      session_collect_defines(s, form->u.list.v[i], names);
    return;
  }
  if (!is_head(s, form, "define") && !is_head(s, form, "deftable") &&
      !is_head(s, form, "extern"))
    return;
  const sx *t = form->u.list.v[1];
  if (t->kind == SX_LIST && t->u.list.n > 0) t = t->u.list.v[0];
  if (t->kind == SX_SYM) VEC_PUSH(*names, t->u.sym);
}

static void defined_names(const ast *a, int_vec *names) {
  if (a->kind == E_BEGIN)
    for (int i = 0; i < a->u.seq.n; i++) defined_names(a->u.seq.v[i], names);
  if (a->kind == E_DEFINE) VEC_PUSH(*names, a->u.def.name);
  if (a->kind == E_DEFTABLE) VEC_PUSH(*names, a->u.table.name);
  if (a->kind == E_EXTERN) VEC_PUSH(*names, a->u.ext.name);
}

typedef struct {
  session *s;
  rd_form *f;
  const int *later;
  int nlater;
  form_result *r;
} eval_job;

static void eval_form(eval_job *j);

/* Every pass recurses over the form, so all of them run on the deep
 * stack: a long cond or let* chain must not exhaust the C stack. */
static void eval_deep(void *p) {
  eval_job *j = p;
  session *s = j->s;
  /* Ctrl-C, the memory and the time limit stop the form wherever it is:
   * expanding, compiling, scheduling or running */
  guard g;
  guard_init(&g, s->w->interrupt, s->w->lim.max_memory, s->w->lim.max_seconds);
  guard *prev = guard_install(&g);
  eval_form(j);
  guard_install(prev);
}

static void eval_form(eval_job *j) {
  session *s = j->s;
  form_result *r = j->r;
  world *w = s->w;
  /* compiled code needs kinds known statically; the evaluator finds a
   * wrong kind when it is reached, as Scheme does */
  w->strict_kinds = s->mode != MODE_REFERENCE;
  ast *a = ex_expand_toplevel(w, j->f->form, &j->f->mem, &r->err);
  int frame = 0;
  if (!a || !ck_check_toplevel(w, a, &frame, j->later, j->nlater, s->warn,
                               s->warn_ctx, &r->err)) {
    arena_free(&j->f->mem);
    r->ok = false;
    return;
  }
  if (s->mode != MODE_REFERENCE && !ck_compilable(w, a, &r->err)) {
    /* a refusal: in check mode a difference, and the evaluator's run */
    if (s->mode == MODE_CHECK) {
      session_check_refused(s, a, frame, j->f, r);
      return;
    }
    arena_free(&j->f->mem);
    r->ok = false;
    return;
  }
  if (s->mode != MODE_REFERENCE) {
    session_eval_compiled(s, a, frame, j->f, r);
    return;
  }
  int_vec names = {0};
  defined_names(a, &names);
  r->is_definition = names.n > 0;
  double t0 = now_ms();
  ev_outcome out;
  ev_status st = ev_toplevel(w, a, frame, &j->f->mem, &out, &r->err);
  r->ms = now_ms() - t0;
  r->steps = out.steps;
  r->ok = st == EV_OK;
  if (r->ok) {
    for (int i = 0; i < names.n; i++) {
      if (r->summary.n) sb_putc(&r->summary, '\n');
      session_describe(s, names.v[i], SUMMARY_VALUE_MAX, &r->summary);
    }
    r->result = out.result;
    if (out.result.kind != VK_VOID) {
      r->has_value = true;
      value_print(w, out.result, &r->text, true);
    }
  }
  VEC_FREE(names);
}

static bool eval_one(session *s, rd_form *f, const int *later, int nlater,
                     form_result *r) {
  eval_job j = {s, f, later, nlater, r};
  lang_run_deep(eval_deep, &j);
  return r->ok;
}

/* A definition of the prelude (prelude.c), quietly. */
static bool eval_prelude(session *s, rd_form *f) {
  form_result r;
  form_result_init(&r);
  warn_fn warn = s->warn;
  s->warn = NULL;
  bool ok = eval_one(s, f, NULL, 0, &r);
  s->warn = warn;
  form_result_free(&r);
  return ok;
}

bool session_eval(session *s, rd_form *f, const int *later, int nlater,
                  form_result *r) {
  prelude_ranges(s, f->form);
  prelude_before(s, f->form, eval_prelude);
  return eval_one(s, f, later, nlater, r);
}
