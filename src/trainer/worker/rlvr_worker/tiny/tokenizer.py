"""Train the tiny byte-level BPE tokenizer on the synthetic corpus and wrap it for transformers.

Byte-level BPE needs no unknown token: any text, including untrusted model output and code with
unusual characters, round-trips exactly. Role markers and ``<|end|>`` are special tokens;
``<think>``/``</think>`` are plain added tokens so they stay in decoded text.
"""

from __future__ import annotations

import json
import os
from typing import Iterable

from tokenizers import AddedToken, Tokenizer, decoders, models, pre_tokenizers, trainers
from transformers import PreTrainedTokenizerFast

from .chat_format import CHAT_TEMPLATE, END, PAD, ROLE_TOKENS, THINK_CLOSE, THINK_OPEN

SPECIAL_TOKENS = (PAD, END, *ROLE_TOKENS.values())  # PAD gets id 0, END id 1


def training_texts(chats: Iterable[list[dict[str, str]]]) -> Iterable[str]:
    """Message contents without the think markers: markers are added whole after training, and
    leaving them in would spend merges on their pieces."""
    for messages in chats:
        for message in messages:
            yield message["content"].replace(THINK_OPEN, "").replace(THINK_CLOSE, "")


def train_bpe(texts: Iterable[str], vocab_size: int) -> Tokenizer:
    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size - 2,  # room for the two think markers
        min_frequency=2,
        special_tokens=[AddedToken(t, special=True, normalized=False) for t in SPECIAL_TOKENS],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tokenizer.train_from_iterator(texts, trainer=trainer)
    tokenizer.add_tokens([AddedToken(t, special=False, normalized=False) for t in (THINK_OPEN, THINK_CLOSE)])
    return tokenizer


def wrap_for_transformers(tokenizer: Tokenizer, max_length: int) -> PreTrainedTokenizerFast:
    return PreTrainedTokenizerFast(
        tokenizer_object=tokenizer,
        eos_token=END,
        pad_token=PAD,
        additional_special_tokens=list(ROLE_TOKENS.values()),
        chat_template=CHAT_TEMPLATE,
        clean_up_tokenization_spaces=False,  # decode must return the bytes the model produced
        model_max_length=max_length,
        padding_side="left",  # batched generation pads prompts on the left
    )


def build_tokenizer(chats: Iterable[list[dict[str, str]]], vocab_size: int, max_length: int) -> PreTrainedTokenizerFast:
    return wrap_for_transformers(train_bpe(training_texts(chats), vocab_size), max_length)


def save_tokenizer(tokenizer: PreTrainedTokenizerFast, out_dir: str) -> None:
    """Save, then rewrite tokenizer_config.json in the long-standing portable form.

    transformers 5 writes ``tokenizer_class: TokenizersBackend`` and moves the chat template to
    chat_template.jinja; transformers 4.x and other loaders only know ``PreTrainedTokenizerFast``
    and read ``chat_template`` from the config. Both files keep the same template.
    """
    tokenizer.save_pretrained(out_dir)
    config = {
        "tokenizer_class": "PreTrainedTokenizerFast",
        "eos_token": END,
        "pad_token": PAD,
        "additional_special_tokens": list(ROLE_TOKENS.values()),
        "chat_template": CHAT_TEMPLATE,
        "clean_up_tokenization_spaces": False,
        "model_max_length": tokenizer.model_max_length,
        "padding_side": "left",
    }
    with open(os.path.join(out_dir, "tokenizer_config.json"), "w", encoding="utf-8") as f:
        json.dump(config, f, indent=2)
        f.write("\n")
