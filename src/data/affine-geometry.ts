/**
 * The geometry of fastai's affine augmentations, in plain JavaScript (no libtorch, so the decoding
 * workers can run it): the warp's perspective coefficients, and the sampling grid of an affine map
 * composed with a perspective.
 */

/** What a worker needs to build the sampling grid of a batch. */
export interface GridSpec {
  /** Per image: the 2×3 affine map (after fastai's `_prepare_mat`), row-major. */
  thetas: number[][];
  /** Per image: the 3×3 perspective (row-major), or null for none. */
  perspective: (number[] | null)[];
  /** Output height and width. */
  h: number;
  w: number;
  alignCorners: boolean;
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

/** H = M · [theta; 0 0 1], row-major: the projective map of one image's affine `theta` (2×3) and perspective `M` (3×3, or null). */
export function projectiveMatrix(theta: readonly number[], perspective: readonly number[] | null): number[] {
  const M = perspective ?? [1, 0, 0, 0, 1, 0, 0, 0, 1];
  const t = theta;
  return [0, 1, 2].flatMap((r) => [
    M[r * 3]! * t[0]! + M[r * 3 + 1]! * t[3]!,
    M[r * 3]! * t[1]! + M[r * 3 + 1]! * t[4]!,
    M[r * 3]! * t[2]! + M[r * 3 + 1]! * t[5]! + M[r * 3 + 2]!,
  ]);
}

/**
 * fastai's `affine_grid` followed by `apply_perspective`, composed: each image's grid point
 * (u, v) in [-1, 1]² goes to H·(u, v, 1) divided by its third coordinate, where H = M · [theta; 0 0 1]
 * (M the warp's perspective, or the identity). native/image.cc's augmentBatch computes the same
 * points, in the same double arithmetic.
 */
export function projectiveGrid(
  thetas: readonly (readonly number[])[], perspective: readonly (readonly number[] | null)[] | null, h: number, w: number, alignCorners: boolean,
): Float32Array {
  const out = new Float32Array(thetas.length * h * w * 2);
  const coord = (i: number, n: number) => (alignCorners ? (n === 1 ? 0 : -1 + (2 * i) / (n - 1)) : (2 * i + 1) / n - 1);
  const us = Float64Array.from({ length: w }, (_, j) => coord(j, w));
  thetas.forEach((t, b) => {
    const H = projectiveMatrix(t, perspective?.[b] ?? null);
    const [h00, h01, h02, h10, h11, h12, h20, h21, h22] = H as [number, number, number, number, number, number, number, number, number];
    let o = b * h * w * 2;
    const affineOnly = h20 === 0 && h21 === 0 && h22 === 1;
    for (let i = 0; i < h; i++) {
      const v = coord(i, h);
      const bx = h01 * v + h02, by = h11 * v + h12, bz = h21 * v + h22;
      if (affineOnly) {
        for (let j = 0; j < w; j++) {
          const u = us[j]!;
          out[o++] = h00 * u + bx;
          out[o++] = h10 * u + by;
        }
      } else {
        for (let j = 0; j < w; j++) {
          const u = us[j]!;
          const z = h20 * u + bz;
          out[o++] = (h00 * u + bx) / z;
          out[o++] = (h10 * u + by) / z;
        }
      }
    }
  });
  return out;
}

/** Builds the grid of a `GridSpec` for the images at positions `keep` (all when absent). */
export function gridFromSpec(spec: GridSpec, keep?: readonly number[]): Float32Array {
  const idx = keep ?? spec.thetas.map((_, i) => i);
  return projectiveGrid(idx.map((i) => spec.thetas[i]!), idx.map((i) => spec.perspective[i] ?? null), spec.h, spec.w, spec.alignCorners);
}
