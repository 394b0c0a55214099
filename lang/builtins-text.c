/* builtins-text.c - characters, strings, `error` and `exit`, as the
 * reference evaluator runs them (GNU Guile 3's behaviour).
 *
 * A string literal is an interned, immutable string of the world; every
 * string made at run time is a TV_STR object on the heap (lang.h), whose
 * characters string-set! and string-fill! may change.  Indices count
 * characters (code points), never bytes. */
#include "config.h"

#include "lang.h"

#include <stdlib.h>
#include <string.h>

static const ast *arg_at(const ast *call, int i) {
  return i < call->u.call.n ? call->u.call.args[i] : call;
}

static TVL_NORETURN void wrong(ev_ctx *c, const ast *call, int i,
                               const char *op, const char *want, value got) {
  strbuf b;
  sb_init(&b);
  value_print(ev_world(c), got, &b, true);
  if (b.n > 60) {
    b.n = 57;
    sb_puts(&b, "...");
  }
  char text[128];
  snprintf(text, sizeof text, "%s", b.s);
  sb_free(&b);
  ev_fail(c, i < 0 ? call->loc : arg_at(call, i)->loc, "type",
          "%s: %s must be %s, not %s (%s)",
          op, i < 0 ? "an element" : "the argument", want,
          value_kind_name(got), text);
}

/* A new heap string of n characters (NUL until filled). */
static tvec *new_str(ev_ctx *c, const ast *call, int64_t n) {
  tvec *t = n <= TVL_INT_MAX ? world_new_obj(ev_world(c), TV_STR, (int32_t)n,
                                             v_char(0))
                             : NULL;
  if (!t) ev_heap_full(c, call->loc);
  return t;
}

static int32_t slen(ev_ctx *c, value s) { return str_length(ev_world(c), s); }
static int32_t sref(ev_ctx *c, value s, int32_t i) { return str_ref(ev_world(c), s, i); }

/* ---- characters ------------------------------------------------------ */

static value bi_is_char(ev_ctx *c, const ast *call, value *a, int n) { return v_bool(a[0].kind == VK_CHAR); }
static value bi_char_to_int(ev_ctx *c, const ast *call, value *a, int n) { return v_int(a[0].i); }

static value bi_int_to_char(ev_ctx *c, const ast *call, value *a, int n) {
  if (!char_valid(a[0].i))
    ev_fail(c, arg_at(call, 0)->loc, "bounds", "integer->char: %d is not a "
            "Unicode code point (0 to #x10FFFF, without #xD800 to #xDFFF)",
            (int)a[0].i);
  return v_char(a[0].i);
}

#define CHAR_COMPARE(name, op)                                             \
  static value name(ev_ctx *c, const ast *call, value *a, int n) {        \
    for (int i = 0; i + 1 < n; i++)                                        \
      if (!(a[i].i op a[i + 1].i)) return v_bool(false);                   \
    return v_bool(true);                                                   \
  }
CHAR_COMPARE(bi_char_eq, ==)
CHAR_COMPARE(bi_char_lt, <)
CHAR_COMPARE(bi_char_gt, >)
CHAR_COMPARE(bi_char_le, <=)
CHAR_COMPARE(bi_char_ge, >=)

static value bi_char_upcase(ev_ctx *c, const ast *call, value *a, int n) { return v_char(char_upcase(a[0].i)); }
static value bi_char_downcase(ev_ctx *c, const ast *call, value *a, int n) { return v_char(char_downcase(a[0].i)); }
static value bi_char_alpha(ev_ctx *c, const ast *call, value *a, int n) { return v_bool(char_alphabetic(a[0].i)); }
static value bi_char_numeric(ev_ctx *c, const ast *call, value *a, int n) { return v_bool(char_numeric(a[0].i)); }
static value bi_char_white(ev_ctx *c, const ast *call, value *a, int n) { return v_bool(char_whitespace(a[0].i)); }
static value bi_char_upper(ev_ctx *c, const ast *call, value *a, int n) {
  return v_bool(char_upper_case(a[0].i));
}
static value bi_char_lower(ev_ctx *c, const ast *call, value *a, int n) {
  return v_bool(char_lower_case(a[0].i));
}

/* ---- strings: access ------------------------------------------------- */

static value bi_string_length(ev_ctx *c, const ast *call, value *a, int n) { return v_int(slen(c, a[0])); }

