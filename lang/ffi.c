/* ffi.c - C functions declared with `extern`, resolved with dlopen/dlsym
 * and called through libffi.
 *
 * Libraries: "" is the process itself (every library it has loaded
 * globally), "libc" and "libm" are the C and maths libraries by their
 * sonames (libc.so.6, libm.so.6 on glibc); any other name goes to dlopen
 * as written (a soname such as "libz.so.1" or a path).  Libraries are
 * opened with RTLD_NOW and never closed: once loaded, a library stays
 * for the life of the process, also after its externs are redefined.
 *
 * Types and conversions:
 *   int32, int64  arguments from tvl integers; results must fit a 32-bit
 *                 tvl integer (an int64 result that does not is an error)
 *   double        arguments from tvl integers (exact); a result is
 *                 converted only when it is exactly an integer in the
 *                 32-bit range, anything else (2.5, NaN, 1e10) is an error
 *   string        an argument is a tvl string (a constant, interned for
 *                 the session's life) passed as const char *: the function
 *                 must not modify it; a result is copied into an interned
 *                 tvl string (kept until the session ends; tvl never frees
 *                 the C function's memory), and NULL becomes #f
 *   void          results only: the call's value is unspecified
 *
 * What tvl cannot check: that the declared types are the function's real
 * ones (a wrong declaration is undefined behaviour in C), and what the
 * function does.  A call runs on the evaluating thread, synchronously: a
 * function that crashes takes the process down, one that blocks blocks
 * the session (Ctrl-C and the step limit act only once it returns), one
 * that calls exit() ends the program.
 */
#include "config.h"

#include "lang.h"

#include <dlfcn.h>
#include <ffi.h>
#include <link.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__has_include)
#if __has_include(<gnu/lib-names.h>)
#include <gnu/lib-names.h>
#endif
#endif

enum { FFI_MAX_ARGS = 16 };

/* The call interface and its argument types, in the definition's arena. */
typedef struct {
  ffi_cif cif;
  ffi_type *types[FFI_MAX_ARGS];
} prepared;

const char *xtype_name(xtype t) {
  switch (t) {
  case XT_VOID: return "void";
  case XT_INT32: return "int32";
  case XT_INT64: return "int64";
  case XT_DOUBLE: return "double";
  case XT_STRING: return "string";
  }
  return "?";
}

static ffi_type *ffi_type_of(xtype t) {
  switch (t) {
  case XT_VOID: return &ffi_type_void;
  case XT_INT32: return &ffi_type_sint32;
  case XT_INT64: return &ffi_type_sint64;
  case XT_DOUBLE: return &ffi_type_double;
  case XT_STRING: return &ffi_type_pointer;
  }
  return &ffi_type_void;
}

/* The name dlopen gets for a declared library; NULL: the process. */
static const char *soname(const char *lib) {
  if (!*lib) return NULL;
#ifdef LIBC_SO
  if (!strcmp(lib, "libc")) return LIBC_SO;
#else
  if (!strcmp(lib, "libc")) return NULL;
#endif
#ifdef LIBM_SO
  if (!strcmp(lib, "libm")) return LIBM_SO;
#endif
  return lib;
}

static void *open_library(const char *lib, char *err, size_t errlen) {
  const char *name = soname(lib);
  void *h = dlopen(name, RTLD_NOW | (name ? RTLD_LOCAL : 0));
  if (!h) {
    const char *why = dlerror();
    snprintf(err, errlen, "cannot open library \"%s\": %s", lib,
             why ? why : "unknown reason");
  }
  return h;
}

/* Whether an address is known to be data rather than code (dladdr1 finds
 * its ELF symbol); unknown addresses are given the benefit of the doubt. */
static bool is_data(void *addr) {
#ifdef __GLIBC__
  Dl_info info;
  const ElfW(Sym) *sym = NULL;
  if (!dladdr1(addr, &info, (void **)&sym, RTLD_DL_SYMENT) || !sym) return false;
  int type = ELF64_ST_TYPE(sym->st_info);   /* the same for ELF32 */
  return type == STT_OBJECT || type == STT_TLS || type == STT_COMMON;
#else
  (void)addr;
  return false;
#endif
}

static bool find_symbol(extern_def *x, void *h, char *err, size_t errlen) {
  const char *lib = *x->library ? x->library : "the process";
  dlerror();
  void *fn = dlsym(h, x->symbol);
  if (!fn) {
    snprintf(err, errlen, "no symbol \"%s\" in %s%s%s%s", x->symbol,
             *x->library ? "\"" : "", lib, *x->library ? "\"" : "",
             *x->library ? "" : " (give the library that defines it)");
    return false;
  }
  if (is_data(fn)) {
    snprintf(err, errlen, "\"%s\" in %s is data, not a function", x->symbol, lib);
    return false;
  }
  x->fn = fn;
  return true;
}

bool ffi_prepare(extern_def *x, arena *mem, char *err, size_t errlen) {
  if (x->nargs > FFI_MAX_ARGS) {
    snprintf(err, errlen, "a C function can take at most %d arguments here",
             FFI_MAX_ARGS);
    return false;
  }
  void *h = open_library(x->library, err, errlen);
  if (!h || !find_symbol(x, h, err, errlen)) return false;
  prepared *p = arena_alloc(mem, sizeof *p);
  for (int i = 0; i < x->nargs; i++) p->types[i] = ffi_type_of(x->args[i]);
  if (ffi_prep_cif(&p->cif, FFI_DEFAULT_ABI, (unsigned)x->nargs,
                   ffi_type_of(x->ret), p->types) != FFI_OK) {
    snprintf(err, errlen, "libffi cannot prepare a call to %s", x->symbol);
    x->fn = NULL;
    return false;
  }
  x->cif = p;
  return true;
}

