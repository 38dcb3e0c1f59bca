#!/usr/bin/env python3
"""Per-step medians of a campaign's runs, read from the server's histories.

Usage: bench/step-times.py ADDRESS CAMPAIGN_WORKFLOW_ID   (needs the `temporal` CLI on PATH)

For every ExperimentWorkflow of the campaign (workflow ids CAMPAIGN_WORKFLOW_ID/<run>), from
`temporal workflow show -o json`: each activity's dispatch (scheduled -> started, the server
handing it to a worker) and total (scheduled -> completed), each workflow task's dispatch and
work (started -> completed: the worker's round trip plus the server's write), and the whole run
(first -> last event). Prints the median of each over the runs.
"""
import json
import statistics
import subprocess
import sys
from datetime import datetime


def ts(s):
    # RFC 3339 with up to nanoseconds -> seconds (microsecond precision)
    s = s.replace("Z", "+00:00")
    if "." in s:
        head, rest = s.split(".", 1)
        cut = min(i for i in (rest.find("+"), rest.find("-")) if i >= 0)
        s = head + "." + rest[:cut][:6].ljust(6, "0") + rest[cut:]
    return datetime.fromisoformat(s).timestamp()


def temporal(*args):
    return json.loads(subprocess.check_output(["temporal", *args, "-o", "json"]))


def main(address, campaign):
    runs = temporal("workflow", "list", "--address", address, "--limit", "100000",
                    "-q", f'WorkflowId STARTS_WITH "{campaign}/"')
    stats = {}

    def add(key, seconds):
        stats.setdefault(key, []).append(seconds * 1000)

    for run in runs:
        wid = run["execution"]["workflowId"]
        events = temporal("workflow", "show", "--address", address, "-w", wid)["events"]
        scheduled = {}
        wft_scheduled = None
        wft_started = None
        for e in events:
            t = ts(e["eventTime"])
            kind = e["eventType"]
            if kind == "EVENT_TYPE_ACTIVITY_TASK_SCHEDULED":
                name = e["activityTaskScheduledEventAttributes"]["activityType"]["name"]
                scheduled[int(e["eventId"])] = (name, t)
            elif kind == "EVENT_TYPE_ACTIVITY_TASK_STARTED":
                name, t0 = scheduled[int(e["activityTaskStartedEventAttributes"]["scheduledEventId"])]
                add(f"{name} dispatch", t - t0)
            elif kind == "EVENT_TYPE_ACTIVITY_TASK_COMPLETED":
                name, t0 = scheduled[int(e["activityTaskCompletedEventAttributes"]["scheduledEventId"])]
                add(f"{name} total", t - t0)
            elif kind == "EVENT_TYPE_WORKFLOW_TASK_SCHEDULED":
                wft_scheduled = t
            elif kind == "EVENT_TYPE_WORKFLOW_TASK_STARTED" and wft_scheduled is not None:
                add("workflow task dispatch", t - wft_scheduled)
                wft_started = t
            elif kind == "EVENT_TYPE_WORKFLOW_TASK_COMPLETED" and wft_started is not None:
                add("workflow task work", t - wft_started)
        add("whole run (first -> last event)", ts(events[-1]["eventTime"]) - ts(events[0]["eventTime"]))
        stats.setdefault("workflow tasks per run", []).append(
            sum(1 for e in events if e["eventType"] == "EVENT_TYPE_WORKFLOW_TASK_COMPLETED") * 1.0)

    print(f"per-step medians over {len(runs)} runs of {campaign} (ms; counts where named):")
    order = ["Route", "Launch", "Verify", "Await", "Collect", "Cleanup"]
    keys = sorted(stats, key=lambda k: (next((i for i, o in enumerate(order) if k.startswith(o)), 99), k))
    for k in keys:
        print(f"  {k:34s} {statistics.median(stats[k]):8.1f}   (n={len(stats[k])})")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
