/* tap.h - a tiny TAP producer for the C test programs. */
#ifndef TVL_TAP_H
#define TVL_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static int tap_n, tap_failed, tap_planned;

static inline void tap_plan(int n) {
  printf("1..%d\n", n);
  tap_planned = 1;
}

static inline int tap_ok(int cond, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  printf("%sok %d - ", cond ? "" : "not ", ++tap_n);
  vprintf(fmt, ap);
  printf("\n");
  va_end(ap);
  if (!cond) tap_failed++;
  fflush(stdout);
  return cond;
}

static inline void tap_diag(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  printf("# ");
  vprintf(fmt, ap);
  printf("\n");
  va_end(ap);
}

static inline int tap_done(void) {
  if (tap_n == 0) printf("1..0 # SKIP nothing was tested\n");
  else if (!tap_planned) printf("1..%d\n", tap_n);
  return tap_failed ? 1 : 0;
}

#endif
