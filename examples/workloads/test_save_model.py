"""Tests of save_model.py (a local model folder) and of the campaign file that runs llenergymeasure
on it (examples/llm-llenergymeasure.yaml).

    python3 -m pytest examples/workloads -q

They run on a CPU with the tiny preset. The config checks use llenergymeasure 0.7.0's own
ExperimentConfig model (examples/workloads/requirements.txt installs it)."""
import copy
import itertools
import json
import os
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(HERE))
import llm_generate as g  # noqa: E402
import save_model  # noqa: E402

CAMPAIGN = REPO / "examples" / "llm-llenergymeasure.yaml"


@pytest.fixture(scope="module")
def tiny_folder(tmp_path_factory):
    out = tmp_path_factory.mktemp("model") / "tiny"
    info = save_model.save("tiny", str(out), seed=5, dtype="float32")
    return out, info


def test_saved_folder_loads_and_generates_with_the_workload_tokenizer(tiny_folder):
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    out, info = tiny_folder
    model = AutoModelForCausalLM.from_pretrained(str(out))
    tok = AutoTokenizer.from_pretrained(str(out))
    assert g.tokenizer_sha256(tok) == g.tokenizer_sha256(g.build_tokenizer())
    assert tok.padding_side == "left"
    assert sum(p.numel() for p in model.parameters()) == info["parameters"]
    assert info["parameters"] == g.preset_parameters(g.PRESETS["tiny"])
    enc = tok(["The energy of a run", "A campaign"], return_tensors="pt", padding=True)
    with torch.no_grad():
        ids = model.generate(**enc, max_new_tokens=4, min_new_tokens=4, do_sample=False,
                             pad_token_id=tok.pad_token_id)
    assert ids.shape == (2, enc["input_ids"].shape[1] + 4)


def test_same_seed_gives_the_same_weights_and_another_seed_others(tiny_folder, tmp_path):
    from safetensors.torch import load_file

    out, _ = tiny_folder
    save_model.save("tiny", str(tmp_path / "same"), seed=5, dtype="float32")
    save_model.save("tiny", str(tmp_path / "other"), seed=6, dtype="float32")
    a = load_file(str(out / "model.safetensors"))
    b = load_file(str(tmp_path / "same" / "model.safetensors"))
    c = load_file(str(tmp_path / "other" / "model.safetensors"))
    assert a.keys() == b.keys() == c.keys()
    assert all(a[k].equal(b[k]) for k in a)
    assert not all(a[k].equal(c[k]) for k in a)


def test_bad_size_exits_2(tmp_path, capsys):
    with pytest.raises(SystemExit) as e:
        save_model.main(["--model-size", "huge", str(tmp_path / "x")])
    assert e.value.code == 2
    assert not (tmp_path / "x").exists()


def _substitute(node, bind):
    """The campaign file's placeholder rule: a value that is exactly "{axis}" takes the axis
    value's own type; other text gets the value's text."""
    if isinstance(node, dict):
        return {k: _substitute(v, bind) for k, v in node.items()}
    if isinstance(node, list):
        return [_substitute(v, bind) for v in node]
    if isinstance(node, str):
        for axis, value in bind.items():
            if node == "{" + axis + "}":
                return value
        return node.format(**{k: str(v) for k, v in bind.items()}) if "{" in node else node
    return node


def _configs():
    import yaml

    doc = yaml.safe_load(CAMPAIGN.read_text())
    base = doc["grid"]["base"]["llenergymeasure"]["config"]
    axes = doc["grid"]["axes"]
    for values in itertools.product(*axes.values()):
        bind = dict(zip(axes, values))
        yield doc, bind, _substitute(copy.deepcopy(base), bind)


def test_campaign_configs_are_valid_for_llenergymeasure_itself():
    """Every experiment's config, placeholders substituted as the campaign file does, passes
    llenergymeasure 0.7.0's own ExperimentConfig validation, with the batch size as a number."""
    from llenergymeasure.config.models import ExperimentConfig

    seen = []
    for doc, bind, config in _configs():
        parsed = ExperimentConfig.model_validate(config)
        assert parsed.transformers.llem_execution.batch_size == bind["batch"]
        assert parsed.task.model == "/tmp/llem-models/small"
        seen.append(bind["batch"])
    assert sorted(seen) == [1, 8]
    assert doc["attach"] == "process" and doc["execution"]["cycles"] == 2
    # The model folder the GPU script writes is the one the config loads.
    script = (HERE / "llenergymeasure-gpu").read_text()
    assert "save_model.py --model-size small /tmp/llem-models/small" in script


def test_campaign_file_validates_with_the_cli():
    import test_llm_generate as t

    v = json.loads(t._cli("validate", "--json", str(CAMPAIGN.relative_to(REPO))))
    assert (v["experiments"], v["cycles"], v["runs"]) == (2, 2, 4)
    assert v["warnings"] == []
