/* ffi-replay.c - C calls recorded, and replayed instead of made again.
 *
 * A C function may have side effects (it writes a file, prints, draws a
 * random number), so a run that repeats a program must not call it a
 * second time: check mode's reference evaluator repeats the form the
 * transformer just ran, :trace and :margins repeat a form the session ran
 * before.  Every real call is recorded in the world's log: the C
 * function (library, symbol, types), its arguments and its outcome.  A
 * replaying run takes, for its k-th call of a function with given
 * arguments, the k-th recorded outcome of that call from the point the
 * replay starts at; a call with no recorded outcome is made for real
 * (check mode: the transformer never made it) or refused (:trace).
 *
 * The log keeps the latest LOG_MAX calls; older ones are dropped (a
 * replay that needs them refuses).
 */
#include "config.h"

#include "lang.h"

#include <string.h>

enum { LOG_MAX = 1 << 18 };

typedef struct {
  char *key;          /* the function and its arguments, as text */
  bool ok, used;
  value result;
  char *err;
} call_rec;

struct ffi_log {
  VEC(call_rec) v;
  int64_t dropped;    /* calls dropped from the front */
  int64_t cursor;     /* where the next replayed call most likely is */
};

ffi_log *ffi_log_new(void) { return xcalloc(1, sizeof(ffi_log)); }

static void rec_free(call_rec *c) {
  free(c->key);
  free(c->err);
}

void ffi_log_clear(ffi_log *l) {
  if (!l) return;
  for (int i = 0; i < l->v.n; i++) rec_free(&l->v.v[i]);
  l->v.n = 0;
  l->dropped = 0;
  l->cursor = 0;
}

void ffi_log_free(ffi_log *l) {
  if (!l) return;
  ffi_log_clear(l);
  VEC_FREE(l->v);
  free(l);
}

int64_t ffi_log_size(const ffi_log *l) { return l ? l->dropped + l->v.n : 0; }

void ffi_replay_begin(world *w, ffi_mode mode, int64_t from, const char *who) {
  ffi_log *l = w->calls;
  w->ffi_mode = mode;
  w->ffi_replayer = who;
  if (!l) return;
  int64_t start = from - l->dropped;
  if (start < 0) start = 0;
  for (int64_t i = start; i < l->v.n; i++) l->v.v[i].used = false;
  l->cursor = start;
  w->ffi_from = from;
}

void ffi_replay_end(world *w) {
  w->ffi_mode = FFI_LIVE;
  w->ffi_replayer = NULL;
}

/* "libc\0abs\0int32(int32)\0-4\0" without the NULs: lengths keep the
 * parts apart. */
char *ffi_call_key(world *w, const extern_def *x, const value *args, int nargs) {
  strbuf b;
  sb_init(&b);
  sb_printf(&b, "%zu:%s %zu:%s %s(", strlen(x->library), x->library,
            strlen(x->symbol), x->symbol, xtype_name(x->ret));
  for (int i = 0; i < x->nargs; i++) sb_printf(&b, "%s ", xtype_name(x->args[i]));
  sb_putc(&b, ')');
  for (int i = 0; i < nargs; i++) {
    if (args[i].kind == VK_STR) {
      const char *s = world_string(w, args[i].i);
      sb_printf(&b, " %zu:", strlen(s));
      sb_puts(&b, s);
    } else {
      sb_printf(&b, " %d/%d", args[i].kind, args[i].i);
    }
  }
  return sb_detach(&b);
}

int ffi_log_take(world *w, const char *key, value *out, char *err,
                 size_t errlen) {
  ffi_log *l = w->calls;
  if (!l || w->ffi_mode == FFI_LIVE) return -1;
  int64_t start = w->ffi_from - l->dropped;
  if (start < 0) start = 0;
  int64_t at = -1;
  if (l->cursor < l->v.n && l->cursor >= start && !l->v.v[l->cursor].used &&
      !strcmp(l->v.v[l->cursor].key, key))
    at = l->cursor;   /* the usual case: the calls come in the same order */
  for (int64_t i = start; at < 0 && i < l->v.n; i++)
    if (!l->v.v[i].used && !strcmp(l->v.v[i].key, key)) at = i;
  if (at < 0) return -1;
  call_rec *c = &l->v.v[at];
  c->used = true;
  l->cursor = at + 1;
  if (c->ok) *out = c->result;
  else snprintf(err, errlen, "%s", c->err ? c->err : "C call failed");
  return c->ok;
}

void ffi_log_add(world *w, char *key, bool ok, value result, const char *err) {
  ffi_log *l = w->calls;
  if (!l) {
    free(key);
    return;
  }
  if (l->v.n >= LOG_MAX) {   /* drop the older half */
    int half = l->v.n / 2;
    for (int i = 0; i < half; i++) rec_free(&l->v.v[i]);
    memmove(l->v.v, l->v.v + half, (size_t)(l->v.n - half) * sizeof *l->v.v);
    l->v.n -= half;
    l->dropped += half;
    l->cursor = l->cursor > half ? l->cursor - half : 0;
  }
  call_rec c = {key, ok, true, result, ok ? NULL : xstrdup(err)};
  VEC_PUSH(l->v, c);
}
