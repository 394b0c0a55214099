/* mreads.c - memory reads of one step -> attention heads.
 *
 * A read asks for a slot in a head shared with other reads of the same
 * mode at the same time (layer); heads are built once every step has
 * asked (mx_finish_heads).  A read of a static address, a frame slot or a
 * computed address returns a value form with the range the caller gives.
 *
 * Ownership: as mexpr.c's: heads and their users live in the builder (mb).
 */
#include "config.h"

#include "mbuild.h"

#include <string.h>

#define I32_MIN (-2147483648.0)
#define I32_MAX 2147483647.0

static gate_graph *G(mb *b) { return b->gg; }

static cval cv(gform f, double lo, double hi) {
  cval c = {f, lo, hi, false};
  return c;
}

static int next_even_after(int t) { return t < 0 ? 0 : (t % 2 ? t + 1 : t + 2); }

static int form_time(mb *b, gform f) {
  int t = -1;
  for (int i = 0; i < f.n; i++) {
    const gate *g = &G(b)->g.v[f.t[i].g];
    int u = g->type == GT_INPUT ? -1 : g->earliest;
    if (u > t) t = u;
  }
  return t;
}

/* A slot in a shared head of `mode` running at `time` for this step. */
static int claim_head(mb *b, read_mode mode, int time) {
  gate_graph *gg = G(b);
  for (int i = 0; i < b->heads.n; i++) {
    phys_head *h = &b->heads.v[i];
    if (h->mode != mode || h->time != time) continue;
    bool used = false;
    for (int u = 0; u < h->users.n; u++) used |= h->users.v[u].step == b->cur_step;
    if (!used) return i;
  }
  phys_head h;
  memset(&h, 0, sizeof h);
  h.mode = mode;
  h.time = time;
  char name[48];
  static const char *const mode_name[] = {"read", "frame read", "mem read"};
  int n = 0;
  for (int i = 0; i < b->heads.n; i++) n += b->heads.v[i].mode == mode;
  snprintf(name, sizeof name, "%s %d", mode_name[mode], n);
  if (mode == RD_STATIC) {
    gform v[1] = {b->reg_val};
    double lo[1] = {I32_MIN}, hi[1] = {mx_val_hi(b)};
    h.head = gg_head(gg, name, gf_const(gg, 0), gf_const(gg, 1), b->reg_key_x,
                     b->reg_key_y, b->reg_mask, TIE_LATEST, v, 1, lo, hi);
  } else {
    gform v[2] = {b->mem_val, b->mem_addr};
    double lo[2] = {I32_MIN, 0}, hi[2] = {mx_val_hi(b), ADDR_MAX};
    h.head = gg_head(gg, name, gf_const(gg, 0), gf_const(gg, 1), b->mem_key_x,
                     b->mem_key_y, b->mem_mask, TIE_LATEST, v, 2, lo, hi);
  }
  gate *hg = &gg->g.v[h.head];
  if (hg->earliest > time) {
    mb_fail(b, "internal error: a read head cannot run at time %d", time);
  } else {
    hg->earliest = time;
    for (int c = 0; c < hg->dv; c++) gg->g.v[hg->outs[c]].earliest = time;
  }
  VEC_PUSH(b->heads, h);
  return b->heads.n - 1;
}

static const char *label_of(mb *b, const char *label) {
  return arena_strdup(&G(b)->mem, label ? label : "");
}

static void add_user(mb *b, int hi, int32_t addr, gform form, const char *label) {
  struct hslot s = {b->cur_step, addr, form, label_of(b, label)};
  VEC_PUSH(b->heads.v[hi].users, s);
  mx_src_read(b, hi);
}

cval mx_read_static(mb *b, int32_t addr, int type) {
  if (addr == REG_SP) return cv(b->sp, 0, ADDR_MAX);
  if (addr == REG_HP) return cv(b->hp, 0, ADDR_MAX);
  if (addr == REG_WADDR) return cv(b->waddr, 0, ADDR_MAX);
  int h = claim_head(b, RD_STATIC, b->reg_time);
  add_user(b, h, addr, gf_const(G(b), 0), addr < b->p->cells.n ? b->p->cells.v[addr].name : "?");
  int out = gg_hout(G(b), b->heads.v[h].head, 0);
  double lo = type >= 0 ? mx_kind_lo(b, type) : I32_MIN;
  double hi = type >= 0 ? mx_kind_hi(b, type) : I32_MAX;
  return cv(gf_gate(G(b), out), lo, hi);
}

