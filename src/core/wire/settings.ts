// The server settings: what the extension reads from `sgdexp.*` (package.json
// `contributes.configuration`) and hands to the language server (initializationOptions.settings,
// then workspace/didChangeConfiguration). One set of defaults and ranges, here; package.json
// repeats them for the Settings editor, and a test keeps the two equal.

export type RunOn = 'save' | 'type' | 'manual';
export type PlotTheme = 'auto' | 'light' | 'dark' | 'high-contrast';

export interface ServerSettings {
  /** when runs start: on save, while typing (after debounceMs of quiet), or only on Run Now */
  runOn: RunOn;
  debounceMs: number;
  /** worker threads; 0 = as many as the machine has (cores − 1, at least 1) */
  workers: number;
  cache: boolean;
  cacheMB: number;
  theme: PlotTheme;
}

export const RUN_ON: readonly RunOn[] = ['save', 'type', 'manual'];
export const PLOT_THEMES: readonly PlotTheme[] = ['auto', 'light', 'dark', 'high-contrast'];

export const SETTINGS_DEFAULTS: Readonly<ServerSettings> = {
  runOn: 'save',
  debounceMs: 400,
  workers: 0,
  cache: true,
  cacheMB: 256,
  theme: 'auto',
};

/** Inclusive ranges of the numeric settings. */
export const SETTINGS_RANGES = {
  debounceMs: { min: 0, max: 10_000 },
  workers: { min: 0, max: 64 },
  cacheMB: { min: 0, max: 1 << 20 },
} as const;

/** The configuration key (below `sgdexp.`) of each setting. */
export const SETTING_KEYS: Readonly<Record<keyof ServerSettings, string>> = {
  runOn: 'run.on',
  debounceMs: 'run.debounceMs',
  workers: 'workers',
  cache: 'cache.enabled',
  cacheMB: 'cache.sizeMB',
  theme: 'plot.theme',
};

function num(v: unknown, fallback: number, r: { min: number; max: number }): number {
  return typeof v === 'number' && Number.isFinite(v) ? Math.min(r.max, Math.max(r.min, v)) : fallback;
}

/** Settings from untrusted input (a settings.json, a client), mistyped or out-of-range values
 *  replaced by their defaults: never NaN or an unknown mode. */
export function normalizeSettings(raw: Partial<Record<keyof ServerSettings, unknown>> | null | undefined): ServerSettings {
  const r = raw ?? {};
  const d = SETTINGS_DEFAULTS;
  return {
    runOn: RUN_ON.includes(r.runOn as RunOn) ? (r.runOn as RunOn) : d.runOn,
    debounceMs: num(r.debounceMs, d.debounceMs, SETTINGS_RANGES.debounceMs),
    workers: Math.round(num(r.workers, d.workers, SETTINGS_RANGES.workers)),
    cache: typeof r.cache === 'boolean' ? r.cache : d.cache,
    cacheMB: num(r.cacheMB, d.cacheMB, SETTINGS_RANGES.cacheMB),
    theme: PLOT_THEMES.includes(r.theme as PlotTheme) ? (r.theme as PlotTheme) : d.theme,
  };
}
