/*
 * cyclorama_shm: maps part of an open file (a frame ring in /dev/shm, or an
 * unlinked temp file) as an ArrayBuffer, MAP_SHARED, so the engine and the
 * inference process see the same bytes with no copy. Node has no mmap; this
 * is the whole addon. POSIX only (Linux, macOS); on Windows the generator keeps
 * its inference worker thread (logged).
 *
 * map(fd, offset, length) -> ArrayBuffer
 *   fd      an open, read-write file descriptor (already sized with ftruncate)
 *   offset  bytes from the start of the file; a multiple of pageSize()
 *   length  bytes; > 0
 *   The mapping lives as long as the ArrayBuffer (munmap in its finalizer),
 *   independent of the fd, which may be closed afterwards.
 * pageSize() -> number   the offset granularity of map()
 *
 * An engine whose V8 forbids external buffers (Electron's memory cage) gets an
 * exception from map(), and the caller falls back to the worker thread.
 */
#define _DEFAULT_SOURCE
#include <node_api.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static void unmap(napi_env env, void *data, void *hint) {
  (void)env;
  munmap(data, (size_t)(uintptr_t)hint);
}

static napi_value Map(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 3) {
    napi_throw_type_error(env, NULL, "cyclorama_shm.map(fd, offset, length): 3 arguments");
    return NULL;
  }
  int32_t fd;
  int64_t offset, length;
  if (napi_get_value_int32(env, argv[0], &fd) != napi_ok || napi_get_value_int64(env, argv[1], &offset) != napi_ok ||
      napi_get_value_int64(env, argv[2], &length) != napi_ok) {
    napi_throw_type_error(env, NULL, "cyclorama_shm.map: fd, offset and length must be numbers");
    return NULL;
  }
  long page = sysconf(_SC_PAGESIZE);
  if (fd < 0 || offset < 0 || length <= 0 || (page > 0 && offset % page != 0)) {
    napi_throw_range_error(env, NULL, "cyclorama_shm.map: fd >= 0, offset a multiple of the page size, length > 0");
    return NULL;
  }
  void *data = mmap(NULL, (size_t)length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)offset);
  if (data == MAP_FAILED) {
    char message[160];
    snprintf(message, sizeof message, "cyclorama_shm.map: mmap failed: %s", strerror(errno));
    napi_throw_error(env, NULL, message);
    return NULL;
  }
  napi_value buffer;
  napi_status status = napi_create_external_arraybuffer(env, data, (size_t)length, unmap, (void *)(uintptr_t)length, &buffer);
  if (status != napi_ok) {
    munmap(data, (size_t)length);
    napi_throw_error(env, NULL, "cyclorama_shm.map: this runtime refuses external ArrayBuffers (V8 memory cage)");
    return NULL;
  }
  return buffer;
}

static napi_value PageSize(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value result;
  napi_create_int64(env, (int64_t)sysconf(_SC_PAGESIZE), &result);
  return result;
}

static napi_value Init(napi_env env, napi_value exports) {
  napi_value fn;
  if (napi_create_function(env, "map", NAPI_AUTO_LENGTH, Map, NULL, &fn) != napi_ok) return NULL;
  if (napi_set_named_property(env, exports, "map", fn) != napi_ok) return NULL;
  if (napi_create_function(env, "pageSize", NAPI_AUTO_LENGTH, PageSize, NULL, &fn) != napi_ok) return NULL;
  if (napi_set_named_property(env, exports, "pageSize", fn) != napi_ok) return NULL;
  return exports;
}

NAPI_MODULE_INIT() { return Init(env, exports); }
