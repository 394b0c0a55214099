/* qsort.c - sorting C ints with a comparator written in tvl.
 *
 * The comparator is compiled into the weights of a transformer, and qsort
 * calls it through a real C function pointer (a libffi closure): every
 * comparison is a run of that transformer.  The result is checked against
 * the same order written in C.
 *
 * Build it against an installed libtvl with
 *   cc qsort.c $(pkg-config --cflags --libs libtvl) -o qsort
 * and run it as  ./qsort [transformer|reference|check]  (the default is
 * transformer).  It exits with status 0 when every check passed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tvl.h>

/* Order by the number of 1 bits, then by value. */
static const char *source =
    "(define (bits x)\n"
    "  (let loop ((x x) (n 0))\n"
    "    (if (= x 0) n (loop (quotient x 2) (+ n (remainder x 2))))))\n"
    "(define (compare a b)\n"
    "  (let ((ba (bits a)) (bb (bits b)))\n"
    "    (cond ((< ba bb) -1) ((> ba bb) 1)\n"
    "          ((< a b) -1) ((> a b) 1)\n"
    "          (else 0))))\n";

static int c_bits(int x) {
  int n = 0;
  for (; x; x /= 2) n += x % 2;
  return n;
}

static int c_compare(const void *pa, const void *pb) {
  int a = *(const int *)pa, b = *(const int *)pb;
  int ba = c_bits(a), bb = c_bits(b);
  if (ba != bb) return ba < bb ? -1 : 1;
  return (a > b) - (a < b);
}

static int failures;

static void check(int ok, const char *what) {
  printf("%s: %s\n", ok ? "ok" : "FAILED", what);
  if (!ok) failures++;
}

static void show(const char *title, const int *v, int n) {
  printf("%s:", title);
  for (int i = 0; i < n; i++) printf(" %d", v[i]);
  printf("\n");
}

enum { N = 16 };

int main(int argc, char **argv) {
  tvl_session *s = tvl_session_new();
  if (argc > 1 && tvl_set_mode(s, argv[1]) != 0) {
    fprintf(stderr, "usage: %s [transformer|reference|check]\n", argv[0]);
    return 2;
  }
  if (tvl_eval(s, source) != 0) {
    fprintf(stderr, "%s", tvl_error(s));
    return 1;
  }
  printf("%s\n", tvl_summary(s));

  /* one call from C */
  int args[2] = {3, 8}, r = 99;
  check(tvl_call(s, "compare", args, 2, &r) == 0 && r == 1,
        "(compare 3 8) is 1: 3 has more 1 bits");

  /* a function pointer of one int argument */
  int (*bits)(int) = (int (*)(int))tvl_function_pointer(s, "bits", 1);
  check(bits && bits(255) == 8 && bits(1024) == 1, "bits(255) is 8, bits(1024) is 1");

  /* qsort with the comparator */
  int v[N], w[N];
  unsigned seed = 12345;
  for (int i = 0; i < N; i++) {
    seed = seed * 1103515245u + 12345u;
    v[i] = w[i] = (int)((seed >> 16) % 1000);
  }
  show("before", v, N);
  tvl_compare_fn cmp = tvl_int_comparator(s, "compare");
  check(cmp != NULL, "a comparator for qsort");
  if (cmp) qsort(v, N, sizeof v[0], cmp);
  qsort(w, N, sizeof w[0], c_compare);
  show("sorted by tvl", v, N);
  check(tvl_error(s) == NULL && tvl_failed_calls(s) == 0, "no comparison failed");
  check(!memcmp(v, w, sizeof v), "the same order as the C comparator");

  /* errors are reported, not crashes */
  check(tvl_function_pointer(s, "no-such-procedure", 1) == NULL && tvl_error(s),
        "no pointer to an undefined procedure");
  check(tvl_function_pointer(s, "compare", 3) == NULL, "no pointer of the wrong arity");
  check(tvl_eval(s, "(define (fails x) (quotient x 0))") == 0, "a procedure that fails");
  int (*fails)(int) = (int (*)(int))tvl_function_pointer(s, "fails", 1);
  check(fails && fails(1) == 0 && tvl_failed_calls(s) == 1 && tvl_error(s) &&
            strstr(tvl_error(s), "division by zero"),
        "a failing call returns 0 and records the error");
  if (tvl_error(s)) printf("  %.*s\n", (int)strcspn(tvl_error(s), "\n"), tvl_error(s));

  tvl_session_free(s);
  printf("%s\n", failures ? "some checks FAILED" : "all checks passed");
  return failures ? 1 : 0;
}
