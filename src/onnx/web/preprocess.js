// owlet's validation transform, in the browser: what `learn.predict` does to an image before the
// model sees it (src/data/image.ts, item-transforms.ts, native/image.cc's resizeRgb, affine.ts,
// normalize.ts), on the page's own decoding of the image.
//
// 1. The image is decoded by the browser (EXIF orientation applied, as owlet does) to 8-bit RGB.
// 2. The item transform's validation window: Resize's centre crop ('crop'), the whole image
//    ('squish'), or the centred window padded by reflection, border or zeros ('pad');
//    RandomResizedCrop's whole image resized larger by valXtra, then centre-cropped.
// 3. The window resized with PIL's Image.resize(BILINEAR) arithmetic, byte for byte as owlet's:
//    a triangle filter widened by the shrink factor, 22-bit fixed-point coefficients, the
//    horizontal pass rounded to bytes, then the vertical pass.
// 4. Bytes to [0, 1] floats; the batch resize (a bilinear resample of the whole image, as
//    grid_sample with an identity grid) when the pipeline records one of another size.
// 5. (x - mean) / std per channel.
//
// Where the page can differ from owlet: the browser's JPEG decoder is not owlet's (libjpeg-turbo
// with libjpeg's defaults), so a JPEG's pixels may differ by a level or so; the browser keeps an
// image's colour profile as it is (owlet converts ICC profiles to sRGB); a canvas premultiplies
// alpha, so the colour of (semi-)transparent pixels is not PIL's; the batch resize supports
// bilinear sampling only (nearest and bicubic are refused with a message).

const KBITS = 22;

/** An image (a Blob or File) as { data: Uint8Array RGB, width, height }. */
export async function decodeToRgb(blob) {
  const bmp = await createImageBitmap(blob, { colorSpaceConversion: 'none', premultiplyAlpha: 'none', imageOrientation: 'from-image' });
  const { width, height } = bmp;
  const canvas = typeof OffscreenCanvas !== 'undefined' ? new OffscreenCanvas(width, height) : Object.assign(document.createElement('canvas'), { width, height });
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  ctx.drawImage(bmp, 0, 0);
  bmp.close();
  const rgba = ctx.getImageData(0, 0, width, height).data;
  const data = new Uint8Array(width * height * 3);
  for (let i = 0, j = 0; i < rgba.length; i += 4, j += 3) {
    data[j] = rgba[i];
    data[j + 1] = rgba[i + 1];
    data[j + 2] = rgba[i + 2];
  }
  return { data, width, height };
}

/** Resize's window of a w×h image for validation (fastai's arithmetic; Python's int() truncates). */
function resizeBox(t, w, h) {
  const [th, tw] = t.size;
  if (t.method === 'squish') return { left: 0, top: 0, width: w, height: h };
  const rw = w / tw;
  const rh = h / th;
  const m = t.method === 'pad' ? (rw > rh ? rw : rh) : rw < rh ? rw : rh;
  const cw = Math.trunc(m * tw);
  const ch = Math.trunc(m * th);
  return { left: Math.trunc(0.5 * (w - cw)), top: Math.trunc(0.5 * (h - ch)), width: cw, height: ch };
}

function reflectIndex(i, n) {
  if (n === 1) return 0;
  const period = 2 * (n - 1);
  let k = ((i % period) + period) % period;
  if (k >= n) k = period - k;
  return k;
}

/** The box (which may reach outside the image) as its own image, the outside filled by `mode`. */
function padRgb(src, box, mode) {
  const { width: sw, height: sh } = src;
  const { width: w, height: h } = box;
  const x0 = -box.left;
  const y0 = -box.top;
  const out = new Uint8Array(w * h * 3);
  const map = (i, n) => (mode === 'reflection' ? reflectIndex(i, n) : Math.min(n - 1, Math.max(0, i)));
  for (let y = 0; y < h; y++) {
    const sy = y - y0;
    if (mode === 'zeros' && (sy < 0 || sy >= sh)) continue;
    const srow = map(sy, sh) * sw * 3;
    for (let x = 0; x < w; x++) {
      const sx = x - x0;
      if (mode === 'zeros' && (sx < 0 || sx >= sw)) continue;
      const s = srow + map(sx, sw) * 3;
      const o = (y * w + x) * 3;
      out[o] = src.data[s];
      out[o + 1] = src.data[s + 1];
      out[o + 2] = src.data[s + 2];
    }
  }
  return { data: out, width: w, height: h };
}

