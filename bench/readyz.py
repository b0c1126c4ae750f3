#!/usr/bin/env python3
"""Starts a command and times it to its first 200 from /readyz.

usage: bench/readyz.py PORT LOG CMD [ARG...]
Prints "<milliseconds> <pid>" and leaves the command running (the caller measures memory, then stops it). Gives up
after 60 s (stopping the command), so an operator that never gets ready fails the benchmark instead of hanging it.

One process polls every 5 ms over plain sockets. The earlier loop (curl in bash, every 5 ms) started about 200
processes a second: on a 2-core VM that took most of a core from the operator being timed and added about 400 ms
to a ReadyToRun start (bench/RESULTS.md, start-up).
"""
import http.client
import subprocess
import sys
import time

port, log, cmd = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
start = time.monotonic()
child = subprocess.Popen(cmd, stdout=open(log, "w"), stderr=subprocess.STDOUT)
while True:
    if time.monotonic() - start > 60:
        child.kill()
        sys.exit(f"{cmd[0]} not ready after 60 s; see {log}")
    if child.poll() is not None:
        sys.exit(f"{cmd[0]} exited with {child.returncode} before /readyz answered 200; see {log}")
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
        conn.request("GET", "/readyz")
        response = conn.getresponse()
        response.read()
        conn.close()
        if response.status == 200:
            break
    except (OSError, http.client.HTTPException):
        pass
    time.sleep(0.005)
print(f"{round((time.monotonic() - start) * 1000)} {child.pid}")
