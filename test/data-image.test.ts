// Decoding images with sharp (JPEG, PNG, WebP, GIF, TIFF, BMP; grayscale, alpha, 16 bits, EXIF
// orientation), corrupt files, and the item transforms Resize (crop / squish / pad) and
// RandomResizedCrop with fastai's arithmetic.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import sharp from 'sharp';
import {
  decodeImage, loadImage, imageSize, ImageDecodeError, Resize, RandomResizedCrop, resizeBox, randomResizedCropBox,
  padRgb, decodeBmp, imageToTensor, imagenetStats, verifyImages,
} from '../src/data/index.js';
import { readHeader } from '../src/data/header.js';
import { pythonWithTorch } from './helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'owlet-data-image-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

/** A w×h RGB test pattern: R = 4x, G = 8y, B = 100. */
function pattern(w: number, h: number): Buffer {
  const b = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) b.set([(4 * x) & 255, (8 * y) & 255, 100], (y * w + x) * 3);
  return b;
}
const raw = (data: Buffer, w: number, h: number, channels: 1 | 2 | 3 | 4 = 3) => sharp(data, { raw: { width: w, height: h, channels } });
const px = (im: { data: Uint8Array; width: number }, x: number, y: number) => Array.from(im.data.subarray((y * im.width + x) * 3, (y * im.width + x) * 3 + 3));
const close = (a: number[], b: number[], tol: number, what: string) => a.forEach((v, i) => assert.ok(Math.abs(v - b[i]!) <= tol, `${what}: ${a} vs ${b}`));

test('lossless formats decode exactly to RGB: PNG, WebP, TIFF, GIF', async () => {
  const src = pattern(16, 8);
  const files = {
    png: await raw(src, 16, 8).png().toBuffer(),
    webp: await raw(src, 16, 8).webp({ lossless: true }).toBuffer(),
    tiff: await raw(src, 16, 8).tiff({ compression: 'lzw' }).toBuffer(),
  };
  for (const [ext, buf] of Object.entries(files)) {
    const f = join(tmp, `p.${ext}`);
    writeFileSync(f, buf);
    const im = await decodeImage(f);
    assert.equal(im.width, 16, ext);
    assert.equal(im.height, 8, ext);
    assert.deepEqual(Buffer.from(im.data), src, ext);
  }
  // GIF: a palette of a few colours survives exactly
  const solid = Buffer.alloc(8 * 4 * 3);
  for (let i = 0; i < 32; i++) solid.set(i % 8 < 4 ? [255, 0, 0] : [0, 0, 255], i * 3);
  const gif = join(tmp, 'p.gif');
  writeFileSync(gif, await raw(solid, 8, 4).gif().toBuffer());
  const g = await decodeImage(gif);
  assert.deepEqual([g.width, g.height], [8, 4]);
  close(px(g, 0, 0), [255, 0, 0], 2, 'gif left');
  close(px(g, 7, 3), [0, 0, 255], 2, 'gif right');
});

test('JPEG decodes to RGB close to its source', async () => {
  const src = Buffer.alloc(32 * 16 * 3);
  for (let i = 0; i < 32 * 16; i++) src.set([200, 30, 60], i * 3);
  const f = join(tmp, 'solid.jpg');
  writeFileSync(f, await raw(src, 32, 16).jpeg({ quality: 95 }).toBuffer());
  const im = await decodeImage(f);
  assert.deepEqual([im.width, im.height, im.data.length], [32, 16, 32 * 16 * 3]);
  close(px(im, 10, 10), [200, 30, 60], 4, 'jpeg');
  // .jpeg and upper-case extensions are the same format
  writeFileSync(join(tmp, 'solid.JPEG'), await raw(src, 32, 16).jpeg().toBuffer());
  assert.equal((await decodeImage(join(tmp, 'solid.JPEG'))).width, 32);
});

