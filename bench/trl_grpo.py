"""TRL's GRPOTrainer on the same run as `npm run bench -- grpo` (bench/grpo.ts writes the spec).

Usage: python bench/trl_grpo.py SPEC.json OUT.json

The spec holds the model folder, a copy of the workspace, the settings, and one row per prompt in
the order our own run used them (step 1's tasks, then step 2's, ...), so with shuffling off both
trainers see the same prompts at every step.

The reward function is written the way a TRL user would write it: pull the code out of the
completion, splice it into a temporary copy of the workspace and run a fresh `python -m pytest -q`
on the task's tests, reward = fraction passed. No sandbox (which favours TRL). Completions are
verified `reward_workers` at a time (a thread pool), which also favours TRL over the usual loop.

Per-step wall time comes from a TrainerCallback (on_step_begin / on_step_end); TRL's own
profiling contexts (generate, rewards, _prepare_inputs) are captured for the breakdown. With
`lockstep_dir` in the spec, each step waits for our matching step to finish first (files go-N /
done-N), so the two trainers alternate step by step on the shared machine.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from typing import Any

FENCE = re.compile(r"```[ \t]*([A-Za-z0-9_+-]*)[ \t]*\r?\n(.*?)```", re.S)
CODE_LANGUAGES = {"", "python", "py", "python3"}
PYTEST_COUNT = re.compile(r"(\d+) (passed|failed|error|errors)\b")


# ---------------------------------------------------------------- the user's reward functions

def extract_code(text: str) -> str | None:
    """The first python (or unlabelled) fenced block after </think>, else None."""
    answer = text.split("</think>", 1)[1] if "</think>" in text else text
    for language, body in FENCE.findall(answer):
        if language.lower() in CODE_LANGUAGES and body.strip():
            return body
    return None


def splice(source: str, start_line: int, end_line: int, code: str) -> str:
    """Replace the function (lines start..end, 1-based, decorators included) by `code`, re-indented
    to the original def; the original decorators stay when the candidate brings none."""
    lines = source.splitlines(keepends=True)
    span = lines[start_line - 1:end_line]
    def_offset = next((i for i, line in enumerate(span) if re.match(r"\s*(async\s+)?def\s", line)), 0)
    indent = re.match(r"\s*", span[def_offset]).group(0)
    candidate = textwrap.dedent(code).strip("\n")
    keep = 0 if candidate.lstrip().startswith("@") else def_offset
    block = textwrap.indent(candidate, indent) + "\n"
    return "".join(lines[: start_line - 1 + keep]) + block + "".join(lines[end_line:])


def run_tests(workspace: str, row: dict[str, Any], code: str, timeout_s: float) -> float:
    """Fresh pytest on a temp copy of the workspace holding the spliced module; fraction passed."""
    tmp = tempfile.mkdtemp(prefix="trl-reward-")
    try:
        copy = os.path.join(tmp, "ws")
        shutil.copytree(workspace, copy, ignore=shutil.ignore_patterns(".rlvr", "__pycache__", ".pytest_cache"))
        target = os.path.join(copy, row["file"])
        with open(target, encoding="utf-8") as f:
            source = f.read()
        with open(target, "w", encoding="utf-8") as f:
            f.write(splice(source, row["start_line"], row["end_line"], code))
        try:
            done = subprocess.run(
                [sys.executable, "-m", "pytest", "-q", *row["tests"]],
                cwd=copy, capture_output=True, text=True, timeout=timeout_s,
            )
        except subprocess.TimeoutExpired:
            return 0.0
        counts = {kind: int(n) for n, kind in PYTEST_COUNT.findall(done.stdout.strip().splitlines()[-1] if done.stdout.strip() else "")}
        return counts.get("passed", 0) / max(1, len(row["tests"]))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def format_score(text: str) -> float:
    """Same shape as ours (src/trainer/rl/completion.ts formatScore): think block, one code block."""
    think = 0.5 if text.lstrip().startswith("<think>") and "</think>" in text else 0.0
    answer = text.split("</think>", 1)[1] if "</think>" in text else text
    blocks = FENCE.findall(answer)
    fenced = any(language.lower() in CODE_LANGUAGES for language, _ in blocks)
    return think + (0.5 if len(blocks) == 1 and fenced else 0.0)


def make_reward_functions(spec: dict[str, Any], timings: dict[str, list[float]]):
    workspace, workers, timeout_s = spec["workspace"], spec["reward_workers"], spec["test_timeout_s"]

    def correctness(prompts, completions, file, start_line, end_line, tests, **_: Any) -> list[float]:
        started = time.perf_counter()

        def one(i: int) -> float:
            code = extract_code(completions[i][0]["content"])
            row = {"file": file[i], "start_line": start_line[i], "end_line": end_line[i], "tests": tests[i]}
            return 0.0 if code is None else run_tests(workspace, row, code, timeout_s)

        with ThreadPoolExecutor(max_workers=workers) as pool:
            rewards = list(pool.map(one, range(len(completions))))
        timings["pytest_s"].append(time.perf_counter() - started)
        return rewards

    def format_reward(completions, **_: Any) -> list[float]:
        return [format_score(c[0]["content"]) for c in completions]

    return [correctness, format_reward]


# ---------------------------------------------------------------- the trainer

def build_dataset(spec: dict[str, Any]):
    from datasets import Dataset

    rows = spec["rows"]
    return Dataset.from_dict({
        "prompt": [r["prompt"] for r in rows],
        "file": [r["file"] for r in rows],
        "start_line": [r["start_line"] for r in rows],
        "end_line": [r["end_line"] for r in rows],
        "tests": [r["tests"] for r in rows],
    })


def build_config(spec: dict[str, Any], output_dir: str):
    from trl import GRPOConfig

    s = spec["settings"]
    return GRPOConfig(
        output_dir=output_dir,
        max_steps=spec["steps"],
        per_device_train_batch_size=s["tasks_per_step"] * s["group_size"],  # one step = B prompts × G
        gradient_accumulation_steps=1,
        num_generations=s["group_size"],
        max_completion_length=s["max_new_tokens"],
        temperature=s["temperature"],
        top_p=s["top_p"],
        loss_type=s["loss_type"],
        scale_rewards="group" if s["advantage_scaling"] == "std" else "none",
        beta=0.0,
        epsilon=s["epsilon_low"],
        epsilon_high=s["epsilon_high"],
        learning_rate=s["learning_rate"],
        lr_scheduler_type=s["lr_schedule"],
        warmup_steps=s["warmup_steps"],
        weight_decay=s["weight_decay"],
        max_grad_norm=s["max_grad_norm"],
        reward_weights=[1.0, s["format_weight"]],
        shuffle_dataset=False,
        seed=spec["seed"],
        use_vllm=False,
        gradient_checkpointing=False,  # TRL's default is True; ours is off (and it only costs time on CPU)
        use_cpu=True,
        bf16=False,
        fp16=False,
        logging_steps=1,
        report_to="none",
        save_strategy="no",
        disable_tqdm=True,
        dataloader_num_workers=0,
    )


def peft_config(spec: dict[str, Any]):
    lora = spec["settings"]["lora"]
    if lora is None:
        return None
    from peft import LoraConfig

    return LoraConfig(r=lora["rank"], lora_alpha=lora["alpha"], lora_dropout=0.0,
                      target_modules=lora["targets"], task_type="CAUSAL_LM")


def capture_profiling(timings: dict[str, list[float]]) -> None:
    """TRL times generate/rewards/loss with ProfilingContext but only reports them to trackers;
    keep them per step instead."""
    from trl.extras import profiling

    original = profiling.ProfilingContext._log_metrics

    def log_metrics(self, duration: float) -> None:
        timings[self.name.removeprefix("GRPOTrainer.")].append(duration)
        original(self, duration)

    profiling.ProfilingContext._log_metrics = log_metrics


def wait_for(path: str, timeout_s: float = 3600.0) -> None:
    """Lockstep with bench/grpo.ts: block until the other side writes `path` (or give up)."""
    deadline = time.monotonic() + timeout_s
    while not os.path.exists(path):
        if os.getppid() == 1 or time.monotonic() > deadline:
            raise RuntimeError(f"gave up waiting for {path}: the benchmark driver is gone or stalled")
        time.sleep(0.05)


def step_timer(timings: dict[str, list[float]], steps: list[dict[str, Any]], lockstep_dir: str | None):
    from transformers import TrainerCallback

    class StepTimer(TrainerCallback):
        """Wall time per optimizer step, plus TRL's profiled parts accumulated during it. With a
        lockstep folder, step n starts only after our step n ended (go-n), and says when it is
        done (done-n), so both trainers alternate and see the same machine load."""

        def on_step_begin(self, args, state, control, **kwargs):
            number = len(steps) + 1
            if lockstep_dir:
                wait_for(os.path.join(lockstep_dir, f"go-{number}"))
            timings.clear()
            self.begin = time.perf_counter()

        def on_step_end(self, args, state, control, **kwargs):
            end = time.perf_counter()
            parts = {name: sum(values) for name, values in timings.items()}
            steps.append({"step": state.global_step, "begin": self.begin, "end": end, "seconds": end - self.begin, "parts": parts})
            if lockstep_dir:
                with open(os.path.join(lockstep_dir, f"done-{len(steps)}"), "w", encoding="utf-8") as f:
                    f.write(f"{end - self.begin}\n")

        def on_log(self, args, state, control, logs=None, **kwargs):
            if steps and logs and "reward" in logs:
                steps[-1]["log"] = {k: v for k, v in logs.items() if isinstance(v, (int, float))}

    return StepTimer()


def main(spec_path: str, out_path: str) -> int:
    with open(spec_path, encoding="utf-8") as f:
        spec = json.load(f)
    import torch

    torch.set_num_threads(spec["threads"])
    import transformers
    import trl
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from trl import GRPOTrainer

    timings: dict[str, list[float]] = defaultdict(list)
    steps: list[dict[str, Any]] = []
    capture_profiling(timings)
    started = time.perf_counter()
    model = AutoModelForCausalLM.from_pretrained(spec["model"], dtype=torch.float32)
    tokenizer = AutoTokenizer.from_pretrained(spec["model"])
    with tempfile.TemporaryDirectory(prefix="trl-grpo-out-") as output_dir:
        trainer = GRPOTrainer(
            model=model,
            processing_class=tokenizer,
            reward_funcs=make_reward_functions(spec, timings),
            args=build_config(spec, output_dir),
            train_dataset=build_dataset(spec),
            peft_config=peft_config(spec),
            callbacks=[step_timer(timings, steps, spec.get("lockstep_dir"))],
        )
        setup_s = time.perf_counter() - started
        trainer.train()
    result = {
        "trl": trl.__version__, "transformers": transformers.__version__, "torch": torch.__version__,
        "threads": torch.get_num_threads(), "setup_s": setup_s, "steps": steps,
    }
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(result, f, indent=1)
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print("usage: python bench/trl_grpo.py SPEC.json OUT.json", file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2]))
