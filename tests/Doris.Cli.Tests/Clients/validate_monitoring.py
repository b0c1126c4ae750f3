"""Validates monitoring output with python3-jsonschema against the real tools' schemas (tests/reference-derived).

Usage: validate_monitoring.py REFERENCE_DIR FILE...
A FILE is a YAML stream of Kubernetes objects (PodMonitor and ServiceMonitor are checked against the Prometheus
Operator CRD's openAPIV3Schema, as kube-apiserver with strict field validation would; a ConfigMap labelled
grafana_dashboard carries dashboards) or a dashboard JSON file (checked against Grafana's dashboard model, each
panel's options against its panel plugin's schema and each query against the Prometheus data source's).
Prints one JSON object: {"checked": [...], "errors": [...]}.
"""
import json
import sys
from pathlib import Path

import jsonschema
import yaml

ref = Path(sys.argv[1])
checked, errors = [], []


def structural_to_jsonschema(s):
    """openAPIV3Schema as kube-apiserver applies it: int-or-string, nullable, unknown fields refused (strict)."""
    if not isinstance(s, dict):
        return s
    out = {}
    for key, value in s.items():
        if key == "properties":
            out[key] = {name: structural_to_jsonschema(sub) for name, sub in value.items()}
        elif key in ("items", "additionalProperties", "not") and isinstance(value, dict):
            out[key] = structural_to_jsonschema(value)
        elif key in ("allOf", "anyOf", "oneOf"):
            out[key] = [structural_to_jsonschema(v) for v in value]
        elif key.startswith("x-kubernetes-") or key == "nullable":
            continue
        else:
            out[key] = value
    if s.get("x-kubernetes-int-or-string"):
        out.pop("type", None)
        out.setdefault("anyOf", [{"type": "integer"}, {"type": "string"}])
    if s.get("nullable") and "type" in out:
        out["type"] = [out["type"], "null"]
    if s.get("type") == "object" and "properties" in s and "additionalProperties" not in s and not s.get("x-kubernetes-preserve-unknown-fields"):
        out["additionalProperties"] = False
    return out


crds = {}
for kind in ("podmonitors", "servicemonitors"):
    derived = json.loads((ref / f"monitoring.coreos.com_{kind}.v1.schema.json").read_text())
    schema = structural_to_jsonschema(derived["openAPIV3Schema"])
    # metadata is the API server's own (ObjectMeta); the CRD leaves it open
    crds[(f"{derived['group']}/{derived['version']}", derived["kind"])] = jsonschema.Draft7Validator(schema)

dashboard_schema = json.loads((ref / "grafana.dashboard.schema.json").read_text())
dashboard_validator = jsonschema.Draft7Validator(dashboard_schema)


def plugin_validator(file, definition):
    doc = json.loads((ref / file).read_text())
    return jsonschema.Draft7Validator({"$ref": f"#/definitions/{definition}", "definitions": doc["definitions"]})


panel_options = {"timeseries": plugin_validator("grafana.timeseries.schema.json", "Options"), "stat": plugin_validator("grafana.stat.schema.json", "Options")}
panel_custom = {"timeseries": plugin_validator("grafana.timeseries.schema.json", "FieldConfig")}
prometheus_query = plugin_validator("grafana.prometheus.schema.json", "Dataquery")


def report(where, validator, instance):
    for e in validator.iter_errors(instance):
        errors.append(f"{where}: {'/'.join(str(p) for p in e.absolute_path) or '(root)'}: {e.message}")


def check_dashboard(where, dash):
    checked.append(where)
    report(where, dashboard_validator, dash)
    for panel in dash.get("panels", []):
        at = f"{where} panel {panel.get('id')} ({panel.get('title')})"
        kind = panel.get("type")
        if kind not in panel_options:
            errors.append(f"{at}: panel type {kind!r} has no schema here; use timeseries or stat")
            continue
        report(at + " options", panel_options[kind], panel.get("options", {}))
        custom = panel.get("fieldConfig", {}).get("defaults", {}).get("custom")
        if custom is not None and kind in panel_custom:
            report(at + " fieldConfig.defaults.custom", panel_custom[kind], custom)
        for target in panel.get("targets", []):
            report(f"{at} target {target.get('refId')}", prometheus_query, target)


for name in sys.argv[2:]:
    text = Path(name).read_text()
    if name.endswith(".json"):
        check_dashboard(name, json.loads(text))
        continue
    for obj in yaml.safe_load_all(text):
        if not obj:
            continue
        key = (obj.get("apiVersion"), obj.get("kind"))
        where = f"{obj.get('kind')} {obj.get('metadata', {}).get('name')}"
        if key in crds:
            checked.append(where)
            report(where, crds[key], obj)
        elif obj.get("kind") == "ConfigMap" and "grafana_dashboard" in (obj.get("metadata", {}).get("labels") or {}):
            for file, content in (obj.get("data") or {}).items():
                check_dashboard(f"{where} {file}", json.loads(content))
print(json.dumps({"checked": checked, "errors": errors}))
