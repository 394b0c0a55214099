/* prelude-wind.c - what compiled code runs for dynamic-wind, catch and
 * throw (lang/lower-wind.c calls these in place of the builtins; the
 * evaluator runs its own, lang/eval.c, and only defines these).  They
 * are loaded, as prelude.c loads its own, before the first top-level
 * form that names dynamic-wind, catch or throw (the `also` field):
 * programs that never name them pay nothing.
 *
 * The state is the evaluator's (eval.c: winds, catches, thrown):
 * - %winds: the after thunks of the dynamic-winds that run, innermost
 *   first, each (AFTER . CCN), CCN the number of live call/cc records
 *   when it began (lower-callcc.c's CCN, passed by lower-wind.c);
 * - %catches: the catches that run, innermost first, each
 *   (KEY K WINDS CCN): K the escape continuation of its call/cc, WINDS
 *   %winds when it began; %catch-n their number (the host reads it when
 *   an error stops the program: lib/runner.c refuses an error a catch
 *   would take which compiled code did not send it; %catch-raise sends
 *   some, lang/lower-wind.c lw_wind_landings);
 * - %thrown: (KEY . ARGS) from the throw to the catch's handler.
 * An escape by a continuation runs (%unwind-cc N) where its call/cc
 * resumes (lower-callcc.c): the catches begun since leave, the after
 * thunks of the winds begun since run, innermost first, each popped
 * before it is called, as eval.c's unwind_to does.  A throw leaves the
 * catches inside the one that takes it, runs the after thunks begun
 * inside that one, then escapes to it; the catch calls its handler
 * with the key and the arguments.  %throw returns #f when no catch
 * takes the key: the throw then stops the program with the evaluator's
 * error (lower-wind.c).  In a program that makes multiple values
 * (lang/lower-values.c), %dynamic-wind-mv passes the thunk's values on,
 * as the evaluator does, and %catch-mv where the thunk may return
 * several.  The handler is called by %catch-finish, from the function
 * that calls catch, with direct calls for up to 3 arguments: in a
 * program with call/cc, apply of a procedure value in a procedure whose
 * calls nest is not always the right procedure in compiled code (a bug
 * of compiled apply, not fixed here).   The table ends in entries
 * without a name. */
#include "config.h"

#include "session.h"

/* loaded by each of the three builtins */
#define UNWIND_CC \
     "(define (%unwind-cc n)\n" \
     "  (let drop ()\n" \
     "    (if (and (pair? %catches) (>= (car (cdr (cdr (cdr (car %catches))))) n))\n" \
     "        (begin (set! %catches (cdr %catches)) (set! %catch-n (- %catch-n 1)) (drop))))\n" \
     "  (let loop ()\n" \
     "    (if (and (pair? %winds) (>= (cdr (car %winds)) n))\n" \
     "        (let ((after (car (car %winds))))\n" \
     "          (set! %winds (cdr %winds))\n" \
     "          (after)\n" \
     "          (loop)))))\n"

/* loaded by throw, and by catch for error (lower-wind.c) */
#define THROW \
     "(define (%throw key args)\n" \
     "  (let loop ((cs %catches) (n %catch-n))\n" \
     "    (cond ((null? cs) #f)\n" \
     "          ((and (eq? (car (car cs)) '%handler) (not (eq? key 'quit))) #f)\n" \
     "          ((or (eq? (car (car cs)) #t) (eq? (car (car cs)) key)\n" \
     "               (and (eq? (car (car cs)) '%unwind) (eq? key '%exception)))\n" \
     "           (let ((e (car cs)))\n" \
     "             (set! %catches cs)\n" \
     "             (set! %catch-n n)\n" \
     "             (let unwind ()\n" \
     "               (if (not (eq? %winds (car (cdr (cdr e)))))\n" \
     "                   (let ((after (car (car %winds))))\n" \
     "                     (set! %winds (cdr %winds))\n" \
     "                     (after)\n" \
     "                     (unwind))))\n" \
     "             (set! %catches (cdr cs))\n" \
     "             (set! %catch-n (- n 1))\n" \
     "             (set! %thrown (cons key args))\n" \
     "             ((car (cdr e)) #f)))\n" \
     "          ((and (eq? (car (car cs)) '%unwind) (not (eq? key 'quit))) #f)\n" \
     "          (else (loop (cdr cs) (- n 1))))))\n"