/* ---- calls ---------------------------------------------------------- */

typedef union {
  int32_t i32;
  int64_t i64;
  double d;
  const char *s;
} c_arg;

static bool convert_arg(world *w, const extern_def *x, int i, value v,
                        c_arg *out, char *err, size_t errlen) {
  xtype t = x->args[i];
  bool want_str = t == XT_STRING;
  if (v.kind != (want_str ? VK_STR : VK_INT)) {
    snprintf(err, errlen, "%s: argument %d must be %s (%s), not %s",
             sym_name(&w->syms, x->name), i + 1,
             want_str ? "a string" : "an integer", xtype_name(t),
             vkind_name((vkind)v.kind));
    return false;
  }
  switch (t) {
  case XT_INT32: out->i32 = v.i; break;
  case XT_INT64: out->i64 = v.i; break;
  case XT_DOUBLE: out->d = v.i; break;
  case XT_STRING: out->s = world_string(w, v.i); break;
  case XT_VOID: break;
  }
  return true;
}

typedef union {
  ffi_arg a;      /* integers narrower than a register come back widened */
  ffi_sarg sa;
  int64_t i64;
  double d;
  const char *s;
} c_ret;

static bool convert_double(world *w, const extern_def *x, double d,
                           value *out, char *err, size_t errlen) {
  if (isfinite(d) && d == floor(d) && d >= TVL_INT_MIN && d <= TVL_INT_MAX) {
    *out = v_int((int32_t)d);
    return true;
  }
  char text[40];
  if (isnan(d)) snprintf(text, sizeof text, "NaN");
  else if (isinf(d)) snprintf(text, sizeof text, "%sinfinity", d < 0 ? "-" : "");
  else snprintf(text, sizeof text, "%.17g", d);
  snprintf(err, errlen, "%s: %s returned %s, which is not %s",
           sym_name(&w->syms, x->name), x->symbol, text,
           isfinite(d) && d == floor(d) ? "a 32-bit integer"
                                        : "an integer (tvl has only integers)");
  return false;
}

static bool convert_result(world *w, const extern_def *x, const c_ret *r,
                           value *out, char *err, size_t errlen) {
  switch (x->ret) {
  case XT_VOID: *out = v_void(); return true;
  case XT_INT32: *out = v_int((int32_t)r->sa); return true;
  case XT_INT64:
    if (r->i64 >= TVL_INT_MIN && r->i64 <= TVL_INT_MAX) {
      *out = v_int((int32_t)r->i64);
      return true;
    }
    snprintf(err, errlen, "%s: %s returned %lld, which does not fit a "
             "32-bit integer", sym_name(&w->syms, x->name), x->symbol,
             (long long)r->i64);
    return false;
  case XT_DOUBLE: return convert_double(w, x, r->d, out, err, errlen);
  case XT_STRING:
    *out = r->s ? v_str(world_intern_string(w, r->s, strlen(r->s)))
                : v_bool(false);
    return true;
  }
  return false;
}

bool ffi_invoke(world *w, const extern_def *x, const value *args, int nargs,
                value *out, char *err, size_t errlen) {
  if (w->no_extern) {   /* declared before the switch was turned off */
    snprintf(err, errlen, "%s: C functions are switched off in this session "
             "(--no-extern)", sym_name(&w->syms, x->name));
    return false;
  }
  if (!x->fn || !x->cif) {
    snprintf(err, errlen, "%s is not resolved", sym_name(&w->syms, x->name));
    return false;
  }
  if (nargs != x->nargs) {
    snprintf(err, errlen, "C function %s takes %d argument%s, but %d %s given",
             sym_name(&w->syms, x->name), x->nargs, x->nargs == 1 ? "" : "s",
             nargs, nargs == 1 ? "was" : "were");
    return false;
  }
  c_arg vals[FFI_MAX_ARGS];
  void *ptrs[FFI_MAX_ARGS];
  for (int i = 0; i < nargs; i++) {
    if (!convert_arg(w, x, i, args[i], &vals[i], err, errlen)) return false;
    ptrs[i] = &vals[i];
  }
  /* a run that repeats a program takes the first run's outcome */
  char *key = ffi_call_key(w, x, args, nargs);
  int replayed = ffi_log_take(w, key, out, err, errlen);
  if (replayed >= 0) {
    free(key);
    return replayed;
  }
  if (w->ffi_mode == FFI_REPLAY) {
    snprintf(err, errlen, "%s: %s does not call C functions (they may have "
             "side effects), and no earlier form made this call: run the "
             "form first, and %s replays its results",
             sym_name(&w->syms, x->name),
             w->ffi_replayer ? w->ffi_replayer : "a replay",
             w->ffi_replayer ? w->ffi_replayer : "the replay");
    free(key);
    return false;
  }
  c_ret r;
  memset(&r, 0, sizeof r);
  ffi_call(&((prepared *)x->cif)->cif, FFI_FN(x->fn), &r, ptrs);
  bool ok = convert_result(w, x, &r, out, err, errlen);
  ffi_log_add(w, key, ok, ok ? *out : v_void(), err);
  return ok;
}
