// The protocol lives in the wire leaf (wire/protocol.ts); this path stays for the graph's and
// the tests' imports.
export * from './wire/protocol';
