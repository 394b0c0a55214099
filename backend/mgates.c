/* mgates.c - the gates every program's model has, whatever its steps:
 * the token inputs, the program counter (the latest JUMP's target plus
 * the tokens since it, as a one-hot over the steps) and the memory keys
 * (the address a SETR/SETM writes, read back by attention with parabolic
 * keys).  machine.c builds the steps' own gates on top of these.
 *
 * Ownership: the gates belong to the builder's gate graph (b->gg).
 */
#include "config.h"

#include "mbuild.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int token_input(mb *b, const char *name, role r, bool is_value, double lo,
                       double hi) {
  double ind[R_NROLES] = {0}, val[R_NROLES] = {0};
  if (is_value) val[r] = 1;
  else ind[r] = 1;
  return gg_token_input(b->gg, name, ind, val, lo, hi);
}

gform mb_onehot(mb *b, int s) { return gf_gate(b->gg, b->cstep[s]); }

static gform ostep_onehot(mb *b, int s) { return gf_gate(b->gg, b->ostep[s]); }

/* The one-hot [x == k] for k = 0..npc-1, one gate each (three units of
 * x alone: a family the engine evaluates in closed form, where only the
 * gates next to x are not 0). */
static int *onehot_family(mb *b, const char *prefix, gform x) {
  int n = b->p->npc;
  int *g = xcalloc((size_t)n + 1, sizeof(int));
  char name[64];
  for (int k = 0; k < n; k++) {
    snprintf(name, sizeof name, "%s=%d", prefix, k);
    g[k] = gg_eqk(b->gg, name, x, k);
  }
  return g;
}

