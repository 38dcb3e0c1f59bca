#!/usr/bin/env bash
# The multi-GPU hardware check of docs/hardware-checks.md: on a real host with two or
# more NVIDIA GPUs and no Java, Docker, Temporal CLI or network, the project's own CLI (from the
# bundle of `scripts/build-gpu-bundle --with-run`) runs two `attach: process` campaigns with the
# in-process Temporal server, reading the real inventory with nvidia-smi:
#   gpu12-live:  gpus [1], [0], [1, 0] (PyTorch reports what it sees) and a 2-rank torchrun NCCL
#                all-reduce on [1, 0]; every run must complete;
#   gpu12-wrong: the same GPUs, but the experiment's probe enumerates with a wrong
#                CUDA_VISIBLE_DEVICES; every run must end GpuRoutingMismatch, its command unrun.
#
#   scripts/hardware-check-multi-gpu.sh BUNDLE.tar.xz OUT_DIR [HOST_ID]
#
# Writes every raw output to OUT_DIR (inventory, gpus/route JSON, both campaigns' results and
# ledgers, the CLI's output, timings.txt). NVLink multicast stays off (NCCL_NVLS_ENABLE=0 etc.).
set -u
bundle="$1"
R="$2"
H="${3:-h200x2-live}"
mkdir -p "$R"
export LANG="${LANG:-C.UTF-8}"
export NCCL_NVLS_ENABLE=0 TORCH_SYMM_MEM_DISABLE_MULTICAST=1 NVSHMEM_DISABLE_NVLS=1
t0=$(date +%s.%N)
B="$(mktemp -d /tmp/llem-bundle.XXXXXX)"
tar -C "$B" -xJf "$bundle"
L="$B/bin/llem"
since() { awk -v a="$(date +%s.%N)" -v b="$1" 'BEGIN { printf "%.1f", a - b }'; }
tick() { printf '%-28s at %6s s\n' "$1" "$(since "$t0")" >>"$R/timings.txt"; }
tick unpacked
run() { # run NAME CMD...: stdout to NAME, stderr to NAME.err, exit code to NAME.rc, time to timings
  local name="$1"; shift
  local s; s=$(date +%s.%N)
  "$@" >"$R/$name" 2>"$R/$name.err"; local rc=$?
  echo "$rc" >"$R/$name.rc"
  printf '%-28s rc=%-3s %6.1f s\n' "$name" "$rc" "$(since "$s")" >>"$R/timings.txt"
}
{ date -u +%Y-%m-%dT%H:%M:%SZ; uname -srm; "$B/jre/bin/java" -version 2>&1 | head -1
  python3 --version; command -v python3 torchrun nvidia-smi temporal docker java
  python3 -c 'import torch; print("torch", torch.__version__, "nccl", torch.cuda.nccl.version())'
  nproc; } >"$R/machine.txt" 2>&1
env | grep -E '^(CUDA|NVIDIA|NCCL|LD_LIBRARY)' | sort >"$R/inherited-env.txt"
run query-gpu.csv nvidia-smi --query-gpu=index,uuid,pci.bus_id,name,memory.total,mig.mode.current --format=csv,noheader
run nvidia-smi-L.txt nvidia-smi -L
run compute-apps.csv nvidia-smi --query-compute-apps=pid,gpu_uuid,used_memory --format=csv,noheader
run topo.txt nvidia-smi topo -m
run nvidia-smi.txt nvidia-smi
run torch-host.txt env -u CUDA_VISIBLE_DEVICES CUDA_DEVICE_ORDER=PCI_BUS_ID python3 "$B/check/torch_view.py"
run gpus.json "$L" gpus --json --host-id "$H"
run route-1-process.json "$L" route --gpus 1 --attach process --json --host-id "$H"
run route-0-process.json "$L" route --gpus 0 --attach process --json --host-id "$H"
run route-1-0-process.json "$L" route --gpus 1,0 --attach process --json --host-id "$H"

# What the runs get besides the routing: the library path of this image (libcuda, NCCL) and the
# multicast switches, as literal env: values (process mode passes only PATH, HOME, ... on).
envmap="{NCCL_NVLS_ENABLE: '0', TORCH_SYMM_MEM_DISABLE_MULTICAST: '1', NVSHMEM_DISABLE_NVLS: '1', PYTHONUNBUFFERED: '1'${LD_LIBRARY_PATH:+, LD_LIBRARY_PATH: '$LD_LIBRARY_PATH'}}"
view="[python3, $B/check/torch_view.py]"
torchrun="torchrun"
command -v torchrun >/dev/null 2>&1 || torchrun="python3, -m, torch.distributed.run"
cat >"$R/gpu12-live.yaml" <<YAML
campaign: gpu12-live
attach: process
defaults: {image: unused-in-process-mode:1, timeout: 3m, silenceTimeout: 2m, env: $envmap}
experiments:
  - {name: gpu1, gpus: [1], command: $view}
  - {name: gpu0, gpus: [0], command: $view}
  - {name: pair-1-0, gpus: [1, 0], command: $view}
  - name: tp2-torchrun
    gpus: [1, 0]
    parallelism: {tensor: 2}
    command: [$torchrun, --standalone, --nproc_per_node, '2', $B/check/allreduce.py]
YAML
# Wrong environments the verification must catch. In process mode a run sees every host GPU, so
# the container bug (host index 1 copied into CUDA_VISIBLE_DEVICES where GPU 1 is cuda:0) cannot
# be reproduced as such; these are its process-mode counterparts: a container-relative index in
# a host process, and host indices in the requested rather than the routed (PCI) order.
cat >"$R/gpu12-wrong.yaml" <<YAML
campaign: gpu12-wrong
attach: process
defaults: {image: unused-in-process-mode:1, timeout: 3m, silenceTimeout: 2m, env: $envmap}
experiments:
  - name: wrong-container-index
    gpus: [1]
    probe: [env, 'CUDA_VISIBLE_DEVICES=0', python3, $B/cuda_view.py]
    command: $view
  - name: wrong-requested-order
    gpus: [1, 0]
    probe: [env, 'CUDA_VISIBLE_DEVICES=1,0', python3, $B/cuda_view.py]
    command: $view
YAML
export LLEM_HOME="$R/home"
run run-live.txt "$L" run "$R/gpu12-live.yaml" --results "$R/results" --host-id "$H"
run run-wrong.txt "$L" run "$R/gpu12-wrong.yaml" --results "$R/results" --host-id "$H"
run results-live.json "$L" results gpu12-live --json --results "$R/results"
run results-wrong.json "$L" results gpu12-wrong --json --results "$R/results"
run compute-apps-after.csv nvidia-smi --query-compute-apps=pid,gpu_uuid,used_memory --format=csv,noheader
tick done
for f in "$R"/*.rc; do printf '%s %s\n' "$(basename "$f" .rc)" "$(cat "$f")"; done | tee "$R/exit-codes.txt"
cat "$R/timings.txt"
