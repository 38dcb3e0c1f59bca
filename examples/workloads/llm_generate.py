#!/usr/bin/env python3
"""A generate benchmark that downloads nothing: a Llama-architecture causal LM built from a
config with seeded random weights, a byte-level BPE tokenizer trained in memory on a built-in
text, and greedy `generate` over a fixed prompt set at a given batch size and a fixed output
length. Its own energy is the NVML total-energy counter of the GPUs it sees, opened by UUID,
over the measurement window (generate calls only: model build, tokenization and warm-up are
outside it).

    llm_generate.py --model-size small --batch-size 8 --output-tokens 128 --batches 4
    llm_generate.py --model-size tiny --device cpu --batch-size 2 --output-tokens 8

Writes one JSON object (see examples/workloads/README.md for every field) to --result, by
default $LLEM_RESULTS_DIR/result.json, else ./result.json. Exit 0 on success, 2 for a wrong
argument (also --device cuda without CUDA), 1 when the run itself failed.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import sys
import time
import traceback

# Sizes of the Llama-architecture presets. Every preset shares the tokenizer and the model
# vocabulary (32000 rows, Llama 2's size; the tokenizer uses the first few hundred of them), untied
# input and output embeddings, and the Llama defaults otherwise (RMSNorm, SwiGLU, RoPE). The
# parameter counts in --help are computed from these numbers, not measured.
VOCAB_SIZE = 32000
PRESETS = {
    "tiny": dict(hidden_size=64, intermediate_size=172, num_hidden_layers=2,
                 num_attention_heads=4, num_key_value_heads=2),
    "small": dict(hidden_size=768, intermediate_size=2048, num_hidden_layers=12,
                  num_attention_heads=12, num_key_value_heads=12),
    "medium": dict(hidden_size=1024, intermediate_size=2816, num_hidden_layers=24,
                   num_attention_heads=16, num_key_value_heads=16),
    "large": dict(hidden_size=2048, intermediate_size=5632, num_hidden_layers=18,
                  num_attention_heads=32, num_key_value_heads=8),
}
PAD, BOS, EOS = "<pad>", "<s>", "</s>"
TOKENIZER_VOCAB = 1024

# The built-in text: the tokenizer is trained on it and the prompts are its sentences, in order.
CORPUS = [
    "The energy of a run is the difference of the GPU's energy counter between two readings.",
    "A campaign measures the same experiments several times, in a balanced order, to see the spread.",
    "Large language models generate text one token at a time, each step reading every weight once.",
    "Batching several prompts together lets one pass over the weights serve many sequences.",
    "Power is energy per unit of time: one watt is one joule each second.",
    "A warm GPU draws more power at idle than a cool one, so runs wait until it cools down.",
    "The key and value cache grows with every generated token and every sequence of the batch.",
    "Greedy decoding always picks the most likely next token, so the same input gives the same output.",
    "Memory bandwidth, not arithmetic, bounds the decoding of a small batch on a large model.",
    "Prefill reads the whole prompt at once; decoding then adds one token per sequence per step.",
    "Thermal throttling lowers the clocks of a hot GPU and changes both its speed and its energy.",
    "A measurement window starts after the warm-up and ends when the last kernel has finished.",
    "The tokenizer splits text into pieces that the model sees as integer identifiers.",
    "Random weights produce meaningless text, but they cost exactly as much to compute as trained ones.",
    "Rotary position embeddings encode where each token sits in the sequence.",
    "Grouped-query attention shares each key and value head among several query heads.",
    "An attention layer compares every new token with all the tokens that came before it.",
    "The feed-forward block of each layer holds most of the model's parameters.",
    "Energy per token falls as the batch grows, until the GPU's arithmetic becomes the limit.",
    "Every experiment runs on the GPUs that the router gave it, named by their UUIDs.",
    "Repeating a run in a later cycle shows whether its result drifts with time or temperature.",
    "Half-precision weights halve the memory traffic of every decoding step.",
    "Idle power is the floor under every measurement; the work adds to it.",
    "A Latin square orders the runs so that each experiment takes every position once.",
    "Tokens per second and joules per token are the two numbers most comparisons start from.",
    "A kernel launched on the GPU runs asynchronously, so the host must wait before it reads a clock.",
    "Padding on the left keeps the newest token of every sequence in the same column.",
    "The embedding table maps each token identifier to a vector of the model's hidden size.",
    "Cooling fans, memory and the board itself draw power that no kernel asked for.",
    "The result file records what was run, on which device, and what it cost.",
    "Small models finish a step so quickly that the launch of each kernel dominates the time.",
    "A fixed output length makes every run of an experiment do exactly the same amount of work.",
]


def result_path_default() -> str:
    return os.path.join(os.environ.get("LLEM_RESULTS_DIR") or os.getcwd(), "result.json")


def preset_parameters(p: dict, vocab: int = VOCAB_SIZE) -> int:
    """Parameters of a LlamaForCausalLM with these sizes (untied embeddings, no biases)."""
    h, i, n = p["hidden_size"], p["intermediate_size"], p["num_hidden_layers"]
    kv = h // p["num_attention_heads"] * p["num_key_value_heads"]
    per_layer = 2 * h * h + 2 * h * kv + 3 * h * i + 2 * h
    return 2 * vocab * h + n * per_layer + h


def _human(n: int) -> str:
    return f"{n / 1e9:.2f}B" if n >= 1e9 else f"{n / 1e6:.0f}M" if n >= 1e6 else f"{n / 1e6:.1f}M"


def build_parser() -> argparse.ArgumentParser:
    sizes = ", ".join(
        f"{k} ({_human(preset_parameters(v))}: {v['num_hidden_layers']} layers, hidden "
        f"{v['hidden_size']}, {v['num_attention_heads']} heads)" for k, v in PRESETS.items())
    p = argparse.ArgumentParser(
        prog="llm_generate.py",
        description=(
            "Generate benchmark with nothing to download: a Llama-architecture model built from a "
            "preset config with seeded random weights, a tokenizer trained in memory, greedy "
            "generate over a fixed prompt set. Energy: NVML's total-energy counter of the visible "
            "GPUs (opened by UUID) over the generate calls; on a CPU, or without NVML, the result "
            "says no energy was measured."),
        epilog=(
            "Every run generates exactly batch-size x batches x output-tokens tokens. Writes a JSON "
            "result to --result. Exit 0 on success, 2 for a wrong argument (also --device cuda "
            "without CUDA), 1 when the run failed."),
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    p.add_argument("--model-size", choices=list(PRESETS), default="tiny", help="model preset: " + sizes)
    p.add_argument("--batch-size", type=_positive, default=1, help="prompts per generate call")
    p.add_argument("--output-tokens", type=_positive, default=64,
                   help="new tokens per sequence, exactly (min = max new tokens, greedy)")
    p.add_argument("--batches", type=_positive, default=4,
                   help="generate calls in the measurement window; call k takes the next "
                        "batch-size prompts of the fixed set (%d prompts, wrapping around)" % len(CORPUS))
    p.add_argument("--warmup-batches", type=_non_negative, default=1,
                   help="generate calls before the window (same shapes as the first measured call)")
    p.add_argument("--seed", type=int, default=0, help="seed of the random weights")
    p.add_argument("--dtype", choices=["auto", "float32", "float16", "bfloat16"], default="auto",
                   help="weights and compute; auto = bfloat16 on CUDA, float32 on the CPU")
    p.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto",
                   help="auto = CUDA when available, else the CPU; cuda = the first visible GPU "
                        "(CUDA device 0), an error when there is none")
    p.add_argument("--require-energy", action="store_true",
                   help="fail (exit 1, before generating) when no energy can be measured")
    p.add_argument("--result", default=None,
                   help="where to write the JSON result (default: $LLEM_RESULTS_DIR/result.json, "
                        "else ./result.json)")
    return p


def _positive(s: str) -> int:
    v = int(s)
    if v < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, got {s}")
    return v


def _non_negative(s: str) -> int:
    v = int(s)
    if v < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {s}")
    return v


class UsageError(Exception):
    """A wrong argument for this machine (exit 2)."""


# --- tokenizer ---------------------------------------------------------------------------------

def build_tokenizer():
    """A byte-level BPE tokenizer trained on CORPUS, wrapped as a PreTrainedTokenizerFast that pads
    on the left. The same text and trainer settings give the same tokenizer every time."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=TOKENIZER_VOCAB, special_tokens=[PAD, BOS, EOS], show_progress=False,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tok.train_from_iterator(CORPUS, trainer=trainer)
    return PreTrainedTokenizerFast(
        tokenizer_object=tok, pad_token=PAD, bos_token=BOS, eos_token=EOS, padding_side="left")


