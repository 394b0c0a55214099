/* shell.h - the tvl program: one state struct shared by the REPL, the
 * script runner and the colon commands (one table drives their dispatch,
 * abbreviations and :help).
 *
 * Ownership: the shell owns its session, its reader and its line reader.
 */
#ifndef TVL_SHELL_H
#define TVL_SHELL_H

#include <signal.h>

#include "lib/session.h"

typedef struct lineread lineread;

typedef struct shell {
  session *s;
  bool interactive;      /* stdin is a terminal: prompts, line editing */
  bool print_results;    /* REPL and -e: show values and definitions */
  bool stats;            /* append "; steps, time" to results */
  bool banner;           /* greet when the interactive REPL starts */
  bool at_bol;           /* the last byte written to stdout was a newline */
  bool out_tty;          /* stdout is a terminal */
  bool progress_shown;   /* a progress line is on stderr, to be erased */
  int nerrors;
  bool quit;
  int quit_status;
  int input_file;        /* source registry index of the REPL's input */
  reader *rd;            /* reader of the REPL input */
  lineread *lr;
  volatile int interrupt;
  char *histfile;
  int load_depth;
  int result_no;         /* the last $N the REPL defined */
} shell;

enum { RUN_PRINT = 1, RUN_TIME = 2 };   /* how forms are run */
double shell_now_ms(void);

void shell_init(shell *sh);
void shell_free(shell *sh);

/* Runs a script: every form in order, stopping at the first error. */
bool shell_run_file(shell *sh, const char *path);
/* Evaluates source text given on the command line, printing results. */
bool shell_run_string(shell *sh, const char *name, const char *text);
/* :time: runs the forms of text, each followed by what it cost. */
bool shell_time(shell *sh, const char *text);
/* The REPL over stdin, interactive or not; returns at EOF or :quit. */
void shell_repl(shell *sh);

/* Output helpers that keep stdout and stderr ordered. */
void shell_out(shell *sh, const char *s, size_t n);
void shell_printf(shell *sh, const char *fmt, ...) TVL_PRINTF(2, 3);
void shell_error(shell *sh, srcloc loc, const char *msg);
void shell_message(shell *sh, const char *fmt, ...) TVL_PRINTF(2, 3);
/* The progress line of long runs (session.progress), on stderr: redrawn in
 * place, erased before anything else is written and when the run ends. */
void shell_progress(void *sh, int64_t tokens, double seconds, bool done);

/* ---- colon commands ------------------------------------------------- */

typedef struct {
  const char *name;
  const char *args;    /* synopsis of the arguments, "" if none */
  const char *brief;   /* one line for :help */
  void (*run)(shell *sh, const char *args);
} shell_command;

const shell_command *command_at(int i);
/* The entries of tvl(1) for each command, special form and builtin
 * (repl/manhelp.c, generated from man/tvl.1 by repl/man2help.awk): the
 * item's head, then lines, a line that starts with a blank literal (an
 * example), an empty one between paragraphs, others a paragraph. */
typedef struct { const char *name, *head, *body; } man_entry;
extern const man_entry man_entries[];   /* ends with a NULL name */
/* The name of the command that w (n bytes: a name, a unique prefix or one
 * of Guile's names) means, or NULL. */
const char *command_named(const char *w, size_t n);
/* Runs ":name args"; an unknown or ambiguous name is reported. */
void shell_command_line(shell *sh, const char *line);
/* Option table, for --help and the man page test. */
typedef struct {
  const char *name;    /* "--max-steps" */
  const char *arg;     /* "N" or NULL */
  const char *brief;
} shell_option;
const shell_option *option_at(int i);

/* ---- line input ----------------------------------------------------- */

lineread *lr_new(bool interactive, const char *histfile);
/* A line without its newline (caller frees), or NULL at end of input.
 * *interrupted is set when Ctrl-C was pressed (lr_wake was called) since
 * the last lr_forget_interrupts. */
char *lr_read(lineread *lr, const char *prompt, bool *interrupted,
              size_t *len);
/* Called by the SIGINT handler: async-signal-safe. */
void lr_wake(void);
/* Forgets the Ctrl-Cs pressed so far (they were dealt with). */
void lr_forget_interrupts(lineread *lr);
void lr_history_add(lineread *lr, const char *line);
/* Tab completion (with libedit; without it Tab is an ordinary key): the
 * completer gets the whole line, where the word being completed starts
 * in it, and the word; it adds the complete words that begin with it to
 * out (malloc'd), or sets *files for the file names that do. */
typedef VEC(char *) str_list;
typedef void (*lr_completer)(void *ctx, const char *line, size_t start,
                             const char *word, str_list *out, bool *files);
void lr_set_completer(lineread *lr, lr_completer fn, void *ctx);
/* commands.c: what Tab offers in the REPL. */
void shell_complete(void *sh, const char *line, size_t start, const char *word,
                    str_list *out, bool *files);
void lr_free(lineread *lr);

#endif
