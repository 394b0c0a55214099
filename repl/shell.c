/* shell.c - reading input, running forms, printing what happened. */
#include "config.h"

#include "shell.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
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

/* Whether stdout and stderr end up in one place (a terminal, or one file
 * or pipe): only then does a message need the program's open line ended
 * first.  Apart, stdout keeps exactly what the program printed, as
 * Guile's does. */
static bool streams_shared(void) {
  struct stat o, e;
  if (isatty(STDOUT_FILENO) && isatty(STDERR_FILENO)) return true;
  if (fstat(STDOUT_FILENO, &o) != 0 || fstat(STDERR_FILENO, &e) != 0) return true;
  return o.st_dev == e.st_dev && o.st_ino == e.st_ino;
}

static void to_stderr(shell *sh, const char *s, size_t n) {
  progress_erase(sh);
  if (streams_shared()) fresh_line(sh);
  fflush(stdout);
  fwrite(s, 1, n, stderr);
  fflush(stderr);
}

/* Errors advise command-line options; inside the REPL the command that
 * does the same is the useful advice. */
static void repl_advice(const char *msg, strbuf *out) {
  static const char *const from[] = {"--reference", "--check", "--transformer"};
  static const char *const to[] = {":mode reference", ":mode check", ":mode transformer"};
  while (*msg) {
    size_t k = 0;
    while (k < 3 && strncmp(msg, from[k], strlen(from[k]))) k++;
    if (k < 3) {
      sb_puts(out, to[k]);
      msg += strlen(from[k]);
    } else {
      sb_putc(out, *msg++);
    }
  }
}

