# llem-sim llem-cuda-view: SIMULATED CUDA device view of a test double for CPU-only hosts.
# Needs resolve.awk. What CUDA would enumerate in this container: the GPUs the runtime exposed
# (NVIDIA_VISIBLE_DEVICES, PCI bus order), then CUDA_VISIBLE_DEVICES applied as measured on
# real H200 hosts (cvd-matrix.txt of activities/src/test/resources/fixtures/gpu/h200-1gpu and
# h200-2gpu in the project's repository):
#   unset -> every device; "" -> none (cuInit 100)
#   entries are indices into the container's own enumeration (0..n-1), "GPU-" + a unique
#   prefix of a UUID, or a full "MIG-" UUID; an index is read like strtol ("0a" = 0)
#   parsing stops at the first invalid entry (out of range, negative, unknown or ambiguous
#   UUID, "all", "none", ...) and keeps what came before; nothing before -> cuInit 100
#   the same device twice by index ("1,1") -> cuInit 101, zero devices
#   a device already chosen by UUID and named again ("GPU-<uuid of 0>,0") ends the parsing
#   like an invalid entry: 1 device, no error (measured)
#   a process enumerates at most one MIG instance: later ones are left out
# Not modelled: CUDA_DEVICE_ORDER=FASTEST_FIRST (the inventory has no speeds; the project always
# exports PCI_BUS_ID, and this view always uses PCI bus order).

# Default enumeration D_*: a non-MIG GPU is one device; a MIG-mode GPU contributes its exposed
# MIG instances, of which only the first one overall is enumerable. P_*: every exposed MIG
# instance, for lookups by MIG UUID.
function build_devices(    k, row, m) {
  D_n = 0
  P_n = 0
  mig_seen = 0
  for (k = 0; k < E_n; k++) {
    row = E_row[k]
    if (!is_mig_enabled(row)) {
      D_uuid[D_n] = G_uuid[row]; D_mig[D_n] = 0; D_n++
      continue
    }
    for (m = 0; m < M_n; m++) {
      if (M_parent[m] != row || !X_mig[m]) continue
      P_uuid[P_n++] = M_uuid[m]
      if (!mig_seen) { D_uuid[D_n] = M_uuid[m]; D_mig[D_n] = 1; D_n++; mig_seen = 1 }
    }
  }
}

# Appends a device to the result; "by" is "index" or "uuid" (for the duplicate rules).
function choose(uuid, mig, by) {
  S_uuid[S_n] = uuid; S_mig[S_n] = mig; S_by[S_n] = by; S_n++
}

function chosen_at(uuid,    i) {
  for (i = 0; i < S_n; i++) if (S_uuid[i] == uuid) return i
  return -1
}

function has_mig_chosen(    i) {
  for (i = 0; i < S_n; i++) if (S_mig[i]) return 1
  return 0
}

# Applies CUDA_VISIBLE_DEVICES; returns the cuInit result (0, 100 or 101) and fills S_*.
function apply_cvd(    value, t, n, i, j, idx, hit, hits, prev) {
  S_n = 0
  if (!("CUDA_VISIBLE_DEVICES" in ENVIRON)) {
    for (i = 0; i < D_n; i++) choose(D_uuid[i], D_mig[i], "index")
    return D_n > 0 ? 0 : 100
  }
  value = ENVIRON["CUDA_VISIBLE_DEVICES"]
  n = split(value, t, ",")
  for (i = 1; i <= n; i++) {
    if (match(t[i], /^[0-9]+/)) {
      idx = substr(t[i], 1, RLENGTH) + 0
      if (idx >= D_n) break
      prev = chosen_at(D_uuid[idx])
      if (prev >= 0) {
        if (S_by[prev] == "index") { S_n = 0; return 101 }
        break
      }
      choose(D_uuid[idx], D_mig[idx], "index")
    } else if (starts_with_ci(t[i], "GPU-")) {
      hits = 0
      for (j = 0; j < D_n; j++)
        if (!D_mig[j] && starts_with_ci(D_uuid[j], t[i])) { hit = j; hits++ }
      if (hits != 1 || chosen_at(D_uuid[hit]) >= 0) break
      choose(D_uuid[hit], 0, "uuid")
    } else if (starts_with_ci(t[i], "MIG-")) {
      hit = -1
      for (j = 0; j < P_n; j++) if (tolower(P_uuid[j]) == tolower(t[i])) hit = j
      if (hit < 0) break
      if (has_mig_chosen()) continue
      choose(P_uuid[hit], 1, "uuid")
    } else {
      break
    }
  }
  return S_n > 0 ? 0 : 100
}

BEGIN {
  code = sim_setup("llem-cuda-view", 3, "llem-cuda-view: libcuda.so.1: cannot open shared object" \
    " file (llem-sim: NVIDIA_VISIBLE_DEVICES is unset, empty or void, so the NVIDIA runtime" \
    " would mount no driver)")
  if (code != 0) exit code
  build_devices()
  rc = apply_cvd()
  print "# llem-cuda-view simulated (test double: reads " inventory_dir() ", not real GPUs)"
  print "cuInit: " rc
  if (rc != 0) { print "count: 0"; exit 0 }
  print "count: " S_n
  for (i = 0; i < S_n; i++) print i ": " S_uuid[i]
  exit 0
}
