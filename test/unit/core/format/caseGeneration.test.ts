// Proposed test cases are data: what the tests file would refuse is dropped with its reason, names are
// made unique against the file and each other, unknown assertion kinds are left out, and an input holding
// `__proto__` stays an own key of the case.
import assert from 'node:assert/strict';
import { proposedCases, withCasesAppended } from '../../../../src/core/format/caseGeneration';
import { parseTestFile } from '../../../../src/core/format/testCases';

describe('proposed test cases', () => {
  it('keeps what the tests file takes, drops the rest with the reason, and names them uniquely', () => {
    const { cases, dropped } = proposedCases(
      {
        cases: [
          { name: 'refund', input: { ticket: 'refund me' }, assert: [{ kind: 'contains', value: 'billing' }] },
          { name: 'refund', input: { ticket: 'again' }, assert: [{ kind: 'rubric', value: 'polite' }] },
          { name: 'bad regex', input: { ticket: 'x' }, assert: [{ kind: 'regex', value: '(' }] },
          { name: 'no checks', input: { ticket: 'x' }, assert: [{ kind: 'exec', value: 'rm -rf /' }] },
          'not a case',
        ],
      },
      ['refund'],
      true,
    );
    assert.deepEqual(
      cases.map((c) => [c.name, c.assert]),
      [
        ['refund (2)', [{ contains: 'billing' }]],
        ['refund (3)', [{ rubric: 'polite' }]],
      ],
    );
    assert.equal(dropped.length, 3);
    assert.match(dropped[0], /^bad regex: Invalid regular expression/);
    assert.match(dropped[1], /^no checks: /);
    assert.match(dropped[2], /^generated case 5: /);
  });

  it('without a judge in the file, rubric assertions are not kept', () => {
    const { cases, dropped } = proposedCases(
      { cases: [{ name: 'r', input: {}, assert: [{ kind: 'rubric', value: 'polite' }] }] },
      [],
    );
    assert.deepEqual(cases, []);
    assert.match(dropped[0], /^r: /);
  });

  it('an input named __proto__ is an own key of the case, and the appended file still parses', () => {
    const { cases } = proposedCases(
      JSON.parse(
        '{"cases":[{"name":"p","input":{"__proto__":{"polluted":true},"ticket":"t"},"assert":[{"kind":"contains","value":"x"}]}]}',
      ),
      [],
    );
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.ok(Object.hasOwn(cases[0].input, '__proto__'));
    const text = withCasesAppended('cases: []\n', cases);
    const parsed = parseTestFile(text);
    assert.equal(parsed.cases.length, 1);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});
