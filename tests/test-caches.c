/* test-caches.c - every example program under every KV cache and both
 * FFN passes, compared form by form (TAP).
 *
 * Each script of the examples directory runs, in sessions of its own
 * (transformer mode, the list schedule so that every session compiles
 * the same weights), under:
 *   o1      the default: the O(1) offset and address caches where the
 *           weights show their shape, the hull elsewhere; routed;
 *   dense   the same caches, every FFN unit at every position;
 *   hull    the hull for every head (no O(1) cache); routed;
 *   brute   the linear scan behind every head, dense: the reference;
 *           with every form stopped at BRUTE_TOKENS tokens (its cost is
 *           quadratic), and compared with o1 under the same limit.
 * Every form (all of them run, even after an error) must give the same
 * result in all: success or failure, the tokens generated, what it
 * printed, its value, its error message.  The scripts' outputs are also
 * compared with NAME.expected (for o1, which has no limit).
 *
 * Usage: test-caches [-d DIR] [--all] [NAME...]
 *   DIR    the examples (default: stdlib/examples under $top_srcdir)
 *   --all  the long ones too (sudoku: millions of tokens, minutes)
 */
#include "config.h"

#include "lib/session.h"
#include "tests/tap.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { BRUTE_TOKENS = 15000 };

/* Too long for make check: millions of tokens. */
static const char *const long_ones[] = {"sudoku", NULL};

typedef enum { C_O1, C_DENSE, C_HULL, C_BRUTE, C_O1_LIMITED, C_N } config;
static const char *const config_name[C_N] = {"O(1) caches, routed",
                                             "O(1) caches, dense",
                                             "hull alone, routed",
                                             "brute, dense", "O(1) caches, routed"};

typedef struct {
  bool ok;
  int64_t tokens;
  char *out, *text, *err;
} form_log;

typedef struct {
  VEC(form_log) f;
  char *out;          /* the whole output */
  int64_t tokens;
} run_log;

static void capture(void *ctx, const char *s, size_t n) {
  sb_putn((strbuf *)ctx, s, n);
}

static bool slurp(const char *path, strbuf *b) {
  FILE *f = fopen(path, "rb");
  if (!f) return false;
  bool ok = sb_read_stream(b, f);
  fclose(f);
  return ok;
}

static session *open_session(config c, strbuf *out) {
  session *s = session_new();
  s->mode = MODE_TRANSFORMER;
  s->milp_limit = 0;
  s->dense = c == C_DENSE || c == C_BRUTE;
  s->brute = c == C_BRUTE;
  s->plain_hull = c == C_HULL;
  if (c == C_BRUTE || c == C_O1_LIMITED) s->w->lim.max_steps = BRUTE_TOKENS;
  s->w->out = capture;
  s->w->out_ctx = out;
  return s;
}

static char *sb_dup(const strbuf *b, size_t from) {
  return xstrdup(b->s && b->n > from ? b->s + from : "");
}

/* Runs every form of the script, on through errors. */
static void run_script(const char *path, const strbuf *text, config c,
                       run_log *log) {
  strbuf out;
  sb_init(&out);
  session *s = open_session(c, &out);
  int file = src_add(&s->w->src, path);
  reader *rd = rd_new(&s->w->syms, &s->w->src, file);
  rd_feed(rd, text->s ? text->s : "", text->n);
  rd_eof(rd);
  VEC(rd_form) forms = {0};
  int_vec names = {0};
  while (rd_has_form(rd)) {
    rd_form f = rd_take(rd);
    session_collect_defines(s, f.form, &names);
    VEC_PUSH(forms, f);
  }
  for (int i = 0; i < forms.n; i++) {
    form_result r;
    form_result_init(&r);
    size_t at = out.n;
    form_log fl = {0};
    fl.ok = session_eval(s, &forms.v[i], names.v, names.n, &r);
    fl.tokens = r.tokens;
    fl.out = sb_dup(&out, at);
    fl.text = sb_dup(&r.text, 0);
    fl.err = xstrdup(fl.ok ? "" : r.err.msg ? r.err.msg : "error");
    log->tokens += r.tokens;
    VEC_PUSH(log->f, fl);
    form_result_free(&r);
  }
  log->out = sb_dup(&out, 0);
  VEC_FREE(forms);
  VEC_FREE(names);
  rd_free(rd);
  session_free(s);
  sb_free(&out);
}

