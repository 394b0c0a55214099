/* slotmap.c - the slot map of a compiled program in the program's own
 * names: which slot holds each parameter, variable and table read, over
 * which half-layers, at which steps; the machine's own slots (program
 * counter, memory reads, guards, output) summarised apart.
 *
 * In a machine a variable lives in memory (the trace), not in the
 * residual: at a step that reads it, a head copies it into a slot; at the
 * step that assigns it, its new value is the emitted value.  One slot
 * serves several variables at different steps (positions), never two at
 * the same step, so a slot shared by several names says at which steps
 * (pc) each is there.
 */
#include "config.h"

#include "runner.h"

#include "backend/circuit.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* A name the machine made, not the program: the return value, a
 * temporary, the result, a return address, a register. */
static bool machine_name(const char *s) {
  if (!s[0] || !strcmp(s, "RV") || !strcmp(s, "result") || !strcmp(s, "?") ||
      !strcmp(s, "SP") || !strcmp(s, "HP") || !strcmp(s, "WADDR"))
    return true;
  if (!strncmp(s, "ret:", 4) || !strncmp(s, "display:", 8) || strchr(s, ' '))
    return true;
  if (s[0] == 't' && s[1]) {
    const char *p = s + 1;
    while (isdigit((unsigned char)*p)) p++;
    if (!*p) return true;
  }
  return false;
}

/* One appearance of a name in a slot at a step. */
typedef struct {
  const char *name;
  int slot, from, to, pc;
} use;

typedef VEC(use) use_vec;
typedef VEC(char *) str_vec;

static int head_out_gate(const mprog *p, int slot, int layer) {
  for (int g = 0; g < p->gg.g.n; g++)
    if (p->gg.g.v[g].type == GT_HOUT && p->pl.slot[g] == slot &&
        p->pl.time[g] == 2 * layer)
      return g;
  return -1;
}

static int emitted_gate(const mprog *p) {
  for (int g = 0; g < p->gg.g.n; g++)
    if (p->pl.slot[g] >= 0 && p->pl.time[g] != -3 &&
        !strcmp(p->gg.g.v[g].name, "emitted value"))
      return g;
  return -1;
}

/* The variable a write step assigns ("y" of "y := ..."), or NULL. */
static char *written_name(const mstep_info *s) {
  if (s->k != M_WRITE || !s->what || s->tool) return NULL;
  const char *e = strstr(s->what, " := ");
  if (!e) return NULL;
  char *n = xmalloc((size_t)(e - s->what) + 1);
  memcpy(n, s->what, (size_t)(e - s->what));
  n[e - s->what] = 0;
  if (machine_name(n)) {
    free(n);
    return NULL;
  }
  return n;
}

static void collect(const mprog *p, use_vec *u, str_vec *owned) {
  for (int i = 0; i < p->slotmap.n; i++) {
    const struct slotref *r = &p->slotmap.v[i];
    int g = head_out_gate(p, r->slot, r->layer);
    if (machine_name(r->label) || g < 0) continue;
    use x = {r->label, r->slot, p->pl.live_from[g], p->pl.live_to[g], r->pc};
    VEC_PUSH(*u, x);
  }
  int e = emitted_gate(p);
  for (int pc = 0; e >= 0 && pc < p->npc; pc++) {
    char *n = written_name(&p->steps[pc]);
    if (!n) continue;
    VEC_PUSH(*owned, n);
    use x = {n, p->pl.slot[e], p->pl.live_from[e], p->pl.live_to[e], pc};
    VEC_PUSH(*u, x);
  }
}

/* "in", "L2a", "L5f", "out" */
static void half(strbuf *b, int t, int n_layers) {
  if (t < 0) sb_puts(b, "in");
  else if (t >= 2 * n_layers) sb_puts(b, "out");
  else sb_printf(b, "L%d%c", t / 2, t % 2 ? 'f' : 'a');
}

/* Whether slot s holds more than one program name over the run. */
static bool shared(const use_vec *u, int s) {
  const char *first = NULL;
  for (int i = 0; i < u->n; i++) {
    if (u->v[i].slot != s) continue;
    if (!first) first = u->v[i].name;
    else if (strcmp(first, u->v[i].name)) return true;
  }
  return false;
}

