# syntax=docker/dockerfile:1
# The standalone S3 gateway: Kestrel on 30600, as a sidecar beside pachd or on its own. From the repository root:
#   docker build -f infra/docker/gateway.Dockerfile -t pachyderm-s3-gateway .
# Every setting is an environment variable (README "Configuration", docs/KUBERNETES.md); docs/CONTAINER.md explains
# the choices below. infra/docker/check-publish.sh checks, without Docker, that the publish step gives what the final
# stage copies and starts.

ARG DOTNET_VERSION=10.0

# ---- build: the SDK publishes framework-dependent, ReadyToRun, for the target architecture --------------------------
FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION}-noble AS build
ARG TARGETARCH
WORKDIR /src
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
COPY global.json Directory.Build.props Directory.Packages.props host.json .editorconfig ./
COPY shared/ shared/
COPY infra/LocalPachd/ infra/LocalPachd/
COPY functions/ functions/
# -a takes Docker's architecture names (amd64, arm64); the NuGet cache survives between builds. ReadyToRun: see
# docs/CONTAINER.md.
RUN --mount=type=cache,id=nuget,target=/root/.nuget/packages \
    dotnet publish functions/Gateway.Functions/Gateway.Functions.csproj -c Release --self-contained false \
      -p:PublishReadyToRun=true -a "$TARGETARCH" -o /out
# Where the embedded LocalPachd keeps its data when no PACHD_ADDRESS is given (docker run without pachd).
RUN mkdir -p /volume/data

# ---- runtime: Ubuntu chiseled ASP.NET Core (no shell, no package manager), non-root ---------------------------------
FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION}-noble-chiseled
WORKDIR /app
COPY --from=build /out/ ./
COPY --from=build --chown=1654:1654 /volume/data /data
ENV GATEWAY_MODE=standalone \
    GATEWAY_PORT=30600 \
    GATEWAY_DATA_DIR=/data \
    GATEWAY_SHUTDOWN_SECONDS=25 \
    ASPNETCORE_HTTP_PORTS=
# The image's non-root user (app, uid 1654); numeric, so Kubernetes can check runAsNonRoot.
USER 1654
EXPOSE 30600
# The embedded LocalPachd's store; unused when PACHD_ADDRESS points at a pachd.
VOLUME /data
# No HEALTHCHECK: the chiseled image has no shell, curl or wget to run one. Kubernetes probes /~/live and /~/ready
# over HTTP itself (infra/kubernetes); with plain Docker, probe from outside (docs/CONTAINER.md).
ENTRYPOINT ["dotnet", "Gateway.Functions.dll"]