static void index_ok(ev_ctx *c, const ast *call, int i, const char *op,
                     int32_t k, int32_t len, bool end) {
  if (k < 0 || k > len || (!end && k == len)) {
    if (!strcmp(op, "string-ref")) ev_note_range(c, op, i, v_int(k), len);
    ev_fail(c, arg_at(call, i)->loc, "bounds",
            "%s: index %d is out of range for a string of length %d", op,
            (int)k, (int)len);
  }
}

static value bi_string_ref(ev_ctx *c, const ast *call, value *a, int n) {
  index_ok(c, call, 1, "string-ref", a[1].i, slen(c, a[0]), false);
  return v_char(sref(c, a[0], a[1].i));
}

/* [start, end) from optional arguments at a[i], a[i+1]. */
static void range(ev_ctx *c, const ast *call, const char *op, value *a, int n,
                  int i, int32_t *start, int32_t *end) {
  int32_t len = slen(c, a[0]);
  *start = n > i ? a[i].i : 0;
  *end = n > i + 1 ? a[i + 1].i : len;
  index_ok(c, call, i, op, *start, len, true);
  index_ok(c, call, i + 1, op, *end, len, true);
  if (*end < *start)
    ev_fail(c, arg_at(call, i + 1)->loc, "bounds", "%s: the end %d is before "
            "the start %d", op, (int)*end, (int)*start);
}

static value copy_range(ev_ctx *c, const ast *call, value s, int32_t from,
                        int32_t to) {
  tvec *t = new_str(c, call, to - from);
  for (int32_t i = from; i < to; i++) t->items[i - from] = v_char(sref(c, s, i));
  return v_heapstr(t);
}

static value bi_substring(ev_ctx *c, const ast *call, value *a, int n) {
  int32_t s, e;
  range(c, call, "substring", a, n, 1, &s, &e);
  return copy_range(c, call, a[0], s, e);
}

static value bi_string_copy(ev_ctx *c, const ast *call, value *a, int n) {
  int32_t s, e;
  range(c, call, "string-copy", a, n, 1, &s, &e);
  return copy_range(c, call, a[0], s, e);
}

static value bi_string_append(ev_ctx *c, const ast *call, value *a, int n) {
  int64_t total = 0;
  for (int i = 0; i < n; i++) total += slen(c, a[i]);
  tvec *t = new_str(c, call, total);
  int32_t k = 0;
  for (int i = 0; i < n; i++)
    for (int32_t j = 0, len = slen(c, a[i]); j < len; j++)
      t->items[k++] = v_char(sref(c, a[i], j));
  return v_heapstr(t);
}

static value bi_make_string(ev_ctx *c, const ast *call, value *a, int n) {
  if (a[0].i < 0)
    ev_fail(c, arg_at(call, 0)->loc, "bounds",
            "make-string: the length must not be negative (%d)", (int)a[0].i);
  tvec *t = new_str(c, call, a[0].i);
  if (n > 1)
    for (int32_t i = 0; i < t->n; i++) t->items[i] = a[1];
  return v_heapstr(t);
}

static value bi_string(ev_ctx *c, const ast *call, value *a, int n) {
  tvec *t = new_str(c, call, n);
  for (int i = 0; i < n; i++) t->items[i] = a[i];
  return v_heapstr(t);
}

/* -1, 0, 1 as x sorts before, with or after y (by code point). */
static int compare(ev_ctx *c, value x, value y) {
  int32_t nx = slen(c, x), ny = slen(c, y);
  for (int32_t i = 0; i < nx && i < ny; i++) {
    int32_t p = sref(c, x, i), q = sref(c, y, i);
    if (p != q) return p < q ? -1 : 1;
  }
  return nx < ny ? -1 : nx > ny;
}

#define STRING_COMPARE(name, test)                                         \
  static value name(ev_ctx *c, const ast *call, value *a, int n) {        \
    for (int i = 0; i + 1 < n; i++) {                                      \
      int r = compare(c, a[i], a[i + 1]);                                  \
      if (!(test)) return v_bool(false);                                   \
    }                                                                      \
    return v_bool(true);                                                   \
  }
STRING_COMPARE(bi_string_eq, r == 0)
STRING_COMPARE(bi_string_lt, r < 0)
STRING_COMPARE(bi_string_gt, r > 0)
STRING_COMPARE(bi_string_le, r <= 0)
STRING_COMPARE(bi_string_ge, r >= 0)

static value bi_string_null(ev_ctx *c, const ast *call, value *a, int n) { return v_bool(slen(c, a[0]) == 0); }

