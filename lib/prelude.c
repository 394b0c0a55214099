/* prelude.c - library procedures written in tvl itself: Guile's core
 * association-list mutators (assq-set!, assq-remove!, ...) and the SRFI-1
 * list library that (use-modules (srfi srfi-1)) brings (take, any,
 * delete-duplicates, lset-union, ...).
 *
 * A definition is loaded, as if the program had written it at that point,
 * just before the first top-level form that names it (and before what it
 * names itself): programs that never use one pay nothing, and a loaded
 * definition runs the same code in the evaluator and compiled, so both
 * modes agree by construction.  The SRFI-1 ones only after the program
 * said (use-modules (srfi srfi-1)) (world.srfi1), as in Guile, where they
 * are unbound without it; a name the program defined itself is never
 * replaced.  Errors inside them point into "srfi/srfi-1.scm" (the
 * definition's own text).  Every loop is a tail loop: no depth limit on
 * long lists. */
#include "config.h"

#include "session.h"

#include <string.h>

static const prelude_def core_defs[] = {
    /* keywords are the symbols whose names start with "#:" (the reader
     * reads #:name so; lang/expand-keywords.c) */
    {"keyword?", false,
     "(define (keyword? x)\n"
     "  (and (symbol? x)\n"
     "       (let ((s (symbol->string x)))\n"
     "         (and (> (string-length s) 2) (char=? (string-ref s 0) #\\#) (char=? (string-ref s 1) #\\:)))))\n"},
    {"keyword->symbol", false,
     "(define (keyword->symbol k)\n"
     "  (if (keyword? k)\n"
     "      (let ((s (symbol->string k))) (string->symbol (substring s 2 (string-length s))))\n"
     "      (error \"In procedure keyword->symbol: Wrong type argument in position 1 (expecting keyword):\" k)))\n"},
    {"symbol->keyword", false,
     "(define (symbol->keyword s)\n"
     "  (if (and (symbol? s) (not (keyword? s)))\n"
     "      (string->symbol (string-append \"#:\" (symbol->string s)))\n"
     "      (error \"In procedure symbol->keyword: Wrong type (expecting symbol):\" s)))\n"},
    {"assq-set!", false,
     "(define (assq-set! alist key val)\n"
     "  (let ((h (assq key alist))) (if h (begin (set-cdr! h val) alist) (acons key val alist))))\n"},
    {"assv-set!", false,
     "(define (assv-set! alist key val)\n"
     "  (let ((h (assv key alist))) (if h (begin (set-cdr! h val) alist) (acons key val alist))))\n"},
    {"assoc-set!", false,
     "(define (assoc-set! alist key val)\n"
     "  (let ((h (assoc key alist))) (if h (begin (set-cdr! h val) alist) (acons key val alist))))\n"},
    {"assq-remove!", false,
     "(define (assq-remove! alist key)\n"
     "  (let ((h (assq key alist)))\n"
     "    (cond ((not h) alist)\n"
     "          ((eq? (car alist) h) (cdr alist))\n"
     "          (else (let loop ((p alist))\n"
     "                  (if (eq? (car (cdr p)) h) (begin (set-cdr! p (cdr (cdr p))) alist)\n"
     "                      (loop (cdr p))))))))\n"},
    {"assv-remove!", false,
     "(define (assv-remove! alist key)\n"
     "  (let ((h (assv key alist)))\n"
     "    (cond ((not h) alist)\n"
     "          ((eq? (car alist) h) (cdr alist))\n"
     "          (else (let loop ((p alist))\n"
     "                  (if (eq? (car (cdr p)) h) (begin (set-cdr! p (cdr (cdr p))) alist)\n"
     "                      (loop (cdr p))))))))\n"},
    {"assoc-remove!", false,
     "(define (assoc-remove! alist key)\n"
     "  (let ((h (assoc key alist)))\n"
     "    (cond ((not h) alist)\n"
     "          ((eq? (car alist) h) (cdr alist))\n"
     "          (else (let loop ((p alist))\n"
     "                  (if (eq? (car (cdr p)) h) (begin (set-cdr! p (cdr (cdr p))) alist)\n"
     "                      (loop (cdr p))))))))\n"},
    {"assv-ref", false,
     "(define (assv-ref alist key) (let ((h (assv key alist))) (and h (cdr h))))\n"},
    {"first", true,
     "(define (first l) (car l))\n"},
    {"second", true,
     "(define (second l) (car (cdr l)))\n"},
    {"third", true,
     "(define (third l) (car (cdr (cdr l))))\n"},
    {"fourth", true,
     "(define (fourth l) (car (cdr (cdr (cdr l)))))\n"},
    {"fifth", true,
     "(define (fifth l) (car (cdr (cdr (cdr (cdr l))))))\n"},
    {"xcons", true,
     "(define (xcons a b) (cons b a))\n"},
    {"car+cdr", true,
     "(define (car+cdr p) (values (car p) (cdr p)))\n"},
    {"remove", true,
     "(define (remove pred l)\n"
     "  (let loop ((l l) (acc '()))\n"
     "    (cond ((null? l) (reverse acc))\n"
     "          ((pred (car l)) (loop (cdr l) acc))\n"
     "          (else (loop (cdr l) (cons (car l) acc))))))\n"},
    {"any", true,
     "(define (any pred l . ls)\n"
     "  (cond ((null? ls)\n"
     "         (let loop ((l l))\n"
     "           (if (null? l) #f\n"
     "               (let ((v (pred (car l)))) (if v v (loop (cdr l)))))))\n"
     "        ((null? (cdr ls))\n"
     "         (let loop ((a l) (b (car ls)))\n"
     "           (if (or (null? a) (null? b)) #f\n"
     "               (let ((v (pred (car a) (car b)))) (if v v (loop (cdr a) (cdr b)))))))\n"
     "        (else (error \"any: more than two lists are not supported by tvl\"))))\n"},
    {"every", true,
     "(define (every pred l . ls)\n"
     "  (cond ((null? ls)\n"
     "         (let loop ((l l) (last #t))\n"
     "           (if (null? l) last\n"
     "               (let ((v (pred (car l)))) (if v (loop (cdr l) v) #f)))))\n"
     "        ((null? (cdr ls))\n"
     "         (let loop ((a l) (b (car ls)) (last #t))\n"
     "           (if (or (null? a) (null? b)) last\n"
     "               (let ((v (pred (car a) (car b)))) (if v (loop (cdr a) (cdr b) v) #f)))))\n"
     "        (else (error \"every: more than two lists are not supported by tvl\"))))\n"},
    {"find", true,
     "(define (find pred l)\n"
     "  (let loop ((l l))\n"
     "    (cond ((null? l) #f) ((pred (car l)) (car l)) (else (loop (cdr l))))))\n"},
    {"find-tail", true,
     "(define (find-tail pred l)\n"
     "  (let loop ((l l))\n"
     "    (cond ((null? l) #f) ((pred (car l)) l) (else (loop (cdr l))))))\n"},
    {"count", true,
     "(define (count pred l . ls)\n"
     "  (cond ((null? ls)\n"
     "         (let loop ((l l) (n 0))\n"
     "           (cond ((null? l) n) ((pred (car l)) (loop (cdr l) (+ n 1))) (else (loop (cdr l) n)))))\n"
     "        ((null? (cdr ls))\n"
     "         (let loop ((a l) (b (car ls)) (n 0))\n"
     "           (cond ((or (null? a) (null? b)) n)\n"
     "                 ((pred (car a) (car b)) (loop (cdr a) (cdr b) (+ n 1)))\n"
     "                 (else (loop (cdr a) (cdr b) n)))))\n"
     "        (else (error \"count: more than two lists are not supported by tvl\"))))\n"},
    {"list-index", true,
     "(define (list-index pred l . ls)\n"
     "  (cond ((null? ls)\n"
     "         (let loop ((l l) (i 0))\n"
     "           (cond ((null? l) #f) ((pred (car l)) i) (else (loop (cdr l) (+ i 1))))))\n"
     "        ((null? (cdr ls))\n"
     "         (let loop ((a l) (b (car ls)) (i 0))\n"
     "           (cond ((or (null? a) (null? b)) #f)\n"
     "                 ((pred (car a) (car b)) i)\n"
     "                 (else (loop (cdr a) (cdr b) (+ i 1))))))\n"
     "        (else (error \"list-index: more than two lists are not supported by tvl\"))))\n"},
    {"filter-map", true,
     "(define (filter-map f l . ls)\n"
     "  (cond ((null? ls)\n"
     "         (let loop ((l l) (acc '()))\n"
     "           (if (null? l) (reverse acc)\n"
     "               (let ((v (f (car l)))) (loop (cdr l) (if v (cons v acc) acc))))))\n"
     "        ((null? (cdr ls))\n"
     "         (let loop ((a l) (b (car ls)) (acc '()))\n"
     "           (if (or (null? a) (null? b)) (reverse acc)\n"
     "               (let ((v (f (car a) (car b)))) (loop (cdr a) (cdr b) (if v (cons v acc) acc))))))\n"
     "        (else (error \"filter-map: more than two lists are not supported by tvl\"))))\n"},
    {"append-map", true,
     "(define (append-map f l . ls)\n"
     "  (define (onto r acc) (if (null? r) acc (onto (cdr r) (cons (car r) acc))))\n"
     "  (cond ((null? ls)\n"
     "         (let loop ((l l) (acc '()))\n"
     "           (if (null? l) (reverse acc)\n"
     "               (loop (cdr l) (onto (f (car l)) acc)))))\n"
     "        ((null? (cdr ls))\n"
     "         (let loop ((a l) (b (car ls)) (acc '()))\n"
     "           (if (or (null? a) (null? b)) (reverse acc)\n"
     "               (loop (cdr a) (cdr b) (onto (f (car a) (car b)) acc)))))\n"
     "        (else (error \"append-map: more than two lists are not supported by tvl\"))))\n"},
    {"delete-duplicates", true,
     "(define (delete-duplicates l . eq)\n"
     "  (let ((same? (if (null? eq) equal? (car eq))))\n"
     "    (let loop ((l l) (acc '()))\n"
     "      (if (null? l) (reverse acc)\n"
     "          (let ((x (car l)))\n"
     "            (loop (let keep ((r (cdr l)) (k '()))\n"
     "                    (cond ((null? r) (reverse k))\n"
     "                          ((same? x (car r)) (keep (cdr r) k))\n"
     "                          (else (keep (cdr r) (cons (car r) k)))))\n"
     "                  (cons x acc)))))))\n"},
    {"zip", true,
     "(define (zip l . ls)\n"
     "  (cond ((null? ls) (map list l))\n"
     "        ((null? (cdr ls))\n"
     "         (let loop ((a l) (b (car ls)) (acc '()))\n"
     "           (if (or (null? a) (null? b)) (reverse acc)\n"
     "               (loop (cdr a) (cdr b) (cons (list (car a) (car b)) acc)))))\n"
     "        ((null? (cdr (cdr ls)))\n"
     "         (let loop ((a l) (b (car ls)) (c (car (cdr ls))) (acc '()))\n"
     "           (if (or (null? a) (null? b) (null? c)) (reverse acc)\n"
     "               (loop (cdr a) (cdr b) (cdr c) (cons (list (car a) (car b) (car c)) acc)))))\n"
     "        (else (error \"zip: more than three lists are not supported by tvl\"))))\n"},
    {"take", true,
     "(define (take l k) (list-head l k))\n"},
    {"drop", true,
     "(define (drop l k) (list-tail l k))\n"},
    {"take-right", true,
     "(define (take-right l k)\n"
     "  (let loop ((lead (list-tail l k)) (lag l))\n"
     "    (if (pair? lead) (loop (cdr lead) (cdr lag)) lag)))\n"},
    {"drop-right", true,
     "(define (drop-right l k)\n"
     "  (let loop ((lead (list-tail l k)) (lag l) (acc '()))\n"
     "    (if (pair? lead) (loop (cdr lead) (cdr lag) (cons (car lag) acc)) (reverse acc))))\n"},
    {"split-at", true,
     "(define (split-at l k) (values (list-head l k) (list-tail l k)))\n"},
    {"last", true,
     "(define (last l) (car (last-pair l)))\n"},
    {"take-while", true,
     "(define (take-while pred l)\n"
     "  (let loop ((l l) (acc '()))\n"
     "    (if (and (pair? l) (pred (car l))) (loop (cdr l) (cons (car l) acc)) (reverse acc))))\n"},
    {"drop-while", true,
     "(define (drop-while pred l)\n"
     "  (let loop ((l l))\n"
     "    (if (and (pair? l) (pred (car l))) (loop (cdr l)) l)))\n"},
    {"span", true,
     "(define (span pred l)\n"
     "  (let loop ((l l) (acc '()))\n"
     "    (if (and (pair? l) (pred (car l))) (loop (cdr l) (cons (car l) acc)) (values (reverse acc) l))))\n"},
    {"break", true,
     "(define (break pred l)\n"
     "  (let loop ((l l) (acc '()))\n"
     "    (if (and (pair? l) (not (pred (car l)))) (loop (cdr l) (cons (car l) acc)) (values (reverse acc) l))))\n"},
    {"partition", true,
     "(define (partition pred l)\n"
     "  (let loop ((l l) (in '()) (out '()))\n"
     "    (cond ((null? l) (values (reverse in) (reverse out)))\n"
     "          ((pred (car l)) (loop (cdr l) (cons (car l) in) out))\n"
     "          (else (loop (cdr l) in (cons (car l) out))))))\n"},
    {"list-tabulate", true,
     "(define (list-tabulate n f)\n"
     "  (if (< n 0) (error \"list-tabulate: argument 1 must be a non-negative integer:\" n))\n"
     "  (let loop ((i (- n 1)) (acc '()))\n"
     "    (if (< i 0) acc (loop (- i 1) (cons (f i) acc)))))\n"},
    {"reduce-right", true,
     "(define (reduce-right f ridentity l)\n"
     "  (if (null? l) ridentity\n"
     "      (let loop ((r (cdr (reverse l))) (acc (car (last-pair l))))\n"
     "        (if (null? r) acc (loop (cdr r) (f (car r) acc))))))\n"},
    {"append-reverse", true,
     "(define (append-reverse rev tail)\n"
     "  (let loop ((r rev) (acc tail))\n"
     "    (if (null? r) acc (loop (cdr r) (cons (car r) acc)))))\n"},
    {"concatenate", true,
     "(define (concatenate ls)\n"
     "  (define (onto r acc) (if (null? r) acc (onto (cdr r) (cons (car r) acc))))\n"
     "  (cond ((null? ls) '())\n"
     "        ((null? (cdr ls)) (car ls))\n"
     "        (else (let loop ((ls ls) (acc '()))\n"
     "                (if (null? (cdr ls)) (append-reverse acc (car ls))\n"
     "                    (loop (cdr ls) (onto (car ls) acc)))))))\n"},
    {"unfold", true,
     "(define (unfold p f g seed . tail-gen)\n"
     "  (let loop ((s seed) (acc '()))\n"
     "    (if (p s)\n"
     "        (append-reverse acc (if (null? tail-gen) '() ((car tail-gen) s)))\n"
     "        (loop (g s) (cons (f s) acc)))))\n"},
    {"unfold-right", true,
     "(define (unfold-right p f g seed . tail)\n"
     "  (let loop ((s seed) (acc (if (null? tail) '() (car tail))))\n"
     "    (if (p s) acc (loop (g s) (cons (f s) acc)))))\n"},
    {"lset-adjoin", true,
     "(define (lset-adjoin = l . elts)\n"
     "  (let loop ((e elts) (acc l))\n"
     "    (cond ((null? e) acc)\n"
     "          ((let mem ((m acc)) (cond ((null? m) #f) ((= (car m) (car e)) #t) (else (mem (cdr m)))))\n"
     "           (loop (cdr e) acc))\n"
     "          (else (loop (cdr e) (cons (car e) acc))))))\n"},
    {"lset-union", true,
     "(define (lset-union = . ls)\n"
     "  (let next ((ls ls) (acc '()))\n"
     "    (cond ((null? ls) acc)\n"
     "          ((null? acc) (next (cdr ls) (car ls)))\n"
     "          (else (next (cdr ls)\n"
     "                      (let loop ((e (car ls)) (acc acc))\n"
     "                        (cond ((null? e) acc)\n"
     "                              ((let mem ((m acc)) (cond ((null? m) #f) ((= (car m) (car e)) #t) (else (mem (cdr m)))))\n"
     "                               (loop (cdr e) acc))\n"
     "                              (else (loop (cdr e) (cons (car e) acc))))))))))\n"},
    {"lset-intersection", true,
     "(define (lset-intersection = l . ls)\n"
     "  (let loop ((l l) (acc '()))\n"
     "    (if (null? l) (reverse acc)\n"
     "        (loop (cdr l)\n"
     "              (if (every (lambda (s) (let mem ((m s)) (cond ((null? m) #f) ((= (car l) (car m)) #t) (else (mem (cdr m)))))) ls)\n"
     "                  (cons (car l) acc) acc)))))\n"},
    {"lset-difference", true,
     "(define (lset-difference = l . ls)\n"
     "  (let loop ((l l) (acc '()))\n"
     "    (if (null? l) (reverse acc)\n"
     "        (loop (cdr l)\n"
     "              (if (any (lambda (s) (let mem ((m s)) (cond ((null? m) #f) ((= (car l) (car m)) #t) (else (mem (cdr m)))))) ls)\n"
     "                  acc (cons (car l) acc))))))\n"},
    {"alist-cons", true,
     "(define (alist-cons key val alist) (cons (cons key val) alist))\n"},
    {"alist-copy", true,
     "(define (alist-copy alist) (map (lambda (p) (if (pair? p) (cons (car p) (cdr p)) p)) alist))\n"},
    {"alist-delete", true,
     "(define (alist-delete key alist . eq)\n"
     "  (let ((same? (if (null? eq) equal? (car eq))))\n"
     "    (let loop ((l alist) (acc '()))\n"
     "      (cond ((null? l) (reverse acc))\n"
     "            ((same? key (car (car l))) (loop (cdr l) acc))\n"
     "            (else (loop (cdr l) (cons (car l) acc)))))))\n"},
    {"unzip1", true,
     "(define (unzip1 l) (map car l))\n"},
    {"unzip2", true,
     "(define (unzip2 l) (values (map car l) (map (lambda (x) (car (cdr x))) l)))\n"},
    {"unzip3", true,
     "(define (unzip3 l)\n"
     "  (values (map car l) (map (lambda (x) (car (cdr x))) l) (map (lambda (x) (car (cdr (cdr x)))) l)))\n"},
};

