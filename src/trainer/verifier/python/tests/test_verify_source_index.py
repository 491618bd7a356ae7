import textwrap

import pytest

from rlvr_verify.context import render_context
from rlvr_verify.source_index import SourceIndex

SOURCE = textwrap.dedent('''
    """Module doc."""
    import re
    from typing import Dict

    LIMIT = 3
    TABLE = {
        "a": 1,
    }


    def helper():
        return 1


    @decorate
    @decorate
    def fancy(a, b=lambda: 2,   # a comment
              *, c: "x:y" = {1: 2}) -> Dict[str, int]:  # trailing
        """Fancy doc.

        More.
        """
        return {}


    async def fetch(url): return url


    class Box(Base, metaclass=Meta):
        """A box."""
        size = 2

        def __init__(self):
            self.items = []

        @property
        def count(self):
            return len(self.items)

        @count.setter
        def count(self, value):
            pass

        class Inner:
            def deep(self, x):
                def nested():
                    return x
                return nested()

        def add(self, item) -> None:
            """Add one."""
            self.items.append(item)
''').lstrip("\\n")


@pytest.fixture(scope="module")
def index():
    return SourceIndex(SOURCE, "mod.py")


def test_sites_are_top_level_functions_and_methods_only(index):
    assert set(index.sites) == {"helper", "fancy", "fetch", "Box.__init__", "Box.Inner.deep", "Box.add"}
    assert "Box.count" in index.ambiguous          # property getter + setter share a name


def test_spans_include_decorators(index):
    site = index.sites["fancy"]
    lines = SOURCE.splitlines()
    assert lines[site.start_line - 1].strip() == "@decorate"
    assert lines[site.def_line - 1].startswith("def fancy")
    assert lines[site.end_line - 1].strip() == "return {}"
    assert index.symbol_at_line(site.start_line) == "fancy"
    assert index.symbol_at_line(site.def_line) == "fancy"


def test_signature_keeps_multiline_header_and_drops_trailing_comment(index):
    assert index.header_text(index.sites["fancy"].node) == (
        'def fancy(a, b=lambda: 2,   # a comment\n'
        '          *, c: "x:y" = {1: 2}) -> Dict[str, int]:')
    assert index.header_text(index.sites["fetch"].node) == "async def fetch(url):"
    assert index.header_text(index.sites["Box.add"].node) == "def add(self, item) -> None:"


def test_kind(index):
    assert index.sites["helper"].kind == "function"
    assert index.sites["Box.Inner.deep"].kind == "method"


def test_find_explains_unknown_and_ambiguous(index):
    with pytest.raises(LookupError, match="more than once"):
        index.find("Box.count")
    with pytest.raises(LookupError, match="no function 'nope'"):
        index.find("nope")


def test_context_of_function_has_imports_and_constants_but_no_bodies(index):
    context = render_context(index, index.sites["fancy"])
    assert "import re" in context and "from typing import Dict" in context
    assert "LIMIT = 3" in context and '"a": 1' in context
    assert "return 1" not in context and "def helper" not in context


def test_context_of_method_has_class_outline_with_stub_siblings(index):
    context = render_context(index, index.sites["Box.add"])
    assert "class Box(Base, metaclass=Meta):" in context
    assert '"""A box."""' in context and "size = 2" in context
    assert "def __init__(self): ..." in context
    assert "self.items = []" not in context            # no other bodies
    assert "def add" not in context                    # the target itself is not in its context
