/* guile-args.c - the arguments a catch's handler gets for the error of a
 * builtin, as Guile 3 gives them: (SUBR FORMAT ARGS DATA), e.g. for
 * (car '()) ("car" "Wrong type argument in position 1 (expecting pair):
 * ~S" (()) (())).
 *
 * Guile's text depends on which C macro its builtin checks with, so the
 * builtins are listed by the form of their errors, each checked against
 * Guile 3.0.8 (tests/scheme/catch-builtin-args.scm).  The site of an
 * error notes what it knows (the builtin, the argument's position, the
 * value) just before ev_fail; ev_fail keeps the note for that one error
 * (eval.c), and eval.c landed builds the arguments from it.  A builtin
 * not listed, or an error noted by no site, keeps tvl's own arguments:
 * (#f MESSAGE () #f), MESSAGE the error's text whole.
 */
#include "config.h"

#include "lang.h"

#include <string.h>

/* Builtins whose kind errors say "Wrong type argument in position N
 * (expecting WHAT): ~S" (scm_wrong_type_arg_msg with a literal
 * position): position 1-based, 0 for any. */
static const struct { const char *op; int pos; const char *what; } literal_pos[] = {
    {"car", 1, "pair"},        {"cdr", 1, "pair"},
    {"vector-ref", 1, "vector"}, {"vector-ref", 2, "small integer"},
    {"vector-set!", 1, "mutable vector"}, {"vector-set!", 2, "small integer"},
    {"vector-length", 1, "vector"}, {"string-length", 1, "string"},
    {"struct-vtable", 1, "struct"},   /* a record accessor's (lang/records.c) */
};

/* "Wrong type argument in position ~A (expecting ~A): ~S" (N WHAT V). */
static const struct { const char *op; int pos; const char *what; } formatted_pos[] = {
    {"list-tail", 1, "pair"},         {"symbol->string", 1, "symbol"},
    {"set-car!", 1, "mutable pair"},  {"set-cdr!", 1, "mutable pair"},
    {"string-ref", 1, "string"},      {"string->symbol", 1, "string"},
    {"char->integer", 1, "character"}, {"vector-fill!", 1, "mutable vector"},
    {"string->list", 1, "string"},    {"memq", 2, "list"},
    {"memv", 2, "list"},              {"member", 2, "list"},
    {"assq", 2, "association list"},  {"assv", 2, "association list"},
    {"assoc", 2, "association list"},
};

/* "Wrong type argument in position ~A: ~S" (N V); the n-ary ones are
 * pairwise in Guile ((+ 1 2 'a) is (+ 3 'a)): an argument after the first
 * is position 2. */
static const char *const plain_pos[] = {
    "quotient", "remainder", "modulo", "abs", "length", "reverse", "list-ref",
    "zero?", "positive?", "negative?", "even?", "odd?", "logand", "logior",
    "logxor", "ash", "number->string",
};
static const char *const pairwise[] = {"+", "-", "*", "=", "<", ">", "<=", ">=", "min", "max"};

/* Guile's names of the procedures that divide (quotient is
 * truncate-quotient in Guile 3's evaluator). */
static const char *const div_names[][2] = {
    {"quotient", "truncate-quotient"},   {"remainder", "truncate-remainder"},
    {"modulo", "floor-remainder"},       {"floor-quotient", "floor-quotient"},
    {"floor-remainder", "floor-remainder"}, {"truncate-quotient", "truncate-quotient"},
    {"truncate-remainder", "truncate-remainder"}, {"/", "divide"},
};

static int index_of(const char *const *names, size_t n, const char *op) {
  for (size_t i = 0; i < n; i++)
    if (!strcmp(names[i], op)) return (int)i;
  return -1;
}

/* c[ad]{2,4}r */
static bool is_cxr(const char *op) {
  size_t n = strlen(op);
  if (n < 4 || n > 6 || op[0] != 'c' || op[n - 1] != 'r') return false;
  for (size_t i = 1; i + 1 < n; i++)
    if (op[i] != 'a' && op[i] != 'd') return false;
  return true;
}

static void note(ev_ctx *c, char what, const char *op, int pos, value got, int32_t len) {
  ev_note *n = ev_note_of(c);
  n->armed = 2;
  n->what = what;
  n->op = op;
  n->pos = pos;
  n->got = got;
  n->len = len;
}

void ev_note_kind(ev_ctx *c, const char *op, int i, value got) { note(c, 't', op, i + 1, got, 0); }

void ev_note_range(ev_ctx *c, const char *op, int i, value k, int32_t len) {
  note(c, 'r', op, i + 1, k, len);
}

void ev_note_div(ev_ctx *c, const char *op) { note(c, 'z', op, 0, v_nil(), 0); }

void ev_note_tail(ev_ctx *c, const char *op, value tail) { note(c, 'l', op, 1, tail, 0); }

void ev_note_apply(ev_ctx *c, value f) { note(c, 'a', NULL, 0, f, 0); }

void ev_note_unbound(ev_ctx *c, value name) { note(c, 'u', NULL, 0, name, 0); }

static value str(ev_ctx *c, const char *s) {
  return v_str(world_intern_string(ev_world(c), s, strlen(s)));
}

static value list(ev_ctx *c, srcloc loc, const value *v, int n) {
  value l = v_nil();
  for (int i = n - 1; i >= 0; i--) l = ev_cons(c, loc, v[i], l);
  return l;
}

