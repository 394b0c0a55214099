/* gates.c - building the gate graph, with ranges and the earliest time each
 * gate can run (the list schedule, computed as the graph grows). */
#include "config.h"

#include "gates.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define EXACT_LIMIT 9007199254740992.0 /* 2^53 */

void gg_fail(gate_graph *gg, const char *fmt, ...) {
  if (gg->failed) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(gg->err, sizeof gg->err, fmt, ap);
  va_end(ap);
  gg->failed = true;
}

void gg_init(gate_graph *gg, int n_roles) {
  memset(gg, 0, sizeof *gg);
  arena_init(&gg->mem);
  gg->n_roles = n_roles;
  gg->out = arena_alloc(&gg->mem, (size_t)(3 * n_roles + 1) * sizeof(gform));
  gg->one = gg_input(gg, IN_ONE, "1", 1, 1);
}

void gg_free(gate_graph *gg) {
  gg_share_free(gg);
  VEC_FREE(gg->g);
  arena_free(&gg->mem);
}

/* ---- forms ---------------------------------------------------------- */

static gform form_alloc(gate_graph *gg, int n) {
  gform f = {n ? arena_alloc(&gg->mem, (size_t)n * sizeof(gterm)) : NULL, n, 0};
  return f;
}

gform gf_const(gate_graph *gg, double k) {
  (void)gg;
  gform f = {NULL, 0, k};
  return f;
}

gform gf_gate(gate_graph *gg, int g) {
  gform f = form_alloc(gg, 1);
  f.t[0].g = g;
  f.t[0].c = 1;
  return f;
}

gform gf_axpy(gate_graph *gg, gform a, double s, gform b) {
  gform f = form_alloc(gg, a.n + b.n);
  int n = 0;
  for (int i = 0; i < a.n; i++) f.t[n++] = a.t[i];
  for (int i = 0; i < b.n; i++) {
    int j = 0;
    while (j < n && f.t[j].g != b.t[i].g) j++;
    if (j < n) {
      f.t[j].c += s * b.t[i].c;
    } else {
      f.t[n].g = b.t[i].g;
      f.t[n].c = s * b.t[i].c;
      n++;
    }
  }
  /* drop cancelled terms */
  int m = 0;
  for (int i = 0; i < n; i++)
    if (f.t[i].c != 0) f.t[m++] = f.t[i];
  f.n = m;
  f.k = a.k + s * b.k;
  return f;
}

gform gf_add(gate_graph *gg, gform a, gform b) { return gf_axpy(gg, a, 1, b); }

gform gf_scale(gate_graph *gg, gform a, double s) {
  if (s == 0) return gf_const(gg, 0);
  gform f = form_alloc(gg, a.n);
  for (int i = 0; i < a.n; i++) {
    f.t[i].g = a.t[i].g;
    f.t[i].c = a.t[i].c * s;
  }
  f.k = a.k * s;
  return f;
}

gform gf_addk(gate_graph *gg, gform a, double k) {
  gform f = a;
  f.k += k;
  (void)gg;
  return f;
}

bool gf_is_const(gform a, double *k) {
  if (a.n) return false;
  if (k) *k = a.k;
  return true;
}

void gf_range(const gate_graph *gg, gform a, double *lo, double *hi) {
  double l = a.k, h = a.k;
  for (int i = 0; i < a.n; i++) {
    const gate *g = &gg->g.v[a.t[i].g];
    double c = a.t[i].c;
    if (c >= 0) {
      l += c * g->lo;
      h += c * g->hi;
    } else {
      l += c * g->hi;
      h += c * g->lo;
    }
  }
  *lo = l;
  *hi = h;
}

double gf_abs_bound(const gate_graph *gg, gform a) {
  double s = fabs(a.k);
  for (int i = 0; i < a.n; i++) {
    const gate *g = &gg->g.v[a.t[i].g];
    double m = fmax(fabs(g->lo), fabs(g->hi));
    s += fabs(a.t[i].c) * m;
  }
  return s;
}

/* ---- times ---------------------------------------------------------- */

static int gate_time(const gate_graph *gg, int g) {
  const gate *x = &gg->g.v[g];
  return x->type == GT_INPUT ? -1 : x->earliest;
}

static int form_ready(const gate_graph *gg, gform f) {
  int t = -1;
  for (int i = 0; i < f.n; i++) {
    int u = gate_time(gg, f.t[i].g);
    if (u > t) t = u;
  }
  return t;
}

/* The first FFN (odd) or attention (even) time after `after`. */
static int next_time(int after, bool ffn) {
  int t = after + 1;
  if (t < 0) t = 0;
  if ((t % 2 == 1) != ffn) t++;
  return t;
}

static bool check_form(gate_graph *gg, gform f, const char *what,
                       const char *name) {
  double b = gf_abs_bound(gg, f);
  if (!(b < EXACT_LIMIT)) {
    gg_fail(gg, "%s of %s may reach %.3g, beyond the 2^53 where float64 "
                "stops being exact", what, name, b);
    return false;
  }
  return true;
}