enum {
  NCORE = sizeof core_defs / sizeof core_defs[0],
  NDEFS = NCORE + PRELUDE_LIB_MAX + PRELUDE_LISTS_MAX + PRELUDE_WIND_MAX + PRELUDE_PORTS_MAX +
          PRELUDE_GUILE_MAX + PRELUDE_READ_MAX + PRELUDE_RANGES_MAX
};

/* the i-th definition: this file's, then prelude-lib.c's,
 * prelude-lists.c's, prelude-wind.c's, prelude-ports.c's,
 * prelude-guile.c's, prelude-read.c's and prelude-ranges.c's (whose
 * tables end in entries without a name) */
static const prelude_def *def_at(int i) {
  if (i < NCORE) return &core_defs[i];
  if (i < NCORE + PRELUDE_LIB_MAX) return &prelude_lib_defs[i - NCORE];
  if (i < NCORE + PRELUDE_LIB_MAX + PRELUDE_LISTS_MAX)
    return &prelude_lists_defs[i - NCORE - PRELUDE_LIB_MAX];
  if (i < NCORE + PRELUDE_LIB_MAX + PRELUDE_LISTS_MAX + PRELUDE_WIND_MAX)
    return &prelude_wind_defs[i - NCORE - PRELUDE_LIB_MAX - PRELUDE_LISTS_MAX];
  if (i < NCORE + PRELUDE_LIB_MAX + PRELUDE_LISTS_MAX + PRELUDE_WIND_MAX + PRELUDE_PORTS_MAX)
    return &prelude_ports_defs[i - NCORE - PRELUDE_LIB_MAX - PRELUDE_LISTS_MAX - PRELUDE_WIND_MAX];
  i -= NCORE + PRELUDE_LIB_MAX + PRELUDE_LISTS_MAX + PRELUDE_WIND_MAX + PRELUDE_PORTS_MAX;
  if (i < PRELUDE_GUILE_MAX) return &prelude_guile_defs[i];
  i -= PRELUDE_GUILE_MAX;
  return i < PRELUDE_READ_MAX ? &prelude_read_defs[i] : &prelude_ranges_defs[i - PRELUDE_READ_MAX];
}
#define defs(i) (*def_at(i))

