/* engine.h - the engine room: the transformer model, its file format
 * (safetensors), the forward pass and the KV caches.  The only header of
 * backend/engine/; it depends on base/ alone, never on the compiler
 * (lang/, the rest of backend/), so the weights alone run a program: the
 * engine builds as libtvlengine.la and its tests link nothing else.
 *
 * Ownership: a model owns every array it points to (model_free).  An exec
 * owns its caches and buffers but only borrows its model, which must
 * outlive it.  A kv_cache owns copies of the keys and values inserted.
 */
#ifndef TVL_ENGINE_H
#define TVL_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/base.h"

/* =====================================================================
 * The model
 *
 * A decoder-only transformer without layer norm, float64 throughout.
 *
 * Residual stream x has d_model slots.  Position p (0-based) starts as
 *   x = E[token] + P_pos . posfeat(p)
 * where posfeat(p) = (p, r, r^2, r1, r2) (POS_P .. POS_RING_M2, see
 * model_pos_features): r = p mod POS_RING_N is the position on a ring of
 * POS_RING_N places, and rd the ring place of p - d (p - d itself, negative,
 * when p < d).  Keys built from the ring features stay bounded however
 * long the trace, so no score nears 2^53 (docs/trace-format.md); p itself
 * is only ever a value, exact below 2^53.  A push at position POS_MAX or
 * later is an error.
 *
 * Vocabulary: token ids are grouped in ranges; each range has a role
 * (a name such as "VAL" or "JUMP"), a first id, a count and value0, and
 * token t of range r has value(t) = value0 + (t - first).  The embedding
 * matrix is E[t] = P_in[:, 2r] + value(t) * P_in[:, 2r+1], i.e. E = F P_in^T
 * with the analytic token features F[t, 2r] = 1, F[t, 2r+1] = value(t).
 *
 * Each layer: attention (all heads read the same x, their outputs are
 * added together), then a ReGLU FFN:
 *   h = relu(W_gate x) * (W_up x);  x += W_down h.
 *
 * A head has 2-D queries and keys:  q = W_q x,  k = W_k x (2 x d each),
 * value v = W_v x (dv x d), output x += W_o v_winner (d x dv).  Attention
 * is hard-max (the beta -> infinity limit of softmax): the score of key
 * position j for the query at position i (j <= i, the key of i itself is
 * inserted before i queries) is q_i . k_j.  Tie rules:
 *   TIE_LATEST   among the best scores, the latest position wins;
 *   TIE_AVERAGE  the mean of the values of every best-scoring position.
 * mask_slot >= 0: a position whose layer-input residual has
 * x[mask_slot] != 0 is never a candidate for this head (its key is not
 * inserted).  A query with no candidate reads a zero value vector.
 *
 * Keys and queries must be integers (checked: a non-integral or out of
 * range key or query is an error, never a silent wrong winner):
 *   |k.x| <= KEY_MAX_X, |k.y| <= KEY_MAX_Y, |q.x|, |q.y| <= QUERY_MAX,
 * and every score a query can produce must stay below 2^53 in magnitude,
 * so that float64 scores (brute cache, numpy) are exact and agree with
 * the hull's exact integer geometry.
 *
 * Output: logits = F_out . (P_out x) with analytic output features
 * F_out[t, 3r] = 1, F_out[t, 3r+1] = value(t), F_out[t, 3r+2] = value(t)^2,
 * so within a range the logit is a quadratic in the token's value.  The
 * next token is the argmax; ties go to the lowest token id.
 * ===================================================================== */

enum { POS_P, POS_RING, POS_RING2, POS_RING_M1, POS_RING_M2, POS_NFEAT };
#define POS_RING_N 65536
#define POS_MAX ((int64_t)1 << 40)

#define KEY_MAX_X ((int64_t)1 << 31)
#define KEY_MAX_Y ((int64_t)1 << 62)
#define QUERY_MAX ((int64_t)1 << 31)
#define SCORE_EXACT_MAX 9007199254740992.0 /* 2^53 */
/* An AVERAGE head's values must be integers with |v| <= AVG_VALUE_MAX, so
 * that the sums behind its means are exact in any order (scan, tree,
 * numpy); its output, the mean, may be fractional. */
#define AVG_VALUE_MAX ((int64_t)1 << 31)

typedef enum { TIE_LATEST, TIE_AVERAGE } tie_rule;

typedef struct {
  char role[16];      /* "VAL", "HI", "JUMP", "HALT", ... */
  int first, count;   /* token ids [first, first + count) */
  int64_t value0;     /* value of token `first` */
  bool stop;          /* decoding ends after emitting one of these */
} vocab_range;

