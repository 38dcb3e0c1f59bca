#!/usr/bin/env bash
# The cooldown check of docs/hardware-checks.md, on a GPU host without Docker or Java (the CLI from
# the bundle of `scripts/build-gpu-bundle --with-run`): a process-mode mini-campaign of three bf16
# matmul loads (4096, 8192, 16384) x 2 cycles on GPU 0, each run verified by a PyTorch UUID probe,
# with either a fixed 60 s gap after every run or the adaptive cooldown back to the idle
# temperature measured at campaign start. Both start at the GPU's idle temperature.
#
#   scripts/hardware-check-cooldown.sh BUNDLE OUT_DIR fixed|adaptive [LOAD_SECONDS]
#
# OUT_DIR gets: the campaign file, run.txt (the CLI's output), results.json, trace.csv (nvidia-smi
# every second during the campaign), summary.txt (wall time; per run: the run's own NVML energy
# vs the host worker's, and their difference) and timings.txt.
set -uo pipefail
bundle="$1"; R="$2"; mode="$3"; load="${4:-20}"
mkdir -p "$R"
export LANG="${LANG:-C.UTF-8}"
B=/tmp/llem-bundle
[ -x "$B/bin/llem" ] || { mkdir -p "$B" && tar -C "$B" -xJf "$bundle"; }
L="$B/bin/llem"
py="$(command -v python3)"
[ -x /opt/torch/.venv/bin/python3 ] && py=/opt/torch/.venv/bin/python3
name="h200-mini-$mode"
if [ "$mode" = fixed ]; then
  pacing="  gap: 60s
  cycleGap: 60s"
else
  pacing="  cooldown: {idleBaseline: true, timeout: 5m}"
fi
envmap="{PYTHONUNBUFFERED: '1'${LD_LIBRARY_PATH:+, LD_LIBRARY_PATH: '$LD_LIBRARY_PATH'}}"
cat >"$R/$name.yaml" <<YAML
campaign: $name
attach: process
defaults:
  image: process-mode-has-no-image:1
  gpus: [0]
  timeout: 10m
  silenceTimeout: 5m
  env: $envmap
  probe: [$py, $B/check/torch_uuids.py]
  # The run's own NVML energy (process start to end) must match the host worker's await window.
  measurement: {compareEnergy: equal, energyTolerance: 5%}
  remeasure: 1
experiments:
  - {name: mm4k, command: [$py, $B/check/matmul_load.py, --size, '4096', --seconds, '$load']}
  - {name: mm8k, command: [$py, $B/check/matmul_load.py, --size, '8192', --seconds, '$load']}
  - {name: mm16k, command: [$py, $B/check/matmul_load.py, --size, '16384', --seconds, '$load']}
execution:
  cycles: 2
  order: interleave
$pacing
YAML
temp() { nvidia-smi --query-gpu=temperature.gpu --format=csv,noheader,nounits -i 0 | tr -d ' '; }
# Equal start temperature: start at the GPU's idle, i.e. once its power is back under 100 W and
# its temperature has not fallen for 10 s (at most 3 min). This machine's idle temperature moves
# by a few degrees between days and machines, so an absolute number could wait for nothing.
power() { nvidia-smi --query-gpu=power.draw --format=csv,noheader,nounits -i 0 | tr -d ' ' | cut -d. -f1; }
last=999; steady=0
for _ in $(seq 1 180); do
  t="$(temp)"
  if [ "$t" -lt "$last" ]; then steady=0; else steady=$((steady + 1)); fi
  last="$t"
  [ "$steady" -ge 10 ] && [ "$(power)" -lt 100 ] && break
  sleep 1
done
echo "campaign starts at idle: $(temp) C, $(power) W" | tee "$R/timings.txt"
nvidia-smi --query-gpu=timestamp,temperature.gpu,power.draw,clocks.sm,clocks_event_reasons.active \
  --format=csv -lms 1000 -i 0 >"$R/trace.csv" 2>&1 &
tracer=$!
export LLEM_HOME="$R/home"
s=$(date +%s.%N)
"$L" run "$R/$name.yaml" --results "$R/results" --host-id h200 >"$R/run.txt" 2>&1
rc=$?
e=$(date +%s.%N)
kill "$tracer" 2>/dev/null
awk -v a="$e" -v b="$s" -v rc="$rc" 'BEGIN { printf "campaign wall %.1f s, exit %d\n", a - b, rc }' | tee -a "$R/timings.txt"
cp "$R/results/$name/ledger.jsonl" "$R/ledger.jsonl" 2>/dev/null
grep -rh -i 'cooldown\|idle baseline' "$LLEM_HOME/logs" >"$R/cooldowns.txt" 2>/dev/null
"$L" results "$name" --json --results "$R/results" >"$R/results.json" 2>"$R/results.err"
"$py" - "$R/results.json" <<'PY' | tee "$R/summary.txt"
import json, sys
runs = json.load(open(sys.argv[1]))["runs"]
worst = 0.0
for r in runs:
    res = r.get("result") or {}
    hm = r.get("hostMeasurement") or {}
    own = res.get("total_energy_j")
    host = hm.get("energyJ")
    diff = None if own is None or not host else (own - host) / host * 100
    if diff is not None:
        worst = max(worst, abs(diff))
    note = r.get("hostMeasurementNote") or ""
    print("%-10s a%s %-9s own %10s J  host %10s J  diff %s%%  mean %s W  peak %s W  peak %s C  throttle %s s  %s" % (
        r["runId"], r["attempt"], r["status"], own, host, None if diff is None else round(diff, 2),
        hm.get("meanPowerW"), hm.get("peakPowerW"), hm.get("peakTemperatureC"), hm.get("thermalThrottleS"),
        (r.get("error") or {}).get("message", "") + note))
print("largest |own - host| / host: %.2f %%" % worst)
PY
exit $rc
