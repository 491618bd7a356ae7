import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractAssertStatements, extractPythonTestAsserts, parsePytestId } from '../../src/trainer/tasks/asserts';

const SOURCE = `import pytest
from basics.strings import slugify


def test_slugify_basic():
    assert slugify("Hello World") == "hello-world"  # the common case
    assert slugify("  a  ") == "a"


def test_slugify_multiline():
    assert slugify(
        "A, B  and C",
    ) == "a-b-and-c"
    result = slugify("x#y")
    assert result == "x-y", \\
        "hash becomes a dash"


def test_other():
    assert slugify("#") == ""


@pytest.mark.parametrize("text,expected", [("a b", "a-b"), ("C", "c")])
def test_param(text, expected):
    assert slugify(text) == expected


class TestSlug:
    def test_in_class(self):
        assert slugify("In Class") == "in-class"

    def test_other(self):
        assert slugify("Class Other") == "class-other"


class TestOuter:
    class TestInner:
        def test_nested(self):
            assert slugify("deep") == "deep"


def test_strings_with_hash_and_brackets():
    assert slugify("a # (b") == "a-b"  # comment with ) and "


def test_docstring_spanning():
    assert slugify("""x
y""") == "x-y"
    assert slugify("ok") == "ok"


async def test_async():
    assert slugify("as") == "as"
`;

test('parsePytestId splits file, classes, name and drops parameters', () => {
  assert.deepEqual(parsePytestId('tests/test_s.py::TestA::TestB::test_x[1-a::b]'), { file: 'tests/test_s.py', classes: ['TestA', 'TestB'], name: 'test_x' });
  assert.deepEqual(parsePytestId('t.py::test_y'), { file: 't.py', classes: [], name: 'test_y' });
  assert.equal(parsePytestId('no-separator'), null);
  assert.equal(parsePytestId('t.py::'), null);
});

test('one-line asserts, trailing comments removed, only from the named test', () => {
  assert.deepEqual(extractPythonTestAsserts(SOURCE, 'tests/t.py::test_slugify_basic'), [
    'assert slugify("Hello World") == "hello-world"',
    'assert slugify("  a  ") == "a"',
  ]);
  assert.deepEqual(extractPythonTestAsserts(SOURCE, 'tests/t.py::test_other'), ['assert slugify("#") == ""']);
});

test('bracketed and backslash continuations are joined into one line', () => {
  assert.deepEqual(extractPythonTestAsserts(SOURCE, 'tests/t.py::test_slugify_multiline'), [
    'assert slugify("A, B  and C",) == "a-b-and-c"',
    'assert result == "x-y", "hash becomes a dash"',
  ]);
});

test('parametrized ids map to their function; class and nested-class scopes are honoured', () => {
  assert.deepEqual(extractPythonTestAsserts(SOURCE, 'tests/t.py::test_param[a b-a-b]'), ['assert slugify(text) == expected']);
  assert.deepEqual(extractPythonTestAsserts(SOURCE, 'tests/t.py::TestSlug::test_other'), ['assert slugify("Class Other") == "class-other"']);
  assert.deepEqual(extractPythonTestAsserts(SOURCE, 'tests/t.py::TestSlug::test_in_class'), ['assert slugify("In Class") == "in-class"']);
  assert.deepEqual(extractPythonTestAsserts(SOURCE, 'tests/t.py::TestOuter::TestInner::test_nested'), ['assert slugify("deep") == "deep"']);
  assert.deepEqual(extractPythonTestAsserts(SOURCE, 'tests/t.py::TestSlug::test_missing'), []);
  assert.deepEqual(extractPythonTestAsserts(SOURCE, 'tests/t.py::test_async'), ['assert slugify("as") == "as"']);
});

test('brackets and # inside strings do not confuse the scanner; multi-line strings are skipped', () => {
  assert.deepEqual(extractPythonTestAsserts(SOURCE, 'tests/t.py::test_strings_with_hash_and_brackets'), ['assert slugify("a # (b") == "a-b"']);
  assert.deepEqual(extractPythonTestAsserts(SOURCE, 'tests/t.py::test_docstring_spanning'), ['assert slugify("ok") == "ok"']);
});

test('an unbalanced assert at the end of the text is dropped, not guessed', () => {
  assert.deepEqual(extractAssertStatements(['    assert f(1,', '        2']), []);
  assert.deepEqual(extractAssertStatements(['assert f(1) == 2', 'x = 3', 'assertion = 1']), ['assert f(1) == 2']);
});

test('a module-level test is not confused with a method of the same name defined earlier', () => {
  const src = 'class TestA:\n    def test_same(self):\n        assert g(1) == 1\n\n\ndef test_same():\n    assert g(2) == 2\n';
  assert.deepEqual(extractPythonTestAsserts(src, 't.py::test_same'), ['assert g(2) == 2']);
  assert.deepEqual(extractPythonTestAsserts(src, 't.py::TestA::test_same'), ['assert g(1) == 1']);
});

test('a multi-line def header is skipped before the body is read', () => {
  const src = 'def test_long(\n    tmp_path,\n):\n    assert g(1) == 1\n\ndef test_next():\n    assert g(2) == 2\n';
  assert.deepEqual(extractPythonTestAsserts(src, 't.py::test_long'), ['assert g(1) == 1']);
});
