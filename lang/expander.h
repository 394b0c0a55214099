/* expander.h - the inside of the expander, shared by its two files:
 * expander.c (the core special forms), expand-more.c (quasiquote,
 * multiple values, case-lambda: rewritten into core syntax), expand-while.c,
 * expand-closures.c, expand-records.c, expand-match.c ((ice-9 match)) and
 * expand-keywords.c (define*, lambda*).  Not an interface of the language layer:
 * only these files include it.
 *
 * Ownership: everything is allocated in the arena of the form being
 * expanded (ex.mem), as in expander.c.
 */
#ifndef TVL_EXPANDER_H
#define TVL_EXPANDER_H

#include "lang.h"

typedef struct ex {
  world *w;
  arena *mem;
  lang_error *err;
  bool failed;
  int depth;          /* function nesting while expanding */
  int macro_depth;    /* macro uses being expanded, one inside another */
  /* The local names in scope that would otherwise be syntax (a special
   * form or a macro), innermost last: inside their scope they are
   * variables, as in Guile ((lambda (when) (+ when 1)) is a procedure). */
  struct { int *v; int n, cap; } shadow;
  int gensym;         /* hidden names made in this form (expand-match.c) */
} ex;

/* expander.c */
ast *ex_expand(ex *e, const sx *s);
int ex_sym(ex *e, const char *name);
bool ex_is_sym(ex *e, const sx *s, const char *name);
ast *ex_bad(ex *e, srcloc loc, const char *fmt, ...) TVL_PRINTF(3, 4);
ast *ex_node(ex *e, ast_kind k, srcloc loc);   /* a fresh node in the arena */
/* Is the symbol a local variable here that shadows syntax? */
bool ex_shadowed(ex *e, int sym);

/* A head the user cannot type (it holds a space): ("builtin NAME" arg
 * ...) calls the builtin NAME whatever the program calls that name, as
 * `case` calls eqv?.  The rewritings of expand-more.c use it. */
#define EX_BUILTIN_HEAD "builtin "

/* expand-more.c: building syntax in the form's arena (for expand-more.c
 * and expand-while.c); a list of n items is filled in by the caller. */
sx *ex_mk(ex *e, sx_kind k, srcloc loc);
sx *ex_mk_sym(ex *e, const char *name, srcloc loc);
sx *ex_mk_list(ex *e, int n, srcloc loc);
/* (ITEM ...) of n items given as arguments */
sx *ex_mk_items(ex *e, srcloc loc, int n, ...);
/* a name that calls the builtin whatever the program binds to it */
sx *ex_mk_builtin(ex *e, const char *name, srcloc loc);
sx *ex_mk_int(ex *e, int64_t i, srcloc loc);
/* a string constant: a copy of text[0..n) */
sx *ex_mk_str(ex *e, const char *text, size_t n, srcloc loc);
/* a hidden name, fresh in this top-level form ("PREFIX WHAT N") */
sx *ex_mk_fresh(ex *e, const char *prefix, const char *what, srcloc loc);

/* expand-closures.c: decide which local procedures of a top-level form
 * become closures (a walk to a fixed point), and size captures. */
void ex_convert_local_fns(ex *e, ast *a);

/* expand-more.c: each takes the whole form (HEAD ...), rewrites it into
 * core syntax and expands that. */
ast *ex_quasiquote(ex *e, const sx *s);
ast *ex_define_values(ex *e, const sx *s);
/* A body's forms with each (define-values FORMALS EXPR) among them turned
 * into plain internal defines (the forms themselves when there is none);
 * NULL after an error. */
const sx *const *ex_body_define_values(ex *e, const sx *const *forms, int *n);
/* A body's forms with each begin holding a definition replaced by its
 * forms, as Guile splices them (the forms themselves when there is none). */
const sx *const *ex_body_splice_begins(ex *e, const sx *const *forms, int *n);
ast *ex_let_values(ex *e, const sx *s, bool star);
ast *ex_receive(ex *e, const sx *s);
ast *ex_case_lambda(ex *e, const sx *s);
sx *ex_case_lambda_single(ex *e, const sx *s);

/* expand-while.c: does (while TEST BODY ...) s mention break or continue
 * (outside quotes and nested whiles)?  If so, ex_while_escapes expands
 * it with both bound as in Guile. */
bool ex_while_mentions(ex *e, const sx *s);
ast *ex_while_escapes(ex *e, const sx *s);
/* expand-records.c: define-record-type (SRFI-9); the modules (srfi
 * srfi-9) and (srfi srfi-9 gnu) */
ast *ex_define_record_type(ex *e, const sx *s);
/* ... its definitions as (begin (define ...) ...), for a body; NULL
 * after an error */
sx *ex_record_defs(ex *e, const sx *s);
bool ex_records_module(ex *e, const sx *m);
/* expand-format.c: the module (ice-9 format); a call of format after it
 * with a literal format string that needs more than simple-format,
 * rewritten into core syntax (NULL: leave the call as it is) */
bool ex_format_module(ex *e, const sx *m);
sx *ex_format_call(ex *e, const sx *s);
/* expand-match.c: (ice-9 match)'s match, match-lambda, match-lambda*,
 * match-let and match-let*, once the program used the module. */
bool ex_is_match_form(ex *e, const char *h);
ast *ex_match(ex *e, const sx *s);
/* expand-keywords.c: define* and lambda* (#:optional, #:key, #:rest) */
ast *ex_lambda_star(ex *e, const sx *s);
/* (lambda* ...) as the (lambda ARGS ...) it is; NULL after an error */
sx *ex_lambda_star_sx(ex *e, const sx *s);
ast *ex_define_star(ex *e, const sx *s);
/* A body's forms with each define* turned into a define (NULL after an
 * error). */
const sx *const *ex_body_define_star(ex *e, const sx *const *forms, int n);
#endif