/* the builtin that also loads definition i (prelude-wind.c), or NULL */
static const char *also_at(int i) {
  int w = i - (NCORE + PRELUDE_LIB_MAX + PRELUDE_LISTS_MAX);
  return w >= 0 && w < PRELUDE_WIND_MAX ? prelude_wind_also[w] : NULL;
}

/* the SRFI-1 definition of the name of core definition i, or -1 */
static int srfi1_twin(int i) {
  for (int k = 0; k < NDEFS; k++)
    if (defs(k).name && defs(k).srfi1 && !strcmp(defs(k).name, defs(i).name)) return k;
  return -1;
}

typedef struct {
  session *s;
  bool (*eval)(session *s, rd_form *f);
  int ids[NDEFS];      /* symbol ids, -1: not interned (not named yet) */
  int also[NDEFS];     /* ... of the builtin that also loads it, or -1 */
  bool seen[NDEFS];
} loader;

static bool wanted(loader *L, int i) {
  world *w = L->s->w;
  if (L->seen[i] || (L->ids[i] < 0 && L->also[i] < 0)) return false;
  if (defs(i).srfi1 && !w->srfi1) return false;
  /* a builtin of the same name wins */
  if (!defs(i).srfi1 && builtin_find(defs(i).name)) return false;
  /* SRFI-1's list-index replaces Guile's core one (prelude-lists.c) */
  if (!defs(i).srfi1 && w->srfi1 && srfi1_twin(i) >= 0) return false;
  if (L->ids[i] < 0) return true;   /* named by its builtin only: not defined yet */
  const gcell *g = world_find(w, L->ids[i]);
  if (mac_find(w, L->ids[i])) return false;   /* a macro (delay) already defined */
  if (defs(i).srfi1 && g && g->kind != G_UNDEFINED && g->loc.file >= 0 &&
      !strcmp(src_name(&w->src, g->loc.file), "ice-9/boot-9.scm"))
    return true;   /* the core one, loaded before (use-modules (srfi srfi-1)) */
  return !g || g->kind == G_UNDEFINED;
}

