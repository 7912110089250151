import assert from 'node:assert/strict';
import { gitignoreFilter } from '../../../../src/core/io/gitignore';

describe('datasets: which files git would not track', () => {
  const ignored = gitignoreFilter(
    new Map([
      ['', '*.log\nsecrets/\n!keep.log\n'],
      ['app', 'local.env\n/build\n'],
      ['app/sub', '!important.log\n*.tmp\n'],
    ]),
    'private-notes.md\n',
  );

  it('honours nested .gitignore files relative to their folder, deeper ones overriding', () => {
    assert.equal(ignored('app/local.env'), true);
    assert.equal(ignored('local.env'), false, 'app/.gitignore applies only under app/');
    assert.equal(ignored('app/build/out.jsonl'), true, '/build is anchored to app/');
    assert.equal(ignored('app/sub/build/out.jsonl'), false);
    assert.equal(ignored('app/sub/x.tmp'), true);
    assert.equal(ignored('app/sub/important.log'), false, 'a deeper negation re-includes');
    assert.equal(ignored('app/other.log'), true);
    assert.equal(ignored('keep.log'), false);
  });

  it('honours .git/info/exclude, and a file under an ignored folder stays out', () => {
    assert.equal(ignored('private-notes.md'), true);
    assert.equal(ignored('secrets/keep.log'), true);
  });

  it('never packs .git/ or node_modules/, at any depth', () => {
    const none = gitignoreFilter(new Map());
    assert.equal(none('node_modules/pkg/README.md'), true);
    assert.equal(none('app/node_modules/pkg/data.jsonl'), true);
    assert.equal(none('.git/config'), true);
    assert.equal(none('data/train.jsonl'), false);
  });
});