typedef struct {
  char name[48];      /* for people: "mem read 0", "prev token" */
  tie_rule tie;
  int mask_slot;      /* -1: no mask */
  int dv;             /* value dimensions */
  double *wq;         /* 2 x d, row-major */
  double *wk;         /* 2 x d */
  double *wv;         /* dv x d */
  double *wo;         /* d x dv */
  int live_router;    /* with routing: >= 0 when nothing that runs reads
                         the head's value unless this router (read at an
                         earlier layer) selects one of the n_live experts
                         of live (increasing); -1: always read */
  int n_live;
  int32_t *live;
} model_head;

/* The FFN matrices W_gate, W_up (n_ffn x d) and W_down (d x n_ffn) are
 * mostly zeros, and are held sparse, by unit: entry (j, s) of matrix
 * FFN_GATE, FFN_UP or FFN_DOWN is W_gate[j][s], W_up[j][s] or W_down[s][j]
 * (unit j's row of W_gate and W_up, its column of W_down).  The dense
 * matrices are those of the file format and of the forward pass above;
 * model_ffn_unit materialises a unit's part for whoever needs it dense.
 * Every entry absent is +0; every entry held has bits other than +0's (a
 * -0 is kept, so that a file round trip keeps every bit).  Edits
 * (model_ffn_add) wait in a list until model_ffn_finish merges them; a
 * model with edits not merged fails model_validate. */
enum { FFN_GATE, FFN_UP, FFN_DOWN, FFN_MATS };

typedef struct {
  int64_t *start;     /* n_ffn + 1: unit j's entries are [start[j],
                         start[j + 1]) */
  int32_t *slot;      /* their slots, increasing within a unit */
  double *w;          /* their weights */
  int64_t n_pend, cap_pend;
  struct ffn_edit *pend; /* edits not merged yet, in order */
} model_ffn;

typedef struct {
  int n_heads;
  model_head *heads;
  int n_ffn;
  model_ffn ffn[FFN_MATS]; /* W_gate, W_up, W_down by unit (above) */
  int32_t *ffn_route; /* 2 n_ffn: (router, expert) of each unit, router -1
                         for a shared unit; NULL when the model has no
                         routing */
  int32_t *ffn_live;  /* n_ffn + 1, with ffn_route: offsets into
                         ffn_live_set (CSR).  Unit j's output is read by
                         nothing that runs unless a router selects one of
                         the (router, expert) pairs [ffn_live[j],
                         ffn_live[j + 1]) of ffn_live_set (a dead value
                         elsewhere); an empty range for none */
  int32_t *ffn_live_set; /* 2 ffn_live[n_ffn]: (router, expert) pairs, each
                         unit's increasing by router, then expert */
  int32_t *ffn_family; /* n_ffn, with ffn_route: router r when unit j is
                         relu(v_r + c) * 1, a function of router r's value
                         v_r alone (docs/model-format.md, "Families"), -1
                         otherwise */
} model_layer;

/* Routing: a mixture of experts whose router is the program counter
 * (docs/model-format.md).  Besides the units it owns, an expert may also
 * need units whose values are dead unless it runs (model_layer.ffn_live):
 * skipping them leaves stale values in slots nothing then reads, so
 * tokens stay the dense pass's but those slots differ (an exec with an
 * observer evaluates them).  Router r is the linear form w . x of the
 * residual entering layer `layer`'s FFN, an integer; it selects expert
 * w . x, or none when that is outside [0, n_experts).  A unit owned by
 * (r, s) contributes exactly nothing to the residual at a position where
 * router r does not select s: the compiler proved it from interval bounds
 * (its gate is non-positive there) and says so in `holds`.  An exec
 * routes only a model whose proof holds, and then evaluates per position
 * the shared units and the selected experts' units only; its tokens are
 * the dense pass's. */
enum { ROUTE_MAX = 2 };

typedef struct {
  char name[16];      /* "cur": the step whose token comes next, "own" */
  int layer;
  int n_experts;
  double *w;          /* d */
} model_router;

typedef struct {
  bool holds;         /* the proof's outcome */
  char why[96];       /* what the proof says (when it fails: why) */
  int n_routers;
  model_router routers[ROUTE_MAX];
} model_routing;