static int push(gate_graph *gg, gate *x) {
  /* Ctrl-C, the memory and the time limit stop a compilation wherever it
   * builds gates (base/guard.c); the graph stays consistent */
  if (!gg->failed && guard_poll()) gg_fail(gg, "%s", guard_message());
  x->pinned = -1;
  VEC_PUSH(gg->g, *x);
  return gg->g.n - 1;
}

static char *dupname(gate_graph *gg, const char *name) {
  return arena_strdup(&gg->mem, name ? name : "");
}

/* ---- gates ---------------------------------------------------------- */

int gg_input(gate_graph *gg, input_kind kind, const char *name, double lo,
             double hi) {
  gate x;
  memset(&x, 0, sizeof x);
  x.type = GT_INPUT;
  x.in = kind;
  x.name = dupname(gg, name);
  x.lo = lo;
  x.hi = hi;
  x.earliest = -1;
  x.mask = -1;
  return push(gg, &x);
}

int gg_token_input(gate_graph *gg, const char *name, const double *ind,
                   const double *val, double lo, double hi) {
  int g = gg_input(gg, IN_TOKEN, name, lo, hi);
  gate *x = &gg->g.v[g];
  x->role_ind = arena_alloc(&gg->mem, (size_t)gg->n_roles * sizeof(double));
  x->role_val = arena_alloc(&gg->mem, (size_t)gg->n_roles * sizeof(double));
  for (int r = 0; r < gg->n_roles; r++) {
    x->role_ind[r] = ind ? ind[r] : 0;
    x->role_val[r] = val ? val[r] : 0;
  }
  return g;
}

static int ffn(gate_graph *gg, const char *name, const gunit *u, int n,
               double lo, double hi, bool proven);

int gg_ffn(gate_graph *gg, const char *name, const gunit *u, int n, double lo,
           double hi) {
  return ffn(gg, name, u, n, lo, hi, false);
}

int gg_ffn_proven(gate_graph *gg, const char *name, const gunit *u, int n,
                  double lo, double hi) {
  return ffn(gg, name, u, n, lo, hi, true);
}

static int ffn(gate_graph *gg, const char *name, const gunit *u, int n,
               double lo, double hi, bool proven) {
  gate x;
  memset(&x, 0, sizeof x);
  x.type = GT_FFN;
  x.name = dupname(gg, name);
  x.mask = -1;
  x.units = arena_alloc(&gg->mem, (size_t)(n ? n : 1) * sizeof(gunit));
  memcpy(x.units, u, (size_t)n * sizeof(gunit));
  x.nunits = n;
  int ready = -1;
  double dl = 0, dh = 0;
  for (int i = 0; i < n; i++) {
    if (!check_form(gg, u[i].b, "a unit's gate input", name) ||
        !check_form(gg, u[i].a, "a unit's linear input", name))
      return gg->one;
    int r = form_ready(gg, u[i].b);
    if (r > ready) ready = r;
    r = form_ready(gg, u[i].a);
    if (r > ready) ready = r;
    /* derived range: relu(b) in [max(0,blo), max(0,bhi)] times a */
    double bl, bh, al, ah;
    gf_range(gg, u[i].b, &bl, &bh);
    gf_range(gg, u[i].a, &al, &ah);
    bl = fmax(0, bl);
    bh = fmax(0, bh);
    double p[4] = {bl * al, bl * ah, bh * al, bh * ah};
    double pl = p[0], ph = p[0];
    for (int k = 1; k < 4; k++) {
      pl = fmin(pl, p[k]);
      ph = fmax(ph, p[k]);
    }
    double c = u[i].c;
    dl += c >= 0 ? c * pl : c * ph;
    dh += c >= 0 ? c * ph : c * pl;
    /* the product itself must be exact */
    if (!proven && !(fmax(fabs(pl), fabs(ph)) * fabs(c) < EXACT_LIMIT)) {
      gg_fail(gg, "a unit of %s may compute %.3g, beyond the 2^53 where "
                  "float64 stops being exact", name, fmax(fabs(pl), fabs(ph)));
      return gg->one;
    }
  }
  if (lo > hi) {
    lo = dl;
    hi = dh;
  }
  x.lo = lo;
  x.hi = hi;
  x.earliest = next_time(ready, true);
  int same = gg_share_find(gg, x.name, u, n, lo, hi);
  if (same >= 0) return same;
  int g = push(gg, &x);
  gg_share_add(gg, g);
  return g;
}

