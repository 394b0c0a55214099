/* records.h - SRFI-9 record types (lang/records.c): the registry the
 * evaluator, the lowering (lang/lower-records.c) and the backend's
 * display of a record (backend/mrecords.c) share.
 */
#ifndef TVL_RECORDS_H
#define TVL_RECORDS_H

#include "lang.h"

typedef struct {
  char *name;        /* the type's name as written: point, <node> */
  int nfields;
  char **fields;     /* field names, in the order of the field specs */
  char **getters;    /* each field's accessor name, or NULL */
  char **setters;    /* ... modifier name, or NULL */
  /* The built-in types (hash tables, promises: lib/prelude-lib.c) only:
   * the kind's name in kind errors ("a hash table"), and how display
   * and write show one: pieces[0], field show[0] (from 1) as write shows
   * it, pieces[1], ..., pieces[nshow].  NULL for define-record-type's. */
  const char *kind;
  int nshow;
  const char *const *pieces;
  const int *show;
} rec_type;

/* The tids of the built-in types, negative so that define-record-type's
 * (from 1) never change: a hash table is [-1, serial, count, size]
 * (its buckets are element serial - 1 of %ht-store), a promise [-2, serial, done, value] (lib/prelude-lib.c). */
enum { REC_TID_HASH_TABLE = -1, REC_TID_PROMISE = -2, REC_TID_BUILTIN_MIN = -2 };

/* A new type; its tid (from 1). */
int rec_type_new(const char *name, int nfields, const char *const *fields,
                 const char *const *getters, const char *const *setters);
const rec_type *rec_type_at(int tid);   /* NULL: no such type */
int rec_type_count(void);
/* "a record", or the kind of a built-in type ("a hash table") */
const char *rec_kind_name(int tid);
/* value_print of a VK_REC value (write shows its fields, display too) */
void rec_print(const world *w, value v, strbuf *out, int depth);
bool rec_is(value v, int tid);
/* The kind error of an accessor (which: field from 1) or modifier (-field)
 * of type tid applied to a value whose write text is `text`; tid 0: the
 * value is no record.  A static buffer. */
const char *rec_fail_text(int tid, int which, const char *text);

extern const builtin record_builtins[];
extern const int record_builtins_n;
#endif
