/* lineread.c - where lines come from: libedit when stdin is a terminal and
 * libedit was built in, plain reads otherwise (pipes, files, tests).  Both
 * paths hand the same lines to the same REPL code.
 *
 * Ctrl-C: the SIGINT handler calls lr_wake(), which writes a byte to a
 * pipe.  Every wait for input polls that pipe together with stdin, so a
 * Ctrl-C is never lost, whenever it comes: before the read starts (libedit
 * prints the prompt before it switches the terminal to raw mode), during
 * it, or while a form runs.  libedit's own signal handling is off.  After
 * an interruption the half-typed line is thrown away and the cursor is at
 * the start of a fresh line (libedit echoes the newline it is handed; the
 * plain path prints one after the terminal's ^C).
 */
#include "config.h"

#include "shell.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef HAVE_LIBEDIT
#include <dlfcn.h>
#include <editline/readline.h>
#include <histedit.h>
#endif

struct lineread {
  bool edit;
  char *histfile;
  bool interrupted;
  /* the plain path's own buffer: stdio's would hide bytes from poll() */
  char buf[4096];
  size_t pos, len;
};

static int wake_pipe[2] = {-1, -1};

void lr_wake(void) {
  if (wake_pipe[1] >= 0) {
    char c = 1;
    ssize_t r = write(wake_pipe[1], &c, 1);   /* full pipe: already woken */
    (void)r;
  }
}

void lr_forget_interrupts(lineread *lr) {
  (void)lr;
  char drain[64];
  if (wake_pipe[0] >= 0)
    while (read(wake_pipe[0], drain, sizeof drain) > 0) {}
}

static void open_wake_pipe(void) {
  if (wake_pipe[0] >= 0 || pipe(wake_pipe) != 0) return;
  for (int i = 0; i < 2; i++) {
    fcntl(wake_pipe[i], F_SETFL, fcntl(wake_pipe[i], F_GETFL) | O_NONBLOCK);
    fcntl(wake_pipe[i], F_SETFD, FD_CLOEXEC);
  }
}

/* Waits until stdin has something to read (or hit its end); false when a
 * Ctrl-C came first. */
static bool wait_input(void) {
  struct pollfd p[2] = {{STDIN_FILENO, POLLIN, 0}, {wake_pipe[0], POLLIN, 0}};
  int n = wake_pipe[0] >= 0 ? 2 : 1;
  for (;;) {
    int r = poll(p, (nfds_t)n, -1);
    if (r < 0 && errno == EINTR) continue;   /* the pipe says what it was */
    if (r < 0) return true;                  /* let the read report it */
    if (n == 2 && (p[1].revents & POLLIN)) return false;
    if (p[0].revents) return true;
  }
}

/* One byte of stdin: the byte, EOF, or -2 for a Ctrl-C. */
static int next_byte(lineread *lr) {
  if (lr->pos < lr->len) return (unsigned char)lr->buf[lr->pos++];
  for (;;) {
    if (!wait_input()) return -2;
    ssize_t n = read(STDIN_FILENO, lr->buf, sizeof lr->buf);
    if (n > 0) {
      lr->pos = 1;
      lr->len = (size_t)n;
      return (unsigned char)lr->buf[0];
    }
    if (n == 0 || errno != EINTR) return EOF;
  }
}

#ifdef HAVE_LIBEDIT
static lineread *active;

/* ---- completion ------------------------------------------------------ */

static lr_completer completer;
static void *completer_ctx;
static char **candidates;   /* of the word being completed */
static int ncandidates;

static void drop_candidates(void) {
  for (int i = 0; i < ncandidates; i++) free(candidates[i]);
  free(candidates);
  candidates = NULL;
  ncandidates = 0;
}

/* Whether the last Tab completed its word whole (one candidate). */
static bool completed_whole;

/* libedit 3.1-20221030 (Debian 12's) rings the bell after every Tab, even
 * one that completed its word; a shell's bell means "no match, or more
 * than one", and ours should too.  This el_beep, which the dynamic linker
 * binds libedit's own calls to (el_beep is public, histedit.h), swallows
 * the one beep after a whole completion and passes every other to
 * libedit's. */
void el_beep(EditLine *el) {
  static void (*real)(EditLine *);
  if (completed_whole) {
    completed_whole = false;
    return;
  }
  if (!real) *(void **)&real = dlsym(RTLD_NEXT, "el_beep");
  if (real && real != el_beep) real(el);
}

static char *next_candidate(const char *text, int state) {
  static int next;
  (void)text;
  if (state == 0) next = 0;
  if (next >= ncandidates) return NULL;
  return xstrdup(candidates[next++]);
}

