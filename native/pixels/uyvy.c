/*
 * cyclorama_pixels: RGBA8 -> UYVY 4:2:2 (BT.709, limited range) with optional
 * scaling (nearest or bilinear) and a level (black-panic fade), in one pass.
 * The hot path of every NDI output: at 1080p59.94 plain JS takes ~7 ms a frame,
 * this ~1.5 ms. The maths is integer and identical to the JS fallback in
 * app/engine/ndi/pixels.ts (the unit tests compare the two byte for byte).
 *
 * convert(src, srcW, srcH, dst, dstW, dstH, dstStride, gain, filter)
 *   src    Uint8Array, RGBA, srcW*srcH*4 bytes
 *   dst    Uint8Array (dstStride*dstH bytes) or a BigInt address of native memory
 *          of that size (NDI send buffers come from koffi.alloc: stable addresses)
 *   dstW   even; dstStride >= dstW*2 bytes
 *   gain   0..256, multiplies R,G,B (256 = unchanged)
 *   filter 0 nearest, 1 bilinear (only used when the sizes differ)
 */
#include <node_api.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* BT.709 limited range, 16.16 fixed point (see pixels.ts for the derivation). */
#define KY_R 11966
#define KY_G 40254
#define KY_B 4064
#define KU_R (-6596)
#define KU_G (-22189)
#define KU_B 28785
#define KV_R 28785
#define KV_G (-26145)
#define KV_B (-2640)

static inline void put_pair(uint8_t *out, int r0, int g0, int b0, int r1, int g1, int b1) {
  int y0 = (KY_R * r0 + KY_G * g0 + KY_B * b0 + (16 << 16) + 32768) >> 16;
  int y1 = (KY_R * r1 + KY_G * g1 + KY_B * b1 + (16 << 16) + 32768) >> 16;
  int rs = r0 + r1, gs = g0 + g1, bs = b0 + b1;
  int u = (KU_R * rs + KU_G * gs + KU_B * bs + (128 << 17) + 65536) >> 17;
  int v = (KV_R * rs + KV_G * gs + KV_B * bs + (128 << 17) + 65536) >> 17;
  out[0] = (uint8_t)u;
  out[1] = (uint8_t)y0;
  out[2] = (uint8_t)v;
  out[3] = (uint8_t)y1;
}

static void convert_same_size(const uint8_t *src, int w, int h, uint8_t *dst, int stride, int gain) {
  for (int y = 0; y < h; y++) {
    const uint8_t *s = src + (size_t)y * w * 4;
    uint8_t *d = dst + (size_t)y * stride;
    if (gain >= 256) {
      for (int x = 0; x < w; x += 2, s += 8, d += 4) put_pair(d, s[0], s[1], s[2], s[4], s[5], s[6]);
    } else {
      for (int x = 0; x < w; x += 2, s += 8, d += 4)
        put_pair(d, (s[0] * gain) >> 8, (s[1] * gain) >> 8, (s[2] * gain) >> 8, (s[4] * gain) >> 8, (s[5] * gain) >> 8, (s[6] * gain) >> 8);
    }
  }
}

/* Nearest: source column/row of each output pixel's centre. */
static void convert_nearest(const uint8_t *src, int sw, int sh, uint8_t *dst, int dw, int dh, int stride, int gain, int32_t *xs) {
  for (int x = 0; x < dw; x++) {
    int sx = (int)(((int64_t)(2 * x + 1) * sw) / (2 * dw));
    xs[x] = (sx < sw ? sx : sw - 1) * 4;
  }
  for (int y = 0; y < dh; y++) {
    int sy = (int)(((int64_t)(2 * y + 1) * sh) / (2 * dh));
    if (sy >= sh) sy = sh - 1;
    const uint8_t *row = src + (size_t)sy * sw * 4;
    uint8_t *d = dst + (size_t)y * stride;
    for (int x = 0; x < dw; x += 2, d += 4) {
      const uint8_t *a = row + xs[x], *b = row + xs[x + 1];
      put_pair(d, (a[0] * gain) >> 8, (a[1] * gain) >> 8, (a[2] * gain) >> 8, (b[0] * gain) >> 8, (b[1] * gain) >> 8, (b[2] * gain) >> 8);
    }
  }
}

/* Bilinear, centre-aligned, 8-bit weights. xs: 2 offsets + 1 weight per column. */
static void weights(int d, int s, int i, int *i0, int *i1, int *f) {
  int64_t pos = ((int64_t)(2 * i + 1) * s * 256) / (2 * d) - 128; /* source position * 256 */
  if (pos < 0) pos = 0;
  int p0 = (int)(pos >> 8);
  if (p0 >= s - 1) { *i0 = *i1 = s - 1; *f = 0; return; }
  *i0 = p0; *i1 = p0 + 1; *f = (int)(pos & 255);
}

