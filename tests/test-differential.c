/* test-differential.c - random programs, transformer against reference.
 *
 * Every generated program (tests/gen.c, tests/gen-lang.c) runs, form by
 * form, in two sessions in lockstep, as a script runs (the names it
 * defines known up front):
 *  1. the reference evaluator;
 *  2. the transformer with the hull KV cache, routed.  Each form is either
 *     - refused: the transformer cannot compile it (mixed kinds, a
 *       non-constant exponent, ...).  Counted by reason, not a failure;
 *       the form then runs in the evaluator in that session too, so both
 *       go on from the same state (as --check keeps the evaluator's);
 *     - accepted, and then it must give what the evaluator gives: the
 *       same output, then the same value or the same kind of error (an
 *       error the transformer reports before running, worded as the
 *       evaluator's, counts by the kind it names).  Anything else is a
 *       wrong answer and fails the program;
 *  3. beside every run of 2. (lib/lockstep.c), on the same weights, the
 *     plain pass: dense (every FFN unit at every position), with the
 *     brute-force KV cache for the first --brute-positions positions of
 *     the program (20,000; prompts included) and the hull after them; it
 *     takes each token the routed hull run takes and must give the same
 *     argmax token, or fail with the same error, at every position (the
 *     text, values, errors and token counts then agree too).  It used to
 *     be a third session that compiled every form again.  It runs beside
 *     every 4th program (--plain-every K: every K-th);
 *  4. every CHECK_EVERY-th program, in check mode (--check), which must
 *     report a difference for exactly the forms found refused or wrong
 *     above, and otherwise print the evaluator's output.
 * Programs run in worker processes (--jobs, 2 by default), each running
 * many programs one after another; a crash or a hang fails that program
 * only (the worker is replaced).  A failure is reproduced alone, in a
 * fresh process, with --run-seed.
 *
 * TAP: one line per program, with the program's own seed; a failure
 * prints the difference and the whole program.  At the end (and every
 * --progress K programs) "# " lines give the figures: programs generated,
 * accepted whole, matched, with wrong answers; the same for forms; the
 * refusals by reason (names and numbers replaced by X and N, kinds by K,
 * so that they group); the evaluator's errors by kind.  Usage:
 *   test-differential [--loop-free N] [--structured N] [--seed S]
 *                     [--jobs J] [--enable FLAGS] [--disable FLAGS] [--all]
 *                     [--timeout SECS] [--milp MS] [--milp-every K]
 *                     [--progress K] [--plain-every K] [--brute-positions N]
 *   test-differential --soak N [--start K] [--seed S]
 *                     programs K .. K+N-1 (every eighth structured) of the
 *                     soak of seed S (TVL_SEED; the time when neither is
 *                     given).  Program k's seed, and whether it uses MILP
 *                     or --check, depend on S and k alone, so a long soak
 *                     runs in resumable pieces; its last line ("# summary:
 *                     ...") gives the piece's figures on one line.
 *   test-differential --print SEED [--structured]   show one program
 *   test-differential --run-seed SEED [--structured] run one program
 *   test-differential --file FILE         run a program from a file
 *   test-differential --vocabulary N      names heading forms (gen-coverage.sh)
 *   test-differential --list-flags
 * --step-budget N (200000; 0: none) stops a program at the form that
 * takes the evaluator past N steps in all: the rest is not compared, and
 * the TAP line and the figures say so.
 * --verbose shows every form of both runs on stderr.  --timeout SECS
 * (120) limits each program's CPU time (a hang spends it; the wall clock,
 * which load stretches, only at WALL_FACTOR times that).
 * Without options: 2650 loop-free and 350 structured programs from a fixed
 * seed, then as many again from TVL_SEED when it is set, with the
 * constructs of GEN_DEFAULT (tests/gen.h: all but GEN_KNOWN_BUGS, empty now); --all
 * (and make soak) generates every construct.  TVL_GEN_ENABLE (or
 * --enable) adds constructs, --disable takes them out.
 */
#include "config.h"

#include "gen.h"
#include "lib/runner.h"
#include "lib/session.h"
#include "tap.h"

#include <ctype.h>
#include <malloc.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* 20,000, was 50,000: the plain pass was ~90% of make check's
 * test-differential CPU, half of it the brute scans of a few programs
 * whose prompts run 20k-30k positions (BENCHMARKS.md); past this the
 * plain pass still runs dense with the hull and is compared with the
 * routed run at every position, and tests/test-hull and test-caches
 * check the hull against the scan */
#define BRUTE_POSITIONS_DEFAULT 20000
#define BRUTE_POSITIONS_SOAK 5000
enum { DEPTH_LIMIT = 1000, MAX_JOBS = 16 };
/* The plain pass runs beside the transformer with the brute-force cache
 * for the first brute_positions positions of each program (prompts
 * included), then with the hull (--brute-positions N): the brute cache
 * costs time quadratic in the trace. */
static int64_t brute_positions = BRUTE_POSITIONS_DEFAULT;
static bool brute_positions_set;   /* by --brute-positions; else a soak's
                                      is BRUTE_POSITIONS_SOAK */
/* --plain-every K: the plain pass runs beside the programs whose number
 * is a multiple of K only (4 by default: make check's 3,000 programs
 * took 22 minutes on 2 idle cores with it beside each, over the 20 the
 * suite may take; mean CPU per program 1.01 s with K = 1, 0.44 s with
 * K = 4, seed 5, 68 programs; --file and --run-seed run program 0, so
 * always with it).  The answers
 * of every program are still compared with the evaluator's; what the
 * others skip is the check that the routed hull run takes the tokens the
 * dense one takes, ~90% of the time (BENCHMARKS.md), so a long soak can
 * cover more programs. */
static int plain_every = 4;
static bool job_plain;   /* this program's */
/* --timeout SECS limits a program's CPU time; its wall time is limited to
 * WALL_FACTOR times that */
enum { WALL_FACTOR = 20 };

static const uint64_t FIXED_SEED = 20261123;
static bool verbose;   /* --verbose: every form of the check run, on stderr */
/* MILP scheduling is slow (it runs to its time limit on most programs),
 * so by default only every tenth program is scheduled by it; the others
 * use the list schedule.  --milp MS and --milp-every K change that. */
static double milp_secs = 0.2;
static double job_milp;   /* this program's: milp_secs or 0 */
static int milp_every = 10;
/* Every CHECK_EVERY-th program also runs in check mode (--check), which
 * must report exactly the refusals and wrong answers found here. */
enum { CHECK_EVERY = 10 };
static bool with_check;
/* A program whose forms take the evaluator more than step_budget steps
 * in all (--step-budget N; 0: no limit) stops at the form that crosses
 * it: that form and the rest do not run in the transformer, and the
 * figures count them.  The transformer's tokens are about five times
 * the evaluator's steps and cost ~4 us each with the plain pass beside
 * them: a few programs of the default set (calls nested in loops nested
 * in recursions) took minutes, most take a fifth of a second. */
enum { STEP_BUDGET_DEFAULT = 200000 };
static int64_t step_budget = STEP_BUDGET_DEFAULT;
/* TVL_SHOW_REFUSALS=TEXT: a refusal whose message contains TEXT is shown
 * on stderr with its program, to find one among thousands. */
static const char *show_refusals;