def tokenizer_sha256(tokenizer) -> str:
    return hashlib.sha256(tokenizer.backend_tokenizer.to_str().encode()).hexdigest()


def prompt_batches(batch_size: int, batches: int) -> list[list[str]]:
    out, k = [], 0
    for _ in range(batches):
        out.append([CORPUS[(k + j) % len(CORPUS)] for j in range(batch_size)])
        k += batch_size
    return out


# --- NVML energy, by UUID ----------------------------------------------------------------------

def load_nvml():
    """NVIDIA's Python bindings (package nvidia-ml-py, module pynvml), initialised; or (None, why)."""
    try:
        import pynvml
    except ImportError as e:
        return None, f"the NVML bindings are not installed (pip install nvidia-ml-py): {e}"
    try:
        pynvml.nvmlInit()
    except Exception as e:  # NVMLError_LibraryNotFound, DriverNotLoaded, ...
        return None, f"NVML could not be initialised: {e}"
    return pynvml, None


class NvmlEnergy:
    """NVML's total-energy counter (mJ since the driver loaded) of the given GPUs, each opened by
    its UUID (NVML enumerates every GPU of the host whatever CUDA_VISIBLE_DEVICES says, so an index
    would name the wrong one). read_mj() returns the counters in mJ, in the order of uuids;
    joules() turns two readings into joules per GPU."""

    def __init__(self, nvml, uuids: list[str]):
        if not uuids:
            raise ValueError("no GPU UUIDs to measure")
        self.nvml = nvml
        self.uuids = list(uuids)
        self.handles = [nvml.nvmlDeviceGetHandleByUUID(u.encode()) for u in self.uuids]

    def read_mj(self) -> list[int]:
        return [int(self.nvml.nvmlDeviceGetTotalEnergyConsumption(h)) for h in self.handles]

    @staticmethod
    def joules(start_mj: list[int], end_mj: list[int]) -> list[float]:
        return [(e - s) / 1000.0 for s, e in zip(start_mj, end_mj)]


