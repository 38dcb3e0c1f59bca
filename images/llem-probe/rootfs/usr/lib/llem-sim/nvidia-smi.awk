# llem-sim nvidia-smi: SIMULATED nvidia-smi of a test double for CPU-only hosts.
# Needs resolve.awk. Reads only the inventory and NVIDIA_VISIBLE_DEVICES; like the real tool
# it ignores CUDA_VISIBLE_DEVICES (measured on an H200 host).

function usage() {
  print "nvidia-smi (llem-sim test double: reads /llem-sim/inventory, not real GPUs)"
  print "Supported:"
  print "  -L, --list-gpus"
  print "  --query-gpu=<fields> --format=csv[,noheader][,nounits]"
  print "      fields: index, uuid (gpu_uuid), pci.bus_id (gpu_bus_id), name (gpu_name),"
  print "              memory.total, mig.mode.current, count"
  print "  --query-compute-apps=<fields> --format=csv[,noheader][,nounits]"
  print "      fields: pid, gpu_uuid, used_memory (used_gpu_memory)"
}

function bad_args(msg) {
  sim_err(msg)
  sim_err("Invalid combination of input arguments. Please run 'nvidia-smi -h' for help.")
  exit_code = 2
}

# "GPU <k>:" renumbered, MIG device numbers renumbered per GPU, as inside a container.
function list_gpus(    k, row, m, d, line) {
  for (k = 0; k < E_n; k++) {
    row = E_row[k]
    print "GPU " k ":" G_rest[row]
    d = 0
    for (m = 0; m < M_n; m++) {
      if (M_parent[m] != row || !X_mig[m]) continue
      line = M_line[m]
      sub(/Device +[0-9]+:/, sprintf("Device %2d:", d), line)
      print line
      d++
    }
  }
}

# Parses --format; sets fmt_header / fmt_units. Returns 0 when it is not a csv format.
function parse_format(spec,    p, n, i) {
  fmt_header = 1
  fmt_units = 1
  n = split(spec, p, ",")
  if (p[1] != "csv") return 0
  for (i = 2; i <= n; i++) {
    if (p[i] == "noheader") fmt_header = 0
    else if (p[i] == "nounits") fmt_units = 0
    else return 0
  }
  return 1
}

function canonical_gpu_field(f) {
  if (f == "gpu_uuid") return "uuid"
  if (f == "gpu_bus_id") return "pci.bus_id"
  if (f == "gpu_name") return "name"
  if (f ~ /^(index|uuid|pci\.bus_id|name|memory\.total|mig\.mode\.current|count)$/) return f
  return ""
}

function with_units(v) {
  if (!fmt_units) sub(/ MiB$/, "", v)
  return v
}

function gpu_value(field, k,    row) {
  row = E_row[k]
  if (field == "index") return k
  if (field == "uuid") return G_uuid[row]
  if (field == "pci.bus_id") return G_bus[row]
  if (field == "name") return G_name[row]
  if (field == "memory.total") return with_units(G_mem[row])
  if (field == "mig.mode.current") return G_mig[row]
  if (field == "count") return E_n
}

function header_name(field) {
  if (field == "memory.total" || field == "used_gpu_memory") return field " [MiB]"
  return field
}

# Returns the number of fields, or 0 after reporting an invalid one.
function parse_fields(spec, kind, fields,    p, n, i, c) {
  n = split(spec, p, ",")
  if (n == 0) { bad_args("--query-" kind " needs at least one field."); return 0 }
  for (i = 1; i <= n; i++) {
    c = (kind == "gpu") ? canonical_gpu_field(p[i]) : canonical_app_field(p[i])
    if (c == "") {
      print "Field \"" p[i] "\" is not a valid field to query." > "/dev/stderr"
      sim_err("(llem-sim simulates only the fields listed by nvidia-smi -h.)")
      exit_code = 2
      return 0
    }
    fields[i] = c
  }
  return n
}

