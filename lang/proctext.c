/* proctext.c - how a procedure value prints, in both modes (world.c for
 * the evaluator, lower-closure.c ir_proc_text for compiled code), as GNU
 * Guile 3.0.8 prints it when it runs a program without compiling it:
 *
 *  - a builtin: what Guile prints for the procedure of that name, its
 *    arguments as Guile's compiled code gives them: #<procedure car (_)>,
 *    #<procedure + (#:optional _ _ . _)> (the table below, made by
 *    displaying each name in Guile 3.0.8); a name Guile lacks: just
 *    #<procedure NAME>;
 *  - one of Guile's procedures tvl writes in tvl (lib/prelude*.c, the
 *    file "ice-9/boot-9.scm"), named in the table: as the builtin;
 *  - a lambda: Guile's interpreter (ice-9/eval.scm) makes a closure of
 *    fixed parameters named a, b, c ... up to seven, (a b c d e f g .
 *    more) past that; with a rest parameter: rest, (a . rest), (a b .
 *    rest), (a b c . rest), then (a b c . more); a case-lambda takes
 *    args.  A named one (define, let, letrec, named let, internal
 *    define) prints #<procedure NAME (a b)>; for an anonymous one Guile
 *    prints its address and the place in eval.scm, which tvl leaves
 *    out: #<procedure (a b)>.
 */
#include "config.h"

#include "lang.h"

#include <stdlib.h>
#include <string.h>