test('grayscale becomes three equal channels; gray+alpha and RGBA lose alpha as PIL convert("RGB"); 16-bit becomes 8-bit', async () => {
  const gray = Buffer.from(Array.from({ length: 12 }, (_, i) => i * 20));
  const gf = join(tmp, 'gray.png');
  await raw(gray, 4, 3, 1).toColourspace('b-w').png().toFile(gf);
  assert.equal((await sharp(gf).metadata()).channels, 1, 'the test file is one-channel');
  const g = await decodeImage(gf);
  for (let i = 0; i < 12; i++) assert.deepEqual(Array.from(g.data.subarray(i * 3, i * 3 + 3)), [i * 20, i * 20, i * 20]);
  const gjf = join(tmp, 'gray.jpg');
  await raw(Buffer.alloc(64, 77), 8, 8, 1).toColourspace('b-w').jpeg().toFile(gjf);
  close(px(await decodeImage(gjf), 3, 3), [77, 77, 77], 2, 'gray jpeg');

  const ga = Buffer.alloc(4 * 3 * 2);
  for (let i = 0; i < 12; i++) ga.set([50 + i, i % 2 ? 0 : 255], i * 2);
  const gaf = join(tmp, 'graya.png');
  await raw(ga, 4, 3, 2).toColourspace('b-w').png().toFile(gaf);
  const meta = await sharp(gaf).metadata();
  assert.equal(meta.channels, 2, 'the test file is gray + alpha');
  const gad = await decodeImage(gaf);
  for (let i = 0; i < 12; i++) assert.deepEqual(Array.from(gad.data.subarray(i * 3, i * 3 + 3)), [50 + i, 50 + i, 50 + i]);

  const rgba = Buffer.alloc(2 * 2 * 4);
  rgba.set([10, 200, 30, 0, 40, 50, 60, 128, 70, 80, 90, 255, 1, 2, 3, 255]);
  const af = join(tmp, 'rgba.png');
  await raw(rgba, 2, 2, 4).png().toFile(af);
  const a = await decodeImage(af);
  assert.deepEqual(Array.from(a.data), [10, 200, 30, 40, 50, 60, 70, 80, 90, 1, 2, 3]);
  // alpha image through a resize: alpha is dropped first, nothing is premultiplied
  const big = Buffer.alloc(8 * 8 * 4);
  for (let i = 0; i < 64; i++) big.set([120, 60, 30, i % 2 ? 0 : 255], i * 4);
  const bf = join(tmp, 'rgba-big.png');
  await raw(big, 8, 8, 4).png().toFile(bf);
  close(px(await loadImage(bf, Resize(4, { method: 'squish' })), 1, 1), [120, 60, 30], 1, 'rgba resized');

  const f16 = join(tmp, 'sixteen.png');
  await raw(pattern(4, 4), 4, 4).toColourspace('rgb16').png().toFile(f16);
  assert.equal((await sharp(f16).metadata()).depth, 'ushort');
  assert.deepEqual(Buffer.from((await decodeImage(f16)).data), pattern(4, 4));
});

test('EXIF orientation is applied (sharp autoOrient), for sizes and pixels', async () => {
  // 32 wide, 16 tall: left half red, right half blue; orientation 6 = rotate 90° clockwise to display
  const src = Buffer.alloc(32 * 16 * 3);
  for (let y = 0; y < 16; y++) for (let x = 0; x < 32; x++) src.set(x < 16 ? [255, 0, 0] : [0, 0, 255], (y * 32 + x) * 3);
  const f = join(tmp, 'exif6.jpg');
  await raw(src, 32, 16).jpeg({ quality: 95 }).withMetadata({ orientation: 6 }).toFile(f);
  assert.equal((await sharp(f).metadata()).orientation, 6);
  assert.deepEqual(await imageSize(f), { width: 16, height: 32 });
  const im = await decodeImage(f);
  assert.deepEqual([im.width, im.height], [16, 32]);
  close(px(im, 8, 4), [255, 0, 0], 12, 'top (was left) is red');
  close(px(im, 8, 28), [0, 0, 255], 12, 'bottom (was right) is blue');
  // and through Resize: the crop is taken from the upright image
  const r = await loadImage(f, Resize([32, 16]));
  assert.deepEqual([r.width, r.height], [16, 32]);
  close(px(r, 8, 2), [255, 0, 0], 12, 'resized top');
});