/* ---- running a program in lockstep ------------------------------------ */

typedef struct {
  bool ok;
  bool refused;     /* the transformer refused it (see refusal_reason) */
  char *kind;       /* error kind */
  char *msg;        /* error message */
  char *diag;       /* error, with its place */
  srcloc loc;       /* the error's place */
  strbuf out;       /* what the form displayed */
  strbuf text;      /* its value */
  int64_t tokens;
  int status;       /* of an error of kind "exit" */
} form_log;

typedef struct {
  VEC(form_log) v;
  int64_t tokens;
  int64_t steps;    /* the evaluator's */
} prog_log;

/* Counts by name: error kinds of the evaluator, refusals by reason. */
enum { MAX_NAMES = 64, NAME_LEN = 96 };
typedef struct {
  int n;
  struct { char name[NAME_LEN]; int n; } v[MAX_NAMES];
} counts;

typedef struct {
  int forms, errors;        /* forms run; of them, the evaluator's errors */
  int accepted, matched;    /* forms the transformer ran; gave the answer */
  int refused, wrong;       /* forms it refused; gave another answer */
  int64_t tokens;
  int64_t plain_brute, plain_hull;   /* positions of the plain pass by cache */
  int cut;                  /* forms not run: over the step budget */
  counts kinds, reasons;
} stats;

static void capture(void *ctx, const char *s, size_t n) {
  sb_putn((strbuf *)ctx, s, n);
}

static session *open_session(run_mode m, bool brute, strbuf *out) {
  session *s = session_new();
  s->mode = m;
  s->milp_limit = job_milp;
  s->brute = brute;
  s->dense = brute;
  /* the transformer's runs (hull, routed) with the plain pass beside them
   * (every FFN unit; the brute cache for the first brute_positions
   * positions of the program, then the hull), token by token */
  if (m == MODE_TRANSFORMER && !brute && job_plain) s->lockstep = brute_positions;
  s->w->out = capture;
  s->w->out_ctx = out;
  s->w->lim.max_depth = DEPTH_LIMIT;
  return s;
}

static char *xstrdup_or_null(const char *s) {
  if (!s) return NULL;
  size_t n = strlen(s) + 1;
  char *d = xmalloc(n);
  memcpy(d, s, n);
  return d;
}

static void count_name(counts *c, const char *name, int n) {
  for (int i = 0; i < c->n; i++)
    if (!strcmp(c->v[i].name, name)) {
      c->v[i].n += n;
      return;
    }
  int i = c->n < MAX_NAMES ? c->n++ : MAX_NAMES - 1;
  if (i == MAX_NAMES - 1 && c->n == MAX_NAMES && strcmp(c->v[i].name, "(other)")) {
    snprintf(c->v[i].name, NAME_LEN, "(other)");
    c->v[i].n = 0;
  }
  if (c->v[i].n == 0) snprintf(c->v[i].name, NAME_LEN, "%s", name);
  c->v[i].n += n;
}

/* ---- refusals and the kinds of errors --------------------------------- */

/* The transformer reports two things as "compile" errors: that it cannot
 * compile a form (a refusal: the form runs with --reference), and errors
 * of the program found before running, worded as the evaluator would.
 * The second are compared with the evaluator by the kind they name. */
static const char *claimed_kind(const char *kind, const char *msg) {
  static const struct { const char *text, *kind; } claims[] = {
      {"unbound variable", "unbound"},
      {"is used before it is given a value", "unbound"},
      {"argument", "arity"},   /* "f takes 2 arguments, but 1 was given" */
      {"division by zero", "division"},
      {"integer overflow", "overflow"},
      {"out of range", "bounds"},
      {"must be", "type"},
      {"not a procedure", "procedure"},
      {"too deep", "depth"},
  };
  if (strcmp(kind, "compile") && strcmp(kind, "incomplete")) return kind;
  /* a value a global holds that the prompt cannot load (a string of an
   * earlier form in a closure): not a refusal, a failure of the loader */
  if (strstr(msg, "not in the program's vocabulary")) return "prompt";
  if (strstr(msg, "cannot compile") || strstr(msg, "compiled code") ||
      strstr(msg, "not supported") || strstr(msg, "too many") ||
      strstr(msg, "internal error") || strstr(msg, "nested"))
    return NULL;
  for (size_t i = 0; i < sizeof claims / sizeof claims[0]; i++)
    if (strstr(msg, claims[i].text)) return claims[i].kind;
  return NULL;
}

/* A refusal's reason, the same for every program: without the common
 * preamble and advice, names and numbers replaced by X and N. */
static void refusal_reason(const char *msg, char *dst, size_t cap) {
  static const char *const pre = "cannot compile this into a transformer: ";
  if (!strncmp(msg, pre, strlen(pre))) msg += strlen(pre);
  size_t n = 0;
  const char *p = msg;
  while (*p && n + 2 < cap) {
    if (!strncmp(p, " (run it with", 13) || !strncmp(p, ": compiled code needs", 21))
      break;
    bool word_start = p == msg || !(isalnum((unsigned char)p[-1]) || p[-1] == '-' ||
                                    p[-1] == '?' || p[-1] == '!' || p[-1] == '*');
    if (isdigit((unsigned char)*p) || (*p == '-' && isdigit((unsigned char)p[1]) && word_start)) {
      if (*p == '-') p++;
      while (isdigit((unsigned char)*p)) p++;
      dst[n++] = 'N';
      continue;
    }
    if (word_start && isalpha((unsigned char)*p)) {
      /* a generated name: letters then digits (f12, x3, lp7) */
      const char *q = p;
      while (isalpha((unsigned char)*q)) q++;
      if (isdigit((unsigned char)*q)) {
        while (isalnum((unsigned char)*q) || *q == '?' || *q == '!') q++;
        dst[n++] = 'X';
        p = q;
        continue;
      }
    }
    dst[n++] = *p++;
  }
  while (n && (dst[n - 1] == ' ' || dst[n - 1] == ':' || dst[n - 1] == ',')) n--;
  dst[n] = 0;
  /* "is an integer here but a symbol elsewhere": one reason, mixed kinds */
  static const char *const kinds[] = {"an integer", "a boolean", "a symbol",
                                      "a vector", "a string", "the unspecified value"};
  for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
    char *at;
    size_t k = strlen(kinds[i]);
    while ((at = strstr(dst, kinds[i])) != NULL) {
      at[0] = 'K';
      memmove(at + 1, at + k, strlen(at + k) + 1);
    }
  }
}

/* ---- one form, one session ----------------------------------------------- */

static void log_form(prog_log *pl, session *s, const form_result *r,
                     const strbuf *out) {
  form_log f;
  memset(&f, 0, sizeof f);
  f.ok = r->ok;
  sb_init(&f.out);
  sb_init(&f.text);
  if (out->n) sb_putn(&f.out, out->s, out->n);
  if (r->ok && r->has_value) sb_putn(&f.text, r->text.s, r->text.n);
  if (!r->ok) {
    strbuf d;
    sb_init(&d);
    const char *msg = r->err.msg ? r->err.msg : "?";
    session_diag(s, r->err.loc, "error", msg, &d);
    f.diag = sb_detach(&d);
    f.loc = r->err.loc;
    f.kind = xstrdup_or_null(r->err.kind ? r->err.kind : "?");
    f.msg = xstrdup_or_null(msg);
    f.status = r->err.status;
    f.refused = s->mode == MODE_TRANSFORMER && !claimed_kind(f.kind, f.msg);
  }
  f.tokens = r->tokens;
  pl->tokens += r->tokens;
  pl->steps += r->steps;
  VEC_PUSH(pl->v, f);
}

