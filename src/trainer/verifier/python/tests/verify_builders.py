"""Small builders for throwaway workspaces and a client for the ``serve`` process."""
from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any, Dict, List, Optional

PACKAGE_ROOT = Path(__file__).resolve().parents[1]       # src/trainer/verifier/python


def cli_env(extra: Optional[Dict[str, str]] = None) -> Dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(PACKAGE_ROOT)
    env.pop("PYTEST_ADDOPTS", None)
    env.update(extra or {})
    return env


class Workspace:
    """A directory of files; ``write`` dedents, ``snapshot`` lists every file with its bytes."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def write(self, rel: str, text: str) -> "Workspace":
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return self

    def read(self, rel: str) -> str:
        return (self.root / rel).read_text(encoding="utf-8")

    def snapshot(self) -> Dict[str, bytes]:
        return {str(p.relative_to(self.root)): p.read_bytes() if p.is_file() else b"<dir>"
                for p in sorted(self.root.rglob("*"))}

    def run(self, *args: str, timeout: float = 120, stdin: Optional[str] = None) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "rlvr_verify", *args], cwd=self.root, env=cli_env(),
                              input=stdin, capture_output=True, text=True, timeout=timeout)

    def run_json(self, *args: str) -> Any:
        proc = self.run(*args)
        assert proc.returncode == 0, proc.stderr[-3000:]
        return json.loads(proc.stdout)


STRINGS_MODULE = '''
import re
from functools import lru_cache

SEP = "-"


def slugify(text, sep=SEP):
    """Lower-case words joined by sep."""
    return sep.join(_words(text))


def _words(text):
    return re.findall(r"[a-z0-9]+", text.lower())


@lru_cache(maxsize=None)
def shout(word):
    return word.upper() + "!"


def outer(x):
    def inner(y):
        return y * 2
    return inner(x)


class Stack:
    """A LIFO stack."""

    limit = 10

    def __init__(self):
        self.items = []

    def push(self, item):
        self.items.append(item)

    def pop(self):
        return self.items.pop()

    @property
    def size(self):
        return len(self.items)


class Child(Stack):
    def push(self, item):
        super().push(item * 10)
'''

STRINGS_TESTS = '''
import pytest

from pkg.strings import Child, Stack, outer, shout, slugify


@pytest.fixture
def stack():
    s = Stack()
    s.push(1)
    return s


def test_slugify_basic():
    assert slugify("Hello World") == "hello-world"


def test_slugify_sep():
    assert slugify("A b", sep="_") == "a_b"


@pytest.mark.parametrize("text, expected", [("Foo Bar", "foo-bar"), ("x", "x")])
def test_slugify_param(text, expected):
    assert slugify(text) == expected


def test_pop(stack):
    assert stack.pop() == 1


def test_size(stack):
    assert stack.size == 1


def test_child_push():
    c = Child()
    c.push(2)
    assert c.items == [20]


def test_shout():
    assert shout("hey") == "HEY!"


def test_outer():
    assert outer(3) == 6


@pytest.mark.skip(reason="not today")
def test_skipped():
    slugify("never")


@pytest.mark.xfail(reason="known")
def test_xfail():
    assert slugify("a b") == "a b"
'''


def basic_workspace(root: Path) -> Workspace:
    ws = Workspace(root)
    ws.write("pkg/__init__.py", "")
    ws.write("pkg/strings.py", STRINGS_MODULE)
    ws.write("tests/test_strings.py", STRINGS_TESTS)
    return ws


class ServeClient:
    """Runs ``python -m rlvr_verify serve`` in ``root`` and exchanges NDJSON with it."""

    def __init__(self, root: Path, *args: str, env: Optional[Dict[str, str]] = None,
                 prefix: Optional[List[str]] = None) -> None:
        self.proc = subprocess.Popen((prefix or []) + [sys.executable, "-m", "rlvr_verify", "serve", *args],
                                     cwd=root, env=cli_env(env), stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.ready = self._read(timeout=60)
        self._next_id = 0

    def _read(self, timeout: float) -> Dict[str, Any]:
        assert self.proc.stdout is not None
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("no reply from serve within %.0f s" % timeout)
            ready, _, _ = select.select([self.proc.stdout], [], [], remaining)
            if ready:
                line = self.proc.stdout.readline()
                if not line:
                    err = self.proc.stderr.read().decode(errors="replace") if self.proc.stderr else ""
                    raise EOFError(f"serve exited (code {self.proc.poll()}): {err[-3000:]}")
                return json.loads(line)

    def send_raw(self, line: str, timeout: float = 60) -> Dict[str, Any]:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line.encode() + b"\n")
        self.proc.stdin.flush()
        return self._read(timeout)

    def verify(self, file: str, symbol: str, candidate: str, tests: List[str], **extra: Any) -> Dict[str, Any]:
        self._next_id += 1
        request = {"id": self._next_id, "file": file, "symbol": symbol,
                   "candidate": textwrap.dedent(candidate).lstrip("\n"), "tests": tests,
                   "sentinel": f"test_rlvr_sentinel_{self._next_id}", "timeout_s": 10}
        request.update(extra)
        reply = self.send_raw(json.dumps(request), timeout=request["timeout_s"] + 60)
        assert reply.get("id") == request["id"], reply
        return reply

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=30)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
            for stream in (self.proc.stdout, self.proc.stderr):
                if stream:
                    stream.close()


def outcomes(reply: Dict[str, Any]) -> Dict[str, str]:
    return {t["id"]: t["outcome"] for t in reply["tests"]}


def flag_codes(reply: Dict[str, Any]) -> List[str]:
    return [f["code"] for f in reply["flags"]]
