import ast
import json
import textwrap

import pytest

from rlvr_verify.check import CheckInputError, check_candidate
from rlvr_verify.source_index import SourceIndex
from verify_builders import STRINGS_MODULE


def pristine(text: str = STRINGS_MODULE) -> SourceIndex:
    return SourceIndex(textwrap.dedent(text).lstrip("\n"), "pkg/strings.py")


def check(symbol: str, candidate: str, text: str = STRINGS_MODULE, **kw):
    return check_candidate(pristine(text), symbol, textwrap.dedent(candidate).lstrip("\n"), **kw)


def codes(result):
    return [f.code for f in result.flags]


def test_parse_error_names_the_line():
    result = check("slugify", "def slugify(text, sep='-'):\n    return (\n")
    assert codes(result) == ["parse_error"] and not result.ok
    assert "line" in result.flags[0].message


def test_wrong_symbol():
    assert codes(check("slugify", "def slug(text):\n    return text\n")) == ["wrong_symbol"]
    assert codes(check("slugify", "x = 1\n")) == ["wrong_symbol"]


@pytest.mark.parametrize("extra", [
    "print('side effect')\n",
    "def other():\n    pass\n",
    "class Evil:\n    pass\n",
    "import os\n",            # imports are allowed only before the def
])
def test_anything_besides_imports_and_one_def_is_extra_toplevel(extra):
    result = check("slugify", "def slugify(text, sep='-'):\n    return text\n" + extra)
    assert "extra_toplevel" in codes(result)


def test_imports_before_def_are_moved_to_module_level_and_splice_parses():
    result = check("slugify", "import string\n\ndef slugify(text, sep='-'):\n    return string.capwords(text)\n")
    assert result.ok, result.flags
    tree = ast.parse(result.splice.text)
    assert any(isinstance(n, ast.Import) and n.names[0].name == "string" for n in tree.body)


def test_function_splice_replaces_exactly_the_span():
    result = check("slugify", "def slugify(text, sep='-'):\n    return 'NEW'\n")
    assert result.ok
    text = result.splice.text
    assert "return 'NEW'" in text and "return sep.join(_words(text))" not in text
    assert "def _words(text):" in text and 'SEP = "-"' in text
    assert len(text.splitlines()) == len(pristine().lines) - 1


def test_indented_method_candidate_is_dedented_and_reindented_into_the_class():
    candidate = "        def pop(self):\n            value = self.items.pop()\n            return value\n"
    result = check("Stack.pop", candidate)
    assert result.ok, result.flags
    assert "    def pop(self):\n        value = self.items.pop()\n        return value\n" in result.splice.text
    SourceIndex(result.splice.text).find("Stack.pop")


def test_multiline_string_contents_are_not_reindented():
    candidate = 'def pop(self):\n    text = """first\nsecond"""\n    return text\n'
    result = check("Stack.pop", candidate)
    assert result.ok
    assert '        text = """first\nsecond"""\n' in result.splice.text
    namespace = {}
    exec(compile(result.splice.text, "x", "exec"), namespace)
    assert namespace["Stack"]().pop() == "first\nsecond"


def test_candidate_without_decorators_keeps_the_pristine_ones():
    result = check("shout", "def shout(word):\n    return word + '?'\n")
    assert "@lru_cache(maxsize=None)\ndef shout(word):\n    return word + '?'" in result.splice.text
    assert result.splice.kept_decorators


def test_candidate_with_decorators_replaces_them():
    result = check("shout", "@staticmethod\ndef shout(word):\n    return word\n")
    assert "lru_cache(maxsize=None)\ndef" not in result.splice.text
    assert not result.splice.kept_decorators


def test_method_imports_go_before_the_class():
    result = check("Stack.pop", "import string\ndef pop(self):\n    return string.digits\n")
    assert result.ok
    assert "import string\nclass Stack:" in result.splice.text


def test_unknown_symbol_is_an_input_error_not_a_flag():
    with pytest.raises(CheckInputError, match="no function"):
        check("missing", "def missing():\n    pass\n")


def test_original_bodies_pass_their_own_checks():
    index = pristine()
    for symbol, site in index.sites.items():
        original = "".join(index.lines[site.start_line - 1:site.end_line])
        result = check_candidate(index, symbol, original)
        assert result.ok, (symbol, result.flags)
        assert result.splice.text == index.text


def test_check_cli_prints_json_and_writes_spliced_output(workspace, tmp_path):
    cand = tmp_path / "cand.py"
    cand.write_text("def slugify(text, sep='-'):\n    return text\n")
    out = tmp_path / "spliced.py"
    before = workspace.snapshot()
    result = workspace.run_json("check", "--file", "pkg/strings.py", "--symbol", "slugify",
                                "--candidate-file", str(cand), "--spliced-output", str(out))
    assert result["ok"] is True and result["flags"] == []
    assert out.read_text() == result["spliced"]
    assert workspace.snapshot() == before


def test_check_cli_reports_input_errors_with_exit_code_2(workspace, tmp_path):
    cand = tmp_path / "cand.py"
    cand.write_text("def nope():\n    pass\n")
    proc = workspace.run("check", "--file", "pkg/strings.py", "--symbol", "nope", "--candidate-file", str(cand))
    assert proc.returncode == 2
    assert "no function 'nope'" in json.loads(proc.stdout)["error"]


def test_backslash_continued_string_is_not_reindented():
    candidate = "    def pop(self):\n        return 'a\\\n  b'\n"
    result = check_candidate(pristine(), "Stack.pop", candidate)   # raw: textwrap.dedent would eat the spaces
    assert result.ok, result.flags
    namespace = {}
    exec(compile(result.splice.text, "x", "exec"), namespace)
    assert namespace["Stack"]().pop() == "a  b"
