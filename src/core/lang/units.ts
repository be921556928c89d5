// Sizes and durations in messages. Estimates of absurd experiments reach 10²⁹³ bytes or
// Infinity seconds: above the largest unit the text says so ("more than …") instead of
// printing a 290-digit number, and a non-finite or negative figure never shows as NaN.

// Decimal units (1 GB = 10⁹ bytes), the units `--max-memory 8GB` reads and the limits are set in
// (1e9 per run, 2e9 per file): binary steps under these names showed the 1 GB limit as "954 MB".
const BYTE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB', 'EB'];
const EB = 1e18;

export function fmtBytes(b: number): string {
  if (Number.isNaN(b) || b < 0) return 'an unknown amount';
  if (b >= 1000 * EB) return 'more than 1000 EB';
  let i = 0;
  while (b >= 1000 && i < BYTE_UNITS.length - 1) {
    b /= 1000;
    i++;
  }
  // 3 significant digits without trailing zeros: the limits read as the options write them (1 GB)
  return `${String(Number(sig(b, 3)))} ${BYTE_UNITS[i]}`;
}

const YEAR = 365.25 * 86400;

export function fmtSeconds(s: number): string {
  if (Number.isNaN(s) || s < 0) return 'an unknown time';
  if (s < 120) return `${sig(s, 2)} s`;
  if (s < 7200) return `${sig(s / 60, 2)} min`;
  if (s < 2 * 86400) return `${sig(s / 3600, 2)} h`;
  if (s < 1000 * 86400) return `${sig(s / 86400, 2)} days`;
  if (s < 1e6 * YEAR) return `${sig(s / YEAR, 2)} years`;
  return 'more than a million years';
}

/** A count of floating-point operations (`1.2e+15`); never NaN or Infinity. */
export function fmtFlops(f: number): string {
  if (Number.isNaN(f) || f < 0) return 'an unknown number of';
  if (!Number.isFinite(f) || f > 1e300) return 'more than 1e+300';
  return f.toExponential(1);
}

/** `≈ 3.2 GB`, but `more than 1000 EB` (a bound is not approximate). */
export function about(text: string): string {
  return text.startsWith('more than') || text.startsWith('an unknown') ? text : `≈ ${text}`;
}

/** `digits` significant digits, but never exponent notation (toPrecision(3) of 1000 is "1.00e+3"). */
function sig(x: number, digits: number): string {
  return x >= 10 ** digits ? x.toFixed(0) : x.toPrecision(digits);
}