static const struct guile_proc {
  const char *name, *text;
} guile_procs[] = {
    {"*", "* (#:optional _ _ . _)"},
    {"+", "+ (#:optional _ _ . _)"},
    {"-", "- (#:optional _ _ . _)"},
    {"/", "/ (#:optional _ _ . _)"},
    {"1+", "#{1+}# (_)"},
    {"1-", "#{1-}# (_)"},
    {"<", "< (#:optional _ _ . _)"},
    {"<=", "<= (#:optional _ _ . _)"},
    {"=", "= (#:optional _ _ . _)"},
    {">", "> (#:optional _ _ . _)"},
    {">=", ">= (#:optional _ _ . _)"},
    {"abs", "abs (_)"},
    {"acons", "acons (_ _ _)"},
    {"append", "append _"},
    {"append!", "append! _"},
    {"apply", "apply (fun args) | (fun arg1 . args)"},
    {"ash", "ash (_ _)"},
    {"assoc", "assoc (_ _)"},
    {"assoc-ref", "assoc-ref (_ _)"},
    {"assoc-remove!", "assoc-remove! (_ _)"},
    {"assoc-set!", "assoc-set! (_ _ _)"},
    {"assq", "assq (_ _)"},
    {"assq-ref", "assq-ref (_ _)"},
    {"assq-remove!", "assq-remove! (_ _)"},
    {"assq-set!", "assq-set! (_ _ _)"},
    {"assv", "assv (_ _)"},
    {"assv-remove!", "assv-remove! (_ _)"},
    {"assv-set!", "assv-set! (_ _ _)"},
    {"boolean?", "boolean? (_)"},
    {"caaaar", "caaaar (_)"},
    {"caaadr", "caaadr (_)"},
    {"caaar", "caaar (_)"},
    {"caadar", "caadar (_)"},
    {"caaddr", "caaddr (_)"},
    {"caadr", "caadr (_)"},
    {"caar", "caar (_)"},
    {"cadaar", "cadaar (_)"},
    {"cadadr", "cadadr (_)"},
    {"cadar", "cadar (_)"},
    {"caddar", "caddar (_)"},
    {"cadddr", "cadddr (_)"},
    {"caddr", "caddr (_)"},
    {"cadr", "cadr (_)"},
    {"call-with-current-continuation", "call-with-current-continuation (proc)"},
    {"call-with-output-string", "call-with-output-string (proc)"},
    {"call-with-values", "call-with-values (producer consumer)"},
    {"call/cc", "call-with-current-continuation (_)"},
    {"car", "car (_)"},
    {"cdaaar", "cdaaar (_)"},
    {"cdaadr", "cdaadr (_)"},
    {"cdaar", "cdaar (_)"},
    {"cdadar", "cdadar (_)"},
    {"cdaddr", "cdaddr (_)"},
    {"cdadr", "cdadr (_)"},
    {"cdar", "cdar (_)"},
    {"cddaar", "cddaar (_)"},
    {"cddadr", "cddadr (_)"},
    {"cddar", "cddar (_)"},
    {"cdddar", "cdddar (_)"},
    {"cddddr", "cddddr (_)"},
    {"cdddr", "cdddr (_)"},
    {"cddr", "cddr (_)"},
    {"cdr", "cdr (_)"},
    {"ceiling", "ceiling (_)"},
    {"char->integer", "char->integer (_)"},
    {"char-alphabetic?", "char-alphabetic? (_)"},
    {"char-ci=?", "char-ci=? (#:optional _ _ . _)"},
    {"char-downcase", "char-downcase (_)"},
    {"char-lower-case?", "char-lower-case? (_)"},
    {"char-numeric?", "char-numeric? (_)"},
    {"char-upcase", "char-upcase (_)"},
    {"char-upper-case?", "char-upper-case? (_)"},
    {"char-whitespace?", "char-whitespace? (_)"},
    {"char<=?", "char<=? (#:optional _ _ . _)"},
    {"char<?", "char<? (#:optional _ _ . _)"},
    {"char=?", "char=? (#:optional _ _ . _)"},
    {"char>=?", "char>=? (#:optional _ _ . _)"},
    {"char>?", "char>? (#:optional _ _ . _)"},
    {"char?", "char? (_)"},
    {"cons", "cons (_ _)"},
    {"cons*", "cons* (_ . _)"},
    {"delete", "delete (_ _)"},
    {"delete!", "delete! (_ _)"},
    {"display", "display (_ #:optional _)"},
    {"dynamic-wind", "dynamic-wind (in thunk out)"},
    {"eq?", "eq? (#:optional _ _ . _)"},
    {"equal?", "equal? (#:optional _ _ . _)"},
    {"eqv?", "eqv? (#:optional _ _ . _)"},
    {"error", "error () | (message . args)"},
    {"even?", "even? (_)"},
    {"exact->inexact", "exact->inexact (_)"},
    {"exact-integer-sqrt", "exact-integer-sqrt (_)"},
    {"exact-integer?", "exact-integer? (_)"},
    {"exact?", "exact? (_)"},
    {"exit", "quit args"},
    {"expt", "expt (_ _)"},
    {"filter", "filter (_ _)"},
    {"floor", "floor (_)"},
    {"floor-quotient", "floor-quotient (_ _)"},
    {"floor-remainder", "floor-remainder (_ _)"},
    {"floor/", "floor/ (_ _)"},
    {"for-each", "for-each (f l) | (f l1 l2) | (f l1 . rest)"},
    {"force-output", "force-output (#:optional _)"},
    {"format", "format (destination format-string . format-args)"},
    {"gcd", "gcd (#:optional _ _ . _)"},
    {"get-output-string", "get-output-string (_)"},
    {"inexact->exact", "inexact->exact (_)"},
    {"integer->char", "integer->char (_)"},
    {"integer?", "integer? (_)"},
    {"iota", "iota (count #:optional start step)"},
    {"keyword->symbol", "keyword->symbol (_)"},
    {"keyword?", "keyword? (_)"},
    {"last-pair", "last-pair (_)"},
    {"lcm", "lcm (#:optional _ _ . _)"},
    {"length", "length (_)"},
    {"list", "list _"},
    {"list->string", "list->string (_)"},
    {"list->vector", "list->vector (_)"},
    {"list-copy", "list-copy (_)"},
    {"list-head", "list-head (_ _)"},
    {"list-index", "list-index (l k)"},
    {"list-ref", "list-ref (_ _)"},
    {"list-set!", "list-set! (_ _ _)"},
    {"list-tail", "list-tail (_ _)"},
    {"list?", "list? (_)"},
    {"logand", "logand (#:optional _ _ . _)"},
    {"logior", "logior (#:optional _ _ . _)"},
    {"lognot", "lognot (_)"},
    {"logxor", "logxor (#:optional _ _ . _)"},
    {"make-list", "make-list (_ #:optional _)"},
    {"make-string", "make-string (_ #:optional _)"},
    {"make-vector", "make-vector (_ #:optional _)"},
    {"map", "map (f l) | (f l1 l2) | (f l1 . rest)"},
    {"max", "max (#:optional _ _ . _)"},
    {"member", "member (_ _)"},
    {"memq", "memq (_ _)"},
    {"memv", "memv (_ _)"},
    {"min", "min (#:optional _ _ . _)"},
    {"modulo", "modulo (_ _)"},
    {"negative?", "negative? (_)"},
    {"newline", "newline (#:optional _)"},
    {"not", "not (_)"},
    {"null?", "null? (_)"},
    {"number->string", "number->string (_ #:optional _)"},
    {"number?", "number? (_)"},
    {"odd?", "odd? (_)"},
    {"open-input-string", "open-input-string (_)"},
    {"open-output-string", "open-output-string ()"},
    {"pair?", "pair? (_)"},
    {"peek-char", "peek-char (#:optional _)"},
    {"positive?", "positive? (_)"},
    {"procedure?", "procedure? (_)"},
    {"quotient", "quotient (_ _)"},
    {"read-char", "read-char (#:optional _)"},
    {"remainder", "remainder (_ _)"},
    {"reverse", "reverse (_)"},
    {"reverse!", "reverse! (_ #:optional _)"},
    {"round", "round (_)"},
    {"set-car!", "set-car! (_ _)"},
    {"set-cdr!", "set-cdr! (_ _)"},
    {"simple-format", "simple-format (_ _ . _)"},
    {"sort", "sort (_ _)"},
    {"sort!", "sort! (_ _)"},
    {"stable-sort", "stable-sort (_ _)"},
    {"string", "string _"},
    {"string->list", "string->list (_ #:optional _ _)"},
    {"string->number", "string->number (_ #:optional _)"},
    {"string->symbol", "string->symbol (_)"},
    {"string-append", "string-append _"},
    {"string-ci=?", "string-ci=? (#:optional _ _ . _)"},
    {"string-contains", "string-contains (_ _ #:optional _ _ _ _)"},
    {"string-copy", "string-copy (_ #:optional _ _)"},
    {"string-downcase", "string-downcase (_ #:optional _ _)"},
    {"string-fill!", "string-fill! (_ _ #:optional _ _)"},
    {"string-for-each", "string-for-each (_ _ #:optional _ _)"},
    {"string-index", "string-index (_ _ #:optional _ _)"},
    {"string-join", "string-join (_ #:optional _ _)"},
    {"string-length", "string-length (_)"},
    {"string-map", "string-map (_ _ #:optional _ _)"},
    {"string-null?", "string-null? (_)"},
    {"string-prefix?", "string-prefix? (_ _ #:optional _ _ _ _)"},
    {"string-ref", "string-ref (_ _)"},
    {"string-reverse", "string-reverse (_ #:optional _ _)"},
    {"string-set!", "string-set! (_ _ _)"},
    {"string-split", "string-split (_ _)"},
    {"string-suffix?", "string-suffix? (_ _ #:optional _ _ _ _)"},
    {"string-trim", "string-trim (_ #:optional _ _ _)"},
    {"string-trim-both", "string-trim-both (_ #:optional _ _ _)"},
    {"string-trim-right", "string-trim-right (_ #:optional _ _ _)"},
    {"string-upcase", "string-upcase (_ #:optional _ _)"},
    {"string<=?", "string<=? (#:optional _ _ . _)"},
    {"string<?", "string<? (#:optional _ _ . _)"},
    {"string=?", "string=? (#:optional _ _ . _)"},
    {"string>=?", "string>=? (#:optional _ _ . _)"},
    {"string>?", "string>? (#:optional _ _ . _)"},
    {"string?", "string? (_)"},
    {"substring", "substring (_ _ #:optional _)"},
    {"symbol->keyword", "symbol->keyword (_)"},
    {"symbol->string", "symbol->string (_)"},
    {"symbol?", "symbol? (_)"},
    {"truncate", "truncate (_)"},
    {"truncate-quotient", "truncate-quotient (_ _)"},
    {"truncate-remainder", "truncate-remainder (_ _)"},
    {"truncate/", "truncate/ (_ _)"},
    {"values", "values _"},
    {"vector", "vector _"},
    {"vector->list", "vector->list (_)"},
    {"vector-copy", "vector-copy (_ #:optional _ _)"},
    {"vector-fill!", "vector-fill! (_ _ #:optional _ _)"},
    {"vector-length", "vector-length (_)"},
    {"vector-ref", "vector-ref (_ _)"},
    {"vector-set!", "vector-set! (_ _ _)"},
    {"vector?", "vector? (_)"},
    {"with-output-to-string", "with-output-to-string (thunk)"},
    {"write", "write (_ #:optional _)"},
    {"write-char", "write-char (_ #:optional _)"},
    {"zero?", "zero? (_)"},
};

