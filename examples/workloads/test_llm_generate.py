"""Tests of the generate workload (llm_generate.py) and the campaign files that run it.

    python3 -m pytest examples/workloads -q

They run on a CPU (tiny preset); NVML is a fake module here. The campaign-file checks call the
CLI (bin/llem-campaign) and are skipped when it is not built, unless LLEM_REQUIRE_CLI=1 (CI)."""
import json
import os
import subprocess
import sys
import types
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
SCRIPT = HERE / "llm_generate.py"
sys.path.insert(0, str(HERE))
import llm_generate as g  # noqa: E402

TINY_ARGS = ["--model-size", "tiny", "--device", "cpu", "--batch-size", "2", "--output-tokens",
             "8", "--batches", "2", "--seed", "3"]


# --- fakes -------------------------------------------------------------------------------------

class FakeNvmlError(Exception):
    pass


class FakeNvml:
    """pynvml's functions that the workload may use, over GPUs given as {uuid: [mJ readings]}.
    Its enumeration (index order) differs from CUDA's on purpose; opening a GPU by index fails the
    test."""

    def __init__(self, counters: dict, unsupported=()):
        self.readings = {u: list(v) for u, v in counters.items()}
        self.unsupported = set(unsupported)
        self.opened = []
        self.index_order = sorted(counters, reverse=True)

    def nvmlDeviceGetHandleByUUID(self, uuid):
        u = uuid.decode() if isinstance(uuid, bytes) else uuid
        self.opened.append(u)
        if u not in self.readings:
            raise FakeNvmlError("NVML_ERROR_NOT_FOUND: " + u)
        return ("handle", u)

    def nvmlDeviceGetHandleByIndex(self, i):
        raise AssertionError("the workload must open GPUs by UUID, never by index")

    nvmlDeviceGetHandleByIndex_v2 = nvmlDeviceGetHandleByIndex

    def nvmlDeviceGetCount(self):
        raise AssertionError("the workload must not enumerate NVML's GPUs")

    def nvmlDeviceGetTotalEnergyConsumption(self, handle):
        u = handle[1]
        if u in self.unsupported:
            raise FakeNvmlError("NVML_ERROR_NOT_SUPPORTED")
        return self.readings[u].pop(0)


class FakeUuid:
    def __init__(self, s):
        self.s = s

    def __str__(self):
        return self.s


def fake_torch(uuids_without_prefix):
    """As much of torch as cuda_uuids reads: CUDA's view, device 0 first, UUIDs printed the way
    torch prints them (no GPU- prefix)."""
    props = [types.SimpleNamespace(uuid=FakeUuid(u)) for u in uuids_without_prefix]
    cuda = types.SimpleNamespace(device_count=lambda: len(props),
                                 get_device_properties=lambda i: props[i])
    return types.SimpleNamespace(cuda=cuda)


A = "0a1b2c3d-1111-4e5f-8a9b-000000000001"
B = "0a1b2c3d-1111-4e5f-8a9b-000000000002"


# --- tokenizer and prompts ---------------------------------------------------------------------

def test_tokenizer_is_deterministic_and_pads_left():
    t1, t2 = g.build_tokenizer(), g.build_tokenizer()
    assert g.tokenizer_sha256(t1) == g.tokenizer_sha256(t2)
    assert t1.backend_tokenizer.to_str() == t2.backend_tokenizer.to_str()
    text = g.CORPUS[:3]
    assert t1(text)["input_ids"] == t2(text)["input_ids"]
    enc = t1(["short", g.CORPUS[0]], padding=True)
    assert enc["input_ids"][0][0] == t1.pad_token_id and enc["attention_mask"][0][0] == 0
    assert t1.pad_token_id == 0 and t1.bos_token_id == 1 and t1.eos_token_id == 2
    assert 256 < len(t1) <= g.TOKENIZER_VOCAB
    # A text outside the training text still tokenizes (byte-level), and decodes back.
    odd = "Zürich, 42 °C — ok?"
    assert t1.decode(t1(odd)["input_ids"]) == odd


def test_prompt_batches_take_the_fixed_set_in_order_and_wrap():
    b = g.prompt_batches(3, 2)
    assert b == [g.CORPUS[0:3], g.CORPUS[3:6]]
    n = len(g.CORPUS)
    big = g.prompt_batches(n + 2, 1)[0]
    assert big[:n] == g.CORPUS and big[n:] == g.CORPUS[:2]


