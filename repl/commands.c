/* commands.c - the colon commands and the command-line options.  One table
 * each; dispatch, abbreviations, :help and the man-page test all read
 * these tables, so a command cannot exist without being documented. */
#include "config.h"

#include "inspect.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void cmd_help(shell *sh, const char *args);
static void cmd_quit(shell *sh, const char *args);
static void cmd_load(shell *sh, const char *args);
static void cmd_reset(shell *sh, const char *args);
static void cmd_env(shell *sh, const char *args);
static void cmd_limit(shell *sh, const char *args);
static void cmd_mode(shell *sh, const char *args);
static void cmd_slots(shell *sh, const char *args);
static void cmd_schedule(shell *sh, const char *args);
static void cmd_optimize(shell *sh, const char *args);
static void cmd_ir(shell *sh, const char *args);
static void cmd_time(shell *sh, const char *args);
static void cmd_dense(shell *sh, const char *args);

static const shell_command commands[] = {
  {"help", "[NAME]", "list the commands, or explain a command, form or builtin", cmd_help},
  {"quit", "", "leave tvl (Ctrl-D does the same)", cmd_quit},
  {"load", "FILE", "run the forms of a file in this session", cmd_load},
  {"reset", "", "forget every definition", cmd_reset},
  {"env", "[NAME]", "list the definitions, or show one", cmd_env},
  {"time", "EXPR", "run EXPR and show its compile time, run time, tokens and tokens/s", cmd_time},
  {"limit", "[NAME VALUE]", "show or set the limits on steps, depth, heap, memory and time", cmd_limit},
  {"mode", "[reference|transformer|check]", "show or set how forms run", cmd_mode},
  {"dense", "[on|off]", "show or set dense runs: every FFN unit at every position (on), or the shared and running step's only (off: routed, the default)", cmd_dense},
  {"slots", "NAME [--all | --svg FILE]", "the residual slots of a procedure's model: which holds each of its values, and when", cmd_slots},
  {"schedule", "NAME", "per layer, the heads and FFN units of a procedure's model", cmd_schedule},
  {"optimize", "NAME [SECONDS]", "reschedule a procedure's model with the MILP (default 10 s)", cmd_optimize},
  {"ir", "NAME", "the lowered program (statements) of a procedure", cmd_ir},
  {"trace", "[--json] [--resid] [--steps N] EXPR [> FILE]", "run EXPR and show every generated token, what it means and what each head read", cmd_trace},
  {"weights", "NAME [LAYER] [> FILE] | NAME --svg FILE", "the matrices of a procedure's model, by head and FFN unit, or a heat map", cmd_weights},
  {"margins", "NAME [ARG ...] | (EXPR) [> FILE]", "how far a run of the model is from miscomputing: score gaps and FFN slack", cmd_margins},
  {"export", "NAME FILE [ARG ...] | (EXPR) FILE", "save a model, its prompt and its decoding tables as safetensors", cmd_export},
  {"explain", "NAME", "a source map: per step of a procedure, the heads that read for it and the slot of its value", cmd_explain},
  {"ablate", "COMPONENT [--at POSITIONS] EXPR [> FILE]", "run EXPR with a head, an FFN unit or a slot zeroed, and compare", cmd_ablate},
  {"patch", "COMPONENT [--at POSITIONS] EXPR1 EXPR2 [> FILE]", "run EXPR2 with a head's, a unit's or a slot's activations from EXPR1's run, and compare", cmd_patch},
};
enum { NCOMMANDS = sizeof commands / sizeof commands[0] };

const shell_command *command_at(int i) {
  return i >= 0 && i < NCOMMANDS ? &commands[i] : NULL;
}

static const shell_option options[] = {
  {"-e", "EXPR", "evaluate EXPR and print its value; may be repeated"},
  {"-i", NULL, "enter the REPL after running the files and expressions"},
  {"-q", NULL, "no banner when the REPL starts"},
  {"--max-steps", "N", "stop a program after N steps: calls and loop iterations in the evaluator, tokens in the transformer (default 100000000)"},
  {"--max-depth", "N", "stop a recursion nested deeper than N calls (default 1000000)"},
  {"--max-heap", "N", "limit all vectors together to N cells (default 4194304)"},
  {"--max-memory", "BYTES", "stop a form using more memory than BYTES (K, M or G suffix; default half the RAM)"},
  {"--max-time", "SECONDS", "stop a form running longer than SECONDS (default: no limit)"},
  {"--no-extern", NULL, "refuse extern: scripts call no C functions (also TVL_NO_EXTERN=1)"},
  {"--bignum", NULL, "experimental: the reference evaluator's integers past 32 bits (also TVL_BIGNUM=1)"},
  {"--reference", NULL, "run everything with the reference evaluator instead of the transformer"},
  {"--transformer", NULL, "compile every form and run it in the transformer (the default)"},
  {"--check", NULL, "run every form in both and report the first difference"},
  {"--kv", "hull|brute", "the attention KV cache: the O(log t) hull (default) or a linear scan"},
  {"--dense", NULL, "run every FFN unit at every position, not only the running step's (routing off, for comparison)"},
  {"--milp", "SECONDS", "MILP scheduling time per procedure definition (default 1; 0: list schedule)"},
  {"--stats", NULL, "follow each result with its token or step count and time"},
  {"--no-stats", NULL, "do not show step counts and times (the default when not interactive)"},
  {"--help", NULL, "show the options and exit (also -h)"},
  {"--version", NULL, "show the version and exit (also -V)"},
};

