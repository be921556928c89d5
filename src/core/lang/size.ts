// The size limit of an experiment file, shared by the CLI (which refuses larger files before
// reading them) and the language server (which refuses larger documents before checking them).
// Hand-written experiments are a few kB; a megabyte of text is generated or pasted junk, whose
// check would cost seconds and hundreds of MB on every keystroke.

export const MAX_SOURCE_BYTES = 1 << 20;

/** UTF-8 length of a string, counted without encoding it (stops counting past `cap`). */
export function utf8Length(s: string, cap = Infinity): number {
  let bytes = 0;
  for (let i = 0; i < s.length && bytes <= cap; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** The refusal of an oversized file: its size and the limit. `atLeast`: the size is a lower bound. */
export function tooLargeMessage(bytes: number, atLeast = false): string {
  const mb = (x: number) => `${(x / 2 ** 20).toFixed(x % 2 ** 20 ? 1 : 0)} MB`;
  return `file is ${atLeast ? 'at least ' : ''}${bytes.toLocaleString('en-US')} bytes (${mb(bytes)}); experiment files are limited to ${mb(MAX_SOURCE_BYTES)} (${MAX_SOURCE_BYTES.toLocaleString('en-US')} bytes)`;
}