function bmp24(w: number, h: number, rgb: Buffer, topDown = false): Buffer {
  const row = Math.ceil((w * 3) / 4) * 4;
  const buf = Buffer.alloc(54 + row * h);
  buf.write('BM', 0, 'latin1');
  buf.writeUInt32LE(buf.length, 2);
  buf.writeUInt32LE(54, 10);
  buf.writeUInt32LE(40, 14);
  buf.writeInt32LE(w, 18);
  buf.writeInt32LE(topDown ? -h : h, 22);
  buf.writeUInt16LE(1, 26);
  buf.writeUInt16LE(24, 28);
  for (let y = 0; y < h; y++) {
    const at = 54 + (topDown ? y : h - 1 - y) * row;
    for (let x = 0; x < w; x++) {
      const s = (y * w + x) * 3;
      buf.set([rgb[s + 2]!, rgb[s + 1]!, rgb[s]!], at + x * 3);
    }
  }
  return buf;
}

test('BMP (which libvips lacks): 24-bit bottom-up and top-down, 8-bit palette; RLE refused', async () => {
  const src = pattern(5, 3);
  for (const topDown of [false, true]) {
    const f = join(tmp, `p${topDown ? 'td' : ''}.bmp`);
    writeFileSync(f, bmp24(5, 3, src, topDown));
    const im = await decodeImage(f);
    assert.deepEqual([im.width, im.height], [5, 3]);
    assert.deepEqual(Buffer.from(im.data), src);
  }
  // 8-bit palette, 3x2, indices 0..5
  const pal = Buffer.alloc(54 + 256 * 4 + 4 * 2);
  pal.write('BM', 0, 'latin1');
  pal.writeUInt32LE(54 + 1024, 10);
  pal.writeUInt32LE(40, 14);
  pal.writeInt32LE(3, 18);
  pal.writeInt32LE(2, 22);
  pal.writeUInt16LE(1, 26);
  pal.writeUInt16LE(8, 28);
  for (let i = 0; i < 256; i++) pal.set([i, 255 - i, (i * 7) & 255, 0], 54 + i * 4); // B, G, R
  pal.set([3, 4, 5], 54 + 1024); // bottom row
  pal.set([0, 1, 2], 54 + 1024 + 4); // top row
  const im = decodeBmp(pal);
  assert.deepEqual(Array.from(im.data.subarray(0, 3)), [0, 255, 0]);
  assert.deepEqual(Array.from(im.data.subarray(15, 18)), [35, 250, 5]);
  const rle = Buffer.from(pal);
  rle.writeUInt32LE(1, 30);
  assert.throws(() => decodeBmp(rle), /RLE/);
});

test('corrupt, truncated, empty, missing and non-image files: an ImageDecodeError naming the file', async () => {
  const good = await raw(pattern(64, 48), 64, 48).jpeg().toBuffer();
  const cases: [string, Buffer | null, RegExp][] = [
    ['garbage.jpg', Buffer.from('this is not a picture at all'), /not an image/],
    ['truncated.jpg', good.subarray(0, Math.floor(good.length / 2)), /premature|truncat|end/i],
    ['empty.png', Buffer.alloc(0), /empty/],
    ['text.png', Buffer.from('PNG? no.\n'), /not an image/],
    ['missing.jpg', null, /no such file/],
  ];
  for (const [name, data, why] of cases) {
    const f = join(tmp, name);
    if (data) writeFileSync(f, data);
    await assert.rejects(loadImage(f, Resize(32)), (e: unknown) => {
      assert.ok(e instanceof ImageDecodeError, `${name}: ${e}`);
      assert.equal(e.file, f);
      assert.ok(e.message.includes(f), e.message);
      assert.match(e.reason, why, `${name}: ${e.reason}`);
      return true;
    });
  }
  const bad = await verifyImages([join(tmp, 'garbage.jpg'), join(tmp, 'p.png'), join(tmp, 'truncated.jpg')]);
  assert.deepEqual(bad.map((b) => b.file), [join(tmp, 'garbage.jpg'), join(tmp, 'truncated.jpg')]);
});