/* %throw where a handler of with-exception-handler without #:unwind?
 * that never looks at its argument may run (world.here_handlers:
 * lang/lower-exn.c, lower-wind.c call this one then, so that other
 * programs pay nothing for it).  Its record is one item longer, (%handler
 * K WINDS CCN HANDLER #t): an error or throw escapes to it as to a catch
 * of #t, but the winds inside stay (in %here-winds, which
 * %with-here-finish puts back while the handler runs: Guile calls it
 * where the error is, before any after thunk runs, and an escape from it
 * runs them); when it returns, the error stops the program (%raise-st 3:
 * lower-exn.c, as eval.c ev_with_handler). */
#define THROW_HERE \
     "(define (%throw-here key args)\n" \
     "  (let loop ((cs %catches) (n %catch-n))\n" \
     "    (cond ((null? cs) #f)\n" \
     "          ((and (eq? (car (car cs)) '%handler) (null? (cdr (cdr (cdr (cdr (cdr (car cs))))))))\n" \
     "           #f)\n" \
     "          ((or (eq? (car (car cs)) #t) (eq? (car (car cs)) key)\n" \
     "               (and (eq? (car (car cs)) '%unwind) (eq? key '%exception))\n" \
     "               (eq? (car (car cs)) '%handler))\n" \
     "           (let ((e (car cs)) (here (eq? (car (car cs)) '%handler)))\n" \
     "             (set! %catches cs)\n" \
     "             (set! %catch-n n)\n" \
     "             (if here (begin (set! %here-winds %winds) (set! %winds (car (cdr (cdr e))))))\n" \
     "             (let unwind ()\n" \
     "               (if (not (eq? %winds (car (cdr (cdr e)))))\n" \
     "                   (let ((after (car (car %winds))))\n" \
     "                     (set! %winds (cdr %winds))\n" \
     "                     (after)\n" \
     "                     (unwind))))\n" \
     "             (set! %catches (cdr cs))\n" \
     "             (set! %catch-n (- n 1))\n" \
     "             (set! %thrown (cons (if here '%here key) args))\n" \
     "             ((car (cdr e)) #f)))\n" \
     "          ((and (eq? (car (car cs)) '%unwind) (not (eq? key 'quit))) #f)\n" \
     "          (else (loop (cdr cs) (- n 1))))))\n"

#define CATCH_RAISE_HERE \
     "(define (%catch-raise-here k)\n" \
     "  (%throw-here (cond ((= k 0) 'wrong-type-arg) ((= k 1) 'out-of-range)\n" \
     "                     ((= k 2) 'numerical-overflow) ((= k 3) 'wrong-number-of-args)\n" \
     "                     (else 'unbound-variable))\n" \
     "               '())\n" \
     "  (set! %catch-miss 1))\n"

