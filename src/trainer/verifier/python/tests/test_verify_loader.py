"""Loading a checked candidate into an already imported module (what each serve child does)."""
import importlib
import sys
import textwrap
import uuid

import pytest

from rlvr_verify.check import check_candidate
from rlvr_verify.loader import install_candidate
from rlvr_verify.source_index import SourceIndex

MODULE = '''
import functools


def plain(x):
    return x + 1


def naive(func):
    def wrapper(*args):
        return func(*args)
    return wrapper


@naive
def wrapped(x):
    return x * 2


class Base:
    def hello(self):
        return "base"


class Thing(Base):
    def _twice(func):
        @functools.wraps(func)
        def inner(self, *a):
            return func(self, *a) * 2
        return inner

    def __init__(self):
        self.__secret = 21

    def hello(self):
        return "thing"

    @_twice
    def doubled(self, x):
        return x

    @classmethod
    def make(cls):
        return cls()

    @staticmethod
    def util(x):
        return x

    @property
    def secret(self):
        return self.__secret

    class Inner:
        def deep(self):
            return 1
'''


@pytest.fixture
def loaded(tmp_path, monkeypatch):
    name = "mod_" + uuid.uuid4().hex[:8]
    path = tmp_path / f"{name}.py"
    path.write_text(textwrap.dedent(MODULE).lstrip("\n"))
    monkeypatch.syspath_prepend(str(tmp_path))
    module = importlib.import_module(name)
    index = SourceIndex(path.read_text(), str(path))

    def load(symbol, candidate):
        result = check_candidate(index, symbol, textwrap.dedent(candidate).lstrip("\n"), static=False)
        assert result.ok, result.flags
        return install_candidate(module, result)

    yield module, load
    sys.modules.pop(name, None)


def test_plain_function_is_swapped_in_place(loaded):
    module, load = loaded
    held = module.plain                          # like `from mod import plain` in a test module
    assert load("plain", "def plain(x):\n    return x - 1\n") == "swap"
    assert held(10) == 9 and module.plain is held


def test_decorator_without_wrapped_falls_back_to_replace_and_rebind(loaded):
    module, load = loaded
    holder = type(sys)("holder")                 # another module that imported the old object
    holder.__file__ = "holder.py"
    holder.wrapped = module.wrapped
    sys.modules["holder_for_test"] = holder
    try:
        assert load("wrapped", "def wrapped(x):\n    return x * 3\n") == "replace"
        assert module.wrapped(2) == 6 and holder.wrapped(2) == 6
    finally:
        del sys.modules["holder_for_test"]


def test_method_gaining_super_gets_the_real_class_cell(loaded):
    module, load = loaded
    assert load("Thing.hello", "def hello(self):\n    return 'x' + super().hello()\n") == "replace"
    assert module.Thing().hello() == "xbase"


def test_private_names_are_mangled_with_the_real_class_name(loaded):
    module, load = loaded
    load("Thing.secret", "def secret(self):\n    return self.__secret * 2\n")
    assert module.Thing().secret == 42


def test_decorator_defined_in_the_class_body_still_applies(loaded):
    module, load = loaded
    assert load("Thing.doubled", "def doubled(self, x):\n    return x + 1\n") == "swap"
    assert module.Thing().doubled(4) == 10


def test_classmethod_staticmethod_and_nested_class(loaded):
    module, load = loaded
    load("Thing.make", "def make(cls):\n    return cls.__name__\n")
    assert module.Thing.make() == "Thing"
    load("Thing.util", "def util(x):\n    return -x\n")
    assert module.Thing.util(3) == -3 and module.Thing().util(3) == -3
    load("Thing.Inner.deep", "def deep(self):\n    return 2\n")
    assert module.Thing.Inner().deep() == 2


def test_candidate_imports_land_in_module_globals(loaded):
    module, load = loaded
    load("plain", "import math\ndef plain(x):\n    return math.floor(x)\n")
    assert module.plain(2.7) == 2


def test_tracebacks_show_the_candidate_lines(loaded):
    import traceback
    module, load = loaded
    load("plain", "def plain(x):\n    raise ValueError('from the candidate')  # marker\n")
    with pytest.raises(ValueError) as info:
        module.plain(1)
    assert "# marker" in "".join(traceback.format_tb(info.tb))