/** PIL's bilinear coefficients from inSize to outSize (native/image.cc, resample::compute). */
function coefficients(inSize, outSize) {
  const scale = inSize / outSize;
  const filterScale = scale < 1 ? 1 : scale;
  const support = filterScale;
  const ksize = Math.ceil(support) * 2 + 1;
  const first = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const k = new Float64Array(outSize * ksize);
  const w = new Float64Array(ksize);
  for (let o = 0; o < outSize; o++) {
    const center = (o + 0.5) * scale;
    let lo = Math.trunc(center - support + 0.5);
    if (lo < 0) lo = 0;
    let hi = Math.trunc(center + support + 0.5);
    if (hi > inSize) hi = inSize;
    const n = hi - lo;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const t = Math.abs((i + lo - center + 0.5) / filterScale);
      w[i] = t < 1 ? 1 - t : 0;
      sum += w[i];
    }
    for (let i = 0; i < n; i++) {
      const v = sum !== 0 ? w[i] / sum : w[i];
      k[o * ksize + i] = Math.trunc(v < 0 ? -0.5 + v * (1 << KBITS) : 0.5 + v * (1 << KBITS));
    }
    first[o] = lo;
    count[o] = n;
  }
  return { ksize, first, count, k };
}

const clip8 = (acc) => {
  const v = Math.floor(acc / (1 << KBITS));
  return v < 0 ? 0 : v > 255 ? 255 : v;
};

/** The box of an RGB image resized to ow×oh as PIL's Image.resize(BILINEAR) does after a crop. */
export function resizeRgb(src, box, ow, oh) {
  const stride = src.width * 3;
  const base = box.top * stride + box.left * 3;
  const { width: cw, height: ch } = box;
  const out = new Uint8Array(ow * oh * 3);
  const cv = coefficients(ch, oh);
  const horizontal = (rowStart, rows, dst) => {
    const c = coefficients(cw, ow);
    for (let y = 0; y < rows; y++) {
      const row = base + (rowStart + y) * stride;
      for (let o = 0; o < ow; o++) {
        const k0 = o * c.ksize;
        const p = row + c.first[o] * 3;
        let r = 1 << (KBITS - 1), g = r, b = r;
        for (let i = 0; i < c.count[o]; i++) {
          const ki = c.k[k0 + i];
          r += src.data[p + i * 3] * ki;
          g += src.data[p + i * 3 + 1] * ki;
          b += src.data[p + i * 3 + 2] * ki;
        }
        const d = (y * ow + o) * 3;
        dst[d] = clip8(r);
        dst[d + 1] = clip8(g);
        dst[d + 2] = clip8(b);
      }
    }
  };
  const vertical = (data, offset, rowStride, shift, width) => {
    const n = width * 3;
    const acc = new Float64Array(n);
    for (let o = 0; o < oh; o++) {
      acc.fill(1 << (KBITS - 1));
      for (let i = 0; i < cv.count[o]; i++) {
        const row = offset + (cv.first[o] - shift + i) * rowStride;
        const ki = cv.k[o * cv.ksize + i];
        for (let x = 0; x < n; x++) acc[x] += data[row + x] * ki;
      }
      for (let x = 0; x < n; x++) out[o * n + x] = clip8(acc[x]);
    }
  };
  if (ow !== cw) {
    if (oh === ch) horizontal(0, ch, out);
    else {
      const firstRow = cv.first[0];
      const lastRow = cv.first[oh - 1] + cv.count[oh - 1];
      const tmp = new Uint8Array((lastRow - firstRow) * ow * 3);
      horizontal(firstRow, lastRow - firstRow, tmp);
      vertical(tmp, 0, ow * 3, firstRow, ow);
    }
  } else if (oh !== ch) {
    vertical(src.data, base, stride, 0, cw);
  } else {
    for (let y = 0; y < ch; y++) out.set(src.data.subarray(base + y * stride, base + y * stride + cw * 3), y * cw * 3);
  }
  return { data: out, width: ow, height: oh };
}

