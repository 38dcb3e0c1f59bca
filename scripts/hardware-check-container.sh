#!/usr/bin/env bash
# Can a container on this GPU host see exactly the GPU it is given? For GPU hosts with no Docker
# engine and no NVIDIA container toolkit: runs OCI containers with crun directly (root, no image:
# the host's /usr, /lib, /etc and /opt are bind-mounted read-only as the container's system, so
# its python3 and PyTorch are the host's). Three containers on GPU 0:
#   given    - /dev/nvidia0 (with nvidiactl and nvidia-uvm), CUDA_VISIBLE_DEVICES unset: what the
#              container sees (nvidia-smi -L, PyTorch's devices and their UUIDs) must be that GPU only
#   withheld - the same without /dev/nvidia0: the device cgroup and the missing node must leave it
#              no GPU at all
#   workload - the given container runs examples/workloads/llm_generate.py (tiny preset) by UUID
#              and writes its result into a bind-mounted folder
#
#   scripts/hardware-check-container.sh CRUN OUT_DIR
#
# CRUN: a crun binary (e.g. Debian's crun package unpacked). OUT_DIR gets, per container, its
# output (<name>.txt, first line the exit code), the host's view (host.txt: kernel, cgroup version,
# user namespaces, the NVIDIA device nodes), its GPU inventory as --inventory reads it
# (query-gpu.csv, compute-apps.csv, nvidia-smi-L.txt) and the workload's result (workload.json).
set -uo pipefail
[ $# -eq 2 ] || { echo "usage: scripts/hardware-check-container.sh CRUN OUT_DIR" >&2; exit 2; }
crun=$(realpath "$1"); out=$(realpath -m "$2")
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

{
  echo "kernel: $(uname -r)"
  echo "cgroup: $(stat -fc %T /sys/fs/cgroup 2>&1)"
  echo "user namespaces: $(unshare --user --map-root-user id -u 2>&1)"
  echo "crun: $("$crun" --version 2>&1 | head -1)"
  echo "device nodes:"; ls -l /dev/nvidia* 2>&1
  echo "nvidia-smi -L on the host:"; nvidia-smi -L 2>&1
  echo "python3: $(command -v python3)"
} >"$out/host.txt"
cat "$out/host.txt"
# The host's inventory in the files --inventory reads, so tests can route on this very host.
nvidia-smi --query-gpu=index,uuid,pci.bus_id,name,memory.total,mig.mode.current --format=csv,noheader >"$out/query-gpu.csv"
nvidia-smi --query-compute-apps=pid,gpu_uuid,used_memory --format=csv,noheader >"$out/compute-apps.csv"
nvidia-smi -L >"$out/nvidia-smi-L.txt"

python3=$(command -v python3)
uuid=$(nvidia-smi --query-gpu=uuid --format=csv,noheader -i 0 | tr -d ' ')

# bundle NAME WITH_GPU0 ARGS...: an OCI bundle whose rootfs is an empty folder with the host's
# system folders bind-mounted read-only.
bundle() {
  local name=$1 with_gpu=$2
  shift 2
  mkdir -p "$work/$name/rootfs" "$work/results"
  python3 - "$work/$name/config.json" "$with_gpu" "$repo" "$work/results" "$python3" "$@" <<'PY'
import json, os, stat, sys
path, with_gpu, repo, results, python3, *args = sys.argv[1:]
nodes = ["/dev/nvidiactl", "/dev/nvidia-uvm", "/dev/nvidia-uvm-tools"]
if with_gpu == "yes":
    nodes.insert(0, "/dev/nvidia0")
devices, allow = [], [{"allow": False, "access": "rwm"}]
for n in nodes:
    if not os.path.exists(n):
        continue
    st = os.stat(n)
    devices.append({"path": n, "type": "c", "major": os.major(st.st_rdev),
                    "minor": os.minor(st.st_rdev), "fileMode": 0o666, "uid": 0, "gid": 0})
    allow.append({"allow": True, "type": "c", "major": os.major(st.st_rdev),
                  "minor": os.minor(st.st_rdev), "access": "rwm"})
for n in ["/dev/null", "/dev/zero", "/dev/urandom", "/dev/random", "/dev/tty", "/dev/full"]:
    st = os.stat(n)
    allow.append({"allow": True, "type": "c", "major": os.major(st.st_rdev),
                  "minor": os.minor(st.st_rdev), "access": "rwm"})
def bind(src, dst=None, ro=True):
    return {"destination": dst or src, "type": "bind", "source": src,
            "options": ["rbind", "ro" if ro else "rw"]}
mounts = [
    {"destination": "/proc", "type": "proc", "source": "proc"},
    {"destination": "/dev", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "mode=755"]},
    {"destination": "/tmp", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "mode=1777"]},
    bind("/sys"),
]
for d in ["/usr", "/lib", "/lib64", "/bin", "/sbin", "/etc", "/opt"]:
    if os.path.isdir(d) and not os.path.islink(d):
        mounts.append(bind(d))
    elif os.path.islink(d):
        mounts.append(bind(os.path.realpath(d), d))
