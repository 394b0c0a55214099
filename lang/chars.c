/* chars.c - characters: their names in #\ literals, how `write` shows
 * them and the strings holding them (as GNU Guile 3 does), and the
 * Unicode classes and cases the character procedures use.
 *
 * Classes, cases and which characters `write` shows come from tables
 * generated from GNU Guile 3 by tools/unicode-tables.scm (exact for every
 * code point; tests/unicode-tables.sh regenerates and compares them), so
 * neither the C library nor the user's locale changes an answer.
 */
#include "config.h"

#include "lang.h"

#include <string.h>

/* Guile's names: the control characters by their ASCII abbreviations
 * (alarm, backspace, tab, newline, vtab, page, return, esc for those R7RS
 * or Guile prefers), space and delete. */
static const char *const ascii_names[33] = {
  "nul", "soh", "stx", "etx", "eot", "enq", "ack", "alarm", "backspace",
  "tab", "newline", "vtab", "page", "return", "so", "si", "dle", "dc1",
  "dc2", "dc3", "dc4", "nak", "syn", "etb", "can", "em", "sub", "esc",
  "fs", "gs", "rs", "us", "space"};

/* Other names the reader accepts (R7RS and Guile aliases). */
static const struct { const char *name; int32_t cp; } aliases[] = {
  {"delete", 127}, {"del", 127}, {"null", 0}, {"escape", 27},
  {"linefeed", 10}, {"nl", 10}, {"bel", 7}, {"bs", 8}, {"ht", 9},
  {"vt", 11}, {"np", 12}, {"ff", 12}, {"cr", 13}, {"sp", 32},
  {"rubout", 127}, {"altmode", 27},
};

bool char_valid(int64_t cp) {
  return cp >= 0 && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
}

static int64_t digits(const char *s, size_t n, int base) {
  if (n == 0 || n > 8) return -1;
  int64_t v = 0;
  for (size_t i = 0; i < n; i++) {
    int d;
    char c = s[i];
    if (c >= '0' && c <= '9') d = c - '0';
    else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
    else return -1;
    if (d >= base) return -1;
    v = v * base + d;
  }
  return v;
}

int32_t char_from_name(const char *s, size_t n) {
  if (n == 0) return -1;
  size_t i = 0;
  int32_t cp = utf8_get(s, n, &i);
  if (i == n) return cp;   /* one character */
  for (int k = 0; k < 33; k++)
    if (strlen(ascii_names[k]) == n && !memcmp(ascii_names[k], s, n)) return k;
  for (size_t k = 0; k < sizeof aliases / sizeof aliases[0]; k++)
    if (strlen(aliases[k].name) == n && !memcmp(aliases[k].name, s, n))
      return aliases[k].cp;
  int64_t v = -1;
  if (s[0] == 'x' || s[0] == 'U' || s[0] == 'u') v = digits(s + 1, n - 1, 16);
  else v = digits(s, n, 8);
  return char_valid(v) ? (int32_t)v : -1;
}

/* ---- classes and cases ---------------------------------------------- */

#include "unicode-tables.h"

/* Whether cp lies in one of the n sorted ranges r. */
static bool in_ranges(const int32_t (*r)[2], size_t n, int32_t cp) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (cp < r[mid][0]) hi = mid;
    else if (cp > r[mid][1]) lo = mid + 1;
    else return true;
  }
  return false;
}

/* cp's image under the n sorted [from, to] pairs m (itself if none). */
static int32_t mapped(const int32_t (*m)[2], size_t n, int32_t cp) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (cp < m[mid][0]) hi = mid;
    else if (cp > m[mid][0]) lo = mid + 1;
    else return m[mid][1];
  }
  return cp;
}

#define IN(table, cp) in_ranges(table, sizeof table / sizeof table[0], cp)
#define MAP(table, cp) mapped(table, sizeof table / sizeof table[0], cp)

bool char_alphabetic(int32_t cp) { return IN(uc_alphabetic, cp); }
bool char_numeric(int32_t cp) { return IN(uc_numeric, cp); }
bool char_whitespace(int32_t cp) { return IN(uc_whitespace, cp); }
bool char_upper_case(int32_t cp) { return IN(uc_upper, cp); }
bool char_lower_case(int32_t cp) { return IN(uc_lower, cp); }
int32_t char_upcase(int32_t cp) { return MAP(uc_upcase, cp); }
int32_t char_downcase(int32_t cp) { return MAP(uc_downcase, cp); }

int char_table(int which, const int32_t (**rows)[2]) {
#define TAB(t) (*rows = t, (int)(sizeof t / sizeof t[0]))
  switch (which) {
  case UC_ALPHA: return TAB(uc_alphabetic);
  case UC_NUMERIC: return TAB(uc_numeric);
  case UC_WHITE: return TAB(uc_whitespace);
  case UC_UPPER: return TAB(uc_upper);
  case UC_LOWER: return TAB(uc_lower);
  case UC_UPCASE: return TAB(uc_upcase);
  case UC_DOWNCASE: return TAB(uc_downcase);
  default: *rows = NULL; return 0;
  }
#undef TAB
}

