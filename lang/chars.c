/* chars.c - characters: their names in #\ literals, how `write` shows
 * them and the strings holding them (as GNU Guile 3 does), and the
 * Unicode classes and cases the character procedures use.
 *
 * Classes and cases come from the C library's C.UTF-8 locale, asked for
 * explicitly so that the user's locale never changes an answer; without
 * it only ASCII letters have cases and classes.
 */
#include "config.h"

#include "lang.h"

#include <locale.h>
#include <pthread.h>
#include <string.h>
#include <wctype.h>

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

static locale_t utf8_locale;
static pthread_once_t utf8_once = PTHREAD_ONCE_INIT;

static void open_locale(void) {
  utf8_locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
}

static locale_t loc(void) {
  pthread_once(&utf8_once, open_locale);
  return utf8_locale;
}

static bool ascii_alpha(int32_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool char_alphabetic(int32_t cp) {
  if (cp < 0x80 || !loc()) return ascii_alpha(cp);
  return iswalpha_l((wint_t)cp, loc()) != 0;
}

bool char_numeric(int32_t cp) { return cp >= '0' && cp <= '9'; }

/* Unicode's White_Space property (Guile's char-whitespace?). */
bool char_whitespace(int32_t cp) {
  return (cp >= 9 && cp <= 13) || cp == 32 || cp == 0x85 || cp == 0xA0 ||
         cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 ||
         cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

int32_t char_upcase(int32_t cp) {
  if (cp < 0x80 || !loc()) return cp >= 'a' && cp <= 'z' ? cp - 32 : cp;
  int32_t u = (int32_t)towupper_l((wint_t)cp, loc());
  return char_valid(u) ? u : cp;
}

int32_t char_downcase(int32_t cp) {
  if (cp < 0x80 || !loc()) return cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
  int32_t d = (int32_t)towlower_l((wint_t)cp, loc());
  return char_valid(d) ? d : cp;
}

/* Whether `write` shows the character itself: not a control, a space
 * other than #\space, a format character, or an unassigned one. */
static bool graphic(int32_t cp) {
  if (cp < 0x21 || (cp >= 0x7F && cp <= 0xA0) || cp == 0xAD) return false;
  if (cp < 0x7F) return true;
  if ((cp >= 0x200B && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202E) ||
      (cp >= 0x2060 && cp <= 0x2064) || cp == 0xFEFF || char_whitespace(cp))
    return false;
  if (!loc()) return true;
  return iswgraph_l((wint_t)cp, loc()) != 0;
}

/* ---- write ---------------------------------------------------------- */

void char_write(int32_t cp, strbuf *out) {
  sb_puts(out, "#\\");
  if (cp <= 32) sb_puts(out, ascii_names[cp]);
  else if (cp == 127) sb_puts(out, "delete");
  else if (graphic(cp)) utf8_put(out, cp);
  else sb_printf(out, "%o", (unsigned)cp);
}

static void str_char_write(int32_t cp, strbuf *out) {
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
  if (cp == ' ' || graphic(cp)) utf8_put(out, cp);
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

/* Whether `write` must show a symbol as #{...}#, as Guile does: empty,
 * ".", one that starts like a number, or one holding '#', white space, a
 * bracket, a brace, '"' or ';'. */
static bool sym_needs_braces(const char *s) {
  size_t n = strlen(s);
  if (n == 0 || !strcmp(s, ".") || !strcmp(s, "+i") || !strcmp(s, "-i"))
    return true;
  if ((s[0] >= '0' && s[0] <= '9') ||
      ((s[0] == '+' || s[0] == '-' || s[0] == '.') && s[1] >= '0' && s[1] <= '9'))
    return true;
  for (size_t i = 0; i < n; i++)
    if (strchr("#()[]{}\";", s[i]) || (unsigned char)s[i] <= ' ') return true;
  return false;
}

void sym_write(const char *s, strbuf *out) {
  if (!sym_needs_braces(s)) {
    sb_puts(out, s);
    return;
  }
  sb_puts(out, "#{");
  for (; *s; s++) {
    if (strchr("()[]{}", *s) || ((unsigned char)*s < ' '))
      sb_printf(out, "\\x%x;", (unsigned char)*s);
    else
      sb_putc(out, *s);
  }
  sb_puts(out, "}#");
}
