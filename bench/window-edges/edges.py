#!/usr/bin/env python3
"""How far the host's window energy (NVML counter read every D s, linearly interpolated at the
window's edges) is from the counter read every 10 ms, on a real GPU load shaped like a benchmark
run: start-up, optional warm-up, a measured window of matmuls, a tail.

Needs one NVIDIA GPU, torch and nvidia-ml-py (examples/workloads/requirements.txt). Takes about a
minute; prints one JSON line per case (mean, max and mean signed error in % of the 10 ms figure,
for readings every 1, 0.5 and 0.25 s at every 10 ms phase) and writes them to $OUT/edges.json
(default /tmp). docs/campaign-format.md, "Expected error", quotes a run on an H100.

    python3 bench/window-edges/edges.py
"""
import json, os, threading, time
import pynvml, torch

pynvml.nvmlInit()
uuid = torch.cuda.get_device_properties(0).uuid
h = pynvml.nvmlDeviceGetHandleByIndex(0)
trace = []  # (t, counter_mJ, power_mW)
stop = threading.Event()

def sampler():
    while not stop.is_set():
        t = time.time()
        trace.append((t, pynvml.nvmlDeviceGetTotalEnergyConsumption(h), pynvml.nvmlDeviceGetPowerUsage(h)))
        time.sleep(0.01)

def busy(seconds, a, b):
    end = time.time() + seconds
    while time.time() < end:
        for _ in range(20):
            a @ b
        torch.cuda.synchronize()

def trial(warmup, window_s):
    a = torch.randn(8192, 8192, device="cuda", dtype=torch.bfloat16)
    b = torch.randn(8192, 8192, device="cuda", dtype=torch.bfloat16)
    torch.cuda.synchronize()
    time.sleep(3)                      # start-up: GPU idle
    if warmup:
        busy(2, a, b)                  # warm-up right before the window
    torch.cuda.synchronize(); ws = time.time()
    busy(window_s, a, b)
    torch.cuda.synchronize(); we = time.time()
    time.sleep(3)                      # tail: GPU idle
    return ws, we

def at(tr, t):
    for i in range(1, len(tr)):
        if tr[i][0] >= t:
            t0, c0 = tr[i-1][0], tr[i-1][1]; t1, c1 = tr[i][0], tr[i][1]
            return c0 + (c1 - c0) * (t - t0) / (t1 - t0)
    raise ValueError

def subsample(tr, start, step, phase):
    out, k, i = [], 0, 0
    while True:
        want = start + phase + k * step
        while i < len(tr) and tr[i][0] < want:
            i += 1
        if i >= len(tr):
            return out
        out.append(tr[i]); k += 1

th = threading.Thread(target=sampler, daemon=True); th.start()
time.sleep(1)
results = []
for warmup, window_s in [(True, 15), (False, 15), (True, 5)]:
    ws, we = trial(warmup, window_s)
    time.sleep(0.5)
    tr = list(trace)
    truth = (at(tr, we) - at(tr, ws)) / 1000
    row = {"warmup": warmup, "windowS": round(we - ws, 3), "truthJ": round(truth, 1),
           "meanW": round(truth / (we - ws), 1)}
    for step in (1.0, 0.5, 0.25):
        errs = []
        for p in range(int(step * 100)):
            sub = subsample([x for x in tr if x[0] >= ws - 6], ws - 6, step, p / 100)
            errs.append(((at(sub, we) - at(sub, ws)) / 1000 - truth) / truth * 100)
        row[f"{step}s"] = {"meanAbsPct": round(sum(map(abs, errs)) / len(errs), 2),
                           "maxAbsPct": round(max(map(abs, errs)), 2),
                           "meanPct": round(sum(errs) / len(errs), 2)}
    # power just before/after the edges, from the 10 ms trace
    def pw(t):
        return round(min(tr, key=lambda x: abs(x[0] - t))[2] / 1000, 1)
    row["powerW"] = {"start-0.5s": pw(ws - 0.5), "start+0.5s": pw(ws + 0.5),
                     "end-0.5s": pw(we - 0.5), "end+0.5s": pw(we + 0.5)}
    results.append(row)
    print(json.dumps(row), flush=True)
stop.set()
dt = [trace[i][0] - trace[i-1][0] for i in range(1, len(trace))]
print("trace readings", len(trace), "median gap ms", round(sorted(dt)[len(dt)//2] * 1000, 2))
print(torch.cuda.get_device_name(0), uuid, pynvml.nvmlSystemGetDriverVersion())
os.makedirs(os.environ.get("OUT", "/tmp"), exist_ok=True)
json.dump(results, open(os.path.join(os.environ.get("OUT", "/tmp"), "edges.json"), "w"), indent=1)
