/* api.c - libtvl's public functions, on top of a session.
 *
 * tvl_call builds the form (NAME ARG ...) as syntax and runs it like any
 * other form, so that it is expanded, checked and run exactly as typed
 * source would be (in the transformer, a call with constant arguments
 * runs the procedure's own program).  Function pointers are libffi
 * closures whose handler does the same.
 */
#include "config.h"

#include "tvl.h"

#include <ffi.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "session.h"

_Static_assert(sizeof(int) == sizeof(int32_t), "tvl integers are C ints");

enum { MAX_POINTER_ARGS = 16 };

/* A function pointer handed out by tvl_function_pointer. */
typedef struct fnptr {
  struct fnptr *next;
  tvl_session *t;
  char *name;
  int nargs;
  bool by_pointer;      /* comparator: the arguments point to the ints */
  ffi_closure *closure;
  void *code;
  ffi_cif cif;
  ffi_type *types[MAX_POINTER_ARGS];
} fnptr;

struct tvl_session {
  session *s;
  strbuf result, error, output, summary;
  int nsrc;
  int call_file;        /* source name of forms made by tvl_call */
  bool busy;            /* a form is running */
  long failed_calls;    /* calls through pointers that failed */
  fnptr *pointers;
};

static void collect_output(void *ctx, const char *s, size_t n) {
  sb_putn(&((tvl_session *)ctx)->output, s, n);
}

tvl_session *tvl_session_new(void) {
  tvl_session *t = xcalloc(1, sizeof *t);
  t->s = session_new();
  t->s->w->out = collect_output;
  t->s->w->out_ctx = t;
  sb_init(&t->result);
  sb_init(&t->error);
  sb_init(&t->output);
  sb_init(&t->summary);
  t->call_file = src_add(&t->s->w->src, "<tvl_call>");
  return t;
}

void tvl_session_free(tvl_session *t) {
  if (!t) return;
  while (t->pointers) {
    fnptr *p = t->pointers;
    t->pointers = p->next;
    ffi_closure_free(p->closure);
    free(p->name);
    free(p);
  }
  session_free(t->s);
  sb_free(&t->result);
  sb_free(&t->error);
  sb_free(&t->output);
  sb_free(&t->summary);
  free(t);
}

static void clear_last(tvl_session *t) {
  sb_clear(&t->result);
  sb_clear(&t->error);
  sb_clear(&t->output);
  sb_clear(&t->summary);
  t->failed_calls = 0;
}

/* A call made while a form runs (from a C function tvl called) cannot run:
 * the session is in the middle of a transaction. */
static void call_error(tvl_session *t, bool keep, const char *fmt, ...)
    TVL_PRINTF(3, 4);

static bool refuse_reentry(tvl_session *t) {
  if (!t->busy) return false;
  call_error(t, true, "the session is already running a form (a call from "
                      "inside a C function that tvl called)");
  return true;
}

/* Runs one form; its value, summary or error go to the session's buffers.
 * `keep` (calls through pointers): keep the first error, touch nothing
 * else. */
static bool run_form(tvl_session *t, rd_form *f, form_result *r, bool keep) {
  t->busy = true;
  bool ok = session_eval(t->s, f, NULL, 0, r);
  t->busy = false;
  if (!ok) {
    if (!keep || !t->error.n)
      session_diag(t->s, r->err.loc, "error", r->err.msg, &t->error);
    return false;
  }
  if (keep) return true;
  sb_clear(&t->result);
  if (r->has_value) sb_putn(&t->result, r->text.s, r->text.n);
  if (r->summary.n) {
    if (t->summary.n) sb_putc(&t->summary, '\n');
    sb_putn(&t->summary, r->summary.s, r->summary.n);
  }
  return true;
}

int tvl_eval(tvl_session *t, const char *source) {
  if (refuse_reentry(t)) return -1;
  clear_last(t);
  world *w = t->s->w;
  char name[32];
  snprintf(name, sizeof name, "<eval %d>", ++t->nsrc);
  int file = src_add(&w->src, name);
  reader *rd = rd_new(&w->syms, &w->src, file);
  rd_feed(rd, source, strlen(source));
  rd_eof(rd);
  int status = 0;
  while (rd_has_form(rd)) {
    rd_form f = rd_take(rd);
    if (status) {
      arena_free(&f.mem);
      continue;
    }
    form_result r;
    form_result_init(&r);
    if (!run_form(t, &f, &r, false)) status = -1;
    form_result_free(&r);
  }
  if (!status && rd_status_of(rd) == RD_ERROR) {
    srcloc loc;
    const char *msg = rd_error(rd, &loc);
    session_diag(t->s, loc, "error", msg, &t->error);
    status = -1;
  }
  rd_free(rd);
  return status;
}