typedef struct model {
  int d_model;
  int n_layers;
  int vocab_size;     /* sum of the range counts; ranges tile [0, size) */
  int n_ranges;
  vocab_range *ranges;
  double *p_in;       /* d x (2 n_ranges) */
  double *p_pos;      /* d x POS_NFEAT */
  double *p_out;      /* (3 n_ranges) x d */
  model_layer *layers;
  model_routing *routing; /* NULL: a dense model */
  char **slot_names;  /* d strings or NULL; names for inspection/export */
  char *meta_json;    /* free-form JSON object kept in the file, or NULL */
} model;

/* An empty model with zeroed matrices of the given shape; heads and FFN
 * sizes are set per layer with model_layer_alloc. */
model *model_new(int d_model, int n_layers, const vocab_range *ranges,
                 int n_ranges);
void model_layer_alloc(model *m, int layer, int n_heads, const int *dv,
                       int n_ffn);
void model_free(model *m);
/* The FFN matrices (model_ffn): entry (unit, slot) of matrix mat of layer
 * l, edits not merged included.  add does W += w there, put and set
 * W = w, as the dense matrix's entry would (from +0, in the order of the
 * edits): add and put only list the edit (O(1), for building a model),
 * set merges at once (O(entries), for tests and small changes).
 * model_ffn_finish merges every edit of the layer's matrices, in
 * O(entries + edits + n_ffn). */
double model_ffn_get(const model_layer *l, int mat, int unit, int slot);
void model_ffn_add(model_layer *l, int mat, int unit, int slot, double w);
void model_ffn_put(model_layer *l, int mat, int unit, int slot, double w);
void model_ffn_set(model_layer *l, int mat, int unit, int slot, double w);
void model_ffn_finish(model_layer *l);
/* Unit j's part of matrix mat as d doubles: its row of W_gate or W_up, or
 * its column of W_down (edits not merged included). */
void model_ffn_unit(const model_layer *l, int mat, int unit, int d,
                    double *out);
/* The entries held (merged ones only) of matrix mat of layer l. */
int64_t model_ffn_count(const model_layer *l, int mat);
/* Gives the model routing with n routers (w zeroed) and a ffn_route
 * table of shared units in every layer (call after model_layer_alloc). */
model_routing *model_routing_new(model *m, int n_routers);
/* Shape and sanity checks (ranges tile the vocabulary, slots in range...);
 * false with a message in err. */
bool model_validate(const model *m, char *err, size_t errlen);
/* posfeat(p), the analytic position features (p < POS_MAX). */
void model_pos_features(int64_t p, double f[POS_NFEAT]);
/* The names of the features, as tvl.pos_features lists them. */
extern const char *const model_pos_feature_names[POS_NFEAT];
/* Token id <-> (range, value). */
int model_token(const model *m, int range, int64_t value); /* -1 if none */
int model_token_range(const model *m, int token);          /* -1 if none */
int64_t model_token_value(const model *m, int token);
int model_find_range(const model *m, const char *role);    /* -1 if none */

/* safetensors files (format in docs/model-format.md). */
bool model_save(const model *m, const char *path, char *err, size_t errlen);
model *model_load(const char *path, char *err, size_t errlen);

/* =====================================================================
 * KV caches: brute (a linear scan, the reference), hull (upper and lower
 * convex hulls of the integer keys, O(log t) amortised insert and O(log t)
 * query) and address (keys on the parabola (2a, -a^2), LATEST: O(1) per
 * insert and query, memory per distinct address; a key off the parabola
 * hands everything over to a hull).  All give identical answers (the
 * margin aside: NAN but from brute).
 *
 * As the kind of an exec (exec_new): KV_BRUTE puts a brute cache behind
 * every head; KV_HULL (the default) serves each head by the O(1) cache
 * its weights show it fits (an offset cache, or an address cache, see
 * exec.c) and by a hull otherwise; KV_HULL_PLAIN uses the hull for every
 * head (for comparison); KV_ADDR is KV_HULL.
 * ===================================================================== */

typedef enum { KV_BRUTE, KV_HULL, KV_ADDR, KV_HULL_PLAIN } kv_kind;

typedef struct kv_cache kv_cache;

typedef struct {
  bool found;         /* false: no key inserted yet */
  int64_t pos;        /* winner (LATEST), or latest of the tied (AVERAGE) */
  int64_t kx, ky;     /* its key */
  int64_t count;      /* positions tied at the best score */
  double margin;      /* best minus second-best distinct score; +inf when
                         there is none; NAN when the cache cannot tell */
} kv_result;

kv_cache *kv_new(kv_kind kind, tie_rule tie, int dv);
void kv_free(kv_cache *c);
/* Positions must be inserted in increasing order.  Returns false (and
 * inserts nothing) when the key is out of bounds, the position is not
 * after the last one, or a value is not finite (for TIE_AVERAGE: not an
 * integer within AVG_VALUE_MAX). */
