/**
 * The geometry of fastai's affine augmentations, in plain JavaScript (no libtorch: the decoding
 * workers run it for the fused executor): an affine draw's per-image matrices, the warp's
 * perspective coefficients, and the 2×3 maps (fastai's `_prepare_mat`) and projective maps an
 * executor samples with.
 */

export type Mat3 = [number, number, number, number, number, number, number, number, number];
export const IDENTITY: Mat3 = [1, 0, 0, 0, 1, 0, 0, 0, 1];

/** The random parameters an affine transform drew for a batch: per image, a matrix and a warp. */
export interface AffineDraw {
  mats: Mat3[];
  warp: { x: number; y: number }[] | null;
}

/** Per image: the 2×3 affine map on [-1, 1] coordinates, and the warp's 3×3 perspective (or null). */
export interface AffineGeometry {
  thetas: number[][];
  perspective: (number[] | null)[];
}

export function matmul3(a: Mat3, b: Mat3): Mat3 {
  const r = new Array(9).fill(0) as Mat3;
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 3; k++) r[i * 3 + j] += a[i * 3 + k]! * b[k * 3 + j]!;
  return r;
}

/** Solves A x = b (8×8) by Gaussian elimination with partial pivoting. */
function solve(A: number[][], b: number[]): number[] {
  const n = b.length;
  const M = A.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r]![c]!) > Math.abs(M[p]![c]!)) p = r;
    [M[c], M[p]] = [M[p]!, M[c]!];
    const piv = M[c]![c]!;
    if (Math.abs(piv) < 1e-12) return [1, 0, 0, 0, 1, 0, 0, 0];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = M[r]![c]! / piv;
      if (f !== 0) for (let k = c; k <= n; k++) M[r]![k]! -= f * M[c]![k]!;
    }
  }
  return M.map((row, i) => row[n]! / row[i]!);
}

/** fastai's `find_coeffs(p1, p2)` for one image: the 8 perspective coefficients mapping p1 to p2. */
export function findCoeffs(p1: readonly [number, number][], p2: readonly [number, number][]): number[] {
  const A: number[][] = [];
  const b: number[] = [];
  for (let i = 0; i < p1.length; i++) {
    const [x1, y1] = p1[i]!;
    const [x2, y2] = p2[i]!;
    A.push([x2, y2, 1, 0, 0, 0, -x1 * x2, -x1 * y2]);
    A.push([0, 0, 0, x2, y2, 1, -y1 * x2, -y1 * y2]);
    b.push(x1, y1);
  }
  return solve(A, b);
}

/** A draw's maps for images of h×w: fastai's `_prepare_mat` (the matrix acts on [-1, 1] on each axis), and the warp's perspective. */
export function affineGeometry(draw: AffineDraw, h: number, w: number): AffineGeometry {
  const orig: [number, number][] = [[-1, -1], [-1, 1], [1, -1], [1, 1]];
  return {
    thetas: draw.mats.map((m) => [m[0], m[1] * (h / w), m[2], m[3] * (w / h), m[4], m[5]]),
    perspective: draw.mats.map((_, i) => {
      const p = draw.warp?.[i];
      if (!p || (p.x === 0 && p.y === 0)) return null;
      return [...findCoeffs(orig, [[-1 - p.y, -1 - p.x], [-1 + p.y, 1 + p.x], [1 + p.y, -1 + p.x], [1 - p.y, 1 - p.x]]), 1];
    }),
  };
}

/** H = M · [theta; 0 0 1], row-major: the projective map of one image's affine `theta` (2×3) and perspective `M` (3×3, or null). */
export function projectiveMatrix(theta: readonly number[], perspective: readonly number[] | null): number[] {
  const M = perspective ?? IDENTITY;
  const t = theta;
  return [0, 1, 2].flatMap((r) => [
    M[r * 3]! * t[0]! + M[r * 3 + 1]! * t[3]!,
    M[r * 3]! * t[1]! + M[r * 3 + 1]! * t[4]!,
    M[r * 3]! * t[2]! + M[r * 3 + 1]! * t[5]! + M[r * 3 + 2]!,
  ]);
}

/** The images' projective maps, 9 numbers each (what native/image.cc's augmentBatch samples with). */
export function projectiveMatrices(g: AffineGeometry): Float64Array {
  return Float64Array.from(g.thetas.flatMap((t, i) => projectiveMatrix(t, g.perspective[i] ?? null)));
}
