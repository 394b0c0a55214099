/* builtins-guile.c - more procedures GNU Guile 3 has without a module,
 * which programs written for Guile use: simple-format (and format, which
 * is simple-format until (ice-9 format) is loaded), write-char, acons,
 * the floor and truncate
 * divisions of R7RS, and exact-integer-sqrt; as the reference evaluator
 * runs them, with Guile's results.  (list-index, list-set!, append! and
 * reverse! are written in tvl: lib/prelude-lists.c.)
 *
 * The table follows builtins-more.c's in the builtins' one index space
 * (builtins.c builtin_at).  None of these is compiled to the transformer
 * yet: each entry's last field is the refusal's text. */
#include "config.h"

#include "lang.h"

#include <string.h>

static TVL_NORETURN void bad_arg(ev_ctx *c, const ast *call, int i,
                                 const char *op, const char *want, value got) {
  strbuf b;
  sb_init(&b);
  value_print(ev_world(c), got, &b, true);
  if (b.n > 60) {
    b.n = 57;
    sb_puts(&b, "...");
  }
  char text[128];
  snprintf(text, sizeof text, "%s", b.s ? b.s : "");
  sb_free(&b);
  const ast *at = i < call->u.call.n ? call->u.call.args[i] : call;
  ev_fail(c, at->loc, "type", "%s: argument %d must be %s, not %s", op, i + 1,
          want, text);
}

/* ---- simple-format ------------------------------------------------------- */

/* (simple-format dest fmt arg ...): dest #t prints, #f returns the text as
 * a new string.  ~a displays an argument, ~s writes it, ~% is a line
 * break and ~~ a tilde, as Guile's simple-format; any other directive is
 * an error.  As in Guile, when a directive fails, the text up to the
 * last directive that worked is printed before the error (not the plain
 * text after it), and all of it for arguments left over. */
static value do_format(ev_ctx *c, const ast *call, value *a, int n,
                       const char *op) {
  world *w = ev_world(c);
  tvec *port = NULL;
  if (a[0].kind == VK_PORT) port = port_arg(c, call, a, n, 0, op);
  else if (a[0].kind != VK_BOOL)
    bad_arg(c, call, 0, op, "#t, #f or an output port", a[0]);
  if (a[1].kind != VK_STR) bad_arg(c, call, 1, op, "a string", a[1]);
  bool to_string = a[0].kind == VK_BOOL && !a[0].i;
  strbuf fmt, out;
  sb_init(&fmt);
  sb_init(&out);
  str_utf8(w, a[1], &fmt);
  int next = 2;
  size_t done = 0;    /* out's length after the last directive that worked */
  const char *problem = NULL;
  char directive = 0;
  for (size_t i = 0; i < fmt.n && !problem; i++) {
    char ch = fmt.s[i];
    if (ch != '~' || i + 1 >= fmt.n) {   /* a last lone ~ is itself */
      sb_putc(&out, ch);
      continue;
    }
    directive = fmt.s[++i];
    switch (directive) {
    case 'a': case 'A': case 's': case 'S':
      if (next >= n) {
        problem = "missing";
        break;
      }
      value_print(w, a[next++], &out, directive == 's' || directive == 'S');
      break;
    case '%': sb_putc(&out, '\n'); break;
    case '~': sb_putc(&out, '~'); break;
    default: problem = "unsupported"; break;
    }
    if (!problem) done = out.n;
  }
  sb_free(&fmt);
  if (!problem && next < n) problem = "superfluous";
  if (!to_string || problem) {
    bool all = !problem || !strcmp(problem, "superfluous");
    if (port) port_write(c, call->loc, port, out.s ? out.s : "", all ? out.n : done);
    else if (!to_string) ev_output(c, out.s ? out.s : "", all ? out.n : done);
    sb_free(&out);
    if (problem && !strcmp(problem, "missing"))
      ev_fail(c, call->loc, "arity", "%s: no argument left for ~%c", op, directive);
    if (problem && !strcmp(problem, "unsupported"))
      ev_fail(c, call->u.call.args[1]->loc, "type",
              "%s: ~%c is not a directive of simple-format (~a ~s ~%% ~~)",
              op, directive);
    if (problem)
      ev_fail(c, call->loc, "arity", "%s: %d argument%s left over", op,
              n - next, n - next == 1 ? "" : "s");
    return v_void();
  }
  /* the text as a new heap string of code points */
  int64_t len = 0;
  for (size_t i = 0; i < out.n;) {
    utf8_get(out.s, out.n, &i);
    len++;
  }
  tvec *t = len <= TVL_INT_MAX
                ? world_new_obj(w, TV_STR, (int32_t)len, v_char(0)) : NULL;
  int32_t k = 0;
  for (size_t i = 0; t && i < out.n;) t->items[k++] = v_char(utf8_get(out.s, out.n, &i));
  sb_free(&out);
  if (!t) ev_heap_full(c, call->loc);
  return v_heapstr(t);
}

static value bi_simple_format(ev_ctx *c, const ast *call, value *a, int n) {
  return do_format(c, call, a, n, "simple-format");
}

static value bi_format(ev_ctx *c, const ast *call, value *a, int n) {
  return do_format(c, call, a, n, "format");
}

static value bi_write_char(ev_ctx *c, const ast *call, value *a, int n) {
  tvec *p = port_arg(c, call, a, n, 1, "write-char");
  strbuf b;
  sb_init(&b);
  value_print(ev_world(c), a[0], &b, false);
  if (p) port_write(c, call->loc, p, b.s ? b.s : "", b.n);
  else ev_output(c, b.s ? b.s : "", b.n);
  sb_free(&b);
  return v_void();
}

