/* prelude-ranges.c - Guile's optional arguments of builtins that take
 * fewer in tvl: string-index's start and end, string-contains' start1
 * end1 start2 end2, string-trim's (-right's, -both's) character or
 * predicate with start and end, vector-fill!'s and string-fill!'s start
 * and end, string-upcase's and string-downcase's start and end (the
 * whole string, that range changed, as Guile gives it); read-char and
 * peek-char without a port, from with-input-from-string's string.
 *
 * A call of one of these builtins with more arguments than the builtin
 * takes (or fewer: read-char, peek-char) is renamed, in the form as read and before prelude.c scans it,
 * into a call of a library procedure written in tvl (the table below),
 * which prelude.c then loads like its own: compiled like the program's
 * code, so that both modes agree by construction, and the common calls
 * keep the builtin's code.  Not renamed: quoted data, and a name the
 * program defined itself.  The builtin as a value keeps its own
 * arguments.  Errors: the builtins' these call, and a start or end out of
 * the string or vector, in words (Guile: "Value out of range"). */
#include "config.h"

#include "session.h"

#include <string.h>

static const struct {
  const char *builtin, *lib;
  bool fewer;   /* renamed when called with fewer arguments (else more) */
} renamed[] = {
    {"string-index", "%string-index/range", false},
    {"string-contains", "%string-contains/range", false},
    {"string-trim", "%string-trim/pred", false},
    {"string-trim-right", "%string-trim-right/pred", false},
    {"string-trim-both", "%string-trim-both/pred", false},
    {"vector-fill!", "%vector-fill!/range", false},
    {"string-fill!", "%string-fill!/range", false},
    {"string-upcase", "%string-upcase/range", false},
    {"string-downcase", "%string-downcase/range", false},
    /* the current input port: with-input-from-string's (prelude-read.c) */
    {"read-char", "%read-char/current", true},
    {"peek-char", "%peek-char/current", true},
};

void prelude_ranges(session *s, sx *form) {
  if (form->kind == SX_VEC) return;   /* a literal: data */
  if (form->kind != SX_LIST) return;
  int n = form->u.list.n;
  sx *head = n > 0 ? form->u.list.v[0] : NULL;
  if (head && head->kind == SX_SYM) {
    const char *name = sym_name(&s->w->syms, head->u.sym);
    if (!strcmp(name, "quote") || !strcmp(name, "quasiquote")) return;
    /* (with-input-from-string s read-char): the builtin as the thunk */
    if (!strcmp(name, "with-input-from-string") && n == 3 && form->u.list.v[2]->kind == SX_SYM) {
      sx *t = form->u.list.v[2];
      const char *tn = sym_name(&s->w->syms, t->u.sym);
      for (size_t i = 0; i < sizeof renamed / sizeof renamed[0]; i++)
        if (renamed[i].fewer && !strcmp(tn, renamed[i].builtin) && !world_find(s->w, t->u.sym))
          t->u.sym = sym_intern(&s->w->syms, renamed[i].lib, strlen(renamed[i].lib));
    }
    for (size_t i = 0; i < sizeof renamed / sizeof renamed[0]; i++) {
      if (strcmp(name, renamed[i].builtin)) continue;
      const builtin *b = builtin_find(name);
      const gcell *g = world_find(s->w, head->u.sym);
      bool rename = b && (renamed[i].fewer ? n - 1 < b->min_args
                                           : b->max_args >= 0 && n - 1 > b->max_args);
      if (rename && (!g || g->kind == G_UNDEFINED))
        head->u.sym = sym_intern(&s->w->syms, renamed[i].lib, strlen(renamed[i].lib));
      break;
    }
  }
  for (int k = 0; k < n; k++) prelude_ranges(s, form->u.list.v[k]);
  if (form->u.list.tail) prelude_ranges(s, form->u.list.tail);
}

