"""The task prompt and completion format of docs/prompt-format.md, shared by the corpus and the
chat template so the tiny model is pretrained on exactly what the controller will send it."""

from __future__ import annotations

SYSTEM_PROMPT = (
    "You are a careful Python programmer. Think step by step inside <think></think>, "
    "then answer with the complete function in one ```python code block."
)
INSTRUCTION = "Complete the function so that its tests pass."

# Special tokens of the tiny tokenizer (role markers and end of turn) and the reasoning markers,
# which are ordinary added tokens so they survive ``decode(skip_special_tokens=True)``.
END = "<|end|>"
PAD = "<|pad|>"
ROLE_TOKENS = {"system": "<|system|>", "user": "<|user|>", "assistant": "<|assistant|>"}
THINK_OPEN, THINK_CLOSE = "<think>", "</think>"

# Jinja chat template: <|role|>\n{content}<|end|>\n per message, then <|assistant|>\n to prompt.
CHAT_TEMPLATE = (
    "{% for message in messages %}"
    "{{ '<|' + message['role'] + '|>\\n' + message['content'] + '<|end|>\\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|assistant|>\\n' }}{% endif %}"
)


def render_user(stub: str, asserts: list[str]) -> str:
    """The user turn. With no visible asserts the ``Tests:`` section is left out."""
    text = f"{INSTRUCTION}\n```python\n{stub}\n```"
    if asserts:
        text += "\nTests:\n```python\n" + "\n".join(asserts) + "\n```"
    return text


def render_completion(think: str, code: str) -> str:
    return f"{THINK_OPEN}\n{think}\n{THINK_CLOSE}\n```python\n{code}\n```"


def render_chat(messages: list[dict[str, str]], add_generation_prompt: bool = False) -> str:
    """Pure-Python twin of CHAT_TEMPLATE (tests compare the two)."""
    text = "".join(f"{ROLE_TOKENS[m['role']]}\n{m['content']}{END}\n" for m in messages)
    return text + (f"{ROLE_TOKENS['assistant']}\n" if add_generation_prompt else "")
