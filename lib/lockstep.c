/* lockstep.c - the plain pass beside the fast one (see lockstep.h). */
#include "config.h"

#include "lib/lockstep.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct lockstep {
  int64_t brute_left;     /* positions the brute cache may still run */
  const model *m;
  exec *ex;               /* NULL between runs, or after a disagreement */
  bool brute;             /* ex has the brute cache */
  VEC(int) toks;          /* the run's tokens, while brute (for a rebuild) */
  int64_t n_brute, n_hull;
  int64_t pos;            /* of the pass being compared */
  bool differs;
  char err[768];
};

lockstep *lockstep_new(int64_t brute_budget) {
  lockstep *ls = xcalloc(1, sizeof *ls);
  ls->brute_left = brute_budget;
  return ls;
}

void lockstep_end(lockstep *ls) {
  if (!ls) return;
  exec_free(ls->ex);
  ls->ex = NULL;
  ls->m = NULL;
  VEC_FREE(ls->toks);
}

void lockstep_free(lockstep *ls) {
  if (!ls) return;
  lockstep_end(ls);
  free(ls);
}

const char *lockstep_error(const lockstep *ls) {
  return ls && ls->differs ? ls->err : NULL;
}

void lockstep_counts(const lockstep *ls, int64_t *brute, int64_t *hull) {
  *brute = ls ? ls->n_brute : 0;
  *hull = ls ? ls->n_hull : 0;
}

static exec *plain_exec(const model *m, bool brute) {
  exec *ex = exec_new(m, brute ? KV_BRUTE : KV_HULL);
  exec_set_dense(ex, true);
  return ex;
}

void lockstep_start(lockstep *ls, const model *m) {
  if (!ls) return;
  lockstep_end(ls);
  if (ls->differs) return;   /* one disagreement is enough */
  ls->m = m;
  ls->brute = ls->brute_left > 0;
  ls->ex = plain_exec(m, ls->brute);
}

static void disagree(lockstep *ls, const char *fmt, ...) TVL_PRINTF(2, 3);
static void disagree(lockstep *ls, const char *fmt, ...) {
  int n = snprintf(ls->err, sizeof ls->err, "the plain pass (dense, %s cache) "
                   "and the fast one (routed, hull) differ at the forward pass of "
                   "position %lld: ", ls->brute ? "brute" : "hull",
                   (long long)ls->pos);
  va_list ap;
  va_start(ap, fmt);
  if (n > 0 && (size_t)n < sizeof ls->err)
    vsnprintf(ls->err + n, sizeof ls->err - (size_t)n, fmt, ap);
  va_end(ap);
  ls->differs = true;
  lockstep_end(ls);
}

/* The brute budget is spent: the hull takes over, from the run's start. */
static bool to_hull(lockstep *ls) {
  exec *ex = plain_exec(ls->m, false);
  int next = -1;
  for (int i = 0; i < ls->toks.n; i++)
    if (!exec_push(ex, ls->toks.v[i], &next)) {
      /* the brute run took these tokens: so must the hull */
      snprintf(ls->err, sizeof ls->err, "the plain pass with the hull fails "
               "where the brute cache did not, at position %d: %s", i,
               exec_error(ex));
      ls->differs = true;
      exec_free(ex);
      lockstep_end(ls);
      return false;
    }
  exec_free(ls->ex);
  ls->ex = ex;
  ls->brute = false;
  VEC_FREE(ls->toks);
  return true;
}

void lockstep_push(lockstep *ls, int token, bool ok, int next, const char *err) {
  if (!ls || !ls->ex) return;
  if (ls->brute && ls->brute_left <= 0 && !to_hull(ls)) return;
  int mine = -1;
  ls->pos = exec_position(ls->ex);
  bool my_ok = exec_push(ls->ex, token, &mine);
  if (ls->brute) {
    ls->brute_left--;
    ls->n_brute++;
    VEC_PUSH(ls->toks, token);
  } else {
    ls->n_hull++;
  }
  if (my_ok != ok) {
    disagree(ls, "%s", ok ? exec_error(ls->ex) : err ? err : "?");
    if (!ok) {
      /* the message names the fast pass's error; say which succeeded */
      size_t n = strlen(ls->err);
      snprintf(ls->err + n, sizeof ls->err - n, " (the plain pass went on)");
    } else {
      size_t n = strlen(ls->err);
      snprintf(ls->err + n, sizeof ls->err - n, " (the plain pass failed, "
               "the fast one went on)");
    }
    return;
  }
  if (!ok) {
    const char *mine_err = exec_error(ls->ex);
    if (strcmp(mine_err ? mine_err : "", err ? err : ""))
      disagree(ls, "both fail, the plain pass with \"%s\", the fast one with "
               "\"%s\"", mine_err ? mine_err : "", err ? err : "");
    return;
  }
  if (mine != next)
    disagree(ls, "token %d after %d in the plain pass, %d in the fast one",
             mine, token, next);
}