static void convert_bilinear(const uint8_t *src, int sw, int sh, uint8_t *dst, int dw, int dh, int stride, int gain, int32_t *xs) {
  for (int x = 0; x < dw; x++) {
    int a, b, f;
    weights(dw, sw, x, &a, &b, &f);
    xs[3 * x] = a * 4; xs[3 * x + 1] = b * 4; xs[3 * x + 2] = f;
  }
  for (int y = 0; y < dh; y++) {
    int r0i, r1i, fy;
    weights(dh, sh, y, &r0i, &r1i, &fy);
    const uint8_t *r0 = src + (size_t)r0i * sw * 4, *r1 = src + (size_t)r1i * sw * 4;
    uint8_t *d = dst + (size_t)y * stride;
    for (int x = 0; x < dw; x += 2, d += 4) {
      int c[6];
      for (int k = 0; k < 2; k++) {
        int o0 = xs[3 * (x + k)], o1 = xs[3 * (x + k) + 1], fx = xs[3 * (x + k) + 2];
        for (int ch = 0; ch < 3; ch++) {
          int top = r0[o0 + ch] * (256 - fx) + r0[o1 + ch] * fx;
          int bot = r1[o0 + ch] * (256 - fx) + r1[o1 + ch] * fx;
          int v = (top * (256 - fy) + bot * fy + 32768) >> 16;
          c[k * 3 + ch] = (v * gain) >> 8;
        }
      }
      put_pair(d, c[0], c[1], c[2], c[3], c[4], c[5]);
    }
  }
}

#define CHECK(call) do { if ((call) != napi_ok) { napi_throw_error(env, NULL, "cyclorama_pixels: bad argument"); return NULL; } } while (0)

static napi_value Convert(napi_env env, napi_callback_info info) {
  size_t argc = 9;
  napi_value argv[9];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 9) { napi_throw_error(env, NULL, "cyclorama_pixels.convert: 9 arguments"); return NULL; }
  napi_typedarray_type type;
  size_t srcLen, dstLen = 0;
  void *srcData;
  uint8_t *dst = NULL;
  CHECK(napi_get_typedarray_info(env, argv[0], &type, &srcLen, &srcData, NULL, NULL));
  int32_t sw, sh, dw, dh, stride, gain, filter;
  CHECK(napi_get_value_int32(env, argv[1], &sw));
  CHECK(napi_get_value_int32(env, argv[2], &sh));
  CHECK(napi_get_value_int32(env, argv[4], &dw));
  CHECK(napi_get_value_int32(env, argv[5], &dh));
  CHECK(napi_get_value_int32(env, argv[6], &stride));
  CHECK(napi_get_value_int32(env, argv[7], &gain));
  CHECK(napi_get_value_int32(env, argv[8], &filter));
  napi_valuetype dstType;
  CHECK(napi_typeof(env, argv[3], &dstType));
  if (dstType == napi_bigint) {
    uint64_t address;
    bool lossless;
    CHECK(napi_get_value_bigint_uint64(env, argv[3], &address, &lossless));
    dst = (uint8_t *)(uintptr_t)address;
    dstLen = (size_t)stride * (size_t)dh;
  } else {
    void *d;
    CHECK(napi_get_typedarray_info(env, argv[3], &type, &dstLen, &d, NULL, NULL));
    dst = (uint8_t *)d;
  }
  if (sw <= 0 || sh <= 0 || dw <= 1 || dh <= 0 || (dw & 1) || stride < dw * 2 || srcLen < (size_t)sw * sh * 4 ||
      dstLen < (size_t)stride * dh || dst == NULL) {
    napi_throw_range_error(env, NULL, "cyclorama_pixels.convert: sizes do not match the buffers (width must be even)");
    return NULL;
  }
  if (gain < 0) gain = 0;
  if (gain > 256) gain = 256;
  if (sw == dw && sh == dh) {
    convert_same_size((const uint8_t *)srcData, sw, sh, dst, stride, gain);
    return NULL;
  }
  int32_t *xs = (int32_t *)malloc(sizeof(int32_t) * 3 * (size_t)dw);
  if (!xs) { napi_throw_error(env, NULL, "cyclorama_pixels: out of memory"); return NULL; }
  if (filter == 1) convert_bilinear((const uint8_t *)srcData, sw, sh, dst, dw, dh, stride, gain, xs);
  else convert_nearest((const uint8_t *)srcData, sw, sh, dst, dw, dh, stride, gain, xs);
  free(xs);
  return NULL;
}

static napi_value Init(napi_env env, napi_value exports) {
  napi_value fn;
  if (napi_create_function(env, "convert", NAPI_AUTO_LENGTH, Convert, NULL, &fn) != napi_ok) return NULL;
  if (napi_set_named_property(env, exports, "convert", fn) != napi_ok) return NULL;
  return exports;
}

NAPI_MODULE_INIT() { return Init(env, exports); }