test("resizeBox: fastai's Resize arithmetic (int() truncation) for crop and pad", () => {
  // a 500x375 photo to 224: crop takes a 375x375 window; pad a 500x500 one
  assert.deepEqual(resizeBox(Resize(224), 500, 375, [0.5, 0.5]), { left: 62, top: 0, width: 375, height: 375 });
  assert.deepEqual(resizeBox(Resize(224), 500, 375, [0, 0.9]), { left: 0, top: 0, width: 375, height: 375 });
  assert.deepEqual(resizeBox(Resize(224), 500, 375, [0.999, 0.5]), { left: 124, top: 0, width: 375, height: 375 });
  assert.deepEqual(resizeBox(Resize(224, { method: 'pad' }), 500, 375, [0.5, 0.5]), { left: 0, top: -62, width: 500, height: 500 });
  assert.deepEqual(resizeBox(Resize([100, 200]), 300, 300, [0.5, 0.5]), { left: 0, top: 75, width: 300, height: 150 });
  assert.deepEqual(resizeBox(Resize(64, { method: 'squish' }), 300, 100, [0.1, 0.1]), { left: 0, top: 0, width: 300, height: 100 });
  assert.throws(() => Resize(0), /positive integer/);
  assert.throws(() => Resize(10, { method: 'stretch' as 'crop' }), /method/);
});

test('Resize crop: centre for validation, random position in training, exact pixels when no scaling', async () => {
  const f = join(tmp, 'wide.png');
  await raw(pattern(60, 30), 60, 30).png().toFile(f); // R = 4x, G = 8y
  const v = await loadImage(f, Resize(30));
  assert.deepEqual([v.width, v.height], [30, 30]);
  assert.deepEqual(px(v, 0, 0), [60, 0, 100]); // left = int(0.5 * 30) = 15
  assert.deepEqual(px(v, 29, 29), [176, 232, 100]);
  const left0 = await loadImage(f, Resize(30), [0, 0.7]);
  assert.deepEqual(px(left0, 0, 0), [0, 0, 100]);
  const right = await loadImage(f, Resize(30), [0.999, 0.2]);
  assert.deepEqual(px(right, 0, 0), [116, 0, 100]); // left = int(0.999 * 30) = 29
  // with scaling: 60x30 → 20x20 from the centre 30x30 window (bilinear): mean R of the window ≈ 4 * 29.5
  const small = await loadImage(f, Resize(20));
  let sum = 0;
  for (let i = 0; i < 400; i++) sum += small.data[i * 3]!;
  assert.ok(Math.abs(sum / 400 - 118) < 3, `mean R ${sum / 400}`);
});

test('Resize squish keeps the whole image; non-square sizes are [height, width]', async () => {
  const f = join(tmp, 'wide2.png');
  await raw(pattern(60, 30), 60, 30).png().toFile(f);
  const s = await loadImage(f, Resize(30, { method: 'squish' }));
  assert.deepEqual([s.width, s.height], [30, 30]);
  assert.ok(px(s, 0, 0)[0]! < 10 && px(s, 29, 0)[0]! > 220, `${px(s, 0, 0)} ${px(s, 29, 0)}`);
  const r = await loadImage(f, Resize([15, 30]));
  assert.deepEqual([r.width, r.height], [30, 15]);
});

