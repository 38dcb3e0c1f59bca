#!/usr/bin/env bash
# The hardware check of docs/hardware-checks.md: on a real NVIDIA host, read the live inventory
# with `gpus`, route GPU 0 for a local process by index and by UUID, start processes with exactly
# the routed environment and see what CUDA (the project's CUDA-view probe) and PyTorch enumerate,
# do the same with a wrong CUDA_VISIBLE_DEVICES, and check that `route --gpus 1` is refused.
#
#   scripts/hardware-check-gpus.sh BUNDLE.tar.xz OUT_DIR    (BUNDLE from scripts/build-gpu-bundle)
#
# Writes every raw output to OUT_DIR (one file per command, plus .rc/.err where useful).
set -u
bundle="$1"
R="$2"
mkdir -p "$R"
B="$(mktemp -d)"
tar -C "$B" -xJf "$bundle"
L="$B/bin/llem"
H=h200-live
run() { # run NAME CMD...: stdout to NAME, stderr to NAME.err, exit code to NAME.rc
  local name="$1"; shift
  "$@" >"$R/$name" 2>"$R/$name.err"; echo $? >"$R/$name.rc"
}
{ date -u +%Y-%m-%dT%H:%M:%SZ; uname -srm; "$B/jre/bin/java" -version 2>&1 | head -1
  python3 --version; command -v python3; } >"$R/machine.txt" 2>&1
env | grep -E '^(CUDA|NVIDIA)_' | sort >"$R/inherited-env.txt"
run nvidia-smi.txt nvidia-smi
run query-gpu.csv nvidia-smi --query-gpu=index,uuid,pci.bus_id,name,memory.total,mig.mode.current --format=csv,noheader
run nvidia-smi-L.txt nvidia-smi -L
run compute-apps.csv nvidia-smi --query-compute-apps=pid,gpu_uuid,used_memory --format=csv,noheader
run gpus.json "$L" gpus --json --host-id "$H"
run gpus.txt "$L" gpus --host-id "$H"
uuid="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["gpus"][0]["uuid"])' "$R/gpus.json")"
run route-0-process.json "$L" route --gpus 0 --attach process --json --host-id "$H"
run route-uuid-process.json "$L" route --gpus "$uuid" --attach process --json --host-id "$H"
run route-prefix-process.json "$L" route --gpus "${uuid:0:12}" --attach process --json --host-id "$H"
run route-0-device-request.json "$L" route --gpus 0 --json --host-id "$H"
run route-1.json "$L" route --gpus 1 --json --host-id "$H"
run route-1.txt "$L" route --gpus 1 --host-id "$H"

torch_view='import os, torch
print("CUDA_VISIBLE_DEVICES=" + os.environ.get("CUDA_VISIBLE_DEVICES", "<unset>"))
n = torch.cuda.device_count()
print("device_count: %d" % n)
for i in range(n):
    p = torch.cuda.get_device_properties(i)
    print("%d: %s uuid=%s" % (i, p.name, p.uuid))'
cuda_view="$B/cuda_view.py"
# A process with exactly the routed environment: the routing variables are removed from the
# inherited environment, then the route's env object is applied.
routed() { # routed ROUTE_JSON CMD...
  local json="$1"; shift
  local vars
  vars="$(python3 -c 'import json,sys; print(" ".join(k+"="+v for k,v in json.load(open(sys.argv[1]))["env"].items()))' "$json")"
  env -u CUDA_VISIBLE_DEVICES -u NVIDIA_VISIBLE_DEVICES -u CUDA_DEVICE_ORDER $vars "$@"
}
run env-route-0.txt routed "$R/route-0-process.json" sh -c 'env | grep -E "^(CUDA|NVIDIA)_" | sort'
run cuda-view-route-0.txt routed "$R/route-0-process.json" python3 "$cuda_view"
run torch-route-0.txt routed "$R/route-0-process.json" python3 -c "$torch_view"
run cuda-view-route-uuid.txt routed "$R/route-uuid-process.json" python3 "$cuda_view"
run torch-route-uuid.txt routed "$R/route-uuid-process.json" python3 -c "$torch_view"
# The wrong environment: a host index that does not exist in this process's view.
wrong() { env -u CUDA_VISIBLE_DEVICES -u NVIDIA_VISIBLE_DEVICES CUDA_DEVICE_ORDER=PCI_BUS_ID CUDA_VISIBLE_DEVICES=1 "$@"; }
run cuda-view-cvd-1.txt wrong python3 "$cuda_view"
run torch-cvd-1.txt wrong python3 -c "$torch_view"
for f in "$R"/*.rc; do printf '%s %s\n' "$(basename "$f" .rc)" "$(cat "$f")"; done
