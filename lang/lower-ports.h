/* lower-ports.h - format to #f in compiled code (lang/lower-ports.c). */
#ifndef TVL_LOWER_PORTS_H
#define TVL_LOWER_PORTS_H

#include "lower.h"

bool lw_port_format_ok(lw *c, const ast *a);
ir_expr *lw_port_format(lw *c, const ast *a, frame_map *f);
bool lw_port_cannot_call(lw *c, const ast *a);
ir_expr *lw_port_cannot(lw *c, const ast *a);
/* open-output-string, get-output-string, call-with-output-string,
 * with-output-to-string and output calls to a port; NULL: not one */
ir_expr *lw_port_effect(lw *c, const ast *a, frame_map *f);
/* Output to the current output port: the program's own (S_DISPLAY,
 * S_NEWLINE), or with-output-to-string's while one runs (x NULL: a
 * newline); depth as lw_call_stmt_at's. */
void lw_out_display(lw *c, ir_expr *x, bool write, srcloc loc, int depth);
void lw_out_newline(lw *c, srcloc loc, int depth);
/* call/cc (lower-callcc.c): the current output port saved where it is
 * called (false: a program without with-output-to-string, nothing to
 * save) and set back where an escape resumes */
bool lw_port_cc_save(lw *c, int saved[2], srcloc loc);
void lw_port_cc_restore(lw *c, const int saved[2], srcloc loc);
/* When the lowering ends: refuses a program where a port may show as
 * something else (a vector). */
void lw_port_check(lw *c);
/* After a pass (lower-proc.c): whether the program must be lowered
 * again for its string ports, *pp then the next pass's way. */
bool lw_port_again(const ir_prog *p, port_pass *pp);
void lw_port_found(lw *c);
/* The class of an output string port the world holds (a global's). */
int lw_port_type_of(lw *c, tvec *port, int depth);
/* ... of the end-of-file object a global holds */
int lw_eof_type(lw *c);

#endif
