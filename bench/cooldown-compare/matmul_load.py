"""A steady GPU load for the cooldown comparison: bf16 matmuls on cuda:0 for LOAD_S seconds.

Writes {"seconds", "iterations", "tflops"} to $LLEM_RESULTS_DIR/result.json (process mode sets it).
"""
import json
import os
import time

import torch

seconds = float(os.environ.get("LOAD_S", "60"))
n = int(os.environ.get("MATMUL_N", "8192"))
a = torch.randn(n, n, device="cuda", dtype=torch.bfloat16)
b = torch.randn(n, n, device="cuda", dtype=torch.bfloat16)
torch.cuda.synchronize()
start = time.time()
iterations = 0
while time.time() - start < seconds:
    for _ in range(20):
        a @ b
    torch.cuda.synchronize()
    iterations += 20
elapsed = time.time() - start
result = {"seconds": elapsed, "iterations": iterations, "tflops": 2 * n**3 * iterations / elapsed / 1e12}
print(json.dumps(result), flush=True)
with open(os.path.join(os.environ.get("LLEM_RESULTS_DIR", "."), "result.json"), "w") as f:
    json.dump(result, f)
