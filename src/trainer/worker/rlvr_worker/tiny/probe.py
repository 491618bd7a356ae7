"""Greedy and sampled completions from a built tiny model, for the CLI's ``--sample`` and tests."""

from __future__ import annotations

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

Messages = list[dict[str, str]]


def complete(model_dir: str, prompts: list[Messages], max_new_tokens: int = 160, temperature: float = 0.0,
             seed: int = 0) -> list[str]:
    """One completion per prompt (greedy when ``temperature`` is 0), decoded with the think
    markers kept and special tokens dropped."""
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModelForCausalLM.from_pretrained(model_dir)
    model.eval()
    torch.manual_seed(seed)
    outputs = []
    for messages in prompts:
        prompt_ids = tokenizer.apply_chat_template(messages, add_generation_prompt=True, return_tensors="pt",
                                                   return_dict=True)["input_ids"]  # [1, T]
        with torch.no_grad():
            generated = model.generate(
                prompt_ids, attention_mask=torch.ones_like(prompt_ids), max_new_tokens=max_new_tokens,
                do_sample=temperature > 0, temperature=temperature if temperature > 0 else None, top_p=None, top_k=None,
            )
        outputs.append(tokenizer.decode(generated[0, prompt_ids.shape[1]:], skip_special_tokens=True))
    return outputs
