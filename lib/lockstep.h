/* lockstep.h - the plain pass run beside the fast one (tests).
 *
 * With lockstep on (runner_set_lockstep, session.lockstep), every model
 * the runner executes is also run, position by position, by a second
 * executor on the same weights: dense (every FFN unit at every position,
 * no routing) with the brute-force KV cache, the reference of the engine
 * (or, once the runner's brute budget of positions is spent, with the
 * hull).  After each of the fast executor's forward passes the second one
 * takes the same token; both must then agree: the same argmax token, or
 * the same error.  The first disagreement is kept (lockstep_error); the
 * fast run itself goes on untouched, so that what it prints is what a
 * user sees.  test-differential checks every transformer run this way.
 *
 * When the brute budget runs out in the middle of a run, the second
 * executor is rebuilt with the hull and given every token of the run
 * again, then goes on in lockstep.
 *
 * Ownership: a lockstep owns its executor; it borrows the model between
 * lockstep_start and lockstep_end.
 */
#ifndef TVL_LOCKSTEP_H
#define TVL_LOCKSTEP_H

#include "backend/engine/engine.h"

typedef struct lockstep lockstep;

lockstep *lockstep_new(int64_t brute_budget);
void lockstep_free(lockstep *ls);
/* A run of model m begins (the fast executor was just made). */
void lockstep_start(lockstep *ls, const model *m);
/* The fast executor's forward pass of `token`: ok, with argmax next, or
 * failed with message err. */
void lockstep_push(lockstep *ls, int token, bool ok, int next, const char *err);
/* The run ended (its executor is freed). */
void lockstep_end(lockstep *ls);
/* The first disagreement since lockstep_new, or NULL. */
const char *lockstep_error(const lockstep *ls);
/* Positions run with the brute cache and with the hull. */
void lockstep_counts(const lockstep *ls, int64_t *brute, int64_t *hull);

#endif
