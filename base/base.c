/* base.c - arenas, string buffers, the source registry and diagnostics. */
#include "config.h"

#include "base.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ---- memory --------------------------------------------------------- */

static TVL_NORETURN void out_of_memory(size_t n) {
  fprintf(stderr, "tvl: out of memory (asked for %zu bytes)\n", n);
  abort();
}

void *xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) out_of_memory(n);
  return p;
}

void *xcalloc(size_t n, size_t size) {
  void *p = calloc(n ? n : 1, size ? size : 1);
  if (!p) out_of_memory(n * size);
  return p;
}

void *xrealloc(void *p, size_t n) {
  void *q = realloc(p, n ? n : 1);
  if (!q) out_of_memory(n);
  return q;
}

char *xstrdup(const char *s) {
  size_t n = strlen(s) + 1;
  char *d = xmalloc(n);
  memcpy(d, s, n);
  return d;
}

struct arena_chunk {
  arena_chunk *next;
  size_t used, cap;
  _Alignas(16) unsigned char data[];
};

void arena_init(arena *a) {
  a->head = NULL;
  a->total = 0;
}

void *arena_alloc(arena *a, size_t n) {
  n = (n + 15) & ~(size_t)15;
  arena_chunk *c = a->head;
  if (!c || c->cap - c->used < n) {
    size_t cap = n > 32768 ? n : 32768;
    c = xmalloc(sizeof *c + cap);
    c->next = a->head;
    c->used = 0;
    c->cap = cap;
    a->head = c;
  }
  void *p = c->data + c->used;
  c->used += n;
  a->total += n;
  memset(p, 0, n);
  return p;
}

char *arena_strndup(arena *a, const char *s, size_t n) {
  char *d = arena_alloc(a, n + 1);
  memcpy(d, s, n);
  d[n] = 0;
  return d;
}

char *arena_strdup(arena *a, const char *s) {
  return arena_strndup(a, s, strlen(s));
}

void arena_free(arena *a) {
  arena_chunk *c = a->head;
  while (c) {
    arena_chunk *n = c->next;
    free(c);
    c = n;
  }
  a->head = NULL;
  a->total = 0;
}

/* ---- strings -------------------------------------------------------- */

void sb_init(strbuf *b) {
  b->s = NULL;
  b->n = b->cap = 0;
}

static void sb_grow(strbuf *b, size_t extra) {
  if (b->n + extra + 1 <= b->cap) return;
  size_t cap = b->cap ? b->cap : 64;
  while (cap < b->n + extra + 1) cap *= 2;
  b->s = xrealloc(b->s, cap);
  b->cap = cap;
}

void sb_putc(strbuf *b, char c) {
  sb_grow(b, 1);
  b->s[b->n++] = c;
  b->s[b->n] = 0;
}

void sb_putn(strbuf *b, const char *s, size_t n) {
  sb_grow(b, n);
  memcpy(b->s + b->n, s, n);
  b->n += n;
  b->s[b->n] = 0;
}

void sb_puts(strbuf *b, const char *s) { sb_putn(b, s, strlen(s)); }

void sb_vprintf(strbuf *b, const char *fmt, va_list ap) {
  va_list ap2;
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap2);
  va_end(ap2);
  if (n < 0) return;
  sb_grow(b, (size_t)n);
  vsnprintf(b->s + b->n, (size_t)n + 1, fmt, ap);
  b->n += (size_t)n;
}

void sb_printf(strbuf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  sb_vprintf(b, fmt, ap);
  va_end(ap);
}

void sb_clear(strbuf *b) {
  b->n = 0;
  if (b->s) b->s[0] = 0;
}

char *sb_detach(strbuf *b) {
  char *s = b->s ? b->s : xstrdup("");
  sb_init(b);
  return s;
}

bool sb_read_stream(strbuf *b, FILE *f) {
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) sb_putn(b, buf, n);
  return !ferror(f);
}

char *read_whole_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  strbuf b;
  sb_init(&b);
  bool ok = sb_read_stream(&b, f);
  int err = errno;
  fclose(f);
  if (!ok) {
    sb_free(&b);
    errno = err;
    return NULL;
  }
  return sb_detach(&b);
}

void sb_free(strbuf *b) {
  free(b->s);
  sb_init(b);
}

int utf8_seq_len(const unsigned char *s, size_t n) {
  if (n == 0) return 0;
  unsigned c = s[0];
  if (c < 0x80) return 1;
  int len;
  unsigned min;
  if ((c & 0xE0) == 0xC0) { len = 2; min = 0x80; c &= 0x1F; }
  else if ((c & 0xF0) == 0xE0) { len = 3; min = 0x800; c &= 0x0F; }
  else if ((c & 0xF8) == 0xF0) { len = 4; min = 0x10000; c &= 0x07; }
  else return 0;
  if ((size_t)len > n) return 0;
  for (int i = 1; i < len; i++) {
    if ((s[i] & 0xC0) != 0x80) return 0;
    c = (c << 6) | (s[i] & 0x3F);
  }
  if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return 0;
  return len;
}

/* ---- source registry ------------------------------------------------ */

void src_init(src_registry *r) {
  r->files.v = NULL;
  r->files.n = r->files.cap = 0;
}

void src_free(src_registry *r) {
  for (int i = 0; i < r->files.n; i++) {
    src_file *f = r->files.v[i];
    free(f->name);
    sb_free(&f->text);
    VEC_FREE(f->line_start);
    free(f);
  }
  VEC_FREE(r->files);
}