const shell_option *option_at(int i) {
  return i >= 0 && (size_t)i < sizeof options / sizeof options[0] ? &options[i] : NULL;
}

/* ---- the language, for :help NAME ---------------------------------- */

static const struct { const char *name, *syntax, *brief; } forms[] = {
  {"define", "(define NAME EXPR) | (define (NAME PARAM ...) BODY ...)", "define a variable or a procedure"},
  {"deftable", "(deftable NAME (KEY VALUE) ... [(else DEFAULT)])", "define a lookup table; (NAME KEY) looks up"},
  {"lambda", "(lambda (PARAM ...) BODY ...) | (lambda (PARAM ... . REST) BODY ...)", "a procedure value, capturing the variables it uses"},
  {"let", "(let ((NAME EXPR) ...) BODY ...) | (let LOOP ((NAME EXPR) ...) BODY ...)", "local variables; the named form is a loop"},
  {"let*", "(let* ((NAME EXPR) ...) BODY ...)", "local variables, each seeing the previous ones"},
  {"letrec", "(letrec ((NAME EXPR) ...) BODY ...)", "local definitions that see each other"},
  {"letrec*", "(letrec* ((NAME EXPR) ...) BODY ...)", "like letrec, the values computed in order"},
  {"if", "(if TEST THEN [ELSE])", "choose by TEST (only #f is false)"},
  {"cond", "(cond (TEST EXPR ...) ... [(else EXPR ...)])", "the first clause whose test is true"},
  {"case", "(case KEY ((DATUM ...) EXPR ...) ... [(else EXPR ...)])", "the clause listing KEY"},
  {"when", "(when TEST EXPR ...)", "run the body if TEST is true"},
  {"unless", "(unless TEST EXPR ...)", "run the body if TEST is false"},
  {"and", "(and EXPR ...)", "#f at the first false value, else the last value"},
  {"or", "(or EXPR ...)", "the first true value, else #f"},
  {"begin", "(begin EXPR ...)", "run in order; the value of the last"},
  {"set!", "(set! NAME EXPR)", "assign a variable"},
  {"do", "(do ((NAME INIT STEP) ...) (TEST RESULT ...) BODY ...)", "loop until TEST is true"},
  {"while", "(while TEST BODY ...)", "loop while TEST is true"},
  {"quote", "(quote DATUM) | 'DATUM", "a symbol, integer, boolean, string, vector or list as written"},
  {"quasiquote", "(quasiquote TEMPLATE) | `TEMPLATE", "TEMPLATE as written, with the values of its ,EXPR and ,@EXPR"},
  {"define-values", "(define-values (NAME ...) EXPR)", "define names as the values EXPR returns"},
  {"define-record-type", "(define-record-type TYPE (CTOR FIELD ...) PRED (FIELD ACCESSOR [MODIFIER]) ...)", "define a record type (SRFI 9)"},
  {"let-values", "(let-values (((NAME ...) EXPR) ...) BODY ...)", "local variables bound to the values of expressions"},
  {"let*-values", "(let*-values (((NAME ...) EXPR) ...) BODY ...)", "like let-values, each binding seeing the previous ones"},
  {"receive", "(receive (NAME ...) EXPR BODY ...)", "local variables bound to the values of EXPR"},
  {"case-lambda", "(case-lambda ((PARAM ...) BODY ...) ...)", "a procedure whose clause depends on its number of arguments"},
  {"define*", "(define* (NAME PARAM ... [#:optional OPT ...] [#:key KEY ...] [#:rest REST]) BODY ...)", "define a procedure with optional and keyword parameters"},
  {"lambda*", "(lambda* (PARAM ... [#:optional OPT ...] [#:key KEY ...] [#:rest REST]) BODY ...)", "a procedure value with optional and keyword parameters"},
  {"match", "(match EXPR (PATTERN BODY ...) ...)", "the first clause whose pattern matches, after (use-modules (ice-9 match))"},
  {"match-lambda", "(match-lambda (PATTERN BODY ...) ...)", "a procedure of one argument that matches it"},
  {"match-lambda*", "(match-lambda* (PATTERN BODY ...) ...)", "a procedure that matches the list of its arguments"},
  {"match-let", "(match-let ((PATTERN EXPR) ...) BODY ...)", "bind the parts of values that match patterns"},
  {"match-let*", "(match-let* ((PATTERN EXPR) ...) BODY ...)", "like match-let, each binding seeing the previous ones"},
  {"define-syntax", "(define-syntax NAME (syntax-rules (LITERAL ...) (PATTERN TEMPLATE) ...))", "define a macro, at top level"},
  {"extern", "(extern NAME \"LIBRARY\" \"SYMBOL\" (TYPE ...) TYPE)",
   "declare a C function (types int32 int64 double string, result also void); calls are tool calls in the transformer"},
};

