/* exec-int.h - the executor's own types, shared by its files: exec.c (the
 * forward pass), csc.c (column-sparse matrices), family.c (FFN families
 * in closed form) and argmax.c (the output argmax).  Private to the engine
 * room: nothing outside backend/engine includes it.
 *
 * Ownership: as exec.c says; a csc owns its arrays (csc_free), a
 * layer_exec its families (fam_free).
 */
#ifndef TVL_EXEC_INT_H
#define TVL_EXEC_INT_H

#include "backend/engine/engine.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>

/* A matrix by columns, zeros left out: y = M x visits only the columns
 * where x is non-zero. */
typedef struct {
  int rows, cols;
  int *start;     /* cols + 1 */
  int *row;
  double *w;
  int nused;      /* rows with a non-zero weight, and which */
  int *used;
  /* the same weights by column, for a product with a sparse x: the
   * columns with a weight (increasing), and each one's (row, weight) */
  int ncu;
  int *cu, *cstart, *crow;
  double *cw;
  /* for a matrix whose columns are residual slots (csc_slots): a bit per
   * column that has a weight, and each such column's place in cu (-1
   * for the others) */
  uint64_t *cmask;
  int *cpos;
} csc;

/* v == floor(v), without the call to floor (a function call where the
 * target lacks a rounding instruction): below 2^52 in magnitude a double
 * is an integer exactly when the conversion to int64_t and back keeps
 * it; at or above, every finite double is one, and so are the
 * infinities (floor(inf) = inf); NaN is not (fabs(NaN) < x is false). */
static inline bool whole(double v) {
  if (fabs(v) < 0x1p52) return (double)(int64_t)v == v;
  return v == v;
}

/* A set of residual slots as bits, for the slots a push has written. */
static inline int mask_words(int d) { return d / 64 + 1; }
static inline void mask_set(uint64_t *m, int i) { m[i / 64] |= (uint64_t)1 << (i % 64); }

/* Heads that share a KV cache: same W_k, W_v, mask and tie rule. */
enum { OFFSET_MAX = 4 };   /* the farthest look-back of an offset cache */
typedef struct {
  kv_cache *kv;
  /* an offset cache (see offset_shape): the values of the last
   * OFFSET_MAX + 1 positions, and of position 0 */
  bool offset;
  double *ring, *first;
  int head;        /* the first head using it, for messages */
  int mask_slot;
  int dv;
  tie_rule tie;
  int krow, vrow;  /* rows of its key and value in the layer's projection */
} cache_slot;

typedef struct {
  int n_heads, n_caches, n_ffn;
  bool trusted;     /* bounds.c proves every value of the layer finite */
  int *head_cache;  /* head -> cache */
  int *qrow;        /* head -> row of its query in the projection */
  int *qoff;        /* head -> d of an offset cache's query, or 0 */
  int *vcol;        /* head -> first column of its value in vcat */
  cache_slot *caches;
  csc proj;         /* x -> [queries; keys; values] */
  csc wo;           /* vcat -> attention output (d) */
  uint64_t *wo_mask; /* the slots wo writes (its used rows) */
  csc ffn_in;       /* x -> [gate; up] */
  csc ffn_down;     /* h -> d */
  uint64_t *down_mask; /* the slots ffn_down writes (its used rows) */
  int *gate_end;    /* per column q of ffn_in: where its gate rows end (they
                       come first, see gates_by_column) */
  /* routed: the shared units, and each router's units by expert (CSR);
   * W_down by unit, for the scatter of the evaluated units */
  int n_shared[2];
  int *shared[2];
  int *own_start[2][ROUTE_MAX];
  int *own_units[2][ROUTE_MAX];
  csc down_by_unit;
  /* families (model_layer.ffn_family) evaluated in closed form: each
   * router's rows, and its units, for when it cannot be (see fam_run) */
  int n_frows[ROUTE_MAX], n_nrows[ROUTE_MAX];
  struct fam_row *frows[ROUTE_MAX];
  struct fam_row *nrows[ROUTE_MAX];   /* narrow (see fam_split) */
  unsigned char *isfam;   /* per unit: evaluated with its family */
  uint64_t **hlive;       /* per head: its experts (head_dead), or NULL */
  int *hrouter;           /* per head: the router of hlive */
  int n_funits[ROUTE_MAX];
  int *funits[ROUTE_MAX];
} layer_exec;

/* One row (slot) that family units of one router write, and no unit
 * before them: the units' thresholds tau = -c in increasing order (unit
 * active, h = v - tau, when v > tau), and prefix sums of W and W c over
 * them, so that the row receives v A[t] + B[t], t the number of active
 * units. */
