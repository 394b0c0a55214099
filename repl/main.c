/* main.c - the tvl command: options, then scripts and expressions in the
 * order given, then the REPL if nothing else was asked for (or -i). */
#include "config.h"

#include "shell.h"
#include "lang/bigint.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void usage(FILE *to) {
  fprintf(to, "usage: tvl [OPTION]... [FILE]...\n"
              "Run tvl programs: FILEs as scripts, -e expressions, or the "
              "REPL.\n\n");
  for (int i = 0; option_at(i); i++) {
    const shell_option *o = option_at(i);
    char head[40];
    snprintf(head, sizeof head, "%s%s%s", o->name, o->arg ? " " : "",
             o->arg ? o->arg : "");
    fprintf(to, "  %-18s %s\n", head, o->brief);
  }
  fprintf(to, "\nWith no FILE and no -e, tvl starts the REPL (:help inside "
              "it).  See tvl(1).\n");
}

/* --max-steps N ... through the session's validation (lib/limits.c). */
static bool is_limit_option(shell *sh, const char *opt) {
  return !strncmp(opt, "--max-", 6) && !isnan(session_get_limit(sh->s, opt + 6));
}

static bool limit_arg(shell *sh, const char *opt, const char *s) {
  const char *name = opt + 6;
  strbuf err;
  sb_init(&err);
  bool ok = s && session_parse_limit(sh->s, name, s, &err);
  if (!ok) {
    if (!s) fprintf(stderr, "tvl: %s needs a number from ", opt);
    else fprintf(stderr, "tvl: %s: ", opt);
    if (!s) session_limit_range(name, &err);
    fprintf(stderr, "%s\n", err.s);
  }
  sb_free(&err);
  return ok;
}

/* Seconds, fractions allowed: "0.5". */
static bool seconds_arg(const char *opt, const char *s, double hi, double *out) {
  char *end;
  errno = 0;
  double v = s ? strtod(s, &end) : 0;
  if (!s || errno || end == s || *end || !(v >= 0 && v <= hi)) {
    fprintf(stderr, "tvl: %s needs a number of seconds from 0 to %g\n", opt, hi);
    return false;
  }
  *out = v;
  return true;
}

typedef struct { bool is_expr; const char *text; } action;

int main(int argc, char **argv) {
  shell sh;
  shell_init(&sh);
  VEC(action) actions = {0};
  bool force_repl = false, quiet = false;
  int stats = -1;
  int status = 0;
  bool options_done = false;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (options_done || a[0] != '-' || !strcmp(a, "-")) {
      action act = {false, a};
      VEC_PUSH(actions, act);
    } else if (!strcmp(a, "--")) {
      options_done = true;
    } else if (!strcmp(a, "-e")) {
      if (i + 1 >= argc) {
        fprintf(stderr, "tvl: -e needs an expression\n");
        status = 2;
        goto done;
      }
      action act = {true, argv[++i]};
      VEC_PUSH(actions, act);
    } else if (!strcmp(a, "-i")) {
      force_repl = true;
    } else if (!strcmp(a, "-q")) {
      quiet = true;
    } else if (is_limit_option(&sh, a)) {
      if (!limit_arg(&sh, a, i + 1 < argc ? argv[++i] : NULL)) { status = 2; goto done; }
    } else if (!strcmp(a, "--no-extern")) {
      sh.s->w->no_extern = true;
    } else if (!strcmp(a, "--bignum")) {
      bn_enable(true);
    } else if (!strcmp(a, "--reference")) {
      sh.s->mode = MODE_REFERENCE;
    } else if (!strcmp(a, "--transformer")) {
      sh.s->mode = MODE_TRANSFORMER;
    } else if (!strcmp(a, "--check")) {
      sh.s->mode = MODE_CHECK;
    } else if (!strcmp(a, "--kv")) {
      const char *k = i + 1 < argc ? argv[++i] : "";
      if (strcmp(k, "hull") && strcmp(k, "brute")) {
        fprintf(stderr, "tvl: --kv takes hull or brute\n");
        status = 2;
        goto done;
      }
      sh.s->brute = !strcmp(k, "brute");
    } else if (!strcmp(a, "--dense")) {
      sh.s->dense = true;
    } else if (!strcmp(a, "--milp")) {
      if (!seconds_arg(a, i + 1 < argc ? argv[++i] : NULL, 3600, &sh.s->milp_limit)) { status = 2; goto done; }
    } else if (!strcmp(a, "--stats")) {
      stats = 1;
    } else if (!strcmp(a, "--no-stats")) {
      stats = 0;
    } else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
      usage(stdout);
      goto done;
    } else if (!strcmp(a, "--version") || !strcmp(a, "-V")) {
      printf("tvl %s\n", PACKAGE_VERSION);
      goto done;
    } else {
      fprintf(stderr, "tvl: unknown option %s (tvl --help lists them)\n", a);
      status = 2;
      goto done;
    }
  }
  sh.interactive = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
  sh.stats = stats >= 0 ? stats : sh.interactive;
  sh.out_tty = isatty(STDOUT_FILENO);
  if (isatty(STDERR_FILENO)) {
    const char *after = getenv("TVL_PROGRESS_AFTER");   /* seconds */
    sh.s->progress = shell_progress;
    sh.s->progress_ctx = &sh;
    sh.s->progress_after = after && after[0] ? atof(after) * 1e3 : 1000;
  }
  for (int i = 0; i < actions.n && status == 0 && !sh.quit; i++) {
    bool ok;
    if (actions.v[i].is_expr) {
      sh.print_results = true;
      ok = shell_run_string(&sh, "<expr>", actions.v[i].text);
    } else {
      sh.print_results = false;
      /* a script's forms show their cost only when asked to */
      bool repl_stats = sh.stats;
      sh.stats = stats == 1;
      ok = shell_run_file(&sh, actions.v[i].text);
      sh.stats = repl_stats;
    }
    if (!ok) status = 1;
  }
  if (sh.quit) {   /* (exit N) in a script or an expression */
    status = sh.quit_status;
  } else if (actions.n == 0 || force_repl) {
    sh.print_results = true;
    const char *hist = getenv("TVL_HISTFILE");
    const char *home = getenv("HOME");
    if (hist && hist[0]) {
      sh.histfile = xstrdup(hist);
    } else if (home) {
      strbuf b;
      sb_init(&b);
      sb_printf(&b, "%s/.tvl_history", home);
      sh.histfile = sb_detach(&b);
    }
    sh.banner = !quiet;
    int before = sh.nerrors;
    shell_repl(&sh);
    if (!sh.interactive && sh.nerrors > before) status = 1;
    if (sh.quit) status = sh.quit_status ? sh.quit_status : status;
  }
done:
  fflush(stdout);
  VEC_FREE(actions);
  shell_free(&sh);
  return status;
}