static const char *kind_word(arg_kind k) {
  switch (k) {
  case AK_INT: return "INT";
  case AK_VEC: return "VECTOR";
  case AK_BOOL: return "BOOL";
  case AK_PAIR: return "PAIR";
  case AK_PROC: return "PROCEDURE";
  case AK_STR: return "STRING";
  case AK_CHAR: return "CHAR";
  case AK_SYM: return "SYMBOL";
  default: return "VALUE";
  }
}

/* "(vector-ref VECTOR INT)", "(- INT [INT ...])", from the builtin table,
 * so that :help cannot disagree with what the checker enforces. */
static void builtin_synopsis(const builtin *b, strbuf *out) {
  sb_printf(out, "(%s", b->name);
  int shown = b->max_args < 0 ? b->min_args : b->max_args;
  for (int i = 0; i < shown; i++) {
    arg_kind k = builtin_arg_kind(b, i);
    sb_printf(out, i < b->min_args ? " %s" : " [%s]", kind_word(k));
  }
  if (b->max_args < 0) sb_printf(out, " [%s ...]", kind_word(b->arg));
  sb_putc(out, ')');
}

/* Prints a paragraph wrapped at 78 columns, indented by two. */
static void wrap_paragraph(shell *sh, const char *p, size_t n) {
  size_t col = 0, i = 0;
  while (i < n) {
    while (i < n && p[i] == ' ') i++;
    size_t j = i;
    while (j < n && p[j] != ' ') j++;
    if (j == i) break;
    size_t len = j - i;   /* bytes: a few UTF-8 words wrap a bit early */
    if (col && col + 1 + len > 76) {
      shell_out(sh, "\n", 1);
      col = 0;
    }
    shell_out(sh, col ? " " : "  ", col ? 1 : 2);
    shell_out(sh, p + i, len);
    col += len + 1;
    i = j;
  }
  shell_out(sh, "\n", 1);
}

/* tvl(1)'s entry for name (":trace" or "trace" for a command). */
static void help_entry(shell *sh, const man_entry *e, bool first);

/* Every entry of that name: list-index has Guile's and SRFI-1's. */
static bool help_from_man(shell *sh, const char *name) {
  bool found = false;
  for (int i = 0; man_entries[i].name; i++) {
    const char *m = man_entries[i].name;
    if (!strcmp(m, name) || (m[0] == ':' && name[0] != ':' && !strcmp(m + 1, name) &&
                             !builtin_find(name))) {
      help_entry(sh, &man_entries[i], !found);
      found = true;
    }
  }
  return found;
}

/* first: the builtin's synopsis, as the checker sees it, heads the first
 * entry (a later one is the library procedure of the same name) */
static void help_entry(shell *sh, const man_entry *e, bool first) {
  /* a form's syntax and a builtin's arguments as the checker sees them */
  const builtin *b = e->name[0] != ':' && first ? builtin_find(e->name) : NULL;
  const char *syntax = NULL;
  for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++)
    if (!strcmp(forms[i].name, e->name)) syntax = forms[i].syntax;
  if (b) {
    strbuf syn;
    sb_init(&syn);
    builtin_synopsis(b, &syn);
    shell_printf(sh, "%s\n", syn.s);
    sb_free(&syn);
  } else {
    shell_printf(sh, "%s\n", syntax ? syntax : e->head);
  }
  for (const char *p = e->body; *p;) {
    const char *end = strchr(p, '\n');
    size_t n = end ? (size_t)(end - p) : strlen(p);
    if (n && p[0] == ' ') {
      shell_out(sh, p, n);
      shell_out(sh, "\n", 1);
    } else if (n) {
      wrap_paragraph(sh, p, n);
    } else {
      shell_out(sh, "\n", 1);
    }
    p += n + (end != NULL);
  }
}

static void help_on(shell *sh, const char *name) {
  if (help_from_man(sh, name)) return;
  const char *n = name[0] == ':' ? name + 1 : name;
  for (int i = 0; i < NCOMMANDS; i++)
    if (!strcmp(commands[i].name, n)) {
      shell_printf(sh, ":%s %s\n  %s\n", commands[i].name, commands[i].args,
                   commands[i].brief);
      return;
    }
  for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++)
    if (!strcmp(forms[i].name, name)) {
      shell_printf(sh, "%s\n  %s\n", forms[i].syntax, forms[i].brief);
      return;
    }
  const builtin *b = builtin_find(name);
  if (b) {
    strbuf syn;
    sb_init(&syn);
    builtin_synopsis(b, &syn);
    shell_printf(sh, "%s\n  %s\n", syn.s, b->doc);
    sb_free(&syn);
    return;
  }
  shell_message(sh, "no help on '%s': it is not a command, special form or "
                    "builtin", name);
  sh->nerrors++;
}