/* Positional heads: the latest JUMP, and the tokens one and two back. */
void mb_build_pc(mb *b) {
  gate_graph *gg = b->gg;
  int one = gg->one;
  const double pmax = (double)POS_MAX, rmax = POS_RING_N - 1;
  b->g_pos = gg_input(gg, IN_POS, "p", 0, pmax);
  int ring = gg_input(gg, IN_RING, "p mod ring", 0, rmax);
  int ring2 = gg_input(gg, IN_RING2, "(p mod ring)^2", 0, rmax * rmax);
  int ring1 = gg_input(gg, IN_RING_M1, "p-1 mod ring", -1, rmax);
  int ring_2 = gg_input(gg, IN_RING_M2, "p-2 mod ring", -2, rmax);
  b->g_hi = token_input(b, "tok is HI", R_HI, false, 0, 1);
  double himax = machine_hi_max(b->p);
  b->g_hival = token_input(b, "HI value", R_HI, true, SHORT_MIN, himax);
  b->g_valv = token_input(b, "VAL value", R_VAL, true, SHORT_MIN, SHORT_MAX);
  b->g_val_ind = token_input(b, "tok is VAL", R_VAL, false, 0, 1);
  int jval = token_input(b, "JUMP target", R_JUMP, true, 0, b->p->npc);
  double notj[R_NROLES];
  for (int r = 0; r < R_NROLES; r++) notj[r] = r == R_JUMP ? 0 : 1;
  int notjump = gg_token_input(gg, "tok is not JUMP", notj, NULL, 0, 1);
  int setr_ind = token_input(b, "tok is SETR", R_SETR, false, 0, 1);
  int setr_val = token_input(b, "SETR cell", R_SETR, true, 0, ADDR_MAX);
  int setm_ind = token_input(b, "tok is SETM", R_SETM, false, 0, 1);
  b->g_jval = jval;   /* for mreport2.c */
  b->g_ring = ring;
  b->g_ring2 = ring2;
  b->g_ring1 = ring1;

  /* latest JUMP: all keys equal, the latest wins */
  gform v3[3] = {gf_gate(gg, jval), gf_gate(gg, b->g_pos), gf_gate(gg, one)};
  double lo3[3] = {0, 0, 0}, hi3[3] = {b->p->npc, pmax, 1};
  int anchor = gg_head(gg, "last jump", gf_const(gg, 0), gf_const(gg, 0),
                       gf_const(gg, 0), gf_const(gg, 0), notjump, TIE_LATEST,
                       v3, 3, lo3, hi3);
  /* previous tokens: key (2r, -r^2) with r the position's place on the
   * ring, query (place of p - d, 1): the latest key on that place is
   * p - d (docs/trace-format.md), and no score exceeds 3 POS_RING_N^2 */
  gform kx = gf_scale(gg, gf_gate(gg, ring), 2);
  gform ky = gf_scale(gg, gf_gate(gg, ring2), -1);
  gform pv[2] = {gf_gate(gg, b->g_hi), gf_gate(gg, b->g_hival)};
  double plo[2] = {0, SHORT_MIN}, phi[2] = {1, himax};
  int prev = gg_head(gg, "prev token", gf_gate(gg, ring1),
                     gf_const(gg, 1), kx, ky, -1, TIE_LATEST, pv, 2, plo, phi);
  gform p2v[3] = {gf_gate(gg, setr_ind), gf_gate(gg, setr_val), gf_gate(gg, setm_ind)};
  double p2lo[3] = {0, 0, 0}, p2hi[3] = {1, ADDR_MAX, 1};
  int prev2 = gg_head(gg, "token 2 back", gf_gate(gg, ring_2),
                      gf_const(gg, 1), kx, ky, -1, TIE_LATEST, p2v, 3, p2lo, p2hi);

  gform jtarget = gf_gate(gg, gg_hout(gg, anchor, 0));
  gform jpos = gf_gate(gg, gg_hout(gg, anchor, 1));
  b->found = gf_gate(gg, gg_hout(gg, anchor, 2));
  b->lo = gf_gate(gg, gg_hout(gg, prev, 0));
  b->prev_hi_val = gf_gate(gg, gg_hout(gg, prev, 1));
  gform hi = gf_gate(gg, b->g_hi);
  /* cur = P + (t - a) - hi - lo ; own = cur - 1 + hi */
  gform cur = gf_add(gg, jtarget, gf_axpy(gg, gf_gate(gg, b->g_pos), -1, jpos));
  cur = gf_axpy(gg, gf_axpy(gg, cur, -1, hi), -1, b->lo);
  b->cur = cur;
  b->own = gf_addk(gg, gf_add(gg, cur, hi), -1);
  b->nrm = gf_axpy(gg, gf_axpy(gg, gf_const(gg, 1), -1, hi), -1, b->lo);
  /* the value a VAL token completes: short, or 65536 h + lo + 32768 */
  b->value_in = gf_add(gg, gf_gate(gg, b->g_valv),
                       gf_add(gg, gf_scale(gg, b->lo, 32768),
                              gf_scale(gg, b->prev_hi_val, 65536)));
  /* PCs pushed out of range where they mean nothing */
  gform cur_all = gf_add(gg, cur, gf_scale(gg, gf_axpy(gg, gf_const(gg, 1), -1, b->found), BIG_SHIFT));
  gform own_v = gf_add(gg, b->own,
                       gf_scale(gg, gf_axpy(gg, gf_axpy(gg, gf_const(gg, 2), -1, b->found),
                                            -1, gf_gate(gg, b->g_val_ind)),
                                BIG_SHIFT));
  b->cstep = onehot_family(b, "pc", cur_all);
  b->ostep = onehot_family(b, "own", own_v);
  /* the routers: a step's units are experts selected by these
   * (weights.c proves which units each one owns) */
  struct gate_route rc = {"cur", cur_all, b->cstep, b->p->npc};
  struct gate_route ro = {"own", own_v, b->ostep, b->p->npc};
  gg->route[0] = rc;
  gg->route[1] = ro;
  gg->n_route = 2;

  /* register tier: static writes and prompt SETR cells */
  gate_graph *G = gg;
  gform addr = gf_gate(G, gg_hout(G, prev2, 1));
  gform addr2 = gf_const(G, 0);
  int sq_setr = gg_mul(G, "SETR cell^2", addr, addr);
  addr2 = gf_gate(G, sq_setr);
  gform wsum = gf_gate(G, gg_hout(G, prev2, 0));
  /* mask: 1 - (static write here) - (SETR value here), as its own gate */
  VEC(gunit) mu = {0};
  for (int s = 0; s < b->p->npc; s++) {
    const mstmt *m = &b->ms.v[s];
    if (m->k != M_WRITE || m->tgt != TGT_STATIC) continue;
    gform o = ostep_onehot(b, s);
    addr = gf_axpy(G, addr, m->addr, o);
    addr2 = gf_axpy(G, addr2, (double)m->addr * m->addr, o);
    wsum = gf_add(G, wsum, o);
    /* units of this PC's one-hot, for the mask gate */
    gform x = gf_add(G, b->own, gf_scale(G, gf_axpy(G, gf_axpy(G, gf_const(G, 2), -1, b->found),
                                                      -1, gf_gate(G, b->g_val_ind)), BIG_SHIFT));
    gform d = gf_addk(G, x, -s);
    gunit u1 = {-1, gf_addk(G, d, 1), gf_const(G, 1)};
    gunit u2 = {2, d, gf_const(G, 1)};
    gunit u3 = {-1, gf_addk(G, d, -1), gf_const(G, 1)};
    VEC_PUSH(mu, u1);
    VEC_PUSH(mu, u2);
    VEC_PUSH(mu, u3);
  }
  gunit pass = {1, gf_const(G, 1), gf_axpy(G, gf_const(G, 1), -1, gf_gate(G, gg_hout(G, prev2, 0)))};
  VEC_PUSH(mu, pass);
  b->reg_mask = gg_ffn(G, "not a static write", mu.v, mu.n, 0, 1);
  VEC_FREE(mu);
  b->reg_addr = addr;
  b->reg_key_x = gf_scale(G, addr, 2);
  b->reg_key_y = gf_scale(G, addr2, -1);
  b->reg_val = b->value_in;

  /* SETM: the prompt's heap cells, addressed by WADDR */
  b->mem_val = b->value_in;
  b->mem_addr = gf_gate(G, gg_hout(G, prev2, 2));   /* placeholder use below */
  (void)setm_ind;
}

