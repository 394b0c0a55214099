/* expand-format.c - format after (use-modules (ice-9 format)), for the
 * directives a small program uses: a call of format whose format string
 * is a literal and holds a directive simple-format lacks is rewritten
 * into core code that builds the text, so that the evaluator and
 * compiled code run the same code:
 *
 *   ~a ~s          the argument displayed, written: (format #f "~a" x)
 *   ~Na ~Ns        ... padded on the right to N columns
 *   ~d ~b ~o ~x    an integer in base 10, 2, 8, 16 (number->string);
 *                  another value is an error, as in Guile
 *   ~N,'Cd ...     ... padded on the left to N columns with C (a space
 *                  when left out): ~8,'0d
 *   ~% ~~          a line break, a tilde
 *   ~{BODY~}       BODY for each element of a list argument, its
 *                  directives taking their arguments from the list
 *
 * A text longer than its columns is kept whole.  The arguments are
 * evaluated first, in order, each once.  The destination is #f (the
 * text is the value), #t (displayed) or a port (displayed to it).  Any
 * other directive, and arguments missing or left over, become a call of
 * error with a message that says so, raised when the call runs.  A
 * format string without such directives stays a call of the builtin.
 *
 * Ownership: everything is allocated in the arena of the form being
 * expanded (ex.mem), as in expander.c.
 */
#include "config.h"

#include "expander.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define mk ex_mk
#define sym_at ex_mk_sym

#define list_at ex_mk_items

#define str_at ex_mk_str

#define int_at ex_mk_int

static sx *char_at(ex *e, int ch, srcloc loc) {
  sx *x = mk(e, SX_CHAR, loc);
  x->u.i = ch;
  return x;
}

/* A builtin called whatever the program calls its name. */
static sx *bi(ex *e, const char *name, srcloc loc) {
  char buf[64];
  snprintf(buf, sizeof buf, "%s%s", EX_BUILTIN_HEAD, name);
  return sym_at(e, buf, loc);
}

bool ex_format_module(ex *e, const sx *m) {
  return m->kind == SX_LIST && !m->u.list.tail && m->u.list.n == 2 &&
         ex_is_sym(e, m->u.list.v[0], "ice-9") && ex_is_sym(e, m->u.list.v[1], "format");
}

typedef struct {
  ex *e;
  srcloc loc;
  const char *f;     /* the format string */
  size_t n, i;
  const char *problem;   /* set: the call becomes this error */
  char pbuf[160];
} fmt;

/* (let ((s X)) (if (< (string-length s) N) (string-append PAD s) s)),
 * PAD (make-string (- N (string-length s)) C), after s on the right */
static sx *padded(fmt *p, sx *x, long cols, int ch, bool left) {
  ex *e = p->e;
  srcloc l = p->loc;
  if (cols <= 0) return x;
  sx *s = sym_at(e, "format piece", l);
  sx *test = list_at(e, l, 3, bi(e, "<", l), list_at(e, l, 2, bi(e, "string-length", l), s),
                     int_at(e, cols, l));
  sx *fill = list_at(e, l, 3, bi(e, "make-string", l),
                     list_at(e, l, 3, bi(e, "-", l), int_at(e, cols, l),
                             list_at(e, l, 2, bi(e, "string-length", l), s)),
                     char_at(e, ch, l));
  sx *pad = left ? list_at(e, l, 3, bi(e, "string-append", l), fill, s)
                 : list_at(e, l, 3, bi(e, "string-append", l), s, fill);
  return list_at(e, l, 3, sym_at(e, "let", l),
                 list_at(e, l, 1, list_at(e, l, 2, s, x)),
                 list_at(e, l, 4, sym_at(e, "if", l), test, pad, s));
}

static sx *shown(fmt *p, sx *arg, bool write) {
  ex *e = p->e;
  return list_at(e, p->loc, 4, bi(e, "format", p->loc), mk(e, SX_BOOL, p->loc),
                 str_at(e, write ? "~s" : "~a", 2, p->loc), arg);
}

typedef struct {
  VEC(sx *) v;
} pieces;

struct inner_ctx { sx *lv; };   /* an iteration: its list's variable */
static sx *format_elem(fmt *p, void *ctx, int k);

/* The pieces of the format string from p->i up to ~} (inside ~{) or its
 * end; args(k) is the expression of argument k, *used the arguments
 * taken.  False after a problem. */