const prelude_def prelude_ranges_defs[PRELUDE_RANGES_MAX] = {
    {"%range-end", false,
     "(define (%range-end who s start r)\n"
     "  (let ((end (if (pair? r) (car r) (string-length s))))\n"
     "    (if (> end (string-length s)) (error (string-append who \": the end is past the string:\") end))\n"
     "    (if (not (<= 0 start end)) (error (string-append who \": the start is not between 0 and the end:\") start))\n"
     "    end))\n"},
    {"%string-index/range", false,
     "(define (%string-index/range s p start . r)\n"
     "  (let ((end (%range-end \"string-index\" s start r)))\n"
     "    (let loop ((i start))\n"
     "      (cond ((>= i end) #f)\n"
     "            ((%string-match? p (string-ref s i)) i)\n"
     "            (else (loop (+ i 1)))))))\n"},
    {"%string-contains/range", false,
     "(define (%string-contains/range s1 s2 start1 . r)\n"
     "  (let* ((end1 (%range-end \"string-contains\" s1 start1 r))\n"
     "         (r (if (pair? r) (cdr r) r))\n"
     "         (start2 (if (pair? r) (car r) 0))\n"
     "         (end2 (%range-end \"string-contains\" s2 start2 (if (pair? r) (cdr r) r)))\n"
     "         (n (- end2 start2)))\n"
     "    (let loop ((i start1))\n"
     "      (cond ((> (+ i n) end1) #f)\n"
     "            ((let match ((k 0))\n"
     "               (or (= k n)\n"
     "                   (and (char=? (string-ref s1 (+ i k)) (string-ref s2 (+ start2 k)))\n"
     "                        (match (+ k 1)))))\n"
     "             i)\n"
     "            (else (loop (+ i 1)))))))\n"},
    {"%string-trim/range", false,
     "(define (%string-trim/range left right s p r)\n"
     "  (let* ((start (if (pair? r) (car r) 0))\n"
     "         (end (%range-end \"string-trim\" s start (if (pair? r) (cdr r) r)))\n"
     "         (p (if (procedure? p) p (lambda (c) (char=? c p))))\n"
     "         (from (if left\n"
     "                   (let loop ((i start)) (if (and (< i end) (p (string-ref s i))) (loop (+ i 1)) i))\n"
     "                   start)))\n"
     "    (substring s from\n"
     "               (if right\n"
     "                   (let loop ((i end)) (if (and (> i from) (p (string-ref s (- i 1)))) (loop (- i 1)) i))\n"
     "                   end))))\n"},
    {"%string-trim/pred", false,
     "(define (%string-trim/pred s p . r) (%string-trim/range #t #f s p r))\n"},
    {"%string-trim-right/pred", false,
     "(define (%string-trim-right/pred s p . r) (%string-trim/range #f #t s p r))\n"},
    {"%string-trim-both/pred", false,
     "(define (%string-trim-both/pred s p . r) (%string-trim/range #t #t s p r))\n"},
    {"%vector-fill!/range", false,
     "(define (%vector-fill!/range v x start . r)\n"
     "  (let ((end (if (pair? r) (car r) (vector-length v))))\n"
     "    (if (> end (vector-length v)) (error \"vector-fill!: the end is past the vector:\" end))\n"
     "    (if (not (<= 0 start end)) (error \"vector-fill!: the start is not between 0 and the end:\" start))\n"
     "    (let loop ((i start))\n"
     "      (if (< i end) (begin (vector-set! v i x) (loop (+ i 1)))))))\n"},
    {"%string-fill!/range", false,
     "(define (%string-fill!/range s c start . r)\n"
     "  (let ((end (%range-end \"string-fill!\" s start r)))\n"
     "    (let loop ((i start))\n"
     "      (if (< i end) (begin (string-set! s i c) (loop (+ i 1)))))))\n"},
    {"%string-case/range", false,
     "(define (%string-case/range up s start r)\n"
     "  (let ((end (%range-end (if up \"string-upcase\" \"string-downcase\") s start r))\n"
     "        (out (string-copy s)))\n"
     "    (let loop ((i start))\n"
     "      (if (< i end)\n"
     "          (let ((c (string-ref s i)))\n"
     "            (string-set! out i (if up (char-upcase c) (char-downcase c)))\n"
     "            (loop (+ i 1)))\n"
     "          out))))\n"},
    {"%string-upcase/range", false,
     "(define (%string-upcase/range s start . r) (%string-case/range #t s start r))\n"},
    {"%string-downcase/range", false,
     "(define (%string-downcase/range s start . r) (%string-case/range #f s start r))\n"},

};