/* (SUBR FORMAT ARGS DATA); subr NULL: #f. */
static value four(ev_ctx *c, srcloc loc, const char *subr, const char *fmt, value args,
                  value data) {
  value v[4] = {subr ? str(c, subr) : v_bool(false), str(c, fmt), args, data};
  return list(c, loc, v, 4);
}

/* The kind of the error (ev_fail's) each sort of note is made for. */
static bool kind_fits(char what, const char *kind) {
  const char *k = what == 'r' ? "bounds" : what == 'z' ? "division" : what == 'u' ? "unbound"
                                                                               : "type";
  return kind && !strcmp(kind, k);
}

bool ev_guile_args(ev_ctx *c, srcloc loc, value *args) {
  ev_note *n = ev_note_of(c);
  if (n->armed != 1) return false;
  n->armed = 0;
  if (!kind_fits(n->what, ev_error(c)->kind)) return false;
  const char *op = n->op ? n->op : "";
  value got = n->got, one = list(c, loc, &got, 1);
  char fmt[128];
  switch (n->what) {
  case 't':
    for (size_t i = 0; i < sizeof literal_pos / sizeof literal_pos[0]; i++)
      if (!strcmp(op, literal_pos[i].op) && n->pos == literal_pos[i].pos) {
        snprintf(fmt, sizeof fmt, "Wrong type argument in position %d (expecting %s): ~S",
                 n->pos, literal_pos[i].what);
        *args = four(c, loc, op, fmt, one, one);
        return true;
      }
    for (size_t i = 0; i < sizeof formatted_pos / sizeof formatted_pos[0]; i++)
      if (!strcmp(op, formatted_pos[i].op) && n->pos == formatted_pos[i].pos) {
        value a[3] = {v_int(n->pos), str(c, formatted_pos[i].what), got};
        *args = four(c, loc, op, "Wrong type argument in position ~A (expecting ~A): ~S",
                     list(c, loc, a, 3), one);
        return true;
      }
    if (is_cxr(op) || !strcmp(op, "string-append")) {
      value a[2] = {str(c, is_cxr(op) ? "pair" : "string"), got};
      *args = four(c, loc, op, "Wrong type (expecting ~A): ~S", list(c, loc, a, 2), one);
      return true;
    }
    if (!strcmp(op, "apply")) {
      *args = four(c, loc, op, "Apply to non-list: ~S", one, one);
      return true;
    }
    if ((!strcmp(op, "map") || !strcmp(op, "for-each")) && n->pos == 2) {
      *args = four(c, loc, op, "Not a list: ~S", one, v_bool(false));
      return true;
    }
    if ((!strcmp(op, "string-ref") && n->pos == 2) || (!strcmp(op, "make-vector") && n->pos == 1)) {
      value a[2] = {str(c, "exact integer"), got};
      *args = four(c, loc, NULL, "Wrong type (expecting ~A): ~S", list(c, loc, a, 2), one);
      return true;
    }
    {
      bool pw = index_of(pairwise, sizeof pairwise / sizeof pairwise[0], op) >= 0;
      if (!pw && index_of(plain_pos, sizeof plain_pos / sizeof plain_pos[0], op) < 0) break;
      /* = names position 1 whichever it is */
      int pos = !strcmp(op, "=") ? 1 : pw && n->pos > 1 ? 2 : n->pos;
      value a[2] = {v_int(pos), got};
      *args = four(c, loc, op, "Wrong type argument in position ~A: ~S", list(c, loc, a, 2), one);
      return true;
    }
  case 'r':
    if (!strcmp(op, "vector-ref") || !strcmp(op, "vector-set!")) {
      snprintf(fmt, sizeof fmt, "Argument %d out of range: ~S", n->pos);
      *args = four(c, loc, op, fmt, one, one);
      return true;
    }
    if (!strcmp(op, "list-ref")) {
      value a[2] = {v_int(n->pos), got};
      *args = four(c, loc, op, "Argument ~A out of range: ~S", list(c, loc, a, 2), one);
      return true;
    }
    if (!strcmp(op, "string-ref")) {
      if (n->len == 0) {
        *args = four(c, loc, NULL, "Value out of range: ~S", one, one);
      } else {
        value a[3] = {v_int(0), v_int(n->len - 1), got};
        *args = four(c, loc, NULL, "Value out of range ~S to< ~S: ~S", list(c, loc, a, 3), one);
      }
      return true;
    }
    break;
  case 'z': {
    int i = -1;
    for (size_t j = 0; j < sizeof div_names / sizeof div_names[0]; j++)
      if (!strcmp(op, div_names[j][0])) i = (int)j;
    if (i < 0) break;
    *args = four(c, loc, div_names[i][1], "Numerical overflow", v_bool(false), v_bool(false));
    return true;
  }
  case 'a':
    *args = four(c, loc, NULL, "Wrong type to apply: ~S", one, one);
    return true;
  case 'u':
    *args = four(c, loc, NULL, "Unbound variable: ~S", one, v_bool(false));
    return true;
  case 'l': {
    value a[3] = {v_int(1), str(c, "pair"), got};
    *args = four(c, loc, op, "Wrong type argument in position ~A (expecting ~A): ~S",
                 list(c, loc, a, 3), one);
    return true;
  }
  }
  return false;
}
