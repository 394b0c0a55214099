/* bench-hull.c - per-token cost of the brute and hull KV caches as the
 * trace grows.
 *
 * Two workloads, one LATEST head with dv = 1, one insert and one query
 * per token:
 *   prev-token   key (2p, -p^2), query (p-1, 1): read the previous token;
 *   mem-read     writes to random addresses a < 10,000 with key
 *                (2a, -a^2), queries (b, 1) for random addresses b.
 * At each length N the cache is first filled with N - W positions (keys
 * only), then a window of W tokens is timed, so that brute at 200,000
 * costs W scans of 200,000 keys, not the whole quadratic prefix.  Each
 * cell is the median of three runs.  Exits 1 unless the hull is at least
 * 50x faster than brute at 200,000 positions on both workloads and its
 * per-token time grows less than 2x from 10,000 to 1,000,000.
 */
#include "config.h"

#include "backend/engine/engine.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

enum { N_ADDR = 10000, TRIALS = 3 };

typedef enum { W_PREV, W_MEM } workload;

static uint64_t rng = 88172645463325252ull;

static uint64_t next_rand(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void insert(kv_cache *c, workload w, int64_t p) {
  int64_t a = w == W_PREV ? p : (int64_t)(next_rand() % N_ADDR);
  double v = (double)p;
  if (!kv_insert(c, 2 * a, -a * a, p, &v)) {
    fprintf(stderr, "bench-hull: insert refused at %lld\n", (long long)p);
    exit(2);
  }
}

/* The window's answers are checked where the right one is known. */
static bool query(kv_cache *c, workload w, int64_t p) {
  int64_t b = w == W_PREV ? p - 1 : (int64_t)(next_rand() % N_ADDR);
  kv_result r;
  double v;
  if (!kv_query(c, b, 1, &r, &v)) return false;
  return w != W_PREV || r.pos == p - 1;
}

/* ns per token over a window of `window` tokens ending at length n. */
static double time_window(kv_kind kind, workload w, int64_t n,
                          int64_t window) {
  rng = 88172645463325252ull;
  kv_cache *c = kv_new(kind, TIE_LATEST, 1);
  for (int64_t p = 0; p < n - window; p++) insert(c, w, p);
  double t0 = now();
  bool ok = true;
  for (int64_t p = n - window; p < n; p++) {
    insert(c, w, p);
    ok = query(c, w, p) && ok;
  }
  double t = now() - t0;
  kv_free(c);
  if (!ok) {
    fprintf(stderr, "bench-hull: a query gave a wrong answer\n");
    exit(2);
  }
  return 1e9 * t / (double)window;
}

static double median3(double a, double b, double c) {
  if (a > b) { double t = a; a = b; b = t; }
  if (b > c) { double t = b; b = c; c = t; }
  return a > b ? a : b;
}

static double measure(kv_kind kind, workload w, int64_t n) {
  int64_t window = kind == KV_BRUTE ? 1000 : n < 100000 ? 2000 : 20000;
  double t[TRIALS];
  for (int i = 0; i < TRIALS; i++) t[i] = time_window(kind, w, n, window);
  return median3(t[0], t[1], t[2]);
}

int main(void) {
  static const int64_t lengths[] = {10000, 100000, 200000, 1000000};
  static const char *names[] = {"prev-token", "mem-read (10k addr)"};
  double hull[2][4], brute[2][4];
  printf("%-20s %10s %14s %14s %12s\n", "workload", "positions",
         "brute ns/tok", "hull ns/tok", "brute/hull");
  for (int w = 0; w < 2; w++) {
    for (int i = 0; i < 4; i++) {
      hull[w][i] = measure(KV_HULL, (workload)w, lengths[i]);
      brute[w][i] = lengths[i] <= 200000
                        ? measure(KV_BRUTE, (workload)w, lengths[i]) : 0;
      char bs[32] = "-", ratio[32] = "-";
      if (brute[w][i] > 0) {
        snprintf(bs, sizeof bs, "%.0f", brute[w][i]);
        snprintf(ratio, sizeof ratio, "%.0fx", brute[w][i] / hull[w][i]);
      }
      printf("%-20s %10lld %14s %14.0f %12s\n", names[w],
             (long long)lengths[i], bs, hull[w][i], ratio);
      fflush(stdout);
    }
  }
  bool ok = true;
  for (int w = 0; w < 2; w++) {
    double speed = brute[w][2] / hull[w][2], growth = hull[w][3] / hull[w][0];
    bool pass = speed >= 50 && growth < 2;
    printf("%s: hull %.0fx faster than brute at 200,000; hull grows %.2fx "
           "from 10,000 to 1,000,000: %s\n", names[w], speed, growth,
           pass ? "ok" : "FAILED (needs >= 50x and < 2x)");
    ok = ok && pass;
  }
  return ok ? 0 : 1;
}
