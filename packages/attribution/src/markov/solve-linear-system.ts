// Dense Gaussian elimination with partial pivoting: exact (to rounding) absorption probabilities.

/**
 * Solves `A x = b` for an `n x n` row-major `a`. Both inputs are consumed (overwritten).
 * Throws when a pivot vanishes, which for an absorbing chain means a state cannot reach absorption.
 */
export function solveLinearSystem(a: Float64Array, b: Float64Array, n: number): Float64Array {
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) {
      if (Math.abs(a[r * n + col] ?? 0) > Math.abs(a[pivot * n + col] ?? 0)) pivot = r;
    }
    const p = a[pivot * n + col] ?? 0;
    if (Math.abs(p) < 1e-300) throw new RangeError(`solveLinearSystem: singular matrix at column ${col}`);
    if (pivot !== col) swapRows(a, b, n, pivot, col);
    for (let r = col + 1; r < n; r++) {
      const factor = (a[r * n + col] ?? 0) / p;
      if (factor === 0) continue;
      for (let c = col; c < n; c++) a[r * n + c] = (a[r * n + c] ?? 0) - factor * (a[col * n + c] ?? 0);
      b[r] = (b[r] ?? 0) - factor * (b[col] ?? 0);
    }
  }
  const x = new Float64Array(n);
  for (let r = n - 1; r >= 0; r--) {
    let sum = b[r] ?? 0;
    for (let c = r + 1; c < n; c++) sum -= (a[r * n + c] ?? 0) * (x[c] ?? 0);
    x[r] = sum / (a[r * n + r] ?? 1);
  }
  return x;
}

function swapRows(a: Float64Array, b: Float64Array, n: number, i: number, j: number): void {
  for (let c = 0; c < n; c++) {
    const t = a[i * n + c] ?? 0;
    a[i * n + c] = a[j * n + c] ?? 0;
    a[j * n + c] = t;
  }
  const t = b[i] ?? 0;
  b[i] = b[j] ?? 0;
  b[j] = t;
}
