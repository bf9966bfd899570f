using Gateway.Pachyderm.Tests.Hosting;
using Xunit;

namespace Gateway.Pachyderm.Tests.Contract;

/// <summary>The client contract against LocalPachd hosted in the test process, over its in-process endpoint (pipes).</summary>
public sealed class InProcessPipesPachClientTests(InProcessPipesPachdFixture fixture)
    : PachClientContractTests(fixture), IClassFixture<InProcessPipesPachdFixture>;
