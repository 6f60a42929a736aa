#!/usr/bin/env python3
"""Cross-checks the project's own description of an API against the official one.

The project keeps, under fixtures/contracts/, the part of each API that its clients and fakes use:
the operations, their parameters, and every schema those reach, with the official description's
prose left out. The tests read only that file. This script compares it with the official
description when one is at hand:

  scripts/check-contract.py fixtures/contracts/opsgenie-v2.json [OFFICIAL]

OFFICIAL defaults to the variable and the file beside the checkout that the project's file names
under `x-access-reconciler.official` ($OPSGENIE_OAS or ../shared/opsgenie-oas/swagger.json;
$JSM_OPS_OAS or ../shared/jsm-ops/jsm-ops.v3.json). Without it the script says that the check was
not run and exits 0. Swagger 2.0 and OpenAPI 3 descriptions are both read.

The project's file = the official subset for the same operations + the deviations it lists under
`x-access-reconciler.deviations` (each a JSON pointer, the value it adds and where that fact comes
from: limits that only the vendor's documentation states). Anything else that differs (a path,
parameter, field, type or enum) fails the check with exit 1. `--update` rewrites the project's
file from the official one and re-applies the deviations.
"""
import copy
import json
import os
import sys

# Keys that carry prose or presentation, not facts the clients or fakes depend on.
PROSE = {"description", "summary", "externalDocs", "tags", "x-collapse-params", "example", "headers", "title", "operationId"}
META = "x-access-reconciler"


def strip_prose(node, in_properties=False):
    if isinstance(node, dict):
        if in_properties:  # keys are field names here, never prose
            return {k: strip_prose(v) for k, v in node.items()}
        return {k: strip_prose(v, in_properties=(k == "properties")) for k, v in node.items() if k not in PROSE}
    if isinstance(node, list):
        return [strip_prose(v) for v in node]
    return node


def references(node, found):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                found.add(value)
            else:
                references(value, found)
    elif isinstance(node, list):
        for value in node:
            references(value, found)


def resolve_pointer(document, ref):
    node = document
    for part in pointer_parts(ref[1:]):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def store_pointer(document, ref, value):
    parts = pointer_parts(ref[1:])
    node = document
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    node[parts[-1]] = value


def subset(official, operations):
    """The official description cut down to `operations` [(path, method)] and what they reach,
    including the subtypes of discriminated schemas that are reached (Swagger 2.0 or OpenAPI 3)."""
    if "openapi" in official:
        out = {"openapi": official["openapi"], "paths": {}}
    else:
        out = {"swagger": official.get("swagger", "2.0"), "paths": {}}
    for path, method in operations:
        item = official.get("paths", {}).get(path)
        if item is None or method not in item:
            raise SystemExit(f"the official description has no {method.upper()} {path}")
        target = out["paths"].setdefault(path, {})
        target[method] = strip_prose(item[method])
        if "parameters" in item:
            target["parameters"] = strip_prose(item["parameters"])
    pending = set()
    references(out["paths"], pending)
    done = set()
    while True:
        new = pending - done
        if not new:
            grown = False
            for name, definition in official.get("definitions", {}).items():
                ref = "#/definitions/" + name
                if ref in done:
                    continue
                for part in definition.get("allOf", []):
                    base = part.get("$ref", "")
                    if base in done and official["definitions"].get(base.split("/")[-1], {}).get("discriminator"):
                        pending.add(ref)
                        grown = True
            if not grown:
                break
            continue
        for ref in sorted(new):
            done.add(ref)
            target = resolve_pointer(official, ref)
            if target is None:
                raise SystemExit(f"the official description has no {ref}")
            store_pointer(out, ref, strip_prose(target))
            references(target, pending)
    return out


def schema_count(document):
    return len(document.get("definitions", {}) or document.get("components", {}).get("schemas", {}))


def pointer_parts(pointer):
    return [p.replace("~1", "/").replace("~0", "~") for p in pointer.lstrip("/").split("/")]


def apply_deviation(document, deviation):
    parts = pointer_parts(deviation["pointer"])
    node = document
    for part in parts[:-1]:
        node = node[int(part)] if isinstance(node, list) else node.setdefault(part, {})
    node[parts[-1]] = deviation["value"]


def differences(expected, actual, path=""):
    if type(expected) is not type(actual):
        return [f"{path or '/'}: official {json.dumps(expected)[:120]}, project {json.dumps(actual)[:120]}"]
    if isinstance(expected, dict):
        found = []
        for key in sorted(set(expected) | set(actual)):
            where = f"{path}/{key.replace('~', '~0').replace('/', '~1')}"
            if key not in actual:
                found.append(f"{where}: in the official description, missing from the project's")
            elif key not in expected:
                found.append(f"{where}: in the project's description only (not listed as a deviation)")
            else:
                found += differences(expected[key], actual[key], where)
        return found
    if isinstance(expected, list):
        if len(expected) != len(actual):
            return [f"{path}: official has {len(expected)} entries, project {len(actual)}"]
        return [d for i, (e, a) in enumerate(zip(expected, actual)) for d in differences(e, a, f"{path}/{i}")]
    return [] if expected == actual else [f"{path}: official {json.dumps(expected)}, project {json.dumps(actual)}"]


def main(argv):
    update = "--update" in argv
    args = [a for a in argv if a != "--update"]
    if not args:
        print(__doc__)
        return 2
    contract_path = args[0]
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    with open(contract_path) as f:
        contract = json.load(f)
    official = contract.get(META, {}).get("official", {"variable": "OPSGENIE_OAS", "beside": "opsgenie-oas/swagger.json"})
    official_path = args[1] if len(args) > 1 else os.environ.get(official["variable"]) or os.path.join(os.path.dirname(root), "shared", official["beside"])
    name = os.path.basename(contract_path)
    if not os.path.isfile(official_path):
        print(f"contract {name}: cross-check NOT RUN: no official description at {official_path} (set {official['variable']}=FILE)")
        return 0
    with open(official_path) as f:
        official = json.load(f)
    meta = contract.get(META, {})
    deviations = meta.get("deviations", [])
    # Whole paths that a deviation adds (an API the official description does not cover) are
    # not looked for in it.
    added = {pointer_parts(d["pointer"])[1] for d in deviations if len(pointer_parts(d["pointer"])) == 2 and pointer_parts(d["pointer"])[0] == "paths"}
    operations = [(path, method) for path, item in contract["paths"].items() if path not in added for method in item if method != "parameters"]
    expected = subset(official, operations)
    with_deviations = copy.deepcopy(expected)
    for deviation in deviations:
        apply_deviation(with_deviations, deviation)
    if update:
        with_deviations[META] = meta
        with open(contract_path, "w") as f:
            json.dump(with_deviations, f, indent=2, sort_keys=True)
            f.write("\n")
        print(f"contract {name}: rewritten from {official_path} with {len(deviations)} deviation(s)")
        return 0
    actual = {k: v for k, v in contract.items() if k != META}
    problems = differences(with_deviations, actual)
    for deviation in deviations:
        print(f"contract {name}: deviation {deviation['pointer']} = {json.dumps(deviation['value'])} (source: {deviation['source']})")
    if problems:
        for problem in problems:
            print(f"contract {name}: DISAGREES {problem}")
        print(f"contract {name}: cross-check FAILED against {official_path}: {len(problems)} difference(s)")
        return 1
    print(f"contract {name}: cross-check passed against {official_path}: {len(operations)} operations, "
          f"{schema_count(expected)} schemas, {len(deviations)} deviation(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