/* ---- lists ----------------------------------------------------------- */

static value bi_acons(ev_ctx *c, const ast *call, value *a, int n) {
  (void)n;
  return ev_cons(c, call->loc, ev_cons(c, call->loc, a[0], a[1]), a[2]);
}

/* ---- integers ----------------------------------------------------------- */

static void nonzero(ev_ctx *c, const ast *call, const char *op, value *a) {
  if (a[1].i == 0)
    ev_fail(c, call->loc, "arith", "division by zero: (%s %d 0)", op, (int)a[0].i);
}

static int64_t floor_q(int64_t x, int64_t y) {
  int64_t q = x / y;
  return (x % y != 0 && ((x < 0) != (y < 0))) ? q - 1 : q;
}

static value fits(ev_ctx *c, const ast *call, const char *op, value *a, int64_t r) {
  if (r <= TVL_INT_MAX && r >= TVL_INT_MIN) return v_int((int32_t)r);
  ev_fail(c, call->loc, "overflow", "integer overflow: (%s %d %d) is %lld, which "
          "does not fit in 32 bits", op, (int)a[0].i, (int)a[1].i, (long long)r);
}

static value bi_floor_quotient(ev_ctx *c, const ast *call, value *a, int n) {
  (void)n;
  nonzero(c, call, "floor-quotient", a);
  return fits(c, call, "floor-quotient", a, floor_q(a[0].i, a[1].i));
}

static value bi_floor_remainder(ev_ctx *c, const ast *call, value *a, int n) {
  (void)n;
  nonzero(c, call, "floor-remainder", a);
  int64_t x = a[0].i, y = a[1].i;
  return v_int((int32_t)(x - floor_q(x, y) * y));
}

static value bi_truncate_quotient(ev_ctx *c, const ast *call, value *a, int n) {
  (void)n;
  nonzero(c, call, "truncate-quotient", a);
  return fits(c, call, "truncate-quotient", a, (int64_t)a[0].i / a[1].i);
}

static value bi_truncate_remainder(ev_ctx *c, const ast *call, value *a, int n) {
  (void)n;
  nonzero(c, call, "truncate-remainder", a);
  return v_int((int32_t)((int64_t)a[0].i % a[1].i));
}

static value bi_floor_div(ev_ctx *c, const ast *call, value *a, int n) {
  (void)n;
  nonzero(c, call, "floor/", a);
  int64_t x = a[0].i, y = a[1].i, q = floor_q(x, y);
  value r[2] = {fits(c, call, "floor/", a, q), v_int((int32_t)(x - q * y))};
  return ev_values(c, r, 2);
}

static value bi_truncate_div(ev_ctx *c, const ast *call, value *a, int n) {
  (void)n;
  nonzero(c, call, "truncate/", a);
  int64_t x = a[0].i, y = a[1].i;
  value r[2] = {fits(c, call, "truncate/", a, x / y), v_int((int32_t)(x % y))};
  return ev_values(c, r, 2);
}

/* (exact-integer-sqrt k): s and k - s*s, s the largest with s*s <= k. */
static value bi_exact_integer_sqrt(ev_ctx *c, const ast *call, value *a, int n) {
  (void)n;
  if (a[0].i < 0)
    bad_arg(c, call, 0, "exact-integer-sqrt", "a non-negative integer", a[0]);
  int64_t k = a[0].i, s = 0;
  for (int64_t bit = (int64_t)1 << 16; bit; bit >>= 1)
    if ((s + bit) * (s + bit) <= k) s += bit;
  value r[2] = {v_int((int32_t)s), v_int((int32_t)(k - s * s))};
  return ev_values(c, r, 2);
}

static const arg_kind k_bool_str[] = {AK_ANY, AK_ANY};
static const arg_kind k_char[] = {AK_CHAR, AK_ANY};

const builtin guile_builtins[] = {
  {"simple-format", 2, -1, AK_ANY, k_bool_str, -1, bi_simple_format, "print (#t) or return as a new string (#f) a text with ~a (display), ~s (write), ~% (newline) and ~~ filled in", NULL},
  {"format", 2, -1, AK_ANY, k_bool_str, -1, bi_format, "simple-format, as Guile's format is without (ice-9 format)", NULL},
  {"write-char", 1, 2, AK_ANY, k_char, VK_VOID, bi_write_char, "print a character, to a port if given", NULL},
  {"acons", 3, 3, AK_ANY, NULL, VK_PAIR, bi_acons, "(cons (cons key value) alist)", NULL},
  {"floor/", 2, 2, AK_INT, NULL, -1, bi_floor_div, "two values: the floor quotient and its remainder (the sign of the divisor)", NULL},
  {"truncate/", 2, 2, AK_INT, NULL, -1, bi_truncate_div, "two values: quotient and remainder", NULL},
  {"floor-quotient", 2, 2, AK_INT, NULL, VK_INT, bi_floor_quotient, "the quotient rounded down", NULL},
  {"floor-remainder", 2, 2, AK_INT, NULL, VK_INT, bi_floor_remainder, "modulo", NULL},
  {"truncate-quotient", 2, 2, AK_INT, NULL, VK_INT, bi_truncate_quotient, "quotient", NULL},
  {"truncate-remainder", 2, 2, AK_INT, NULL, VK_INT, bi_truncate_remainder, "remainder", NULL},
  {"exact-integer-sqrt", 1, 1, AK_INT, NULL, -1, bi_exact_integer_sqrt, "two values: the integer square root s and k - s*s", NULL},
};

const int guile_builtins_n = (int)(sizeof guile_builtins / sizeof guile_builtins[0]);
