// Model text is rendered in the webviews; they must build DOM with textContent only. This scans
// every webview source file for the APIs that turn strings into markup or code.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const ROOT = join(__dirname, '..', '..', 'src', 'webviews');

const FORBIDDEN: [RegExp, string][] = [
  [/\binnerHTML\b/, 'innerHTML'],
  [/\bouterHTML\b/, 'outerHTML'],
  [/\binsertAdjacentHTML\b/, 'insertAdjacentHTML'],
  [/\bdocument\s*\.\s*write(ln)?\b/, 'document.write'],
  [/\beval\s*\(/, 'eval'],
  [/\bnew\s+Function\b/, 'new Function'],
  [/\bcreateContextualFragment\b/, 'createContextualFragment'],
  [/\bDOMParser\b/, 'DOMParser'],
  [/javascript:/i, 'javascript: URL'],
  [/\bsetAttribute\s*\(\s*['"](on\w+|style|href|src|srcdoc)['"]/i, 'setAttribute of a handler, style or URL'],
  [/\.style\.cssText\b/, 'style.cssText'],
  [/\bsetTimeout\s*\(\s*['"`]/, 'setTimeout with a string'],
];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : /\.(ts|js|mjs)$/.test(name) ? [path] : [];
  });
}

/** Comments may name the forbidden APIs (to explain why they are not used); code may not. */
function stripComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

test('webview sources never turn strings into markup or code', () => {
  const files = sources(ROOT);
  assert.ok(files.length >= 10, `expected the webview sources under ${ROOT}, found ${files.length}`);
  const hits: string[] = [];
  for (const file of files) {
    stripComments(readFileSync(file, 'utf8')).split('\n').forEach((line, i) => {
      for (const [pattern, name] of FORBIDDEN) if (pattern.test(line)) hits.push(`${file}:${i + 1}: ${name}: ${line.trim()}`);
    });
  }
  assert.deepEqual(hits, []);
});

test('the scan itself catches each forbidden use', () => {
  const samples = ['el.innerHTML = x', 'el.outerHTML', "el.insertAdjacentHTML('beforeend', x)", 'document.write(x)', 'eval(code)',
    'new Function("a", b)', "a.setAttribute('onclick', x)", "a.setAttribute('href', 'javascript:alert(1)')", 'el.style.cssText = s'];
  for (const sample of samples) {
    assert.ok(FORBIDDEN.some(([pattern]) => pattern.test(stripComments(sample))), sample);
  }
  assert.ok(!FORBIDDEN.some(([pattern]) => pattern.test(stripComments('// never innerHTML here'))));
});