/* The source text of the expression a step assigns: at the step's place
 * the source reads "NAME EXPR" (a let binding, a define) or "(set! NAME
 * EXPR"; EXPR on the same line, balanced.  NULL when it cannot tell. */
static char *defining_text(const mprog *p, int pc, const char *name) {
  const mstep_info *s = &p->steps[pc];
  if (s->loc.line <= 0 || s->loc.col <= 0) return NULL;
  size_t len;
  const char *line = src_line(&p->w->src, s->loc.file, s->loc.line, &len);
  if (!line || (size_t)s->loc.col > len) return NULL;
  const char *at = line + s->loc.col - 1, *end = line + len;
  size_t nl = strlen(name);
  if (end - at > 6 && !strncmp(at, "(set! ", 6)) at += 6;
  if ((size_t)(end - at) <= nl || strncmp(at, name, nl) || !isspace((unsigned char)at[nl]))
    return NULL;
  at += nl;
  while (at < end && isspace((unsigned char)*at)) at++;
  const char *q = at;
  if (q < end && *q == '(') {
    int depth = 0;
    do {
      if (q >= end || *q == '\n') return NULL;   /* not on one line */
      depth += *q == '(' ? 1 : *q == ')' ? -1 : 0;
      q++;
    } while (depth > 0);
  } else {
    while (q < end && !isspace((unsigned char)*q) && *q != ')') q++;
  }
  if (q == at || q - at > 40) return NULL;
  char *t = xmalloc((size_t)(q - at) + 1);
  memcpy(t, at, (size_t)(q - at));
  t[q - at] = 0;
  return t;
}

/* The uses of one name, grouped by slot and range: "→42 [L1a..L5f] pc 9 12". */
static void name_text(const mprog *p, const use_vec *u, const char *name, strbuf *out) {
  bool *done = xcalloc((size_t)u->n + 1, sizeof(bool));
  bool first = true;
  for (int i = 0; i < u->n; i++) {
    if (done[i] || strcmp(u->v[i].name, name)) continue;
    const use *a = &u->v[i];
    sb_printf(out, "%s\xe2\x86\x92%d [", first ? "" : ", ", a->slot);
    first = false;
    half(out, a->from, p->pl.n_layers);
    sb_puts(out, "..");
    half(out, a->to, p->pl.n_layers);
    sb_putc(out, ']');
    bool pcs = shared(u, a->slot);
    if (pcs) sb_puts(out, " pc");
    for (int j = i; j < u->n; j++) {
      const use *b = &u->v[j];
      if (done[j] || strcmp(b->name, name) || b->slot != a->slot || b->from != a->from ||
          b->to != a->to)
        continue;
      done[j] = true;
      bool dup = false;
      for (int k = i; k < j && pcs; k++)
        dup |= !strcmp(u->v[k].name, name) && u->v[k].slot == a->slot && u->v[k].pc == b->pc;
      if (pcs && !dup) sb_printf(out, " %d", b->pc);
    }
  }
  free(done);
}

/* In the order the program computes them: by step, then by half-layer. */
static int by_pc(const void *x, const void *y) {
  const use *a = x, *b = y;
  if (a->pc != b->pc) return a->pc - b->pc;
  return a->from != b->from ? a->from - b->from : a->slot - b->slot;
}