static value change_case(ev_ctx *c, const ast *call, value s, bool up) {
  int32_t len = slen(c, s);
  tvec *t = new_str(c, call, len);
  for (int32_t i = 0; i < len; i++) {
    int32_t ch = sref(c, s, i);
    t->items[i] = v_char(up ? char_upcase(ch) : char_downcase(ch));
  }
  return v_heapstr(t);
}

static value bi_string_upcase(ev_ctx *c, const ast *call, value *a, int n) { return change_case(c, call, a[0], true); }
static value bi_string_downcase(ev_ctx *c, const ast *call, value *a, int n) { return change_case(c, call, a[0], false); }

/* ---- strings: mutation ----------------------------------------------- */

static tvec *mutable(ev_ctx *c, const ast *call, const char *op, value s) {
  if (!s.vec) {
    strbuf b;
    sb_init(&b);
    str_write(ev_world(c), s, &b);
    if (b.n > 60) {
      b.n = 56;
      sb_puts(&b, "...\"");
    }
    char text[128];
    snprintf(text, sizeof text, "%s", b.s);
    sb_free(&b);
    ev_fail(c, arg_at(call, 0)->loc, "type", "%s: %s is a literal constant, "
            "which cannot be changed (string-copy makes a string that can)",
            op, text);
  }
  world_save_vec(ev_world(c), s.vec);
  return s.vec;
}

static value bi_string_set(ev_ctx *c, const ast *call, value *a, int n) {
  index_ok(c, call, 1, "string-set!", a[1].i, slen(c, a[0]), false);
  mutable(c, call, "string-set!", a[0])->items[a[1].i] = a[2];
  return v_void();
}

static value bi_string_fill(ev_ctx *c, const ast *call, value *a, int n) {
  tvec *t = mutable(c, call, "string-fill!", a[0]);
  for (int32_t i = 0; i < t->n; i++) t->items[i] = a[1];
  return v_void();
}

/* ---- conversions ----------------------------------------------------- */

static int radix_of(ev_ctx *c, const ast *call, const char *op, value *a, int n) {
  if (n < 2) return 10;
  if (a[1].i < 2 || a[1].i > 36)
    ev_fail(c, arg_at(call, 1)->loc, "bounds", "%s: the radix must be from 2 "
            "to 36, not %d", op, (int)a[1].i);
  return a[1].i;
}

static value from_ascii(ev_ctx *c, const ast *call, const char *s, size_t len) {
  tvec *t = new_str(c, call, (int64_t)len);
  for (size_t i = 0; i < len; i++) t->items[i] = v_char((unsigned char)s[i]);
  return v_heapstr(t);
}

static value bi_number_to_string(ev_ctx *c, const ast *call, value *a, int n) {
  int radix = radix_of(c, call, "number->string", a, n);
  int64_t x = a[0].i;
  char buf[40];
  int k = (int)sizeof buf;
  uint64_t u = (uint64_t)(x < 0 ? -x : x);
  do {
    buf[--k] = "0123456789abcdefghijklmnopqrstuvwxyz"[u % (unsigned)radix];
    u /= (unsigned)radix;
  } while (u);
  if (x < 0) buf[--k] = '-';
  return from_ascii(c, call, buf + k, sizeof buf - (size_t)k);
}

static int digit_of(int32_t ch, int radix) {
  int d = ch >= '0' && ch <= '9' ? ch - '0'
        : ch >= 'a' && ch <= 'z' ? ch - 'a' + 10
        : ch >= 'A' && ch <= 'Z' ? ch - 'A' + 10 : 99;
  return d < radix ? d : -1;
}

/* Whether Guile reads the text as a number that is not an integer of
 * tvl's (1.5, 1e3, 1/2, .5): then string->number cannot answer it. */
static bool inexact_number(const int32_t *s, int32_t n) {
  int32_t i = s[0] == '+' || s[0] == '-' ? 1 : 0;
  int digits = 0, dots = 0;
  for (; i < n && ((s[i] >= '0' && s[i] <= '9') || s[i] == '.'); i++) {
    if (s[i] == '.') dots++;
    else digits++;
  }
  if (!digits || dots > 1) return false;
  if (i == n) return dots == 1;
  if (s[i] == '/' && !dots) {
    int den = 0;
    for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++) den++;
    return den && i == n;
  }
  if (s[i] != 'e' && s[i] != 'E') return false;
  i++;
  if (i < n && (s[i] == '+' || s[i] == '-')) i++;
  int exp = 0;
  for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) exp++;
  return exp && i == n;
}