static void load(loader *L, int i);

/* (format #f ...), (simple-format #f ...), string ports and output to a
 * port need the text of a value in compiled code: prelude-ports.c's
 * %tvl-text (and what it calls), loaded as if the form named it. */
static bool names_text(const world *w, const sx *s) {
  if (s->kind != SX_LIST || s->u.list.n < 1 || s->u.list.v[0]->kind != SX_SYM) return false;
  const char *h = sym_name(&w->syms, s->u.list.v[0]->u.sym);
  int n = s->u.list.n;
  if (!strcmp(h, "format") || !strcmp(h, "simple-format"))
    return n > 1 && !(s->u.list.v[1]->kind == SX_BOOL && s->u.list.v[1]->u.b);
  if (!strcmp(h, "display") || !strcmp(h, "write") || !strcmp(h, "write-char"))
    return n == 3;
  if (!strcmp(h, "newline")) return n == 2;
  return !strcmp(h, "call-with-output-string") || !strcmp(h, "with-output-to-string") ||
         !strcmp(h, "open-output-string") || !strcmp(h, "get-output-string");
}

/* A name of (ice-9 match)'s forms, once the program used the module. */
static bool names_match(const world *w, const sx *s) {
  if (!w->ice9_match || s->kind != SX_SYM) return false;
  const char *n = sym_name(&w->syms, s->u.sym);
  return !strcmp(n, "match") || !strcmp(n, "match-lambda") || !strcmp(n, "match-lambda*") ||
         !strcmp(n, "match-let") || !strcmp(n, "match-let*");
}

