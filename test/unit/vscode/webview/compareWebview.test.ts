// The Compare view's browser script, run in a DOM (jsdom) as the webview runs it: model output that
// holds HTML or script is shown as text and never executes; buttons post typed messages.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { JSDOM } from 'jsdom';
import type { HostMessage, WebviewMessage } from '../../../../src/vscode/webview/protocol';
import { waitFor } from '../../../support/waitFor';

const SCRIPT = path.join(__dirname, '..', '..', '..', '..', '..', 'dist', 'webview', 'compare.js');

function openView() {
  const dom = new JSDOM('<!DOCTYPE html><html><body><main id="root"></main></body></html>', {
    runScripts: 'dangerously',
    pretendToBeVisual: true,
  });
  const posted: WebviewMessage[] = [];
  const w = dom.window as unknown as { acquireVsCodeApi: () => unknown; eval(code: string): unknown; pwned?: number };
  // Copied out of the DOM's realm, so deepEqual compares plain objects.
  w.acquireVsCodeApi = () => ({
    postMessage: (m: WebviewMessage) => posted.push(JSON.parse(JSON.stringify(m)) as WebviewMessage),
  });
  w.eval(readFileSync(SCRIPT, 'utf8'));
  const post = (m: HostMessage) => dom.window.dispatchEvent(new dom.window.MessageEvent('message', { data: m }));
  return { dom, posted, post, doc: dom.window.document, win: w };
}

describe('compare webview (in a DOM)', () => {
  it('shows HTML and script in model output as text, without running it', async () => {
    const { post, doc, win } = openView();
    post({
      type: 'init',
      title: 'x.prompt on 2 models',
      columns: [
        { id: 'c0', modelId: 'm0', label: '<b>Model</b>' },
        { id: 'c1', modelId: 'm1', label: 'Other', flagged: 'it does not accept images' },
      ],
    });
    post({ type: 'start', id: 'c0' });
    const evil =
      '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script><a href="javascript:window.pwned=3">link</a>';
    post({ type: 'deltas', items: [['c0', evil]] });
    post({
      type: 'done',
      id: 'c0',
      metrics: {
        status: 'complete',
        latencyMs: 1200,
        inputTokens: 5,
        outputTokens: 7,
        costUsd: 0.0001,
        stopReason: 'end_turn',
        error: '<i>no</i>',
      },
    });
    const output = await waitFor('the column output', () => {
      const o = doc.querySelector('.column .output');
      return o?.textContent ? o : undefined;
    });
    assert.equal(output.textContent, evil);
    assert.equal(
      doc.querySelectorAll('#root img, #root script, #root a, #root b, #root i').length,
      0,
      'no element was created from model text',
    );
    assert.equal(win.pwned, undefined);
    assert.equal(doc.querySelector('.column h2')?.textContent, '<b>Model</b>');
    assert.match(doc.querySelectorAll('.column .status')[1].textContent ?? '', /^Not run: it does not accept images/);
    assert.match(doc.querySelector('.column .metrics')?.textContent ?? '', /total 1\.20 s · 5 in \/ 7 out tokens/);
  });

  it('posts a typed message for each button, reachable from the keyboard', () => {
    const { post, doc, posted } = openView();
    assert.deepEqual(posted, [{ type: 'ready' }]);
    post({ type: 'init', title: 't', columns: [{ id: 'c0', modelId: 'm0', label: 'M' }] });
    const buttons = [...doc.querySelectorAll('button')];
    assert.deepEqual(
      buttons.map((b) => b.textContent),
      ['Re-run all', 'Copy', 'Save as run', 'Use this model', 'Re-run'],
    );
    assert.ok(
      buttons.every((b) => b.tabIndex >= 0),
      'buttons are in the tab order',
    );
    buttons.forEach((b) => b.click());
    assert.deepEqual(posted.slice(1), [
      { type: 'rerunAll' },
      { type: 'copy', id: 'c0' },
      { type: 'saveRun', id: 'c0' },
      { type: 'useModel', id: 'c0' },
      { type: 'rerun', id: 'c0' },
    ]);
  });

  it('ignores malformed messages from the host', () => {
    const { dom, doc } = openView();
    dom.window.dispatchEvent(
      new dom.window.MessageEvent('message', { data: { type: 'init', title: 5, columns: 'x' } }),
    );
    assert.equal(doc.getElementById('root')?.childElementCount, 0);
  });

  it("appends each column's text from a deltas message, and ignores malformed ones", () => {
    const { dom, doc, post } = openView();
    post({
      type: 'init',
      title: 'x.prompt on 2 models',
      columns: [
        { id: 'c0', modelId: 'm0', label: 'A' },
        { id: 'c1', modelId: 'm1', label: 'B' },
      ],
    });
    post({ type: 'start', id: 'c0' });
    post({ type: 'start', id: 'c1' });
    post({
      type: 'deltas',
      items: [
        ['c0', 'one '],
        ['c1', 'uno '],
      ],
    });
    post({
      type: 'deltas',
      items: [
        ['c1', 'dos'],
        ['c0', 'two'],
      ],
    });
    for (const bad of [{ items: [['c0']] }, { items: 'c0' }, { items: [['c0', 5]] }, { items: [[7, 'x']] }])
      dom.window.dispatchEvent(new dom.window.MessageEvent('message', { data: { type: 'deltas', ...bad } }));
    const outputs = [...doc.querySelectorAll('.output')].map((e) => e.textContent);
    assert.deepEqual(outputs, ['one two', 'uno dos']);
  });
});
