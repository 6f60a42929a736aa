#!/usr/bin/env python3
"""Checks three JSON reports of access-reconciler against one world: a plan that found writes, an
apply that made them with none failed, and a last plan that found nothing to write.
    check-convergence.py BACKEND FIRST_PLAN.json APPLY.json LAST_PLAN.json
.ci/run runs it on the release binary's reports against the sandbox's fakes."""
import json
import sys

backend = sys.argv[1]
first, applied, last = (json.load(open(path)) for path in sys.argv[2:5])
done = sum(applied["counts"]["done"].values())
failed = sum(applied["counts"]["failed"].values())
summary = f"{len(first['actions'])} planned, {done} writes done, {failed} failed, {len(last['actions'])} left to write"
if not first["actions"] or done == 0 or failed or last["actions"]:
    sys.exit(f"CI: the release binary did not converge against {backend}: {summary}")
print(f"release binary against the sandbox ({backend}): {summary}")
