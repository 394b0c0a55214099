/* reader.c - the incremental reader.
 *
 * The reader is a byte-at-a-time state machine, so it never rescans: input
 * may arrive a line at a time from the REPL or all at once from a file, and
 * a megabyte-long line costs linear time.  Open lists live on an explicit
 * stack (depth-limited, so that later recursive passes cannot overflow the C
 * stack); each completed top-level datum is moved, with the arena holding
 * its nodes, to a queue of finished forms.
 */
#include "config.h"

#include "lang.h"
#include "bigint.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

enum { RD_MAX_DEPTH = 1000 };

typedef enum {
  FR_LIST,     /* ( or [ */
  FR_VEC,      /* #( */
  FR_QUOTE,    /* ' ` , or ,@ waiting for its datum (close: which) */
  FR_SKIP,     /* #; waiting for the datum to discard */
} frame_kind;

typedef struct {
  frame_kind kind;
  char close;          /* expected closing bracket for FR_LIST / FR_VEC;
                          FR_QUOTE: '\'' '`' ',' or '@' (for ,@) */
  srcloc loc;
  VEC(sx *) items;
  int dot;             /* FR_LIST: items before the dot of (a . b), or -1 */
} frame;

typedef enum {
  TK_NONE,
  TK_ATOM,           /* symbol, number or #-syntax */
  TK_STRING,
  TK_STRING_ESC,     /* after a backslash in a string */
  TK_STRING_HEX,     /* the digits of \xHH, \uHHHH or \UHHHHHH */
  TK_LINE_COMMENT,
  TK_BLOCK_COMMENT,  /* #| ... |#, nestable */
} tok_state;

struct reader {
  symtab *syms;
  src_registry *src;
  int file;
  int line, col;            /* position of the next byte */
  char prev;                /* previous byte, for #| |# and \r\n */
  bool line_start_hash_bang;

  VEC(frame) stack;
  int lists;                /* frames of the stack that are lists or vectors */
  tok_state tok;
  strbuf text;              /* bytes of the atom or string being read */
  srcloc tok_loc;
  int block_depth;
  char block_prev;
  int hex_left;             /* TK_STRING_HEX: digits still to come */
  int32_t hex_val;
  srcloc esc_loc;

  /* an unfinished UTF-8 sequence */
  unsigned char u8[4];
  int u8_have, u8_need;
  srcloc u8_loc;

  arena mem;                /* nodes of the form being read */
  VEC(rd_form) done;
  size_t done_head;

  bool after_comma;         /* the last byte was a ',' that may become ,@ */

  bool failed;
  bool skip_line;           /* after an error: drop bytes up to newline */
  char *err_msg;
  srcloc err_loc;
};

reader *rd_new(symtab *syms, src_registry *src, int file) {
  reader *r = xcalloc(1, sizeof *r);
  r->syms = syms;
  r->src = src;
  r->file = file;
  r->line = 1;
  r->col = 1;
  r->line_start_hash_bang = true;
  sb_init(&r->text);
  arena_init(&r->mem);
  return r;
}

static void clear_stack(reader *r) {
  for (int i = 0; i < r->stack.n; i++) VEC_FREE(r->stack.v[i].items);
  r->stack.n = 0;
  r->lists = 0;
}

void rd_free(reader *r) {
  if (!r) return;
  clear_stack(r);
  VEC_FREE(r->stack);
  sb_free(&r->text);
  arena_free(&r->mem);
  for (size_t i = r->done_head; i < (size_t)r->done.n; i++)
    arena_free(&r->done.v[i].mem);
  VEC_FREE(r->done);
  free(r->err_msg);
  free(r);
}

static srcloc here(const reader *r) {
  srcloc l = {r->file, r->line, r->col};
  return l;
}

static void fail(reader *r, srcloc loc, const char *fmt, ...)
    TVL_PRINTF(3, 4);
static void fail(reader *r, srcloc loc, const char *fmt, ...) {
  if (r->failed) return;
  strbuf b;
  sb_init(&b);
  va_list ap;
  va_start(ap, fmt);
  sb_vprintf(&b, fmt, ap);
  va_end(ap);
  free(r->err_msg);
  r->err_msg = sb_detach(&b);
  r->err_loc = loc;
  r->failed = true;
  r->skip_line = true;
}

