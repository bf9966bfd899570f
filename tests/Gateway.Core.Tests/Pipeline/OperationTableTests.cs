using Gateway.Core.Pipeline;
using Gateway.S3;
using Gateway.S3.Routing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.Core.Tests.Pipeline;

public sealed class OperationTableTests
{
    private static readonly OperationTable _table = new(new GatewayOptions(), new S3ProtocolOptions(), TimeProvider.System, NullLogger.Instance);

    public static TheoryData<S3Operation> Classified() => [.. ClassifiedOperations()];

    private static IEnumerable<S3Operation> ClassifiedOperations() =>
        Enum.GetValues<S3Operation>().Where(o => o is not (S3Operation.Unknown or S3Operation.NotImplemented or S3Operation.MethodNotAllowed));

    [Theory]
    [MemberData(nameof(Classified))]
    public void Find_EveryClassifiedOperation_HasARow(S3Operation operation)
    {
        var row = _table.Find(operation);

        Assert.NotNull(row);
        Assert.Equal(operation, row.Operation);
    }

    [Fact]
    public void Rows_OnlyObjectUploadsCarryObjectBodies()
    {
        var withObjects = ClassifiedOperations().Where(o => _table.Find(o)?.Body == RequestBodyKind.Object);

        Assert.Equal([S3Operation.PutObject, S3Operation.UploadPart], withObjects);
    }

    [Fact]
    public void Rows_OnlyListBucketsNeedsNoBucket()
    {
        var serviceLevel = ClassifiedOperations().Where(o => _table.Find(o) is { NeedsBucket: false });

        Assert.Equal([S3Operation.ListBuckets], serviceLevel);
    }

    [Theory]
    [InlineData(S3Operation.GetObject, false)]
    [InlineData(S3Operation.ListObjectsV2, false)]
    [InlineData(S3Operation.PutObject, true)]
    [InlineData(S3Operation.DeleteObjects, true)]
    [InlineData(S3Operation.CompleteMultipartUpload, true)]
    public void Rows_Access(S3Operation operation, bool writes) =>
        Assert.Equal(writes ? OperationAccess.Write : OperationAccess.Read, _table.Find(operation)!.Access);
}
