/* gates.h - the gate graph: the only interface between the language and
 * the weights.  (The engine it feeds is backend/engine/engine.h.)
 *
 * A value is a linear form over materialised gates (gform).  Linear forms
 * are free: they become rows of the weight matrices of whatever reads
 * them.  Gates that occupy a residual slot ("materialised"):
 *   GT_INPUT  a feature the embedding or the position encoding puts in;
 *   GT_FFN    a sum of ReGLU units, sum_j c_j relu(B_j . x) (A_j . x),
 *             all in one FFN half-layer;
 *   GT_HOUT   one component of the value an attention head read.
 * And GT_HEAD, an attention head with 2-D query and key forms, a tie rule
 * and an optional mask gate, whose value forms are read at the winning
 * position and written into its GT_HOUT gates.
 *
 * Exactness: every gate carries a range; construction checks that every
 * linear form stays below 2^53 in absolute sum, so that float64 sums are
 * exact in any order (the numpy runner sums in another order than C).
 *
 * Ownership: a gate_graph owns all gates and forms (arena).
 */
#ifndef TVL_GATES_H
#define TVL_GATES_H

#include "backend/engine/engine.h"

typedef struct {
  int g;        /* gate id */
  double c;
} gterm;

typedef struct {
  gterm *t;
  int n;
  double k;     /* constant, carried by the ONE input */
} gform;

typedef enum { GT_INPUT, GT_FFN, GT_HEAD, GT_HOUT } gate_type;

typedef enum {
  IN_ONE,       /* 1 at every position */
  IN_TOKEN,     /* sum_r coef[r] * (indicator or value of role r) */
  IN_POS,       /* p */
  IN_RING,      /* p mod POS_RING_N, and the other position features of */
  IN_RING2,     /* engine.h (model_pos_features), in its order */
  IN_RING_M1,
  IN_RING_M2,
} input_kind;

typedef struct {
  double c;     /* output coefficient */
  gform b;      /* relu(b . x) */
  gform a;      /* times (a . x) */
} gunit;

typedef struct gate {
  gate_type type;
  char *name;          /* for the slot map and :schedule */
  double lo, hi;       /* range of the value */
  int earliest;        /* scheduling: time it may run at, at the soonest */
  int pinned;          /* -1, or the only time it may run at */
  /* GT_INPUT */
  input_kind in;
  double *role_ind, *role_val;  /* per vocabulary range, IN_TOKEN */
  /* GT_FFN */
  gunit *units;
  int nunits;
  /* GT_HEAD */
  gform q[2], k[2];
  int mask;            /* gate id or -1 */
  tie_rule tie;
  gform *vals;
  int dv;
  int *outs;           /* GT_HOUT gate of each value component */
  int group;           /* heads of one group share a physical head */
  /* GT_HOUT */
  int head, comp;
} gate;

typedef struct gate_graph {
  arena mem;
  VEC(gate) g;
  int one;             /* the IN_ONE gate */
  int n_roles;         /* vocabulary ranges, for IN_TOKEN coefficients */
  /* output: per vocabulary range, the forms of the three output columns:
   * bonus, linear coefficient, quadratic coefficient */
  gform *out;          /* 3 * n_roles */
  /* routing (machine.c, engine.h model_routing): router r's value, and its
   * one-hot gates fam[k] = [value == k], k = 0..n-1 */
  int n_route;
  struct gate_route {
    char name[16];
    gform value;
    int *fam;            /* n + 1 gate ids, owned by the builder */
    int n;
  } route[ROUTE_MAX];
  bool fresh_slots;     /* never reuse a slot (a circuit: one value per
                           slot, and no units spent zeroing) */
  struct gshare *share; /* gshare.c: equal FFN gates are one, or NULL */
  char err[256];
  bool failed;
} gate_graph;

void gg_init(gate_graph *gg, int n_roles);
void gg_free(gate_graph *gg);

/* Forms. */
gform gf_const(gate_graph *gg, double k);
gform gf_gate(gate_graph *gg, int g);
gform gf_add(gate_graph *gg, gform a, gform b);           /* a + b */
gform gf_scale(gate_graph *gg, gform a, double s);        /* s a */
gform gf_axpy(gate_graph *gg, gform a, double s, gform b);/* a + s b */
gform gf_addk(gate_graph *gg, gform a, double k);         /* a + k */
bool gf_is_const(gform a, double *k);
void gf_range(const gate_graph *gg, gform a, double *lo, double *hi);
double gf_abs_bound(const gate_graph *gg, gform a);

/* Gates. */
int gg_input(gate_graph *gg, input_kind kind, const char *name, double lo,
             double hi);
int gg_token_input(gate_graph *gg, const char *name, const double *ind,
                   const double *val, double lo, double hi);
/* An FFN gate with the given units; its range is given by the caller
 * (who knows what the units compute) or derived when lo > hi. */
int gg_ffn(gate_graph *gg, const char *name, const gunit *u, int n,
           double lo, double hi);