int gg_head(gate_graph *gg, const char *name, gform qx, gform qy, gform kx,
            gform ky, int mask, tie_rule tie, const gform *vals, int dv,
            const double *lo, const double *hi) {
  gate x;
  memset(&x, 0, sizeof x);
  x.type = GT_HEAD;
  x.name = dupname(gg, name);
  x.q[0] = qx;
  x.q[1] = qy;
  x.k[0] = kx;
  x.k[1] = ky;
  x.mask = mask;
  x.tie = tie;
  x.dv = dv;
  x.vals = arena_alloc(&gg->mem, (size_t)(dv ? dv : 1) * sizeof(gform));
  memcpy(x.vals, vals, (size_t)dv * sizeof(gform));
  int ready = -1;
  const gform *all[4] = {&qx, &qy, &kx, &ky};
  for (int i = 0; i < 4; i++) {
    if (!check_form(gg, *all[i], "a query or key", name)) return gg->one;
    int r = form_ready(gg, *all[i]);
    if (r > ready) ready = r;
  }
  for (int i = 0; i < dv; i++) {
    if (!check_form(gg, vals[i], "a value", name)) return gg->one;
    int r = form_ready(gg, vals[i]);
    if (r > ready) ready = r;
  }
  if (mask >= 0 && gate_time(gg, mask) > ready) ready = gate_time(gg, mask);
  x.earliest = next_time(ready, false);
  int h = push(gg, &x);
  int *outs = arena_alloc(&gg->mem, (size_t)(dv ? dv : 1) * sizeof(int));
  for (int i = 0; i < dv; i++) {
    gate o;
    memset(&o, 0, sizeof o);
    o.type = GT_HOUT;
    char buf[96];
    snprintf(buf, sizeof buf, "%s.%d", name, i);
    o.name = dupname(gg, buf);
    o.head = h;
    o.comp = i;
    o.mask = -1;
    /* a head reads a zero vector when nothing matches */
    o.lo = fmin(0, lo[i]);
    o.hi = fmax(0, hi[i]);
    o.earliest = gg->g.v[h].earliest;
    outs[i] = push(gg, &o);
  }
  gg->g.v[h].outs = outs;
  return h;
}

int gg_hout(const gate_graph *gg, int head, int comp) {
  return gg->g.v[head].outs[comp];
}

static gunit unit(gate_graph *gg, double c, gform b, gform a) {
  (void)gg;
  gunit u = {c, b, a};
  return u;
}

int gg_relu(gate_graph *gg, const char *name, gform x) {
  gunit u = unit(gg, 1, x, gf_const(gg, 1));
  double lo, hi;
  gf_range(gg, x, &lo, &hi);
  return gg_ffn(gg, name, &u, 1, fmax(0, lo), fmax(0, hi));
}

/* [x >= 1] for integral x: relu(x) - relu(x - 1). */
int gg_step(gate_graph *gg, const char *name, gform x) {
  gunit u[2] = {unit(gg, 1, x, gf_const(gg, 1)),
                unit(gg, -1, gf_addk(gg, x, -1), gf_const(gg, 1))};
  return gg_ffn(gg, name, u, 2, 0, 1);
}

/* [x == k] for integral x: relu(d+1) - 2 relu(d) + relu(d-1), d = x - k. */
int gg_eqk(gate_graph *gg, const char *name, gform x, double k) {
  gform d = gf_addk(gg, x, -k);
  gunit u[3] = {unit(gg, 1, gf_addk(gg, d, 1), gf_const(gg, 1)),
                unit(gg, -2, d, gf_const(gg, 1)),
                unit(gg, 1, gf_addk(gg, d, -1), gf_const(gg, 1))};
  return gg_ffn(gg, name, u, 3, 0, 1);
}

/* a * b exactly: relu(a) b - relu(-a) b, one unit when a >= 0. */
int gg_mul(gate_graph *gg, const char *name, gform a, gform b) {
  double alo, ahi, blo, bhi;
  gf_range(gg, a, &alo, &ahi);
  gf_range(gg, b, &blo, &bhi);
  if (alo < 0 && blo >= 0) {
    gform t = a;
    a = b;
    b = t;
    double x = alo, y = ahi;
    alo = blo;
    ahi = bhi;
    blo = x;
    bhi = y;
  }
  double p[4] = {alo * blo, alo * bhi, ahi * blo, ahi * bhi};
  double lo = p[0], hi = p[0];
  for (int i = 1; i < 4; i++) {
    lo = fmin(lo, p[i]);
    hi = fmax(hi, p[i]);
  }
  if (alo >= 0) {
    gunit u = unit(gg, 1, a, b);
    return gg_ffn(gg, name, &u, 1, lo, hi);
  }
  gunit u[2] = {unit(gg, 1, a, b), unit(gg, -1, gf_scale(gg, a, -1), b)};
  return gg_ffn(gg, name, u, 2, lo, hi);
}

int gg_persist(gate_graph *gg, const char *name, gform x) {
  double lo, hi;
  gf_range(gg, x, &lo, &hi);
  gunit u = unit(gg, 1, gf_const(gg, 1), x);
  return gg_ffn(gg, name, &u, 1, lo, hi);
}
