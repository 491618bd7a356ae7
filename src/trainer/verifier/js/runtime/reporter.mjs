// node:test reporter (`--test-reporter=<this file>`): one `test` record per leaf test with its full
// name ("suite > test"), outcome, duration and failure message, then `done` when the run ends.
// Suites and tests that only group subtests are not reported: a leaf is what a task maps.
import { emit } from './channel.mjs';

function outcomeOf(type, data) {
  if (data.todo !== undefined && data.todo !== false) return 'todo';
  if (data.skip !== undefined && data.skip !== false) return 'skipped';
  return type === 'test:pass' ? 'passed' : 'failed';
}

function messageOf(data) {
  const error = data.details?.error;
  if (!error) return '';
  const cause = error.cause ?? error;
  const text = typeof cause?.message === 'string' ? cause.message : String(cause);
  return text.slice(0, 2000);
}

export default async function* rlvrReporter(source) {
  const names = [];        // names[n]: the running test at nesting n
  const hasChildren = [];  // hasChildren[n]: a subtest started under names[n]
  for await (const event of source) {
    const data = event.data ?? {};
    if (event.type === 'test:start') {
      names[data.nesting] = data.name;
      names.length = data.nesting + 1;
      if (data.nesting > 0) hasChildren[data.nesting - 1] = true;
      hasChildren[data.nesting] = false;
    } else if (event.type === 'test:pass' || event.type === 'test:fail') {
      const isSuite = data.details?.type === 'suite' || hasChildren[data.nesting] === true;
      if (isSuite) continue;
      const path = [...names.slice(0, data.nesting), data.name];
      emit({
        t: 'test',
        file: data.file ?? '',
        name: path.join(' > '),
        outcome: outcomeOf(event.type, data),
        ms: Number(data.details?.duration_ms ?? 0),
        message: event.type === 'test:fail' ? messageOf(data) : '',
      });
    }
  }
  emit({ t: 'done' });
}