static void free_log(prog_log *pl) {
  for (int i = 0; i < pl->v.n; i++) {
    free(pl->v.v[i].kind);
    free(pl->v.v[i].msg);
    free(pl->v.v[i].diag);
    sb_free(&pl->v.v[i].out);
    sb_free(&pl->v.v[i].text);
  }
  VEC_FREE(pl->v);
}

typedef VEC(rd_form) form_vec;

/* A program read into one session's symbols; false (and why in err) on
 * a syntax error. */
static bool read_forms(session *s, const char *src, form_vec *fv, int_vec *names,
                       strbuf *err) {
  int file = src_add(&s->w->src, "<gen>");
  reader *rd = rd_new(&s->w->syms, &s->w->src, file);
  rd_feed(rd, src, strlen(src));
  rd_eof(rd);
  while (rd_has_form(rd)) {
    rd_form f = rd_take(rd);
    if (names) session_collect_defines(s, f.form, names);
    VEC_PUSH(*fv, f);
  }
  bool ok = rd_status_of(rd) != RD_ERROR;
  if (!ok && err) {
    srcloc loc;
    const char *msg = rd_error(rd, &loc);
    session_diag(s, loc, "syntax error", msg, err);
  }
  rd_free(rd);
  return ok;
}

static void free_forms(form_vec *fv, int from) {
  for (int i = from; i < fv->n; i++) arena_free(&fv->v[i].mem);
  VEC_FREE(*fv);
}

/* A session running a program form by form, as a script does (the names
 * the program defines are known up front). */
typedef struct {
  session *s;
  strbuf out;
  form_vec forms, again;   /* again: the same forms, to rerun refused ones */
  int_vec names;
  prog_log log;
} runner_s;

static bool rs_open(runner_s *r, const char *src, run_mode m, bool brute, strbuf *err) {
  memset(r, 0, sizeof *r);
  sb_init(&r->out);
  r->s = open_session(m, brute, &r->out);
  bool ok = read_forms(r->s, src, &r->forms, &r->names, err);
  if (ok && m == MODE_TRANSFORMER) read_forms(r->s, src, &r->again, NULL, NULL);
  return ok;
}

static void rs_close(runner_s *r) {
  free_forms(&r->forms, 0);
  free_forms(&r->again, 0);
  VEC_FREE(r->names);
  free_log(&r->log);
  session_free(r->s);
  sb_free(&r->out);
}

static void rs_eval(runner_s *r, rd_form *f, prog_log *pl) {
  form_result res;
  form_result_init(&res);
  sb_clear(&r->out);
  session_eval(r->s, f, r->names.v, r->names.n, &res);
  log_form(pl, r->s, &res, &r->out);
  form_result_free(&res);
}

/* Runs form i.  A form the transformer refuses then runs in the reference
 * evaluator, in the same session, so that the session goes on as the
 * reference one does (as --check keeps the evaluator's result). */
static void rs_step(runner_s *r, int i) {
  rs_eval(r, &r->forms.v[i], &r->log);
  r->forms.v[i].mem = (arena){0};
  if (r->s->mode != MODE_TRANSFORMER || !r->log.v.v[r->log.v.n - 1].refused) return;
  prog_log again = {{0}, 0, 0};
  r->s->mode = MODE_REFERENCE;
  rs_eval(r, &r->again.v[i], &again);
  r->again.v[i].mem = (arena){0};
  r->s->mode = MODE_TRANSFORMER;
  free_log(&again);
}

/* ---- comparing ------------------------------------------------------------ */

static bool same_sb(const strbuf *a, const strbuf *b) {
  return a->n == b->n && (!a->n || !memcmp(a->s, b->s, a->n));
}

static bool same_str(const char *a, const char *b) {
  return (!a && !b) || (a && b && !strcmp(a, b));
}

static void show_form(strbuf *why, const char *who, const form_log *f) {
  sb_printf(why, "  %s: %s, %lld tokens, printed \"", who,
            f->ok ? "ok" : f->refused ? "refused" : "failed", (long long)f->tokens);
  for (size_t i = 0; i < f->out.n && i < 300; i++)
    sb_printf(why, f->out.s[i] == '\n' ? "\\n" : "%c", f->out.s[i]);
  sb_printf(why, "%s\"", f->out.n > 300 ? "..." : "");
  if (f->ok) sb_printf(why, ", value %s\n", f->text.s ? f->text.s : "(none)");
  else sb_printf(why, ", %s error:\n%s", f->kind, f->diag);
}

static void show_log(const char *who, const prog_log *pl) {
  strbuf b;
  sb_init(&b);
  for (int i = 0; i < pl->v.n; i++) {
    sb_printf(&b, "form %d:", i + 1);
    show_form(&b, who, &pl->v.v[i]);
  }
  fputs(b.s ? b.s : "", stderr);
  sb_free(&b);
}

/* The transformer's form t against the evaluator's r: what a user sees
 * (output, then the value or the kind of error) must be the same.  NULL
 * when it is, else what differs. */
static const char *wrong_answer(const form_log *t, const form_log *r) {
  if (!same_sb(&t->out, &r->out)) return "the output differs";
  if (t->ok != r->ok)
    return t->ok ? "the transformer succeeded where the evaluator failed"
                 : "the transformer failed where the evaluator succeeded";
  if (t->ok) return same_sb(&t->text, &r->text) ? NULL : "the values differ";
  const char *tk = claimed_kind(t->kind, t->msg);
  if (!tk || strcmp(tk, r->kind)) return "the errors are of different kinds";
  if (t->loc.line != r->loc.line || t->loc.col != r->loc.col)
    return "the errors are at different places";
  /* every text names its values as the evaluator does (the host reads
   * them: backend/mhostval.c) */
  if (!same_str(t->msg, r->msg)) return "the error messages differ";
  if (!strcmp(r->kind, "exit") && t->status != r->status)
    return "the exit statuses differ";
  return NULL;
}

/* Classifies every form of the transformer's log against the evaluator's;
 * false and why at the first wrong answer. */
static bool compare_runs(const prog_log *t, const prog_log *r, stats *st,
                         strbuf *why, const char *src) {
  bool ok = true;
  for (int i = 0; i < t->v.n && i < r->v.n; i++) {
    const form_log *x = &t->v.v[i], *y = &r->v.v[i];
    st->forms++;
    if (!y->ok) {
      st->errors++;
      /* "check": the checker's, found before anything runs */
      count_name(&st->kinds, strcmp(y->kind, "check") ? y->kind : "check (before running)", 1);
    }
    if (x->refused) {
      char reason[NAME_LEN];
      refusal_reason(x->msg, reason, sizeof reason);
      st->refused++;
      count_name(&st->reasons, reason, 1);
      if (show_refusals && strstr(x->msg, show_refusals))
        fprintf(stderr, "# refused, form %d:\n%s# of the program:\n%s\n", i + 1,
                x->diag ? x->diag : x->msg, src);
      continue;
    }
    st->accepted++;
    const char *w = wrong_answer(x, y);
    if (!w) {
      st->matched++;
      continue;
    }
    st->wrong++;
    if (ok) {
      sb_printf(why, "form %d: %s\n", i + 1, w);
      show_form(why, "transformer", x);
      show_form(why, "evaluator  ", y);
    }
    ok = false;
  }
  return ok;
}

