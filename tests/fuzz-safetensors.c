/* fuzz-safetensors.c - libFuzzer harness for the model loader
 * (backend/engine/safetensors.c): arbitrary bytes as a model file must be
 * refused with a message or loaded as a model that validates, never
 * crash, leak or take memory out of proportion to the file.
 *
 * model_load reads a path, so each input is written to a file of this
 * process's own first.  Seeds: the test models of tests/mkmodel (make
 * fuzz writes them into the corpus).  Build and run: make fuzz.
 */
#include "config.h"

#include "backend/engine/engine.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static char path[64];
  if (!path[0])
    snprintf(path, sizeof path, "/tmp/tvl-fuzz-st-%ld.safetensors", (long)getpid());
  FILE *f = fopen(path, "wb");
  if (!f) return 0;
  fwrite(data, 1, size, f);
  fclose(f);
  char err[512];
  model *m = model_load(path, err, sizeof err);
  if (m) {
    char why[256];
    if (!model_validate(m, why, sizeof why)) __builtin_trap();   /* loaded but invalid */
    model_free(m);
  }
  return 0;
}
