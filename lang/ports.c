/* ports.c - string ports in the reference evaluator, as Guile 3.0 has them
 * without a module: open-output-string and get-output-string,
 * call-with-output-string, with-output-to-string, open-input-string with
 * read-char, peek-char and char-ready?, the end-of-file object, the
 * predicates port?, input-port?, output-port?, eof-object?, and
 * current-output-port; display, write, newline, write-char and format
 * take a port (builtins.c, builtins-guile.c call port_arg).  Also
 * call-with-current-continuation (call/cc), whose escapes eval.c makes,
 * and symbol-append.
 *
 * A port is a TV_PORT heap object of one item.  An output string port's
 * is the list of the pieces written to it, newest first (each a string),
 * joined by get-output-string; an input port's, a pair of its string and
 * the index of the next character.  Compiled code holds the same object
 * as a vector of one element, loads it and writes it back
 * (lang/lower-ports.c).  The program's own output is one port made once
 * (console), outside the heap, of three items.
 * Changes are journaled like vectors', so that a failed form leaves its
 * ports as they were.
 *
 * Compiled code runs all of them (lang/lower-ports.c, port_compiled) but
 * current-output-port other than as the port of an output call or the
 * operand of a port predicate, for which the entries' last field is the
 * refusal's text.
 * symbol-append of quoted symbols (and string->symbol of a literal
 * string) is a constant symbol in compiled code (port_symbol_literal,
 * lang/lower.c); of other operands, a symbol made at run time
 * (lang/lower-symbols.c).
 *
 * Ownership: ports live in the world's heap, as vectors. */
#include "config.h"

#include "lang.h"

#include <string.h>

static value console_items[3];
static tvec console = {3, 0, -1, console_items, TV_PORT, NULL, NULL};
/* (current-error-port): the process's standard error, written at once */
static value errport_items[3];
static tvec errport = {3, 0, -1, errport_items, TV_PORT, NULL, NULL};

/* with-output-to-string's port while its thunk runs */
static _Thread_local tvec *current;
static _Thread_local srcloc current_loc;

tvec *port_current(void) { return current; }
void port_set_current(tvec *p) { current = p; }