static sx *new_node(reader *r, sx_kind k, srcloc loc) {
  sx *n = arena_alloc(&r->mem, sizeof *n);
  n->kind = k;
  n->loc = loc;
  return n;
}

/* The abbreviations, as Guile reads them: 'd `d ,d ,@d. */
static const char *quote_name(char c) {
  return c == '`' ? "quasiquote" : c == ',' ? "unquote"
       : c == '@' ? "unquote-splicing" : "quote";
}

static const char *quote_text(char c) {
  return c == '`' ? "`" : c == ',' ? "," : c == '@' ? ",@" : "'";
}

/* A datum is finished: give it to the innermost frame, or queue it. */
static void emit(reader *r, sx *d) {
  while (r->stack.n > 0) {
    frame *f = &r->stack.v[r->stack.n - 1];
    if (f->kind == FR_QUOTE) {
      const char *name = quote_name(f->close);
      sx *q = new_node(r, SX_LIST, f->loc);
      q->u.list.v = arena_alloc(&r->mem, 2 * sizeof(sx *));
      q->u.list.n = 2;
      q->u.list.v[0] = new_node(r, SX_SYM, f->loc);
      q->u.list.v[0]->u.sym = sym_intern(r->syms, name, strlen(name));
      q->u.list.v[1] = d;
      r->stack.n--;
      d = q;
      continue;
    }
    if (f->kind == FR_SKIP) {
      r->stack.n--;
      return;
    }
    if (f->dot >= 0 && f->items.n > f->dot) {
      fail(r, d->loc, "only one datum may follow the dot of a dotted list");
      return;
    }
    VEC_PUSH(f->items, d);
    return;
  }
  rd_form out = {d, r->mem};
  VEC_PUSH(r->done, out);
  arena_init(&r->mem);
}

static bool push_frame(reader *r, frame_kind k, char close, srcloc loc) {
  if (k <= FR_VEC && r->lists >= RD_MAX_DEPTH) {
    fail(r, loc, "forms nested deeper than %d levels", RD_MAX_DEPTH);
    return false;
  }
  frame f = {k, close, loc, {NULL, 0, 0}, -1};
  VEC_PUSH(r->stack, f);
  r->lists += k <= FR_VEC;
  return true;
}

static void close_frame(reader *r, char c, srcloc loc) {
  if (r->stack.n == 0) {
    fail(r, loc, "unexpected '%c': no list is open", c);
    return;
  }
  frame *f = &r->stack.v[r->stack.n - 1];
  if (f->kind == FR_QUOTE) {
    fail(r, loc, "unexpected '%c': %s must be followed by a datum", c,
         f->close == '\'' ? "a quote" : quote_text(f->close));
    return;
  }
  if (f->kind == FR_SKIP) {
    fail(r, loc, "unexpected '%c': #; must be followed by a datum", c);
    return;
  }
  if (f->close != c) {
    fail(r, loc, "'%c' does not match the '%s' opened at %d:%d", c,
         f->kind == FR_VEC ? "#(" : f->close == ')' ? "(" : "[", f->loc.line,
         f->loc.col);
    return;
  }
  if (f->dot >= 0 && f->items.n != f->dot + 1) {
    fail(r, loc, "a datum must follow the dot of a dotted list");
    return;
  }
  sx *d = new_node(r, f->kind == FR_VEC ? SX_VEC : SX_LIST, f->loc);
  d->u.list.n = f->items.n;
  if (f->dot >= 0) {
    d->u.list.tail = f->items.v[f->dot];
    f->items.n--;
    d->u.list.n--;
  }
  d->u.list.v = arena_alloc(&r->mem, (size_t)f->items.n * sizeof(sx *));
  if (f->items.n)
    memcpy(d->u.list.v, f->items.v, (size_t)f->items.n * sizeof(sx *));
  VEC_FREE(f->items);
  r->stack.n--;
  r->lists--;
  emit(r, d);
}

/* Parses digits in `base`; false when a character is not a digit of it or
 * the value leaves the 32-bit range (*overflow set). */