/* What char-ci=? compares (Guile: the upper case) and what string-ci=?
 * compares each character by (Guile: the lower case of the upper case,
 * so that the micro sign and mu match); tools/unicode-tables.scm checks
 * both against Guile for every character. */
int32_t char_ci_key(int32_t cp) { return char_upcase(cp); }
int32_t string_ci_key(int32_t cp) { return char_downcase(char_upcase(cp)); }

/* ---- write ---------------------------------------------------------- */

void char_write(int32_t cp, strbuf *out) {
  sb_puts(out, "#\\");
  if (cp <= 32) sb_puts(out, ascii_names[cp]);
  else if (cp == 127) sb_puts(out, "delete");
  else if (IN(uc_write_shown, cp)) {
    /* a combining mark after a dotted circle, to be seen, as in Guile */
    if (IN(uc_write_circle, cp)) utf8_put(out, 0x25CC);
    utf8_put(out, cp);
  } else {
    sb_printf(out, "%o", (unsigned)cp);
  }
}

void str_char_write(int32_t cp, strbuf *out) {
  switch (cp) {
  case '"': sb_puts(out, "\\\""); return;
  case '\\': sb_puts(out, "\\\\"); return;
  case '\n': sb_puts(out, "\\n"); return;
  case '\t': sb_puts(out, "\\t"); return;
  case '\r': sb_puts(out, "\\r"); return;
  case 7: sb_puts(out, "\\a"); return;
  case 8: sb_puts(out, "\\b"); return;
  case 11: sb_puts(out, "\\v"); return;
  case 12: sb_puts(out, "\\f"); return;
  default: break;
  }
  if (IN(uc_string_shown, cp)) utf8_put(out, cp);
  else if (cp <= 0xFF) sb_printf(out, "\\x%02x", (unsigned)cp);
  else if (cp <= 0xFFFF) sb_printf(out, "\\u%04x", (unsigned)cp);
  else sb_printf(out, "\\U%06x", (unsigned)cp);
}

void str_write(const world *w, value s, strbuf *out) {
  sb_putc(out, '"');
  int32_t n = str_length(w, s);
  for (int32_t i = 0; i < n; i++) str_char_write(str_ref(w, s, i), out);
  sb_putc(out, '"');
}

/* A character that `write` shows as \xHH; inside #{...}#, as Guile
 * does: the controls, and what a string shows escaped but white space
 * (format characters, the line and paragraph separators); and the
 * brackets and braces, which would end the name when read back. */
bool sym_char_escaped(int32_t cp) {
  if (cp < 0x80) return cp < ' ' || cp == 0x7f || strchr("()[]{}", (int)cp);
  if (cp <= 0x9f || cp == 0x2028 || cp == 0x2029) return true;   /* C1, Zl, Zp */
  return !IN(uc_string_shown, cp) && !char_whitespace(cp);         /* not Zs */
}

/* Whether `write` must show a symbol as #{...}#, as Guile does: empty,
 * ".", one that starts like a number ([+-]?.?digit), or with a quote,
 * quasiquote or comma, or one holding '#', white space, a bracket, a
 * brace, '"', ';' or a character shown escaped. */
/* Does s hold, from byte `from` on, a character that cannot stand bare in
 * a symbol? */
static bool sym_has_unreadable(const char *s, size_t n, size_t from) {
  for (size_t i = from; i < n;) {
    if (strchr("#()[]{}\";", s[i])) return true;
    int32_t cp = utf8_get(s, n, &i);
    if (cp <= ' ' || sym_char_escaped(cp) || char_whitespace(cp)) return true;
  }
  return false;
}

static bool sym_needs_braces(const char *s) {
  size_t n = strlen(s);
  if (n == 0 || !strcmp(s, ".") || !strcmp(s, "+i") || !strcmp(s, "-i"))
    return true;
  const char *d = s + (s[0] == '+' || s[0] == '-');
  if (d[0] == '.') d++;
  if (d[0] >= '0' && d[0] <= '9') return true;
  if (strchr("'`,", s[0])) return true;
  return sym_has_unreadable(s, n, 0);
}

void sym_write(const char *s, strbuf *out) {
  /* a keyword (#:name, lang/expand-keywords.c) is written #:name, as
   * Guile writes it */
  if (!sym_needs_braces(s) ||
      (s[0] == '#' && s[1] == ':' && s[2] && !sym_has_unreadable(s, strlen(s), 2))) {
    sb_puts(out, s);
    return;
  }
  sb_puts(out, "#{");
  size_t n = strlen(s);
  for (size_t i = 0; i < n;) {
    int32_t cp = utf8_get(s, n, &i);
    if (sym_char_escaped(cp)) sb_printf(out, "\\x%x;", (unsigned)cp);
    else utf8_put(out, cp);
  }
  sb_puts(out, "}#");
}