static int by_name(const void *k, const void *e) {
  return strcmp((const char *)k, ((const struct guile_proc *)e)->name);
}

void proc_text(const symtab *syms, const src_registry *src, const builtin *b, const fn_def *fn,
               strbuf *out) {
  sb_puts(out, "#<procedure ");
  if (b) {
    const struct guile_proc *g =
        bsearch(b->name, guile_procs, sizeof guile_procs / sizeof guile_procs[0],
                sizeof guile_procs[0], by_name);
    if (g) sb_puts(out, g->text);
    else sym_write(b->name, out);
    sb_puts(out, ">");
    return;
  }
  if (fn->name >= 0 && src && fn->loc.file >= 0 &&
      !strcmp(src_name(src, fn->loc.file), "ice-9/boot-9.scm")) {
    /* one of Guile's procedures written in tvl (lib/prelude*.c) */
    const struct guile_proc *g =
        bsearch(sym_name(syms, fn->name), guile_procs, sizeof guile_procs / sizeof guile_procs[0],
                sizeof guile_procs[0], by_name);
    if (g) {
      sb_printf(out, "%s>", g->text);
      return;
    }
  }
  if (fn->name >= 0) {
    sym_write(sym_name(syms, fn->name), out);
    sb_puts(out, " ");
  }
  static const char names[] = "abcdefg";
  int fixed = fn->variadic ? fn->nparams - 1 : fn->nparams;
  if (fn->variadic && fn->nparams == 1 &&
      (!strcmp(sym_name(syms, fn->params[0]), "case-lambda args") ||
       !strcmp(sym_name(syms, fn->params[0]), "lambda* args"))) {
    sb_puts(out, "args>");
  } else if (fn->variadic && fixed == 0) {
    sb_puts(out, "rest>");
  } else if (fn->variadic || fixed > 7) {
    int shown = fn->variadic ? (fixed > 3 ? 3 : fixed) : 7;
    bool more = fn->variadic ? fixed > 3 : true;
    sb_puts(out, "(");
    for (int i = 0; i < shown; i++) sb_printf(out, "%s%c", i ? " " : "", names[i]);
    sb_puts(out, more ? " . more)>" : " . rest)>");
  } else {
    sb_puts(out, "(");
    for (int i = 0; i < fixed; i++) sb_printf(out, "%s%c", i ? " " : "", names[i]);
    sb_puts(out, ")>");
  }
}