static value bi_string_to_number(ev_ctx *c, const ast *call, value *a, int n) {
  int radix = radix_of(c, call, "string->number", a, n);
  int32_t len = slen(c, a[0]), i = 0;
  int32_t buf[64];
  if (len > 60) return v_bool(false);   /* no 32-bit integer is that long */
  for (int32_t k = 0; k < len; k++) buf[k] = sref(c, a[0], k);
  if (len >= 2 && buf[0] == '#') {
    int32_t p = buf[1] | 0x20;
    radix = p == 'x' ? 16 : p == 'b' ? 2 : p == 'o' ? 8 : p == 'd' ? 10 : 0;
    if (!radix) return v_bool(false);
    i = 2;
  }
  bool neg = i < len && buf[i] == '-';
  if (i < len && (buf[i] == '+' || buf[i] == '-')) i++;
  if (i == len) return v_bool(false);
  int64_t v = 0;
  for (; i < len; i++) {
    int d = digit_of(buf[i], radix);
    if (d < 0) {
      if (radix == 10 && inexact_number(buf, len))
        ev_fail(c, call->loc, "type", "string->number: the number in this "
                "string is not an integer, and tvl has only integers");
      return v_bool(false);
    }
    v = v * radix + d;
    if (v > (int64_t)TVL_INT_MAX + 1)
      ev_fail(c, call->loc, "overflow", "string->number: the number in this "
              "string does not fit in 32 bits");
  }
  v = neg ? -v : v;
  if (v > TVL_INT_MAX)
    ev_fail(c, call->loc, "overflow", "string->number: the number in this "
            "string does not fit in 32 bits");
  return v_int((int32_t)v);
}

/* A symbol's name is an interned string: immutable, as in Guile. */
static value bi_symbol_to_string(ev_ctx *c, const ast *call, value *a, int n) {
  world *w = ev_world(c);
  const char *name = sym_name(&w->syms, a[0].i);
  return v_str(world_intern_string(w, name, strlen(name)));
}

static value bi_string_to_symbol(ev_ctx *c, const ast *call, value *a, int n) {
  world *w = ev_world(c);
  strbuf b;
  sb_init(&b);
  str_utf8(w, a[0], &b);
  int id = sym_intern(&w->syms, b.s ? b.s : "", b.n);
  sb_free(&b);
  return v_sym(id);
}

static value bi_string_to_list(ev_ctx *c, const ast *call, value *a, int n) {
  int32_t s, e;
  range(c, call, "string->list", a, n, 1, &s, &e);
  value l = v_nil();
  for (int32_t i = e - 1; i >= s; i--) l = ev_cons(c, call->loc, v_char(sref(c, a[0], i)), l);
  return l;
}

static value bi_list_to_string(ev_ctx *c, const ast *call, value *a, int n) {
  int64_t len = 0;
  value l = a[0];
  for (; l.kind == VK_PAIR && len <= TVL_INT_MAX; l = V_CDR(l)) {
    if (V_CAR(l).kind != VK_CHAR) wrong(c, call, -1, "list->string", "a character", V_CAR(l));
    len++;
  }
  if (l.kind != VK_NIL) wrong(c, call, 0, "list->string", "a proper list", a[0]);
  tvec *t = new_str(c, call, len);
  int32_t i = 0;
  for (l = a[0]; l.kind == VK_PAIR; l = V_CDR(l)) t->items[i++] = V_CAR(l);
  return v_heapstr(t);
}

/* ---- Guile's string library (SRFI-13 names) -------------------------- */

static value bi_string_for_each(ev_ctx *c, const ast *call, value *a, int n) {
  value f = a[0], str = a[1];   /* the stack may move during a call */
  for (int32_t i = 0; i < slen(c, str); i++) {
    value ch = v_char(sref(c, str, i));
    ev_call_tail(c, call, f, &ch, 1);   /* its values dropped, as in Guile */
  }
  return v_void();
}

static value bi_string_map(ev_ctx *c, const ast *call, value *a, int n) {
  value f = a[0], str = a[1];
  int32_t len = slen(c, str);
  value out = v_heapstr(new_str(c, call, len));
  for (int32_t i = 0; i < len && i < slen(c, str); i++) {
    value ch = v_char(sref(c, str, i));
    value r = ev_call_value(c, call, f, &ch, 1);
    if (r.kind != VK_CHAR) wrong(c, call, 0, "string-map", "a procedure returning characters", r);
    out.vec->items[i] = r;
  }
  return out;
}

static value bi_string_reverse(ev_ctx *c, const ast *call, value *a, int n) {
  int32_t len = slen(c, a[0]);
  tvec *t = new_str(c, call, len);
  for (int32_t i = 0; i < len; i++) t->items[i] = v_char(sref(c, a[0], len - 1 - i));
  return v_heapstr(t);
}

