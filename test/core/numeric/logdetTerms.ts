// The quantities the second-order prediction of the log-det slope needs (docs/theory.md §4):
// tr S and tr S² of S = XᵀX, and ‖R‖²_F at the current product. Shared by the constant-stepsize
// test (logdet.test.ts) and the schedule test (stepsize.test.ts).

/** tr S and tr S² (= ‖S‖²_F, S symmetric) of S = XᵀX */
export function traces({ p, XtX }: { p: number; XtX: Float64Array }): { trS: number; trS2: number } {
  let trS = 0, trS2 = 0;
  for (let i = 0; i < p; i++) {
    trS += XtX[i * p + i];
    for (let j = 0; j < p; j++) trS2 += XtX[i * p + j] ** 2;
  }
  return { trS, trS2 };
}

/** ‖R‖²_F of the residual R = XᵀY − XᵀX·P at the product P = W1W2 */
export function residualSq({ p, k, XtX, XtY }: { p: number; k: number; XtX: Float64Array; XtY: Float64Array }, P: Float64Array): number {
  let R2 = 0;
  for (let i = 0; i < p; i++)
    for (let c = 0; c < k; c++) {
      let r = XtY[i * k + c];
      for (let j = 0; j < p; j++) r -= XtX[i * p + j] * P[j * k + c];
      R2 += r * r;
    }
  return R2;
}