/* Prints a word of a list wrapped at 78 columns; col -1 starts a new
 * list with its title.  Returns the new column. */
static int wrap_word(shell *sh, int col, const char *w) {
  int len = (int)strlen(w);
  if (col < 0) {
    shell_printf(sh, "%s%s", col == -1 && sh->at_bol ? "" : "\n", w);
    return len;
  }
  if (col + 1 + len > 78) {
    shell_printf(sh, "\n ");
    col = 1;
  }
  shell_printf(sh, " %s", w);
  return col + 1 + len;
}

/* "man tvl", or, for a tvl run from its build tree (where man/tvl.1 is
 * next to the program and man tvl may find nothing), "man ./man/tvl.1"
 * with the page's path from here. */
static const char *man_command(void) {
  static char *cmd;
  char exe[PATH_MAX], cwd[PATH_MAX];
  if (cmd) return cmd;
  strbuf b;
  sb_init(&b);
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  char *slash = n > 0 ? (exe[n] = 0, strrchr(exe, '/')) : NULL;
  if (slash) *slash = 0;
  sb_printf(&b, "%s/man/tvl.1", exe);
  if (!slash || access(b.s, R_OK) != 0) {
    sb_clear(&b);
    sb_puts(&b, "man tvl");
  } else {
    size_t el = strlen(exe);
    sb_clear(&b);
    sb_puts(&b, "man ");
    if (!getcwd(cwd, sizeof cwd) || strncmp(cwd, exe, el) ||
        (cwd[el] && cwd[el] != '/')) {
      sb_printf(&b, "%s/", exe);
    } else {   /* from a directory of the tree: a relative path */
      if (!cwd[el]) sb_puts(&b, "./");
      for (const char *c = cwd + el; *c; c++)
        if (*c == '/') sb_puts(&b, "../");
    }
    sb_puts(&b, "man/tvl.1");
  }
  cmd = sb_detach(&b);
  return cmd;
}

static void cmd_help(shell *sh, const char *args) {
  if (args[0]) {
    help_on(sh, args);
    return;
  }
  shell_printf(sh, "Commands (a unique prefix is enough, e.g. :q):\n");
  for (int i = 0; i < NCOMMANDS; i++) {
    char head[64];
    snprintf(head, sizeof head, ":%s %s", commands[i].name, commands[i].args);
    if (strlen(head) > 28) /* a long synopsis gets a line of its own */
      shell_printf(sh, "  %s\n  %-28s %s\n", head, "", commands[i].brief);
    else
      shell_printf(sh, "  %-28s %s\n", head, commands[i].brief);
  }
  int col = wrap_word(sh, -1, "Special forms:");
  for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++)
    col = wrap_word(sh, col, forms[i].name);
  col = wrap_word(sh, -1, "Builtins:");
  for (int i = 0; builtin_at(i); i++)
    if (builtin_at(i)->name[0] != '%')   /* not the hidden ones (lang/records.c) */
      col = wrap_word(sh, col, builtin_at(i)->name);
  /* written in tvl (lib/prelude.c): SRFI-1's after (use-modules (srfi
   * srfi-1)), as in Guile */
  col = wrap_word(sh, -1, "Library:");
  const char *name;
  bool srfi1;
  for (int i = 0; prelude_names(i, &name, &srfi1); i++)
    if (name[0] != '%') col = wrap_word(sh, col, name);   /* not the helpers */
  shell_printf(sh, "\n:help NAME explains one of them, as %s does, with "
                   "examples.\n", man_command());
}

static void cmd_quit(shell *sh, const char *args) {
  (void)args;
  sh->quit = true;
}

static void cmd_load(shell *sh, const char *args) {
  if (!args[0]) {
    shell_message(sh, ":load needs a file name");
    sh->nerrors++;
    return;
  }
  sh->load_depth++;
  shell_run_file(sh, args);
  sh->load_depth--;
}

static void cmd_reset(shell *sh, const char *args) {
  (void)args;
  session_reset(sh->s);
  shell_printf(sh, "every definition is forgotten\n");
}

static void cmd_env(shell *sh, const char *args) {
  world *w = sh->s->w;
  strbuf b;
  sb_init(&b);
  if (args[0]) {
    int sym = sym_lookup(&w->syms, args, strlen(args));
    if (sym < 0 || !session_describe(sh->s, sym, 0, &b)) {
      if (builtin_find(args))
        shell_message(sh, "%s is a builtin, not a definition (:help %s "
                          "describes it)", args, args);
      else
        shell_message(sh, "%s is not defined", args);
      sh->nerrors++;
    } else {
      shell_printf(sh, "%s\n", b.s);
    }
    sb_free(&b);
    return;
  }
  int shown = 0;
  for (int i = 0; i < w->globals.n; i++) {
    sb_clear(&b);
    if (w->globals.v[i] &&
        session_describe(sh->s, i, SUMMARY_VALUE_MAX, &b)) {
      shell_printf(sh, "%s\n", b.s);
      shown++;
    }
  }
  if (!shown) shell_printf(sh, "nothing is defined\n");
  sb_free(&b);
}