static void scan(loader *L, const sx *s) {
  if (names_text(L->s->w, s))
    for (int i = 0; i < NDEFS; i++)
      if (defs(i).name && (!strcmp(defs(i).name, "%tvl-text") ||
                           !strcmp(defs(i).name, "%tvl-int-text") ||
                           !strcmp(defs(i).name, "%tvl-symbol-display") ||
                           !strcmp(defs(i).name, "%tvl-symbol-write") ||
                           !strcmp(defs(i).name, "%tvl-write-string") ||
                           !strcmp(defs(i).name, "%tvl-char-name") ||
                           !strcmp(defs(i).name, "%tvl-port-join"))) {
        if (L->ids[i] < 0)
          L->ids[i] = sym_intern(&L->s->w->syms, defs(i).name, strlen(defs(i).name));
        if (wanted(L, i)) load(L, i);
      }
  switch (s->kind) {
  case SX_SYM:
    for (int i = 0; i < NDEFS; i++)
      if ((L->ids[i] == s->u.sym || L->also[i] == s->u.sym) && wanted(L, i)) load(L, i);
    if (names_match(L->s->w, s)) {
      /* (ice-9 match) fails with a throw (lang/expand-match.c): the
       * form names throw, in effect */
      int t = sym_intern(&L->s->w->syms, "throw", 5);
      for (int i = 0; i < NDEFS; i++) {
        const char *also = also_at(i);
        if (also && !strcmp(also, "throw")) L->also[i] = t;
        if (L->also[i] == t && wanted(L, i)) load(L, i);
      }
    }
    break;
  case SX_LIST:
  case SX_VEC:
    for (int k = 0; k < s->u.list.n; k++) scan(L, s->u.list.v[k]);
    if (s->u.list.tail) scan(L, s->u.list.tail);
    break;
  default:
    break;
  }
}