/* Where needle first occurs in s from `from`, or -1. */
static int32_t find(ev_ctx *c, value s, value needle, int32_t from) {
  int32_t n = slen(c, s), m = slen(c, needle);
  for (int32_t i = from; i + m <= n; i++) {
    int32_t k = 0;
    while (k < m && sref(c, s, i + k) == sref(c, needle, k)) k++;
    if (k == m) return i;
  }
  return -1;
}

static value bi_string_contains(ev_ctx *c, const ast *call, value *a, int n) {
  int32_t i = find(c, a[0], a[1], 0);
  return i < 0 ? v_bool(false) : v_int(i);
}

static value bi_string_prefix(ev_ctx *c, const ast *call, value *a, int n) {
  int32_t m = slen(c, a[0]);
  if (m > slen(c, a[1])) return v_bool(false);
  for (int32_t i = 0; i < m; i++)
    if (sref(c, a[0], i) != sref(c, a[1], i)) return v_bool(false);
  return v_bool(true);
}

static value bi_string_suffix(ev_ctx *c, const ast *call, value *a, int n) {
  int32_t m = slen(c, a[0]), k = slen(c, a[1]);
  if (m > k) return v_bool(false);
  for (int32_t i = 0; i < m; i++)
    if (sref(c, a[0], i) != sref(c, a[1], k - m + i)) return v_bool(false);
  return v_bool(true);
}

/* A character test: a character to equal, or a predicate to call. */
static bool char_test(ev_ctx *c, const ast *call, value test, int32_t ch) {
  if (test.kind == VK_CHAR) return test.i == ch;
  value arg = v_char(ch);
  return v_truthy(ev_call_value(c, call, test, &arg, 1));
}

static value bi_string_index(ev_ctx *c, const ast *call, value *a, int n) {
  value s = a[0], test = a[1];
  if (test.kind != VK_CHAR && test.kind != VK_PROC)
    wrong(c, call, 1, "string-index", "a character or a predicate", test);
  for (int32_t i = 0; i < slen(c, s); i++)
    if (char_test(c, call, test, sref(c, s, i))) return v_int(i);
  return v_bool(false);
}

/* string-trim, -right, -both: white space off the left, right, both. */
static value trim(ev_ctx *c, const ast *call, value s, bool left, bool right) {
  int32_t from = 0, to = slen(c, s);
  while (left && from < to && char_whitespace(sref(c, s, from))) from++;
  while (right && to > from && char_whitespace(sref(c, s, to - 1))) to--;
  return copy_range(c, call, s, from, to);
}

static value bi_string_trim(ev_ctx *c, const ast *call, value *a, int n) { return trim(c, call, a[0], true, false); }
static value bi_string_trim_right(ev_ctx *c, const ast *call, value *a, int n) { return trim(c, call, a[0], false, true); }
static value bi_string_trim_both(ev_ctx *c, const ast *call, value *a, int n) { return trim(c, call, a[0], true, true); }

/* Guile's string-split: the pieces between the delimiter characters,
 * empty ones included. */
static value bi_string_split(ev_ctx *c, const ast *call, value *a, int n) {
  value s = a[0];
  int32_t ch = a[1].i, end = slen(c, s);
  value l = v_nil();
  for (int32_t i = end - 1; i >= -1; i--)
    if (i < 0 || sref(c, s, i) == ch) {
      l = ev_cons(c, call->loc, copy_range(c, call, s, i + 1, end), l);
      end = i;
    }
  return l;
}

/* Guile's string-join grammar: 0 infix, 1 strict-infix, 2 prefix, 3
 * suffix, -1 another value. */
int string_join_grammar(const char *name) {
  static const char *const g[] = {"infix", "strict-infix", "prefix", "suffix"};
  for (int i = 0; i < 4; i++)
    if (!strcmp(name, g[i])) return i;
  return -1;
}

/* (string-join list [delimiter [grammar]]): the strings with the
 * delimiter (default a space) between them ('infix, the default, and
 * 'strict-infix, which refuses an empty list), before each ('prefix) or
 * after each ('suffix). */
