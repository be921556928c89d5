// Types of scripts/check-layers.mjs, for its tests.
export interface Import { spec: string; line: number; typeOnly: boolean; kind: string; target?: string }
export interface Rule { name: string; why: string; from: RegExp; to?: RegExp; allow?: RegExp; typeOnlyOk?: boolean; globals?: string[] }
export interface Violation { file: string; line: number; rule: string; detail: string }
export interface Graph { graph: Record<string, (Import & { target: string })[]>; texts?: Record<string, string> }
export const RULES: Rule[];
export function mask(src: string): { text: string; strings: Map<number, string> };
export function scanImports(src: string): Import[];
export function scanGlobals(src: string, names: string[]): { name: string; line: number }[];
export function buildGraph(root: string, dirs?: string[]): Required<Graph>;
export function check(g: Graph, rules?: Rule[]): { violations: Violation[]; passed: number };
export function format(v: Violation): string;