/* The same, when the caller has proved every product exact although the
 * ranges alone cannot show it (e.g. a gate input that is a sum of
 * mutually exclusive 0/1 indicators, which range analysis treats as
 * independent).  Say why at the call. */
int gg_ffn_proven(gate_graph *gg, const char *name, const gunit *u, int n,
                  double lo, double hi);
int gg_head(gate_graph *gg, const char *name, gform qx, gform qy, gform kx,
            gform ky, int mask, tie_rule tie, const gform *vals, int dv,
            const double *lo, const double *hi);
int gg_hout(const gate_graph *gg, int head, int comp);

/* Common nonlinear pieces, each one FFN gate. */
int gg_relu(gate_graph *gg, const char *name, gform x);          /* relu(x) */
int gg_step(gate_graph *gg, const char *name, gform x);          /* [x >= 1], x integral */
int gg_eqk(gate_graph *gg, const char *name, gform x, double k); /* [x == k] */
int gg_mul(gate_graph *gg, const char *name, gform a, gform b);  /* a * b, exact */
int gg_persist(gate_graph *gg, const char *name, gform x);       /* x itself */

void gg_fail(gate_graph *gg, const char *fmt, ...) TVL_PRINTF(2, 3);

/* gshare.c: from gg_share_on, an FFN gate equal to an earlier one (name,
 * units, range) is that one (the machine builder's; not for a builder
 * that renames gates). */
void gg_share_on(gate_graph *gg);
int gg_share_find(const gate_graph *gg, const char *name, const gunit *u, int n,
                  double lo, double hi);
void gg_share_add(gate_graph *gg, int g);
void gg_share_free(gate_graph *gg);

/* ---- schedule and slots --------------------------------------------- */

/* Time of a gate: 2*layer for the attention half, 2*layer+1 for the FFN
 * half; inputs are at time -1. */
typedef struct {
  int n_layers;
  int *time;             /* per gate */
  int *slot;             /* per materialised gate, -1 otherwise */
  int d_model;
  int *phys_head;        /* per head gate: index within its layer */
  int *heads_per_layer;
  int *ffn_units;        /* per layer, including slot clears */
  /* slot clears: value gate g is zeroed by a unit in the FFN of layer l
   * so that its slot can be reused */
  VEC(struct gclear { int gate, layer; }) clears;
  char **slot_names;     /* d_model names: every value it holds, in order */
  int *live_from, *live_to; /* per gate: time born, last read */
  int n_units;
} placement;

typedef enum { SCHED_LIST, SCHED_MILP } sched_kind;

typedef struct {
  double time_limit;     /* seconds, MILP */
  /* seconds without a better schedule after which the search stops,
   * whatever time is left (at least twice the time the last improvement
   * took); 0: search until optimal or out of time.  Definitions in the
   * REPL use it so that typical ones compile in tens of milliseconds;
   * :optimize does not. */
  double patience;
  bool verbose;
  char note[256];        /* what happened (fallback warnings) */
  int milp_status;       /* glp status, for tests */
  int test_glp_error;    /* tests only: 1 provokes a GLPK error before the
                            solve, 2 inside it (docs/milp.md) */
} sched_opts;

/* What each slot holds in the residual after each half-layer:
 * h[(t + 1) * d_model + s] is the gate whose value slot s holds after
 * half-layer t (-1 the embedding, 2l layer l's attention, 2l+1 its FFN),
 * or -1 when it holds nothing (not written yet, or zeroed by a clear).
 * A holder past its last read is still there, dead (slot_live_at says).
 * Freed by the caller. */
int *slots_holders(const gate_graph *gg, const placement *pl);
/* Whether gate g is live at half-layer t: born at or before t, read at
 * or after it (the ranges :slots prints). */
bool slot_live_at(const placement *pl, int g, int t);

bool sched_list(gate_graph *gg, placement *pl);
/* Places gates at the given times (one per gate, taken over by pl):
 * checks dependencies, drops dead gates, counts layers and heads, and
 * assigns slots.  Fails (gg->err) on an invalid schedule. */
bool sched_place(gate_graph *gg, placement *pl, int *time);
/* MILP over the list schedule: never worse (fewer or equal layers, then
 * width); falls back to the list schedule with a note on any failure. */
bool sched_milp(gate_graph *gg, placement *pl, sched_opts *o);
void placement_free(placement *pl);
/* Slot allocation by interval colouring of the live ranges. */
bool slots_assign(gate_graph *gg, placement *pl);

/* ---- weights -------------------------------------------------------- */

/* Builds the model; vocabulary ranges are the caller's. */
/* The most weights a model may have, counted dense (d_model x units per
 * FFN matrix) although the engine keeps FFN matrices sparse: the model
 * file (docs/model-format.md) and the numpy runner hold them dense, so
 * this bounds an export at 2 GiB of float64.  weights_build refuses a
 * bigger model, and the form is not compiled. */
#define WEIGHTS_MAX ((int64_t)1 << 28)
int64_t weights_count(const gate_graph *gg, const placement *pl);
model *weights_build(gate_graph *gg, const placement *pl,
                     const vocab_range *ranges, int n_ranges, char *err,
                     size_t errlen);

#endif
