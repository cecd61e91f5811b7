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
 * Where V8 forbids external buffers (Electron's memory cage) map() throws; there
 * the same file is used by copy instead (one memcpy a frame, still no pipe):
 * open(fd, length) -> handle   the whole file mapped, unmapped when the handle is collected
 * read(handle, offset, dst)    copies dst.byteLength bytes at offset into the typed array dst
 * write(handle, offset, src)   copies the typed array src to offset
 */
#define _DEFAULT_SOURCE
#include <node_api.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
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

typedef struct {
  uint8_t *data;
  size_t length;
} Region;

static void close_region(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  Region *region = data;
  munmap(region->data, region->length);
  free(region);
}

static napi_value Open(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  int32_t fd;
  int64_t length;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 2 || napi_get_value_int32(env, argv[0], &fd) != napi_ok ||
      napi_get_value_int64(env, argv[1], &length) != napi_ok || fd < 0 || length <= 0) {
    napi_throw_type_error(env, NULL, "cyclorama_shm.open(fd, length): fd >= 0, length > 0");
    return NULL;
  }
  void *data = mmap(NULL, (size_t)length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (data == MAP_FAILED) {
    char message[160];
    snprintf(message, sizeof message, "cyclorama_shm.open: mmap failed: %s", strerror(errno));
    napi_throw_error(env, NULL, message);
    return NULL;
  }
  Region *region = malloc(sizeof *region);
  if (!region) {
    munmap(data, (size_t)length);
    napi_throw_error(env, NULL, "cyclorama_shm.open: out of memory");
    return NULL;
  }
  region->data = data;
  region->length = (size_t)length;
  napi_value handle;
  if (napi_create_external(env, region, close_region, NULL, &handle) != napi_ok) {
    close_region(env, region, NULL);
    napi_throw_error(env, NULL, "cyclorama_shm.open: could not make a handle");
    return NULL;
  }
  return handle;
}

/* read (toShared = 0) or write (toShared = 1) a typed array at an offset of an open region. */
static napi_value Copy(napi_env env, napi_callback_info info, int toShared) {
  size_t argc = 3;
  napi_value argv[3];
  Region *region;
  int64_t offset;
  napi_typedarray_type type;
  size_t elements, byteOffset;
  void *bytes;
  napi_value arraybuffer;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 3 || napi_get_value_external(env, argv[0], (void **)&region) != napi_ok ||
      napi_get_value_int64(env, argv[1], &offset) != napi_ok ||
      napi_get_typedarray_info(env, argv[2], &type, &elements, &bytes, &arraybuffer, &byteOffset) != napi_ok) {
    napi_throw_type_error(env, NULL, "cyclorama_shm.read/write(handle, offset, typedArray)");
    return NULL;
  }
  size_t size = elements;
  if (type == napi_uint16_array || type == napi_int16_array) size *= 2;
  else if (type == napi_uint32_array || type == napi_int32_array || type == napi_float32_array) size *= 4;
  else if (type == napi_float64_array || type == napi_bigint64_array || type == napi_biguint64_array) size *= 8;
  if (offset < 0 || (size_t)offset > region->length || size > region->length - (size_t)offset) {
    napi_throw_range_error(env, NULL, "cyclorama_shm.read/write: outside the mapped file");
    return NULL;
  }
  if (toShared) memcpy(region->data + offset, bytes, size);
  else memcpy(bytes, region->data + offset, size);
  return NULL;
}

static napi_value Read(napi_env env, napi_callback_info info) { return Copy(env, info, 0); }
static napi_value Write(napi_env env, napi_callback_info info) { return Copy(env, info, 1); }

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
  if (napi_create_function(env, "open", NAPI_AUTO_LENGTH, Open, NULL, &fn) != napi_ok) return NULL;
  if (napi_set_named_property(env, exports, "open", fn) != napi_ok) return NULL;
  if (napi_create_function(env, "read", NAPI_AUTO_LENGTH, Read, NULL, &fn) != napi_ok) return NULL;
  if (napi_set_named_property(env, exports, "read", fn) != napi_ok) return NULL;
  if (napi_create_function(env, "write", NAPI_AUTO_LENGTH, Write, NULL, &fn) != napi_ok) return NULL;
  if (napi_set_named_property(env, exports, "write", fn) != napi_ok) return NULL;
  if (napi_create_function(env, "pageSize", NAPI_AUTO_LENGTH, PageSize, NULL, &fn) != napi_ok) return NULL;
  if (napi_set_named_property(env, exports, "pageSize", fn) != napi_ok) return NULL;
  return exports;
}

NAPI_MODULE_INIT() { return Init(env, exports); }
