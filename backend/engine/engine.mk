## The engine room (included by Makefile.am): the model, its file format,
## the forward pass and the KV caches.  A convenience library of its own,
## built and tested without the compiler: the engine's tests and benchmarks
## link only libtvlengine.la and libtvlbase.la.
noinst_LTLIBRARIES += libtvlbase.la libtvlengine.la
libtvlbase_la_SOURCES = base/base.h base/base.c base/guard.c base/safefile.c
libtvlengine_la_SOURCES = backend/engine/engine.h backend/engine/model.c \
	backend/engine/ffn.c backend/engine/kvcache.c backend/engine/hull.c \
	backend/engine/addr.c \
	backend/engine/bounds.c \
	backend/engine/exec.c backend/engine/exec-int.h \
	backend/engine/csc.c backend/engine/family.c backend/engine/argmax.c \
	backend/engine/safetensors.c
libtvlengine_la_LIBADD = libtvlbase.la -lm
