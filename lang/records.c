/* records.c - SRFI-9 records (define-record-type) in the reference
 * evaluator, as GNU Guile 3.0 has them after (use-modules (srfi srfi-9)).
 *
 * The expander (lang/expand-records.c) turns a define-record-type into
 * definitions of ordinary procedures whose bodies call the hidden
 * builtins below with the record type's number (its `tid`, a constant
 * given when the form is expanded, so that a type defined again at the
 * REPL is a new type, as in Guile, and the old records are not of it).
 *
 * A record is a VK_REC value: a TV_REC heap object whose item 0 is the
 * integer tid and items 1..n the fields, in the order of the type's field
 * specs.  Compiled code holds the same block as a vector of a class marked
 * `rec` (lang/lower-records.c, docs/trace-format.md "Records").
 *
 * The registry of types is process-wide (types are only ever added): the
 * printer of the evaluator and the backend's display of a record both
 * read the type's name and field names from it.  Each world lists the
 * types it defined (world.rec_tids): compiled display tests only those,
 * whatever other worlds of the process defined.
 *
 * Ownership: the registry's strings are owned by it and live until exit.
 */
#include "config.h"

#include "lang.h"
#include "records.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* Sessions run their forms on threads of their own (several sessions of
 * the library at once): the registry is locked, and each type is a block
 * of its own, so a pointer rec_type_at gave stays valid while it grows. */
static pthread_mutex_t types_lock = PTHREAD_MUTEX_INITIALIZER;
static rec_type **types;
static int ntypes, captypes;

int rec_type_new(const char *name, int nfields, const char *const *fields,
                 const char *const *getters, const char *const *setters) {
  rec_type *t = xcalloc(1, sizeof *t);
  t->name = xstrdup(name);
  t->nfields = nfields;
  t->fields = xcalloc((size_t)nfields + 1, sizeof *t->fields);
  t->getters = xcalloc((size_t)nfields + 1, sizeof *t->getters);
  t->setters = xcalloc((size_t)nfields + 1, sizeof *t->setters);
  for (int i = 0; i < nfields; i++) {
    t->fields[i] = xstrdup(fields[i]);
    t->getters[i] = getters[i] ? xstrdup(getters[i]) : NULL;
    t->setters[i] = setters[i] ? xstrdup(setters[i]) : NULL;
  }
  pthread_mutex_lock(&types_lock);
  if (ntypes == captypes) {
    captypes = captypes ? captypes * 2 : 16;
    types = xrealloc(types, (size_t)captypes * sizeof *types);
  }
  types[ntypes] = t;
  int tid = ++ntypes;   /* tids from 1 */
  pthread_mutex_unlock(&types_lock);
  return tid;
}

/* The built-in types: Guile's own kinds, which tvl's prelude makes as
 * records so that no other kind's predicate is true of them. */
static char *ht_fields[] = {"serial", "count", "size", NULL};
static char *pr_fields[] = {"serial", "done", "value", NULL};
static char *no_procs[] = {NULL, NULL, NULL, NULL, NULL};
static const char *const ht_pieces[] = {"#<hash-table ", " ", "/", ">"};
static const int ht_show[] = {1, 2, 3};
static const char *const pr_pieces[] = {"#<promise ", ">"};
static const int pr_show[] = {3};
static const rec_type builtin_types[] = {
  /* REC_TID_HASH_TABLE: the serial stands for Guile's address */
  {"hash-table", 3, ht_fields, no_procs, no_procs, "a hash table", 3, ht_pieces, ht_show},
  /* REC_TID_PROMISE: the thunk until forced, then the value */
  {"promise", 3, pr_fields, no_procs, no_procs, "a promise", 1, pr_pieces, pr_show},
};

const char *rec_kind_name(int tid) {
  const rec_type *t = tid < 0 ? rec_type_at(tid) : NULL;
  return t && t->kind ? t->kind : "a record";
}

const rec_type *rec_type_at(int tid) {
  if (tid < 0) return tid >= REC_TID_BUILTIN_MIN ? &builtin_types[-tid - 1] : NULL;
  pthread_mutex_lock(&types_lock);
  const rec_type *t = tid >= 1 && tid <= ntypes ? types[tid - 1] : NULL;
  pthread_mutex_unlock(&types_lock);
  return t;
}

int rec_type_count(void) {
  pthread_mutex_lock(&types_lock);
  int n = ntypes;
  pthread_mutex_unlock(&types_lock);
  return n;
}

/* "#<point x: 1 y: 5>": fields as write shows them, under display too (as
 * Guile prints a record). */
static _Thread_local int print_depth;   /* records being printed */

void rec_print(const world *w, value v, strbuf *out, int depth) {
  (void)depth;
  const rec_type *t = rec_type_at(v.vec->items[0].i);
  if (!t) {
    sb_puts(out, "#<record>");
    return;
  }
  if (print_depth > 1000) {   /* a record inside itself: Guile would not end either */
    sb_puts(out, "#<...>");
    return;
  }
  print_depth++;
  if (t->pieces) {   /* a built-in type */
    for (int i = 0; i < t->nshow; i++) {
      sb_puts(out, t->pieces[i]);
      if (t->show[i] < v.vec->n) value_print(w, v.vec->items[t->show[i]], out, true);
    }
    sb_puts(out, t->pieces[t->nshow]);
    print_depth--;
    return;
  }
  sb_printf(out, "#<%s", t->name);
  for (int i = 0; i < t->nfields && i + 1 < v.vec->n; i++) {
    sb_printf(out, " %s: ", t->fields[i]);
    value_print(w, v.vec->items[i + 1], out, true);
  }
  sb_putc(out, '>');
  print_depth--;
}

