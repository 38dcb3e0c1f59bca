# llem-sim: shared logic of the SIMULATED NVIDIA runtime (a test double for CPU-only hosts).
#
# Used by /usr/bin/nvidia-smi and /usr/local/bin/llem-cuda-view (busybox awk, all work in BEGIN).
# It reads the host inventory (query-gpu.csv, nvidia-smi-L.txt, optional compute-apps.csv) from
# $LLEM_SIM_INVENTORY (default /llem-sim/inventory) and resolves NVIDIA_VISIBLE_DEVICES the way
# the NVIDIA container runtime would. Nothing here knows about the project's router: what a run
# "sees" depends only on the inventory files and the environment variables, so a routing bug
# shows up as a mismatch. Real GPUs are checked on real hosts.
#
# Globals filled by load_inventory():
#   G_n                      GPUs in query-gpu.csv (rows 0..G_n-1, file order)
#   G_idx/G_uuid/G_bus/G_name/G_mem/G_mig[row]  the csv fields, verbatim
#   G_rest[row]              the nvidia-smi -L line after "GPU <i>:" (name and UUID)
#   M_n                      MIG instances in nvidia-smi-L.txt (0..M_n-1, file order)
#   M_parent/M_dev/M_uuid/M_line[m]  parent GPU row, host MIG device number, UUID, raw line
# Globals filled by resolve_nvd():
#   E_n, E_row[k]            exposed GPUs in PCI bus order; k is the in-container index
#   X_mig[m]                 1 when MIG instance m is exposed
#   R_err                    the error text when resolution fails

function sim_err(msg) {
  print msg > "/dev/stderr"
}

function inventory_dir() {
  if ("LLEM_SIM_INVENTORY" in ENVIRON && ENVIRON["LLEM_SIM_INVENTORY"] != "")
    return ENVIRON["LLEM_SIM_INVENTORY"]
  return "/llem-sim/inventory"
}

# Command-line arguments after the awk program; busybox awk keeps a leading "--" in ARGV.
function collect_args(args,    i, n) {
  n = 0
  for (i = 1; i < ARGC; i++) {
    if (i == 1 && ARGV[i] == "--") continue
    args[++n] = ARGV[i]
  }
  return n
}

function trim(s) {
  sub(/^[ \t\r]+/, "", s)
  sub(/[ \t\r]+$/, "", s)
  return s
}

function starts_with_ci(s, prefix) {
  return tolower(substr(s, 1, length(prefix))) == tolower(prefix)
}