test('Resize pad: reflection (torch "reflect", no repeated edge), zeros and border, as fastai', async () => {
  const f = join(tmp, 'wide3.png');
  await raw(pattern(60, 30), 60, 30).png().toFile(f); // window 60x60, top = int(0.5 * -30) = -15
  const refl = await loadImage(f, Resize(60, { method: 'pad' }));
  assert.deepEqual([refl.width, refl.height], [60, 60]);
  assert.deepEqual(px(refl, 5, 15), [20, 0, 100]); // source row 0
  assert.deepEqual(px(refl, 5, 14), [20, 8, 100]); // reflected: source row 1
  assert.deepEqual(px(refl, 5, 0), [20, 120, 100]); // source row 15
  assert.deepEqual(px(refl, 5, 59), [20, 8 * 14, 100]); // bottom: source row 44 reflects to 2 * 29 - 44 = 14
  const zeros = await loadImage(f, Resize(60, { method: 'pad', padMode: 'zeros' }));
  assert.deepEqual(px(zeros, 5, 0), [0, 0, 0]);
  assert.deepEqual(px(zeros, 5, 15), [20, 0, 100]);
  const border = await loadImage(f, Resize(60, { method: 'pad', padMode: 'border' }));
  assert.deepEqual(px(border, 5, 0), [20, 0, 100]);
  assert.deepEqual(px(border, 5, 59), [20, 232, 100]);
  // training: the image lands at a random place in the window
  const top = await loadImage(f, Resize(60, { method: 'pad', padMode: 'zeros' }), [0.5, 0]);
  assert.deepEqual(px(top, 5, 0), [20, 0, 100]);
  // padRgb's reflection against numpy's 'reflect' on a row 1 2 3 padded by 2 on each side: 3 2 1 2 3 2 1
  const row = padRgb(Uint8Array.from([1, 1, 1, 2, 2, 2, 3, 3, 3]), 3, 1, 2, 0, 7, 1, 'reflection');
  assert.deepEqual(Array.from(row).filter((_, i) => i % 3 === 0), [3, 2, 1, 2, 3, 2, 1]);
});

test('RandomResizedCrop: random window in training, larger resize and centre crop for validation', async () => {
  const t = RandomResizedCrop(32, { minScale: 0.35 });
  const { box, finalSize } = randomResizedCropBox(t, 200, 100, Array.from({ length: 40 }, (_, i) => ((i * 0.37) % 1)));
  assert.deepEqual(finalSize, [32, 32]);
  assert.ok(box.width <= 200 && box.height <= 100 && box.left + box.width <= 200 && box.top + box.height <= 100, JSON.stringify(box));
  const val = randomResizedCropBox(t, 200, 100, null);
  assert.deepEqual(val.finalSize, [40, 40]); // 32 + ceil(32 * 0.14 / 8) * 8
  const f = join(tmp, 'rrc.png');
  await raw(pattern(200, 100), 200, 100).png().toFile(f);
  const v = await loadImage(f, t);
  assert.deepEqual([v.width, v.height], [32, 32]);
  const r = await loadImage(f, t, new Float64Array(40).fill(0.5));
  assert.deepEqual([r.width, r.height], [32, 32]);
});

test('imageToTensor: the validation pipeline for one image, normalised', async () => {
  const f = join(tmp, 'solid.png');
  await raw(Buffer.alloc(20 * 10 * 3, 128), 20, 10).png().toFile(f);
  const x = await imageToTensor(f, { kind: 'image', size: [8, 8], resizeMethod: 'crop', ...imagenetStats });
  assert.deepEqual(x.shape, [1, 3, 8, 8]);
  assert.equal(x.dtype, 'float32');
  const v = x.toFlatArray() as number[];
  assert.ok(Math.abs(v[0]! - (128 / 255 - 0.485) / 0.229) < 1e-4, String(v[0]));
  const raw01 = await imageToTensor(f, { kind: 'image' });
  assert.deepEqual(raw01.shape, [1, 3, 10, 20]);
});

