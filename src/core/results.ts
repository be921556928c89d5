// The results document's types live in the wire leaf (wire/results.ts); this path stays for
// the code that builds and draws the document.
export type * from './wire/results';