mounts.append(bind(repo, "/repo"))
mounts.append(bind(results, "/results", ro=False))
env = ["PATH=" + os.path.dirname(python3) + ":/usr/local/nvidia/bin:/usr/local/bin:/usr/bin:/bin",
       "HOME=/tmp", "PYTHONUNBUFFERED=1", "CUDA_DEVICE_ORDER=PCI_BUS_ID"]
if "LD_LIBRARY_PATH" in os.environ:
    env.append("LD_LIBRARY_PATH=" + os.environ["LD_LIBRARY_PATH"])
config = {
    "ociVersion": "1.0.2",
    "process": {"terminal": False, "user": {"uid": 0, "gid": 0}, "args": args, "env": env, "cwd": "/tmp",
                "noNewPrivileges": True},
    "root": {"path": "rootfs", "readonly": True},
    "hostname": "llem-check",
    "mounts": mounts,
    "linux": {"namespaces": [{"type": t} for t in ["pid", "mount", "ipc", "uts"]],
              "devices": devices, "resources": {"devices": allow}},
}
json.dump(config, open(path, "w"), indent=1)
PY
}

# contain NAME: runs the bundle; its output to OUT_DIR/NAME.txt, first line its exit code.
# crun refuses a hybrid cgroup hierarchy (v1 controllers plus /sys/fs/cgroup/unified): there it
# runs in a private mount namespace with the unified hierarchy unmounted, so crun manages the v1
# device controller; the host's mounts are not touched.
contain() {
  local name=$1 manager=cgroupfs
  local cmd=("$crun" --cgroup-manager=cgroupfs run --bundle . "llem-check-$name-$$")
  if [ "$(stat -fc %T /sys/fs/cgroup)" != cgroup2fs ] && mountpoint -q /sys/fs/cgroup/unified; then
    manager="cgroupfs, v1 (unified hierarchy hidden)"
    cmd=(unshare -m sh -c 'umount /sys/fs/cgroup/unified && exec "$@"' sh "${cmd[@]}")
  fi
  (cd "$work/$name" && timeout 300 "${cmd[@]}" >"$work/$name.log" 2>&1)
  local rc=$?
  { echo "exit $rc (cgroup manager: $manager)"; cat "$work/$name.log"; } >"$out/$name.txt"
  echo "== $name: exit $rc"; cat "$work/$name.log"
  "$crun" delete -f "llem-check-$name-$$" >/dev/null 2>&1 || true
}

view='nvidia-smi -L; echo "nvidia-smi exit $?"; python3 -c "
import torch
n = torch.cuda.device_count()
print(\"torch devices:\", n)
for i in range(n):
    print(\"torch device\", i, \"uuid GPU-\" + str(torch.cuda.get_device_properties(i).uuid))
"'
bundle given yes /bin/sh -c "$view"
contain given
bundle withheld no /bin/sh -c "$view"
contain withheld
bundle workload yes /bin/sh -c "CUDA_VISIBLE_DEVICES=$uuid python3 /repo/examples/workloads/llm_generate.py \
  --model-size tiny --batch-size 4 --output-tokens 32 --batches 2 --device cuda --require-energy \
  --result /results/workload.json"
contain workload
cp "$work/results/workload.json" "$out/workload.json" 2>/dev/null || echo "no workload result" >&2
echo "expected: given sees $uuid only; withheld sees no GPU; workload measured on $uuid"
