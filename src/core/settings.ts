// The editor settings the language server acts on, clamped to the bounds the extension manifest
// declares (package.json `contributes.configuration`). The server receives them from its client
// and must not trust them: a workspace's settings.json may say `"sgdexp.workers": 1e9`, and
// VS Code does not enforce `minimum`/`maximum`. One function, used by the extension when it reads
// the settings and by the server when it receives them.
import pkg from '../../package.json';

export type RunOn = 'save' | 'type' | 'manual';
export type PlotTheme = 'auto' | 'light' | 'dark' | 'high-contrast';

export interface EditorSettings {
  runOn: RunOn;
  debounceMs: number;
  /** worker threads; 0 = as many as the machine has */
  workers: number;
  cache: boolean;
  cacheMB: number;
  theme: PlotTheme;
  /** the workspace is trusted (vscode.workspace.isTrusted); untrusted: nothing runs */
  trusted: boolean;
}

interface Property {
  default?: unknown;
  minimum?: number;
  maximum?: number;
  enum?: string[];
}
const PROPERTIES = pkg.contributes.configuration.properties as Record<string, Property>;

/** The manifest's declaration of a setting (`sgdexp.workers` etc.). */
export function manifestProperty(name: string): Property {
  const p = PROPERTIES[name];
  if (!p) throw new Error(`package.json declares no setting ${name}`);
  return p;
}

/** A number within the manifest's [minimum, maximum]; not a number (or NaN): the default. */
function bounded(name: string, v: unknown, integer: boolean): number {
  const p = manifestProperty(name);
  const x = typeof v === 'number' && !Number.isNaN(v) ? Math.min(p.maximum ?? Infinity, Math.max(p.minimum ?? -Infinity, v)) : (p.default as number);
  return integer ? Math.round(x) : x;
}

function oneOf<T extends string>(name: string, v: unknown): T {
  const p = manifestProperty(name);
  return (typeof v === 'string' && p.enum?.includes(v) ? v : p.default) as T;
}

/**
 * Settings as sent by a client (`initializationOptions.settings`, didChangeConfiguration), any
 * field missing, mistyped or out of range, to settings within the manifest's bounds. An
 * untrusted workspace runs nothing on its own: `runOn` is then `manual` (and Run Now is refused).
 */
export function clampSettings(raw: unknown): EditorSettings {
  const s = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const trusted = s.trusted !== false;
  return {
    runOn: trusted ? oneOf<RunOn>('sgdexp.run.on', s.runOn) : 'manual',
    debounceMs: bounded('sgdexp.run.debounceMs', s.debounceMs, false),
    workers: bounded('sgdexp.workers', s.workers, true),
    cache: typeof s.cache === 'boolean' ? s.cache : (manifestProperty('sgdexp.cache.enabled').default as boolean),
    cacheMB: bounded('sgdexp.cache.sizeMB', s.cacheMB, false),
    theme: oneOf<PlotTheme>('sgdexp.plot.theme', s.theme),
    trusted,
  };
}
