/* lower-ports.h - format to #f in compiled code (lang/lower-ports.c). */
#ifndef TVL_LOWER_PORTS_H
#define TVL_LOWER_PORTS_H

#include "lower.h"

bool lw_port_format_ok(lw *c, const ast *a);
ir_expr *lw_port_format(lw *c, const ast *a, frame_map *f);
bool lw_port_cannot_call(lw *c, const ast *a);
ir_expr *lw_port_cannot(lw *c, const ast *a);
/* call-with-output-string and output calls into its port; NULL: not one */
ir_expr *lw_port_effect(lw *c, const ast *a, frame_map *f);

#endif