static bool parse(fmt *p, pieces *out, sx *(*arg)(fmt *, void *, int), void *ctx, int *used,
                  bool inner) {
  ex *e = p->e;
  size_t text = p->i;
  for (;;) {
    if (p->i >= p->n || p->f[p->i] == '~') {
      if (p->i > text) VEC_PUSH(out->v, str_at(e, p->f + text, p->i - text, p->loc));
      if (p->i >= p->n) {
        if (inner) {
          p->problem = "format: ~{ without its ~}";
          return false;
        }
        return true;
      }
    }
    if (p->f[p->i] != '~') {
      p->i++;
      continue;
    }
    size_t at = p->i++;
    long params[2] = {-1, -1};
    int np = 0;
    /* parameters: numbers and 'C, separated by commas */
    while (p->i < p->n && np < 2) {
      char ch = p->f[p->i];
      if (ch >= '0' && ch <= '9') {
        long v = 0;
        while (p->i < p->n && p->f[p->i] >= '0' && p->f[p->i] <= '9' && v < 100000)
          v = v * 10 + (p->f[p->i++] - '0');
        params[np] = v;
      } else if (ch == '\'' && p->i + 1 < p->n) {
        params[np] = (unsigned char)p->f[p->i + 1];
        p->i += 2;
      } else if (ch != ',') {
        break;
      }
      np++;
      if (p->i < p->n && p->f[p->i] == ',') p->i++;
      else break;
    }
    if (p->i >= p->n) {
      VEC_PUSH(out->v, str_at(e, "~", 1, p->loc));   /* a last lone ~ is itself */
      text = p->i;
      continue;
    }
    char d = p->f[p->i++];
    char lower = d >= 'A' && d <= 'Z' ? (char)(d - 'A' + 'a') : d;
    text = p->i;
    switch (lower) {
    case '%': VEC_PUSH(out->v, str_at(e, "\n", 1, p->loc)); continue;
    case '~': VEC_PUSH(out->v, str_at(e, "~", 1, p->loc)); continue;
    case 'a': case 's': {
      sx *x = arg(p, ctx, (*used)++);
      if (!x) return false;
      VEC_PUSH(out->v, padded(p, shown(p, x, lower == 's'), params[0],
                              params[1] > 0 ? (int)params[1] : ' ', false));
      continue;
    }
    case 'd': case 'b': case 'o': case 'x': {
      sx *x = arg(p, ctx, (*used)++);
      if (!x) return false;
      int radix = lower == 'd' ? 10 : lower == 'b' ? 2 : lower == 'o' ? 8 : 16;
      srcloc l = p->loc;
      sx *v = sym_at(e, "format number", l);
      sx *num = list_at(e, l, 3, bi(e, "number->string", l), v, int_at(e, radix, l));
      /* Guile's error for anything else */
      sx *no = list_at(e, l, 3, bi(e, "error", l),
                       str_at(e, "format: argument not an integer:", 32, l), v);
      sx *body = list_at(e, l, 4, sym_at(e, "if", l),
                         list_at(e, l, 2, bi(e, "integer?", l), v), num, no);
      sx *txt = list_at(e, l, 3, sym_at(e, "let", l),
                        list_at(e, l, 1, list_at(e, l, 2, v, x)), body);
      VEC_PUSH(out->v, padded(p, txt, params[0], params[1] > 0 ? (int)params[1] : ' ', true));
      continue;
    }
    case '}':
      if (inner) return true;
      p->problem = "format: ~} without its ~{";
      return false;
    case '{': {
      sx *lst = arg(p, ctx, (*used)++);
      if (!lst) return false;
      VEC_PUSH(out->v, NULL);   /* filled in below (the loop) */
      int slot = out->v.n - 1;
      /* (let loop ((l LST) (acc "")) (if (null? l) acc
       *   (loop (list-tail l K) (string-append acc BODY...)))) */
      srcloc l = p->loc;
      sx *lv = sym_at(e, "format list", l), *acc = sym_at(e, "format text", l);
      sx *loop = sym_at(e, "format loop", l);
      pieces body = {0};
      int k = 0;
      struct inner_ctx ic = {lv};
      if (!parse(p, &body, format_elem, &ic, &k, true)) {
        VEC_FREE(body.v);
        return false;
      }
      if (k == 0) {
        VEC_FREE(body.v);
        p->problem = "format: a ~{...~} whose body takes no argument (tvl runs only bodies "
                     "that take elements of the list)";
        return false;
      }
      sx *app = ex_mk_list(e, body.v.n + 2, l);
      app->u.list.v[0] = bi(e, "string-append", l);
      app->u.list.v[1] = acc;
      for (int j = 0; j < body.v.n; j++) app->u.list.v[2 + j] = body.v.v[j];
      VEC_FREE(body.v);
      sx *again = list_at(e, l, 3, loop,
                          list_at(e, l, 3, bi(e, "list-tail", l), lv, int_at(e, k, l)), app);
      sx *test = list_at(e, l, 2, bi(e, "null?", l), lv);
      out->v.v[slot] = list_at(
          e, l, 4, sym_at(e, "let", l), loop,
          list_at(e, l, 2, list_at(e, l, 2, lv, lst), list_at(e, l, 2, acc, str_at(e, "", 0, l))),
          list_at(e, l, 4, sym_at(e, "if", l), test, acc, again));
      text = p->i;   /* after the ~} */
      continue;
    }
    default:
      snprintf(p->pbuf, sizeof p->pbuf,
               "format: ~%c is not a directive tvl's (ice-9 format) has (it has ~a ~s ~d ~b "
               "~o ~x with columns and padding, ~%% ~~ and ~{~})", d);
      p->problem = p->pbuf;
      (void)at;
      return false;
    }
  }
}

