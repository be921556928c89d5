// One set of settings defaults: src/core/wire/settings.ts. package.json repeats them for the
// Settings editor; this keeps the two equal, and checks the normalisation both sides share.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXPORT_THEMES, normalizeSettings, PLOT_THEMES, RUN_ON, SETTING_KEYS, SETTING_SCOPES, SETTINGS_DEFAULTS, SETTINGS_RANGES } from '../../src/core/wire/settings';

const pkg = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8'));
const props: Record<string, { default: unknown; minimum?: number; maximum?: number; enum?: string[]; scope?: string }> = pkg.contributes.configuration.properties;

describe('server settings', () => {
  it("package.json's defaults, ranges and choices are the wire leaf's", () => {
    for (const [field, key] of Object.entries(SETTING_KEYS)) {
      const p = props[`sgdexp.${key}`];
      expect(p, key).toBeDefined();
      expect(p.default, key).toEqual(SETTINGS_DEFAULTS[field as keyof typeof SETTINGS_DEFAULTS]);
      // every setting declares its scope (undeclared: window, and a read for a resource warns)
      expect(p.scope, key).toBe(SETTING_SCOPES[field as keyof typeof SETTING_SCOPES]);
      const r = SETTINGS_RANGES[field as keyof typeof SETTINGS_RANGES];
      if (r) {
        expect(p.minimum, key).toBe(r.min);
        if (p.maximum !== undefined) expect(p.maximum, key).toBe(r.max);
      }
    }
    expect(props['sgdexp.run.on'].enum).toEqual([...RUN_ON]);
    expect(props['sgdexp.plot.theme'].enum).toEqual([...PLOT_THEMES]);
    expect(props['sgdexp.export.theme'].enum).toEqual([...EXPORT_THEMES]);
    expect(SETTINGS_DEFAULTS.exportTheme).toBe('print');
    expect(Object.keys(props).sort()).toEqual(Object.values(SETTING_KEYS).map((k) => `sgdexp.${k}`).sort());
  });

  it('normalises mistyped and out-of-range values to the defaults and ranges', () => {
    expect(normalizeSettings(undefined)).toEqual(SETTINGS_DEFAULTS);
    expect(normalizeSettings({ runOn: 'often', debounceMs: NaN, workers: 1000, cache: 'no', cacheMB: -5, theme: 'pink', exportTheme: 'neon', scrollSync: 'yes' })).toEqual({
      ...SETTINGS_DEFAULTS, workers: 64, cacheMB: 0,
    });
    expect(normalizeSettings({ runOn: 'type', debounceMs: 50, workers: 2.4, cache: false })).toMatchObject({ runOn: 'type', debounceMs: 50, workers: 2, cache: false });
  });
});
