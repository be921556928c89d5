// Settings the language server receives are clamped to the manifest's bounds (package.json
// contributes.configuration): a workspace's settings.json is not trusted input.
import { describe, expect, it } from 'vitest';
import pkg from '../../package.json';
import { normalizeSettings as clampSettings } from '../../src/core/wire/settings';
import { engineOptions } from '../../src/server/graphBridge';

const props = pkg.contributes.configuration.properties as Record<string, { default?: unknown; minimum?: number; maximum?: number }>;
const bounds = (name: string) => [props[name].minimum, props[name].maximum];

describe('clampSettings', () => {
  it('the manifest bounds every number the server acts on', () => {
    for (const n of ['sgdexp.run.debounceMs', 'sgdexp.workers', 'sgdexp.cache.sizeMB']) {
      const [lo, hi] = bounds(n);
      expect(Number.isFinite(lo) && Number.isFinite(hi), n).toBe(true);
    }
  });

  it('clamps out-of-range numbers to the manifest bounds, and replaces mistyped ones by the defaults', () => {
    const [wLo, wHi] = bounds('sgdexp.workers');
    const [dLo, dHi] = bounds('sgdexp.run.debounceMs');
    const [cLo, cHi] = bounds('sgdexp.cache.sizeMB');
    expect(clampSettings({ workers: 1e9, debounceMs: 1e12, cacheMB: 1e15 })).toMatchObject({ workers: wHi, debounceMs: dHi, cacheMB: cHi });
    expect(clampSettings({ workers: -3, debounceMs: -1, cacheMB: -Infinity })).toMatchObject({ workers: wLo, debounceMs: dLo, cacheMB: cLo });
    expect(clampSettings({ workers: Infinity }).workers).toBe(wHi);
    expect(clampSettings({ workers: 2.6 }).workers).toBe(3);
    const defaults = { workers: props['sgdexp.workers'].default, debounceMs: props['sgdexp.run.debounceMs'].default, cacheMB: props['sgdexp.cache.sizeMB'].default };
    expect(clampSettings({ workers: NaN, debounceMs: '5', cacheMB: null })).toMatchObject(defaults);
    expect(clampSettings(undefined)).toMatchObject({ ...defaults, runOn: 'save', cache: true, theme: 'auto', trusted: true });
    expect(clampSettings({ runOn: 'always', theme: 'neon', cache: 'no' })).toMatchObject({ runOn: 'save', theme: 'auto', cache: true });
    expect(clampSettings({ runOn: 'type', theme: 'dark', cache: false })).toMatchObject({ runOn: 'type', theme: 'dark', cache: false });
  });

  it('an untrusted workspace runs nothing on its own', () => {
    expect(clampSettings({ runOn: 'type', trusted: false })).toMatchObject({ runOn: 'manual', trusted: false });
  });

  it("the server's engine options come out of it: workers 1e9 is the manifest's maximum of threads", () => {
    const [, wHi] = bounds('sgdexp.workers');
    expect(engineOptions('/tmp/x', { workers: 1e9 }).workers).toBe(wHi);
    expect(engineOptions('/tmp/x', { workers: 0 }).workers).toBeUndefined(); // as many as the machine has
    const [, cHi] = bounds('sgdexp.cache.sizeMB');
    expect(engineOptions('/tmp/x', { cacheMB: 1e15 }).diskMB).toBe(cHi);
  });
});

describe('untrusted workspaces (package.json capabilities)', () => {
  it('are supported in a limited way, with the settings that start or size runs restricted', () => {
    const u = (pkg as { capabilities?: { untrustedWorkspaces?: { supported: unknown; description?: string; restrictedConfigurations?: string[] } } }).capabilities?.untrustedWorkspaces;
    expect(u?.supported).toBe('limited');
    expect(u?.description).toMatch(/trust/);
    // what is restricted, as the code does it (src/core/dataFiles.ts, src/server/graphBridge.ts)
    expect(u?.description).toMatch(/no data file .*csv.* is read/);
    expect(u?.description).toMatch(/no experiment runs/);
    expect(u?.restrictedConfigurations).toEqual(expect.arrayContaining(['sgdexp.run.on', 'sgdexp.workers', 'sgdexp.cache.enabled', 'sgdexp.cache.sizeMB']));
    for (const k of u?.restrictedConfigurations ?? []) expect(props[k], k).toBeDefined();
  });
});
