"""Debian's python3-kubernetes port-forwarding through the emulator (kubelet's v4.channel.k8s.io WebSocket protocol).

Usage: python_portforward.py KUBECONFIG PORT CLOSED_PORT. Creates a Running pod, sends a line through the forwarded
PORT and reads the answer; then asks for CLOSED_PORT, where nothing listens, and reads the error channel.
Prints one JSON line with what it saw.
"""
import json
import sys

from kubernetes import client, config
from kubernetes.stream import portforward

config.load_kube_config(config_file=sys.argv[1])
port, closed = int(sys.argv[2]), int(sys.argv[3])
v1 = client.CoreV1Api()
ns = "default"
result = {}

pod = client.V1Pod(metadata=client.V1ObjectMeta(name="pf"), spec=client.V1PodSpec(containers=[client.V1Container(name="c", image="busybox")]))
v1.create_namespaced_pod(ns, pod)
try:
    portforward(v1.connect_get_namespaced_pod_portforward, "pf", ns, ports=str(port))
    result["pending_refused"] = False
except Exception as e:  # the upgrade is refused with 400 while the pod is not running
    result["pending_refused"] = True
v1.patch_namespaced_pod_status("pf", ns, {"status": {"phase": "Running"}})

forward = portforward(v1.connect_get_namespaced_pod_portforward, "pf", ns, ports=str(port))
sock = forward.socket(port)
sock.settimeout(10)
sock.sendall(b"hello through the tunnel\n")
answer = b""
while not answer.endswith(b"\n"):
    chunk = sock.recv(1024)
    if not chunk:
        break
    answer += chunk
result["answer"] = answer.decode()
big = bytes(range(256)) * 1024  # 256 KiB: several WebSocket messages each way
sock.sendall(big)
echoed = b""
while len(echoed) < len(big):
    chunk = sock.recv(65536)
    if not chunk:
        break
    echoed += chunk
result["big_intact"] = echoed == big
sock.close()
forward.close()

refused = portforward(v1.connect_get_namespaced_pod_portforward, "pf", ns, ports=str(closed))
s2 = refused.socket(closed)
s2.settimeout(10)
try:
    s2.recv(1)
except Exception:
    pass
result["closed_error"] = refused.error(closed)
print(json.dumps(result))
