using Gateway.Pachyderm.Tests.Hosting;
using Xunit;

namespace Gateway.Pachyderm.Tests.Contract;

/// <summary>The client contract against LocalPachd hosted in the test process.</summary>
public sealed class InProcessPachClientTests(InProcessPachdFixture fixture)
    : PachClientContractTests(fixture), IClassFixture<InProcessPachdFixture>;
