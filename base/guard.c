/* guard.c - when a form must stop: Ctrl-C, a memory limit, a time limit.
 *
 * The code that runs a form installs a guard for its thread; the long
 * loops below it (the evaluator's steps, the transformer's tokens, the
 * compiler's passes, the MILP's callback) poll it.  The guard is
 * thread-local so that the compiler's layers need not carry it through
 * every function: each form runs on one thread (lang_run_deep's), and
 * two sessions on two threads keep apart.
 *
 * Polling must cost nothing in the evaluator's inner loop: the flag is
 * read at every poll, the clock every 256th, and the memory in use at
 * most every 5 ms.
 */
#include "config.h"

#include "base.h"

#include <errno.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
#ifdef HAVE_MALLINFO2
#include <malloc.h>
#endif

static _Thread_local guard *current;

double mono_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Fields of /proc/self/statm, in bytes: address space and resident. */
static bool statm(int64_t *vm, int64_t *rss) {
  FILE *f = fopen("/proc/self/statm", "r");
  if (!f) return false;
  long long a = 0, b = 0;
  bool ok = fscanf(f, "%lld %lld", &a, &b) == 2;
  fclose(f);
  long page = sysconf(_SC_PAGESIZE);
  *vm = a * page;
  *rss = b * page;
  return ok;
}

int64_t mem_in_use(void) {
#ifdef HAVE_MALLINFO2
  struct mallinfo2 mi = mallinfo2();
  return (int64_t)(mi.uordblks + mi.hblkhd);
#else
  int64_t vm, rss;
  return statm(&vm, &rss) ? rss : 0;
#endif
}

int64_t mem_default_limit(void) {
  long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
  int64_t ram = pages > 0 && page > 0 ? (int64_t)pages * page : (int64_t)4 << 30;
  int64_t lim = ram / 2;
  if (lim < MEM_LIMIT_MIN) lim = MEM_LIMIT_MIN;
  return lim;
}

int64_t mem_limit_max(void) {
  long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
  int64_t ram = pages > 0 && page > 0 ? (int64_t)pages * page : (int64_t)1 << 40;
  return ram < MEM_LIMIT_MIN ? MEM_LIMIT_MIN : ram;
}

guard *guard_install(guard *g) {
  guard *old = current;
  current = g;
  return old;
}

guard *guard_current(void) { return current; }

void guard_init(guard *g, volatile int *interrupt, int64_t max_memory,
                double max_seconds) {
  memset(g, 0, sizeof *g);
  g->interrupt = interrupt;
  g->max_memory = max_memory;
  g->max_seconds = max_seconds;
  g->deadline = max_seconds > 0 ? mono_ms() + max_seconds * 1e3 : 0;
}

static const char *stop(guard *g, const char *why, const char *fmt, ...)
    TVL_PRINTF(3, 4);

static const char *stop(guard *g, const char *why, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(g->msg, sizeof g->msg, fmt, ap);
  va_end(ap);
  g->why = why;
  return why;
}

/* The address space left under RLIMIT_AS: malloc fails (and tvl would
 * abort) when it runs out, whatever --max-memory says.  The big buffers
 * of a run (the KV caches, the trace) grow by doubling, so a run stops
 * when the heap in use could not double once more, with 16 MB to spare. */
static const char *check_address_space(guard *g, int64_t heap) {
  struct rlimit rl;
  if (getrlimit(RLIMIT_AS, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY) return NULL;
  int64_t vm, rss;
  if (!statm(&vm, &rss)) return NULL;
  int64_t cap = (int64_t)rl.rlim_cur;
  if (vm + heap + ((int64_t)16 << 20) <= cap) return NULL;
  return stop(g, "memory",
              "memory limit reached: the address space is nearly full (the "
              "process's limit is %lld MB, ulimit -v)",
              (long long)(cap >> 20));
}

static const char *check_memory(guard *g) {
  int64_t used = mem_in_use();
  if (g->max_memory > 0 && used > g->max_memory)
    return stop(g, "memory",
                "memory limit reached: more than %lld MB in use (raise it "
                "with --max-memory or :limit memory)",
                (long long)(g->max_memory >> 20));
  return check_address_space(g, used);
}

const char *guard_check(guard *g, bool now) {
  if (!g) return NULL;
  if (g->why) return g->why;
  if (g->interrupt && *g->interrupt)
    return stop(g, "interrupt", "interrupted (Ctrl-C)");
  if (!now && (++g->polls & 255)) return NULL;
  double t = mono_ms();
  if (g->deadline && t > g->deadline)
    return stop(g, "time",
                "time limit reached: the form ran for more than %g s (raise "
                "it with --max-time or :limit time)", g->max_seconds);
  if (now || t - g->last_memory_check >= 5) {
    g->last_memory_check = t;
    return check_memory(g);
  }
  return NULL;
}

const char *guard_poll(void) { return guard_check(current, false); }

const char *guard_message(void) {
  return current && current->why ? current->msg : "";
}
