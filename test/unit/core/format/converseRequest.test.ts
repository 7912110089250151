import assert from 'node:assert/strict';
import { appendTurn, converseRequest, type NeutralTurn } from '../../../../src/core/format/converseRequest';

describe('the one Converse request builder (prompts and chats)', () => {
  it('merges adjacent turns of one role, drops empty ones, and keeps the caller’s extra fields', () => {
    const turns: (NeutralTurn & { line?: number })[] = [];
    appendTurn(turns, { role: 'user', content: [{ text: 'a' }], line: 3 });
    appendTurn(turns, { role: 'user', content: [{ text: 'b' }], line: 5 });
    appendTurn(turns, { role: 'assistant', content: [] });
    appendTurn(turns, { role: 'assistant', content: [{ text: 'c' }], line: 7 });
    assert.deepEqual(turns, [
      { role: 'user', content: [{ text: 'a' }, { text: 'b' }], line: 3 },
      { role: 'assistant', content: [{ text: 'c' }], line: 7 },
    ]);
  });

  it('sets inference settings and tools only when there are some, with each tool choice', () => {
    const turns: NeutralTurn[] = [{ role: 'user', content: [{ text: 'hi' }] }];
    assert.deepEqual(converseRequest({ modelId: 'm', turns, inference: { maxTokens: undefined }, system: [] }), {
      modelId: 'm',
      messages: [{ role: 'user', content: [{ text: 'hi' }] }],
    });
    const spec = { toolSpec: { name: 't', inputSchema: { json: {} } } };
    const choiceOf = (choice?: 'auto' | 'any' | { tool: string }) =>
      converseRequest({ modelId: 'm', turns, tools: { specs: [spec], choice } }).toolConfig?.toolChoice;
    assert.equal(choiceOf(), undefined);
    assert.deepEqual(choiceOf('auto'), { auto: {} });
    assert.deepEqual(choiceOf('any'), { any: {} });
    assert.deepEqual(choiceOf({ tool: 't' }), { tool: { name: 't' } });
    const full = converseRequest({
      modelId: 'm',
      turns,
      system: [{ text: 's' }],
      inference: { maxTokens: 10, temperature: 0 },
    });
    assert.deepEqual(full.system, [{ text: 's' }]);
    assert.deepEqual(full.inferenceConfig, { maxTokens: 10, temperature: 0 });
  });
});
