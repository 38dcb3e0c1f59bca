#!/usr/bin/env python3
"""llem CUDA view: what CUDA enumerates in this process, in CUDA's order.

Runs inside a run's container (or as the run's process environment) after CUDA_VISIBLE_DEVICES
is applied, through the CUDA driver API (libcuda.so.1) with ctypes: no PyTorch, no pip, Python 3
standard library only. Output (parsed by CudaViewParser):

    # llem-cuda-view ctypes
    cuInit: 0
    count: 2
    0: GPU-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx
    1: GPU-...

A failing cuInit (100 = no device, 101 = invalid device, e.g. a duplicate entry in
CUDA_VISIBLE_DEVICES) is a result, not an error: it prints the code and count 0 and exits 0.
Exit 3: libcuda.so.1 cannot be loaded. Exit 4: a driver call after cuInit failed.
"""

import ctypes
import sys


class CUuuid(ctypes.Structure):
    _fields_ = [("bytes", ctypes.c_ubyte * 16)]


def load_libcuda():
    errors = []
    for name in ("libcuda.so.1", "libcuda.so"):
        try:
            return ctypes.CDLL(name)
        except OSError as e:
            errors.append("%s: %s" % (name, e))
    return errors


def load_nvml():
    """NVML is only used to tell a MIG instance from a full GPU; absent is fine."""
    try:
        nvml = ctypes.CDLL("libnvidia-ml.so.1")
        if nvml.nvmlInit_v2() != 0:
            return None
        return nvml
    except (OSError, AttributeError):
        return None


def fmt(raw):
    h = "".join("%02x" % b for b in raw)
    return "%s-%s-%s-%s-%s" % (h[0:8], h[8:12], h[12:16], h[16:20], h[20:32])


def uuid_of(lib, fn_name, dev):
    fn = getattr(lib, fn_name, None)
    if fn is None:
        return None
    u = CUuuid()
    if fn(ctypes.byref(u), dev) != 0:
        return None
    return fmt(bytes(u.bytes))


def is_mig(nvml, uuid):
    if nvml is None:
        return False
    handle = ctypes.c_void_p()
    return nvml.nvmlDeviceGetHandleByUUID(("MIG-" + uuid).encode(), ctypes.byref(handle)) == 0


def main():
    lib = load_libcuda()
    if isinstance(lib, list):
        sys.stderr.write(
            "llem-cuda-view: cannot load the CUDA driver library (%s); the image or the runtime"
            " does not provide libcuda.so.1 (NVIDIA_DRIVER_CAPABILITIES needs compute)\n"
            % "; ".join(lib)
        )
        return 3
    lines = ["# llem-cuda-view ctypes"]
    rc = lib.cuInit(0)
    lines.append("cuInit: %d" % rc)
    if rc != 0:
        lines.append("count: 0")
        print("\n".join(lines))
        return 0
    count = ctypes.c_int()
    rc = lib.cuDeviceGetCount(ctypes.byref(count))
    if rc != 0:
        sys.stderr.write("llem-cuda-view: cuDeviceGetCount failed with CUresult %d\n" % rc)
        return 4
    lines.append("count: %d" % count.value)
    nvml, nvml_tried = None, False
    for i in range(count.value):
        dev = ctypes.c_int()
        rc = lib.cuDeviceGet(ctypes.byref(dev), i)
        if rc != 0:
            sys.stderr.write("llem-cuda-view: cuDeviceGet(%d) failed with CUresult %d\n" % (i, rc))
            return 4
        # _v2 gives a MIG instance's own UUID (CUDA 11.4+); the old entry point may give the
        # parent GPU's. Either differing from the other, or NVML knowing "MIG-<uuid>", marks MIG.
        v2 = uuid_of(lib, "cuDeviceGetUuid_v2", dev)
        v1 = uuid_of(lib, "cuDeviceGetUuid", dev)
        uuid = v2 or v1
        if uuid is None:
            sys.stderr.write("llem-cuda-view: cuDeviceGetUuid(%d) failed\n" % i)
            return 4
        mig = v1 is not None and v2 is not None and v1 != v2
        if not mig:
            if not nvml_tried:
                nvml, nvml_tried = load_nvml(), True
            mig = is_mig(nvml, uuid)
        lines.append("%d: %s%s" % (i, "MIG-" if mig else "GPU-", uuid))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