static void cmd_limit(shell *sh, const char *args) {
  strbuf b;
  sb_init(&b);
  if (!args[0]) {
    session_show_limits(sh->s, &b);
    shell_printf(sh, "%s", b.s);
    sb_free(&b);
    return;
  }
  char what[16];
  const char *sp = strchr(args, ' ');
  size_t wl = sp ? (size_t)(sp - args) : strlen(args);
  if (!sp || wl >= sizeof what) {
    shell_message(sh, "usage: :limit [steps N | depth N | heap N | memory "
                      "BYTES | time SECONDS]");
    sh->nerrors++;
    return;
  }
  memcpy(what, args, wl);
  what[wl] = 0;
  while (*sp == ' ') sp++;
  if (!session_parse_limit(sh->s, what, sp, &b)) {
    shell_message(sh, "%s", b.s);
    sh->nerrors++;
  }
  sb_free(&b);
}

static void cmd_time(shell *sh, const char *args) {
  if (!args[0]) {
    shell_message(sh, "usage: :time EXPR");
    sh->nerrors++;
    return;
  }
  shell_time(sh, args);
}

static void cmd_dense(shell *sh, const char *args) {
  if (!args[0]) shell_printf(sh, "%s\n", sh->s->dense ? "on" : "off (routed)");
  else if (!strcmp(args, "on")) sh->s->dense = true;
  else if (!strcmp(args, "off")) sh->s->dense = false;
  else {
    shell_message(sh, "usage: :dense [on | off]");
    sh->nerrors++;
  }
}

/* ---- dispatch ------------------------------------------------------- */

/* Guile's names for commands that tvl names otherwise (,binding ,describe
 * ,t), accepted after a colon or a comma. */
static const struct { const char *alias, *name; } aliases[] = {
  {"binding", "env"}, {"describe", "help"}, {"t", "time"}, {"exit", "quit"},
};
enum { NALIASES = sizeof aliases / sizeof aliases[0] };

void shell_command_line(shell *sh, const char *line) {
  while (isspace((unsigned char)*line)) line++;
  line++;   /* the colon */
  while (isspace((unsigned char)*line)) line++;
  const char *end = line;
  while (*end && !isspace((unsigned char)*end)) end++;
  size_t n = (size_t)(end - line);
  const char *args = end;
  while (isspace((unsigned char)*args)) args++;
  char *a = xstrdup(args);
  for (size_t k = strlen(a); k > 0 && isspace((unsigned char)a[k - 1]); k--)
    a[k - 1] = 0;
  for (int i = 0; i < NALIASES; i++)
    if (strlen(aliases[i].alias) == n && !strncmp(aliases[i].alias, line, n)) {
      line = aliases[i].name;
      n = strlen(line);
      break;
    }
  const shell_command *found = NULL;
  int matches = 0;
  for (int i = 0; i < NCOMMANDS; i++) {
    if (strlen(commands[i].name) == n && !strncmp(commands[i].name, line, n)) {
      found = &commands[i];
      matches = 1;
      break;
    }
    if (n && !strncmp(commands[i].name, line, n)) {
      found = &commands[i];
      matches++;
    }
  }
  if (matches == 1) {
    found->run(sh, a);
  } else if (matches == 0) {
    char *word = xmalloc(n + 1);
    memcpy(word, line, n);
    word[n] = 0;
    near_word nw;
    near_init(&nw, word);
    for (int i = 0; i < NCOMMANDS; i++) near_try(&nw, commands[i].name);
    for (int i = 0; i < NALIASES; i++) near_try(&nw, aliases[i].alias);
    if (nw.best)
      shell_message(sh, "unknown command :%s (did you mean :%s? :help lists the "
                        "commands)", word, nw.best);
    else
      shell_message(sh, "unknown command :%s (:help lists the commands)", word);
    free(word);
    sh->nerrors++;
  } else {
    strbuf b;
    sb_init(&b);
    for (int i = 0; i < NCOMMANDS; i++)
      if (!strncmp(commands[i].name, line, n))
        sb_printf(&b, "%s:%s", b.n ? ", " : "", commands[i].name);
    shell_message(sh, "ambiguous command :%.*s could be %s", (int)n, line, b.s);
    sb_free(&b);
    sh->nerrors++;
  }
  free(a);
}

/* ---- completion ----------------------------------------------------- */

static void offer(str_list *out, const char *word, char lead, const char *name) {
  size_t n = strlen(word);
  size_t skip = lead ? 1 : 0;
  if (n < skip || strncmp(name, word + skip, n - skip)) return;
  strbuf b;
  sb_init(&b);
  if (lead) sb_putc(&b, lead);
  sb_puts(&b, name);
  VEC_PUSH(*out, sb_detach(&b));
}