/* --check, as a user runs it: a form is reported as a difference (an
 * error of kind "check") exactly when the transformer refused it or gave
 * another answer, and it otherwise gives the evaluator's output. */
static bool compare_check(const prog_log *c, const prog_log *t, const prog_log *r,
                          strbuf *why) {
  for (int i = 0; i < c->v.n && i < t->v.n && i < r->v.n; i++) {
    const form_log *x = &c->v.v[i], *y = &t->v.v[i], *z = &r->v.v[i];
    /* the checker's own errors are of kind "check" too: a difference is
     * the one whose message says "check: ..." */
    bool flagged = !x->ok && !strcmp(x->kind, "check") && x->diag &&
                   strstr(x->diag, "error: check: ");
    bool differs = y->refused || wrong_answer(y, z);
    if (flagged == differs && same_sb(&x->out, &z->out)) continue;
    sb_printf(why, "check mode, form %d: %s\n", i + 1,
              flagged ? "reports a difference where the transformer gave the "
                        "evaluator's answer"
              : differs ? y->refused ? "reports no difference where the transformer refused"
                                     : "reports no difference where the transformer is wrong"
                        : "prints other output than the evaluator");
    show_form(why, "check      ", x);
    show_form(why, "transformer", y);
    show_form(why, "evaluator  ", z);
    return false;
  }
  return true;
}

/* One program: the reference evaluator and the transformer (hull cache,
 * routed) in lockstep, form by form; then the plain pass (every FFN unit,
 * with the brute-force cache for a short run, the hull for a longer one),
 * which must agree with the routed hull exactly. */
static bool differential(const char *src, stats *st, strbuf *why) {
  runner_s r, t, b;
  bool ok = rs_open(&r, src, MODE_REFERENCE, false, why) &&
            rs_open(&t, src, MODE_TRANSFORMER, false, why);
  if (!ok) {
    rs_close(&r);
    return false;
  }
  for (int i = 0; i < r.forms.n; i++) {
    rs_step(&r, i);
    /* over the budget: this form and the rest are not compared (counted) */
    if (step_budget && r.log.steps > step_budget) {
      st->cut = r.forms.n - i;
      break;
    }
    rs_step(&t, i);
  }
  if (verbose) {
    show_log("evaluator  ", &r.log);
    show_log("transformer", &t.log);
  }
  ok = compare_runs(&t.log, &r.log, st, why, src);
  st->tokens += t.log.tokens;
  /* the plain pass, run in lockstep with every transformer run */
  const lockstep *ls = t.s->run ? runner_lockstep(t.s->run) : NULL;
  if (ok && lockstep_error(ls)) {
    sb_printf(why, "%s\n", lockstep_error(ls));
    ok = false;
  }
  if (ls) lockstep_counts(ls, &st->plain_brute, &st->plain_hull);
  if (ok && with_check) {
    ok = rs_open(&b, src, MODE_CHECK, false, why);
    for (int i = 0; ok && i < b.forms.n; i++) rs_step(&b, i);
    ok = ok && compare_check(&b.log, &t.log, &r.log, why);
    rs_close(&b);
  }
  rs_close(&r);
  rs_close(&t);
  return ok;
}

/* ---- child processes ---------------------------------------------------- */

typedef struct {
  const char *label;     /* "loop-free", "structured" */
  uint64_t seed;         /* the program's own seed */
  bool structured;
  const char *file_src;  /* --file: the program itself */
  int64_t number;        /* its number in the run (a soak's: from 0, whatever
                            --start): which programs use MILP and --check */
} job;

typedef struct {
  uint64_t enable;
  int timeout;
  int jobs;
} config;

static char *job_program(const job *j, const config *cf) {
  if (j->file_src) return xstrdup_or_null(j->file_src);
  gen_opts o;
  gen_opts_default(&o, j->structured);
  o.enable = cf->enable;
  return gen_program(j->seed, &o);
}

static void write_all(int fd, const char *s, size_t n) {
  while (n) {
    ssize_t k = write(fd, s, n);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) return;
    s += k;
    n -= (size_t)k;
  }
}

static double now_s(void);

/* this process's CPU time, all threads */
static double cpu_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static bool uses_milp(int64_t number) {
  return milp_secs > 0 && milp_every > 0 && number % milp_every == 0;
}

/* One program, its report in rep:
 *   P|F forms errors accepted matched refused wrong tokens
 *   K n kind        (the evaluator's errors by kind)
 *   R n reason      (the transformer's refusals by reason)
 *   .
 * and, on a failure, what differed. */
static void run_program(const job *j, const config *cf, strbuf *rep) {
  job_milp = uses_milp(j->number) ? milp_secs : 0;
  job_plain = plain_every <= 1 || j->number % plain_every == 0;
  with_check = j->number % CHECK_EVERY == CHECK_EVERY / 2 || j->file_src;
  double cpu0 = cpu_s(), wall0 = now_s();
  char *src = job_program(j, cf);
  stats st;
  memset(&st, 0, sizeof st);
  strbuf why;
  sb_init(&why);
  bool ok = differential(src, &st, &why);
  sb_printf(rep, "%c %d %d %d %d %d %d %lld\n", ok ? 'P' : 'F', st.forms,
            st.errors, st.accepted, st.matched, st.refused, st.wrong,
            (long long)st.tokens);
  sb_printf(rep, "T %.6f %.6f %lld %lld\n", cpu_s() - cpu0, now_s() - wall0,
            (long long)st.plain_brute, (long long)st.plain_hull);
  if (st.cut) sb_printf(rep, "C %d\n", st.cut);
  for (int i = 0; i < st.kinds.n; i++)
    sb_printf(rep, "K %d %s\n", st.kinds.v[i].n, st.kinds.v[i].name);
  for (int i = 0; i < st.reasons.n; i++)
    sb_printf(rep, "R %d %s\n", st.reasons.v[i].n, st.reasons.v[i].name);
  sb_puts(rep, ".\n");
  if (!ok) sb_putn(rep, why.s, why.n);
  sb_free(&why);
  free(src);
}

static bool read_full(int fd, void *p, size_t n) {
  char *c = p;
  while (n) {
    ssize_t k = read(fd, c, n);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) return false;
    c += k;
    n -= (size_t)k;
  }
  return true;
}

/* A worker process: runs the programs whose indexes the parent sends on
 * fd in, one after another, and writes each report to fd out as its
 * length, a newline and the report.  One process for many programs:
 * forking one per program cost a third of the CPU time in page faults
 * (every program faulted its models' memory in anew).  A crash or a hang
 * ends the worker; the parent then fails that program and starts
 * another worker.  Each program has its own CPU budget: a hang spends
 * CPU time, so the limit is on that, not on the wall clock, which a
 * loaded machine stretches many times over; the wall clock only stops a
 * worker that waits forever. */
typedef struct {
  const job *js;
  const config *cf;
  int in, out;
} worker_args;

static void worker_loop(void *p);