const prelude_def prelude_wind_defs[PRELUDE_WIND_MAX] = {
    {"%winds", false, "(define %winds '())\n"},
    {"%catches", false, "(define %catches '())\n"},
    {"%catch-n", false, "(define %catch-n 0)\n"},
    {"%thrown", false, "(define %thrown #f)\n"},
    {"%unwind-cc", false, UNWIND_CC},
    {"%dynamic-wind", false,
     "(define (%dynamic-wind before thunk after ccn)\n"
     "  (before)\n"
     "  (set! %winds (cons (cons after ccn) %winds))\n"
     "  (let ((v (thunk)))\n"
     "    (set! %winds (cdr %winds))\n"
     "    (after)\n"
     "    v))\n"},
    {"%catch", false,
     "(define (%catch key thunk ccn)\n"
     "  (call/cc\n"
     "   (lambda (k)\n"
     "     (set! %catches (cons (list key k %winds ccn) %catches))\n"
     "     (set! %catch-n (+ %catch-n 1))\n"
     "     (let ((v (thunk)))\n"
     "       (set! %catches (cdr %catches))\n"
     "       (set! %catch-n (- %catch-n 1))\n"
     "       v))))\n"},
    {"%catch-finish", false,
     "(define (%catch-finish handler v)\n"
     "  (if %thrown\n"
     "      (let* ((t %thrown) (k (car t)) (a (cdr t)))\n"
     "        (set! %thrown #f)\n"
     "        (cond ((null? a) (handler k))\n"
     "              ((null? (cdr a)) (handler k (car a)))\n"
     "              ((null? (cdr (cdr a))) (handler k (car a) (car (cdr a))))\n"
     "              ((null? (cdr (cdr (cdr a)))) (handler k (car a) (car (cdr a)) (car (cdr (cdr a)))))\n"
     "              (else (apply handler t))))\n"
     "      v))\n"},
    {"%throw", false, THROW},
    {"%throw", false, THROW},
    {"%unwind-cc", false, UNWIND_CC},
    {"%unwind-cc", false, UNWIND_CC},
    {"%dynamic-wind-mv", false,
     "(define (%dynamic-wind-mv before thunk after ccn)\n"
     "  (before)\n"
     "  (set! %winds (cons (cons after ccn) %winds))\n"
     "  (call-with-values thunk\n"
     "    (lambda vals (set! %winds (cdr %winds)) (after) (apply values vals))))\n"},
    {"%catch-mv", false,
     "(define (%catch-mv key thunk handler ccn)\n"
     "  (call-with-values\n"
     "    (lambda ()\n"
     "      (call/cc\n"
     "        (lambda (k)\n"
     "          (set! %catches (cons (list key k %winds ccn) %catches))\n"
     "          (set! %catch-n (+ %catch-n 1))\n"
     "          (call-with-values thunk\n"
     "            (lambda vals\n"
     "              (set! %catches (cdr %catches))\n"
     "              (set! %catch-n (- %catch-n 1))\n"
     "              (apply values vals))))))\n"
     "    (lambda vals (if %thrown (%catch-finish handler #f) (apply values vals)))))\n"},
    /* a builtin's error that a catch takes (lang/lower-wind.c
     * lw_wind_landings): only catches whose handlers never look at the
     * arguments take it there, so none are passed; where no catch takes
     * the key (K: 0 wrong-type-arg, 1 out-of-range, 2
     * numerical-overflow, 3 wrong-number-of-args, 4 unbound-variable), %catch-miss tells the host that the error which stops the
     * machine next is the program's own (lib/runner.c) */
    {"%catch-miss", false, "(define %catch-miss 0)\n"},
    {"%catch-raise", false,
     "(define (%catch-raise k)\n"
     "  (%throw (cond ((= k 0) 'wrong-type-arg) ((= k 1) 'out-of-range)\n"
     "                ((= k 2) 'numerical-overflow) ((= k 3) 'wrong-number-of-args)\n"
     "                (else 'unbound-variable))\n"
     "          '())\n"
     "  (set! %catch-miss 1))\n"},
    /* with-exception-handler and raise-exception (lang/lower-exn.c):
     * a handler is a record of %catches, (%handler K WINDS CCN HANDLER
     * UNWIND), so that escapes leave it as they leave a catch; %throw
     * stops at it: an error or throw is passed (#f for Guile's exception
     * object) only to a handler of #:unwind? #t that never looks at its
     * argument (BLIND), as the evaluator does (eval.c ev_with_handler):
     * its record's key is then #t, and %throw escapes to it as to a
     * catch of #t; %with-handler-finish calls the handler with #f (a
     * raise knows a handler's record from a catch's by its length); at
     * any other handler the error stops the program.  A raise finds the innermost handler or
     * catch of #t or %exception: a catch is thrown to (key %exception,
     * arguments (OBJ)); a handler with #:unwind? #t is escaped to and
     * called by %with-handler-finish where with-exception-handler was
     * called; any other is called where the raise is, with %catches
     * then the records outside it (those inside are masked, as in the
     * evaluator).  %raise-st tells the caller what happened: 0 the
     * handler returned (raise-exception's value), 1 no handler or catch
     * (the throw's error), 2 the handler returned from a raise that is
     * not continuable (the evaluator's error). */
    {"%raise-st", false, "(define %raise-st 0)\n"},
    {"%with-handler", false,
     "(define (%with-handler handler thunk unwind blind ccn)\n"
     "  (call/cc\n"
     "   (lambda (k)\n"
     "     (set! %catches (cons (list (if unwind (if blind #t '%unwind) '%handler) k %winds ccn handler) %catches))\n"
     "     (set! %catch-n (+ %catch-n 1))\n"
     "     (let ((v (thunk)))\n"
     "       (set! %catches (cdr %catches))\n"
     "       (set! %catch-n (- %catch-n 1))\n"
     "       v))))\n"},
    {"%with-handler-finish", false,
     "(define (%with-handler-finish handler v)\n"
     "  (if %thrown\n"
     "      (let ((t %thrown))\n"
     "        (set! %thrown #f)\n"
     "        (handler (if (eq? (car t) '%exception) (car (cdr t)) #f)))\n"
     "      v))\n"},
    {"%with-handler-mv", false,
     "(define (%with-handler-mv handler thunk unwind blind ccn)\n"
     "  (call-with-values\n"
     "    (lambda ()\n"
     "      (call/cc\n"
     "        (lambda (k)\n"
     "          (set! %catches (cons (list (if unwind (if blind #t '%unwind) '%handler) k %winds ccn handler) %catches))\n"
     "          (set! %catch-n (+ %catch-n 1))\n"
     "          (call-with-values thunk\n"
     "            (lambda vals\n"
     "              (set! %catches (cdr %catches))\n"
     "              (set! %catch-n (- %catch-n 1))\n"
     "              (apply values vals))))))\n"
     "    (lambda vals (if %thrown (%with-handler-finish handler #f) (apply values vals)))))\n"},
    {"%raise", false,
     "(define (%raise obj cont)\n"
     "  (set! %raise-st 0)\n"
     "  (let loop ((cs %catches) (n %catch-n))\n"
     "    (cond ((or (null? cs) (memq (car (car cs)) '(#t %exception %unwind)))\n"
     "           (%throw '%exception (list obj))\n"
     "           (set! %raise-st 1)\n"
     "           #f)\n"
     "          ((not (eq? (car (car cs)) '%handler)) (loop (cdr cs) (- n 1)))\n"
     "          (else\n"
     "           (let ((all %catches) (all-n %catch-n))\n"
     "             (set! %catches (cdr cs))\n"
     "             (set! %catch-n (- n 1))\n"
     "             (let ((v ((car (cdr (cdr (cdr (cdr (car cs)))))) obj)))\n"
     "               (set! %catches all)\n"
     "               (set! %catch-n all-n)\n"
     "               (if (not cont) (set! %raise-st 2))\n"
     "               v))))))\n"},
    {"%raise-status", false, "(define (%raise-status) %raise-st)\n"},
    {"%unwind-cc", false, UNWIND_CC},
    {"%throw", false, THROW},
    {"%unwind-cc", false, UNWIND_CC},
    {"%throw", false, THROW},
    {"%catch-raise", false,
     "(define (%catch-raise k)\n"
     "  (%throw (cond ((= k 0) 'wrong-type-arg) ((= k 1) 'out-of-range)\n"
     "                ((= k 2) 'numerical-overflow) ((= k 3) 'wrong-number-of-args)\n"
     "                (else 'unbound-variable))\n"
     "          '())\n"
     "  (set! %catch-miss 1))\n"},
    /* with-exception-handler without #:unwind? #t, the handler blind
     * (lang/lower-exn.c; THROW_HERE above) */
    {"%here-winds", false, "(define %here-winds '())\n"},
    {"%throw-here", false, THROW_HERE},
    {"%catch-raise-here", false, CATCH_RAISE_HERE},
    {"%with-here", false,
     "(define (%with-here handler thunk unwind ccn)\n"
     "  (call/cc\n"
     "   (lambda (k)\n"
     "     (set! %catches (cons (list (if unwind #t '%handler) k %winds ccn handler #t) %catches))\n"
     "     (set! %catch-n (+ %catch-n 1))\n"
     "     (let ((v (thunk)))\n"
     "       (set! %catches (cdr %catches))\n"
     "       (set! %catch-n (- %catch-n 1))\n"
     "       v))))\n"},
    {"%with-here-finish", false,
     "(define (%with-here-finish handler v)\n"
     "  (if %thrown\n"
     "      (let ((t %thrown))\n"
     "        (set! %thrown #f)\n"
     "        (if (eq? (car t) '%here) (set! %winds %here-winds))\n"
     "        (let ((r (handler (if (eq? (car t) '%exception) (car (cdr t)) #f))))\n"
     "          (if (eq? (car t) '%here) (set! %raise-st 3))\n"
     "          r))\n"
     "      v))\n"},
    {"%with-here-mv", false,
     "(define (%with-here-mv handler thunk unwind ccn)\n"
     "  (call-with-values\n"
     "    (lambda ()\n"
     "      (call/cc\n"
     "        (lambda (k)\n"
     "          (set! %catches (cons (list (if unwind #t '%handler) k %winds ccn handler #t) %catches))\n"
     "          (set! %catch-n (+ %catch-n 1))\n"
     "          (call-with-values thunk\n"
     "            (lambda vals\n"
     "              (set! %catches (cdr %catches))\n"
     "              (set! %catch-n (- %catch-n 1))\n"
     "              (apply values vals))))))\n"
     "    (lambda vals (if %thrown (%with-here-finish handler #f) (apply values vals)))))\n"},
    {"%raise-status", false, "(define (%raise-status) %raise-st)\n"},
};

const char *const prelude_wind_also[PRELUDE_WIND_MAX] = {
    NULL, NULL, NULL, NULL, "dynamic-wind", "dynamic-wind", "catch", "catch", "throw", "catch", "catch", "throw",
    "dynamic-wind", "catch", NULL, "catch",
    NULL, "with-exception-handler", "with-exception-handler", "with-exception-handler",
    "raise-exception", "raise-exception", "with-exception-handler", "raise-exception",
    "raise-exception", "with-exception-handler", "with-exception-handler",
    "with-exception-handler", "with-exception-handler", "with-exception-handler",
    "with-exception-handler", "with-exception-handler", "with-exception-handler",
    "with-exception-handler"};
