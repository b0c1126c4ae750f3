#!/usr/bin/env bash
# Builds the operator's container image on this machine, with no registry and no Docker: the root file system
# from image/rootfs.sh, written as an OCI image layout with umoci and saved as an OCI archive with skopeo.
#   image/build.sh OUT_DIR [TAG]   ->  OUT_DIR/dorisctl-TAG.oci.tar (load with: podman load -i ..., or
#   skopeo copy oci-archive:OUT_DIR/dorisctl-TAG.oci.tar docker://<registry>/dorisctl:TAG)
# The image runs as user 65532 and writes nothing to its root file system (readOnlyRootFilesystem works).
set -euo pipefail
OUT=$(realpath -m "$1"); TAG=${2:-0.1.0}
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$OUT"

image/rootfs.sh "$work/rootfs"

umoci init --layout "$work/oci"
umoci new --image "$work/oci:$TAG"
umoci unpack --image "$work/oci:$TAG" "$work/bundle" >/dev/null
cp -a "$work/rootfs/." "$work/bundle/rootfs/"
umoci repack --image "$work/oci:$TAG" "$work/bundle"
# Keep in step with the Dockerfile (a test compares them): entrypoint, user, environment, working directory.
# DOTNET_GCgen0size (hex, 4 MiB; the native runtime reads no 0x prefix): the GC's young-generation budget otherwise
# follows the CPU's cache size, so garbage (watch events the operator filters out) piles up to hundreds of MiB before
# the first collection; bench/RESULTS.md measures both.
umoci config --image "$work/oci:$TAG" \
  --config.entrypoint /app/dorisctl --config.cmd operator \
  --config.user 65532:65532 --config.workingdir /app \
  --config.env DOTNET_EnableDiagnostics=0 \
  --config.env DOTNET_GCgen0size=400000 \
  --config.env SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt \
  --config.label org.opencontainers.image.title=dorisctl \
  --config.label org.opencontainers.image.version="$TAG" \
  --architecture amd64 --os linux
umoci gc --layout "$work/oci"

rm -f "$OUT/dorisctl-$TAG.oci.tar"
skopeo copy --quiet "oci:$work/oci:$TAG" "oci-archive:$OUT/dorisctl-$TAG.oci.tar:dorisctl:$TAG"
echo "$OUT/dorisctl-$TAG.oci.tar"
