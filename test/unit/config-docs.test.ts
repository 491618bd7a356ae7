import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultsMarkdownTable } from '../../src/trainer/config/defaults-table';

test('docs/training.md lists exactly the settings, types and defaults of fields.ts', () => {
  const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'training.md'), 'utf8');
  const section = /<!-- settings:start -->\n([\s\S]*?)\n<!-- settings:end -->/.exec(doc);
  assert.ok(section, 'docs/training.md has the settings markers');
  assert.equal(section[1], defaultsMarkdownTable(), 'regenerate with: node dist/rlvr.js config --defaults');
});
