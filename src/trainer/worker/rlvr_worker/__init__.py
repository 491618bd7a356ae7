"""RLVR Studio compute worker.

A PyTorch process that the TypeScript controller spawns as ``python -m rlvr_worker``. It speaks
the NDJSON protocol described in ``docs/protocol.md`` (schema:
``src/shared/protocol/worker-protocol.schema.json``): it writes ``hello`` first, then answers
``request`` frames one at a time with ``result`` / ``error`` frames, streaming ``progress`` and
``group`` frames while an op runs.
"""

__version__ = "0.1.0"