/* libedit asks for the matches of the word that ends at the cursor. */
static char **complete_word(const char *text, int start, int end) {
  (void)end;
  rl_attempted_completion_over = 1;   /* no file names unless we say so */
  completed_whole = false;
  drop_candidates();
  if (!completer) return NULL;
  bool files = false;
  str_list out = {0};
  completer(completer_ctx, rl_line_buffer ? rl_line_buffer : "", (size_t)start,
            text, &out, &files);
  if (files) {
    for (int i = 0; i < out.n; i++) free(out.v[i]);
    VEC_FREE(out);
    char **m = rl_completion_matches(text, rl_filename_completion_function);
    completed_whole = m && m[0] && (!m[1] || !m[2]);
    return m;
  }
  candidates = out.v;
  ncandidates = out.n;
  if (!ncandidates) {
    drop_candidates();
    return NULL;
  }
  completed_whole = ncandidates == 1;
  return rl_completion_matches(text, next_candidate);
}

/* libedit reads its characters through this. */
static int edit_getc(FILE *f) {
  (void)f;
  for (;;) {
    if (!wait_input()) {
      active->interrupted = true;
      return '\n';
    }
    unsigned char c;
    ssize_t n = read(STDIN_FILENO, &c, 1);
    if (n == 1) return c;
    if (n == 0 || errno != EINTR) return EOF;
  }
}
#endif

lineread *lr_new(bool interactive, const char *histfile) {
  lineread *lr = xcalloc(1, sizeof *lr);
  open_wake_pipe();
#ifdef HAVE_LIBEDIT
  if (interactive) {
    lr->edit = true;
    rl_catch_signals = 0;
    rl_getc_function = edit_getc;
    /* a word ends at a blank, a parenthesis, a quote or a '>' (":trace
     * EXPR > FILE"); ':' and ',' belong to command names */
    static char breaks[] = " \t\n()'\"`;>";
    rl_completer_word_break_characters = breaks;
    rl_basic_word_break_characters = breaks;
    rl_attempted_completion_function = complete_word;
    using_history();
    if (histfile) {
      lr->histfile = xstrdup(histfile);
      read_history(histfile);
    }
  }
#else
  (void)interactive;
  (void)histfile;
#endif
  return lr;
}

#ifdef HAVE_LIBEDIT
/* The history goes to a file created exclusively beside the target, then
 * renamed over it (base/safefile.c): a link planted at either name is
 * never followed. */
static void save_history(const char *path) {
  safe_file sf;
  if (!safe_open(&sf, path, 0600)) return;
  if (write_history(sf.tmp) == 0) safe_commit(&sf);
  else safe_abort(&sf);
}
#endif

void lr_set_completer(lineread *lr, lr_completer fn, void *ctx) {
  (void)lr;
#ifdef HAVE_LIBEDIT
  completer = fn;
  completer_ctx = ctx;
#else
  (void)fn;
  (void)ctx;
#endif
}

void lr_free(lineread *lr) {
  if (!lr) return;
#ifdef HAVE_LIBEDIT
  if (lr->edit && lr->histfile) save_history(lr->histfile);
  drop_candidates();
#endif
  free(lr->histfile);
  free(lr);
}

void lr_history_add(lineread *lr, const char *line) {
#ifdef HAVE_LIBEDIT
  if (lr->edit && line[0]) add_history(line);
#else
  (void)lr;
  (void)line;
#endif
}

static char *plain_read(lineread *lr, const char *prompt, bool *interrupted,
                        size_t *len) {
  if (prompt) {
    fputs(prompt, stdout);
    fflush(stdout);
  }
  strbuf b;
  sb_init(&b);
  for (;;) {
    int c = next_byte(lr);
    if (c == -2) {
      *interrupted = true;
      sb_free(&b);
      if (prompt) {   /* the terminal echoed ^C, not a newline */
        fputs("\n", stdout);
        fflush(stdout);
      }
      return NULL;
    }
    if (c == EOF) {
      if (b.n == 0) {
        sb_free(&b);
        return NULL;
      }
      break;
    }
    if (c == '\n') break;
    sb_putc(&b, (char)c);
  }
  *len = b.n;
  return sb_detach(&b);
}

char *lr_read(lineread *lr, const char *prompt, bool *interrupted,
              size_t *len) {
  *interrupted = false;
  *len = 0;
#ifdef HAVE_LIBEDIT
  if (lr->edit) {
    active = lr;
    lr->interrupted = false;
    char *line = readline(prompt);
    active = NULL;
    if (lr->interrupted) {
      free(line);
      *interrupted = true;
      return NULL;
    }
    if (line) *len = strlen(line);
    return line;
  }
#endif
  return plain_read(lr, lr->edit ? NULL : prompt, interrupted, len);
}
