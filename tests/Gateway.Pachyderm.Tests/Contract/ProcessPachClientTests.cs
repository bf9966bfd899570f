using Gateway.Pachyderm.Tests.Hosting;
using Xunit;

namespace Gateway.Pachyderm.Tests.Contract;

/// <summary>The client contract against LocalPachd running as a separate process.</summary>
public sealed class ProcessPachClientTests(ProcessPachdFixture fixture)
    : PachClientContractTests(fixture), IClassFixture<ProcessPachdFixture>;
