"""Builders for engine tests: a random tiny Llama + a byte-level BPE tokenizer, made locally in
well under a second (nothing is downloaded), saved as a normal HF directory so tests go through
the real ``from_pretrained`` path of load_policy."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import torch
from tokenizers import AddedToken, Tokenizer, decoders, models, pre_tokenizers, trainers
from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

CORPUS = [
    "def add(a, b):\n    return a + b\n",
    "def mul(a, b):\n    return a * b\n",
    "```python\nprint('hello world')\n```\n",
    "The answer is 42. Wait, let me check again.",
    "for i in range(10):\n    total += i\n",
]
CHAT_TEMPLATE = (
    "{% for m in messages %}<|{{ m['role'] }}|>{{ m['content'] }}<|end|>{% endfor %}"
    "{% if add_generation_prompt %}<|assistant|>{% endif %}"
)
SPECIALS = ["<pad>", "<|end|>", "<|system|>", "<|user|>", "<|assistant|>"]


def build_tokenizer(vocab_size: int = 320) -> PreTrainedTokenizerFast:
    bpe = Tokenizer(models.BPE())
    bpe.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    bpe.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=[AddedToken(t, special=True, normalized=False) for t in SPECIALS],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    bpe.train_from_iterator(CORPUS * 4, trainer=trainer)
    return PreTrainedTokenizerFast(
        tokenizer_object=bpe,
        pad_token="<pad>",
        eos_token="<|end|>",
        chat_template=CHAT_TEMPLATE,
        clean_up_tokenization_spaces=False,
    )


def build_model_dir(path: Path, seed: int = 0, hidden: int = 64, layers: int = 2) -> Path:
    """Write tokenizer + random tiny Llama to ``path`` and return it."""
    tokenizer = build_tokenizer()
    config = LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=hidden,
        intermediate_size=hidden * 2,
        num_hidden_layers=layers,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=256,
        pad_token_id=tokenizer.pad_token_id,
        eos_token_id=tokenizer.eos_token_id,
        bos_token_id=None,
        tie_word_embeddings=False,
    )
    torch.manual_seed(seed)
    model = LlamaForCausalLM(config)
    # HF's default init (std 0.02) gives near-uniform next-token distributions; a larger scale
    # makes distributions peaked enough that logprob differences are visible in tests.
    with torch.no_grad():
        model.lm_head.weight.normal_(0.0, 0.5)
    model.save_pretrained(path)
    tokenizer.save_pretrained(path)
    return path


def load_params(model_dir: Path, **overrides: Any) -> dict[str, Any]:
    """Complete load_policy params (as the schema requires them) for the tiny model on CPU."""
    params: dict[str, Any] = {
        "model": str(model_dir),
        "device": "cpu",
        "dtype": "float32",
        "attn_implementation": "sdpa",
        "cpu_threads": 1,
        "seed": 0,
        "lora": None,
        "gradient_checkpointing": False,
        "beta": 0.0,
        "optimizer": {
            "learning_rate": 1e-3,
            "weight_decay": 0.0,
            "betas": [0.9, 0.99],
            "eps": 1e-8,
            "schedule": "constant",
            "warmup_steps": 0,
            "total_steps": 100,
            "max_grad_norm": 1.0,
        },
    }
    params.update(overrides)
    return params


LORA = {"rank": 4, "alpha": 8, "dropout": 0.0, "target_modules": ["q_proj", "v_proj"]}


class RecordingContext:
    """An OpContext stand-in that records frames and can cancel after N checks."""

    def __init__(self, cancel_after: int | None = None) -> None:
        self.groups: list[dict[str, Any]] = []
        self.progress_frames: list[tuple[str, int, int]] = []
        self.checks = 0
        self.cancel_after = cancel_after

    def progress(self, stage: str, done: int, total: int, message: str | None = None) -> None:
        self.progress_frames.append((stage, done, total))

    def emit_group(self, prompt_index: int, prompt_token_ids: list[int], samples: list[dict[str, Any]]) -> None:
        self.groups.append({"prompt_index": prompt_index, "prompt_token_ids": prompt_token_ids, "samples": samples})

    def check_cancelled(self) -> None:
        from rlvr_worker.errors import Cancelled

        self.checks += 1
        if self.cancel_after is not None and self.checks > self.cancel_after:
            raise Cancelled()


@pytest.fixture(scope="session")
def llama_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A random 2-layer, hidden-64 Llama directory shared by a test module."""
    return build_model_dir(tmp_path_factory.mktemp("llama"))


def make_engine(model_dir: Path, **overrides: Any) -> Any:
    from rlvr_worker.engine import Engine

    engine = Engine()
    engine.load_policy(load_params(model_dir, **overrides), RecordingContext())
    return engine


def user_prompt(text: str) -> dict[str, Any]:
    return {"messages": [{"role": "user", "content": text}]}


def generate_params(prompts: list[str], **overrides: Any) -> dict[str, Any]:
    params: dict[str, Any] = {
        "prompts": [user_prompt(p) for p in prompts],
        "n": 2,
        "temperature": 1.0,
        "top_p": 1.0,
        "max_new_tokens": 12,
        "stop": [],
        "seed": 7,
        "emit_groups": False,
    }
    params.update(overrides)
    return params


# --- training helpers shared by the train / checkpoint / parity / cuda tests ---

TRAIN_PROMPTS = ["def add", "hello there, the answer is 42. Wait", "x"]


def sampled_sequences(engine: Any, advantages: list[float], max_new_tokens: int = 10) -> list[dict[str, Any]]:
    """Real samples of the engine's policy (n=2 per prompt), with the given advantages."""
    result = engine.generate(
        generate_params(TRAIN_PROMPTS, n=2, max_new_tokens=max_new_tokens, seed=0), RecordingContext()
    )
    samples = [(g["prompt_token_ids"], s) for g in result["groups"] for s in g["samples"]]
    return [
        {
            "prompt_token_ids": p,
            "completion_token_ids": s["token_ids"],
            "advantage": adv,
            "old_logprobs": None,
            "truncated": False,  # tests that need truncation set it explicitly
        }
        for (p, s), adv in zip(samples, advantages)
    ]


def train_params(sequences: list[dict[str, Any]], **overrides: Any) -> dict[str, Any]:
    params: dict[str, Any] = {
        "sequences": sequences,
        "loss_type": "grpo",
        "epsilon_low": 0.2,
        "epsilon_high": 0.28,
        "beta": 0.0,
        "mask_truncated": False,
        "micro_batch_size": 4,
        "temperature": 1.0,
        "max_completion_length": 10,
    }
    params.update(overrides)
    return params


def completion_logprob_sum(engine: Any, sequences: list[dict[str, Any]]) -> list[float]:
    scored = engine.score({"sequences": sequences, "temperature": 1.0}, RecordingContext())
    return [sum(lp) for lp in scored["logprobs"]]


def snapshot(engine: Any) -> dict[str, torch.Tensor]:
    return {k: v.detach().clone() for k, v in engine.policy.model.named_parameters()}
