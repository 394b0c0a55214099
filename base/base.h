/* base.h - the bottom layer: arenas, growable buffers, source text and
 * diagnostics.  Every other layer includes this header and nothing below it.
 *
 * Ownership: an arena owns every block allocated from it; arena_free()
 * releases them all at once, and nothing allocated from an arena is ever
 * freed on its own.  A strbuf owns its bytes until sb_free() or
 * sb_detach().  A src_registry owns copies of every source text it was
 * given; diagnostics only point into it.
 */
#ifndef TVL_BASE_H
#define TVL_BASE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#if defined(__GNUC__)
#define TVL_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define TVL_NORETURN __attribute__((noreturn))
#else
#define TVL_PRINTF(a, b)
#define TVL_NORETURN
#endif

/* ---- memory --------------------------------------------------------- */

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

typedef struct arena_chunk arena_chunk;
typedef struct {
  arena_chunk *head;
  size_t total;
} arena;

void arena_init(arena *a);
void *arena_alloc(arena *a, size_t n);     /* zeroed, 16-byte aligned */
char *arena_strdup(arena *a, const char *s);
char *arena_strndup(arena *a, const char *s, size_t n);
void arena_free(arena *a);

/* A growable array of T: struct { T *v; int n, cap; }.  VEC_PUSH grows by
 * doubling with xrealloc; VEC_FREE releases the storage. */
#define VEC(...) struct { __VA_ARGS__ *v; int n, cap; }
#define VEC_RESERVE(vec, want)                                              \
  do {                                                                      \
    if ((want) > (vec).cap) {                                               \
      int nc_ = (vec).cap ? (vec).cap : 8;                                  \
      while (nc_ < (want)) nc_ *= 2;                                        \
      (vec).v = xrealloc((vec).v, (size_t)nc_ * sizeof *(vec).v);           \
      (vec).cap = nc_;                                                      \
    }                                                                       \
  } while (0)
#define VEC_PUSH(vec, x)                                                    \
  do {                                                                      \
    VEC_RESERVE(vec, (vec).n + 1);                                          \
    (vec).v[(vec).n++] = (x);                                               \
  } while (0)
#define VEC_FREE(vec)                                                       \
  do {                                                                      \
    free((vec).v);                                                          \
    (vec).v = NULL;                                                         \
    (vec).n = (vec).cap = 0;                                                \
  } while (0)

typedef VEC(int) int_vec;

/* ---- strings -------------------------------------------------------- */

typedef struct {
  char *s;
  size_t n, cap;
} strbuf;

void sb_init(strbuf *b);
void sb_putc(strbuf *b, char c);
void sb_putn(strbuf *b, const char *s, size_t n);
void sb_puts(strbuf *b, const char *s);
void sb_printf(strbuf *b, const char *fmt, ...) TVL_PRINTF(2, 3);
void sb_vprintf(strbuf *b, const char *fmt, va_list ap);
void sb_clear(strbuf *b);
char *sb_detach(strbuf *b);   /* caller owns the result; b is emptied */
/* Appends the rest of stream f; false on a read error (errno says why). */
bool sb_read_stream(strbuf *b, FILE *f);
/* A whole file, owned by the caller; NULL (errno set) when it cannot be
 * opened or read. */
char *read_whole_file(const char *path);
void sb_free(strbuf *b);

/* Length in bytes of the valid UTF-8 sequence at s (at most n bytes), or 0
 * when the bytes there are not valid UTF-8. */
int utf8_seq_len(const unsigned char *s, size_t n);

/* ---- stopping long work (guard.c) ------------------------------------ */

/* A form stops on Ctrl-C, at a memory limit or at a time limit.  Whoever
 * runs a form installs a guard for its thread; long loops anywhere below
 * poll it, and once it has said stop it keeps saying so (the reason and
 * message stay) until a new guard is installed. */