static void worker_main(const job *js, const config *cf, int in, int out) {
  /* the whole loop on one deep stack: the session would otherwise start
   * a thread with a new 1 GiB stack for every form, and fault it in */
  worker_args wa = {js, cf, in, out};
  lang_run_deep(worker_loop, &wa);
  _exit(0);
}

static void worker_loop(void *p) {
  const worker_args *wa = p;
  const job *js = wa->js;
  const config *cf = wa->cf;
  int in = wa->in, out = wa->out;
  /* freed memory stays in the process for the next program */
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
  mallopt(M_TOP_PAD, 16 << 20);
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_ARENA_MAX, 1);
  int32_t index;
  while (read_full(in, &index, sizeof index)) {
    struct itimerval cpu = {{0, 0}, {cf->timeout, 0}}, off;
    memset(&off, 0, sizeof off);
    setitimer(ITIMER_PROF, &cpu, NULL);
    alarm((unsigned)cf->timeout * WALL_FACTOR);
    strbuf rep;
    sb_init(&rep);
    run_program(&js[index], cf, &rep);
    setitimer(ITIMER_PROF, &off, NULL);
    alarm(0);
    char head[32];
    int hn = snprintf(head, sizeof head, "%zu\n", rep.n);
    write_all(out, head, (size_t)hn);
    write_all(out, rep.s, rep.n);
    sb_free(&rep);
  }
}

typedef struct {
  pid_t pid;       /* 0: no process */
  int to, from;    /* indexes to it, reports from it */
  int index;       /* the program it runs, -1 when idle */
  strbuf buf;
} worker;

typedef struct {
  bool done, ok;
  char *report;    /* what the worker wrote, or how it ended */
} outcome;

static bool start_worker(const job *js, const config *cf, worker *ws, int nw, int w) {
  int to[2], from[2];
  if (pipe(to) < 0) return false;
  if (pipe(from) < 0) {
    close(to[0]);
    close(to[1]);
    return false;
  }
  fflush(stdout);
  pid_t pid = fork();
  if (pid < 0) {
    close(to[0]), close(to[1]), close(from[0]), close(from[1]);
    return false;
  }
  if (pid == 0) {
    /* the other workers' pipes: a worker's death must close its own */
    for (int i = 0; i < nw; i++)
      if (ws[i].pid) close(ws[i].to), close(ws[i].from);
    close(to[1]);
    close(from[0]);
    worker_main(js, cf, to[0], from[1]);
  }
  close(to[0]);
  close(from[1]);
  ws[w].pid = pid;
  ws[w].to = to[1];
  ws[w].from = from[0];
  ws[w].index = -1;
  sb_init(&ws[w].buf);
  return true;
}

/* The worker ended (EOF): reaps it; the program it ran failed. */
static void worker_died(worker *w, outcome *os) {
  int status = 0;
  while (waitpid(w->pid, &status, 0) < 0 && errno == EINTR) {
  }
  close(w->to);
  close(w->from);
  if (w->index >= 0) {
    strbuf r;
    sb_init(&r);
    sb_puts(&r, "X 0 0 0 0 0 0 0\n.\n");
    if (WIFSIGNALED(status))
      sb_printf(&r, "the process died of signal %d (%s)\n", WTERMSIG(status),
                WTERMSIG(status) == SIGPROF ? "timed out: CPU time"
                : WTERMSIG(status) == SIGALRM ? "timed out: wall clock"
                                              : strsignal(WTERMSIG(status)));
    else
      sb_printf(&r, "the process ended (exit %d) before its report\n",
                WEXITSTATUS(status));
    outcome *o = &os[w->index];
    o->done = true;
    o->ok = false;
    o->report = sb_detach(&r);
  }
  sb_free(&w->buf);
  w->pid = 0;
  w->index = -1;
}

/* A whole report in the worker's buffer: hand it over. */
static void take_reports(worker *w, outcome *os) {
  char *nl = w->buf.n ? memchr(w->buf.s, '\n', w->buf.n) : NULL;
  if (!nl || w->index < 0) return;
  size_t len = strtoul(w->buf.s, NULL, 10), head = (size_t)(nl - w->buf.s) + 1;
  if (w->buf.n < head + len) return;
  outcome *o = &os[w->index];
  o->report = xmalloc(len + 1);
  memcpy(o->report, w->buf.s + head, len);
  o->report[len] = 0;
  o->ok = len && o->report[0] == 'P';
  o->done = true;
  memmove(w->buf.s, w->buf.s + head + len, w->buf.n - head - len);
  w->buf.n -= head + len;
  w->index = -1;
}

/* Waits for the busy workers; takes what they wrote. */
static void pump(worker *ws, int nw, outcome *os) {
  struct pollfd pf[MAX_JOBS];
  int who[MAX_JOBS], n = 0;
  for (int i = 0; i < nw; i++)
    if (ws[i].pid && ws[i].index >= 0) {
      pf[n].fd = ws[i].from;
      pf[n].events = POLLIN;
      pf[n].revents = 0;
      who[n++] = i;
    }
  if (!n || poll(pf, (nfds_t)n, -1) < 0) return;
  for (int i = 0; i < n; i++) {
    if (!pf[i].revents) continue;
    worker *w = &ws[who[i]];
    char buf[4096];
    ssize_t k = read(w->from, buf, sizeof buf);
    if (k > 0) {
      sb_putn(&w->buf, buf, (size_t)k);
      take_reports(w, os);
    } else if (k == 0 || errno != EINTR) {
      worker_died(w, os);
    }
  }
}

/* ---- reporting ---------------------------------------------------------- */

typedef struct {
  int programs, failed;          /* failed: a wrong answer, a crash, a hang */
  int p_accepted, p_refusing;    /* programs without / with refused forms */
  int p_wrong;                   /* programs with a wrong answer */
  int p_cut;                     /* programs stopped at the step budget */
  bool cut_now;                  /* the program being reported was */
  double cpu_now;                /* and took this CPU time */
  stats f;                       /* forms */
  int progress;                  /* a figures line every this many programs */
  double t0;
  VEC(double) cpu, wall;         /* each program's seconds (its worker's CPU
                                    time; wall clock), but a crashed one's */
} totals;

static void diag_lines(const char *prefix, const char *text) {
  const char *p = text;
  while (*p) {
    size_t n = strcspn(p, "\n");
    printf("# %s%.*s\n", prefix, (int)n, p);
    p += n;
    if (*p) p++;
  }
}