void slotmap_names(const mprog *p, const char *sep, strbuf *out) {
  if (p->circ) {
    circuit_slot_names(p, sep, out);
    return;
  }
  use_vec u = {0};
  str_vec owned = {0};
  collect(p, &u, &owned);
  if (u.n > 1) qsort(u.v, (size_t)u.n, sizeof(use), by_pc);   /* u.v is NULL when empty */
  for (int i = 0; i < u.n; i++) {
    bool seen = false;
    for (int k = 0; k < i && !seen; k++) seen = !strcmp(u.v[k].name, u.v[i].name);
    if (seen) continue;
    sb_printf(out, "%s%s", out->n ? sep : "", u.v[i].name);
    /* the expression, from the first step that assigns it */
    for (int k = i; k < u.n; k++) {
      char *wn = strcmp(u.v[k].name, u.v[i].name) ? NULL : written_name(&p->steps[u.v[k].pc]);
      if (wn && strcmp(wn, u.v[i].name)) {   /* the step assigns another name */
        free(wn);
        wn = NULL;
      }
      if (!wn) continue;
      char *t = defining_text(p, u.v[k].pc, wn);
      if (t) sb_printf(out, "=%s", t);
      free(t);
      free(wn);
      break;
    }
    name_text(p, &u, u.v[i].name, out);
  }
  for (int i = 0; i < owned.n; i++) free(owned.v[i]);
  VEC_FREE(owned);
  VEC_FREE(u);
}

/* ---- the machine's slots ------------------------------------------- */

static const struct {
  const char *what;
  const char *prefix[8];
} roles[] = {
  {"program counter", {"pc=", "own=", "last jump", "prev token", "token 2 back", "JUMP target", NULL}},
  {"memory", {"read ", "mem ", "key present", "not a memory write", "not a static write",
              "SETR cell", NULL}},
  {"guards", {">= lo", "> hi", "guarded error", "error site", NULL}},
  {"output", {"emit", NULL}},
};
enum { NROLES = sizeof roles / sizeof roles[0] };

/* The role of a gate: 0.. NROLES-1, NROLES for a token or position
 * feature, NROLES + 1 for the rest (arithmetic, comparisons, selects). */
static int role_of(const gate *g) {
  for (int r = 0; r < NROLES; r++)
    for (int k = 0; roles[r].prefix[k]; k++)
      if (!strncmp(g->name, roles[r].prefix[k], strlen(roles[r].prefix[k]))) return r;
  return g->type == GT_INPUT ? NROLES : NROLES + 1;
}

/* "2 7-14 20" */
static void slot_list(strbuf *out, const bool *in, int d) {
  bool first = true;
  for (int s = 0; s < d; s++) {
    if (!in[s]) continue;
    int e = s;
    while (e + 1 < d && in[e + 1]) e++;
    sb_printf(out, first ? "%d" : " %d", s);
    if (e > s) sb_printf(out, "-%d", e);
    first = false;
    s = e;
  }
}

void slotmap_machine(const mprog *p, strbuf *out) {
  if (p->circ) {
    circuit_plumbing(p, out);
    return;
  }
  int d = p->pl.d_model;
  bool *in = xcalloc((size_t)(NROLES + 2) * (size_t)(d ? d : 1), sizeof(bool));
  for (int g = 0; g < p->gg.g.n; g++)
    if (p->pl.slot[g] >= 0 && p->pl.time[g] != -3)
      in[role_of(&p->gg.g.v[g]) * d + p->pl.slot[g]] = true;
  static const char *const extra[] = {"tokens and positions", "arithmetic and tests"};
  bool first = true;
  for (int r = 0; r < NROLES + 2; r++) {
    bool any = false;
    for (int s = 0; s < d; s++) any |= in[r * d + s];
    if (!any) continue;
    sb_printf(out, "%s%s ", first ? "" : " \xc2\xb7 ", r < NROLES ? roles[r].what : extra[r - NROLES]);
    slot_list(out, in + (size_t)r * d, d);
    first = false;
  }
  /* the machine's own names among the values read */
  strbuf tmp;
  sb_init(&tmp);
  for (int i = 0; i < p->slotmap.n; i++) {
    const char *l = p->slotmap.v[i].label;
    if (!machine_name(l)) continue;
    bool seen = false;
    for (int k = 0; k < i; k++) seen |= !strcmp(p->slotmap.v[k].label, l);
    if (!seen) sb_printf(&tmp, " %s\xe2\x86\x92%d", l, p->slotmap.v[i].slot);
  }
  if (tmp.n) sb_printf(out, " \xc2\xb7 temporaries%s", tmp.s);
  sb_free(&tmp);
  free(in);
}