function print_header(fields, n,    i, line) {
  if (!fmt_header) return
  line = ""
  for (i = 1; i <= n; i++) line = line (i > 1 ? ", " : "") header_name(fields[i])
  print line
}

function query_gpu(spec,    fields, n, k, i, line) {
  n = parse_fields(spec, "gpu", fields)
  if (n == 0) return
  print_header(fields, n)
  for (k = 0; k < E_n; k++) {
    line = ""
    for (i = 1; i <= n; i++) line = line (i > 1 ? ", " : "") gpu_value(fields[i], k)
    print line
  }
}

function canonical_app_field(f) {
  if (f == "used_memory") return "used_gpu_memory"
  if (f == "pid" || f == "gpu_uuid" || f == "used_gpu_memory") return f
  return ""
}

# compute-apps.csv rows are "pid, gpu_uuid, used_memory"; only exposed GPUs' processes show.
function query_apps(spec,    fields, n, file, line, a, exposed, k, i, out, v) {
  n = parse_fields(spec, "compute-apps", fields)
  if (n == 0) return
  for (k = 0; k < E_n; k++) exposed[tolower(G_uuid[E_row[k]])] = 1
  print_header(fields, n)
  file = inventory_dir() "/compute-apps.csv"
  while ((getline line < file) > 0) {
    sub(/\r$/, "", line)
    if (line == "") continue
    split(line, a, ", ")
    if (!(tolower(a[2]) in exposed)) continue
    out = ""
    for (i = 1; i <= n; i++) {
      if (fields[i] == "pid") v = a[1]
      else if (fields[i] == "gpu_uuid") v = a[2]
      else v = with_units(a[3])
      out = out (i > 1 ? ", " : "") v
    }
    print out
  }
  close(file)
}

BEGIN {
  exit_code = 0
  nargs = collect_args(args)
  mode = ""
  spec = ""
  format = ""
  for (i = 1; i <= nargs; i++) {
    a = args[i]
    if (a == "-h" || a == "--help") wanted = "help"
    else if (a == "-L" || a == "--list-gpus") wanted = "list"
    else if (a ~ /^--query-gpu=/) { wanted = "gpu"; spec = substr(a, 13) }
    else if (a ~ /^--query-compute-apps=/) { wanted = "apps"; spec = substr(a, 22) }
    else if (a ~ /^--format=/) { format = substr(a, 10); continue }
    else {
      bad_args("nvidia-smi: unknown or unsupported option \"" a "\" (llem-sim test double)")
      exit exit_code
    }
    if (mode != "" && mode != wanted) {
      bad_args("nvidia-smi: only one of -L, --query-gpu, --query-compute-apps at a time")
      exit exit_code
    }
    mode = wanted
  }

  if (mode == "help" && !nvd_is_void()) { usage(); exit 0 }
  # No NVIDIA_VISIBLE_DEVICES (or void/empty): the runtime would not have mounted nvidia-smi.
  code = sim_setup("nvidia-smi", 127, "sh: nvidia-smi: not found (llem-sim: NVIDIA_VISIBLE_DEVICES" \
    " is unset, empty or void, so the NVIDIA runtime would add no GPU support)")
  if (code != 0) exit code

  if (mode == "gpu" || mode == "apps") {
    if (format == "") {
      bad_args("nvidia-smi: --format=csv[,noheader][,nounits] is required with --query-*")
      exit exit_code
    }
    if (!parse_format(format)) {
      bad_args("nvidia-smi: unsupported --format \"" format "\" (csv, noheader, nounits)")
      exit exit_code
    }
  } else if (format != "") {
    bad_args("nvidia-smi: --format only goes with --query-gpu or --query-compute-apps")
    exit exit_code
  }

  if (E_n == 0) { print "No devices were found"; exit 6 }

  if (mode == "") {
    sim_err("nvidia-smi (llem-sim): the summary table is not simulated; listing GPUs as -L does.")
    list_gpus()
  } else if (mode == "list") list_gpus()
  else if (mode == "gpu") query_gpu(spec)
  else query_apps(spec)
  exit exit_code
}
