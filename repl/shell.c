/* shell.c - reading input, running forms, printing what happened. */
#include "config.h"

#include "shell.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- output --------------------------------------------------------- */

static void progress_erase(shell *sh) {
  if (!sh->progress_shown) return;
  fputs("\r\033[K", stderr);
  fflush(stderr);
  sh->progress_shown = false;
}

void shell_progress(void *ctx, int64_t tokens, double seconds, bool done) {
  shell *sh = ctx;
  if (done) {
    progress_erase(sh);
    return;
  }
  /* drawn over a half-written line of output, it would hide it */
  if (sh->out_tty && !sh->at_bol) return;
  fflush(stdout);
  fprintf(stderr, "\r\033[K%lld tokens \xc2\xb7 %.0f tokens/s \xc2\xb7 %.1f s",
          (long long)tokens, seconds > 0 ? tokens / seconds : 0.0, seconds);
  fflush(stderr);
  sh->progress_shown = true;
}

void shell_out(shell *sh, const char *s, size_t n) {
  if (!n) return;
  progress_erase(sh);
  fwrite(s, 1, n, stdout);
  sh->at_bol = s[n - 1] == '\n';
  if (sh->interactive) fflush(stdout);
}

void shell_printf(shell *sh, const char *fmt, ...) {
  strbuf b;
  sb_init(&b);
  va_list ap;
  va_start(ap, fmt);
  sb_vprintf(&b, fmt, ap);
  va_end(ap);
  shell_out(sh, b.s ? b.s : "", b.n);
  sb_free(&b);
}

static void fresh_line(shell *sh) {
  if (!sh->at_bol) shell_out(sh, "\n", 1);
}

static void to_stderr(shell *sh, const char *s, size_t n) {
  progress_erase(sh);
  fresh_line(sh);
  fflush(stdout);
  fwrite(s, 1, n, stderr);
  fflush(stderr);
}

void shell_error(shell *sh, srcloc loc, const char *msg) {
  strbuf b;
  sb_init(&b);
  session_diag(sh->s, loc, "error", msg, &b);
  to_stderr(sh, b.s, b.n);
  sb_free(&b);
  sh->nerrors++;
}

void shell_message(shell *sh, const char *fmt, ...) {
  strbuf b;
  sb_init(&b);
  va_list ap;
  va_start(ap, fmt);
  sb_vprintf(&b, fmt, ap);
  va_end(ap);
  sb_putc(&b, '\n');
  to_stderr(sh, b.s, b.n);
  sb_free(&b);
}

static void display_out(void *ctx, const char *s, size_t n) {
  shell_out(ctx, s, n);
}

static void warn_out(void *ctx, srcloc loc, const char *msg) {
  shell *sh = ctx;
  strbuf b;
  sb_init(&b);
  session_diag(sh->s, loc, "warning", msg, &b);
  to_stderr(sh, b.s, b.n);
  sb_free(&b);
}

/* ---- setup ---------------------------------------------------------- */

void shell_init(shell *sh) {
  memset(sh, 0, sizeof *sh);
  sh->s = session_new();
  sh->s->w->out = display_out;
  sh->s->w->out_ctx = sh;
  sh->s->w->interrupt = &sh->interrupt;
  sh->s->warn = warn_out;
  sh->s->warn_ctx = sh;
  sh->at_bol = true;
  sh->input_file = -1;
}

void shell_free(shell *sh) {
  rd_free(sh->rd);
  lr_free(sh->lr);
  session_free(sh->s);
  free(sh->histfile);
}

/* ---- running forms -------------------------------------------------- */

/* "; 3 steps · 0.02 ms", after a value or on a line of its own. */
static void print_stats(shell *sh, const form_result *r, const char *lead) {
  if (!sh->stats) return;
  if (sh->s->mode == MODE_REFERENCE)
    shell_printf(sh, "%s; %lld step%s \xc2\xb7 %.2f ms", lead,
                 (long long)r->steps, r->steps == 1 ? "" : "s", r->ms);
  else if (r->tool_calls)
    shell_printf(sh, "%s; %lld token%s \xc2\xb7 %lld tool call%s \xc2\xb7 %.2f ms",
                 lead, (long long)r->tokens, r->tokens == 1 ? "" : "s",
                 (long long)r->tool_calls, r->tool_calls == 1 ? "" : "s", r->ms);
  else
    shell_printf(sh, "%s; %lld token%s \xc2\xb7 %.2f ms", lead,
                 (long long)r->tokens, r->tokens == 1 ? "" : "s", r->ms);
}