/* Adds what a child wrote; returns where its report starts. */
static const char *add_stats(totals *t, const char *rep) {
  char c;
  int forms = 0, errors = 0, acc = 0, mat = 0, ref = 0, wrong = 0;
  long long tokens = 0;
  if (sscanf(rep, "%c %d %d %d %d %d %d %lld", &c, &forms, &errors, &acc, &mat,
             &ref, &wrong, &tokens) < 8)
    return rep;
  t->f.forms += forms;
  t->f.errors += errors;
  t->f.accepted += acc;
  t->f.matched += mat;
  t->f.refused += ref;
  t->f.wrong += wrong;
  t->f.tokens += tokens;
  if (ref) t->p_refusing++;
  else t->p_accepted++;
  if (wrong) t->p_wrong++;
  const char *p = strchr(rep, '\n');
  while (p && p[1] && p[1] != '.') {
    p++;
    char name[NAME_LEN];
    int n = 0;
    double cpu, wall;
    long long pb = 0, ph = 0;
    if (p[0] == 'C' && sscanf(p, "C %d", &n) == 1) {
      t->p_cut++;
      t->f.cut += n;
      t->cut_now = true;
    } else if (p[0] == 'T' && sscanf(p, "T %lf %lf %lld %lld", &cpu, &wall, &pb, &ph) >= 2) {
      VEC_PUSH(t->cpu, cpu);
      VEC_PUSH(t->wall, wall);
      t->cpu_now = cpu;
      t->f.plain_brute += pb;
      t->f.plain_hull += ph;
    } else if (sscanf(p, "%c %d %95[^\n]", &c, &n, name) == 3)
      count_name(c == 'K' ? &t->f.kinds : &t->f.reasons, name, n);
    p = strchr(p, '\n');
  }
  if (p && p[1] == '.') p = strchr(p + 1, '\n');
  return p ? p + 1 : "";
}

static void figures(const totals *t, const char *head);
static void by_name(const char *title, const counts *c);

enum { SLOW_SECONDS = 3 };

static long long tokens_of(const char *rep) {
  long long tokens = 0;
  char c;
  int x;
  sscanf(rep, "%c %d %d %d %d %d %d %lld", &c, &x, &x, &x, &x, &x, &x, &tokens);
  return tokens;
}

static void report(const job *j, const config *cf, outcome *o, totals *t) {
  t->programs++;
  t->cut_now = false;
  t->cpu_now = 0;
  const char *rest = add_stats(t, o->report);
  tap_ok(o->ok, "%s program, seed 0x%016llx%s%s", j->label,
         (unsigned long long)j->seed, uses_milp(j->number) ? " (MILP)" : "",
         t->cut_now ? " (stopped at the step budget)" : "");
  /* the slow ones, to keep make check's time in view */
  if (t->cpu_now >= SLOW_SECONDS)
    tap_diag("slow: %.1f s CPU, %lld tokens", t->cpu_now, tokens_of(o->report));
  if (!o->ok) {
    t->failed++;
    diag_lines("", rest);
    char *src = job_program(j, cf);
    printf("# the program (test-differential --print 0x%016llx%s):\n",
           (unsigned long long)j->seed, j->structured ? " --structured" : "");
    diag_lines("  ", src);
    free(src);
  }
  free(o->report);
  o->report = NULL;
  if (t->progress && t->programs % t->progress == 0) {
    figures(t, "so far: ");
    by_name("so far: refusals by reason (forms)", &t->f.reasons);
  }
}

/* Runs the jobs in cf->jobs worker processes, reporting them in order. */
static void run_jobs(const job *js, int n, const config *cf, totals *t) {
  outcome *os = xcalloc((size_t)n + 1, sizeof *os);
  worker ws[MAX_JOBS];
  memset(ws, 0, sizeof ws);
  int nw = cf->jobs < n ? cf->jobs : n, next = 0, shown = 0;
  signal(SIGPIPE, SIG_IGN);   /* a worker that died is seen at its EOF */
  while (shown < n) {
    int busy = 0;
    for (int w = 0; w < nw; w++) {
      if (next < n && !ws[w].pid) start_worker(js, cf, ws, nw, w);
      if (next < n && ws[w].pid && ws[w].index < 0) {
        int32_t index = next;
        write_all(ws[w].to, (const char *)&index, sizeof index);
        ws[w].index = next++;
      }
      busy += ws[w].pid && ws[w].index >= 0;
    }
    if (!busy && next < n) {   /* no process could be started */
      os[next].done = true;
      os[next++].report = xstrdup_or_null("X 0 0 0 0 0 0 0\n.\ncannot start a worker process\n");
    }
    pump(ws, nw, os);
    while (shown < n && os[shown].done) {
      report(&js[shown], cf, &os[shown], t);
      shown++;
    }
  }
  for (int w = 0; w < nw; w++)
    if (ws[w].pid) {
      close(ws[w].to);   /* EOF: the worker exits */
      int status;
      while (waitpid(ws[w].pid, &status, 0) < 0 && errno == EINTR) {
      }
      close(ws[w].from);
      sb_free(&ws[w].buf);
    }
  free(os);
}


typedef VEC(job) job_vec;

static void add_batch(job_vec *js, const char *label, bool structured,
                      uint64_t base, int n) {
  for (int k = 0; k < n; k++) {
    job j = {label, gen_seed_at(base + (structured ? 1 : 0), (uint64_t)k),
             structured, NULL, js->n};
    VEC_PUSH(*js, j);
  }
}

static void by_name(const char *title, const counts *c) {
  if (!c->n) {
    tap_diag("%s: none", title);
    return;
  }
  /* most frequent first */
  int order[MAX_NAMES];
  for (int i = 0; i < c->n; i++) order[i] = i;
  for (int i = 1; i < c->n; i++)
    for (int j = i; j > 0 && c->v[order[j]].n > c->v[order[j - 1]].n; j--) {
      int x = order[j];
      order[j] = order[j - 1];
      order[j - 1] = x;
    }
  tap_diag("%s:", title);
  for (int i = 0; i < c->n; i++)
    tap_diag("  %7d  %s", c->v[order[i]].n, c->v[order[i]].name);
}