int src_add(src_registry *r, const char *name) {
  src_file *f = xcalloc(1, sizeof *f);
  f->name = xstrdup(name);
  sb_init(&f->text);
  VEC_PUSH(f->line_start, (size_t)0);
  VEC_PUSH(r->files, f);
  return r->files.n - 1;
}

void src_append(src_registry *r, int file, const char *s, size_t n) {
  src_file *f = r->files.v[file];
  size_t base = f->text.n;
  sb_putn(&f->text, s, n);
  for (size_t i = 0; i < n; i++)
    if (s[i] == '\n') VEC_PUSH(f->line_start, base + i + 1);
}

const char *src_name(const src_registry *r, int file) {
  if (file < 0 || file >= r->files.n) return "<input>";
  return r->files.v[file]->name;
}

const char *src_line(const src_registry *r, int file, int line, size_t *len) {
  *len = 0;
  if (file < 0 || file >= r->files.n) return NULL;
  const src_file *f = r->files.v[file];
  if (line < 1 || line > f->line_start.n) return NULL;
  size_t start = f->line_start.v[line - 1];
  if (start > f->text.n) return NULL;
  const char *p = f->text.s ? f->text.s + start : "";
  size_t end = start;
  while (end < f->text.n && f->text.s[end] != '\n') end++;
  *len = end - start;
  if (*len && p[*len - 1] == '\r') (*len)--;
  return p;
}

/* ---- diagnostics ---------------------------------------------------- */

enum { DIAG_WINDOW = 100 };

/* Appends one byte of a quoted source line, escaping what a terminal would
 * misread; returns how many display columns it took. */
static int put_visible(strbuf *out, const unsigned char *p, size_t avail,
                       size_t *consumed) {
  int ulen = utf8_seq_len(p, avail);
  if (p[0] == '\t') {
    sb_putc(out, ' ');
    *consumed = 1;
    return 1;
  }
  if (ulen == 1 && p[0] >= 0x20 && p[0] < 0x7f) {
    sb_putc(out, (char)p[0]);
    *consumed = 1;
    return 1;
  }
  if (ulen > 1) {
    sb_putn(out, (const char *)p, (size_t)ulen);
    *consumed = (size_t)ulen;
    return 1;
  }
  sb_printf(out, "\\x%02x", p[0]);
  *consumed = 1;
  return 4;
}

void diag_format(strbuf *out, const src_registry *r, srcloc loc,
                 const char *severity, const char *msg) {
  if (loc.line > 0)
    sb_printf(out, "%s:%d:%d: %s: %s\n", src_name(r, loc.file), loc.line,
              loc.col, severity, msg);
  else
    sb_printf(out, "%s: %s: %s\n", src_name(r, loc.file), severity, msg);
  size_t len;
  const char *line = loc.line > 0 ? src_line(r, loc.file, loc.line, &len) : NULL;
  if (!line) return;
  size_t col = loc.col > 0 ? (size_t)loc.col - 1 : 0;
  if (col > len) col = len;
  size_t from = 0, to = len;
  if (len > DIAG_WINDOW) {
    from = col > DIAG_WINDOW / 2 ? col - DIAG_WINDOW / 2 : 0;
    to = from + DIAG_WINDOW < len ? from + DIAG_WINDOW : len;
  }
  sb_puts(out, "  ");
  int caret = 0, width = 0;
  if (from > 0) {
    sb_puts(out, "...");
    width = 3;
  }
  size_t i = from;
  while (i < to) {
    if (i == col) caret = width;
    size_t used;
    width += put_visible(out, (const unsigned char *)line + i, len - i, &used);
    i += used;
  }
  if (col >= to) caret = width;
  if (to < len) sb_puts(out, "...");
  sb_puts(out, "\n  ");
  for (int k = 0; k < caret; k++) sb_putc(out, ' ');
  sb_puts(out, "^\n");
}

/* ---- did you mean ---------------------------------------------------- */

void near_init(near_word *n, const char *word) {
  n->word = word;
  n->best = NULL;
  /* one typo in a short word, two in a longer one, three in a long one;
   * names of one or two letters are too short to guess */
  size_t len = strlen(word);
  n->dist = len <= 2 ? 0 : len <= 5 ? 2 : len <= 9 ? 3 : 4;   /* must beat */
}

enum { NEAR_MAX = 48 };

/* Optimal string alignment distance, or `cap` once it cannot be less. */
static int osa_distance(const char *a, const char *b, int cap) {
  int la = (int)strlen(a), lb = (int)strlen(b);
  if (la > NEAR_MAX || lb > NEAR_MAX || abs(la - lb) >= cap) return cap;
  int d[NEAR_MAX + 1][NEAR_MAX + 1];
  for (int i = 0; i <= la; i++) d[i][0] = i;
  for (int j = 0; j <= lb; j++) d[0][j] = j;
  for (int i = 1; i <= la; i++)
    for (int j = 1; j <= lb; j++) {
      int cost = a[i - 1] != b[j - 1];
      int v = d[i - 1][j] + 1;
      if (d[i][j - 1] + 1 < v) v = d[i][j - 1] + 1;
      if (d[i - 1][j - 1] + cost < v) v = d[i - 1][j - 1] + cost;
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
          d[i - 2][j - 2] + 1 < v)
        v = d[i - 2][j - 2] + 1;
      d[i][j] = v;
    }
  return d[la][lb] < cap ? d[la][lb] : cap;
}

void near_try(near_word *n, const char *candidate) {
  if (!candidate || !strcmp(candidate, n->word)) return;
  int d = osa_distance(n->word, candidate, n->dist);
  if (d < n->dist) {
    n->dist = d;
    n->best = candidate;
  }
}
