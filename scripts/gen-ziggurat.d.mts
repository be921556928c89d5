// Types of scripts/gen-ziggurat.mjs, for its test.
export const LAYERS: number;
export const ZIG_R: number;
export const ZIG_V: number;
export const TABLE_BASE: number;
export const TABLE_END: number;
export function zigguratTables(): { x: number[]; r: number[]; f: number[] };
export function tableModuleText(): string;
export function watDataText(): string;
export function patchWat(wat: string): string;
