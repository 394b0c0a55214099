/* safefile.c - writing a file without following planted links.
 *
 * Every file tvl writes (exports, SVG, JSON, listings, the history) is
 * first written to a new temporary file in the target's directory, then
 * renamed over the target.  The temporary file is created with
 * O_CREAT|O_EXCL|O_NOFOLLOW: whatever sits at its name already (a file, or
 * a symbolic link someone planted there) is never opened, and the next
 * name is tried.  The names are predictable (".NAME.tmpPID-N") on
 * purpose: the exclusive creation is what makes them safe, and a test can
 * plant a link at the first one.  rename() replaces the target's
 * directory entry, so a link at the target itself is replaced, not
 * followed.  A reader never sees a half-written file.
 */
#include "config.h"

#include "base.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { SAFE_TRIES = 100 };

/* ".NAME.tmpPID-N" next to path. */
static char *tmp_name(const char *path, int attempt) {
  const char *slash = strrchr(path, '/');
  size_t dir = slash ? (size_t)(slash - path) + 1 : 0;
  strbuf b;
  sb_init(&b);
  sb_putn(&b, path, dir);
  sb_printf(&b, ".%s.tmp%ld-%d", path + dir, (long)getpid(), attempt);
  return sb_detach(&b);
}

char *safe_tmp_name(const char *path, int attempt) {
  return tmp_name(path, attempt);
}

FILE *safe_open(safe_file *sf, const char *path, int mode) {
  memset(sf, 0, sizeof *sf);
  if (!path[0] || path[strlen(path) - 1] == '/') {
    errno = EISDIR;
    return NULL;
  }
  for (int i = 0; i < SAFE_TRIES; i++) {
    char *tmp = tmp_name(path, i);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                  (mode_t)mode);
    if (fd >= 0) {
      sf->f = fdopen(fd, "wb");
      if (!sf->f) {
        int e = errno;
        close(fd);
        unlink(tmp);
        free(tmp);
        errno = e;
        return NULL;
      }
      sf->tmp = tmp;
      sf->path = xstrdup(path);
      return sf->f;
    }
    int e = errno;
    free(tmp);
    if (e != EEXIST) {
      errno = e;
      return NULL;
    }
  }
  errno = EEXIST;
  return NULL;
}

void safe_abort(safe_file *sf) {
  if (sf->f) fclose(sf->f);
  if (sf->tmp) unlink(sf->tmp);
  free(sf->tmp);
  free(sf->path);
  sf->f = NULL;
  sf->tmp = sf->path = NULL;
}

bool safe_commit(safe_file *sf) {
  if (!sf->f) return false;
  bool ok = fflush(sf->f) == 0 && !ferror(sf->f) && fsync(fileno(sf->f)) == 0;
  int e = errno;
  ok = fclose(sf->f) == 0 && ok;
  if (!ok && !e) e = errno;
  sf->f = NULL;
  if (ok && rename(sf->tmp, sf->path) != 0) {
    ok = false;
    e = errno;
  }
  if (!ok) unlink(sf->tmp);
  free(sf->tmp);
  free(sf->path);
  sf->tmp = sf->path = NULL;
  errno = ok ? 0 : e;
  return ok;
}

bool safe_write_file(const char *path, const void *data, size_t n, int mode) {
  safe_file sf;
  FILE *f = safe_open(&sf, path, mode);
  if (!f) return false;
  if (n && fwrite(data, 1, n, f) != n) {
    int e = errno;
    safe_abort(&sf);
    errno = e;
    return false;
  }
  return safe_commit(&sf);
}
