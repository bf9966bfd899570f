using Gateway.Pachyderm.Protos.Version;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace LocalPachd.Services;

/// <summary>versionpb_v2.API: reports the pachd version LocalPachd emulates.</summary>
internal sealed class VersionService : API.APIBase
{
    public override Task<Gateway.Pachyderm.Protos.Version.Version> GetVersion(Empty request, ServerCallContext context) =>
        Task.FromResult(new Gateway.Pachyderm.Protos.Version.Version
        {
            Major = 2,
            Minor = 11,
            Micro = 6,
            Additional = "localpachd",
            Platform = System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier,
        });
}
