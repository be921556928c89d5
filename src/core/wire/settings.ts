// The server settings: what the extension reads from `sgdexp.*` (package.json
// `contributes.configuration`) and hands to the language server (initializationOptions.settings,
// then workspace/didChangeConfiguration). One set of defaults and ranges, here; package.json
// repeats them for the Settings editor, and a test keeps the two equal.

export type RunOn = 'save' | 'type' | 'manual';
export type PlotTheme = 'auto' | 'light' | 'dark' | 'high-contrast';
/** exported figures: the light print theme, or the preview's colours */
export type ExportTheme = 'print' | 'editor';

export interface ServerSettings {
  /** when runs start: on save, while typing (after debounceMs of quiet), or only on Run Now */
  runOn: RunOn;
  debounceMs: number;
  /** worker threads; 0 = as many as the machine has (cores − 1, at least 1) */
  workers: number;
  cache: boolean;
  cacheMB: number;
  theme: PlotTheme;
  exportTheme: ExportTheme;
  /** the preview follows the editor's cursor to the figure of a plot or run line (the extension's
   *  own; the server ignores it) */
  scrollSync: boolean;
  /** the formatter's print width, in columns: a statement longer than this is broken */
  printWidth: number;
  /** the workspace is trusted (vscode.workspace.isTrusted); untrusted: nothing runs on its own */
  trusted: boolean;
}

export const RUN_ON: readonly RunOn[] = ['save', 'type', 'manual'];
export const PLOT_THEMES: readonly PlotTheme[] = ['auto', 'light', 'dark', 'high-contrast'];
export const EXPORT_THEMES: readonly ExportTheme[] = ['print', 'editor'];

export const SETTINGS_DEFAULTS: Readonly<ServerSettings> = {
  runOn: 'save',
  debounceMs: 400,
  workers: 0,
  cache: true,
  cacheMB: 256,
  theme: 'auto',
  exportTheme: 'print',
  scrollSync: true,
  printWidth: 100,
  trusted: true,
};

/** Inclusive ranges of the numeric settings. */
export const SETTINGS_RANGES = {
  debounceMs: { min: 0, max: 10_000 },
  workers: { min: 0, max: 64 },
  cacheMB: { min: 0, max: 1 << 20 },
  printWidth: { min: 40, max: 400 },
} as const;

/** The configuration key (below `sgdexp.`) of each setting (`trusted` is the workspace's state). */
export const SETTING_KEYS: Readonly<Record<Exclude<keyof ServerSettings, 'trusted'>, string>> = {
  runOn: 'run.on',
  debounceMs: 'run.debounceMs',
  workers: 'workers',
  cache: 'cache.enabled',
  cacheMB: 'cache.sizeMB',
  theme: 'plot.theme',
  exportTheme: 'export.theme',
  scrollSync: 'preview.scrollSync',
  printWidth: 'format.printWidth',
};

/**
 * The scope of each setting (package.json repeats it): `resource` where a folder of a multi-root
 * workspace may want its own value (when and how its files run and look); the worker pool and
 * the disk cache belong to the one language server of the window.
 */
export const SETTING_SCOPES: Readonly<Record<Exclude<keyof ServerSettings, 'trusted'>, 'resource' | 'window' | 'machine-overridable'>> = {
  runOn: 'resource',
  debounceMs: 'resource',
  workers: 'machine-overridable',
  cache: 'window',
  cacheMB: 'window',
  theme: 'resource',
  exportTheme: 'resource',
  scrollSync: 'resource',
  printWidth: 'resource',
};

/** A number clamped to its range (±Infinity to the ends); not a number, or NaN: the fallback. */
function num(v: unknown, fallback: number, r: { min: number; max: number }): number {
  return typeof v === 'number' && !Number.isNaN(v) ? Math.min(r.max, Math.max(r.min, v)) : fallback;
}

/**
 * Settings from untrusted input (a workspace's settings.json, a client: VS Code does not enforce
 * `minimum`/`maximum`, so `"sgdexp.workers": 1e9` arrives as is), numbers clamped to their
 * ranges, mistyped values replaced by their defaults: never NaN or an unknown mode. Used by the
 * extension when it reads the settings and by the server when it receives them. An untrusted
 * workspace runs nothing on its own: `runOn` is then `manual` (and the server refuses Run Now).
 */
export function normalizeSettings(raw: unknown): ServerSettings {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Partial<Record<keyof ServerSettings, unknown>>;
  const d = SETTINGS_DEFAULTS;
  const trusted = r.trusted !== false;
  return {
    runOn: !trusted ? 'manual' : RUN_ON.includes(r.runOn as RunOn) ? (r.runOn as RunOn) : d.runOn,
    debounceMs: num(r.debounceMs, d.debounceMs, SETTINGS_RANGES.debounceMs),
    workers: Math.round(num(r.workers, d.workers, SETTINGS_RANGES.workers)),
    cache: typeof r.cache === 'boolean' ? r.cache : d.cache,
    cacheMB: num(r.cacheMB, d.cacheMB, SETTINGS_RANGES.cacheMB),
    theme: PLOT_THEMES.includes(r.theme as PlotTheme) ? (r.theme as PlotTheme) : d.theme,
    exportTheme: EXPORT_THEMES.includes(r.exportTheme as ExportTheme) ? (r.exportTheme as ExportTheme) : d.exportTheme,
    scrollSync: typeof r.scrollSync === 'boolean' ? r.scrollSync : d.scrollSync,
    printWidth: Math.round(num(r.printWidth, d.printWidth, SETTINGS_RANGES.printWidth)),
    trusted,
  };
}
