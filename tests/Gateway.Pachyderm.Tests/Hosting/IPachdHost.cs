namespace Gateway.Pachyderm.Tests.Hosting;

/// <summary>A running LocalPachd, however it was started.</summary>
public interface IPachdHost : IAsyncDisposable
{
    /// <summary>Its gRPC address (h2c on loopback).</summary>
    Uri Address { get; }

    /// <summary>Where it keeps its data.</summary>
    string DataDirectory { get; }

    /// <summary>Settings of a client of this server (by default: TCP to <see cref="Address"/>).</summary>
    PachClientOptions ClientOptions() => new() { Address = Address.ToString() };
}