bool kv_insert(kv_cache *c, int64_t kx, int64_t ky, int64_t pos,
               const double *value);
/* Fills r and value[dv] (zeros when nothing is found).  Returns false when
 * the query is out of bounds or a score could exceed 2^53. */
bool kv_query(kv_cache *c, int64_t qx, int64_t qy, kv_result *r,
              double *value);
int64_t kv_count(const kv_cache *c);   /* keys inserted */
/* What serves the cache now: KV_BRUTE, KV_HULL or KV_ADDR (an address
 * cache turns into a hull on a key off the parabola). */
kv_kind kv_serving(const kv_cache *c);
/* Keys held: positions (brute), distinct addresses (address cache); for
 * the hull, every key inserted (an upper bound of its points). */
int64_t kv_keys_kept(const kv_cache *c);

/* =====================================================================
 * The executor: the forward pass for one new position, and greedy
 * decoding.  An exec may use sparse forms of the weights and other
 * structure of the model, but its results are those of the dense forward
 * pass defined above, token for token.
 * ===================================================================== */

typedef struct exec exec;

/* What a forward pass did, for :trace.  Called once per head per position
 * and once per layer (after the FFN) when set. */
typedef struct {
  void *ctx;
  void (*on_head)(void *ctx, int64_t pos, int layer, int head,
                  const double q[2], const kv_result *r, const double *value);
  void (*on_layer)(void *ctx, int64_t pos, int layer, const double *resid);
  /* Optional, for interventions (:ablate, :patch), which may change what
   * they are handed: the residual the pass goes on with after the
   * embedding (half -1), after layer l's attention (half 2l) and after its
   * FFN (2l + 1, before on_layer); and layer l's n FFN activations
   * h = relu(gate) * up, before W_down projects them.  With on_ffn set,
   * every unit runs at every position (dense), so that each h is seen. */
  void (*on_resid)(void *ctx, int64_t pos, int half, double *resid);
  void (*on_ffn)(void *ctx, int64_t pos, int layer, double *h, int n);
} exec_observer;

exec *exec_new(const model *m, kv_kind kind);
/* Dense: every unit at every position even when the model is routed (for
 * comparison).  Call before the first push. */
void exec_set_dense(exec *e, bool dense);
/* Whether pushes are routed, and if not, why not ("dense on request",
 * "no routing in the model", "the routing proof does not hold: ..."). */
bool exec_routed(const exec *e, const char **why);
/* Units evaluated (a gate computed) over all pushes so far. */
int64_t exec_units_evaluated(const exec *e);
/* KV caches served in O(1) by the offset rule (heads that read the token
 * d back, as their weights show; exec.c), for tests and --stats. */
int exec_offset_caches(const exec *e);
/* KV caches served now by `kind` (KV_BRUTE, KV_HULL or KV_ADDR: address
 * caches, exec.c), and in *keys (if set) the keys they hold. */
int exec_caches(const exec *e, kv_kind kind, int64_t *keys);
/* Layers whose isfinite checks are skipped because bounds derived from
 * the weights prove every value they compute finite (exec.c, bounds.c).
 * exec_trust_bounds(e, true) skips them in every layer, proven or not,
 * and false in none: for tests (the one check left must then catch an
 * overflow). */
int exec_trusted_layers(const exec *e);
void exec_trust_bounds(exec *e, bool trust);
/* Magnitude bounds from the weights (bounds.c): layer_max[0] of the
 * embedding, [1 + l] of anything layer l computes, [1 + n_layers] of the
 * output features and logits; n_layers + 2 entries; +inf when unbounded. */
void model_bounds(const model *m, double *layer_max);
void exec_free(exec *e);
void exec_set_observer(exec *e, const exec_observer *o);
/* Appends `token` at the next position and runs the forward pass; *next
 * receives the argmax token.  Returns false on an error (exec_error). */
bool exec_push(exec *e, int token, int *next);
/* Pushes the prompt, then appends argmax tokens until a stop token (which
 * is included) or max_new tokens.  Generated tokens go to out (grown as
 * needed).  Returns false on an error.  *interrupt, if set, is polled. */
bool exec_decode(exec *e, const int *prompt, int n_prompt, int64_t max_new,
                 int_vec *out, volatile int *interrupt);
const char *exec_error(const exec *e);
int64_t exec_position(const exec *e);          /* tokens pushed so far */
const double *exec_residual(const exec *e);    /* final x of the last push */

#endif