const char *command_named(const char *w, size_t n) {
  for (int i = 0; i < NALIASES; i++)
    if (strlen(aliases[i].alias) == n && !strncmp(aliases[i].alias, w, n))
      return aliases[i].name;
  const char *found = NULL;
  for (int i = 0; i < NCOMMANDS; i++) {
    if (strncmp(commands[i].name, w, n)) continue;
    if (strlen(commands[i].name) == n) return commands[i].name;
    if (found) return NULL;
    found = commands[i].name;
  }
  return found;
}

void shell_complete(void *ctx, const char *line, size_t start, const char *word,
                    str_list *out, bool *files) {
  shell *sh = ctx;
  world *w = sh->s->w;
  size_t i = 0;
  while (i < start && isspace((unsigned char)line[i])) i++;
  if (i == start && (word[0] == ':' || word[0] == ',')) {
    for (int k = 0; k < NCOMMANDS; k++) offer(out, word, word[0], commands[k].name);
    for (int k = 0; k < NALIASES; k++) offer(out, word, word[0], aliases[k].alias);
    return;
  }
  if (i < start && (line[i] == ':' || line[i] == ',')) {
    size_t c = i + 1, e = c;
    while (e < start && !isspace((unsigned char)line[e])) e++;
    const char *cmd = command_named(line + c, e - c);
    size_t k = start;
    while (k > e && isspace((unsigned char)line[k - 1])) k--;
    /* "> FILE", ":load FILE", ":export NAME FILE" */
    int argno = 0;
    for (size_t j = e; j < start; j++)
      if (!isspace((unsigned char)line[j]) && isspace((unsigned char)line[j - 1])) argno++;
    if ((k > e && line[k - 1] == '>') || (cmd && !strcmp(cmd, "load")) ||
        (cmd && !strcmp(cmd, "export") && argno == 1)) {
      *files = true;
      return;
    }
    if (cmd && !strcmp(cmd, "help"))
      for (int n = 0; n < NCOMMANDS; n++) offer(out, word, ':', commands[n].name);
  }
  for (size_t k = 0; k < sizeof forms / sizeof forms[0]; k++) offer(out, word, 0, forms[k].name);
  for (int k = 0; builtin_at(k); k++) offer(out, word, 0, builtin_at(k)->name);
  for (int k = 0; k < w->globals.n; k++)
    if (w->globals.v[k] && w->globals.v[k]->kind != G_UNDEFINED)
      offer(out, word, 0, sym_name(&w->syms, k));
}

/* ---- the compiled model ------------------------------------------- */

static void cmd_mode(shell *sh, const char *args) {
  session *s = sh->s;
  if (!args[0]) {
    shell_printf(sh, "%s\n", run_mode_name(s->mode));
    return;
  }
  if (!strcmp(args, "reference")) {
    s->mode = MODE_REFERENCE;
    shell_printf(sh, "reference: forms run in the reference evaluator\n");
  } else if (!strcmp(args, "transformer")) {
    s->mode = MODE_TRANSFORMER;
    shell_printf(sh, "transformer: forms are compiled into weights and run by "
                     "the transformer\n");
  } else if (!strcmp(args, "check")) {
    s->mode = MODE_CHECK;
    shell_printf(sh, "check: each form runs in the transformer and in the "
                     "reference evaluator; what they print, their values and "
                     "their errors are compared, and a difference is an error\n");
  } else {
    shell_message(sh, "usage: :mode [reference|transformer|check]");
    sh->nerrors++;
  }
}

/* The compiled program of the procedure NAME, or NULL (reported). */
const mprog *program_of(shell *sh, const char *name) {
  world *w = sh->s->w;
  if (!name[0]) {
    shell_message(sh, "this command needs the name of a procedure");
    sh->nerrors++;
    return NULL;
  }
  int sym = sym_lookup(&w->syms, name, strlen(name));
  gcell *g = sym >= 0 ? world_find(w, sym) : NULL;
  if (!g || g->kind != G_FUNC) {
    shell_message(sh, "%s is not a procedure", name);
    sh->nerrors++;
    return NULL;
  }
  if (!sh->s->run) sh->s->run = runner_new(w);
  lang_error err = {0};
  guard gd;   /* Ctrl-C and the limits stop the compilation */
  guard_init(&gd, w->interrupt, w->lim.max_memory, w->lim.max_seconds);
  guard *prev = guard_install(&gd);
  const mprog *p = runner_program(sh->s->run, g, &err);
  guard_install(prev);
  if (!p) {
    shell_message(sh, "%s", err.msg ? err.msg : "cannot compile it");
    sh->nerrors++;
  }
  lang_error_free(&err);
  return p;
}

