"""What PyTorch enumerates in this process, in CUDA's order; the command of the hardware check's
process-mode runs (docs/hardware-checks.md). Prints CUDA_VISIBLE_DEVICES, the device count and
each device's index and UUID, and, when LLEM_RESULTS_DIR is set (a process-mode run), writes
result.json there with the same facts, so the ledger holds what the run itself saw."""
import json
import os

import torch

cvd = os.environ.get("CUDA_VISIBLE_DEVICES", "<unset>")
order = os.environ.get("CUDA_DEVICE_ORDER", "<unset>")
n = torch.cuda.device_count()
uuids = []
print("CUDA_VISIBLE_DEVICES=" + cvd)
print("CUDA_DEVICE_ORDER=" + order)
print("device_count: %d" % n)
for i in range(n):
    p = torch.cuda.get_device_properties(i)
    uuid = "GPU-" + str(p.uuid)
    uuids.append(uuid)
    print("cuda:%d %s %s" % (i, p.name, uuid))
out = os.environ.get("LLEM_RESULTS_DIR")
if out:
    with open(os.path.join(out, "result.json"), "w") as f:
        json.dump({"device_count": n, "uuids": uuids, "cuda_visible_devices": cvd,
                   "cuda_device_order": order, "cwd": os.getcwd(), "torch": torch.__version__}, f)
