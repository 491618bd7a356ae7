"""What a running op may do besides returning its result: report progress, emit early groups,
and notice cancellation.

The server creates one ``OpContext`` per request. Engine code calls ``check_cancelled()`` between
micro-batches / decode chunks; the host's ``cancel`` frame is read on another thread and sets an
event, so cancellation is cooperative and never interrupts a tensor op half-way.
"""

from __future__ import annotations

import threading
from typing import Any, Callable, Mapping

from .errors import Cancelled

Frame = dict[str, Any]
FrameSink = Callable[[Frame], None]


class OpContext:
    """Per-request handle given to every op handler as ``ctx``."""

    def __init__(
        self,
        request_id: int | None = None,
        send: FrameSink | None = None,
        cancel_event: threading.Event | None = None,
    ) -> None:
        self.request_id = request_id
        self._send: FrameSink = send if send is not None else _discard
        self._cancel_event = cancel_event if cancel_event is not None else threading.Event()

    @property
    def cancelled(self) -> bool:
        return self._cancel_event.is_set()

    def cancel(self) -> None:
        """Mark this op cancelled (the server calls this when a ``cancel`` frame arrives)."""
        self._cancel_event.set()

    def check_cancelled(self) -> None:
        """Raise ``Cancelled`` if the host asked to cancel this op. Call between chunks of work."""
        if self._cancel_event.is_set():
            raise Cancelled(data={"id": self.request_id})

    def progress(self, stage: str, done: int, total: int, message: str | None = None) -> None:
        """Send a ``progress`` frame: ``done`` of ``total`` units of ``stage`` are finished."""
        frame: Frame = {
            "type": "progress",
            "id": self.request_id,
            "stage": str(stage),
            "done": int(done),
            "total": int(total),
        }
        if message is not None:
            frame["message"] = str(message)
        self._send(frame)

    def emit_group(
        self,
        prompt_index: int,
        prompt_token_ids: list[int],
        samples: list[Mapping[str, Any]],
    ) -> None:
        """Send a ``group`` frame with all samples of one prompt as soon as they are finished
        (only meaningful when generate's ``emit_groups`` is true; the caller decides)."""
        self._send(
            {
                "type": "group",
                "id": self.request_id,
                "prompt_index": int(prompt_index),
                "prompt_token_ids": [int(t) for t in prompt_token_ids],
                "samples": [dict(s) for s in samples],
            }
        )


def _discard(_frame: Frame) -> None:
    """Default sink for contexts made outside the server (unit tests of engine code)."""
