// The preview's ordering rules (src/extension/preview/outbox.ts), driven by a hand-held clock: what
// one page is sent, in which order, whatever the timing of the server's two notification streams.
import { describe, expect, it } from 'vitest';
import { PageOutbox, STATUS_DELAY_MS } from '../../src/extension/preview/outbox';
import type { ResultsMessage, StatusMessage, ToWebview } from '../../src/core/wire/protocol';
import type { ResultsDoc } from '../../src/core/wire/results';

const URI = 'file:///w/a.sgdexp';

function doc(steps: number): ResultsDoc {
  return { format: 'sgdexp-results', version: 1, file: '/w/a.sgdexp', seed: 0, runs: { gd: { status: 'running', params: { steps } } as never }, plots: [] };
}
const results = (revision: number, final = false, uri = URI): ResultsMessage => ({ uri, revision, final, doc: doc(revision) });
const status = (revision: number, uri = URI): StatusMessage => ({ uri, revision, nodes: [] });

/** an outbox whose timers run only when the test says the time has come */
function harness(initial?: ResultsMessage) {
  const sent: ToWebview[] = [];
  let timers: { at: number; fn: () => void }[] = [];
  let now = 0;
  const box = new PageOutbox({
    send: (_msg, logged) => sent.push(logged),
    later: (fn, ms) => {
      const t = { at: now + ms, fn };
      timers.push(t);
      return () => (timers = timers.filter((x) => x !== t));
    },
  }, initial);
  const advance = (ms: number) => {
    now += ms;
    for (;;) {
      const due = timers.filter((t) => t.at <= now).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      timers = timers.filter((t) => t !== due);
      due.fn();
    }
  };
  const said = () => sent.map((m) => `${m.type} r${'revision' in m ? m.revision : '-'}`);
  return { box, sent, advance, said, pendingTimers: () => timers.length };
}

describe('preview outbox: status after results', () => {
  it('a status older than the results already sent is never posted (the page would drop it)', () => {
    // the interleaving CI saw under load: an edit's stale-marking status of r2, then the save's
    // results of r3, then the delayed timer fires before r3's own status has arrived
    const h = harness();
    h.box.pageReady();
    h.box.offerResults(results(2));
    h.box.offerStatus(status(2));
    h.box.offerResults(results(3));
    h.advance(STATUS_DELAY_MS);
    expect(h.said()).toEqual(['results r2', 'results r3']);
    // r3's status, when it comes, goes out after the delay
    h.box.offerStatus(status(3));
    expect(h.said()).toEqual(['results r2', 'results r3']);
    h.advance(STATUS_DELAY_MS);
    expect(h.said()).toEqual(['results r2', 'results r3', 'status r3']);
  });

  it('a status of the revision shown, or newer, goes out after the delay, newest only', () => {
    const h = harness();
    h.box.pageReady();
    h.box.offerResults(results(4));
    h.box.offerStatus(status(4));
    h.box.offerStatus(status(5)); // an edit after the save marks nodes stale under a newer revision
    h.advance(STATUS_DELAY_MS - 1);
    expect(h.said()).toEqual(['results r4']);
    h.advance(1);
    expect(h.said()).toEqual(['results r4', 'status r5']);
  });

  it('an older status offered after a newer one is dropped', () => {
    const h = harness();
    h.box.pageReady();
    expect(h.box.offerStatus(status(3))).toBe(true);
    expect(h.box.offerStatus(status(2))).toBe(false);
    h.advance(STATUS_DELAY_MS);
    expect(h.said()).toEqual(['status r3']);
  });

  it('on ready the page gets the newest results, then a status only if it is not older', () => {
    const h = harness();
    h.box.offerStatus(status(1));
    h.box.offerResults(results(2));
    h.advance(STATUS_DELAY_MS); // the timer fires while the page loads: the status waits
    h.box.post({ type: 'message', level: 'info', text: 'hello' });
    h.box.pageReady();
    expect(h.said()).toEqual(['results r2', 'message r-']);
    const g = harness();
    g.box.offerResults(results(2));
    g.box.offerStatus(status(2));
    g.box.pageReady();
    expect(g.said()).toEqual(['results r2', 'status r2']);
  });
});

describe('preview outbox: results', () => {
  it('older revisions, and a partial after the final of the same revision, are dropped', () => {
    const h = harness();
    h.box.pageReady();
    expect(h.box.offerResults(results(2, true))).toBe(true);
    expect(h.box.offerResults(results(2, false))).toBe(false);
    expect(h.box.offerResults(results(1, true))).toBe(false);
    expect(h.box.offerResults(results(3, false))).toBe(true);
    expect(h.said()).toEqual(['results r2', 'results r3']);
  });

  it('before ready only the newest results wait; other messages keep their order', () => {
    const h = harness(results(1, true));
    h.box.offerResults(results(2));
    h.box.post({ type: 'message', level: 'info', text: 'a' });
    h.box.offerResults(results(3));
    h.box.post({ type: 'message', level: 'info', text: 'b' });
    expect(h.sent).toEqual([]);
    h.box.pageReady();
    expect(h.sent.map((m) => (m.type === 'message' ? m.text : m.type === 'results' ? m.revision : m.type))).toEqual([3, 'a', 'b']);
  });

  it('forget drops what was offered and cancels the pending status', () => {
    const h = harness();
    h.box.pageReady();
    h.box.offerStatus(status(7));
    h.box.forget();
    expect(h.pendingTimers()).toBe(0);
    h.advance(STATUS_DELAY_MS);
    expect(h.said()).toEqual([]);
    expect(h.box.offerResults(results(1))).toBe(true); // no guard left from the file before
  });

  it('a new page load is sent the whole results again, not a difference from the old load', () => {
    const h = harness();
    h.box.pageReady();
    h.box.offerResults(results(2));
    h.box.unload();
    h.box.pageReady();
    expect(h.sent.map((m) => m.type === 'results' && (m.reuse || m.append) ? 'diff' : m.type)).toEqual(['results', 'results']);
  });
});
