// What the engine tells its host: results and status messages, runtime diagnostics, contained
// errors; and the log of every decision it takes (the tests assert on it).
import type { Diagnostic } from '../program';
import type { ResultsMessage, StatusMessage } from '../wire/protocol';

export type ExecEventKind =
  | 'executed' // computed from scratch (or resumed: see `fromStep`)
  | 'reused' // memoised value taken (see `source`)
  | 'backdated' // executed, value identical to the node's previous value: dependents keep theirs
  | 'sliced' // cut from a cached longer run
  | 'joined' // attached to a job already in flight for the same key
  | 'cancelled'
  | 'blocked'
  | 'failed';

export interface ExecEvent {
  seq: number;
  uri: string;
  revision: number;
  node: string;
  kind: 'run' | 'plot';
  key: string;
  event: ExecEventKind;
  source?: 'memory' | 'disk' | 'inflight';
  /** steps the stepping core reports it stepped in this execution */
  steps?: number;
  /** the step the stepping core reports it started from, when it resumed (for 'sliced': the
   *  length of the cached run cut from) */
  fromStep?: number;
  /** for 'cancelled': ms from the cancel request until the thread was free again */
  releaseMs?: number;
  terminated?: boolean;
  worker?: number;
  message?: string | null;
  t: number;
}

/** The decision log: bounded (the oldest half goes past 100 000 events). */
export class ExecLog {
  readonly events: ExecEvent[] = [];
  private seq = 0;

  add(e: Omit<ExecEvent, 'seq' | 't'>): ExecEvent {
    const ev = { ...e, seq: ++this.seq, t: performance.now() };
    this.events.push(ev);
    if (this.events.length > 100_000) this.events.splice(0, 50_000);
    return ev;
  }
}

export type Listener<T> = (x: T) => void;
export interface Events {
  results: ResultsMessage;
  status: StatusMessage;
  diagnostics: { uri: string; diagnostics: Diagnostic[] };
  /** an exception in the engine's own bookkeeping or in a listener, contained (the run it hit
   *  ends in error); with no listener it goes to console.error */
  error: { uri: string | null; message: string; error: unknown };
}

export class EngineEvents {
  private readonly listeners: { [K in keyof Events]: Set<Listener<Events[K]>> } = { results: new Set(), status: new Set(), diagnostics: new Set(), error: new Set() };

  on<K extends keyof Events>(event: K, fn: Listener<Events[K]>): () => void {
    this.listeners[event].add(fn);
    return () => this.listeners[event].delete(fn);
  }

  /** A throwing listener must not take the engine (or the other listeners) down with it. */
  notify<K extends keyof Events>(event: K, x: Events[K]): void {
    for (const l of this.listeners[event]) {
      try {
        l(x);
      } catch (e) {
        if (event === 'error') console.error('sgdexp: an error listener failed:', e);
        else this.reportError(e, `a ${event} listener failed`, (x as { uri?: string }).uri ?? null);
      }
    }
  }

  reportError(error: unknown, what: string, uri: string | null): void {
    const message = `${what}: ${error instanceof Error ? error.message : String(error)}`;
    if (this.listeners.error.size === 0) console.error(`sgdexp: ${message}`, error);
    else this.notify('error', { uri, message, error });
  }
}