typedef struct {
  volatile int *interrupt;   /* set asynchronously, by Ctrl-C */
  int64_t max_memory;        /* bytes of heap in use; 0: none */
  double max_seconds;        /* 0: none */
  double deadline;           /* mono_ms() to stop at; 0: none */
  double last_memory_check;
  unsigned polls;
  const char *why;           /* "interrupt", "memory", "time" or NULL */
  char msg[240];
} guard;

enum { MEM_LIMIT_MIN = 16 << 20 };

double mono_ms(void);                /* a monotonic clock, in ms */
int64_t mem_in_use(void);            /* bytes of heap in use */
int64_t mem_default_limit(void);     /* half the physical memory */
int64_t mem_limit_max(void);         /* the physical memory */
void guard_init(guard *g, volatile int *interrupt, int64_t max_memory,
                double max_seconds);
/* Installs g (NULL: none) for this thread; returns the previous one. */
guard *guard_install(guard *g);
guard *guard_current(void);
/* NULL to go on, or the reason to stop ("interrupt", "memory", "time").
 * guard_poll is cheap enough for an inner loop; guard_check(g, true)
 * looks at the clock and the memory now. */
const char *guard_poll(void);
const char *guard_check(guard *g, bool now);
/* The message of the reason guard_poll gave ("" if none). */
const char *guard_message(void);

/* ---- writing files (safefile.c) -------------------------------------- */

/* A file written safely: created exclusively under a temporary name in
 * the target's directory (never following a link planted there), renamed
 * over the target by safe_commit.  Every file tvl writes goes through
 * this.  mode: the permissions of a new file (0644, 0600), before the
 * umask. */
typedef struct {
  FILE *f;
  char *tmp, *path;
} safe_file;

/* The stream to write, or NULL with errno set. */
FILE *safe_open(safe_file *sf, const char *path, int mode);
/* Flushes, syncs and renames; false with errno set (the temporary file
 * is removed and the target untouched). */
bool safe_commit(safe_file *sf);
/* Gives up: removes the temporary file, the target untouched. */
void safe_abort(safe_file *sf);
bool safe_write_file(const char *path, const void *data, size_t n, int mode);
/* The attempt-th temporary name safe_open tries for path (for tests);
 * the caller frees it. */
char *safe_tmp_name(const char *path, int attempt);

/* "Did you mean": the candidate closest to a mistyped word, by edit
 * distance (insertions, deletions, substitutions and swaps of two
 * neighbours), kept only when it is close enough to be a likely typo.
 * Feed every candidate to near_try; best is NULL when none is close. */
typedef struct {
  const char *word;
  const char *best;
  int dist;
} near_word;
void near_init(near_word *n, const char *word);
void near_try(near_word *n, const char *candidate);

/* ---- source text and positions --------------------------------------- */

typedef struct {
  int file;   /* index into the session's src_registry, -1 if none */
  int line;   /* 1-based */
  int col;    /* 1-based, counted in bytes */
} srcloc;

/* Every text the session read, kept so that an error can quote its line.
 * The REPL appends what it reads; files are added whole. */
typedef struct {
  char *name;
  strbuf text;
  VEC(size_t) line_start; /* byte offset of each line start */
} src_file;

typedef struct {
  VEC(src_file *) files;
} src_registry;

void src_init(src_registry *r);
void src_free(src_registry *r);
int src_add(src_registry *r, const char *name);          /* new, empty */
void src_append(src_registry *r, int file, const char *s, size_t n);
const char *src_name(const src_registry *r, int file);
/* The text of a 1-based line without its newline; *len receives its length. */
const char *src_line(const src_registry *r, int file, int line, size_t *len);

/* ---- diagnostics ---------------------------------------------------- */

/* Formats "file:line:col: error: message", then the quoted source line and
 * a caret under the column.  Long lines are shown as a window around the
 * column, and bytes that would upset a terminal are shown escaped. */
void diag_format(strbuf *out, const src_registry *r, srcloc loc,
                 const char *severity, const char *msg);

#endif
