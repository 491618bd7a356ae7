"""Chat messages → prompt token ids."""

from __future__ import annotations

from typing import Any, Sequence

from transformers import PreTrainedTokenizerBase

from .errors import WorkerError


def render_prompt(tokenizer: PreTrainedTokenizerBase, messages: Sequence[dict[str, Any]]) -> list[int]:
    """Token ids of ``messages`` ready for the assistant's turn.

    With a chat template: the template's text with ``add_generation_prompt=True``, tokenised
    without adding special tokens again (templates already write BOS where the model wants it).
    Without one (base models, the tiny test model): the contents joined by blank lines, with
    the tokenizer's usual special tokens — the plain-completion convention.
    """
    if not messages:
        raise WorkerError("invalid_params", "a prompt has no messages; give at least one {role, content}")
    if getattr(tokenizer, "chat_template", None):
        text = tokenizer.apply_chat_template(
            [{"role": m["role"], "content": m["content"]} for m in messages],
            tokenize=False,
            add_generation_prompt=True,
        )
        ids = tokenizer(text, add_special_tokens=False)["input_ids"]
    else:
        text = "\n\n".join(str(m["content"]) for m in messages)
        ids = tokenizer(text)["input_ids"]
    if not ids:
        raise WorkerError("invalid_params", "a prompt rendered to zero tokens; its messages have no content")
    return [int(t) for t in ids]


def chat_template_of(tokenizer: PreTrainedTokenizerBase) -> str | None:
    """The template ``apply_chat_template`` uses without tools: the string, or the ``default``
    entry of a named set (what an ONNX export's manifest carries to the editor)."""
    template = getattr(tokenizer, "chat_template", None)
    if isinstance(template, dict):
        template = template.get("default")
    return template or None