/* The text of a value in an error's message, cut as the evaluator's kind
 * errors cut it. */
static void value_text(ev_ctx *c, value v, char *text, size_t size) {
  strbuf b;
  sb_init(&b);
  value_print(ev_world(c), v, &b, true);
  if (b.n > 60) {
    b.n = 57;
    sb_puts(&b, "...");
  }
  snprintf(text, size, "%s", b.s ? b.s : "");
  sb_free(&b);
}

bool rec_is(value v, int tid) {
  return v.kind == VK_REC && v.vec->items[0].i == tid;
}

/* (%record-make tid field ...) */
static value bi_record_make(ev_ctx *c, const ast *call, value *a, int n) {
  tvec *t = world_new_obj(ev_world(c), TV_REC, n, v_bool(false));
  if (!t) ev_heap_full(c, call->loc);
  for (int i = 0; i < n; i++) t->items[i] = a[i];
  value v = {VK_REC, 0, t};
  return v;
}

/* (%record-is x tid) */
static value bi_record_is(ev_ctx *c, const ast *call, value *a, int n) {
  (void)c, (void)call, (void)n;
  return v_bool(rec_is(a[0], a[1].i));
}

static value bi_is_record(ev_ctx *c, const ast *call, value *a, int n) {
  (void)c, (void)call, (void)n;
  /* a built-in type's record (a hash table) is no record to Guile */
  return v_bool(a[0].kind == VK_REC && a[0].vec->items[0].i > 0);
}

/* (%record-slot x i): x is a record the caller tested */
static value bi_record_slot(ev_ctx *c, const ast *call, value *a, int n) {
  (void)c, (void)call, (void)n;
  return a[0].vec->items[a[1].i];
}

/* (%record-set! x i v) */
static value bi_record_set(ev_ctx *c, const ast *call, value *a, int n) {
  (void)call, (void)n;
  world_save_vec(ev_world(c), a[0].vec);
  a[0].vec->items[a[1].i] = a[2];
  return v_void();
}

/* (%record-fail x tid which): an accessor (which = field number from 1)
 * or a modifier (which = -field number) of type tid applied to x, which
 * is not of that type.  Guile 3.0's texts: a value that is no record
 * fails in struct-vtable, a record of another type in the procedure. */
static value bi_record_fail(ev_ctx *c, const ast *call, value *a, int n) {
  (void)n;
  char text[128];
  value_text(c, a[0], text, sizeof text);
  srcloc at = call->u.call.n > 0 ? call->u.call.args[0]->loc : call->loc;
  if (a[0].kind != VK_REC) {
    ev_note_kind(c, "struct-vtable", 0, a[0]);   /* a catch's arguments (guile-args.c) */
    ev_fail(c, at, "type", "%s", rec_fail_text(0, 0, text));
  }
  ev_fail(c, at, "type", "%s", rec_fail_text(a[1].i, a[2].i, text));
}

/* The message of %record-fail: tid 0 for a value that is no record. */
const char *rec_fail_text(int tid, int which, const char *text) {
  static _Thread_local char msg[256];
  if (!tid) {
    snprintf(msg, sizeof msg,
             "struct-vtable: Wrong type argument in position 1 (expecting struct): %s", text);
    return msg;
  }
  const rec_type *t = rec_type_at(tid);
  int f = which < 0 ? -which : which;
  const char *proc = !t || f < 1 || f > t->nfields ? "record"
                     : which < 0 ? t->setters[f - 1] : t->getters[f - 1];
  snprintf(msg, sizeof msg, "%s: Wrong type argument: %s", proc ? proc : "record", text);
  return msg;
}

static const arg_kind k_any_int[] = {AK_ANY, AK_INT};
static const arg_kind k_any_int_any[] = {AK_ANY, AK_INT, AK_ANY};
static const arg_kind k_any_int_int[] = {AK_ANY, AK_INT, AK_INT};

const builtin record_builtins[] = {
  {"record?", 1, 1, AK_ANY, NULL, VK_BOOL, bi_is_record, "is a record (SRFI-9, define-record-type)", NULL},
  {"%record-make", 1, -1, AK_ANY, NULL, VK_REC, bi_record_make, "a new record: its type and fields (define-record-type)", NULL},
  {"%record-is", 2, 2, AK_ANY, k_any_int, VK_BOOL, bi_record_is, "is a record of a type (define-record-type)", NULL},
  {"%record-slot", 2, 2, AK_ANY, k_any_int, -1, bi_record_slot, "a record's field (define-record-type)", NULL},
  {"%record-set!", 3, 3, AK_ANY, k_any_int_any, VK_VOID, bi_record_set, "replace a record's field (define-record-type)", NULL},
  {"%record-fail", 3, 3, AK_ANY, k_any_int_int, VK_VOID, bi_record_fail, "an accessor's kind error (define-record-type)", NULL},
};

const int record_builtins_n = (int)(sizeof record_builtins / sizeof record_builtins[0]);
