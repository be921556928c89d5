// When an edit runs a document (src/server/graphBridge.ts runsOnEdit): an untitled document has
// no save of its own, so under run.on = save it runs as typed, never never.
import { describe, expect, it } from 'vitest';
import { runsOnEdit } from '../../src/server/graphBridge';

describe('runsOnEdit', () => {
  it('runs a file on edit only with run.on = type', () => {
    expect(runsOnEdit('type', 'file:///w/a.sgdexp')).toBe(true);
    expect(runsOnEdit('save', 'file:///w/a.sgdexp')).toBe(false);
    expect(runsOnEdit('manual', 'file:///w/a.sgdexp')).toBe(false);
  });
  it('runs an untitled document on edit unless runs are manual (or the workspace untrusted: manual)', () => {
    expect(runsOnEdit('save', 'untitled:Untitled-1')).toBe(true);
    expect(runsOnEdit('type', 'untitled:Untitled-1')).toBe(true);
    expect(runsOnEdit('manual', 'untitled:Untitled-1')).toBe(false);
  });
});
