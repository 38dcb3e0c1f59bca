"""A probe for process-mode runs on real GPUs: the UUIDs PyTorch enumerates in this process, one
per line in CUDA's order (the format an experiment's `probe:` prints, gpu-routing.md)."""
import torch

for i in range(torch.cuda.device_count()):
    print("GPU-" + str(torch.cuda.get_device_properties(i).uuid))
