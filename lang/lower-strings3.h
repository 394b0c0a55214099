/* lower-strings3.h - the string builders lang/lower-strings2.c shares
 * with lang/lower-strings3.c (internal to the lowering). */
#ifndef TVL_LOWER_STRINGS3_H
#define TVL_LOWER_STRINGS3_H

#include "lower.h"

int ls_object(lw *c, int s, srcloc loc);
ir_expr *ls_length(lw *c, int o, srcloc loc);
ir_expr *ls_char_at(lw *c, int o, ir_expr *i, srcloc loc);
void ls_store(lw *c, int o, ir_expr *i, ir_expr *x, srcloc loc);
int ls_new_block(lw *c, ir_expr *len, srcloc loc);
/* a block the code that follows writes whole before any read: no fill */
int ls_new_full_block(lw *c, ir_expr *len, srcloc loc);
ir_expr *ls_as_string(lw *c, int o, srcloc loc);
bool ls_operands(lw *c, const ast *a, frame_map *f, const tkind *kinds, int *v);
ir_expr *ls_check_with(lw *c, ir_expr *e, tkind k, srcloc at, const char *msg);
void ls_copy_chars(lw *c, int dst, int k, int src, int from, int to, srcloc loc);

bool ls3_name(const char *name);
ir_expr *ls3_effect(lw *c, const ast *a, frame_map *f);

/* lower-symbols.c: string->symbol and symbol-append */
bool lsym_name(const char *name);
ir_expr *lsym_effect(lw *c, const ast *a, frame_map *f);

#endif
