// The recording schedule lives with the stepping core (numeric/schedule.ts); the graph and the
// figures read it through this path.
export { recordStride, recordSteps } from './numeric/schedule';
