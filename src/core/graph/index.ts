// The reactive engine's public API, for the language server bridge (src/server/graphBridge.ts) and
// the CLI (src/cli): the very same engine runs in both.
export { Engine, type EngineOptions, type UpdateOptions, type ExecEvent, type ExecEventKind } from './engine';
export { WorkerPool, defaultPoolSize, type PoolOptions, type PoolStats } from './pool';
export { MemoryCache } from './memoryCache';
export { DiskCache } from './diskCache';
export type { RunValue } from './runValue';
export { lowerProgram, type LoweredProgram, type LoweredRun, type LoweredPlot } from '../lower';