/* ---- calls ---------------------------------------------------------- */

static void call_error(tvl_session *t, bool keep, const char *fmt, ...) {
  if (keep && t->error.n) return;
  strbuf b;
  sb_init(&b);
  va_list ap;
  va_start(ap, fmt);
  sb_vprintf(&b, fmt, ap);
  va_end(ap);
  srcloc loc = {t->call_file, 0, 0};
  session_diag(t->s, loc, "error", b.s, &t->error);
  sb_free(&b);
}

/* The global NAME if it is something a call can run, else NULL with an
 * error. */
static gcell *callable(tvl_session *t, const char *name, bool keep) {
  world *w = t->s->w;
  int sym = sym_lookup(&w->syms, name, strlen(name));
  gcell *g = sym < 0 ? NULL : world_find(w, sym);
  if (!g || g->kind == G_UNDEFINED) {
    call_error(t, keep, "%s is not defined", name);
    return NULL;
  }
  if (g->kind == G_VAR) {
    call_error(t, keep, "%s is a variable, not a procedure", name);
    return NULL;
  }
  return g;
}

static int arity_of(const gcell *g) {
  switch (g->kind) {
  case G_FUNC: return g->fn->nparams;
  case G_EXTERN: return g->ext->nargs;
  default: return 1;   /* a table */
  }
}

/* The form (NAME ARG ...), positioned in the <tvl_call> source. */
static rd_form call_form(tvl_session *t, int sym, const int *args, int nargs) {
  rd_form f;
  arena_init(&f.mem);
  srcloc loc = {t->call_file, 0, 0};
  sx *list = arena_alloc(&f.mem, sizeof *list);
  list->kind = SX_LIST;
  list->loc = loc;
  list->u.list.n = nargs + 1;
  list->u.list.v = arena_alloc(&f.mem, (size_t)(nargs + 1) * sizeof(sx *));
  for (int i = 0; i <= nargs; i++) {
    sx *x = arena_alloc(&f.mem, sizeof *x);
    x->loc = loc;
    if (i == 0) {
      x->kind = SX_SYM;
      x->u.sym = sym;
    } else {
      x->kind = SX_INT;
      x->u.i = args[i - 1];
    }
    list->u.list.v[i] = x;
  }
  f.form = list;
  return f;
}

/* The integer a call returned, or an error. */
static bool int_result(tvl_session *t, const char *name, const form_result *r,
                       bool keep, int *out) {
  if (r->result.kind == VK_INT || r->result.kind == VK_BOOL) {
    *out = r->result.i;
    return true;
  }
  call_error(t, keep, "%s returned %s%s%s, not an integer", name,
             vkind_name((vkind)r->result.kind), r->has_value ? " " : "",
             r->has_value ? r->text.s : "");
  return false;
}

static bool call(tvl_session *t, const char *name, const int *args, int nargs,
                 bool keep, int *out) {
  if (nargs < 0 || (nargs > 0 && !args)) {
    call_error(t, keep, "%s: bad argument array", name);
    return false;
  }
  gcell *g = callable(t, name, keep);
  if (!g) return false;
  if (arity_of(g) != nargs) {
    call_error(t, keep, "%s takes %d argument%s, but %d %s given", name,
               arity_of(g), arity_of(g) == 1 ? "" : "s", nargs,
               nargs == 1 ? "was" : "were");
    return false;
  }
  rd_form f = call_form(t, g->name, args, nargs);
  form_result r;
  form_result_init(&r);
  bool ok = run_form(t, &f, &r, keep) && int_result(t, name, &r, keep, out);
  form_result_free(&r);
  return ok;
}

int tvl_call(tvl_session *t, const char *name, const int *args, int nargs,
             int *result) {
  if (refuse_reentry(t)) return -1;
  clear_last(t);
  int v = 0;
  if (!call(t, name, args, nargs, false, &v)) return -1;
  if (result) *result = v;
  return 0;
}

/* ---- function pointers ---------------------------------------------- */