/* Register reads every position needs: SP, HP, WADDR. */
static gform reg_head(mb *b, int32_t addr, const char *name, double hi) {
  gate_graph *gg = b->gg;
  gform v[1] = {b->reg_val};
  double lo[1] = {0}, hh[1] = {hi};
  int h = gg_head(gg, name, gf_const(gg, addr), gf_const(gg, 1), b->reg_key_x,
                  b->reg_key_y, b->reg_mask, TIE_LATEST, v, 1, lo, hh);
  b->reg_time = gg->g.v[h].earliest;
  return gf_gate(gg, gg_hout(gg, h, 0));
}

/* Memory tier keys: frame cells (SP + off), heap cells via WADDR or HP,
 * and the prompt's SETM cells (via WADDR). */
void mb_build_memory_keys(mb *b, int setm_comp_gate) {
  gate_graph *G = b->gg;
  b->sp = reg_head(b, REG_SP, "read SP", ADDR_MAX);
  b->hp = reg_head(b, REG_HP, "read HP", ADDR_MAX);
  b->waddr = reg_head(b, REG_WADDR, "read WADDR", ADDR_MAX);
  gform use[3] = {gf_const(G, 0), gf_const(G, 0), gf_const(G, 0)};
  gform off[3] = {gf_const(G, 0), gf_const(G, 0), gf_const(G, 0)};
  gform off2 = gf_const(G, 0);
  use[1] = gf_gate(G, setm_comp_gate);   /* SETM is a WADDR write */
  for (int s = 0; s < b->p->npc; s++) {
    const mstmt *m = &b->ms.v[s];
    if (m->k != M_WRITE) continue;
    int k = m->tgt == TGT_FRAME ? 0 : m->tgt == TGT_WADDR ? 1 : m->tgt == TGT_HP ? 2 : -1;
    if (k < 0) continue;
    gform o = ostep_onehot(b, s);
    use[k] = gf_add(G, use[k], o);
    off[k] = gf_axpy(G, off[k], m->off, o);
    off2 = gf_axpy(G, off2, (double)m->off * m->off, o);
  }
  gform regs[3] = {b->sp, b->waddr, b->hp};
  const double K = 2.0 * ADDR_MAX;
  VEC(gunit) au = {0}, su = {0}, mu = {0};
  for (int k = 0; k < 3; k++) {
    /* addr += use_k * reg_k ; addr^2 += use_k * reg_k^2 + 2 off_k reg_k */
    gunit a = {1, use[k], regs[k]};
    VEC_PUSH(au, a);
    gunit sq = {1, gf_axpy(G, regs[k], K, gf_addk(G, use[k], -1)), regs[k]};
    VEC_PUSH(su, sq);
    gunit cross = {1, regs[k], gf_scale(G, off[k], 2)};
    VEC_PUSH(su, cross);
    gunit m = {-1, gf_const(G, 1), use[k]};
    VEC_PUSH(mu, m);
  }
  gunit m1 = {1, gf_const(G, 1), gf_const(G, 1)};
  VEC_PUSH(mu, m1);
  /* use_k is a sum of one-hots of different PCs: 0 or 1, so each product
   * is at most a register (< 2^24) squared */
  int ga = gg_ffn_proven(G, "mem write address", au.v, au.n, -(double)ADDR_MAX, ADDR_MAX);
  int gs = gg_ffn_proven(G, "mem write address^2", su.v, su.n, -4.0 * ADDR_MAX * ADDR_MAX,
                         4.0 * ADDR_MAX * ADDR_MAX);
  b->mem_mask = gg_ffn(G, "not a memory write", mu.v, mu.n, 0, 1);
  VEC_FREE(au);
  VEC_FREE(su);
  VEC_FREE(mu);
  gform addr = gf_add(G, gf_gate(G, ga), gf_add(G, off[0], gf_add(G, off[1], off[2])));
  gform addr2 = gf_add(G, gf_gate(G, gs), off2);
  b->mem_addr = addr;
  b->mem_key_x = gf_scale(G, addr, 2);
  b->mem_key_y = gf_scale(G, addr2, -1);
  b->mem_ready = G->g.v[b->mem_mask].earliest + 1;
  if (G->g.v[ga].earliest + 1 > b->mem_ready) b->mem_ready = G->g.v[ga].earliest + 1;
}