static value bi_string_join(ev_ctx *c, const ast *call, value *a, int n) {
  value l = a[0], sep = n > 1 ? a[1] : v_str(world_intern_string(ev_world(c), " ", 1));
  if (n > 1 && sep.kind != VK_STR) wrong(c, call, 1, "string-join", "a string", sep);
  int gr = 0;
  if (n > 2) {
    gr = a[2].kind == VK_SYM ? string_join_grammar(sym_name(&ev_world(c)->syms, (int)a[2].i)) : -1;
    if (gr < 0) wrong(c, call, 2, "string-join", "a grammar ('infix, 'strict-infix, 'prefix or 'suffix)", a[2]);
  }
  int64_t total = 0, count = 0;
  for (value x = l; x.kind == VK_PAIR; x = V_CDR(x), count++) {
    if (V_CAR(x).kind != VK_STR) wrong(c, call, -1, "string-join", "a string", V_CAR(x));
    total += slen(c, V_CAR(x));
  }
  value end = l;
  while (end.kind == VK_PAIR) end = V_CDR(end);
  if (end.kind != VK_NIL) wrong(c, call, 0, "string-join", "a proper list", l);
  if (gr == 1 && count == 0)
    ev_fail(c, call->loc, "type", "string-join: strict-infix grammar requires non-empty list");
  if (gr >= 2) total += count * slen(c, sep);
  else if (count > 1) total += (count - 1) * slen(c, sep);
  tvec *t = new_str(c, call, total);
  int32_t k = 0;
  for (value x = l; x.kind == VK_PAIR; x = V_CDR(x)) {
    if (gr == 2 || (gr < 2 && x.vec != l.vec))
      for (int32_t j = 0; j < slen(c, sep); j++) t->items[k++] = v_char(sref(c, sep, j));
    for (int32_t j = 0; j < slen(c, V_CAR(x)); j++) t->items[k++] = v_char(sref(c, V_CAR(x), j));
    if (gr == 3)
      for (int32_t j = 0; j < slen(c, sep); j++) t->items[k++] = v_char(sref(c, sep, j));
  }
  return v_heapstr(t);
}

static value bi_char_ci_eq(ev_ctx *c, const ast *call, value *a, int n) {
  for (int i = 0; i + 1 < n; i++)
    if (char_ci_key(a[i].i) != char_ci_key(a[i + 1].i)) return v_bool(false);
  return v_bool(true);
}

static value bi_string_ci_eq(ev_ctx *c, const ast *call, value *a, int n) {
  for (int i = 0; i + 1 < n; i++) {
    int32_t len = slen(c, a[i]);
    if (len != slen(c, a[i + 1])) return v_bool(false);
    for (int32_t k = 0; k < len; k++)
      if (string_ci_key(sref(c, a[i], k)) != string_ci_key(sref(c, a[i + 1], k)))
        return v_bool(false);
  }
  return v_bool(true);
}

/* ---- error and exit -------------------------------------------------- */

/* Guile's text: the message displayed, then each irritant written. */
static value bi_error(ev_ctx *c, const ast *call, value *a, int n) {
  strbuf b;
  sb_init(&b);
  value_print(ev_world(c), a[0], &b, false);
  for (int i = 1; i < n; i++) {
    sb_putc(&b, ' ');
    value_print(ev_world(c), a[i], &b, true);
  }
  char *text = sb_detach(&b);
  lang_error_set(ev_error(c), call->loc, "error", "%s", text ? text : "");
  free(text);
  wind_error_thrown(c, call, a, n);   /* what a catch gets */
  ev_raise(c);
}

/* (exit): 0; (exit #f) 1; an integer, modulo 256 as the system keeps
 * it; any other value 0, as in Guile. */
static value bi_exit(ev_ctx *c, const ast *call, value *a, int n) {
  int status = 0;
  if (n == 1) {
    if (a[0].kind == VK_BOOL) status = a[0].i ? 0 : 1;
    else if (a[0].kind == VK_INT) status = a[0].i & 255;
  }
  lang_error_set(ev_error(c), call->loc, "exit", "exit with status %d", status);
  ev_error(c)->status = status;
  if (ev_catching(c)) {
    /* Guile's exit throws 'quit with its arguments: a catch of #t or
     * quit takes it (the top level, none taking it, exits) */
    world *w = ev_world(c);
    value args = n == 1 ? ev_cons(c, call->loc, a[0], v_nil()) : v_nil();
    ev_set_thrown(c, v_sym(sym_intern(&w->syms, "quit", 4)), args);
  }
  ev_raise(c);
}

/* ---- the table ------------------------------------------------------- */

