#!/usr/bin/env python3
"""Writes a Llama-architecture model with random weights and the workload's local tokenizer into a
folder that transformers (and llenergymeasure, whose `task.model` may be a local path) loads with
`from_pretrained`: a model to measure on a machine that cannot download one.

    save_model.py --model-size small /tmp/llem-models/small

The presets, the tokenizer and the seed are those of llm_generate.py, so the same size and seed give
the same weights. Nothing is downloaded."""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import llm_generate as g  # noqa: E402


def save(size: str, out_dir: str, seed: int = 0, dtype: str = "bfloat16") -> dict:
    import torch

    model, cfg = g.build_model(size, seed, "cpu", getattr(torch, dtype), torch)
    tokenizer = g.build_tokenizer()
    os.makedirs(out_dir, exist_ok=True)
    model.save_pretrained(out_dir)
    tokenizer.save_pretrained(out_dir)
    info = {
        "model_size": size,
        "parameters": sum(p.numel() for p in model.parameters()),
        "seed": seed,
        "dtype": dtype,
        "tokenizer_sha256": g.tokenizer_sha256(tokenizer),
        "weights": "random (LlamaForCausalLM from a config; not a trained model)",
    }
    with open(os.path.join(out_dir, "llem-model.json"), "w") as f:
        json.dump(info, f, indent=2)
        f.write("\n")
    return info


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--model-size", choices=sorted(g.PRESETS), default="small")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--dtype", default="bfloat16", choices=["bfloat16", "float16", "float32"])
    p.add_argument("out_dir")
    args = p.parse_args(argv)
    info = save(args.model_size, args.out_dir, args.seed, args.dtype)
    print(f"saved {args.model_size} ({info['parameters']:,} parameters, {args.dtype}) to "
          f"{args.out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