static bool parse_int(const char *s, size_t n, int base, int64_t *out,
                      bool *overflow) {
  *overflow = false;
  size_t i = 0;
  bool neg = false;
  if (i < n && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
  if (i == n) return false;
  int64_t v = 0;
  for (; i < n; i++) {
    int d;
    char c = s[i];
    if (c >= '0' && c <= '9') d = c - '0';
    else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
    else return false;
    if (d >= base) return false;
    if (v <= (int64_t)1 << 40) v = v * base + d;
    else *overflow = true;
  }
  v = neg ? -v : v;
  if (v < TVL_INT_MIN || v > TVL_INT_MAX) *overflow = true;
  *out = v;
  return true;
}

static bool looks_numeric(const char *s, size_t n) {
  size_t i = (n > 1 && (s[0] == '+' || s[0] == '-')) ? 1 : 0;
  return i < n && ((s[i] >= '0' && s[i] <= '9') ||
                   (s[i] == '.' && i + 1 < n && s[i + 1] >= '0' &&
                    s[i + 1] <= '9'));
}

/* An integer past 32 bits (--bignum): its text, made a value by the
 * expander (lang/bigint.c bn_literal). */
static void big_literal(reader *r, const char *s, size_t n, srcloc loc) {
  sx *d = new_node(r, SX_BIG, loc);
  d->u.str.s = arena_strndup(&r->mem, s, n);
  d->u.str.n = n;
  emit(r, d);
}

static void finish_hash_atom(reader *r, const char *s, size_t n, srcloc loc) {
  if ((n == 2 && s[1] == 't') || (n == 5 && !memcmp(s, "#true", 5)) ||
      (n == 2 && s[1] == 'f') || (n == 6 && !memcmp(s, "#false", 6))) {
    sx *d = new_node(r, SX_BOOL, loc);
    d->u.b = s[1] == 't';
    emit(r, d);
    return;
  }
  int base = 0;
  if (n > 2) {
    switch (s[1]) {
    case 'x': case 'X': base = 16; break;
    case 'b': case 'B': base = 2; break;
    case 'o': case 'O': base = 8; break;
    case 'd': case 'D': base = 10; break;
    default: break;
    }
  }
  if (base) {
    int64_t v;
    bool ovf;
    if (parse_int(s + 2, n - 2, base, &v, &ovf)) {
      if (ovf && bn_enabled()) {
        big_literal(r, s, n, loc);
        return;
      }
      if (ovf) {
        fail(r, loc, "integer %.*s is outside the 32-bit range of tvl",
             (int)n, s);
        return;
      }
      sx *d = new_node(r, SX_INT, loc);
      d->u.i = v;
      emit(r, d);
      return;
    }
  }
  if (n >= 3 && s[1] == ':') {
    /* a keyword: the symbol of that name, "#:" included (keyword? tests
     * the name); with-exception-handler's #:unwind?, define*'s #:key */
    sx *d = new_node(r, SX_SYM, loc);
    d->u.sym = sym_intern(r->syms, s, n);
    emit(r, d);
    return;
  }
  if (n >= 2 && s[1] == '\\') {
    int32_t cp = char_from_name(s + 2, n - 2);
    if (cp >= 0) {
      sx *d = new_node(r, SX_CHAR, loc);
      d->u.i = cp;
      emit(r, d);
    } else {
      fail(r, loc, "unknown character name '%.*s'", (int)(n > 40 ? 40 : n), s);
    }
  } else
    fail(r, loc, "unknown syntax '%.*s'", (int)(n > 40 ? 40 : n), s);
}

static void finish_atom(reader *r) {
  const char *s = r->text.s;
  size_t n = r->text.n;
  srcloc loc = r->tok_loc;
  r->tok = TK_NONE;
  if (s[0] == '#') {
    finish_hash_atom(r, s, n, loc);
    sb_clear(&r->text);
    return;
  }
  if (n == 1 && s[0] == '.') {
    frame *f = r->stack.n ? &r->stack.v[r->stack.n - 1] : NULL;
    if (!f || f->kind != FR_LIST || f->items.n == 0 || f->dot >= 0)
      fail(r, loc, "unexpected '.': a dot goes between the last two data "
                   "of a list, as in (1 . 2)");
    else
      f->dot = f->items.n;
  } else if (looks_numeric(s, n)) {
    int64_t v;
    bool ovf;
    if (parse_int(s, n, 10, &v, &ovf) && !ovf) {
      sx *d = new_node(r, SX_INT, loc);
      d->u.i = v;
      emit(r, d);
    } else if (parse_int(s, n, 10, &v, &ovf) && bn_enabled()) {
      big_literal(r, s, n, loc);
    } else if (parse_int(s, n, 10, &v, &ovf)) {
      fail(r, loc, "integer %.*s is outside the 32-bit range of tvl",
           (int)(n > 40 ? 40 : n), s);
    } else if (memchr(s, '.', n) || memchr(s, 'e', n) || memchr(s, '/', n)) {
      fail(r, loc, "only integers are supported, not '%.*s'",
           (int)(n > 40 ? 40 : n), s);
    } else {
      sx *d = new_node(r, SX_SYM, loc);
      d->u.sym = sym_intern(r->syms, s, n);
      emit(r, d);
    }
  } else {
    sx *d = new_node(r, SX_SYM, loc);
    d->u.sym = sym_intern(r->syms, s, n);
    emit(r, d);
  }
  sb_clear(&r->text);
}

static void finish_string(reader *r) {
  sx *d = new_node(r, SX_STR, r->tok_loc);
  d->u.str.s = arena_strndup(&r->mem, r->text.s ? r->text.s : "", r->text.n);
  d->u.str.n = r->text.n;
  r->tok = TK_NONE;
  sb_clear(&r->text);
  emit(r, d);
}

static bool is_delimiter(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
         c == '(' || c == ')' || c == '[' || c == ']' || c == '"' ||
         c == ';' || c == '\'';
}

/* One byte outside any token. */
static void start_byte(reader *r, unsigned char c, srcloc loc) {
  switch (c) {
  case ' ': case '\t': case '\n': case '\r': case '\f':
    return;
  case '(': case '[':
    push_frame(r, FR_LIST, c == '(' ? ')' : ']', loc);
    return;
  case ')': case ']':
    close_frame(r, (char)c, loc);
    return;
  case '"':
    r->tok = TK_STRING;
    r->tok_loc = loc;
    sb_clear(&r->text);
    return;
  case ';':
    r->tok = TK_LINE_COMMENT;
    return;
  case '\'': case '`': case ',':
    push_frame(r, FR_QUOTE, (char)c, loc);
    r->after_comma = c == ',';
    return;
  default:
    r->tok = TK_ATOM;
    r->tok_loc = loc;
    sb_clear(&r->text);
    sb_putc(&r->text, (char)c);
    return;
  }
}

/* '#' starts an atom; the byte after it may turn it into something else. */
static bool hash_dispatch(reader *r, unsigned char c, srcloc loc) {
  if (r->tok != TK_ATOM || r->text.n != 1 || r->text.s[0] != '#') return false;
  srcloc at = r->tok_loc;
  switch (c) {
  case '(':
    r->tok = TK_NONE;
    sb_clear(&r->text);
    push_frame(r, FR_VEC, ')', at);
    return true;
  case '|':
    r->tok = TK_BLOCK_COMMENT;
    r->tok_loc = at;   /* an unterminated comment is reported here */
    r->block_depth = 1;
    r->block_prev = 0;
    sb_clear(&r->text);
    return true;
  case ';':
    r->tok = TK_NONE;
    sb_clear(&r->text);
    push_frame(r, FR_SKIP, 0, at);
    return true;
  case '!':
    if (at.line == 1 && at.col == 1) {
      r->tok = TK_LINE_COMMENT;
      sb_clear(&r->text);
      return true;
    }
    return false;
  default:
    (void)loc;
    return false;
  }
}

/* A character of a string literal; NUL cannot be in one (interned
 * strings are C strings). */
static void string_put(reader *r, int32_t cp, srcloc loc) {
  if (cp == 0) {
    fail(r, loc, "a string literal cannot hold the character NUL; "
                 "(string (integer->char 0)) makes one");
    return;
  }
  utf8_put(&r->text, cp);
}

/* After a backslash: Guile's escapes. */
static void string_escape(reader *r, unsigned char c, srcloc loc) {
  static const char from[] = "ntr\\\"abvf0";
  static const char to[] = "\n\t\r\\\"\a\b\v\f";
  r->tok = TK_STRING;
  const char *p = c ? strchr(from, c) : NULL;
  if (p && c != '0') {
    sb_putc(&r->text, to[p - from]);
  } else if (c == '0') {
    string_put(r, 0, r->esc_loc);
  } else if (c == 'x' || c == 'u' || c == 'U') {
    r->tok = TK_STRING_HEX;
    r->hex_left = c == 'x' ? 2 : c == 'u' ? 4 : 6;
    r->hex_val = 0;
  } else if (c == '\n') {
    /* a line continuation: the line break goes, the next line's leading
     * blanks stay (Guile 3's default, hungry-eol-escapes off) */
  } else {
    fail(r, loc, "unknown string escape '\\%c'", c >= 0x20 && c < 0x7f ? c : '?');
  }
}

static void string_hex(reader *r, unsigned char c, srcloc loc) {
  int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
        : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
  if (d < 0) {
    fail(r, loc, "a hex digit must follow this string escape");
    return;
  }
  r->hex_val = r->hex_val * 16 + d;
  if (--r->hex_left > 0) return;
  r->tok = TK_STRING;
  if (!char_valid(r->hex_val))
    fail(r, r->esc_loc, "string escape: #x%x is not a Unicode character",
         (unsigned)r->hex_val);
  else
    string_put(r, r->hex_val, r->esc_loc);
}

static void consume_char(reader *r, unsigned char c, srcloc loc) {
  if (r->after_comma) {   /* ,@ is one token; ", @x" is (unquote @x) */
    r->after_comma = false;
    if (c == '@' && r->tok == TK_NONE && r->stack.n &&
        r->stack.v[r->stack.n - 1].kind == FR_QUOTE) {
      r->stack.v[r->stack.n - 1].close = '@';
      return;
    }
  }
  switch (r->tok) {
  case TK_LINE_COMMENT:
    if (c == '\n') r->tok = TK_NONE;
    return;
  case TK_BLOCK_COMMENT:
    if (r->block_prev == '|' && c == '#') {
      if (--r->block_depth == 0) r->tok = TK_NONE;
      r->block_prev = 0;
    } else if (r->block_prev == '#' && c == '|') {
      r->block_depth++;
      r->block_prev = 0;
    } else {
      r->block_prev = (char)c;
    }
    return;
  case TK_STRING:
    if (c == '"') finish_string(r);
    else if (c == '\\') r->tok = TK_STRING_ESC, r->esc_loc = loc;
    else sb_putc(&r->text, (char)c);
    return;
  case TK_STRING_ESC:
    string_escape(r, c, loc);
    return;
  case TK_STRING_HEX:
    string_hex(r, c, loc);
    return;
  case TK_ATOM:
    if (hash_dispatch(r, c, loc)) return;
    if (r->text.n == 2 && r->text.s[0] == '#' && r->text.s[1] == '\\') {
      sb_putc(&r->text, (char)c);   /* #\( #\space: the character itself */
      return;
    }
    if (is_delimiter(c)) {
      finish_atom(r);
      if (!r->failed) start_byte(r, c, loc);
      return;
    }
    sb_putc(&r->text, (char)c);
    return;
  case TK_NONE:
    start_byte(r, c, loc);
    return;
  }
}

/* Validates control bytes and UTF-8, then hands complete characters on. */
static void consume_byte(reader *r, unsigned char c) {
  srcloc loc = here(r);
  if (c == '\n') {
    r->line++;
    r->col = 1;
  } else {
    r->col++;
  }
  if (r->skip_line) {
    if (c == '\n') r->skip_line = false;
    return;
  }
  if (r->failed) return;
  if (r->u8_need) {
    r->u8[r->u8_have++] = c;
    if (r->u8_have < r->u8_need) return;
    int ok = utf8_seq_len(r->u8, (size_t)r->u8_have) == r->u8_need;
    int have = r->u8_have;
    r->u8_need = r->u8_have = 0;
    if (!ok) {
      fail(r, r->u8_loc, "invalid UTF-8 sequence (starts with byte 0x%02x)",
           r->u8[0]);
      return;
    }
    for (int i = 0; i < have && !r->failed; i++)
      consume_char(r, r->u8[i], r->u8_loc);
    return;
  }
  if (c >= 0x80) {
    int need = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3
             : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (!need) {
      fail(r, loc, "invalid UTF-8 byte 0x%02x", c);
      return;
    }
    r->u8[0] = c;
    r->u8_have = 1;
    r->u8_need = need;
    r->u8_loc = loc;
    return;
  }
  if (c == 0) {
    fail(r, loc, "NUL byte in the input");
    return;
  }
  bool in_text = r->tok == TK_STRING ||
                 r->tok == TK_LINE_COMMENT ||
                 r->tok == TK_BLOCK_COMMENT;
  if ((c < 0x20 && c != '\n' && c != '\t' && c != '\r' && c != '\f' &&
       !in_text) || c == 0x7f) {
    fail(r, loc, "unexpected control character 0x%02x", c);
    return;
  }
  consume_char(r, c, loc);
}

void rd_feed(reader *r, const char *bytes, size_t n) {
  src_append(r->src, r->file, bytes, n);
  for (size_t i = 0; i < n; i++) consume_byte(r, (unsigned char)bytes[i]);
}

void rd_skip_line(reader *r, const char *bytes, size_t n) {
  src_append(r->src, r->file, bytes, n);
  src_append(r->src, r->file, "\n", 1);
  r->line++;
  r->col = 1;
}

void rd_eof(reader *r) {
  if (r->failed) return;
  if (r->u8_need) {
    fail(r, r->u8_loc, "input ends inside a UTF-8 sequence");
    return;
  }
  switch (r->tok) {
  case TK_ATOM:
    finish_atom(r);
    break;
  case TK_STRING:
  case TK_STRING_ESC:
  case TK_STRING_HEX:
    fail(r, r->tok_loc, "this string is never closed (input ended)");
    return;
  case TK_BLOCK_COMMENT:
    fail(r, r->tok_loc, "this #| comment is never closed (input ended)");
    return;
  default:
    r->tok = TK_NONE;
    break;
  }
  if (r->failed || r->stack.n == 0) return;
  frame *f = &r->stack.v[r->stack.n - 1];
  if (f->kind == FR_QUOTE)
    fail(r, f->loc, "input ends after %s",
         f->close == '\'' ? "a quote" : quote_text(f->close));
  else if (f->kind == FR_SKIP)
    fail(r, f->loc, "input ends after #;");
  else
    fail(r, f->loc, "this '%s' is never closed (input ended)",
         f->kind == FR_VEC ? "#(" : f->close == ')' ? "(" : "[");
}

rd_status rd_status_of(const reader *r) {
  if (r->failed) return RD_ERROR;
  if (r->stack.n || r->u8_need || (r->tok != TK_NONE && r->tok != TK_LINE_COMMENT))
    return RD_PENDING;
  return RD_ROOT;
}

int rd_depth(const reader *r) {
  int d = r->lists;
  return d;
}

bool rd_has_form(const reader *r) { return r->done_head < (size_t)r->done.n; }

rd_form rd_take(reader *r) {
  rd_form f = r->done.v[r->done_head++];
  if (r->done_head == (size_t)r->done.n) r->done.n = 0, r->done_head = 0;
  return f;
}

const char *rd_error(const reader *r, srcloc *loc) {
  if (!r->failed) return NULL;
  if (loc) *loc = r->err_loc;
  return r->err_msg;
}

void rd_recover(reader *r) {
  clear_stack(r);
  r->tok = TK_NONE;
  r->u8_need = r->u8_have = 0;
  r->after_comma = false;
  sb_clear(&r->text);
  arena_free(&r->mem);
  arena_init(&r->mem);
  r->failed = false;
  free(r->err_msg);
  r->err_msg = NULL;
  /* skip_line stays set until the line that held the error ends; when the
   * error was found at a newline, nothing of the next line is dropped. */
  if (r->col == 1) r->skip_line = false;
}
