/* limits.c - the limits that stop runaway programs, set and validated in
 * one place for the command line (--max-steps ...), the REPL (:limit) and
 * libtvl (tvl_set_limit): a value outside a limit's range is refused with
 * the range, so that no setting makes every form fail (a heap of 0 cells
 * did) or stops nothing (a step limit past what positions can count).
 */
#include "config.h"

#include "session.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef enum { L_STEPS, L_DEPTH, L_HEAP, L_MEMORY, L_TIME } limit_id;

typedef struct {
  const char *name;
  const char *unit;
  limit_id id;
} limit_spec;

static const limit_spec specs[] = {
  {"steps", "steps", L_STEPS},
  {"depth", "calls", L_DEPTH},
  {"heap", "vector cells", L_HEAP},
  {"memory", "bytes", L_MEMORY},
  {"time", "seconds", L_TIME},
};
enum { NSPECS = sizeof specs / sizeof *specs };

/* The ranges.  Steps: 10^12 tokens is months of running, and keeps every
 * position far below 2^53.  Depth: each level costs the evaluator C stack
 * (1 GB deep, lang_run_deep) and the machine a frame.  Heap: the
 * machine's heap region is addressed by 24-bit cells; at least 16 so
 * that the machine's own bookkeeping fits.  Memory: from 16 MB (tvl's
 * own start-up) to the physical memory.  Time: a millisecond to 11
 * days. */
static void range(limit_id id, double *lo, double *hi) {
  *lo = *hi = 0;
  switch (id) {
  case L_STEPS: *lo = 1; *hi = 1e12; break;
  case L_DEPTH: *lo = 1; *hi = 1e6; break;
  case L_HEAP: *lo = 16; *hi = 1 << 24; break;
  case L_MEMORY: *lo = MEM_LIMIT_MIN; *hi = (double)mem_limit_max(); break;
  case L_TIME: *lo = 0.001; *hi = 1e6; break;
  }
}

static const limit_spec *find(const char *name) {
  for (int i = 0; i < NSPECS; i++)
    if (!strcmp(specs[i].name, name)) return &specs[i];
  return NULL;
}

const char *session_limit_name(int i) {
  return i >= 0 && i < NSPECS ? specs[i].name : NULL;
}

static void range_text(const limit_spec *l, strbuf *out) {
  double lo, hi;
  range(l->id, &lo, &hi);
  if (l->id == L_MEMORY)
    sb_printf(out, "%lldM to the size of the physical memory (bytes, or "
              "with a K, M or G suffix)", (long long)lo / (1 << 20));
  else if (l->id == L_TIME)
    sb_printf(out, "%g to %g seconds, or off", lo, hi);
  else
    sb_printf(out, "%.0f to %.0f", lo, hi);
}

void session_limit_range(const char *name, strbuf *out) {
  const limit_spec *l = find(name);
  if (l) range_text(l, out);
}

static bool unknown(const char *name, strbuf *err) {
  sb_printf(err, "unknown limit '%s': the limits are steps, depth, heap, "
                 "memory and time", name);
  return false;
}

bool session_set_limit(session *s, const char *name, double v, strbuf *err) {
  const limit_spec *l = find(name);
  if (!l) return unknown(name, err);
  limits *lim = &s->w->lim;
  if (l->id == L_TIME && isinf(v) && v > 0) {   /* no time limit */
    lim->max_seconds = 0;
    return true;
  }
  double lo, hi;
  range(l->id, &lo, &hi);
  bool integral = l->id != L_TIME;
  if (!(v >= lo && v <= hi) || (integral && v != floor(v))) {
    sb_printf(err, "the %s limit must be from ", l->name);
    range_text(l, err);
    if (isfinite(v)) sb_printf(err, ", not %.15g", v);
    return false;
  }
  switch (l->id) {
  case L_STEPS: lim->max_steps = (int64_t)v; break;
  case L_DEPTH: lim->max_depth = (int)v; break;
  case L_HEAP: lim->max_heap = (int64_t)v; break;
  case L_MEMORY: lim->max_memory = (int64_t)v; break;
  case L_TIME: lim->max_seconds = v; break;
  }
  return true;
}

/* "1000", "2.5", "512M", "2G", "off" (time only). */
bool session_parse_limit(session *s, const char *name, const char *text,
                         strbuf *err) {
  const limit_spec *l = find(name);
  if (!l) return unknown(name, err);
  if (l->id == L_TIME && (!strcmp(text, "off") || !strcmp(text, "none")))
    return session_set_limit(s, name, INFINITY, err);
  char *end;
  errno = 0;
  double v = strtod(text, &end);
  if (l->id == L_MEMORY && end != text) {
    double scale = 1;
    switch (*end) {
    case 'k': case 'K': scale = 1 << 10; break;
    case 'm': case 'M': scale = 1 << 20; break;
    case 'g': case 'G': scale = 1 << 30; break;
    }
    if (scale != 1) end++;
    v *= scale;
  }
  if (errno || end == text || *end || isnan(v)) {
    sb_printf(err, "the %s limit must be a number from ", l->name);
    range_text(l, err);
    sb_printf(err, ", not '%s'", text);
    return false;
  }
  return session_set_limit(s, name, v, err);
}

double session_get_limit(const session *s, const char *name) {
  const limit_spec *l = find(name);
  const limits *lim = &s->w->lim;
  if (!l) return NAN;
  switch (l->id) {
  case L_STEPS: return (double)lim->max_steps;
  case L_DEPTH: return lim->max_depth;
  case L_HEAP: return (double)lim->max_heap;
  case L_MEMORY: return (double)lim->max_memory;
  case L_TIME: return lim->max_seconds > 0 ? lim->max_seconds : INFINITY;
  }
  return NAN;
}

void session_show_limits(const session *s, strbuf *out) {
  const limits *lim = &s->w->lim;
  sb_printf(out, "steps %lld\ndepth %d\nheap %lld\nmemory %lldM\n",
            (long long)lim->max_steps, lim->max_depth, (long long)lim->max_heap,
            (long long)(lim->max_memory >> 20));
  if (lim->max_seconds > 0) sb_printf(out, "time %g\n", lim->max_seconds);
  else sb_puts(out, "time off\n");
}
