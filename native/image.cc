// owlet_image.node: what the data loaders' worker threads do to images, in C++: JPEG decoding with
// libjpeg-turbo (the decoder PIL uses), and a batch's augmentation in one pass. It needs no libtorch,
// so a worker loads only this.
//
// decodeJpeg(bytes: Uint8Array): { data: ArrayBuffer, width, height } | null
//   8-bit RGB, row-major, with libjpeg's defaults (accurate integer IDCT, fancy upsampling), as PIL
//   and libvips decode. null means "not for this path": a CMYK/YCCK file, one with an ICC profile
//   (sharp converts those to sRGB), a truncated or damaged file. The caller then uses sharp, which
//   gives the same pixels or the error message.
#include <node_api.h>

#include <algorithm>
#include <cmath>
#include <csetjmp>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <vector>

#include <jpeglib.h>

namespace {

struct ErrorManager {
  jpeg_error_mgr pub;
  jmp_buf jump;
};

void onError(j_common_ptr cinfo) {
  longjmp(reinterpret_cast<ErrorManager*>(cinfo->err)->jump, 1);
}

// Warnings (a truncated file, corrupt data) make the file the fallback's business: sharp fails on
// truncation and reports the rest in its own words.
void onMessage(j_common_ptr cinfo, int level) {
  if (level < 0) longjmp(reinterpret_cast<ErrorManager*>(cinfo->err)->jump, 1);
}

bool hasIccProfile(j_decompress_ptr cinfo) {
  for (jpeg_saved_marker_ptr m = cinfo->marker_list; m != nullptr; m = m->next) {
    if (m->marker == JPEG_APP0 + 2 && m->data_length >= 12 && std::memcmp(m->data, "ICC_PROFILE\0", 12) == 0) return true;
  }
  return false;
}

napi_value nullValue(napi_env env) {
  napi_value v;
  napi_get_null(env, &v);
  return v;
}

napi_value throwError(napi_env env, const char* message) {
  napi_throw_type_error(env, nullptr, message);
  return nullptr;
}

// Decodes into an ArrayBuffer; returns nullptr (the caller answers null) when the file is not for this path.
napi_value decode(napi_env env, const unsigned char* bytes, size_t length) {
  jpeg_decompress_struct cinfo;
  ErrorManager err;
  cinfo.err = jpeg_std_error(&err.pub);
  err.pub.error_exit = onError;
  err.pub.emit_message = onMessage;
  if (setjmp(err.jump)) {
    jpeg_destroy_decompress(&cinfo);
    return nullptr;
  }
  jpeg_create_decompress(&cinfo);
  jpeg_mem_src(&cinfo, bytes, static_cast<unsigned long>(length));
  jpeg_save_markers(&cinfo, JPEG_APP0 + 2, 0xFFFF);
  jpeg_read_header(&cinfo, TRUE);
  if (hasIccProfile(&cinfo) || (cinfo.jpeg_color_space != JCS_YCbCr && cinfo.jpeg_color_space != JCS_GRAYSCALE && cinfo.jpeg_color_space != JCS_RGB)) {
    jpeg_destroy_decompress(&cinfo);
    return nullptr;
  }
  cinfo.out_color_space = JCS_RGB;
  jpeg_start_decompress(&cinfo);
  const size_t width = cinfo.output_width, height = cinfo.output_height, row = width * 3;
  void* data = nullptr;
  napi_value buffer;
  if (cinfo.output_components != 3 || napi_create_arraybuffer(env, row * height, &data, &buffer) != napi_ok) {
    jpeg_destroy_decompress(&cinfo);
    return nullptr;
  }
  auto* out = static_cast<unsigned char*>(data);
  while (cinfo.output_scanline < cinfo.output_height) {
    JSAMPROW rows[4];
    const unsigned left = cinfo.output_height - cinfo.output_scanline;
    const unsigned n = left < 4 ? left : 4;
    for (unsigned i = 0; i < n; i++) rows[i] = out + (cinfo.output_scanline + i) * row;
    jpeg_read_scanlines(&cinfo, rows, n);
  }
  jpeg_finish_decompress(&cinfo);
  jpeg_destroy_decompress(&cinfo);
  napi_value obj, w, h;
  napi_create_object(env, &obj);
  napi_create_uint32(env, static_cast<uint32_t>(width), &w);
  napi_create_uint32(env, static_cast<uint32_t>(height), &h);
  napi_set_named_property(env, obj, "data", buffer);
  napi_set_named_property(env, obj, "width", w);
  napi_set_named_property(env, obj, "height", h);
  return obj;
}

napi_value DecodeJpeg(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  bool isTyped = false;
  if (argc < 1 || napi_is_typedarray(env, argv[0], &isTyped) != napi_ok || !isTyped) return throwError(env, "decodeJpeg takes a Uint8Array");
  napi_typedarray_type type;
  size_t length;
  void* data;
  napi_value ab;
  size_t offset;
  napi_get_typedarray_info(env, argv[0], &type, &length, &data, &ab, &offset);
  if (type != napi_uint8_array) return throwError(env, "decodeJpeg takes a Uint8Array");
  napi_value v = decode(env, static_cast<const unsigned char*>(data), length);
  return v != nullptr ? v : nullValue(env);
}

// ---------------------------------------------------------------------------------------------
// augmentBatch(src, k, h, w, out, oh, ow, mats, alignCorners, lighting, mean, std)
//
// One pass per image, from the decoded uint8 pixels [k, h, w, 3] to the model's input float32
// [k, 3, oh, ow]: what the loader's batch transforms do with libtorch ops, in the same float
// arithmetic (augment.ts, grid.ts):
//   - mats (Float64Array [k·9], or null for none): each image's projective map H; output pixel
//     (j, i) samples the source at H·(u, v, 1) / z, (u, v) its coordinates in [-1, 1] — grid.ts's
//     projectiveGrid, rounded to float32 as its grid is — with aten's grid_sampler (bilinear,
//     reflection padding, alignCorners as given; its vectorized CPU kernel's arithmetic);
//   - lighting (Float64Array [k·2]: logit(brightness), contrast; or null): fastai's
//     sigmoid((logit(x) + b)·c), logit's eps 1e-7 (see Lighting: error about 1e-6);
//   - mean, std (Float64Array [3], or null): (x − mean) / std per channel.
namespace aug {

constexpr int kTable = 2048;

double lightingExact(double v, double b, double c) {
  const double eps = 1e-7;
  const double x = v < eps ? eps : (v > 1 - eps ? 1 - eps : v);
  return 1.0 / (1.0 + std::exp(-((std::log(x / (1 - x)) + b) * c)));
}

// fastai's lighting of one image: exact near 0 and 1 (where the curve is steepest) and at the ends
// themselves (black and white backgrounds), a table of exact values linearly interpolated in
// between (error about 1e-6).
struct Lighting {
  bool on = false;
  double b = 0, c = 1;
  float at0 = 0, at1 = 1;
  std::vector<float> table;
  void set(double b_, double c_) {
    b = b_;
    c = c_;
    on = !(b == 0 && c == 1);
    if (!on) return;
    table.resize(kTable + 1);
    for (int i = 0; i <= kTable; i++) table[i] = static_cast<float>(lightingExact(static_cast<double>(i) / kTable, b, c));
    at0 = static_cast<float>(lightingExact(0, b, c));
    at1 = static_cast<float>(lightingExact(1, b, c));
  }
  float operator()(float v) const {
    if (v > 1.0f / 64 && v < 63.0f / 64) {
      const float t = v * kTable;
      const int i = static_cast<int>(t);
      const float f = t - static_cast<float>(i);
      return table[i] + f * (table[i + 1] - table[i]);
    }
    if (v <= 0.0f) return at0;
    if (v >= 1.0f) return at1;
    return static_cast<float>(lightingExact(v, b, c));
  }
};

// aten's ComputeLocation<float, Reflection, alignCorners> (GridSamplerKernel.cpp), scalar: the
// source coordinate of a grid value, reflected into the image and clipped to [0, size − 1].
struct Axis {
  float maxVal, scale, low, twiceSpan;
  bool align;
  Axis(int64_t size, bool alignCorners)
      : maxVal(static_cast<float>(size - 1)),
        scale(alignCorners ? static_cast<float>(size - 1) / 2 : static_cast<float>(size) / 2),
        low(alignCorners ? 0.0f : -0.5f),
        twiceSpan(static_cast<float>(alignCorners ? (size - 1) * 2 : size * 2)),
        align(alignCorners) {}
  float operator()(float g) const {
    float x = align ? (g + 1.0f) * scale : (g + 1.0f) * scale - 0.5f;
    // inside the image with alignCorners, reflecting leaves x as it is (exactly: no flip, extra = x)
    if (align && x >= 0.0f && x <= maxVal) return x;
    if (twiceSpan <= 0) {
      x = 0;
    } else {
      const float a = std::fabs(x - low);
      const float q = a / twiceSpan;
      // trunc of a non-negative value; beyond int range the image is far out of view anyway
      const float flips = q < 2e9f ? static_cast<float>(static_cast<int64_t>(q)) : q;
      const float extra = a - flips * twiceSpan;
      x = std::fmin(extra, twiceSpan - extra) + low;
    }
    return std::fmin(maxVal, std::fmax(x, 0.0f));
  }
};

// The byte values as aten's uint8 → float conversion and div_(255) give them.
struct Bytes {
  float v[256];
  Bytes() {
    for (int i = 0; i < 256; i++) v[i] = static_cast<float>(i) / 255.0f;
  }
};
const Bytes kBytes;

struct Output {
  float* out;
  int64_t plane;
  const Lighting& light;
  const float* mean;  // null: no normalisation
  const float* stdv;
  // Finishes output row `i` from the sampled values of its three channels (`row`, 3 × ow).
  void putRow(int64_t i, int64_t ow, float* row) const {
    for (int c = 0; c < 3; c++) {
      float* r = row + c * ow;
      float* o = out + c * plane + i * ow;
      if (light.on)
        for (int64_t j = 0; j < ow; j++) r[j] = light(r[j]);
      if (mean != nullptr) {
        const float m = mean[c], s = stdv[c];
        for (int64_t j = 0; j < ow; j++) o[j] = (r[j] - m) / s;
      } else {
        std::memcpy(o, r, static_cast<size_t>(ow) * sizeof(float));
      }
    }
  }
};

void image(const uint8_t* src, int64_t h, int64_t w, int64_t oh, int64_t ow, const double* H, bool alignCorners, const Output& dst) {
  const float* byte = kBytes.v;
  std::vector<float> row(static_cast<size_t>(3 * ow));
  float* r0 = row.data();
  float* r1 = r0 + ow;
  float* r2 = r1 + ow;
  if (H == nullptr) {
    for (int64_t i = 0; i < oh; i++) {
      const uint8_t* p = src + i * w * 3;
      for (int64_t j = 0; j < ow; j++) {
        r0[j] = byte[p[j * 3]];
        r1[j] = byte[p[j * 3 + 1]];
        r2[j] = byte[p[j * 3 + 2]];
      }
      dst.putRow(i, ow, r0);
    }
    return;
  }
  const Axis ax(w, alignCorners), ay(h, alignCorners);
  auto coord = [&](int64_t i, int64_t n) -> double {
    return alignCorners ? (n == 1 ? 0.0 : -1.0 + (2.0 * static_cast<double>(i)) / static_cast<double>(n - 1))
                        : (2.0 * static_cast<double>(i) + 1.0) / static_cast<double>(n) - 1.0;
  };
  std::vector<double> us(ow);
  for (int64_t j = 0; j < ow; j++) us[j] = coord(j, ow);
  const bool affineOnly = H[6] == 0 && H[7] == 0 && H[8] == 1;
  for (int64_t i = 0; i < oh; i++) {
    const double v = coord(i, oh);
    const double bx = H[1] * v + H[2], by = H[4] * v + H[5], bz = H[7] * v + H[8];
    for (int64_t j = 0; j < ow; j++) {
      const double u = us[j];
      float gx, gy;
      if (affineOnly) {
        gx = static_cast<float>(H[0] * u + bx);
        gy = static_cast<float>(H[3] * u + by);
      } else {
        const double z = H[6] * u + bz;
        gx = static_cast<float>((H[0] * u + bx) / z);
        gy = static_cast<float>((H[3] * u + by) / z);
      }
      // x, y are in [0, size − 1]: the floor is the integer part. A neighbour past the last pixel
      // has weight 0 there (x = size − 1 exactly), so reading the last pixel instead adds 0, as
      // aten's zero for an out-of-bounds tap does.
      const float x = ax(gx), y = ay(gy);
      const int64_t x0 = static_cast<int64_t>(x), y0 = static_cast<int64_t>(y);
      const int64_t x1 = x0 + 1 < w ? x0 + 1 : x0, y1 = y0 + 1 < h ? y0 + 1 : y0;
      const float we = x - static_cast<float>(x0), ea = 1.0f - we, no = y - static_cast<float>(y0), so = 1.0f - no;
      const float nw = so * ea, ne = so * we, sw = no * ea, se = no * we;
      const uint8_t* pnw = src + (y0 * w + x0) * 3;
      const uint8_t* pne = src + (y0 * w + x1) * 3;
      const uint8_t* psw = src + (y1 * w + x0) * 3;
      const uint8_t* pse = src + (y1 * w + x1) * 3;
      r0[j] = nw * byte[pnw[0]] + ne * byte[pne[0]] + sw * byte[psw[0]] + se * byte[pse[0]];
      r1[j] = nw * byte[pnw[1]] + ne * byte[pne[1]] + sw * byte[psw[1]] + se * byte[pse[1]];
      r2[j] = nw * byte[pnw[2]] + ne * byte[pne[2]] + sw * byte[psw[2]] + se * byte[pse[2]];
    }
    dst.putRow(i, ow, r0);
  }
}

}  // namespace aug

bool typedArray(napi_env env, napi_value v, napi_typedarray_type want, void** data, size_t* length) {
  bool is = false;
  if (napi_is_typedarray(env, v, &is) != napi_ok || !is) return false;
  napi_typedarray_type type;
  napi_value ab;
  size_t offset;
  napi_get_typedarray_info(env, v, &type, length, data, &ab, &offset);
  return type == want;
}

int64_t intArg(napi_env env, napi_value v) {
  int64_t x = -1;
  napi_get_value_int64(env, v, &x);
  return x;
}

bool isNull(napi_env env, napi_value v) {
  napi_valuetype t;
  napi_typeof(env, v, &t);
  return t == napi_null || t == napi_undefined;
}

// An optional Float64Array of `n` values: false when it is neither null nor that; `*out` stays null for null.
bool optionalDoubles(napi_env env, napi_value v, size_t n, const double** out) {
  *out = nullptr;
  if (isNull(env, v)) return true;
  void* d;
  size_t len;
  if (!typedArray(env, v, napi_float64_array, &d, &len) || len != n) return false;
  *out = static_cast<const double*>(d);
  return true;
}

napi_value AugmentBatch(napi_env env, napi_callback_info info) {
  size_t argc = 12;
  napi_value a[12];
  napi_get_cb_info(env, info, &argc, a, nullptr, nullptr);
  if (argc < 12) return throwError(env, "augmentBatch takes 12 arguments");
  void *src, *out;
  size_t srcLen, outLen;
  if (!typedArray(env, a[0], napi_uint8_array, &src, &srcLen)) return throwError(env, "augmentBatch: src must be a Uint8Array");
  const int64_t k = intArg(env, a[1]), h = intArg(env, a[2]), w = intArg(env, a[3]);
  if (!typedArray(env, a[4], napi_float32_array, &out, &outLen)) return throwError(env, "augmentBatch: out must be a Float32Array");
  const int64_t oh = intArg(env, a[5]), ow = intArg(env, a[6]);
  if (k < 0 || h < 1 || w < 1 || oh < 1 || ow < 1 || srcLen != static_cast<size_t>(k * h * w * 3) || outLen != static_cast<size_t>(k * 3 * oh * ow))
    return throwError(env, "augmentBatch: the sizes do not match the arrays");
  const double *mats, *lighting;
  if (!optionalDoubles(env, a[7], static_cast<size_t>(k * 9), &mats)) return throwError(env, "augmentBatch: mats must be a Float64Array of k·9");
  if (mats == nullptr && (oh != h || ow != w)) return throwError(env, "augmentBatch: a change of size needs mats");
  bool alignCorners = true;
  napi_get_value_bool(env, a[8], &alignCorners);
  if (!optionalDoubles(env, a[9], static_cast<size_t>(k * 2), &lighting)) return throwError(env, "augmentBatch: lighting must be a Float64Array of k·2");
  float mean[3], stdv[3];
  bool normalize = false;
  if (!isNull(env, a[10])) {
    void *m, *s;
    size_t nm, ns;
    if (!typedArray(env, a[10], napi_float64_array, &m, &nm) || nm != 3 || !typedArray(env, a[11], napi_float64_array, &s, &ns) || ns != 3)
      return throwError(env, "augmentBatch: mean and std must be Float64Arrays of 3");
    for (int c = 0; c < 3; c++) {
      mean[c] = static_cast<float>(static_cast<double*>(m)[c]);
      stdv[c] = static_cast<float>(static_cast<double*>(s)[c]);
    }
    normalize = true;
  }
  aug::Lighting light;
  for (int64_t i = 0; i < k; i++) {
    light.set(lighting != nullptr ? lighting[i * 2] : 0.0, lighting != nullptr ? lighting[i * 2 + 1] : 1.0);
    const aug::Output dst{static_cast<float*>(out) + i * 3 * oh * ow, oh * ow, light, normalize ? mean : nullptr, stdv};
    aug::image(static_cast<const uint8_t*>(src) + i * h * w * 3, h, w, oh, ow, mats != nullptr ? mats + i * 9 : nullptr, alignCorners, dst);
  }
  return nullptr;
}

// ---------------------------------------------------------------------------------------------
// resizeRgb(src, w, h, left, top, cw, ch, ow, oh): ArrayBuffer
//
// Crops the cw×ch box at (left, top) out of an RGB image and resizes it to ow×oh the way PIL's
// Image.resize(BILINEAR) does after Image.crop (fastai's Resize): a triangle filter widened by the
// shrink factor (antialiased), coefficients normalised and rounded to 22-bit fixed point, a
// horizontal pass over the rows the vertical pass needs, rounded to bytes, then the vertical pass.
namespace resample {

constexpr int kBits = 22;

struct Coefficients {
  int ksize = 0;
  std::vector<int> first, count;
  std::vector<int32_t> k;
};

Coefficients compute(int inSize, int outSize) {
  Coefficients c;
  const double scale = static_cast<double>(inSize) / outSize;
  const double filterScale = scale < 1.0 ? 1.0 : scale;
  const double support = filterScale;  // the triangle's support, 1, widened
  c.ksize = static_cast<int>(std::ceil(support)) * 2 + 1;
  c.first.resize(outSize);
  c.count.resize(outSize);
  c.k.assign(static_cast<size_t>(outSize) * c.ksize, 0);
  std::vector<double> w(c.ksize);
  for (int o = 0; o < outSize; o++) {
    const double center = (o + 0.5) * scale;
    int lo = static_cast<int>(center - support + 0.5);
    if (lo < 0) lo = 0;
    int hi = static_cast<int>(center + support + 0.5);
    if (hi > inSize) hi = inSize;
    const int n = hi - lo;
    double sum = 0;
    for (int i = 0; i < n; i++) {
      const double t = std::fabs((i + lo - center + 0.5) / filterScale);
      w[i] = t < 1.0 ? 1.0 - t : 0.0;
      sum += w[i];
    }
    for (int i = 0; i < n; i++) {
      const double v = sum != 0.0 ? w[i] / sum : w[i];
      c.k[static_cast<size_t>(o) * c.ksize + i] = static_cast<int32_t>(v < 0 ? -0.5 + v * (1 << kBits) : 0.5 + v * (1 << kBits));
    }
    c.first[o] = lo;
    c.count[o] = n;
  }
  return c;
}

inline uint8_t clip8(int32_t acc) {
  const int32_t v = acc >> kBits;
  return static_cast<uint8_t>(v < 0 ? 0 : (v > 255 ? 255 : v));
}

// src: rows of `stride` bytes; reads columns [0, inW) of rows [0, rows).
void horizontal(const uint8_t* src, size_t stride, int rows, int inW, uint8_t* dst, int outW) {
  const Coefficients c = compute(inW, outW);
  for (int y = 0; y < rows; y++) {
    const uint8_t* row = src + y * stride;
    uint8_t* out = dst + static_cast<size_t>(y) * outW * 3;
    for (int o = 0; o < outW; o++) {
      const int32_t* k = &c.k[static_cast<size_t>(o) * c.ksize];
      const uint8_t* p = row + c.first[o] * 3;
      int32_t r = 1 << (kBits - 1), g = r, b = r;
      for (int i = 0; i < c.count[o]; i++) {
        r += p[i * 3] * k[i];
        g += p[i * 3 + 1] * k[i];
        b += p[i * 3 + 2] * k[i];
      }
      out[o * 3] = clip8(r);
      out[o * 3 + 1] = clip8(g);
      out[o * 3 + 2] = clip8(b);
    }
  }
}

void vertical(const uint8_t* src, size_t stride, const Coefficients& c, int shift, int width, uint8_t* dst, int outH) {
  const size_t n = static_cast<size_t>(width) * 3;
  std::vector<int32_t> acc(n);
  for (int o = 0; o < outH; o++) {
    const int32_t* k = &c.k[static_cast<size_t>(o) * c.ksize];
    std::fill(acc.begin(), acc.end(), 1 << (kBits - 1));
    for (int i = 0; i < c.count[o]; i++) {
      const uint8_t* row = src + (c.first[o] - shift + i) * stride;
      const int32_t ki = k[i];
      for (size_t x = 0; x < n; x++) acc[x] += row[x] * ki;
    }
    uint8_t* out = dst + o * n;
    for (size_t x = 0; x < n; x++) out[x] = clip8(acc[x]);
  }
}

}  // namespace resample

napi_value ResizeRgb(napi_env env, napi_callback_info info) {
  size_t argc = 9;
  napi_value a[9];
  napi_get_cb_info(env, info, &argc, a, nullptr, nullptr);
  void* data;
  size_t length;
  if (argc < 9 || !typedArray(env, a[0], napi_uint8_array, &data, &length)) return throwError(env, "resizeRgb takes a Uint8Array and 8 sizes");
  int64_t v[8];
  for (int i = 0; i < 8; i++) v[i] = intArg(env, a[i + 1]);
  const int64_t w = v[0], h = v[1], left = v[2], top = v[3], cw = v[4], ch = v[5], ow = v[6], oh = v[7];
  if (w < 1 || h < 1 || cw < 1 || ch < 1 || ow < 1 || oh < 1 || left < 0 || top < 0 || left + cw > w || top + ch > h ||
      length != static_cast<size_t>(w * h * 3) || ow > 65535 || oh > 65535)
    return throwError(env, "resizeRgb: the box or the sizes do not fit the image");
  const size_t stride = static_cast<size_t>(w) * 3;
  const uint8_t* crop = static_cast<const uint8_t*>(data) + top * stride + left * 3;
  void* outData;
  napi_value out;
  if (napi_create_arraybuffer(env, static_cast<size_t>(ow * oh * 3), &outData, &out) != napi_ok) return nullptr;
  auto* dst = static_cast<uint8_t*>(outData);
  const resample::Coefficients cv = resample::compute(static_cast<int>(ch), static_cast<int>(oh));
  if (ow != cw) {
    // the horizontal pass, over the rows the vertical pass reads
    const int firstRow = cv.first[0], lastRow = cv.first[oh - 1] + cv.count[oh - 1];
    if (oh == ch) {
      resample::horizontal(crop, stride, static_cast<int>(ch), static_cast<int>(cw), dst, static_cast<int>(ow));
    } else {
      std::vector<uint8_t> tmp(static_cast<size_t>(lastRow - firstRow) * ow * 3);
      resample::horizontal(crop + firstRow * stride, stride, lastRow - firstRow, static_cast<int>(cw), tmp.data(), static_cast<int>(ow));
      resample::vertical(tmp.data(), static_cast<size_t>(ow) * 3, cv, firstRow, static_cast<int>(ow), dst, static_cast<int>(oh));
    }
  } else if (oh != ch) {
    resample::vertical(crop, stride, cv, 0, static_cast<int>(cw), dst, static_cast<int>(oh));
  } else {
    for (int64_t y = 0; y < ch; y++) std::memcpy(dst + y * cw * 3, crop + y * stride, static_cast<size_t>(cw) * 3);
  }
  return out;
}

napi_value Init(napi_env env, napi_value exports) {
  napi_value fn;
  napi_create_function(env, "decodeJpeg", NAPI_AUTO_LENGTH, DecodeJpeg, nullptr, &fn);
  napi_set_named_property(env, exports, "decodeJpeg", fn);
  napi_create_function(env, "augmentBatch", NAPI_AUTO_LENGTH, AugmentBatch, nullptr, &fn);
  napi_set_named_property(env, exports, "augmentBatch", fn);
  napi_create_function(env, "resizeRgb", NAPI_AUTO_LENGTH, ResizeRgb, nullptr, &fn);
  napi_set_named_property(env, exports, "resizeRgb", fn);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