static void pointer_entry(ffi_cif *cif, void *ret, void **args, void *user) {
  (void)cif;
  fnptr *p = user;
  tvl_session *t = p->t;
  int vals[MAX_POINTER_ARGS];
  for (int i = 0; i < p->nargs; i++)
    vals[i] = p->by_pointer ? **(const int *const *)args[i]
                            : *(const int *)args[i];
  int v = 0;
  if (refuse_reentry(t) || !call(t, p->name, vals, p->nargs, true, &v)) {
    t->failed_calls++;
    v = 0;
  }
  *(ffi_sarg *)ret = v;   /* an int result is returned widened */
}

static fnptr *make_pointer(tvl_session *t, const char *name, int nargs,
                           bool by_pointer) {
  sb_clear(&t->error);
  if (nargs < 0 || nargs > MAX_POINTER_ARGS) {
    call_error(t, false, "a function pointer takes 0 to %d arguments, not %d",
               MAX_POINTER_ARGS, nargs);
    return NULL;
  }
  gcell *g = callable(t, name, false);
  if (!g) return NULL;
  if (arity_of(g) != nargs) {
    call_error(t, false, "%s takes %d argument%s, not %d", name, arity_of(g),
               arity_of(g) == 1 ? "" : "s", nargs);
    return NULL;
  }
  fnptr *p = xcalloc(1, sizeof *p);
  p->t = t;
  p->name = xstrdup(name);
  p->nargs = nargs;
  p->by_pointer = by_pointer;
  for (int i = 0; i < nargs; i++)
    p->types[i] = by_pointer ? &ffi_type_pointer : &ffi_type_sint;
  p->closure = ffi_closure_alloc(sizeof(ffi_closure), &p->code);
  if (!p->closure ||
      ffi_prep_cif(&p->cif, FFI_DEFAULT_ABI, (unsigned)nargs, &ffi_type_sint,
                   p->types) != FFI_OK ||
      ffi_prep_closure_loc(p->closure, &p->cif, pointer_entry, p, p->code) != FFI_OK) {
    call_error(t, false, "libffi cannot make a closure for %s", name);
    if (p->closure) ffi_closure_free(p->closure);
    free(p->name);
    free(p);
    return NULL;
  }
  p->next = t->pointers;
  t->pointers = p;
  return p;
}

tvl_fnptr tvl_function_pointer(tvl_session *t, const char *name, int nargs) {
  fnptr *p = make_pointer(t, name, nargs, false);
  return p ? (tvl_fnptr)p->code : NULL;
}

tvl_compare_fn tvl_int_comparator(tvl_session *t, const char *name) {
  fnptr *p = make_pointer(t, name, 2, true);
  return p ? (tvl_compare_fn)p->code : NULL;
}

long tvl_failed_calls(const tvl_session *t) { return t->failed_calls; }

/* ---- the rest ------------------------------------------------------- */

const char *tvl_result(const tvl_session *t) { return t->result.s ? t->result.s : ""; }
const char *tvl_error(const tvl_session *t) { return t->error.n ? t->error.s : NULL; }
const char *tvl_output(const tvl_session *t) { return t->output.s ? t->output.s : ""; }
const char *tvl_summary(const tvl_session *t) { return t->summary.s ? t->summary.s : ""; }
const char *tvl_version(void) { return PACKAGE_VERSION; }

void tvl_disable_extern(tvl_session *t) { t->s->w->no_extern = true; }
int tvl_extern_disabled(const tvl_session *t) { return t->s->w->no_extern; }

int tvl_set_limit(tvl_session *t, const char *name, double v) {
  sb_clear(&t->error);
  strbuf why;
  sb_init(&why);
  bool ok = name && session_set_limit(t->s, name, v, &why);
  if (!ok) sb_printf(&t->error, "tvl_set_limit: error: %s\n",
                     name ? why.s : "no limit name");
  sb_free(&why);
  return ok ? 0 : -1;
}

double tvl_get_limit(const tvl_session *t, const char *name) {
  return name ? session_get_limit(t->s, name) : NAN;
}

int tvl_set_mode(tvl_session *t, const char *mode) {
  if (!strcmp(mode, "transformer")) t->s->mode = MODE_TRANSFORMER;
  else if (!strcmp(mode, "reference")) t->s->mode = MODE_REFERENCE;
  else if (!strcmp(mode, "check")) t->s->mode = MODE_CHECK;
  else return -1;
  return 0;
}
