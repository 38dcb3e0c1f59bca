"""A measured load for the cooldown check (scripts/hardware-check-cooldown.sh): bf16 matrix
multiplications of one size for a fixed time on the run's one GPU, with the run's own energy
from NVML's total energy counter, read at the process's start (before PyTorch loads) and at its
end, so it covers the same window the host worker samples.

    python3 matmul_load.py --size 8192 --seconds 30

Writes $LLEM_RESULTS_DIR/result.json: total_energy_j, duration_s, mean_power_w, tflops,
iterations, size, gpu_uuid, energy_source. NVML sees every GPU whatever CUDA_VISIBLE_DEVICES
says, so the GPU is picked by the UUID PyTorch reports for cuda:0."""
import argparse
import ctypes
import json
import os
import time

nvml = ctypes.CDLL("libnvidia-ml.so.1")
assert nvml.nvmlInit_v2() == 0, "nvmlInit_v2 failed"


def nvml_handles():
    count = ctypes.c_uint()
    assert nvml.nvmlDeviceGetCount_v2(ctypes.byref(count)) == 0
    out = {}
    for i in range(count.value):
        h = ctypes.c_void_p()
        assert nvml.nvmlDeviceGetHandleByIndex_v2(i, ctypes.byref(h)) == 0
        buf = ctypes.create_string_buffer(96)
        assert nvml.nvmlDeviceGetUUID(h, buf, 96) == 0
        out[buf.value.decode()] = h
    return out


def energy_mj(h):
    e = ctypes.c_ulonglong()
    assert nvml.nvmlDeviceGetTotalEnergyConsumption(h, ctypes.byref(e)) == 0
    return e.value


# The window starts here, before PyTorch loads: read every GPU's counter now, keep ours later.
t0 = time.time()
handles = nvml_handles()
start = {u: energy_mj(h) for u, h in handles.items()}

import torch  # noqa: E402  (after the first reading on purpose)

p = argparse.ArgumentParser()
p.add_argument("--size", type=int, required=True)
p.add_argument("--seconds", type=float, required=True)
a = p.parse_args()

uuid = "GPU-" + str(torch.cuda.get_device_properties(0).uuid)
x = torch.randn(a.size, a.size, device="cuda", dtype=torch.bfloat16)
y = torch.randn(a.size, a.size, device="cuda", dtype=torch.bfloat16)
torch.cuda.synchronize()
iters = 0
load_start = time.time()
while time.time() - load_start < a.seconds:
    for _ in range(10):
        z = x @ y
    torch.cuda.synchronize()
    iters += 10
load_s = time.time() - load_start
del x, y, z
torch.cuda.empty_cache()
end = energy_mj(handles[uuid])
t1 = time.time()
joules = (end - start[uuid]) / 1000.0
result = {
    "total_energy_j": joules,
    "duration_s": t1 - t0,
    "mean_power_w": joules / (t1 - t0),
    "load_seconds": load_s,
    "tflops": 2.0 * a.size ** 3 * iters / load_s / 1e12,
    "iterations": iters,
    "size": a.size,
    "gpu_uuid": uuid,
    "energy_source": "NVML nvmlDeviceGetTotalEnergyConsumption, process start to end",
}
print(json.dumps(result))
out = os.environ.get("LLEM_RESULTS_DIR")
if out:
    with open(os.path.join(out, "result.json"), "w") as f:
        json.dump(result, f)