static TVL_NORETURN void bad(ev_ctx *c, const ast *call, int i, const char *op,
                             const char *want, value got) {
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

/* an input port's one item is a pair whose cdr is an index; an output
 * port's, the list of its pieces */
static bool is_input(const tvec *p) {
  return p->n == 1 && p->items[0].kind == VK_PAIR && V_CDR(p->items[0]).kind == VK_INT;
}

static tvec *new_port(ev_ctx *c, srcloc loc, value item0) {
  tvec *t = world_new_obj(ev_world(c), TV_PORT, 1, v_void());
  if (!t) ev_heap_full(c, loc);
  t->items[0] = item0;
  return t;
}

static tvec *new_output(ev_ctx *c, srcloc loc) { return new_port(c, loc, v_nil()); }

void port_write(ev_ctx *c, srcloc loc, tvec *p, const char *s, size_t n) {
  world *w = ev_world(c);
  if (p == &errport) {
    fwrite(s, 1, n, stderr);
    return;
  }
  if (p == &console) {
    tvec *save = current;
    current = NULL;
    ev_output(c, s, n);
    current = save;
    return;
  }
  if (!n) return;
  int32_t len = 0;
  for (size_t i = 0; i < n; len++) (void)utf8_get(s, n, &i);
  tvec *piece = world_new_obj(w, TV_STR, len, v_char(0));
  if (!piece) ev_heap_full(c, loc);
  len = 0;
  for (size_t i = 0; i < n;) piece->items[len++] = v_char(utf8_get(s, n, &i));
  value l = ev_cons(c, loc, v_heapstr(piece), p->items[0]);
  world_save_vec(w, p);
  p->items[0] = l;
}

tvec *port_arg(ev_ctx *c, const ast *call, value *a, int n, int i,
               const char *op) {
  if (i >= n) return NULL;
  if (a[i].kind != VK_PORT || is_input(a[i].vec))
    bad(c, call, i, op, "an output port", a[i]);
  return a[i].vec == &console ? NULL : a[i].vec;
}

/* The text of an output port as a new string: its pieces, oldest first. */
static value port_text(ev_ctx *c, srcloc loc, tvec *p) {
  world *w = ev_world(c);
  int64_t len = 0;
  for (value l = p->items[0]; l.kind == VK_PAIR; l = V_CDR(l)) len += str_length(w, V_CAR(l));
  if (len > TVL_INT_MAX) ev_heap_full(c, loc);
  tvec *t = world_new_obj(w, TV_STR, (int32_t)len, v_char(0));
  if (!t) ev_heap_full(c, loc);
  int64_t end = len;
  for (value l = p->items[0]; l.kind == VK_PAIR; l = V_CDR(l)) {
    int32_t n = str_length(w, V_CAR(l));
    end -= n;
    for (int32_t i = 0; i < n; i++) t->items[end + i] = v_char(str_ref(w, V_CAR(l), i));
  }
  return v_heapstr(t);
}

static value bi_open_output_string(ev_ctx *c, const ast *call, value *a, int n) {
  (void)a, (void)n;
  value v = {VK_PORT, 0, new_output(c, call->loc)};
  return v;
}

static value bi_get_output_string(ev_ctx *c, const ast *call, value *a, int n) {
  (void)n;
  if (a[0].kind != VK_PORT || is_input(a[0].vec) || a[0].vec == &console ||
      a[0].vec == &errport)
    bad(c, call, 0, "get-output-string", "an output string port", a[0]);
  return port_text(c, call->loc, a[0].vec);
}

static value bi_call_with_output_string(ev_ctx *c, const ast *call, value *a,
                                        int n) {
  (void)n;
  value port = {VK_PORT, 0, new_output(c, call->loc)};
  ev_call_value(c, call, a[0], &port, 1);
  return port_text(c, call->loc, port.vec);
}

static value bi_with_output_to_string(ev_ctx *c, const ast *call, value *a,
                                      int n) {
  (void)n;
  tvec *p = new_output(c, call->loc);
  tvec *save = current;
  srcloc save_loc = current_loc;
  current = p;
  current_loc = call->loc;
  ev_call_value(c, call, a[0], NULL, 0);
  current = save;
  current_loc = save_loc;
  return port_text(c, call->loc, p);
}

/* ev_output's text while with-output-to-string runs */
bool port_redirect(ev_ctx *c, const char *s, size_t n) {
  if (!current) return false;
  port_write(c, current_loc, current, s, n);
  return true;
}

static value bi_open_input_string(ev_ctx *c, const ast *call, value *a, int n) {
  (void)n;
  value v = {VK_PORT, 0, NULL};
  value pr = ev_cons(c, call->loc, a[0], v_int(0));   /* (string . next index) */
  v.vec = new_port(c, call->loc, pr);
  return v;
}

static value eof_value(void) {
  value v = {VK_EOF, 0, NULL};
  return v;
}

static value read_or_peek(ev_ctx *c, const ast *call, value *a, bool take,
                          const char *op) {
  if (a[0].kind != VK_PORT || !is_input(a[0].vec))
    bad(c, call, 0, op, "an input port", a[0]);
  tvec *p = a[0].vec;
  world *w = ev_world(c);
  value pr = p->items[0], s = V_CAR(pr);
  int32_t at = V_CDR(pr).i;
  if (at >= str_length(w, s)) return eof_value();
  value ch = v_char(str_ref(w, s, at));
  if (take) {
    world_save_vec(w, pr.vec);
    V_CDR(pr) = v_int(at + 1);
  }
  return ch;
}

static value bi_read_char(ev_ctx *c, const ast *call, value *a, int n) {
  (void)n;
  return read_or_peek(c, call, a, true, "read-char");
}

static value bi_peek_char(ev_ctx *c, const ast *call, value *a, int n) {
  (void)n;
  return read_or_peek(c, call, a, false, "peek-char");
}

static value bi_char_ready(ev_ctx *c, const ast *call, value *a, int n) {
  (void)n;
  if (a[0].kind != VK_PORT || !is_input(a[0].vec))
    bad(c, call, 0, "char-ready?", "an input port", a[0]);
  return v_bool(true);
}

static value bi_is_port(ev_ctx *c, const ast *call, value *a, int n) {
  (void)c, (void)call, (void)n;
  return v_bool(a[0].kind == VK_PORT);
}

static value bi_is_input_port(ev_ctx *c, const ast *call, value *a, int n) {
  (void)c, (void)call, (void)n;
  return v_bool(a[0].kind == VK_PORT && is_input(a[0].vec));
}

static value bi_is_output_port(ev_ctx *c, const ast *call, value *a, int n) {
  (void)c, (void)call, (void)n;
  return v_bool(a[0].kind == VK_PORT && !is_input(a[0].vec));
}

static value bi_is_eof(ev_ctx *c, const ast *call, value *a, int n) {
  (void)c, (void)call, (void)n;
  return v_bool(a[0].kind == VK_EOF);
}

static value bi_current_output_port(ev_ctx *c, const ast *call, value *a, int n) {
  (void)c, (void)call, (void)a, (void)n;
  value v = {VK_PORT, 0, current ? current : &console};
  return v;
}

static value bi_current_error_port(ev_ctx *c, const ast *call, value *a, int n) {
  (void)c, (void)call, (void)a, (void)n;
  value v = {VK_PORT, 0, &errport};
  return v;
}

static value bi_call_cc(ev_ctx *c, const ast *call, value *a, int n) {
  (void)n;
  return ev_call_cc(c, call, a[0]);
}

static value bi_symbol_append(ev_ctx *c, const ast *call, value *a, int n) {
  (void)call;
  world *w = ev_world(c);
  strbuf b;
  sb_init(&b);
  for (int i = 0; i < n; i++) sb_puts(&b, sym_name(&w->syms, a[i].i));
  int id = sym_intern(&w->syms, b.s ? b.s : "", b.n);
  sb_free(&b);
  return v_sym(id);
}

bool port_argument(const ast *call) {
  const char *name = call->u.call.r.bi->name;
  int n = call->u.call.n;
  if (!strcmp(name, "newline")) return n > 0;
  return n > 1 && (!strcmp(name, "display") || !strcmp(name, "write") ||
                   !strcmp(name, "write-char"));
}

bool port_symbol_literal(world *w, const ast *call, int *sym) {
  if (call->kind != E_CALL || call->u.call.r.kind != REF_BUILTIN) return false;
  const char *name = call->u.call.r.bi->name;
  int n = call->u.call.n;
  if (!strcmp(name, "symbol-append")) {   /* of quoted symbols */
    for (int i = 0; i < n; i++)
      if (call->u.call.args[i]->kind != E_CONST ||
          call->u.call.args[i]->u.k.kind != VK_SYM)
        return false;
    if (sym) {
      strbuf b;
      sb_init(&b);
      for (int i = 0; i < n; i++)
        sb_puts(&b, sym_name(&w->syms, call->u.call.args[i]->u.k.i));
      *sym = sym_intern(&w->syms, b.s ? b.s : "", b.n);
      sb_free(&b);
    }
    return true;
  }
  if (strcmp(name, "string->symbol") || n != 1) return false;
  const ast *x = call->u.call.args[0];
  if (x->kind != E_CONST || x->u.k.kind != VK_STR || x->u.k.vec) return false;
  if (sym) {
    const char *s = world_string(w, x->u.k.i);
    *sym = sym_intern(&w->syms, s, strlen(s));
  }
  return true;
}

/* How value_print shows a port and the end-of-file object. */
void port_print(value v, strbuf *out) {
  if (v.kind == VK_EOF) {
    sb_puts(out, "#<eof>");
  } else if (v.vec == &console) {
    sb_puts(out, "#<output: file 1>");
  } else if (v.vec == &errport) {
    sb_puts(out, "#<output: file 2>");
  } else {
    sb_printf(out, "#<%s: string %lld>", is_input(v.vec) ? "input" : "output",
              (long long)v.vec->id);
  }
}

#define PORTS "string ports"
#define CC NULL   /* compiled: lang/lower-callcc.c */

const builtin port_builtins[] = {
  {"call-with-current-continuation", 1, 1, AK_PROC, NULL, -1, bi_call_cc, "call a procedure with the current continuation, a procedure that returns its arguments from this call while it runs (escapes only)", CC},
  {"call/cc", 1, 1, AK_PROC, NULL, -1, bi_call_cc, "call-with-current-continuation", CC},
  {"open-output-string", 0, 0, AK_ANY, NULL, VK_PORT, bi_open_output_string, "new output port that collects text in a string", PORTS},
  {"get-output-string", 1, 1, AK_ANY, NULL, VK_STR, bi_get_output_string, "new string of the text written to an output string port", PORTS},
  {"call-with-output-string", 1, 1, AK_PROC, NULL, VK_STR, bi_call_with_output_string, "call a procedure with a new output string port; the text written to it", PORTS},
  {"with-output-to-string", 1, 1, AK_PROC, NULL, VK_STR, bi_with_output_to_string, "call a procedure of no arguments with its output collected; that text", PORTS},
  {"open-input-string", 1, 1, AK_STR, NULL, VK_PORT, bi_open_input_string, "new input port that reads the characters of a string", PORTS},
  {"read-char", 1, 1, AK_ANY, NULL, -1, bi_read_char, "the next character of an input port, taken, or the end-of-file object", PORTS},
  {"peek-char", 1, 1, AK_ANY, NULL, -1, bi_peek_char, "the next character of an input port, left there, or the end-of-file object", PORTS},
  {"char-ready?", 1, 1, AK_ANY, NULL, VK_BOOL, bi_char_ready, "whether a character can be read without waiting (#t for a string port)", PORTS},
  {"eof-object?", 1, 1, AK_ANY, NULL, VK_BOOL, bi_is_eof, "is the end-of-file object", PORTS},
  {"port?", 1, 1, AK_ANY, NULL, VK_BOOL, bi_is_port, "is a port", PORTS},
  {"input-port?", 1, 1, AK_ANY, NULL, VK_BOOL, bi_is_input_port, "is an input port", PORTS},
  {"output-port?", 1, 1, AK_ANY, NULL, VK_BOOL, bi_is_output_port, "is an output port", PORTS},
  {"current-output-port", 0, 0, AK_ANY, NULL, VK_PORT, bi_current_output_port, "the port output goes to (a string port inside with-output-to-string)",
   "values of (current-output-port) other than the port of an output call"},
  {"current-error-port", 0, 0, AK_ANY, NULL, VK_PORT, bi_current_error_port, "the port of the standard error: output to it is written at once",
   "values of (current-error-port) other than the port of an output call"},
  {"symbol-append", 0, -1, AK_SYM, NULL, VK_SYM, bi_symbol_append, "the symbol whose name is the names joined", NULL},
};

const int port_builtins_n = (int)(sizeof port_builtins / sizeof port_builtins[0]);
