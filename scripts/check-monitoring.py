#!/usr/bin/env python3
"""Checks what an unattended run leaves for monitoring, with tools other than the job's own:
the metrics file with the Prometheus client library's text-format parser, and every line of the
log (standard error of `--log-format json`) as JSON with a run id and a level.

    scripts/check-monitoring.py METRICS_FILE LOG_FILE [SECRET_FILE]

SECRET_FILE: a credential that must appear in neither file. Says NOT RUN (exit 0) when the
prometheus_client package cannot be imported, as the contract check does without its files."""
import json
import sys

REQUIRED = [
    "access_reconciler_last_run_timestamp_seconds",
    "access_reconciler_last_success_timestamp_seconds",
    "access_reconciler_last_run_success",
    "access_reconciler_run_duration_seconds",
    "access_reconciler_writes",
    "access_reconciler_findings",
    "access_reconciler_drift",
    "access_reconciler_pending_requests",
    "access_reconciler_open_alerts",
    "access_reconciler_api_calls",
    "access_reconciler_api_retries",
    "access_reconciler_api_throttled",
]


def main():
    metrics_path, log_path = sys.argv[1], sys.argv[2]
    secret = open(sys.argv[3]).read().strip() if len(sys.argv) > 3 else None
    problems = []
    with open(log_path) as log:
        lines = [line for line in log.read().split("\n") if line]
    run_ids = set()
    for number, line in enumerate(lines, 1):
        try:
            entry = json.loads(line)
        except ValueError as error:
            problems.append(f"{log_path}:{number}: not JSON ({error}): {line[:120]}")
            continue
        if not isinstance(entry, dict) or not isinstance(entry.get("level"), str) or not isinstance(entry.get("message"), str):
            problems.append(f"{log_path}:{number}: no level or message")
        run_ids.add(entry.get("run_id") if isinstance(entry, dict) else None)
        if secret and secret in line:
            problems.append(f"{log_path}:{number}: the credential is in the log")
    if not lines:
        problems.append(f"{log_path}: no log line (run with --log-level info)")
    if len(run_ids) > 1:
        problems.append(f"{log_path}: more than one run id: {sorted(map(str, run_ids))}")

    text = open(metrics_path).read()
    if secret and secret in text:
        problems.append(f"{metrics_path}: the credential is in the metrics")
    try:
        from prometheus_client.parser import text_string_to_metric_families
    except ImportError:
        print(f"check-monitoring: log OK ({len(lines)} JSON lines); metrics NOT RUN: prometheus_client is not installed")
        return finish(problems)
    try:
        families = {family.name: family for family in text_string_to_metric_families(text)}
    except Exception as error:  # the parser raises ValueError and others on a malformed line
        problems.append(f"{metrics_path}: the Prometheus parser refuses it: {error}")
        families = {}
    for name in REQUIRED:
        if name not in families:
            problems.append(f"{metrics_path}: no {name}")
    success = families.get("access_reconciler_last_run_success")
    if success and [sample.value for sample in success.samples] != [1.0]:
        problems.append(f"{metrics_path}: the run did not succeed")
    samples = sum(len(family.samples) for family in families.values())
    if not problems:
        print(f"check-monitoring: {len(families)} metric families, {samples} samples parsed by prometheus_client; {len(lines)} log lines, each JSON, one run id")
    return finish(problems)


def finish(problems):
    for problem in problems:
        print("check-monitoring: " + problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