# Returns "" when the inventory was loaded, otherwise a message saying what is missing.
function load_inventory(dir,    file, line, f, n, row, m, rest, uuid, lines) {
  G_n = 0
  M_n = 0
  file = dir "/query-gpu.csv"
  while ((lines = (getline line < file)) > 0) {
    sub(/\r$/, "", line)
    n = split(line, f, ", ")
    if (line == "" || f[1] == "index") continue  # blank line or a csv header
    if (n < 6)
      return file ": expected 6 fields (index, uuid, pci.bus_id, name, memory.total," \
        " mig.mode.current) in: " line
    G_idx[G_n] = f[1]; G_uuid[G_n] = f[2]; G_bus[G_n] = f[3]
    G_name[G_n] = f[4]; G_mem[G_n] = f[5]; G_mig[G_n] = f[6]
    G_rest[G_n] = ""
    G_n++
  }
  if (lines < 0) return "no inventory at " dir " (cannot read " file ")"
  close(file)

  file = dir "/nvidia-smi-L.txt"
  row = -1
  while ((lines = (getline line < file)) > 0) {
    sub(/\r$/, "", line)
    if (line ~ /^GPU [0-9]+: /) {
      rest = line
      sub(/^GPU [0-9]+:/, "", rest)
      uuid = line
      sub(/^.*\(UUID: /, "", uuid)
      sub(/\)$/, "", uuid)
      row = gpu_row_by_uuid(uuid)
      if (row < 0) return file ": " uuid " is not in query-gpu.csv"
      G_rest[row] = rest
    } else if (line ~ /^  MIG .*Device +[0-9]+: \(UUID: MIG-/) {
      if (row < 0) return file ": MIG line before any GPU line: " line
      m = M_n++
      M_parent[m] = row
      M_line[m] = line
      M_uuid[m] = line
      sub(/^.*\(UUID: /, "", M_uuid[m])
      sub(/\)$/, "", M_uuid[m])
      rest = line
      sub(/^.*Device +/, "", rest)
      sub(/:.*$/, "", rest)
      M_dev[m] = rest + 0
    } else if (line != "") {
      return file ": unrecognised line: " line
    }
  }
  if (lines < 0) return "no inventory at " dir " (cannot read " file ")"
  close(file)
  for (row = 0; row < G_n; row++)
    if (G_rest[row] == "") return file ": no line for " G_uuid[row]
  return ""
}

function gpu_row_by_uuid(uuid,    row) {
  for (row = 0; row < G_n; row++)
    if (tolower(G_uuid[row]) == tolower(uuid)) return row
  return -1
}

function is_mig_enabled(row) {
  return tolower(G_mig[row]) == "enabled"
}

# PCI bus id in a comparable form: lower case, domain without leading zeros
# ("00000000:3B:00.0", "0000:3b:00.0" and "3b:00.0" are the same device).
function norm_bus(id,    p, n, dom) {
  id = tolower(id)
  n = split(id, p, ":")
  if (n == 2) return "0:" id
  if (n != 3) return id
  dom = p[1]
  sub(/^0+/, "", dom)
  if (dom == "") dom = "0"
  return dom ":" p[2] ":" p[3]
}

# Marks what one NVIDIA_VISIBLE_DEVICES entry selects (gpu_sel[row], X_mig[m]).
# Returns 0 for an entry the runtime does not know.
function select_entry(e, gpu_sel,    row, m, p) {
  if (e ~ /^[0-9]+$/) {
    for (row = 0; row < G_n; row++)
      if (G_idx[row] + 0 == e + 0) { gpu_sel[row] = 1; return 1 }
    return 0
  }
  if (e ~ /^[0-9]+:[0-9]+$/) {
    split(e, p, ":")
    for (m = 0; m < M_n; m++)
      if (G_idx[M_parent[m]] + 0 == p[1] + 0 && M_dev[m] == p[2] + 0 \
          && is_mig_enabled(M_parent[m])) {
        X_mig[m] = 1
        return 1
      }
    return 0
  }
  if (starts_with_ci(e, "GPU-")) {
    # Full UUIDs only: the runtime does not accept prefixes (CUDA does).
    row = gpu_row_by_uuid(e)
    if (row < 0) return 0
    gpu_sel[row] = 1
    return 1
  }
  if (starts_with_ci(e, "MIG-")) {
    for (m = 0; m < M_n; m++)
      if (tolower(M_uuid[m]) == tolower(e)) { X_mig[m] = 1; return 1 }
    return 0
  }
  if (e ~ /^[0-9A-Fa-f]*:?[0-9A-Fa-f]+:[0-9A-Fa-f]+\.[0-7]$/) {
    for (row = 0; row < G_n; row++)
      if (norm_bus(G_bus[row]) == norm_bus(e)) { gpu_sel[row] = 1; return 1 }
    return 0
  }
  return 0
}

# Unset, empty or "void": the runtime behaves like plain runc (no GPUs, no driver, no tools).
function nvd_is_void() {
  if (!("NVIDIA_VISIBLE_DEVICES" in ENVIRON)) return 1
  return ENVIRON["NVIDIA_VISIBLE_DEVICES"] == "" || ENVIRON["NVIDIA_VISIBLE_DEVICES"] == "void"
}

# Resolves NVIDIA_VISIBLE_DEVICES. Returns
#   "void"  unset, empty or "void": the runtime adds no GPU support at all
#   "ok"    E_n/E_row/X_mig describe what the container sees (E_n may be 0 for "none")
#   "error" R_err holds what container creation would have printed
function resolve_nvd(    value, entries, n, i, row, m, gpu_sel, order, j, tmp) {
  E_n = 0
  R_err = ""
  for (m = 0; m < M_n; m++) X_mig[m] = 0
  if (nvd_is_void()) return "void"
  value = ENVIRON["NVIDIA_VISIBLE_DEVICES"]
  if (value == "none") return "ok"
  if (value == "all") {
    for (row = 0; row < G_n; row++) gpu_sel[row] = 1
    for (m = 0; m < M_n; m++) X_mig[m] = 1
  } else {
    n = split(value, entries, ",")
    for (i = 1; i <= n; i++) {
      if (entries[i] == "") continue
      if (!select_entry(entries[i], gpu_sel)) {
        R_err = "nvidia-container-cli: device error: " entries[i] ": unknown device"
        return "error"
      }
    }
    # A selected MIG instance brings its parent GPU into the container's view.
    for (m = 0; m < M_n; m++) if (X_mig[m]) gpu_sel[M_parent[m]] = 1
  }
  # Exposed GPUs in PCI bus order (insertion sort; inventories are small).
  for (row = 0; row < G_n; row++) {
    if (!(row in gpu_sel)) continue
    order[E_n++] = row
  }
  for (i = 1; i < E_n; i++) {
    tmp = order[i]
    for (j = i - 1; j >= 0 && norm_bus(G_bus[order[j]]) > norm_bus(G_bus[tmp]); j--)
      order[j + 1] = order[j]
    order[j + 1] = tmp
  }
  for (i = 0; i < E_n; i++) E_row[i] = order[i]
  return "ok"
}

# Loads the inventory and resolves NVIDIA_VISIBLE_DEVICES; on failure prints the reason to
# stderr and returns the exit code to use (0 = continue). void_code is what this tool does when
# the runtime would have added no GPU support at all.
function sim_setup(tool, void_code, void_msg,    err, state) {
  if (nvd_is_void()) {
    sim_err(void_msg)
    return void_code
  }
  err = load_inventory(inventory_dir())
  if (err != "") {
    sim_err(tool ": llem-sim: " err)
    sim_err(tool ": llem-sim is a test double that needs a host inventory mounted read-only" \
      " at /llem-sim/inventory (or LLEM_SIM_INVENTORY=<dir>).")
    return 2
  }
  state = resolve_nvd()
  if (state == "error") {
    sim_err(R_err)
    sim_err(tool ": llem-sim: NVIDIA_VISIBLE_DEVICES=" ENVIRON["NVIDIA_VISIBLE_DEVICES"] \
      " names a device this host does not have; a real container would not have been created.")
    return 125
  }
  return 0
}