/* Runs one form; prints its value or definition summary if asked to. */
static bool run_form(shell *sh, rd_form *f, const int *later, int nlater,
                     bool print) {
  form_result r;
  form_result_init(&r);
  /* sh->interrupt is not cleared here but once the line's forms are
   * done: a Ctrl-C typed just after Enter must still stop the form. */
  bool ok = session_eval(sh->s, f, later, nlater, &r);
  if (!ok) {
    /* The terminal echoed ^C after the output: start a line of our own. */
    if (sh->interactive && r.err.kind && !strcmp(r.err.kind, "interrupt"))
      shell_out(sh, "\n", 1);
    shell_error(sh, r.err.loc, r.err.msg ? r.err.msg : "error");
  } else if (print) {
    if (r.is_definition && r.summary.n) {
      fresh_line(sh);
      shell_out(sh, r.summary.s, r.summary.n);
      /* a variable's value was computed by a run: say what it cost */
      if (!r.has_value && (r.tokens || r.steps)) print_stats(sh, &r, "   ");
      shell_out(sh, "\n", 1);
    }
    if (r.has_value) {   /* also after definitions, in a begin */
      fresh_line(sh);
      shell_out(sh, r.text.s, r.text.n);
      print_stats(sh, &r, "   ");
      shell_out(sh, "\n", 1);
    } else if (sh->stats && !r.is_definition) {
      fresh_line(sh);
      print_stats(sh, &r, "");
      shell_out(sh, "\n", 1);
    }
  }
  form_result_free(&r);
  return ok;
}

static void report_reader_error(shell *sh, reader *rd) {
  srcloc loc;
  const char *msg = rd_error(rd, &loc);
  shell_error(sh, loc, msg ? msg : "syntax error");
}

/* Feeds a whole text to a fresh reader, then runs its forms in order.
 * Names the text defines are known up front, so forward references
 * between its definitions are not warned about. */
static bool run_text(shell *sh, const char *name, const char *text, size_t n,
                     bool print) {
  world *w = sh->s->w;
  int file = src_add(&w->src, name);
  reader *rd = rd_new(&w->syms, &w->src, file);
  rd_feed(rd, text, n);
  rd_eof(rd);
  VEC(rd_form) forms = {0};
  int_vec names = {0};
  while (rd_has_form(rd)) {
    rd_form f = rd_take(rd);
    session_collect_defines(sh->s, f.form, &names);
    VEC_PUSH(forms, f);
  }
  bool ok = true;
  int i = 0;
  for (; i < forms.n && ok; i++)
    ok = run_form(sh, &forms.v[i], names.v, names.n, print);
  for (; i < forms.n; i++) arena_free(&forms.v[i].mem);
  if (ok && rd_status_of(rd) == RD_ERROR) {
    report_reader_error(sh, rd);
    ok = false;
  }
  VEC_FREE(forms);
  VEC_FREE(names);
  rd_free(rd);
  return ok;
}

bool shell_run_string(shell *sh, const char *name, const char *text) {
  return run_text(sh, name, text, strlen(text), true);
}

bool shell_run_file(shell *sh, const char *path) {
  FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
  if (!f) {
    shell_message(sh, "tvl: cannot open %s: %s", path, strerror(errno));
    sh->nerrors++;
    return false;
  }
  strbuf b;
  sb_init(&b);
  bool read_ok = sb_read_stream(&b, f);
  int read_errno = errno;
  if (f != stdin) fclose(f);
  if (!read_ok) {
    shell_message(sh, "tvl: cannot read %s: %s", path, strerror(read_errno));
    sb_free(&b);
    sh->nerrors++;
    return false;
  }
  bool ok = run_text(sh, path, b.s ? b.s : "", b.n, sh->load_depth > 0 && sh->print_results);
  sb_free(&b);
  return ok;
}