typedef struct fam_row {
  int slot, nu;
  bool solo;        /* no other unit writes the row: added to x directly */
  double *tau, *A, *B;
} fam_row;

/* The lists' variants: units whose values are dead unless an expert runs
 * (model_layer.ffn_live) go with the experts (LISTS_LIVE), or, when an
 * observer sees every slot, with the shared units (LISTS_WHOLE). */
enum { LISTS_LIVE, LISTS_WHOLE };

struct exec {
  const model *m;
  kv_kind kind;
  layer_exec *layers;
  csc out;          /* x -> the 3 output features of every range */
  double *x, *proj, *vcat, *attn, *gu, *h, *z, *val;
  unsigned char *tame;  /* argmax: per range, range_tame of this position */
  int max_proj, max_vcat, max_ffn;
  /* the slots the embedding writes (the others start at +0) */
  int n_emb;
  int *emb_rows;
  /* per embedded slot: its position weights are all zeros (of either
   * sign), so its position term is a zero and only the token's counts */
  unsigned char *emb_nopos;
  /* the routed FFN: the units to evaluate, in unit order, and the rows
   * their scatter touched (marked) */
  int *ulist, *touched;
  int *umerge;      /* the shared and the experts' units merged */
  unsigned char *mark;
  double *acc;      /* the scatter's row sums, +0 between uses */
  /* routed: the slots a push may have made non-zero, zeroed by the next
   * embedding instead of all d: those the embedding and the attention
   * write (perm), and those the FFNs wrote (dirty, with repeats) */
  int *perm, nperm, *dirty, ndirty;
  bool full_clear;  /* the next clear zeroes every slot */
  /* routed, no observer writing the residual: the slots this push has
   * written so far (every other slot is +0), and those the embedding
   * writes */
  uint64_t *written, *emb_mask;
  int64_t pos;
  bool embed_trusted;   /* the embedding's bounds are finite (bounds.c) */
  bool any_trusted;     /* some layer skips its checks: the final one runs */
  /* routing */
  bool routed;          /* pushes run the routed FFN */
  const char *route_why;
  csc routers[ROUTE_MAX];
  int64_t sel[ROUTE_MAX]; /* this position's expert per router, -1 none */
  double rv[ROUTE_MAX];   /* its value */
  bool rexact[ROUTE_MAX]; /* its families may be evaluated in closed form */
  double fam_vmax[ROUTE_MAX], fam_cmax[ROUTE_MAX]; /* see fam_build */
  int64_t units_eval;
  /* routed, no observer: the layers a push visits (see layers_build):
   * those that always work, and per router and expert those where the
   * expert has units (lw words per expert); act, this push's */
  int lw;
  uint64_t *lbase, *lexp[ROUTE_MAX], *lact;
  bool failed;
  exec_observer obs;
  bool has_obs;
  char err[512];
};

/* The largest magnitude below which a family's sums are exact (fam_shape,
 * read_routers). */
#define FAM_MAX 0x1p52
/* How far above its first threshold a narrow row may be non-zero
 * (fam_split). */
#define FAM_NARROW 4

/* A column-sparse matrix being assembled, as (row, column, weight). */
typedef struct {
  VEC(int) r;
  VEC(int) c;
  VEC(double) w;
} triplets;

/* csc.c */
void trip_add(triplets *t, const double *dense, int rows, int cols, int row0);
void trip_ffn(triplets *t, const model_ffn *f, int n, int row0, bool by_slot);
void trip_add_cols(triplets *t, const double *dense, int rows, int cols, int col0);
void csc_build(csc *m, triplets *t, int rows, int cols);
void csc_slots(csc *m, int d);
void csc_free(csc *m);
void csc_mv(const csc *m, const double *x, double *y);
void csc_mv_used(const csc *m, const double *x, double *y);
void csc_mv_sparse(const csc *m, const double *x, double *y, bool used);
void csc_mv_masked(const csc *m, const double *x, double *y, const uint64_t *written);

/* exec.c: slot s holds exactly position feature f (f = -1: the constant
 * 1) at layer l's input. */
bool pure_slot(const exec *e, int l, int s, int f);

/* family.c */
void fam_build(exec *e, layer_exec *le, const model_layer *ml, int l);
void fam_free(layer_exec *le);

/* argmax.c: the token of the largest logit over the ranges of z (3
 * features per range), the lowest id among equals, into *next; tame gets
 * per range whether it was searched (range_tame).  False, with the token
 * in *bad, when a logit of a scanned range is not finite. */
bool argmax_ranges(const model *m, const double *z, unsigned char *tame, int *next, int *bad);

#endif