static void half_layer(int t, strbuf *out) {
  if (t < 0) sb_puts(out, "in");
  else if (t >= 1 << 20) sb_puts(out, "out");
  else sb_printf(out, "L%d%s", t / 2, t % 2 ? "f" : "a");
}

/* "NAME --svg FILE": the name, and the file (NULL without --svg). */
static bool svg_args(shell *sh, const char *args, const char *usage, char **name,
                     char **path) {
  iwords ws;
  iwords_split(&ws, args);
  *name = *path = NULL;
  bool ok = ws.w.n == 1 || (ws.w.n == 3 && !strcmp(ws.w.v[1], "--svg"));
  if (ok) {
    *name = xstrdup(ws.w.v[0]);
    if (ws.w.n == 3) *path = xstrdup(ws.w.v[2]);
  } else {
    shell_message(sh, "usage: %s", usage);
    sh->nerrors++;
  }
  iwords_free(&ws);
  return ok;
}

static void slots_listing(shell *sh, const mprog *p, const char *name, bool all);

static void cmd_slots(shell *sh, const char *args) {
  char *name, *path;
  if (strstr(args, "--svg")) {
    if (!svg_args(sh, args, ":slots NAME [--all | --svg FILE]", &name, &path)) return;
    const mprog *p = program_of(sh, name);
    if (p && path && slots_svg(sh, p, name, path))
      shell_printf(sh, "wrote %s: the slots of %s, %d wide, across %d layer%s\n", path,
                   name, p->pl.d_model, p->pl.n_layers, p->pl.n_layers == 1 ? "" : "s");
    free(name);
    free(path);
    return;
  }
  iwords ws;
  iwords_split(&ws, args);
  bool all = ws.w.n == 2 && !strcmp(ws.w.v[1], "--all");
  if (ws.w.n != 1 && !all) {
    shell_message(sh, "usage: :slots NAME [--all | --svg FILE]");
    sh->nerrors++;
    iwords_free(&ws);
    return;
  }
  const mprog *p = program_of(sh, ws.w.v[0]);
  if (p) slots_listing(sh, p, ws.w.v[0], all);
  iwords_free(&ws);
}

/* The program's names by slot, the machine's slots in one line; with
 * all, every slot and every value it holds in turn. */
static void slots_listing(shell *sh, const mprog *p, const char *name, bool all) {
  const gate_graph *gg = &p->gg;
  const placement *pl = &p->pl;
  shell_printf(sh, "%s: %sd_model %d, %d layer%s (a = attention, f = FFN half)\n", name,
               p->circ ? "circuit, " : "", pl->d_model, pl->n_layers,
               pl->n_layers == 1 ? "" : "s");
  strbuf b;
  sb_init(&b);
  if (!all) {
    slotmap_names(p, "\n  ", &b);
    if (b.n) shell_printf(sh, "  %s\n", b.s);
    sb_clear(&b);
    slotmap_machine(p, &b);
    shell_printf(sh, "%s  %s\n(:slots %s --all lists every slot)\n", p->circ ? "also" : "machine",
                 b.s, name);
    sb_free(&b);
    return;
  }
  for (int s = 0; s < pl->d_model; s++) {
    sb_clear(&b);
    sb_printf(&b, "%4d ", s);
    int shown = 0;
    for (int g = 0; g < gg->g.n; g++) {
      if (pl->slot[g] != s || pl->time[g] == -3) continue;
      if (shown++) sb_puts(&b, ", ");
      sb_printf(&b, "%s [", gg->g.v[g].name);
      half_layer(pl->live_from[g], &b);
      sb_puts(&b, "..");
      half_layer(pl->live_to[g] >= 2 * pl->n_layers ? 1 << 20 : pl->live_to[g], &b);
      sb_putc(&b, ']');
    }
    shell_printf(sh, "%s\n", b.s);
  }
  sb_free(&b);
}

static void cmd_schedule(shell *sh, const char *args) {
  const mprog *p = program_of(sh, args);
  if (!p) return;
  const gate_graph *gg = &p->gg;
  const placement *pl = &p->pl;
  for (int l = 0; l < pl->n_layers; l++) {
    shell_printf(sh, "layer %d: %d head%s, %d FFN unit%s\n", l, pl->heads_per_layer[l],
                 pl->heads_per_layer[l] == 1 ? "" : "s", pl->ffn_units[l],
                 pl->ffn_units[l] == 1 ? "" : "s");
    for (int g = 0; g < gg->g.n; g++)
      if (gg->g.v[g].type == GT_HEAD && pl->time[g] == 2 * l)
        shell_printf(sh, "  head %d  %s (%s, %d value%s)\n", pl->phys_head[g], gg->g.v[g].name,
                     gg->g.v[g].tie == TIE_LATEST ? "latest" : "average", gg->g.v[g].dv,
                     gg->g.v[g].dv == 1 ? "" : "s");
    /* FFN gates, grouped by name */
    VEC(struct grp { const char *name; int gates, units; }) grp = {0};
    for (int g = 0; g < gg->g.n; g++) {
      const gate *x = &gg->g.v[g];
      if (x->type != GT_FFN || pl->time[g] != 2 * l + 1) continue;
      int k = 0;
      while (k < grp.n && strcmp(grp.v[k].name, x->name)) k++;
      if (k == grp.n) {
        struct grp e = {x->name, 0, 0};
        VEC_PUSH(grp, e);
      }
      grp.v[k].gates++;
      grp.v[k].units += x->nunits;
    }
    for (int k = 0; k < grp.n; k++)
      shell_printf(sh, "  ffn   %-28s %3d gate%s %4d unit%s\n", grp.v[k].name, grp.v[k].gates,
                   grp.v[k].gates == 1 ? " " : "s", grp.v[k].units, grp.v[k].units == 1 ? "" : "s");
    int clears = 0;
    for (int c = 0; c < pl->clears.n; c++) clears += pl->clears.v[c].layer == l;
    if (clears) shell_printf(sh, "  ffn   %-28s     %4d unit%s\n", "slot clears", clears, clears == 1 ? "" : "s");
    VEC_FREE(grp);
  }
}