def test_preset_parameter_counts_stay_within_one_billion():
    counts = {k: g.preset_parameters(v) for k, v in g.PRESETS.items()}
    assert 1_000_000 <= counts["tiny"] <= 5_000_000
    assert all(c <= 1_000_000_000 for c in counts.values())
    assert counts["tiny"] < counts["small"] < counts["medium"] < counts["large"]


# --- a CPU run, in process ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def cpu_result(tmp_path_factory):
    path = tmp_path_factory.mktemp("cpu") / "result.json"
    assert g.main(TINY_ARGS + ["--result", str(path)]) == 0
    return json.loads(path.read_text())


def test_cpu_run_counts_exactly_the_tokens_it_asked_for(cpu_result):
    r = cpu_result
    assert r["total_tokens"] == 2 * 2 * 8 == r["output_tokens"]
    assert (r["batch_size"], r["batches"], r["output_tokens_per_sequence"]) == (2, 2, 8)
    assert r["sequences"] == 4
    assert isinstance(r["input_tokens"], int) and r["input_tokens"] > 0
    assert r["total_inference_time_sec"] > 0
    assert r["avg_tokens_per_second"] == pytest.approx(r["total_tokens"] / r["total_inference_time_sec"])


def test_cpu_run_says_it_measured_no_energy_and_why(cpu_result):
    r = cpu_result
    assert r["energy_measured"] is False
    assert r["total_energy_j"] is None and r["avg_energy_per_token_j"] is None
    assert r["energy_per_device_j"] is None and r["mean_power_w"] is None
    assert "CPU" in r["energy_note"]
    assert r["measurement_warnings"] == ["no energy measured: " + r["energy_note"]]
    assert r["device"] == "cpu" and r["gpu_uuids"] == []


def test_cpu_result_has_every_field_with_its_type(cpu_result):
    r = cpu_result
    types_ = {
        "total_tokens": int, "avg_tokens_per_second": float, "total_inference_time_sec": float,
        "windowStartMs": int, "windowEndMs": int, "batch_size": int, "input_tokens": int,
        "output_tokens": int, "output_tokens_per_sequence": int, "batches": int, "sequences": int,
        "warmup_batches": int, "energy_measured": bool, "energy_note": str,
        "measurement_warnings": list, "device": str, "device_name": str, "gpu_uuids": list,
        "model": dict, "dtype": str, "seed": int, "decoding": str, "tokenizer": dict,
        "torch_version": str, "transformers_version": str, "python_version": str,
    }
    for k, t in types_.items():
        assert isinstance(r[k], t) and not (t is int and isinstance(r[k], bool)), (k, r[k])
    for k in ("total_energy_j", "avg_energy_per_token_j", "energy_source", "energy_per_device_j",
              "mean_power_w", "cuda_visible_devices", "torch_cuda_version"):
        assert k in r
    # The ledger's summary takes the first numeric fields of a result: the headline numbers lead.
    assert list(r)[:5] == ["total_energy_j", "total_tokens", "avg_tokens_per_second",
                           "total_inference_time_sec", "avg_energy_per_token_j"]
    m = r["model"]
    p = g.PRESETS["tiny"]
    assert m["architecture"] == "LlamaForCausalLM" and m["preset"] == "tiny"
    assert m["num_hidden_layers"] == p["num_hidden_layers"] and m["hidden_size"] == p["hidden_size"]
    assert m["num_attention_heads"] == p["num_attention_heads"]
    assert m["num_key_value_heads"] == p["num_key_value_heads"]
    assert m["parameters"] == g.preset_parameters(p)
    assert r["dtype"] == "float32" and r["seed"] == 3


def test_cpu_window_is_epoch_ms_and_ends_after_it_starts(cpu_result):
    import time

    r = cpu_result
    assert r["windowEndMs"] > r["windowStartMs"]
    now = time.time() * 1000
    assert now - 600_000 < r["windowStartMs"] < now
    assert r["windowEndMs"] - r["windowStartMs"] == pytest.approx(
        r["total_inference_time_sec"] * 1000, abs=50)