/* The figures of a run: programs, then forms, then refusals by reason. */
static void figures(const totals *t, const char *head) {
  tap_diag("%s%d programs generated; %d accepted whole by the transformer, "
           "%d with refused forms; %d matched the evaluator in every form it "
           "ran, %d with wrong answers, %d failed otherwise (--check "
           "disagreed, caches differed, crashed or hung); %.1f s",
           head, t->programs, t->p_accepted, t->p_refusing,
           t->programs - t->failed, t->p_wrong, t->failed - t->p_wrong,
           now_s() - t->t0);
  tap_diag("%sforms: %d run; %d accepted by the transformer, %d of them "
           "matched the evaluator, %d wrong; %d refused; %d ended in errors "
           "of the evaluator; %lld transformer tokens (hull run); the "
           "plain pass beside it: %lld positions with the brute cache, %lld "
           "with the hull",
           head, t->f.forms, t->f.accepted, t->f.matched, t->f.wrong,
           t->f.refused, t->f.errors, (long long)t->f.tokens,
           (long long)t->f.plain_brute, (long long)t->f.plain_hull);
  tap_diag("%s%d programs stopped at the step budget (%lld evaluator steps, "
           "--step-budget): %d of their forms not compared", head, t->p_cut,
           (long long)step_budget, t->f.cut);
  fflush(stdout);
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double median(const double *v, int n) {
  if (!n) return 0;
  double *c = xmalloc((size_t)n * sizeof *c);
  memcpy(c, v, (size_t)n * sizeof *c);
  qsort(c, (size_t)n, sizeof *c, cmp_double);
  double m = n % 2 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2;
  free(c);
  return m;
}

static double sum(const double *v, int n) {
  double s = 0;
  for (int i = 0; i < n; i++) s += v[i];
  return s;
}

static void summary(const totals *t) {
  figures(t, "");
  by_name("refusals by reason (forms)", &t->f.reasons);
  by_name("errors of the evaluator by kind (forms)", &t->f.kinds);
  tap_diag("seconds per program (%d timed): median %.3f CPU, %.3f wall; "
           "mean %.3f CPU, %.3f wall", t->cpu.n, median(t->cpu.v, t->cpu.n),
           median(t->wall.v, t->wall.n), t->cpu.n ? sum(t->cpu.v, t->cpu.n) / t->cpu.n : 0,
           t->wall.n ? sum(t->wall.v, t->wall.n) / t->wall.n : 0);
}

/* Whether a refusal's reason (as reason_key normalised it) is about the
 * kinds of values: "K here but K elsewhere", "cannot print a value whose
 * kind is not known", "... of several kinds ...", "the kind of parameter
 * X is not fixed": every text of the compiler that speaks of kinds. */
static bool kinds_reason(const char *r) {
  static const char *const words[] = {"kind", "Kind", "K here but K elsewhere", NULL};
  for (int i = 0; words[i]; i++)
    if (strstr(r, words[i])) return true;
  return false;
}

/* A soak's figures on one line, to add up the pieces of a soak run with
 * --start: the refusals grouped as mixed kinds (kinds_reason: those the
 * issue of kinds must bring to 0) and the others by reason. */
static void one_line(const totals *t, int64_t start, uint64_t seed) {
  strbuf b;
  sb_init(&b);
  int mixed = 0;
  for (int i = 0; i < t->f.reasons.n; i++)
    if (kinds_reason(t->f.reasons.v[i].name)) mixed += t->f.reasons.v[i].n;
  sb_printf(&b, "refused %d (mixed kinds %d", t->f.refused, mixed);
  const char *open = " [";   /* which, if any */
  for (int i = 0; i < t->f.reasons.n; i++)
    if (kinds_reason(t->f.reasons.v[i].name)) {
      const char *r = t->f.reasons.v[i].name;
      int n = (int)strcspn(r, "(");
      while (n && r[n - 1] == ' ') n--;
      sb_printf(&b, "%s%.*s %d", open, n, r, t->f.reasons.v[i].n);
      open = ", ";
    }
  if (mixed) sb_puts(&b, "]");
  for (int i = 0; i < t->f.reasons.n; i++)
    if (!kinds_reason(t->f.reasons.v[i].name)) {
      const char *r = t->f.reasons.v[i].name;
      int n = (int)strcspn(r, "(");
      while (n && r[n - 1] == ' ') n--;
      sb_printf(&b, "; %.*s %d", n, r, t->f.reasons.v[i].n);
    }
  sb_puts(&b, ")");
  tap_diag("summary: seed %llu programs %lld-%lld: %d programs, %d wrong, %d "
           "failed otherwise, %d forms, %s, %d stopped at the step budget "
           "(%d forms), %.1f s, median %.3f s CPU per program",
           (unsigned long long)seed, (long long)start,
           (long long)start + t->programs - 1, t->programs, t->p_wrong,
           t->failed - t->p_wrong, t->f.forms, b.s, t->p_cut, t->f.cut, now_s() - t->t0,
           median(t->cpu.v, t->cpu.n));
  sb_free(&b);
}

/* ---- the command line --------------------------------------------------- */

typedef struct {
  int loop_free, structured, soak, progress;
  int64_t start;   /* --start K: a soak's programs K .. K+N-1 */
  bool have_seed, print, run_seed, one_structured;
  uint64_t seed, one_seed;
  const char *file;
  int vocabulary;
  bool list_flags;
} args;

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int usage(void) {
  fprintf(stderr,
          "usage: test-differential [--loop-free N] [--structured N] [--seed S]\n"
          "         [--jobs J] [--enable FLAGS] [--timeout SECS]\n"
          "         [--milp MS] [--milp-every K] [--step-budget N]\n"
          "         [--plain-every K] [--brute-positions N]\n"
          "         [--all] [--disable FLAGS] [--progress K]\n"
          "       test-differential --soak N [--start K] [--all] [--progress K]\n"
          "       test-differential --vocabulary N [--all]\n"
          "       test-differential --list-flags\n"
          "       test-differential --print SEED [--structured]\n"
          "       test-differential --run-seed SEED [--structured]\n"
          "       test-differential --file FILE\n"
          "       (--verbose: every form of the check run, on stderr)\n"
          "flags: %s\n", gen_flag_names());
  return 2;
}

static bool parse_u64(const char *s, uint64_t *v) {
  char *end;
  errno = 0;
  unsigned long long x = strtoull(s, &end, 0);
  if (errno || end == s || *end) return false;
  *v = x;
  return true;
}

static bool parse_args(int argc, char **argv, args *a, config *cf) {
  for (int i = 1; i < argc; i++) {
    const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    uint64_t x, off = 0;
    if (!strcmp(o, "--structured") && (!v || v[0] == '-')) a->one_structured = true;
    else if (!strcmp(o, "--verbose")) verbose = true;
    else if (!strcmp(o, "--list-flags")) a->list_flags = true;
    else if (!strcmp(o, "--all")) cf->enable = GEN_ALL;
    else if (!v) return false;
    else if (!strcmp(o, "--loop-free") && parse_u64(v, &x)) a->loop_free = (int)x, i++;
    else if (!strcmp(o, "--structured") && parse_u64(v, &x)) a->structured = (int)x, i++;
    else if (!strcmp(o, "--soak") && parse_u64(v, &x)) a->soak = (int)x, i++;
    else if (!strcmp(o, "--start") && parse_u64(v, &x)) a->start = (int64_t)x, i++;
    else if (!strcmp(o, "--brute-positions") && parse_u64(v, &x) && x >= 1)
      brute_positions = (int64_t)x, brute_positions_set = true, i++;
    else if (!strcmp(o, "--progress") && parse_u64(v, &x)) a->progress = (int)x, i++;
    else if (!strcmp(o, "--step-budget") && parse_u64(v, &x)) step_budget = (int64_t)x, i++;
    else if (!strcmp(o, "--seed") && parse_u64(v, &a->seed)) a->have_seed = true, i++;
    else if (!strcmp(o, "--jobs") && parse_u64(v, &x) && x >= 1 && x <= MAX_JOBS) cf->jobs = (int)x, i++;
    else if (!strcmp(o, "--timeout") && parse_u64(v, &x)) cf->timeout = (int)x, i++;
    else if (!strcmp(o, "--milp") && parse_u64(v, &x)) milp_secs = (double)x / 1000, i++;
    else if (!strcmp(o, "--milp-every") && parse_u64(v, &x)) milp_every = (int)x, i++;
    else if (!strcmp(o, "--plain-every") && parse_u64(v, &x) && x >= 1 && x <= 1000000)
      plain_every = (int)x, i++;
    else if (!strcmp(o, "--enable") && gen_parse_flags(v, &cf->enable)) i++;
    else if (!strcmp(o, "--disable") && gen_parse_flags(v, &off)) cf->enable &= ~off, i++;
    else if (!strcmp(o, "--print") && parse_u64(v, &a->one_seed)) a->print = true, i++;
    else if (!strcmp(o, "--run-seed") && parse_u64(v, &a->one_seed)) a->run_seed = true, i++;
    else if (!strcmp(o, "--file")) a->file = v, i++;
    else if (!strcmp(o, "--vocabulary") && parse_u64(v, &x)) a->vocabulary = (int)x, i++;
    else return false;
  }
  return true;
}

static int env_int(const char *name, int dflt) {
  const char *s = getenv(name);
  uint64_t v;
  return s && parse_u64(s, &v) && v > 0 ? (int)v : dflt;
}

static uint64_t env_seed(bool *have) {
  const char *s = getenv("TVL_SEED");
  uint64_t v = 0;
  *have = s && *s && parse_u64(s, &v);
  return v;
}

/* One program (--print, --run-seed, --file). */
static int one_program(const args *a, config *cf) {
  job j = {a->one_structured ? "structured" : "loop-free", a->one_seed,
           a->one_structured, NULL, 0};
  char *text = NULL;
  if (a->file) {
    text = read_whole_file(a->file);
    if (!text) {
      fprintf(stderr, "test-differential: cannot read %s\n", a->file);
      return 2;
    }
    j.label = a->file;
    j.file_src = text;
  }
  if (a->print) {
    char *src = job_program(&j, cf);
    fputs(src, stdout);
    free(src);
    return 0;
  }
  totals t;
  memset(&t, 0, sizeof t);
  t.t0 = now_s();
  tap_plan(1);
  cf->jobs = 1;
  run_jobs(&j, 1, cf, &t);
  summary(&t);
  free(text);
  return tap_done();
}

/* --vocabulary N: every name that heads a form, in N programs of each
 * sort (a ' counts as quote), one a line: what tests/gen-coverage.sh
 * compares with :help. */
typedef VEC(char *) word_vec;

static void add_word(word_vec *words, const char *w, size_t n) {
  for (int i = 0; i < words->n; i++)
    if (strlen(words->v[i]) == n && !strncmp(words->v[i], w, n)) return;
  char *d = xmalloc(n + 1);
  memcpy(d, w, n);
  d[n] = 0;
  VEC_PUSH(*words, d);
}

static int vocabulary(int n, const config *cf) {
  word_vec words = {0};
  for (int k = 0; k < 2 * n; k++) {
    job j = {"", gen_seed_at(FIXED_SEED + (uint64_t)(k & 1), (uint64_t)k / 2),
             (k & 1) != 0, NULL, k};
    char *src = job_program(&j, cf);
    bool in_str = false;
    for (const char *p = src; *p; p++) {
      if (*p == '"' && (p == src || p[-1] != '\\')) in_str = !in_str;
      if (in_str) continue;
      if (*p == '\'') add_word(&words, "quote", 5);
      if (*p != '(') continue;
      size_t w = strcspn(p + 1, " ()\n\"'");
      if (w) add_word(&words, p + 1, w);
    }
    free(src);
  }
  for (int i = 0; i < words.n; i++) {
    printf("%s\n", words.v[i]);
    free(words.v[i]);
  }
  VEC_FREE(words);
  return 0;
}

int main(int argc, char **argv) {
  args a;
  memset(&a, 0, sizeof a);
  a.loop_free = 2650;
  a.structured = 350;
  config cf = {GEN_DEFAULT, 120, env_int("TVL_JOBS", 2)};
  if (cf.jobs > MAX_JOBS) cf.jobs = MAX_JOBS;
  show_refusals = getenv("TVL_SHOW_REFUSALS");
  const char *en = getenv("TVL_GEN_ENABLE");
  if ((en && !gen_parse_flags(en, &cf.enable)) || !parse_args(argc, argv, &a, &cf))
    return usage();
  if (a.list_flags) {
    for (const char *p = gen_flag_names(); *p;) {
      size_t n = strcspn(p, " ");
      printf("%.*s\n", (int)n, p);
      p += n + strspn(p + n, " ");
    }
    return 0;
  }
  if (a.print || a.run_seed || a.file) return one_program(&a, &cf);
  if (a.vocabulary) return vocabulary(a.vocabulary, &cf);
  bool have_env;
  uint64_t env = env_seed(&have_env);
  job_vec js = {0};
  uint64_t soak_seed = 0;
  if (a.soak) {
    /* the brute cache's quadratic cost on long programs: a soak checks
     * the first 5,000 positions of each program against it (the hull has
     * exhaustive tests of its own against the brute cache: tests/test-hull,
     * tests/test-caches) */
    if (!brute_positions_set) brute_positions = BRUTE_POSITIONS_SOAK;
    /* the mix of make check: mostly loop-free programs, the cheaper */
    if (a.start && !a.have_seed && !have_env) {
      fprintf(stderr, "test-differential: --start needs the soak's seed "
                      "(--seed S or TVL_SEED)\n");
      return 2;
    }
    soak_seed = a.have_seed ? a.seed : have_env ? env : (uint64_t)time(NULL);
    int st = 0;
    /* interleaved (every eighth structured), so that the figures part
     * way are of the same mix; program k's seed depends on k alone, so
     * that a soak run in pieces (--start) runs the same programs */
    for (int64_t k = a.start; k < a.start + a.soak; k++) {
      bool is_st = k % 8 == 7;
      uint64_t idx = (uint64_t)(is_st ? k / 8 : k - k / 8);
      job j = {is_st ? "structured" : "loop-free",
               gen_seed_at(soak_seed + (is_st ? 1 : 0), idx), is_st, NULL, k};
      st += is_st;
      VEC_PUSH(js, j);
    }
    tap_diag("soak: programs %lld to %lld (%d loop-free and %d structured, "
             "interleaved) from seed %llu (TVL_SEED or --seed)",
             (long long)a.start, (long long)(a.start + a.soak - 1), a.soak - st,
             st, (unsigned long long)soak_seed);
    if (!a.progress) a.progress = 1000;
  } else {
    uint64_t seed = a.have_seed ? a.seed : FIXED_SEED;
    add_batch(&js, "loop-free", false, seed, a.loop_free);
    add_batch(&js, "structured", true, seed, a.structured);
    tap_diag("seed %llu: %d loop-free and %d structured programs",
             (unsigned long long)seed, a.loop_free, a.structured);
    if (have_env) {
      add_batch(&js, "loop-free", false, env, a.loop_free);
      add_batch(&js, "structured", true, env, a.structured);
      tap_diag("TVL_SEED %llu: %d loop-free and %d structured programs",
               (unsigned long long)env, a.loop_free, a.structured);
    }
  }
  tap_diag("generator flags on: 0x%llx%s", (unsigned long long)cf.enable,
           cf.enable == GEN_ALL ? " (all)" : cf.enable == GEN_DEFAULT ?
           " (the default: all but GEN_KNOWN_BUGS)" : "");
  char every[96] = "every transformer run";
  if (plain_every > 1)
    snprintf(every, sizeof every, "the transformer runs of every program numbered a multiple "
             "of %d", plain_every);
  tap_diag("%d jobs at a time; depth limit %d; the plain pass (dense) in "
           "lockstep with %s (--plain-every), with the brute-force cache "
           "for the first %lld positions of each program, then the hull "
           "(--brute-positions)", cf.jobs, DEPTH_LIMIT, every, (long long)brute_positions);
  tap_plan(js.n);
  totals t;
  memset(&t, 0, sizeof t);
  t.t0 = now_s();
  t.progress = a.progress;
  run_jobs(js.v, js.n, &cf, &t);
  summary(&t);
  if (a.soak)
    one_line(&t, a.start, soak_seed);
  VEC_FREE(t.cpu);
  VEC_FREE(t.wall);
  VEC_FREE(js);
  return tap_done();
}