/* Argument k of the call: the hidden variable bound to it. */
typedef struct {
  int nargs;
} outer_ctx;

static sx *outer_arg(fmt *p, void *ctx, int k) {
  outer_ctx *o = ctx;
  if (k >= o->nargs) {
    p->problem = "format: too few arguments for the format string";
    return NULL;
  }
  char name[32];
  snprintf(name, sizeof name, "format arg %d", k);
  return sym_at(p->e, name, p->loc);
}

/* Element k of an iteration's list: (list-ref l k). */
static sx *format_elem(fmt *p, void *ctx, int k) {
  struct inner_ctx *ic = ctx;
  return list_at(p->e, p->loc, 3, bi(p->e, "list-ref", p->loc), ic->lv, int_at(p->e, k, p->loc));
}

/* Whether the literal format string needs this file (a directive
 * simple-format lacks, or a parameter). */
static bool needs_rewrite(const char *f, size_t n) {
  for (size_t i = 0; i + 1 < n; i++) {
    if (f[i] != '~') continue;
    char d = f[++i];
    if (!strchr("aAsS%~", d)) return true;
  }
  return false;
}

sx *ex_format_call(ex *e, const sx *s) {
  int n = s->u.list.n;
  if (!e->w->ice9_format || n < 3 || s->u.list.tail) return NULL;
  const sx *fs = s->u.list.v[2];
  if (fs->kind != SX_STR || !needs_rewrite(fs->u.str.s, fs->u.str.n)) return NULL;
  srcloc l = s->loc;
  fmt p = {e, l, fs->u.str.s, fs->u.str.n, 0, NULL, {0}};
  outer_ctx oc = {n - 3};
  pieces out = {0};
  int used = 0;
  bool ok = parse(&p, &out, outer_arg, &oc, &used, false);
  if (ok && used < n - 3) p.problem = "format: too many arguments for the format string";
  sx *text;
  if (!ok || p.problem) {
    VEC_FREE(out.v);
    text = list_at(e, l, 2, bi(e, "error", l),
                   str_at(e, p.problem, strlen(p.problem), fs->loc));
  } else {
    text = ex_mk_list(e, out.v.n + 1, l);
    text->u.list.v[0] = bi(e, "string-append", l);
    for (int j = 0; j < out.v.n; j++) text->u.list.v[1 + j] = out.v.v[j];
    VEC_FREE(out.v);
  }
  /* the destination: #f the text, #t displayed, else a port */
  const sx *dest = s->u.list.v[1];
  sx *result;
  if (dest->kind == SX_BOOL && !dest->u.b) result = text;
  else if (dest->kind == SX_BOOL) result = list_at(e, l, 2, bi(e, "display", l), text);
  else result = list_at(e, l, 3, bi(e, "display", l), text, (sx *)dest);
  /* (let ((format arg 0 A0) ...) result): the arguments first, in order */
  sx *binds = ex_mk_list(e, n - 3, l);
  for (int k = 0; k < n - 3; k++) {
    char name[32];
    snprintf(name, sizeof name, "format arg %d", k);
    binds->u.list.v[k] = list_at(e, l, 2, sym_at(e, name, l), (sx *)s->u.list.v[3 + k]);
  }
  return list_at(e, l, 3, sym_at(e, "let*", l), binds, result);
}