def test_run_with_energy_sums_every_visible_gpu(tmp_path, monkeypatch):
    """The result's energy path, with NVML faked: two GPUs read at the window's edges (plus the
    check read when the meter opens); the run reports their sum and each one."""
    nvml = FakeNvml({"GPU-" + A: [1_000, 1_500, 4_000], "GPU-" + B: [50, 70, 1_070]})
    uuids = ["GPU-" + A, "GPU-" + B]

    def fake_open(device, torch, nvml_loader=None):
        meter = g.NvmlEnergy(nvml, uuids)
        meter.read_mj()
        return meter, uuids, None

    monkeypatch.setattr(g, "open_energy", fake_open)
    path = tmp_path / "r.json"
    assert g.main(TINY_ARGS + ["--batches", "1", "--result", str(path)]) == 0
    r = json.loads(path.read_text())
    assert r["energy_measured"] is True and r["energy_note"] is None
    assert r["energy_per_device_j"] == [2.5, 1.0]
    assert r["total_energy_j"] == pytest.approx(3.5)
    assert r["avg_energy_per_token_j"] == pytest.approx(3.5 / r["total_tokens"])
    assert r["mean_power_w"] == pytest.approx(3.5 / r["total_inference_time_sec"])
    assert r["measurement_warnings"] == []
    assert "GPU-" + A in r["energy_source"] and "GPU-" + B in r["energy_source"]
    assert list(r)[0] == "total_energy_j"


def test_require_energy_fails_before_generating_on_cpu(tmp_path, capsys):
    path = tmp_path / "r.json"
    assert g.main(TINY_ARGS + ["--require-energy", "--result", str(path)]) == 1
    assert "--require-energy" in capsys.readouterr().err
    assert not path.exists()


def test_bad_arguments_exit_2():
    for bad in (["--batch-size", "0"], ["--output-tokens", "-1"], ["--model-size", "huge"]):
        with pytest.raises(SystemExit) as e:
            g.build_parser().parse_args(bad)
        assert e.value.code == 2


# --- NVML by UUID ------------------------------------------------------------------------------

def test_nvml_meter_opens_each_gpu_by_uuid_and_reads_joules():
    nvml = FakeNvml({"GPU-" + A: [10_000, 12_345], "GPU-" + B: [0, 1]})
    meter = g.NvmlEnergy(nvml, ["GPU-" + B, "GPU-" + A])
    assert nvml.opened == ["GPU-" + B, "GPU-" + A]
    start = meter.read_mj()
    end = meter.read_mj()
    assert start == [0, 10_000] and end == [1, 12_345]
    assert g.NvmlEnergy.joules(start, end) == [0.001, 2.345]


def test_open_energy_takes_the_uuids_cuda_sees_in_cuda_order(monkeypatch):
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", f"GPU-{B},GPU-{A}")
    nvml = FakeNvml({"GPU-" + A: [5, 6], "GPU-" + B: [7, 8], "GPU-ffff": [0]})
    meter, uuids, note = g.open_energy("cuda", fake_torch([B, A]), lambda: (nvml, None))
    assert note is None
    assert uuids == ["GPU-" + B, "GPU-" + A]
    assert meter.uuids == uuids and nvml.opened == uuids  # GPU-ffff (not visible) never opened


def test_open_energy_says_why_when_it_cannot_measure(monkeypatch):
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "GPU-" + A)
    t = fake_torch([A])
    meter, uuids, note = g.open_energy("cuda", t, lambda: (None, "NVML could not be initialised: x"))
    assert meter is None and uuids == ["GPU-" + A] and note == "NVML could not be initialised: x"

    nvml = FakeNvml({"GPU-" + A: [1]}, unsupported={"GPU-" + A})
    meter, _, note = g.open_energy("cuda", t, lambda: (nvml, None))
    assert meter is None and "GPU-" + A in note and "NOT_SUPPORTED" in note

    nvml = FakeNvml({"GPU-" + B: [1]})  # the visible GPU is unknown to NVML
    meter, _, note = g.open_energy("cuda", t, lambda: (nvml, None))
    assert meter is None and "NOT_FOUND" in note

    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "MIG-0a1b2c3d-2222-4e5f-8a9b-000000000001")
    meter, _, note = g.open_energy("cuda", t, lambda: (FakeNvml({}), None))
    assert meter is None and "MIG" in note

    meter, uuids, note = g.open_energy("cpu", t, lambda: pytest.fail("no NVML on the CPU"))
    assert meter is None and uuids == [] and "CPU" in note


def test_cuda_uuids_keep_an_existing_prefix():
    assert g.cuda_uuids(fake_torch([A, "GPU-" + B])) == ["GPU-" + A, "GPU-" + B]


# --- the script as a process -------------------------------------------------------------------

