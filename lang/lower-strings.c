/* lower-strings.c - string-length and string-null? in compiled code:
 * pure reads of a string's block (the other string procedures are loops
 * in statements: lang/lower-strings2.c).
 *
 * Ownership: as in lower.c; everything is allocated in the program.
 */
#include "config.h"

#include "lower.h"

#include <string.h>

ir_expr *lw_string_prim(lw *c, const ast *a, const builtin *b, ir_expr **args, int n) {
  const char *name = b->name;
  if (!strcmp(name, "symbol->string"))
    return lw_symbol_name(c, lw_checked_arg(c, a, name, args, 0, T_SYM), a->loc);
  bool null = !strcmp(name, "string-null?");
  if (strcmp(name, "string-length") && !null) return NULL;
  ir_expr *s = lw_checked_arg(c, a, name, args, 0, T_STR);
  return lw_string_length(c, s, null, a->loc);
}
