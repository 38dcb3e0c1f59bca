"""TEST DOUBLE of llenergymeasure.entrypoints.container (llenergymeasure's contract), not upstream.

It measures nothing. Like upstream's module run with ``python -m``, it reads the ExperimentConfig
JSON at ``LLEM_CONFIG_PATH``, prints JSON progress lines on stdout, writes
``<config_hash>_result.json`` into the folder holding the config (never into ``LLEM_OUTPUT_DIR``,
where it leaves ``timeseries.parquet``), and on a failure writes
``<config stem without "_config">_error.json`` = ``{"type", "message", "traceback"}`` beside the
config and re-raises (exit 1). The config's ``"double"`` value chooses the behaviour, as in the
image double (images/llem-upstream-double): ``result-v3`` (default), ``result-v0.7.0``,
``baseline-beside``, ``two-results``, ``missing``, ``error-config``, ``error-runtime``. The result
shapes are copied from the folder named by ``LLEM_DOUBLE_RESULTS``
(images/llem-upstream-double/results).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import traceback
from pathlib import Path


class ConfigError(Exception):
    """Stands for upstream's llenergymeasure.utils.exceptions.ConfigError."""


def _progress(event: dict[str, object]) -> None:
    print(json.dumps(event), file=sys.stdout, flush=True)


def _shape(name: str) -> Path:
    return Path(os.environ["LLEM_DOUBLE_RESULTS"]) / name


def run_container_experiment(config_path: Path, result_dir: Path) -> Path | None:
    raw = config_path.read_bytes()
    config = json.loads(raw)
    behaviour = config.get("double", "result-v3")
    config_hash = hashlib.sha256(raw).hexdigest()[:16]
    print(f"[llem-double] config={config_path} output={os.environ.get('LLEM_OUTPUT_DIR', 'unset')}")
    _progress({"event": "step_start", "step": "preflight", "description": "Checking",
               "detail": "preflight, CUDA, model access"})
    if behaviour == "error-config":
        raise ConfigError("Unknown engine 'no-such-engine' in config (double of upstream's contract)")
    _progress({"event": "step_done", "step": "preflight", "elapsed_sec": 0.01})
    _progress({"event": "step_start", "step": "model", "description": "Loading model",
               "detail": "gpt2"})
    _progress({"event": "step_done", "step": "model", "elapsed_sec": 0.02})
    _progress({"event": "step_update", "step": "measure", "detail": "25/50 prompts"})
    if behaviour == "error-runtime":
        raise RuntimeError(
            "CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 79.11 GiB total capacity)")
    output_dir = os.environ.get("LLEM_OUTPUT_DIR")
    if output_dir:
        Path(output_dir, "timeseries.parquet").write_bytes(b"PAR1 not a real parquet file\n")
    result_path = result_dir / f"{config_hash}_result.json"
    if behaviour == "result-v3":
        shutil.copyfile(_shape("v3.0_result.json"), result_path)
    elif behaviour == "result-v0.7.0":
        shutil.copyfile(_shape("v0.7.0_result.json"), result_path)
    elif behaviour == "baseline-beside":
        (result_dir / "baseline_result.json").write_text('{"power_w": 61.5}', encoding="utf-8")
        shutil.copyfile(_shape("v3.0_result.json"), result_path)
    elif behaviour == "two-results":
        shutil.copyfile(_shape("v3.0_result.json"), result_path)
        shutil.copyfile(_shape("v0.7.0_result.json"), result_dir / "0000000000000000_result.json")
    elif behaviour == "missing":
        return None
    else:
        raise ValueError(f"unknown double behaviour {behaviour!r}")
    return result_path


def main() -> None:
    config_path_env = os.environ.get("LLEM_CONFIG_PATH")
    if not config_path_env:
        raise RuntimeError("LLEM_CONFIG_PATH environment variable is not set.")
    config_path = Path(config_path_env)
    result_dir = config_path.parent
    try:
        result_path = run_container_experiment(config_path, result_dir)
        print(f"[llem] Experiment complete. Result written to {result_path}")
    except Exception as exc:
        stem = config_path.stem
        error_stem = stem[: -len("_config")] + "_error" if stem.endswith("_config") else stem + "_error"
        payload = {"type": type(exc).__name__, "message": str(exc),
                   "traceback": traceback.format_exc()}
        error_path = result_dir / f"{error_stem}.json"
        error_path.write_text(json.dumps(payload, indent=2), encoding="utf-8")
        print(f"[llem] Experiment failed. Error written to {error_path}")
        raise


if __name__ == "__main__":
    main()