void shell_error(shell *sh, srcloc loc, const char *msg) {
  strbuf b, m;
  sb_init(&b);
  sb_init(&m);
  if (sh->rd) {   /* the REPL runs */
    repl_advice(msg, &m);
    msg = m.s;
  }
  session_diag(sh->s, loc, "error", msg, &b);
  sb_free(&m);
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

double shell_now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
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

/* "; 3 steps · 0.02 ms", after a value or on a line of its own; a
 * transformer run that was not routed says so ("· dense (why)"). */
static void print_stats(shell *sh, const form_result *r, const char *lead) {
  if (!sh->stats) return;
  const char *checked = sh->s->mode == MODE_CHECK ? "checked \xc2\xb7 " : "";
  char dense[128] = "";
  if (sh->s->mode != MODE_REFERENCE && r->dense_why)
    snprintf(dense, sizeof dense, " \xc2\xb7 dense (%s)", r->dense_why);
  if (sh->s->mode == MODE_REFERENCE)
    shell_printf(sh, "%s; %lld step%s \xc2\xb7 %.2f ms", lead,
                 (long long)r->steps, r->steps == 1 ? "" : "s", r->ms);
  else if (r->circuit)
    shell_printf(sh, "%s; %s%lld forward pass%s \xc2\xb7 %.2f ms", lead, checked,
                 (long long)r->tokens, r->tokens == 1 ? "" : "es", r->ms);
  else if (r->tool_calls)
    shell_printf(sh, "%s; %s%lld token%s \xc2\xb7 %lld tool call%s%s \xc2\xb7 %.2f ms",
                 lead, checked, (long long)r->tokens, r->tokens == 1 ? "" : "s",
                 (long long)r->tool_calls, r->tool_calls == 1 ? "" : "s", dense,
                 r->ms);
  else
    shell_printf(sh, "%s; %s%lld token%s%s \xc2\xb7 %.2f ms", lead, checked,
                 (long long)r->tokens, r->tokens == 1 ? "" : "s", dense, r->ms);
}

/* "; compile 1.20 ms · run 0.31 ms · 42 tokens · 135484 tokens/s" */
static void print_timing(shell *sh, const form_result *r, double total_ms) {
  double other = total_ms > r->ms ? total_ms - r->ms : 0;
  bool ref = sh->s->mode == MODE_REFERENCE;
  int64_t n = ref ? r->steps : r->tokens;
  const char *unit = ref ? "step" : r->circuit ? "forward pass" : "token";
  const char *plural = r->circuit && !ref ? "es" : "s";
  fresh_line(sh);
  shell_printf(sh, "; %s %.2f ms \xc2\xb7 run %.2f ms \xc2\xb7 %lld %s%s",
               ref ? "check" : "compile", other, r->ms, (long long)n, unit,
               n == 1 ? "" : plural);
  if (r->ms > 0) shell_printf(sh, " \xc2\xb7 %.0f %s%s/s", n / (r->ms / 1e3), unit, plural);
  if (sh->s->mode == MODE_CHECK)
    shell_printf(sh, " \xc2\xb7 checked against the evaluator");
  shell_out(sh, "\n", 1);
}

/* The interactive REPL numbers its values as Guile does: "$1 = 6", and
 * $1 is then a global variable like any other (so compiled programs read
 * it from their prompt as they read any global).  False if it could not
 * be defined (the name is the user's own procedure or table). */
static bool number_result(shell *sh, const form_result *r, strbuf *name) {
  world *w = sh->s->w;
  char buf[32];
  snprintf(buf, sizeof buf, "$%d", sh->result_no + 1);
  gcell *g = world_cell(w, sym_intern(&w->syms, buf, strlen(buf)));
  if (g->kind != G_UNDEFINED && g->kind != G_VAR) return false;
  world_txn_begin(w);
  world_define(w, g, G_VAR, r->result, NULL, NULL, NULL, g->loc);
  world_txn_commit(w);
  sh->result_no++;
  sb_puts(name, buf);
  return true;
}

/* (exit), (exit N), (quit): Guile's way out, at the top level, unless
 * the program defined a procedure of that name. */
static bool exit_form(shell *sh, const sx *f, int *status) {
  world *w = sh->s->w;
  if (f->kind != SX_LIST || f->u.list.n < 1 || f->u.list.n > 2 ||
      f->u.list.v[0]->kind != SX_SYM)
    return false;
  int head = f->u.list.v[0]->u.sym;
  const char *h = sym_name(&w->syms, head);
  if (strcmp(h, "exit") && strcmp(h, "quit")) return false;
  gcell *g = world_find(w, head);
  if (g && g->kind != G_UNDEFINED) return false;
  *status = 0;
  if (f->u.list.n == 2) {
    const sx *a = f->u.list.v[1];
    if (a->kind == SX_INT && a->u.i >= 0 && a->u.i <= 255) *status = (int)a->u.i;
    else if (a->kind == SX_BOOL) *status = a->u.b ? 0 : 1;
    else return false;   /* left to the checker, which will say why */
  }
  return true;
}

/* Runs one form; prints its value or definition summary if asked to
 * (RUN_PRINT), and what it cost (RUN_TIME). */
static bool run_form(shell *sh, rd_form *f, const int *later, int nlater,
                     unsigned how) {
  bool print = how & RUN_PRINT, timed = how & RUN_TIME;
  int status;
  if (exit_form(sh, f->form, &status)) {
    arena_free(&f->mem);
    sh->quit = true;
    sh->quit_status = status;
    return true;
  }
  form_result r;
  form_result_init(&r);
  double t0 = shell_now_ms();
  /* sh->interrupt is not cleared here but once the line's forms are
   * done: a Ctrl-C typed just after Enter must still stop the form. */
  bool ok = session_eval(sh->s, f, later, nlater, &r);
  double total = shell_now_ms() - t0;
  bool stats = sh->stats && !timed;
  if (!ok && r.err.kind && !strcmp(r.err.kind, "exit")) {
    /* (exit N) called while running: leave as :quit does */
    sh->quit = true;
    sh->quit_status = r.err.status;
    form_result_free(&r);
    return true;
  }
  if (!ok) {
    /* The terminal echoed ^C after the output: start a line of our own. */
    if (sh->interactive && r.err.kind && !strcmp(r.err.kind, "interrupt"))
      shell_out(sh, "\n", 1);
    shell_error(sh, r.err.loc, r.err.msg ? r.err.msg : "error");
    if (r.err.status && r.err.kind && strcmp(r.err.kind, "exit")) {
      /* an after thunk of dynamic-wind called exit as the error unwound
       * (lang/eval.c unwind_at_stop): the program stops with its status */
      sh->quit = true;
      sh->quit_status = r.err.status;
    }
  } else if (print) {
    if (r.is_definition && r.summary.n) {
      fresh_line(sh);
      shell_out(sh, r.summary.s, r.summary.n);
      /* a variable's value was computed by a run: say what it cost */
      if (stats && !r.has_value && (r.tokens || r.steps)) print_stats(sh, &r, "   ");
      shell_out(sh, "\n", 1);
    }
    if (r.has_value) {   /* also after definitions, in a begin */
      strbuf name;
      sb_init(&name);
      fresh_line(sh);
      if (sh->interactive && sh->rd && !sh->load_depth && number_result(sh, &r, &name))
        shell_printf(sh, "%s = ", name.s);
      sb_free(&name);
      shell_out(sh, r.text.s, r.text.n);
      if (stats) print_stats(sh, &r, "   ");
      shell_out(sh, "\n", 1);
    } else if (stats && !r.is_definition) {
      fresh_line(sh);
      print_stats(sh, &r, "");
      shell_out(sh, "\n", 1);
    }
  } else if (stats) {   /* a script with --stats: every form's cost */
    fresh_line(sh);
    print_stats(sh, &r, "");
    shell_out(sh, "\n", 1);
  }
  if (ok && timed) print_timing(sh, &r, total);
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
                     unsigned how) {
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
  for (; i < forms.n && ok && !sh->quit; i++)
    ok = run_form(sh, &forms.v[i], names.v, names.n, how);
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
  return run_text(sh, name, text, strlen(text), RUN_PRINT);
}

bool shell_time(shell *sh, const char *text) {
  return run_text(sh, ":time", text, strlen(text),
                  RUN_TIME | (sh->print_results ? RUN_PRINT : 0));
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
  bool ok = run_text(sh, path, b.s ? b.s : "", b.n,
                     sh->load_depth > 0 && sh->print_results ? RUN_PRINT : 0);
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

/* ":help", or Guile's ",help": a comma then the name of a command (else
 * the line is Scheme: an unquote, reported as such). */
static bool is_command(const char *line, size_t n) {
  size_t i = 0;
  while (i < n && (line[i] == ' ' || line[i] == '\t')) i++;
  if (i < n && line[i] == ':') return true;
  if (i >= n || line[i] != ',') return false;
  size_t e = ++i;
  while (e < n && line[e] != ' ' && line[e] != '\t') e++;
  return e > i && command_named(line + i, e - i) != NULL;
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
    if (sh->quit) {
      arena_free(&f.mem);
      continue;
    }
    run_form(sh, &f, NULL, 0, RUN_PRINT);
  }
  if (rd_status_of(sh->rd) == RD_ERROR) {
    report_reader_error(sh, sh->rd);
    rd_recover(sh->rd);
  }
}

/* ---- history: one entry per form ------------------------------------ */

/* The lines of a form typed over several lines, as one history line: the
 * continuation lines' indentation becomes one blank and comments are
 * dropped (they would swallow what follows); inside a string a line
 * break is kept, being part of the string. */
static void history_line(const strbuf *lines, int nlines, strbuf *out) {
  if (nlines == 1) {
    sb_putn(out, lines[0].s ? lines[0].s : "", lines[0].n);
    return;
  }
  bool in_str = false;
  for (int l = 0; l < nlines; l++) {
    const char *t = lines[l].s ? lines[l].s : "";
    size_t n = lines[l].n, i = 0;
    if (l) {
      if (in_str) {
        sb_putc(out, '\n');
      } else {
        while (i < n && (t[i] == ' ' || t[i] == '\t')) i++;
        if (i < n && out->n && out->s[out->n - 1] != ' ') sb_putc(out, ' ');
      }
    }
    for (; i < n; i++) {
      char c = t[i];
      if (in_str) {
        sb_putc(out, c);
        if (c == '\\' && i + 1 < n) sb_putc(out, t[++i]);
        else if (c == '"') in_str = false;
      } else if (c == ';') {
        break;
      } else if (c == '#' && i + 2 < n && t[i + 1] == '\\') {   /* #\; */
        sb_putn(out, t + i, 3);
        i += 2;
      } else {
        in_str = c == '"';
        sb_putc(out, c);
      }
    }
    while (!in_str && out->n && (out->s[out->n - 1] == ' ' || out->s[out->n - 1] == '\t'))
      out->s[--out->n] = 0;
  }
}

typedef struct {
  VEC(strbuf) lines;
} hist_form;

static void hist_flush(shell *sh, hist_form *h) {
  if (!h->lines.n) return;
  strbuf b;
  sb_init(&b);
  history_line(h->lines.v, h->lines.n, &b);
  lr_history_add(sh->lr, b.s ? b.s : "");
  sb_free(&b);
  for (int i = 0; i < h->lines.n; i++) sb_free(&h->lines.v[i]);
  h->lines.n = 0;
}

static void hist_push(hist_form *h, const char *line, size_t n) {
  strbuf b;
  sb_init(&b);
  sb_putn(&b, line, n);
  VEC_PUSH(h->lines, b);
}

void shell_repl(shell *sh) {
  world *w = sh->s->w;
  sh->input_file = src_add(&w->src, sh->interactive ? "<repl>" : "<stdin>");
  sh->rd = rd_new(&w->syms, &w->src, sh->input_file);
  if (!sh->lr) sh->lr = lr_new(sh->interactive, sh->histfile);
  lr_set_completer(sh->lr, shell_complete, sh);
  install_sigint(sh);
  if (sh->interactive && sh->banner)
    shell_printf(sh, "tvl %s \xc2\xb7 :help for help, :quit or Ctrl-D to leave\n",
                 PACKAGE_VERSION);
  bool armed = false;   /* a Ctrl-C at an empty prompt arms the exit */
  hist_form hist = {{0}};   /* the lines of the form being typed */
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
      hist_flush(sh, &hist);   /* a thrown-away form can be recalled */
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
    hist_push(&hist, line, n);
    repl_line(sh, line, n);
    free(line);
    if (rd_status_of(sh->rd) != RD_PENDING) hist_flush(sh, &hist);
    /* A Ctrl-C that stopped a form is used up; one pressed after the
     * forms ended is left for the next read, which it interrupts. */
    if (sh->interrupt) forget_interrupts(sh);
  }
  hist_flush(sh, &hist);
  VEC_FREE(hist.lines);
}