test('Resize crop matches fastai (PIL crop + BILINEAR resize) to the byte, whichever decoder: sharp for a PNG, libjpeg-turbo for a JPEG', { skip: pythonWithTorch() === null ? 'no /usr/bin/python3' : false }, async () => {
  const w = 500, h = 375;
  const src = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    src.set([128 + 100 * Math.sin(x / 23) * Math.cos(y / 31), 128 + 90 * Math.sin((x + y) / 17), (x * y) % 256 > 128 ? 200 : 60], (y * w + x) * 3);
  }
  const f = join(tmp, 'photo.png');
  await raw(src, w, h).png().toFile(f);
  const ours = await loadImage(f, Resize(64));
  const py = spawnSync(pythonWithTorch()!, ['-c', [
    'import sys', 'from PIL import Image', `im = Image.open(${JSON.stringify(f)}).convert("RGB")`,
    'im = im.crop((62, 0, 437, 375)).resize((64, 64), Image.BILINEAR)', 'sys.stdout.buffer.write(im.tobytes())',
  ].join('\n')], { maxBuffer: 1 << 24 });
  assert.equal(py.status, 0, String(py.stderr));
  const theirs = py.stdout as Buffer;
  assert.equal(theirs.length, ours.data.length);
  // decoded by sharp (a PNG too large for the small-PNG path), resized with PIL's arithmetic: fastai's bytes
  assert.deepEqual(Buffer.from(ours.data), theirs, 'PNG through sharp, Resize(64)');
  // A JPEG is decoded by libjpeg-turbo and resized in memory with PIL's arithmetic: the same bytes as fastai's.
  const j = join(tmp, 'photo.jpg');
  await raw(src, w, h).jpeg({ quality: 90 }).toFile(j);
  for (const size of [64, 300, [100, 200]] as const) {
    const tfm = Resize(size as number | [number, number]);
    const mine = await loadImage(j, tfm);
    const [th, tw] = tfm.size;
    const b = resizeBox(tfm, w, h, [0.5, 0.5]);
    const crop = [b.left, b.top, b.left + b.width, b.top + b.height].join(', ');
    const ref = spawnSync(pythonWithTorch()!, ['-c', [
      'import sys', 'from PIL import Image', `im = Image.open(${JSON.stringify(j)}).convert("RGB")`,
      `im = im.crop((${crop})).resize((${tw}, ${th}), Image.BILINEAR)`, 'sys.stdout.buffer.write(im.tobytes())',
    ].join('\n')], { maxBuffer: 1 << 24 });
    assert.equal(ref.status, 0, String(ref.stderr));
    assert.deepEqual(Buffer.from(mine.data), ref.stdout, `JPEG, Resize(${size})`);
  }
});

test('the JPEG/PNG header reader agrees with sharp\'s metadata (size, orientation, alpha), and defers when unsure', async () => {
  const src = pattern(40, 30);
  const cases: [string, Buffer][] = [
    ['jpeg', await raw(src, 40, 30).jpeg().toBuffer()],
    ['jpeg exif 6', await raw(src, 40, 30).jpeg().withMetadata({ orientation: 6 }).toBuffer()],
    ['jpeg exif 3', await raw(src, 40, 30).jpeg().withMetadata({ orientation: 3 }).toBuffer()],
    ['progressive jpeg', await raw(src, 40, 30).jpeg({ progressive: true }).toBuffer()],
    ['png rgb', await raw(src, 40, 30).png().toBuffer()],
    ['png gray', await raw(Buffer.alloc(1200, 9), 40, 30, 1).toColourspace('b-w').png().toBuffer()],
    ['png rgba', await raw(Buffer.alloc(4800, 200), 40, 30, 4).png().toBuffer()],
    ['png palette', await raw(src, 40, 30).png({ palette: true }).toBuffer()],
  ];
  for (const [what, buf] of cases) {
    const h = readHeader(buf);
    const m = await sharp(buf).metadata();
    assert.ok(h, what);
    assert.deepEqual([h.width, h.height, h.orientation, h.hasAlpha], [m.width, m.height, m.orientation ?? 1, m.hasAlpha], what);
  }
  assert.equal(readHeader(await raw(src, 40, 30).webp().toBuffer()), null);
  assert.equal(readHeader(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 200])), null, 'a cut header defers to sharp');
  assert.equal(readHeader(await raw(src, 40, 30).png().withMetadata({ orientation: 6 }).toBuffer()), null, 'PNG with eXIf: sharp decides');
});