/** The item transform's validation output (8-bit RGB), from the pipeline an export records. */
export function itemTransform(img, pipeline) {
  const t = pipeline.itemTfm ?? (pipeline.size ? { kind: 'resize', size: pipeline.size, method: pipeline.resizeMethod ?? 'crop', padMode: 'reflection' } : null);
  if (t === null) return img;
  if (t.kind === 'resize') {
    const box = resizeBox(t, img.width, img.height);
    const inside = box.left >= 0 && box.top >= 0 && box.left + box.width <= img.width && box.top + box.height <= img.height;
    const region = inside ? img : padRgb(img, box, t.padMode ?? 'reflection');
    const at = inside ? box : { left: 0, top: 0, width: box.width, height: box.height };
    return resizeRgb(region, at, t.size[1], t.size[0]);
  }
  if (t.kind === 'randomResizedCrop') {
    const [th, tw] = t.size;
    const xtra = Math.ceil((Math.max(th, tw) * t.valXtra) / 8) * 8;
    const big = resizeRgb(img, { left: 0, top: 0, width: img.width, height: img.height }, tw + xtra, th + xtra);
    const left = Math.floor(xtra / 2);
    const top = Math.floor(xtra / 2);
    return resizeRgb(big, { left, top, width: tw, height: th }, tw, th);
  }
  throw new Error(`this page does not know the item transform '${t.kind}'`);
}

/** Bilinear resample of planar [3, h, w] floats to [3, oh, ow] (grid_sample with an identity grid). */
function resampleBilinear(x, h, w, oh, ow, alignCorners, padMode) {
  const out = new Float32Array(3 * oh * ow);
  const src = (o, n, on) => (alignCorners ? (on === 1 ? 0 : (o * (n - 1)) / (on - 1)) : ((o + 0.5) * n) / on - 0.5);
  for (let oy = 0; oy < oh; oy++) {
    let sy = src(oy, h, oh);
    if (padMode !== 'zeros') sy = Math.min(h - 1, Math.max(0, sy));
    const y0 = Math.floor(sy);
    const fy = sy - y0;
    for (let ox = 0; ox < ow; ox++) {
      let sx = src(ox, w, ow);
      if (padMode !== 'zeros') sx = Math.min(w - 1, Math.max(0, sx));
      const x0 = Math.floor(sx);
      const fx = sx - x0;
      for (let c = 0; c < 3; c++) {
        const at = (yy, xx) => (yy < 0 || yy >= h || xx < 0 || xx >= w ? 0 : x[c * h * w + yy * w + xx]);
        const v = (1 - fy) * ((1 - fx) * at(y0, x0) + fx * at(y0, x0 + 1)) + fy * ((1 - fx) * at(y0 + 1, x0) + fx * at(y0 + 1, x0 + 1));
        out[c * oh * ow + oy * ow + ox] = v;
      }
    }
  }
  return out;
}

/** One image's model input: Float32Array [3, h, w] and its size, from a decoded RGB image. */
export function toInput(img, pipeline) {
  const r = itemTransform(img, pipeline);
  let { width: w, height: h } = r;
  let x = new Float32Array(3 * h * w);
  for (let i = 0; i < h * w; i++) for (let c = 0; c < 3; c++) x[c * h * w + i] = r.data[i * 3 + c] / 255;
  const br = pipeline.batchResize;
  if (br && (br.size[0] !== h || br.size[1] !== w)) {
    if (br.mode !== 'bilinear') throw new Error(`this page resamples bilinearly only; the model's batch resize is '${br.mode}'`);
    x = resampleBilinear(x, h, w, br.size[0], br.size[1], br.alignCorners, br.padMode);
    [h, w] = br.size;
  }
  if (pipeline.mean && pipeline.std) {
    for (let c = 0; c < 3; c++) {
      const m = pipeline.mean[c];
      const s = pipeline.std[c];
      for (let i = c * h * w; i < (c + 1) * h * w; i++) x[i] = (x[i] - m) / s;
    }
  }
  return { data: x, height: h, width: w };
}
