using System.Security.Cryptography;
using System.Text;
using Gateway.S3.Body;
using Gateway.S3.Checksums;
using Gateway.S3.Errors;
using Gateway.S3.Xml.Requests;

namespace Gateway.S3.Tests.Xml;

public sealed class S3XmlRequestReaderTests
{
    internal const int Max = 2 * 1024 * 1024;

    private static MemoryStream S(string xml) => new(Encoding.UTF8.GetBytes(xml));

    [Fact]
    public async Task ReadDeleteObjects_NamespacedWithQuiet()
    {
        var r = await S3XmlRequestReader.ReadDeleteObjectsAsync(
            S("<?xml version=\"1.0\"?><Delete xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Quiet>true</Quiet>" +
              "<Object><Key>a b/ c</Key></Object><Object><Key>  </Key><VersionId>v1</VersionId></Object></Delete>"),
            Max, CancellationToken.None);

        Assert.True(r.Quiet);
        Assert.Equal([new S3ObjectIdentifier("a b/ c", null), new S3ObjectIdentifier("  ", "v1")], r.Objects);
    }

    [Fact]
    public async Task ReadDeleteObjects_NoNamespaceNoQuiet()
    {
        var r = await S3XmlRequestReader.ReadDeleteObjectsAsync(S("<Delete><Object><Key>k&amp;</Key></Object></Delete>"), Max, CancellationToken.None);

        Assert.False(r.Quiet);
        Assert.Equal("k&", r.Objects[0].Key);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not xml")]
    [InlineData("<Delete>")]
    [InlineData("<Delete></Delete>")]
    [InlineData("<Other><Object><Key>k</Key></Object></Other>")]
    [InlineData("<Delete><Object></Object></Delete>")]
    [InlineData("<Delete><Object><Key>a</Key><Key>b</Key></Object></Delete>")]
    [InlineData("<Delete><Quiet>maybe</Quiet><Object><Key>a</Key></Object></Delete>")]
    [InlineData("<Delete><Bogus/><Object><Key>a</Key></Object></Delete>")]
    [InlineData("<!DOCTYPE d [<!ENTITY x \"y\">]><Delete><Object><Key>&x;</Key></Object></Delete>")]
    public async Task ReadDeleteObjects_Bad_MalformedXml(string xml)
    {
        var ex = await Assert.ThrowsAsync<S3Exception>(() => S3XmlRequestReader.ReadDeleteObjectsAsync(S(xml), Max, CancellationToken.None));

        Assert.Same(S3Errors.MalformedXml, ex.Error);
    }

    [Fact]
    public async Task ReadDeleteObjects_Over1000Keys_MalformedXml()
    {
        var sb = new StringBuilder("<Delete>");
        for (var i = 0; i < 1001; i++)
        {
            sb.Append("<Object><Key>k").Append(i).Append("</Key></Object>");
        }

        sb.Append("</Delete>");

        var ex = await Assert.ThrowsAsync<S3Exception>(() => S3XmlRequestReader.ReadDeleteObjectsAsync(S(sb.ToString()), Max, CancellationToken.None));

        Assert.Same(S3Errors.MalformedXml, ex.Error);
    }

    [Fact]
    public async Task ReadDeleteObjects_OverByteCap_MaxMessageLengthExceeded()
    {
        var xml = "<Delete><Object><Key>" + new string('k', 5000) + "</Key></Object></Delete>";

        var ex = await Assert.ThrowsAsync<S3Exception>(() => S3XmlRequestReader.ReadDeleteObjectsAsync(S(xml), 1024, CancellationToken.None));

        Assert.Same(S3Errors.MaxMessageLengthExceeded, ex.Error);
    }

    [Fact]
    public async Task ReadDeleteObjects_ThroughVerifyingStreamWithBadMd5_BadDigest()
    {
        var bytes = Encoding.UTF8.GetBytes("<Delete><Object><Key>k</Key></Object></Delete>  \n");
        var body = new S3VerifyingStream(new MemoryStream(bytes), new S3BodyExpectations { Md5 = MD5.HashData([1]) });

        var ex = await Assert.ThrowsAsync<S3Exception>(() => S3XmlRequestReader.ReadDeleteObjectsAsync(body, Max, CancellationToken.None));

        Assert.Same(S3Errors.BadDigest, ex.Error);
    }

    [Fact]
    public async Task ReadComplete_PartsWithChecksums()
    {
        var r = await S3XmlRequestReader.ReadCompleteMultipartUploadAsync(
            S("<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">" +
              "<Part><ETag>\"e1\"</ETag><PartNumber>1</PartNumber><ChecksumCRC32>AAAAAA==</ChecksumCRC32></Part>" +
              "<Part><PartNumber>3</PartNumber><ETag>e3</ETag></Part></CompleteMultipartUpload>"),
            Max, CancellationToken.None);

        Assert.Equal(2, r.Parts.Count);
        Assert.Equal(1, r.Parts[0].PartNumber);
        Assert.Equal("\"e1\"", r.Parts[0].ETag);
        Assert.Equal(new S3Checksum(S3ChecksumAlgorithm.Crc32, "AAAAAA=="), r.Parts[0].Checksums.Single());
        Assert.Equal(3, r.Parts[1].PartNumber);
    }

    [Theory]
    [InlineData("<CompleteMultipartUpload><Part><PartNumber>2</PartNumber><ETag>a</ETag></Part><Part><PartNumber>1</PartNumber><ETag>b</ETag></Part></CompleteMultipartUpload>", "InvalidPartOrder")]
    [InlineData("<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>a</ETag></Part><Part><PartNumber>1</PartNumber><ETag>b</ETag></Part></CompleteMultipartUpload>", "InvalidPartOrder")]
    [InlineData("<CompleteMultipartUpload></CompleteMultipartUpload>", "MalformedXML")]
    [InlineData("<CompleteMultipartUpload><Part><PartNumber>x</PartNumber><ETag>a</ETag></Part></CompleteMultipartUpload>", "MalformedXML")]
    [InlineData("<CompleteMultipartUpload><Part><PartNumber>1</PartNumber></Part></CompleteMultipartUpload>", "MalformedXML")]
    [InlineData("<CompleteMultipartUpload><Part><PartNumber>0</PartNumber><ETag>a</ETag></Part></CompleteMultipartUpload>", "InvalidArgument")]
    [InlineData("<CompleteMultipartUpload><Part><PartNumber>10001</PartNumber><ETag>a</ETag></Part></CompleteMultipartUpload>", "InvalidArgument")]
    [InlineData("<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>a</ETag><ChecksumSHA256>AAAA</ChecksumSHA256></Part></CompleteMultipartUpload>", "MalformedXML")]
    public async Task ReadComplete_Bad_Rejected(string xml, string code)
    {
        var ex = await Assert.ThrowsAsync<S3Exception>(() => S3XmlRequestReader.ReadCompleteMultipartUploadAsync(S(xml), Max, CancellationToken.None));

        Assert.Equal(code, ex.Error.Code);
    }

    [Theory]
    [InlineData("<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>", "Enabled", null)]
    [InlineData("<VersioningConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Status>Suspended</Status><MfaDelete>Disabled</MfaDelete></VersioningConfiguration>", "Suspended", "Disabled")]
    [InlineData("<VersioningConfiguration/>", null, null)]
    public async Task ReadVersioning_Valid(string xml, string? status, string? mfa)
    {
        var r = await S3XmlRequestReader.ReadVersioningConfigurationAsync(S(xml), Max, CancellationToken.None);

        Assert.Equal(status, r.Status);
        Assert.Equal(mfa, r.MfaDelete);
    }

    [Theory]
    [InlineData("<VersioningConfiguration><Status>On</Status></VersioningConfiguration>", "IllegalVersioningConfigurationException")]
    [InlineData("<Versioning><Status>Enabled</Status></Versioning>", "MalformedXML")]
    public async Task ReadVersioning_Bad_Rejected(string xml, string code)
    {
        var ex = await Assert.ThrowsAsync<S3Exception>(() => S3XmlRequestReader.ReadVersioningConfigurationAsync(S(xml), Max, CancellationToken.None));

        Assert.Equal(code, ex.Error.Code);
    }
}