/* ---- the REPL ------------------------------------------------------- */

static const char *prompt_for(shell *sh, char *buf, size_t n) {
  if (!sh->interactive) return NULL;
  if (rd_status_of(sh->rd) == RD_ROOT) return "tvl> ";
  snprintf(buf, n, "..%d> ", rd_depth(sh->rd));
  return buf;
}

static shell *shell_for_signals;

static void sigint_handler(int sig) {
  (void)sig;
  if (shell_for_signals) shell_for_signals->interrupt = 1;
  lr_wake();
}

static void install_sigint(shell *sh) {
  shell_for_signals = sh;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = sigint_handler;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;   /* no SA_RESTART; lineread learns of it by its pipe */
  sigaction(SIGINT, &sa, NULL);
}

static void forget_interrupts(shell *sh) {
  sh->interrupt = 0;
  lr_forget_interrupts(sh->lr);
}

static bool is_command(const char *line, size_t n) {
  size_t i = 0;
  while (i < n && (line[i] == ' ' || line[i] == '\t')) i++;
  return i < n && line[i] == ':';
}

/* One line of REPL input. */
static void repl_line(shell *sh, const char *line, size_t n) {
  if (rd_status_of(sh->rd) == RD_ROOT && is_command(line, n)) {
    rd_skip_line(sh->rd, line, n);
    shell_command_line(sh, line);
    return;
  }
  rd_feed(sh->rd, line, n);
  rd_feed(sh->rd, "\n", 1);
  while (rd_has_form(sh->rd)) {
    rd_form f = rd_take(sh->rd);
    if (sh->interrupt) {   /* Ctrl-C stops the rest of the line too */
      arena_free(&f.mem);
      continue;
    }
    run_form(sh, &f, NULL, 0, true);
  }
  if (rd_status_of(sh->rd) == RD_ERROR) {
    report_reader_error(sh, sh->rd);
    rd_recover(sh->rd);
  }
}

void shell_repl(shell *sh) {
  world *w = sh->s->w;
  sh->input_file = src_add(&w->src, sh->interactive ? "<repl>" : "<stdin>");
  sh->rd = rd_new(&w->syms, &w->src, sh->input_file);
  if (!sh->lr) sh->lr = lr_new(sh->interactive, sh->histfile);
  install_sigint(sh);
  if (sh->interactive && sh->banner)
    shell_printf(sh, "tvl %s \xc2\xb7 :help for help, :quit or Ctrl-D to leave\n",
                 PACKAGE_VERSION);
  bool armed = false;   /* a Ctrl-C at an empty prompt arms the exit */
  char pbuf[32];
  while (!sh->quit) {
    bool interrupted;
    size_t n;
    /* display may have left the cursor mid-line: the prompt starts a
     * line of its own, as in other Scheme REPLs. */
    if (sh->interactive) fresh_line(sh);
    char *line = lr_read(sh->lr, prompt_for(sh, pbuf, sizeof pbuf),
                         &interrupted, &n);
    if (sh->interactive) sh->at_bol = true;   /* the terminal echoed it */
    if (interrupted) {
      forget_interrupts(sh);
      /* lr_read leaves the cursor at the start of a line. */
      bool empty = rd_status_of(sh->rd) == RD_ROOT;
      rd_recover(sh->rd);
      if (empty && armed) break;
      armed = empty;
      if (empty) shell_printf(sh, "(Ctrl-C again to quit)\n");
      continue;
    }
    if (!line) {
      /* Ctrl-D left the cursor after the prompt. */
      if (sh->interactive) shell_printf(sh, "\n");
      if (rd_status_of(sh->rd) == RD_PENDING) {
        rd_eof(sh->rd);
        if (rd_status_of(sh->rd) == RD_ERROR) report_reader_error(sh, sh->rd);
      }
      break;
    }
    armed = false;
    lr_history_add(sh->lr, line);
    repl_line(sh, line, n);
    free(line);
    /* A Ctrl-C that stopped a form is used up; one pressed after the
     * forms ended is left for the next read, which it interrupts. */
    if (sh->interrupt) forget_interrupts(sh);
  }
}
