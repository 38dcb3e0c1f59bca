# Shared helpers of the bench/ scripts (sourced, not run).
# Every script works in its own temporary folder ($work) with its own LLEM_HOME and results, and
# talks to a dev server on its own port, so benchmarks never touch the user's campaigns.

die() { echo "bench: $*" >&2; exit 1; }
now_ms() { date +%s%3N; }
ms_to_s() { awk -v m="$1" 'BEGIN { printf "%.2f", m / 1000 }'; }
div() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) { print "nan"; exit } if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# min median max of numbers on stdin
spread() { sort -n | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%s / %s / %s", v[1], m, v[NR] }'; }

BENCH_PORT=${BENCH_PORT:-7833}
BENCH_UI_PORT=${BENCH_UI_PORT:-8833}
work=$(mktemp -d "${TMPDIR:-/tmp}/llem-bench.XXXXXX")
export LLEM_HOME=$work/home
mkdir -p "$LLEM_HOME"
server_pid=

cleanup() {
  # (a stopped server exits 143; `|| true` keeps set -e from ending the cleanup there)
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  # Containers of bench campaigns that a killed worker may have left behind.
  docker ps -aq --filter label=llem.campaign 2>/dev/null | while read -r c; do
    docker inspect -f '{{index .Config.Labels "llem.campaign"}}' "$c" 2>/dev/null | grep -q '^bench-' \
      && docker rm -f "$c" >/dev/null 2>&1 || true
  done
  [ -n "${BENCH_KEEP:-}" ] || rm -rf "$work"
  return 0
}
trap cleanup EXIT

require_built() {
  [ -f worker/target/llem-campaign.jar ] || die "build first: ./mvnw -B -q -DskipTests package"
  docker image inspect llem-probe:dev >/dev/null 2>&1 || die "no llem-probe:dev: run scripts/build-test-images"
}

cli() { bin/llem-campaign "$@" --temporal "127.0.0.1:$BENCH_PORT" --results "$work/results" \
  --inventory "$(pwd)/examples/inventories/sim-4gpu-idle"; }

wait_port() { # port timeout_s
  local i
  for i in $(seq 1 $(($2 * 10))); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

# Starts the embedded durable server (the `server` command) on BENCH_PORT and waits until it answers.
bench_server_up() {
  # Own session: stopping the server signals its whole process group, which must not be ours.
  setsid bin/llem-campaign server --port "$BENCH_PORT" --ui-port "$BENCH_UI_PORT" >"$work/server.log" 2>&1 &
  server_pid=$!
  wait_port "$BENCH_PORT" 60 || { tail -20 "$work/server.log"; die "server did not start on $BENCH_PORT"; }
  sleep 1
}

ledger() { cat "$work/results/$1/ledger.jsonl"; }
ledger_count() { ledger "$1" | grep -c '"completed"' || true; }
# Median of finishedAt - startedAt over the campaign's ledger, in ms.
ledger_median_ms() {
  ledger "$1" | python3 -c '
import json, sys
from datetime import datetime
def t(s): return datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()
for line in sys.stdin:
    r = json.loads(line)
    print(round((t(r["finishedAt"]) - t(r["startedAt"])) * 1000))' | median
}

# Span of the campaign's runs (first startedAt to last finishedAt), in ms: the pipeline without
# the CLI's own start-up.
ledger_span_ms() {
  ledger "$1" | python3 -c '
import json, sys
from datetime import datetime
def t(s): return datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()
rs = [json.loads(l) for l in sys.stdin]
print(round((max(t(r["finishedAt"]) for r in rs) - min(t(r["startedAt"]) for r in rs)) * 1000))'
}

# rows "round side wall median" -> per-round ratio A/B and the spread.
summarize_ab() { # file title
  echo "A/B summary ($2):"
  awk '$2=="A"{a[$1]=$3; am[$1]=$4} $2=="B"{b[$1]=$3; bm[$1]=$4}
       END { for (r in a) if (r in b) printf "round %s: wall ratio campaign/loop %.2fx, median per-run ratio %.2fx\n", r, a[r]/b[r], am[r]/bm[r] }' "$1" | sort
  printf 'campaign wall ms min/median/max: %s\n' "$(awk '$2=="A"{print $3}' "$1" | spread)"
  printf 'loop     wall ms min/median/max: %s\n' "$(awk '$2=="B"{print $3}' "$1" | spread)"
  awk '$2=="A"{print $1, $3} $2=="B"{print $1, -$3}' "$1" >/dev/null
  printf 'campaign span ms (first start to last finish, no CLI start-up) min/median/max: %s\n' "$(awk '$2=="A"{print $5}' "$1" | spread)"
  printf 'span/loop-wall ratio (median over rounds): %s\n' "$(awk '$2=="A"{a[$1]=$5} $2=="B"{b[$1]=$3} END {for (r in a) if (r in b) printf "%.3f\n", a[r]/b[r]}' "$1" | median)x"
  printf 'wall ratio (median over rounds): %s\n' "$(awk '$2=="A"{a[$1]=$3} $2=="B"{b[$1]=$3} END {for (r in a) if (r in b) printf "%.3f\n", a[r]/b[r]}' "$1" | median)x"
}

# $cp: the worker's test classes (the benchmark mains) and the shaded CLI jar (product + deps).
bench_classpath() {
  cp="worker/target/test-classes:worker/target/llem-campaign.jar"
}