def _run_script(args, env_extra, cwd):
    env = {k: v for k, v in os.environ.items() if k not in ("LLEM_RESULTS_DIR", "CUDA_VISIBLE_DEVICES")}
    env.update(env_extra)
    return subprocess.run([sys.executable, str(SCRIPT)] + args, cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def test_script_writes_result_json_into_llem_results_dir(tmp_path):
    out = tmp_path / "attempt"
    out.mkdir()
    p = _run_script(TINY_ARGS, {"LLEM_RESULTS_DIR": str(out)}, cwd=tmp_path)
    assert p.returncode == 0, p.stdout + p.stderr
    r = json.loads((out / "result.json").read_text())
    assert r["total_tokens"] == 32 and r["energy_measured"] is False
    assert "no energy was measured" in p.stdout
    # Another process trains the same tokenizer.
    assert r["tokenizer"]["sha256"] == g.tokenizer_sha256(g.build_tokenizer())


def test_device_cuda_without_cuda_is_a_clear_error(tmp_path):
    p = _run_script(["--device", "cuda", "--result", str(tmp_path / "r.json")],
                    {"CUDA_VISIBLE_DEVICES": ""}, cwd=tmp_path)
    assert p.returncode == 2, p.stdout + p.stderr
    assert "--device cuda: PyTorch sees no CUDA device" in p.stderr
    assert "CUDA_VISIBLE_DEVICES=''" in p.stderr
    assert not (tmp_path / "r.json").exists()


def test_help_needs_no_torch(tmp_path):
    p = subprocess.run([sys.executable, "-X", "importtime", str(SCRIPT), "--help"],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 0
    assert "--model-size" in p.stdout and "UUID" in p.stdout
    assert "torch" not in [line.split("|")[-1].strip() for line in p.stderr.splitlines()]


# --- the campaign files ------------------------------------------------------------------------

CLI = REPO / "bin" / "llem-campaign"


def _cli(*args):
    if not (REPO / "worker" / "target" / "llem-campaign.jar").is_file():
        if os.environ.get("LLEM_REQUIRE_CLI") == "1":
            pytest.fail("LLEM_REQUIRE_CLI=1 but the CLI is not built (./mvnw -B -q -DskipTests package)")
        pytest.skip("the CLI is not built (./mvnw -B -q -DskipTests package)")
    p = subprocess.run([str(CLI)] + list(args), cwd=REPO, capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stdout + p.stderr
    return p.stdout


@pytest.mark.parametrize("file,experiments,cycles", [
    ("examples/llm-batch-sweep.yaml", 12, 3),
    ("examples/llm-cpu-smoke.yaml", 2, 2),
])
def test_campaign_file_validates_and_plans_grid_times_cycles(file, experiments, cycles):
    v = json.loads(_cli("validate", "--json", file))
    assert (v["experiments"], v["cycles"], v["runs"]) == (experiments, cycles, experiments * cycles)
    assert v["warnings"] == []
    plan = json.loads(_cli("plan", "--json", file))
    assert len(plan["runs"]) == experiments * cycles
    assert len({r["runId"] for r in plan["runs"]}) == experiments * cycles


@pytest.mark.parametrize("file", ["examples/llm-batch-sweep.yaml", "examples/llm-cpu-smoke.yaml"])
def test_campaign_commands_are_arguments_the_script_accepts(file):
    """The grid's command, with every axis value, parses with the script's own parser; the sweep
    asks for what the issue names (process mode, latin square, 3 cycles, idle-baseline cooldown,
    one re-measurement)."""
    import itertools

    import yaml

    doc = yaml.safe_load((REPO / file).read_text())
    grid = doc["grid"]
    cmd = grid["base"]["command"]
    assert cmd[0] == "llm_generate.py"
    axes = grid["axes"]
    for values in itertools.product(*axes.values()):
        bind = dict(zip(axes, map(str, values)))
        args = [a.format(**bind) if "{" in a else a for a in cmd[1:]]
        ns = g.build_parser().parse_args(args)
        assert ns.model_size == bind["model"] and ns.batch_size == int(bind["batch"])
    assert doc["attach"] == "process"
    assert doc["execution"]["order"] == "latin-square"
    assert doc["execution"]["cooldown"]["idleBaseline"] is True
    assert doc["defaults"]["remeasure"] == 1
    if file.endswith("sweep.yaml"):
        assert doc["execution"]["cycles"] == 3
        assert "--device" in cmd and cmd[cmd.index("--device") + 1] == "cuda"
        assert all(v in g.PRESETS and v != "tiny" for v in axes["model"])
