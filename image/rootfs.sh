#!/usr/bin/env bash
# Assembles the operator image's root file system in ROOTFS: the native (AOT) builds of dorisctl and dorisctl-operator under /app, and from the build machine only the shared libraries it loads (found with ldd), the CA bundle, and
# a passwd/group naming the non-root user 65532. No shell, no package manager. Used by image/build.sh (OCI
# archive with umoci and skopeo, no registry, no Docker) and by the Dockerfile, so both images hold the same files.
# usage: image/rootfs.sh ROOTFS
set -euo pipefail
ROOTFS=$1
cd "$(dirname "$0")/.."
rm -rf "$ROOTFS"
# /proc, /sys and /dev are mount points the container runtime fills (the runtime reads /proc for memory and CPU limits).
mkdir -p "$ROOTFS/app" "$ROOTFS/etc/ssl/certs" "$ROOTFS/tmp" "$ROOTFS/proc" "$ROOTFS/sys" "$ROOTFS/dev"
chmod 1777 "$ROOTFS/tmp"

# Native AOT: executables with no JIT and no .NET install. Trim and AOT warnings fail the build.
# dorisctl is the whole CLI; dorisctl-operator is its operator command alone, what the install Deployment runs
# (bench/RESULTS.md: idle about 25 MiB and start to /readyz in about 35 ms, against 39 MiB for the whole CLI's
# native build and 75 MiB and 180 ms for ReadyToRun).
for project in src/Doris.Cli src/Doris.Cli.Operator; do
  dotnet publish "$project" -c Release -r linux-x64 -p:PublishAot=true -p:PublishReadyToRun=false \
    -p:DebugType=none -p:StripSymbols=true -o "$ROOTFS/app" -v q -nologo >/dev/null
done
rm -f "$ROOTFS/app/"*.pdb "$ROOTFS/app/"*.dbg

# Every shared library the runtime and its native parts link to, with the loader, at the paths ldd reports.
libs=$( (ldd "$ROOTFS/app/dorisctl"; ldd "$ROOTFS/app/dorisctl-operator"; find "$ROOTFS/app" -name '*.so' -exec ldd {} \;) 2>/dev/null | awk '/=> \//{print $3} /^\s*\/lib/{print $1}' | sort -u)
# OpenSSL is opened at run time (dlopen, not linked), for TLS to the API server and the FE.
for name in libssl.so.3 libcrypto.so.3; do
  libs="$libs $(ldconfig -p | awk -v n="$name" '$1==n && /x86-64/{print $NF; exit}')"
done
for lib in $libs /lib64/ld-linux-x86-64.so.2; do
  real=$(readlink -f "$lib")
  mkdir -p "$ROOTFS$(dirname "$lib")"
  cp "$real" "$ROOTFS$lib"
done

cp /etc/ssl/certs/ca-certificates.crt "$ROOTFS/etc/ssl/certs/ca-certificates.crt"
printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' > "$ROOTFS/etc/passwd"
printf 'root:x:0:\nnonroot:x:65532:\n' > "$ROOTFS/etc/group"
