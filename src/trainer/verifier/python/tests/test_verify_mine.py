import pytest

T = "tests/test_strings.py::"
S = "pkg/strings.py::"


@pytest.fixture(scope="module")
def mined(tmp_path_factory):
    from verify_builders import basic_workspace
    ws = basic_workspace(tmp_path_factory.mktemp("mine") / "ws")
    ws.write("tests/conftest.py", '''
        import pytest
        from pkg.strings import Stack

        @pytest.fixture
        def filled():
            s = Stack()
            s.push(7)
            return s
    ''')
    ws.write("tests/test_fixture_use.py", '''
        def test_uses_conftest_fixture(filled):
            assert filled.items == [7]
    ''')
    before = ws.snapshot()
    result = ws.run_json("mine")
    return ws, before, result


def test_workspace_is_not_modified(mined):
    ws, before, _ = mined
    assert ws.snapshot() == before       # no __pycache__, no .pytest_cache


def test_outcomes_including_skips_and_xfails(mined):
    tests = {t["id"]: t for t in mined[2]["tests"]}
    assert tests[T + "test_slugify_basic"]["outcome"] == "passed"
    assert tests[T + "test_skipped"]["outcome"] == "skipped"
    assert tests[T + "test_xfail"]["outcome"] == "xfailed"
    assert all(t["duration"] >= 0 for t in tests.values())
    assert mined[2]["collectErrors"] == []


def test_calls_map_tests_to_functions(mined):
    calls = mined[2]["calls"]
    assert calls[T + "test_slugify_basic"] == [S + "_words", S + "slugify"]
    assert calls[T + "test_slugify_param[Foo Bar-foo-bar]"] == [S + "_words", S + "slugify"]
    assert calls[T + "test_skipped"] == []


def test_methods_and_fixture_setup_calls_are_attributed(mined):
    calls = mined[2]["calls"]
    # the fixture (setup phase) pushes; the test body pops
    assert set(calls[T + "test_pop"]) == {S + "Stack.__init__", S + "Stack.push", S + "Stack.pop"}
    assert S + "Stack.size" in calls[T + "test_size"]
    assert set(calls["tests/test_fixture_use.py::test_uses_conftest_fixture"]) == {S + "Stack.__init__", S + "Stack.push"}
    # a subclass method calling super(): both are recorded
    assert {S + "Child.push", S + "Stack.push"} <= set(calls[T + "test_child_push"])


def test_decorated_functions_are_seen_and_nested_functions_are_not_tasks(mined):
    calls = mined[2]["calls"]
    assert calls[T + "test_shout"] == [S + "shout"]
    assert calls[T + "test_outer"] == [S + "outer"]
    symbols = {f["symbol"] for f in mined[2]["functions"]}
    assert "outer.inner" not in symbols and "inner" not in symbols


def test_function_metadata(mined):
    functions = {f["symbol"]: f for f in mined[2]["functions"] if f["file"] == "pkg/strings.py"}
    slug = functions["slugify"]
    assert slug["signature"] == "def slugify(text, sep=SEP):"
    assert slug["docstring"] == "Lower-case words joined by sep."
    assert slug["kind"] == "function"
    assert "import re" in slug["context"] and 'SEP = "-"' in slug["context"]
    lines = mined[0].read("pkg/strings.py").splitlines()
    assert lines[slug["startLine"] - 1].startswith("def slugify")
    assert lines[slug["endLine"] - 1].strip() == "return sep.join(_words(text))"
    shout = functions["shout"]
    assert lines[shout["startLine"] - 1].startswith("@lru_cache")
    push = functions["Stack.push"]
    assert push["kind"] == "method" and "class Stack:" in push["context"]
    assert "def pop(self): ..." in push["context"]
    # test files and conftest are never sources of tasks
    assert all(not f["file"].startswith("tests/") for f in mined[2]["functions"])


def test_collection_errors_are_reported_and_other_tests_still_run(tmp_path):
    from verify_builders import basic_workspace
    ws = basic_workspace(tmp_path / "ws")
    ws.write("tests/test_broken.py", "import does_not_exist\n")
    result = ws.run_json("mine")
    assert any("test_broken.py" in e for e in result["collectErrors"])
    assert any(t["id"] == T + "test_slugify_basic" and t["outcome"] == "passed" for t in result["tests"])