static void log_free(run_log *log) {
  for (int i = 0; i < log->f.n; i++) {
    free(log->f.v[i].out);
    free(log->f.v[i].text);
    free(log->f.v[i].err);
  }
  VEC_FREE(log->f);
  free(log->out);
  memset(log, 0, sizeof *log);
}

/* The first form where b differs from a, or -1. */
static int first_difference(const run_log *a, const run_log *b) {
  if (a->f.n != b->f.n) return 0;
  for (int i = 0; i < a->f.n; i++) {
    const form_log *x = &a->f.v[i], *y = &b->f.v[i];
    if (x->ok != y->ok || x->tokens != y->tokens || strcmp(x->out, y->out) ||
        strcmp(x->text, y->text) || strcmp(x->err, y->err))
      return i;
  }
  return -1;
}

static void show_form(const char *who, const run_log *l, int i) {
  if (i >= l->f.n) {
    tap_diag("%s: no form %d", who, i + 1);
    return;
  }
  const form_log *x = &l->f.v[i];
  tap_diag("%s: form %d %s, %lld tokens, value '%.80s', error '%.120s', "
           "output '%.80s'", who, i + 1, x->ok ? "ok" : "failed",
           (long long)x->tokens, x->text, x->err, x->out);
}

static void compare(const char *name, const run_log *a, config ca,
                    const run_log *b, config cb) {
  int i = first_difference(a, b);
  tap_ok(i < 0, "%s: %s = %s, form by form (%d forms, %lld tokens)", name,
         config_name[cb], config_name[ca], a->f.n, (long long)a->tokens);
  if (i >= 0) {
    show_form(config_name[ca], a, i);
    show_form(config_name[cb], b, i);
  }
}

static void test_example(const char *dir, const char *name) {
  char path[4096];
  strbuf text, want;
  sb_init(&text);
  sb_init(&want);
  snprintf(path, sizeof path, "%.3000s/%.900s.tvl", dir, name);
  if (!slurp(path, &text)) {
    tap_ok(false, "%s: cannot read %s", name, path);
    return;
  }
  run_log log[C_N];
  memset(log, 0, sizeof log);
  for (int c = 0; c < C_N; c++) run_script(path, &text, (config)c, &log[c]);
  snprintf(path, sizeof path, "%.3000s/%.900s.expected", dir, name);
  if (slurp(path, &want))
    tap_ok(!strcmp(log[C_O1].out, want.s ? want.s : ""),
           "%s: the output is %s.expected", name, name);
  compare(name, &log[C_O1], C_O1, &log[C_DENSE], C_DENSE);
  compare(name, &log[C_O1], C_O1, &log[C_HULL], C_HULL);
  char limited[256];
  snprintf(limited, sizeof limited, "%s, every form stopped at %d tokens", name,
           BRUTE_TOKENS);
  compare(limited, &log[C_BRUTE], C_BRUTE, &log[C_O1_LIMITED], C_O1_LIMITED);
  for (int c = 0; c < C_N; c++) log_free(&log[c]);
  sb_free(&text);
  sb_free(&want);
}

static bool is_long(const char *name) {
  for (int i = 0; long_ones[i]; i++)
    if (!strcmp(name, long_ones[i])) return true;
  return false;
}

static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv) {
  const char *top = getenv("top_srcdir");
  char defdir[4096];
  snprintf(defdir, sizeof defdir, "%s/stdlib/examples", top && *top ? top : ".");
  const char *dir = defdir;
  bool all = false;
  VEC(char *) names = {0};
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "-d") && i + 1 < argc) dir = argv[++i];
    else if (!strcmp(argv[i], "--all")) all = true;
    else VEC_PUSH(names, xstrdup(argv[i]));
  }
  if (!names.n) {
    DIR *d = opendir(dir);
    struct dirent *de;
    while (d && (de = readdir(d))) {
      size_t n = strlen(de->d_name);
      if (n < 5 || strcmp(de->d_name + n - 4, ".tvl")) continue;
      char *name = xstrdup(de->d_name);
      name[n - 4] = 0;
      if (!all && is_long(name)) {
        free(name);
        continue;
      }
      VEC_PUSH(names, name);
    }
    if (d) closedir(d);
    qsort(names.v, (size_t)names.n, sizeof *names.v, by_name);
  }
  if (!names.n) tap_ok(false, "no examples in %s", dir);
  for (int i = 0; i < names.n; i++) {
    test_example(dir, names.v[i]);
    free(names.v[i]);
  }
  VEC_FREE(names);
  tap_plan(tap_n);
  return tap_done();
}