test('small PNGs (fast-png path) decode to the pixels sharp gives, for every colour type; others go to sharp', async () => {
  const { decodeSmallPng, MAX_PIXELS } = await import('../src/data/png-small.js');
  const w = 23, h = 17;
  const px = Buffer.alloc(w * h * 4);
  for (let i = 0; i < w * h; i++) px.set([(i * 7) % 256, (i * 13) % 256, (i * 29) % 256, (i * 3) % 256], i * 4);
  const rgba = sharp(px, { raw: { width: w, height: h, channels: 4 } });
  const cases: [string, Buffer][] = [
    ['rgba', await rgba.clone().png().toBuffer()],
    ['rgb', await rgba.clone().removeAlpha().png().toBuffer()],
    ['grey', await rgba.clone().removeAlpha().toColourspace('b-w').png().toBuffer()],
    ['grey+alpha', await rgba.clone().toColourspace('b-w').png().toBuffer()],
    ['rgb16', await rgba.clone().removeAlpha().toColourspace('rgb16').png().toBuffer()],
    ['palette', await rgba.clone().removeAlpha().png({ palette: true, colours: 256, dither: 0 }).toBuffer()],
  ];
  for (const [name, png] of cases) {
    const fast = decodeSmallPng(png);
    assert.ok(fast !== null, `${name} takes the fast path`);
    const viaSharp = await sharp(png).removeAlpha().toColourspace('srgb').raw({ depth: 'uchar' }).toBuffer();
    assert.equal(fast.width, w);
    assert.equal(fast.height, h);
    assert.deepEqual(Buffer.from(fast.data), viaSharp, name);
  }
  const big = await sharp({ create: { width: 300, height: Math.ceil(MAX_PIXELS / 300) + 1, channels: 3, background: 'red' } }).png().toBuffer();
  assert.equal(decodeSmallPng(big), null, 'large PNGs go to sharp');
  const interlaced = await rgba.clone().png({ progressive: true }).toBuffer();
  assert.equal(decodeSmallPng(interlaced), null, 'interlaced PNGs go to sharp');
  const truncated = cases[1]![1].subarray(0, cases[1]![1].length - 20);
  assert.equal(decodeSmallPng(truncated), null, 'a damaged file goes to sharp, which names the problem');
});

test('JPEGs (libjpeg-turbo path) decode to the pixels sharp gives; CMYK, ICC profiles and damaged files go to sharp', async () => {
  const { decodeJpeg, imageAddon } = await import('../src/data/image-addon.js');
  assert.ok(imageAddon() !== null, 'the image addon is built (npm run setup)');
  const w = 61, h = 47;
  const src = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) src.set([(x * 9 + y) & 255, (y * 11) & 255, ((x * y) >> 2) & 255], (y * w + x) * 3);
  const img = raw(src, w, h);
  const cases: [string, Buffer][] = [
    ['baseline 4:2:0', await img.clone().jpeg({ quality: 85 }).toBuffer()],
    ['4:4:4', await img.clone().jpeg({ quality: 92, chromaSubsampling: '4:4:4' }).toBuffer()],
    ['progressive', await img.clone().jpeg({ progressive: true }).toBuffer()],
    ['grey', await img.clone().toColourspace('b-w').jpeg().toBuffer()],
  ];
  for (const [name, jpg] of cases) {
    const fast = decodeJpeg(jpg);
    assert.ok(fast !== null, `${name} takes the libjpeg-turbo path`);
    const viaSharp = await sharp(jpg).toColourspace('srgb').raw({ depth: 'uchar' }).toBuffer();
    assert.deepEqual([fast.width, fast.height], [w, h], name);
    assert.deepEqual(Buffer.from(fast.data), viaSharp, name);
    const im = await decodeImage(jpg);
    assert.deepEqual(Buffer.from(im.data), viaSharp, `${name} through decodeImage`);
  }
  assert.equal(decodeJpeg(await img.clone().withIccProfile('p3').jpeg().toBuffer()), null, 'an ICC profile goes to sharp, which converts it to sRGB');
  assert.equal(decodeJpeg(await img.clone().toColourspace('cmyk').jpeg().toBuffer()), null, 'CMYK goes to sharp');
  const good = cases[0]![1];
  assert.equal(decodeJpeg(good.subarray(0, good.length >> 1)), null, 'a truncated file goes to sharp, which names the problem');
  assert.equal(decodeJpeg(Buffer.from('not a jpeg at all')), null);
  assert.throws(() => imageAddon()!.decodeJpeg('text' as unknown as Uint8Array), /Uint8Array/);
});