static void cmd_optimize(shell *sh, const char *args) {
  char name[256];
  double secs = 10;
  const char *sp = strchr(args, ' ');
  size_t n = sp ? (size_t)(sp - args) : strlen(args);
  if (n >= sizeof name) n = sizeof name - 1;
  memcpy(name, args, n);
  name[n] = 0;
  if (sp) {
    char *end;
    secs = strtod(sp + 1, &end);
    if (end == sp + 1 || secs <= 0 || secs > 3600) {
      shell_message(sh, "usage: :optimize NAME [SECONDS] (0 < SECONDS <= 3600)");
      sh->nerrors++;
      return;
    }
  }
  const mprog *before = program_of(sh, name);
  if (!before) return;
  int l0 = before->pl.n_layers, d0 = before->pl.d_model;
  world *w = sh->s->w;
  gcell *g = world_find(w, sym_lookup(&w->syms, name, strlen(name)));
  lang_error err = {0};
  /* Ctrl-C stops the MILP's search and keeps the old program */
  guard gd;
  guard_init(&gd, w->interrupt, w->lim.max_memory, w->lim.max_seconds);
  guard *prev = guard_install(&gd);
  const mprog *p = runner_optimize(sh->s->run, g, secs, &err);
  guard_install(prev);
  if (!p) {
    shell_message(sh, "%s", err.msg ? err.msg : "cannot compile it");
    sh->nerrors++;
    lang_error_free(&err);
    return;
  }
  shell_printf(sh, "%s: %d layers, d_model %d -> %d layers, d_model %d%s%s\n", name, l0,
               d0, p->pl.n_layers, p->pl.d_model, p->sched_note[0] ? "; " : "",
               p->sched_note);
}

static void cmd_ir(shell *sh, const char *args) {
  const mprog *p = program_of(sh, args);
  if (p) shell_printf(sh, "%s", p->ir_text);
}

void cmd_weights(shell *sh, const char *args) {
  char *name = NULL, *path = NULL;
  if (strstr(args, "--svg")) {
    if (svg_args(sh, args, ":weights NAME --svg FILE", &name, &path) && path) {
      const mprog *p = program_of(sh, name);
      if (p && weights_svg(sh, p, name, path))
        shell_printf(sh, "wrote %s: the matrices of %s, %d layer%s, d_model %d\n", path,
                     name, p->pl.n_layers, p->pl.n_layers == 1 ? "" : "s", p->pl.d_model);
    }
    free(name);
    free(path);
    return;
  }
  iwords ws;
  iwords_split(&ws, args);
  long layer = -1;
  const mprog *p = NULL;
  if (!iwords_redirect(sh, &ws, &path)) goto done;
  if (ws.w.n < 1 || ws.w.n > 2) {
    shell_message(sh, "usage: :weights NAME [LAYER] [> FILE] | :weights NAME --svg FILE");
    sh->nerrors++;
    goto done;
  }
  p = program_of(sh, ws.w.v[0]);
  if (!p) goto done;
  if (ws.w.n == 2) {
    char *end;
    layer = strtol(ws.w.v[1], &end, 10);
    if (end == ws.w.v[1] || *end) {
      shell_message(sh, "the layer must be a number, not %s (%s has layers 0 to %d)",
                    ws.w.v[1], ws.w.v[0], p->m->n_layers - 1);
      sh->nerrors++;
      goto done;
    }
    if (layer < 0 || layer >= p->m->n_layers) {
      shell_message(sh, "%s has layers 0 to %d", ws.w.v[0], p->m->n_layers - 1);
      sh->nerrors++;
      goto done;
    }
  }
  isink o;
  if (isink_open(&o, sh, path)) {
    weights_listing(&o, p, ws.w.v[0], (int)layer);
    isink_done(&o, path, "the weights");
  }
done:
  free(path);
  iwords_free(&ws);
}
