# syntax=docker/dockerfile:1
# LocalPachd alone: a pachd-compatible gRPC server on 30650 for demos and tests, with its data in /data. Not a
# Pachyderm cluster (infra/LocalPachd/README.md). From the repository root:
#   docker build -f infra/docker/localpachd.Dockerfile -t localpachd .
# With the gateway image (docs/CONTAINER.md):
#   docker network create s3demo
#   docker run -d --network s3demo --name pachd -v pachd-data:/data localpachd
#   docker run -d --network s3demo -p 30600:30600 -e PACHD_ADDRESS=grpc://pachd:30650 pachyderm-s3-gateway

ARG DOTNET_VERSION=10.0

FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION}-noble AS build
ARG TARGETARCH
WORKDIR /src
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY shared/Gateway.Pachyderm/ shared/Gateway.Pachyderm/
COPY infra/LocalPachd/ infra/LocalPachd/
RUN --mount=type=cache,id=nuget,target=/root/.nuget/packages \
    dotnet publish infra/LocalPachd/LocalPachd.csproj -c Release --self-contained false -a "$TARGETARCH" -o /out
RUN mkdir -p /volume/data

FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION}-noble-chiseled
WORKDIR /app
COPY --from=build /out/ ./
COPY --from=build --chown=1654:1654 /volume/data /data
ENV LOCALPACHD_DATA=/data \
    LOCALPACHD_PORT=30650 \
    ASPNETCORE_HTTP_PORTS=
USER 1654
EXPOSE 30650
VOLUME /data
# LocalPachd binds loopback unless told otherwise; in a container it must listen on every interface.
ENTRYPOINT ["dotnet", "LocalPachd.dll", "--bind", "0.0.0.0"]
