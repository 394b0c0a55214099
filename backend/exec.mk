## Executor sources (included by Makefile.am).
libtvlcore_la_SOURCES += backend/backend.h backend/model.c \
	backend/kvcache.c backend/hull.c backend/exec.c backend/safetensors.c
