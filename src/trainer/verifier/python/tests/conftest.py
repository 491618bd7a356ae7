import sys
from pathlib import Path

import pytest

sys.dont_write_bytecode = True
PACKAGE_ROOT = Path(__file__).resolve().parents[1]
if str(PACKAGE_ROOT) not in sys.path:
    sys.path.insert(0, str(PACKAGE_ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from verify_builders import basic_workspace  # noqa: E402


@pytest.fixture
def workspace(tmp_path):
    return basic_workspace(tmp_path / "ws")
