# The operator image for those who build with Docker. It holds the same files as image/build.sh makes without
# Docker (both run image/rootfs.sh), and the same entrypoint, user and environment (a test compares them).
#   docker build -t <registry>/dorisctl:0.1.0 .
FROM mcr.microsoft.com/dotnet/sdk:10.0-bookworm-slim AS build
WORKDIR /src
COPY . .
RUN bash image/rootfs.sh /rootfs

FROM scratch
COPY --from=build /rootfs/ /
USER 65532:65532
WORKDIR /app
ENV DOTNET_EnableDiagnostics=0
# The GC's young-generation budget, 4 MiB in hex (see image/build.sh).
ENV DOTNET_GCgen0size=400000
ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt
ENTRYPOINT ["/app/dorisctl"]
CMD ["operator"]