def cuda_uuids(torch) -> list[str]:
    """The NVML-style UUID of every visible CUDA device, in CUDA's order (device 0 first)."""
    out = []
    for i in range(torch.cuda.device_count()):
        u = str(torch.cuda.get_device_properties(i).uuid)
        out.append(u if u.startswith(("GPU-", "MIG-")) else "GPU-" + u)
    return out


def open_energy(device: str, torch, nvml_loader=load_nvml):
    """(meter or None, uuids, note): the meter over every visible GPU, or why there is none."""
    if device != "cuda":
        return None, [], "ran on the CPU: NVML measures GPUs only, so no energy was measured"
    uuids = cuda_uuids(torch)
    visible = os.environ.get("CUDA_VISIBLE_DEVICES", "")
    if any(x.strip().startswith("MIG-") for x in visible.split(",")):
        return None, uuids, ("the visible device is a MIG instance: NVML has no energy counter per "
                             "instance, so no energy was measured")
    nvml, why = nvml_loader()
    if nvml is None:
        return None, uuids, why
    try:
        meter = NvmlEnergy(nvml, uuids)
        meter.read_mj()  # NotSupported shows here, before the window
    except Exception as e:
        return None, uuids, f"NVML could not read the energy counter of {', '.join(uuids)}: {e}"
    return meter, uuids, None


