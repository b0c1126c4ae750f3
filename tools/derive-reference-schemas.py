#!/usr/bin/env python3
"""Writes tests/reference-derived/: the structure of third-party schemas our monitoring output is checked against.

Only structure is kept (types, properties, required, enums, patterns, formats, refs, x-kubernetes-* markers): every
description string is dropped, so no upstream prose is carried. Inputs are the repository snapshots the search tool's
`fetch` brings (prometheus-operator/prometheus-operator, grafana/grafana-foundation-sdk):

  python3 tools/derive-reference-schemas.py /work/.mirror
"""
import json
import subprocess
import sys
from pathlib import Path

import yaml

MIRROR = Path(sys.argv[1] if len(sys.argv) > 1 else "/work/.mirror")
OUT = Path(__file__).resolve().parent.parent / "tests" / "reference-derived"


def show(repo, path):
    git = MIRROR / repo / "repo"
    commit = subprocess.check_output(["git", "-C", str(git), "rev-parse", "HEAD"], text=True).strip()
    text = subprocess.check_output(["git", "-C", str(git), "show", f"HEAD:{path}"], text=True)
    return commit, text


def strip(node):
    if isinstance(node, dict):
        return {k: strip(v) for k, v in node.items() if not (k == "description" and isinstance(v, str))}
    if isinstance(node, list):
        return [strip(v) for v in node]
    return node


provenance = {}
for kind in ("podmonitors", "servicemonitors"):
    path = f"example/prometheus-operator-crd/monitoring.coreos.com_{kind}.yaml"
    commit, text = show("prometheus-operator+prometheus-operator", path)
    crd = next(d for d in yaml.safe_load_all(text) if d)
    version = next(v for v in crd["spec"]["versions"] if v["name"] == "v1")
    derived = {
        "group": crd["spec"]["group"],
        "kind": crd["spec"]["names"]["kind"],
        "version": "v1",
        "operatorVersion": crd["metadata"]["annotations"].get("operator.prometheus.io/version"),
        "openAPIV3Schema": strip(version["schema"]["openAPIV3Schema"]),
    }
    (OUT / f"monitoring.coreos.com_{kind}.v1.schema.json").write_text(json.dumps(derived, indent=1, sort_keys=True) + "\n")
    provenance[f"monitoring.coreos.com_{kind}.v1.schema.json"] = f"prometheus-operator/prometheus-operator@{commit}:{path}"

for name in ("dashboard", "timeseries", "stat", "prometheus"):
    path = f"jsonschema/{name}.jsonschema.json"
    commit, text = show("grafana+grafana-foundation-sdk", path)
    (OUT / f"grafana.{name}.schema.json").write_text(json.dumps(strip(json.loads(text)), indent=1, sort_keys=True) + "\n")
    provenance[f"grafana.{name}.schema.json"] = f"grafana/grafana-foundation-sdk@{commit}:{path}"

(OUT / "provenance.json").write_text(json.dumps(provenance, indent=1, sort_keys=True) + "\n")