static const arg_kind k_str_int[] = {AK_STR, AK_INT, AK_INT};
static const arg_kind k_str_int_char[] = {AK_STR, AK_INT, AK_CHAR};
static const arg_kind k_str_char[] = {AK_STR, AK_CHAR};
static const arg_kind k_int_char[] = {AK_INT, AK_CHAR};
static const arg_kind k_int_int[] = {AK_INT, AK_INT};
static const arg_kind k_str_int2[] = {AK_STR, AK_INT};
static const arg_kind k_proc_str[] = {AK_PROC, AK_STR};
static const arg_kind k_str_any[] = {AK_STR, AK_ANY};

#define CHARS NULL   /* compiled: lang/lower-chars.c */
#define STRS "strings as values"
#define STRS_READ NULL   /* compiled: lang/lower-strings.c */

const builtin text_builtins[] = {
  {"char?", 1, 1, AK_ANY, NULL, VK_BOOL, bi_is_char, "is a character", CHARS},
  {"char->integer", 1, 1, AK_CHAR, NULL, VK_INT, bi_char_to_int, "the character's Unicode code point", CHARS},
  {"integer->char", 1, 1, AK_INT, NULL, VK_CHAR, bi_int_to_char, "the character of a Unicode code point", CHARS},
  {"char=?", 0, -1, AK_CHAR, NULL, VK_BOOL, bi_char_eq, "characters equal", CHARS},
  {"char<?", 0, -1, AK_CHAR, NULL, VK_BOOL, bi_char_lt, "code points strictly increasing", CHARS},
  {"char>?", 0, -1, AK_CHAR, NULL, VK_BOOL, bi_char_gt, "code points strictly decreasing", CHARS},
  {"char<=?", 0, -1, AK_CHAR, NULL, VK_BOOL, bi_char_le, "code points non-decreasing", CHARS},
  {"char>=?", 0, -1, AK_CHAR, NULL, VK_BOOL, bi_char_ge, "code points non-increasing", CHARS},
  {"char-upcase", 1, 1, AK_CHAR, NULL, VK_CHAR, bi_char_upcase, "the upper-case letter of a lower-case one (others unchanged)", CHARS},
  {"char-downcase", 1, 1, AK_CHAR, NULL, VK_CHAR, bi_char_downcase, "the lower-case letter of an upper-case one (others unchanged)", CHARS},
  {"char-alphabetic?", 1, 1, AK_CHAR, NULL, VK_BOOL, bi_char_alpha, "is a letter", CHARS},
  {"char-numeric?", 1, 1, AK_CHAR, NULL, VK_BOOL, bi_char_numeric, "is a decimal digit (of any script)", CHARS},
  {"char-whitespace?", 1, 1, AK_CHAR, NULL, VK_BOOL, bi_char_white, "is white space (space, tab, newline, ...)", CHARS},
  {"char-upper-case?", 1, 1, AK_CHAR, NULL, VK_BOOL, bi_char_upper, "is an upper-case letter", CHARS},
  {"char-lower-case?", 1, 1, AK_CHAR, NULL, VK_BOOL, bi_char_lower, "is a lower-case letter", CHARS},
  {"string-length", 1, 1, AK_STR, NULL, VK_INT, bi_string_length, "number of characters", STRS_READ},
  {"string-ref", 2, 2, AK_ANY, k_str_int2, VK_CHAR, bi_string_ref, "character at an index (from 0)", STRS_READ},
  {"substring", 2, 3, AK_ANY, k_str_int, VK_STR, bi_substring, "new string of the characters from start to end (default: the end)", STRS_READ},
  {"string-append", 0, -1, AK_STR, NULL, VK_STR, bi_string_append, "new string of the strings joined", STRS_READ},
  {"string-copy", 1, 3, AK_ANY, k_str_int, VK_STR, bi_string_copy, "new (changeable) string of the characters, from start to end if given", STRS_READ},
  {"make-string", 1, 2, AK_ANY, k_int_char, VK_STR, bi_make_string, "new string of a length, filled with a character (default #\\nul)", STRS_READ},
  {"string", 0, -1, AK_CHAR, NULL, VK_STR, bi_string, "new string of the characters", STRS_READ},
  {"string=?", 0, -1, AK_STR, NULL, VK_BOOL, bi_string_eq, "strings equal", STRS_READ},
  {"string<?", 0, -1, AK_STR, NULL, VK_BOOL, bi_string_lt, "strings in strictly increasing order (by code point)", STRS_READ},
  {"string>?", 0, -1, AK_STR, NULL, VK_BOOL, bi_string_gt, "strings in strictly decreasing order", STRS_READ},
  {"string<=?", 0, -1, AK_STR, NULL, VK_BOOL, bi_string_le, "strings in non-decreasing order", STRS_READ},
  {"string>=?", 0, -1, AK_STR, NULL, VK_BOOL, bi_string_ge, "strings in non-increasing order", STRS_READ},
  {"string-null?", 1, 1, AK_STR, NULL, VK_BOOL, bi_string_null, "is the empty string", STRS_READ},
  {"string-upcase", 1, 1, AK_STR, NULL, VK_STR, bi_string_upcase, "new string with every letter upper-case", STRS_READ},
  {"string-downcase", 1, 1, AK_STR, NULL, VK_STR, bi_string_downcase, "new string with every letter lower-case", STRS_READ},
  {"string-set!", 3, 3, AK_ANY, k_str_int_char, VK_VOID, bi_string_set, "replace the character at an index (not in a literal)", STRS_READ},
  {"string-fill!", 2, 2, AK_ANY, k_str_char, VK_VOID, bi_string_fill, "set every character (not of a literal)", STRS_READ},
  {"number->string", 1, 2, AK_INT, k_int_int, VK_STR, bi_number_to_string, "new string of the integer's digits (radix 2 to 36, default 10)", STRS_READ},
  {"string->number", 1, 2, AK_ANY, k_str_int2, -1, bi_string_to_number, "the integer a string spells (radix default 10), or #f", STRS_READ},
  {"symbol->string", 1, 1, AK_SYM, NULL, VK_STR, bi_symbol_to_string, "the symbol's name (an immutable string)", STRS_READ},
  {"string->symbol", 1, 1, AK_STR, NULL, VK_SYM, bi_string_to_symbol, "the symbol of that name", NULL},
  {"string->list", 1, 3, AK_ANY, k_str_int, -1, bi_string_to_list, "new list of the characters (from start to end if given)", STRS_READ},
  {"list->string", 1, 1, AK_ANY, NULL, VK_STR, bi_list_to_string, "new string of a list of characters", STRS_READ},
  {"string-for-each", 2, 2, AK_ANY, k_proc_str, VK_VOID, bi_string_for_each, "call the procedure on each character, in order", STRS_READ},
  {"string-map", 2, 2, AK_ANY, k_proc_str, VK_STR, bi_string_map, "new string of the procedure's results on the characters", STRS_READ},
  {"string-reverse", 1, 1, AK_STR, NULL, VK_STR, bi_string_reverse, "new string of the characters in reverse order", STRS_READ},
  {"string-contains", 2, 2, AK_STR, NULL, -1, bi_string_contains, "index where the second string first occurs in the first, or #f", STRS_READ},
  {"string-prefix?", 2, 2, AK_STR, NULL, VK_BOOL, bi_string_prefix, "the first string begins the second", STRS_READ},
  {"string-suffix?", 2, 2, AK_STR, NULL, VK_BOOL, bi_string_suffix, "the first string ends the second", STRS_READ},
  {"string-index", 2, 2, AK_ANY, k_str_any, -1, bi_string_index, "index of the first character equal to a character or passing a predicate, or #f", STRS_READ},
  {"string-trim", 1, 1, AK_STR, NULL, VK_STR, bi_string_trim, "new string without the white space at the left", STRS_READ},
  {"string-trim-right", 1, 1, AK_STR, NULL, VK_STR, bi_string_trim_right, "new string without the white space at the right", STRS_READ},
  {"string-trim-both", 1, 1, AK_STR, NULL, VK_STR, bi_string_trim_both, "new string without the white space at both ends", STRS_READ},
  {"string-split", 2, 2, AK_ANY, k_str_char, -1, bi_string_split, "list of the pieces between the delimiter characters (empty ones too)", STRS_READ},
  {"string-join", 1, 3, AK_ANY, NULL, VK_STR, bi_string_join, "new string of a list of strings with a delimiter (default a space) between them, or before or after each (grammar 'prefix, 'suffix; 'strict-infix refuses an empty list)", STRS_READ},
  {"char-ci=?", 0, -1, AK_CHAR, NULL, VK_BOOL, bi_char_ci_eq, "characters equal, ignoring case", CHARS},
  {"string-ci=?", 0, -1, AK_STR, NULL, VK_BOOL, bi_string_ci_eq, "strings equal, ignoring case", STRS_READ},
  {"error", 1, -1, AK_ANY, NULL, VK_VOID, bi_error, "stop with an error: the message displayed, then the irritants written", NULL},
  {"exit", 0, 1, AK_ANY, NULL, VK_VOID, bi_exit, "stop the program with a status (default 0; #t 0, #f 1)", NULL},
};

const int text_builtins_n = (int)(sizeof text_builtins / sizeof text_builtins[0]);
