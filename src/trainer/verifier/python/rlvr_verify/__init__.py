"""In-sandbox half of the RLVR verifier for pytest workspaces.

Run as ``python -m rlvr_verify <mine|serve|check|run>`` with the workspace root as the current
directory. Standard library + pytest only: this runs on the *workspace's* interpreter (Python >= 3.9,
pytest >= 7). See ``docs/verifier.md`` and the README beside this package.
"""

PROTOCOL_VERSION = 1
