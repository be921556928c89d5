// The RunSpec types live with the stepping core that consumes them (numeric/spec.ts); this
// path stays for the language and the lowering, which describe runs without computing them.
export type * from './numeric/spec';
