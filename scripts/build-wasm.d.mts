// Types of scripts/build-wasm.mjs, for its test.
export function assemble(watText: string, name?: string): Promise<Uint8Array>;
export function moduleText(bytes: Uint8Array): string;