# --- the run -----------------------------------------------------------------------------------

def choose_device(requested: str, torch) -> str:
    available = torch.cuda.is_available()
    if requested == "cuda" and not available:
        visible = os.environ.get("CUDA_VISIBLE_DEVICES")
        raise UsageError(
            "--device cuda: PyTorch sees no CUDA device (torch " + torch.__version__
            + ", torch.version.cuda " + str(torch.version.cuda)
            + ", CUDA_VISIBLE_DEVICES=" + (repr(visible) if visible is not None else "unset")
            + "); use --device cpu or auto on a machine without a GPU")
    if requested == "auto":
        return "cuda" if available else "cpu"
    return requested


def resolve_dtype(name: str, device: str, torch):
    if name == "auto":
        return torch.bfloat16 if device == "cuda" else torch.float32
    return getattr(torch, name)


def build_model(size: str, seed: int, device: str, dtype, torch):
    from transformers import LlamaConfig, LlamaForCausalLM

    cfg = LlamaConfig(
        vocab_size=VOCAB_SIZE, max_position_embeddings=2048, tie_word_embeddings=False,
        pad_token_id=0, bos_token_id=1, eos_token_id=2, **PRESETS[size])
    torch.manual_seed(seed)
    with torch.device(device):
        model = LlamaForCausalLM(cfg)
    model = model.to(dtype).eval()
    return model, cfg


def cpu_name() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def sync(torch, device: str) -> None:
    if device == "cuda":
        torch.cuda.synchronize()