static void load(loader *L, int i) {
  L->seen[i] = true;
  world *w = L->s->w;
  int file = src_add(&w->src, defs(i).srfi1 ? "srfi/srfi-1.scm" : "ice-9/boot-9.scm");
  reader *rd = rd_new(&w->syms, &w->src, file);
  rd_feed(rd, defs(i).text, strlen(defs(i).text));
  rd_eof(rd);
  if (!rd_has_form(rd)) {   /* cannot happen: the texts are fixed */
    rd_free(rd);
    return;
  }
  rd_form f = rd_take(rd);
  rd_free(rd);
  /* the procedures it calls first (new names may be interned now) */
  for (int k = 0; k < NDEFS; k++) {
    if (L->ids[k] < 0 && defs(k).name)
      L->ids[k] = sym_lookup(&w->syms, defs(k).name, strlen(defs(k).name));
    /* a definition may name a builtin that also loads one
       (parameterize's dynamic-wind) */
    const char *also = also_at(k);
    if (L->also[k] < 0 && also) L->also[k] = sym_lookup(&w->syms, also, strlen(also));
  }
  scan(L, f.form);
  L->eval(L->s, &f);
}

void prelude_before(session *s, const sx *form,
                    bool (*eval)(session *s, rd_form *f)) {
  loader L = {.s = s, .eval = eval};
  for (int i = 0; i < NDEFS; i++) {
    L.ids[i] = defs(i).name ? sym_lookup(&s->w->syms, defs(i).name, strlen(defs(i).name)) : -1;
    const char *also = also_at(i);
    L.also[i] = also ? sym_lookup(&s->w->syms, also, strlen(also)) : -1;
  }
  scan(&L, form);   /* every form: names_text looks for calls as well as names */
}

/* the i-th name of the tables (their empty entries skipped, a name
 * given twice, as list-index is, counted once) */
bool prelude_names(int i, const char **name, bool *srfi1) {
  for (int k = 0; k < NDEFS && i >= 0; k++) {
    if (!defs(k).name || defs(k).name[0] == '%') continue;   /* internal */
    bool again = false;
    for (int j = 0; j < k && !again; j++)
      again = defs(j).name && !strcmp(defs(j).name, defs(k).name);
    if (again) continue;
    if (i-- == 0) {
      *name = defs(k).name;
      *srfi1 = defs(k).srfi1;
      return true;
    }
  }
  return false;
}
