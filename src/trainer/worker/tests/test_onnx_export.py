"""export_onnx: the graph onnxruntime runs reproduces PyTorch's logits, prefill and decode with the
cache fed back; the manifest describes what a runtime needs; a LoRA policy exports merged."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch
from tiny_llama import (  # noqa: F401  (llama_dir is a fixture)
    LORA,
    RecordingContext,
    build_tokenizer,
    generate_params,
    llama_dir,
    make_engine,
    sampled_sequences,
    train_params,
)
from transformers import AutoModelForCausalLM, Qwen2Config, Qwen2ForCausalLM

from rlvr_worker.engine import Engine
from rlvr_worker.errors import WorkerError
from rlvr_worker.onnx_export import MANIFEST_FILE, PARITY_PROMPT, sha256_of
from rlvr_worker.onnx_parity import decode_floats
from rlvr_worker.prompts import render_prompt

ort = pytest.importorskip("onnxruntime", reason="onnxruntime is a dev requirement (requirements-dev.txt)")
TOLERANCE = 1e-4  # float32 on both sides; observed differences are ~1e-5


class OrtDecoder:
    """The graph driven as the editor drives it: batch 1, the presents fed back as the past."""

    def __init__(self, folder: Path) -> None:
        self.manifest = json.loads((folder / MANIFEST_FILE).read_text())
        self.session = ort.InferenceSession(str(folder / self.manifest["graph"]["file"]), providers=["CPUExecutionProvider"])
        model = self.manifest["model"]
        shape = (1, model["num_key_value_heads"], 0, model["head_dim"])
        self.past = [np.zeros(shape, np.float32) for _ in range(2 * model["num_layers"])]
        self.length = 0

    def step(self, ids: list[int]) -> np.ndarray:
        total = self.length + len(ids)
        feeds = {
            "input_ids": np.array([ids], np.int64),
            "attention_mask": np.ones((1, total), np.int64),
            "position_ids": np.arange(self.length, total, dtype=np.int64)[None],
        }
        feeds.update(zip(self.manifest["graph"]["inputs"][3:], self.past))
        logits, *self.past = self.session.run(None, feeds)
        self.length = total
        return logits[0, -1]  # [V]


def replay_parity(folder: Path) -> float:
    """Max |logit difference| over parity.json's cases (what the host's check does in TS)."""
    decoder = OrtDecoder(folder)
    cases = json.loads((folder / "parity.json").read_text())["cases"]
    worst = 0.0
    for case in cases:
        assert case["past_length"] == decoder.length, "cases must chain: each continues the previous cache"
        worst = max(worst, float(np.abs(decoder.step(case["input_ids"]) - decode_floats(case["logits"])).max()))
    return worst


def export(engine: Engine, out: Path, **params: Any) -> dict[str, Any]:
    return engine.export_onnx({"dir": str(out), **params}, RecordingContext())


@pytest.fixture(scope="module")
def lora_export(llama_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Engine, Path]:
    """A LoRA policy after two updates (A and B both non-zero: the merge is not trivial), exported once."""
    engine = make_engine(llama_dir, lora=LORA)
    sequences = sampled_sequences(engine, [1.0, -0.5, 0.7, -1.2, 0.3, -0.3])
    for _ in range(2):
        engine.train_step(train_params(sequences), RecordingContext())
    out = tmp_path_factory.mktemp("lora-onnx") / "onnx"
    result = export(engine, out)
    assert result["dir"] == str(out) and result["manifest"] == str(out / MANIFEST_FILE)
    return engine, out


def test_lora_policy_exports_merged_and_onnxruntime_reproduces_prefill_and_decode(
    lora_export: tuple[Engine, Path], llama_dir: Path
) -> None:
    engine, folder = lora_export
    assert replay_parity(folder) < TOLERANCE

    # The reference is the *trained* policy's: its prefill logits match the live LoRA model and not the base.
    prompt = render_prompt(engine.policy.tokenizer, [{"role": "user", "content": PARITY_PROMPT}])
    prefill = decode_floats(json.loads((folder / "parity.json").read_text())["cases"][0]["logits"])
    with torch.no_grad():
        live = engine.policy.model(input_ids=torch.tensor([prompt])).logits[0, -1].numpy()
        base = AutoModelForCausalLM.from_pretrained(llama_dir, dtype=torch.float32)(input_ids=torch.tensor([prompt])).logits[0, -1].numpy()
    assert np.abs(prefill - live).max() < 1e-4
    assert np.abs(prefill - base).max() > 1e-3, "precondition: training moved the logits away from the base"


def test_manifest_describes_the_graph_tokens_template_and_hashes(lora_export: tuple[Engine, Path]) -> None:
    engine, folder = lora_export
    manifest = json.loads((folder / MANIFEST_FILE).read_text())
    assert manifest["format"] == "rlvr-onnx" and manifest["version"] == 1
    assert manifest["model"] == {
        "model_type": "llama", "architectures": ["LlamaForCausalLM"], "num_layers": 2, "num_attention_heads": 4,
        "num_key_value_heads": 2, "head_dim": 16, "hidden_size": 64, "vocab_size": len(engine.policy.tokenizer),
        "max_position_embeddings": 256,
    }
    assert manifest["tokens"]["eos_token_ids"] == engine.policy.eos_token_ids
    assert manifest["tokens"]["pad_token_id"] == engine.policy.pad_token_id
    assert manifest["tokenizer"]["chat_template"] == engine.policy.tokenizer.chat_template
    assert manifest["tokenizer"]["template_variables"]["eos_token"] == "<|end|>"
    assert manifest["graph"]["inputs"][:4] == ["input_ids", "attention_mask", "position_ids", "past_key_values.0.key"]
    assert manifest["graph"]["outputs"][-1] == "present.1.value"
    assert manifest["weights_sha256"] == sha256_of(folder / "model.onnx.data")
    for name, entry in manifest["files"].items():
        assert entry == {"bytes": (folder / name).stat().st_size, "sha256": sha256_of(folder / name)}, name
    assert {"tokenizer.json", "tokenizer_config.json", "model.onnx", "parity.json"} <= set(manifest["files"])
    assert manifest["source"] == {"model": str(engine.policy.source), "step": 2, "lora": True}
    assert manifest["parity"] is None


def _qwen2_dir(path: Path) -> Path:
    """A random Qwen2 (attention biases, grouped KV heads, tied embeddings) with the test tokenizer."""
    tokenizer = build_tokenizer()
    config = Qwen2Config(
        vocab_size=len(tokenizer), hidden_size=64, intermediate_size=128, num_hidden_layers=2,
        num_attention_heads=4, num_key_value_heads=1, max_position_embeddings=128,
        eos_token_id=tokenizer.eos_token_id, pad_token_id=tokenizer.pad_token_id, tie_word_embeddings=True,
    )
    torch.manual_seed(1)
    Qwen2ForCausalLM(config).save_pretrained(path)
    tokenizer.save_pretrained(path)
    return path


def test_a_model_folder_exports_without_a_policy_and_greedy_decoding_matches_the_worker(tmp_path: Path) -> None:
    model_dir = _qwen2_dir(tmp_path / "qwen2")
    engine = Engine()  # no load_policy: params.model names the folder
    folder = Path(export(engine, tmp_path / "onnx", model=str(model_dir))["dir"])
    assert replay_parity(folder) < TOLERANCE

    worker = make_engine(model_dir)
    params = generate_params(["def add(a, b):"], n=1, max_new_tokens=12, greedy=True)
    expected = worker.generate(params, RecordingContext())["groups"][0]
    decoder = OrtDecoder(folder)
    logits = decoder.step(expected["prompt_token_ids"])
    tokens = []
    for _ in range(len(expected["samples"][0]["token_ids"])):
        tokens.append(int(np.argmax(logits)))
        logits = decoder.step(tokens[-1:])
    assert tokens == expected["samples"][0]["token_ids"]


def test_greedy_generate_is_argmax_whatever_the_seed(llama_dir: Path) -> None:
    engine = make_engine(llama_dir)
    runs = [engine.generate(generate_params(["def add"], n=2, greedy=True, seed=s), RecordingContext()) for s in (1, 2)]
    samples = [s["token_ids"] for r in runs for s in r["groups"][0]["samples"]]
    assert all(s == samples[0] for s in samples)
    prompt = runs[0]["groups"][0]["prompt_token_ids"]
    with torch.no_grad():
        first = int(engine.policy.model(input_ids=torch.tensor([prompt])).logits[0, -1].argmax())
    assert samples[0][0] == first


def test_export_refuses_a_non_empty_folder_and_needs_a_model(llama_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "keep.txt").write_text("mine")
    with pytest.raises(WorkerError) as err:
        export(Engine(), tmp_path / "busy", model=str(llama_dir))
    assert err.value.code == "invalid_params" and "not empty" in err.value.message
    assert (tmp_path / "busy" / "keep.txt").read_text() == "mine"
    with pytest.raises(WorkerError) as err:
        export(Engine(), tmp_path / "fresh")
    assert err.value.code == "no_model"


def test_a_missing_exporter_package_is_named_with_the_install_command(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "onnxscript" else real(name, *a))
    with pytest.raises(WorkerError) as err:
        export(Engine(), tmp_path / "onnx", model="/nowhere")
    assert "onnxscript" in err.value.message and "requirements.txt" in err.value.message
    assert err.value.data == {"missing": ["onnxscript"]}
