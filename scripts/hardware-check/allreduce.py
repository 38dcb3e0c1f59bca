"""A 2-GPU tensor-parallel-style step for the hardware check: under torchrun, each rank takes its
local GPU, all-reduces a tensor over NCCL and prints rank, local device and that device's UUID;
rank 0 writes result.json (every rank's UUID, the sum) into LLEM_RESULTS_DIR."""
import json
import os

import torch
import torch.distributed as dist

local = int(os.environ["LOCAL_RANK"])
torch.cuda.set_device(local)
dist.init_process_group("nccl")
rank = dist.get_rank()
world = dist.get_world_size()
uuid = "GPU-" + str(torch.cuda.get_device_properties(local).uuid)
t = torch.full((1 << 20,), float(rank + 1), device="cuda")
dist.all_reduce(t)
total = t[0].item()
print("rank %d local cuda:%d uuid %s sum %.1f" % (rank, local, uuid, total), flush=True)
uuids = [None] * world
dist.all_gather_object(uuids, uuid)
if rank == 0:
    with open(os.path.join(os.environ["LLEM_RESULTS_DIR"], "result.json"), "w") as f:
        json.dump({"world_size": world, "rank_uuids": uuids, "sum": total,
                   "expected_sum": world * (world + 1) / 2.0,
                   "cuda_visible_devices": os.environ.get("CUDA_VISIBLE_DEVICES"),
                   "nccl_nvls_enable": os.environ.get("NCCL_NVLS_ENABLE")}, f)
dist.barrier()
dist.destroy_process_group()