def run(args) -> dict:
    import torch
    import transformers

    device = choose_device(args.device, torch)
    dtype = resolve_dtype(args.dtype, device, torch)
    if device == "cpu" and dtype != torch.float32:
        print(f"note: {args.dtype} on the CPU is slow and not what the presets were sized for",
              flush=True)
    meter, uuids, note = open_energy(device, torch)
    if meter is None and args.require_energy:
        raise RuntimeError("--require-energy: " + note)

    t_build = time.perf_counter()
    tokenizer = build_tokenizer()
    tok_sha = tokenizer_sha256(tokenizer)  # before use: padding calls change its serialized form
    model, cfg = build_model(args.model_size, args.seed, device, dtype, torch)
    params = sum(p.numel() for p in model.parameters())
    print(f"model {args.model_size}: {params} parameters, {cfg.num_hidden_layers} layers, hidden "
          f"{cfg.hidden_size}, {dtype} on {device}"
          + (f" ({torch.cuda.get_device_name(0)}, {uuids[0]})" if device == "cuda" else "")
          + f"; built in {time.perf_counter() - t_build:.1f} s", flush=True)

    batches = prompt_batches(args.batch_size, args.batches)
    encoded = [tokenizer(b, return_tensors="pt", padding=True).to(device) for b in batches]
    gen = dict(max_new_tokens=args.output_tokens, min_new_tokens=args.output_tokens,
               do_sample=False, num_beams=1, use_cache=True,
               pad_token_id=tokenizer.pad_token_id, eos_token_id=tokenizer.eos_token_id)

    def generate(enc) -> int:
        with torch.inference_mode():
            out = model.generate(input_ids=enc["input_ids"], attention_mask=enc["attention_mask"], **gen)
        rows, new = out.shape[0], out.shape[1] - enc["input_ids"].shape[1]
        if new != args.output_tokens or rows != enc["input_ids"].shape[0]:
            raise RuntimeError(f"generate returned {rows} x {new} new tokens, expected "
                               f"{enc['input_ids'].shape[0]} x {args.output_tokens}")
        return rows * new

    for k in range(args.warmup_batches):
        generate(encoded[k % len(encoded)])
    print(f"warm-up: {args.warmup_batches} generate call(s) done", flush=True)

    # The window: only the generate calls, with every kernel finished at both edges.
    sync(torch, device)
    start_mj = meter.read_mj() if meter else None
    window_start_ms = time.time_ns() // 1_000_000
    t0 = time.perf_counter()
    generated = 0
    for k, enc in enumerate(encoded):
        generated += generate(enc)
        print(f"batch {k + 1}/{len(encoded)}: {generated} tokens so far", flush=True)
    sync(torch, device)
    elapsed = time.perf_counter() - t0
    window_end_ms = time.time_ns() // 1_000_000
    end_mj = meter.read_mj() if meter else None

    per_device = NvmlEnergy.joules(start_mj, end_mj) if meter else None
    energy = sum(per_device) if per_device is not None else None
    input_tokens = int(sum(int(e["attention_mask"].sum()) for e in encoded))
    result = {
        # Numbers first: the campaign's ledger summary takes the first numeric fields.
        "total_energy_j": energy,
        "total_tokens": generated,
        "avg_tokens_per_second": generated / elapsed if elapsed > 0 else None,
        "total_inference_time_sec": elapsed,
        "avg_energy_per_token_j": energy / generated if energy is not None else None,
        "windowStartMs": window_start_ms,
        "windowEndMs": window_end_ms,
        "batch_size": args.batch_size,
        "input_tokens": input_tokens,
        "output_tokens": generated,
        "output_tokens_per_sequence": args.output_tokens,
        "batches": args.batches,
        "sequences": args.batch_size * args.batches,
        "warmup_batches": args.warmup_batches,
        "energy_measured": energy is not None,
        "energy_note": note,
        "energy_source": (
            "NVML nvmlDeviceGetTotalEnergyConsumption by GPU UUID, summed over "
            + ", ".join(uuids) + ", from the window's start to its end" if energy is not None else None),
        "energy_per_device_j": per_device,
        "mean_power_w": energy / elapsed if energy is not None and elapsed > 0 else None,
        "measurement_warnings": [] if energy is not None else ["no energy measured: " + note],
        "device": device,
        "device_name": torch.cuda.get_device_name(0) if device == "cuda" else cpu_name(),
        "gpu_uuids": uuids,
        "cuda_visible_devices": os.environ.get("CUDA_VISIBLE_DEVICES"),
        "model": {
            "architecture": "LlamaForCausalLM",
            "preset": args.model_size,
            "weights": f"random, seeded ({args.seed})",
            "parameters": params,
            "num_hidden_layers": cfg.num_hidden_layers,
            "hidden_size": cfg.hidden_size,
            "intermediate_size": cfg.intermediate_size,
            "num_attention_heads": cfg.num_attention_heads,
            "num_key_value_heads": cfg.num_key_value_heads,
            "vocab_size": cfg.vocab_size,
        },
        "dtype": str(dtype).replace("torch.", ""),
        "seed": args.seed,
        "decoding": "greedy (do_sample=False), min_new_tokens = max_new_tokens",
        "tokenizer": {"type": "byte-level BPE trained on the built-in text",
                      "vocab_size": len(tokenizer), "sha256": tok_sha},
        "torch_version": torch.__version__,
        "transformers_version": transformers.__version__,
        "torch_cuda_version": torch.version.cuda,
        "python_version": platform.python_version(),
    }
    return result


def write_result(result: dict, path: str) -> None:
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    tmp = os.path.join(folder, "." + os.path.basename(path) + ".tmp")
    with open(tmp, "w") as f:
        json.dump(result, f, indent=2)
        f.write("\n")
    os.replace(tmp, path)


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    path = args.result or result_path_default()
    try:
        result = run(args)
    except UsageError as e:
        print(f"llm_generate.py: error: {e}", file=sys.stderr)
        return 2
    except Exception as e:
        traceback.print_exc()
        print(f"llm_generate.py: run failed: {type(e).__name__}: {e}", file=sys.stderr)
        return 1
    write_result(result, path)
    energy = result["total_energy_j"]
    print(f"{result['total_tokens']} tokens in {result['total_inference_time_sec']:.3f} s "
          f"({result['avg_tokens_per_second']:.1f} tokens/s); energy "
          + (f"{energy:.3f} J ({result['avg_energy_per_token_j']:.6f} J/token)" if energy is not None
             else "not measured: " + result["energy_note"])
          + f"; result: {path}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
