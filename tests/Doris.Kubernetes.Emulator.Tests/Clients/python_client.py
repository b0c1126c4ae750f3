"""Debian's python3-kubernetes against the emulator: dry run, a watch stream, field selectors.

Usage: python_client.py KUBECONFIG. Prints one JSON line with what it saw; exits non-zero on a failed check.
"""
import json
import sys
import time

from kubernetes import client, config, watch

config.load_kube_config(config_file=sys.argv[1])
v1 = client.CoreV1Api()
ns = "default"
result = {}

cm = client.V1ConfigMap(metadata=client.V1ObjectMeta(name="py", labels={"app": "py"}), data={"a": "1"})
v1.create_namespaced_config_map(ns, cm, dry_run="All")
try:
    v1.read_namespaced_config_map("py", ns)
    result["dry_run_created"] = True
except client.exceptions.ApiException as e:
    result["dry_run_created"] = e.status != 404

v1.create_namespaced_config_map(ns, cm)
v1.create_namespaced_config_map(ns, client.V1ConfigMap(metadata=client.V1ObjectMeta(name="other"), data={}))

# watch=True (capital T, as this client sends it) must stream events, then end at timeout_seconds.
started = time.monotonic()
events = []
for event in watch.Watch().stream(v1.list_namespaced_config_map, ns, field_selector="metadata.name=py", timeout_seconds=2):
    events.append([event["type"], event["object"].metadata.name])
result["events"] = events
result["watch_seconds"] = round(time.monotonic() - started, 1)

result["selected"] = [i.metadata.name for i in v1.list_namespaced_config_map(ns, label_selector="app=py").items]
print(json.dumps(result))