static cval read_frame(mb *b, int32_t off, double lo, double hi,
                       const char *label) {
  int t = b->mem_ready;
  int h = claim_head(b, RD_FRAME, t);
  add_user(b, h, off, gf_const(G(b), 0), label);
  return cv(gf_gate(G(b), gg_hout(G(b), b->heads.v[h].head, 0)), lo, hi);
}

cval mx_read_dyn(mb *b, cval addr, gform *waddr, double vlo, double vhi,
                 const char *label) {
  int ready = form_time(b, addr.f);
  int mux = ready < 1 ? 1 : (ready % 2 ? ready + 2 : ready + 1);
  int t = next_even_after(mux - 1);
  if (t < b->mem_ready) t = b->mem_ready;
  int h = claim_head(b, RD_DYN, t);
  add_user(b, h, 0, addr.f, label);
  int head = b->heads.v[h].head;
  *waddr = gf_gate(G(b), gg_hout(G(b), head, 1));
  return cv(gf_gate(G(b), gg_hout(G(b), head, 0)), vlo, vhi);
}

cval mx_read_var(mb *b, int var) {
  if (var >= 0) {
    const var_home *h = &b->home[var];
    int type = b->ir->vars.v[var].type;
    if (h->frame) {
      const ir_var *x = &b->ir->vars.v[var];
      char name[64];
      snprintf(name, sizeof name, "%s", x->name >= 0 ? sym_name(&b->p->w->syms, x->name) : "tmp");
      return read_frame(b, h->off, mx_kind_lo(b, type), mx_kind_hi(b, type), name);
    }
    return mx_read_static(b, h->addr, type);
  }
  if (var == MB_PRINT_RET) return read_frame(b, 0, 0, b->p->npc, "display: return address");
  if (var <= -1000000) {
    int f = -1000000 - var;
    return read_frame(b, -b->fn_frame[f], 0, b->p->npc, "return address");
  }
  return mx_read_static(b, -var, -1);
}

/* Every step has asked for its reads: now the queries can be written. */
void mx_finish_heads(mb *b) {
  gate_graph *gg = G(b);
  for (int i = 0; i < b->heads.n && !b->failed; i++) {
    phys_head *h = &b->heads.v[i];
    gate *hg = &gg->g.v[h->head];
    gform qx = gf_const(gg, 0);
    if (h->mode == RD_STATIC) {
      for (int u = 0; u < h->users.n; u++)
        qx = gf_axpy(gg, qx, h->users.v[u].addr, mb_onehot(b, h->users.v[u].step));
    } else if (h->mode == RD_FRAME) {
      qx = b->sp;
      for (int u = 0; u < h->users.n; u++)
        qx = gf_axpy(gg, qx, h->users.v[u].addr, mb_onehot(b, h->users.v[u].step));
    } else {
      /* clamp each step's address into [0, ADDR_MAX] and keep only the
       * running step's: three units per step, C a - C relu(a - ADDR_MAX)
       * + C relu(-a), each a product with the step's one-hot C, so that a
       * step that is not running adds exactly 0 whatever its address form
       * holds there (a big-M bound on the form would have to hold at every
       * position, prompt included, where its slots hold other values) */
      VEC(gunit) us = {0};
      for (int u = 0; u < h->users.n; u++) {
        gform C = mb_onehot(b, h->users.v[u].step);
        gform a = h->users.v[u].form;
        gunit u1 = {1, C, a};
        gunit u2 = {-1, gf_addk(gg, a, -(double)ADDR_MAX), C};
        gunit u3 = {1, gf_scale(gg, a, -1), C};
        VEC_PUSH(us, u1);
        VEC_PUSH(us, u2);
        VEC_PUSH(us, u3);
      }
      char name[64];
      snprintf(name, sizeof name, "%s address", hg->name);
      int q = gg_ffn(gg, name, us.v, us.n, 0, ADDR_MAX);
      VEC_FREE(us);
      hg = &gg->g.v[h->head];
      qx = gf_gate(gg, q);
    }
    hg = &gg->g.v[h->head];
    hg->q[0] = qx;
    hg->q[1] = gf_const(gg, 1);
    if (form_time(b, qx) >= h->time)
      mb_fail(b, "internal error: the query of %s is not ready in time", hg->name);
  }
}

