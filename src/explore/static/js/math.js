// The lesson's functions in the browser, for drawing and for the MSE as a slider moves. They round
// to float32 where owlet's server does (x and the parameters are float32; the points' y and the MSE
// are float64), so the MSE shown is the one the server computes.
const f32 = Math.fround;

/** a·x² + b·x + c as `x.pow(2).mul(a).add(x.mul(b)).add(c)` in float32. */
export function quad(a, b, c, x) {
  const X = f32(x);
  return f32(f32(f32(f32(X * X) * f32(a)) + f32(X * f32(b))) + f32(c));
}

/** max(0, m·x + b) in float32. */
export function relu(m, b, x) {
  return Math.max(0, f32(f32(f32(m) * f32(x)) + f32(b)));
}

/** Σ w·max(0, m·x + b). */
export function relus(ms, bs, ws, x) {
  let s = 0;
  for (let i = 0; i < ms.length; i++) s = f32(s + f32(relu(ms[i], bs[i], x) * f32(ws[i])));
  return s;
}

/** The mean squared error of g(x) against the points. */
export function mse(g, xs, ys) {
  let s = 0;
  for (let i = 0; i < xs.length; i++) {
    const d = g(xs[i]) - ys[i];
    s += d * d;
  }
  return s / xs.length;
}

/** n evenly spaced values from lo to hi. */
export function linspace(lo, hi, n) {
  return Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
}

/** Python's '{:.4f}' for display (JS's toFixed, but NaN and infinities read as Python writes them). */
export function fixed(v, p = 4) {
  if (v === null || v === undefined || Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  return v.toFixed(p);
}
