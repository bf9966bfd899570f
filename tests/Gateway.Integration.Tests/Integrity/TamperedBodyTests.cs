using System.Net;
using System.Security.Cryptography;
using System.Xml.Linq;
using Amazon.S3.Model;
using Gateway.Pachyderm;
using static Gateway.Integration.Tests.Integrity.RawS3Request;

namespace Gateway.Integration.Tests.Integrity;

/// <summary>
/// Hand-framed uploads, intact and with one thing broken, over http and https: intact ones are stored
/// byte-identical; broken ones get AWS's error code and leave the branch head where it was.
/// </summary>
[Collection(TlsCollection.Name)]
public sealed class TamperedBodyTests(TlsGatewayFixture fx)
{
    private static readonly byte[] _data = MakeData(200_003);

    private static byte[] MakeData(int size)
    {
        var data = new byte[size];
        new Random(42).NextBytes(data);
        return data;
    }

    private static string Md5(byte[] data) => Convert.ToBase64String(MD5.HashData(data));

    private static string Crc32(byte[] data) => Gateway.S3.Checksums.S3ChecksumHasher.Compute(Gateway.S3.Checksums.S3ChecksumAlgorithm.Crc32, data).Base64;

    /// <summary>Case name → request for the given key path.</summary>
    private static HttpRequestMessage Build(string name, RawS3Request raw, string path) => name switch
    {
        "signed-chunks" => raw.SignedChunkedPut(path, _data, 65536, trailer: false),
        "signed-chunks: corrupted chunk data" => raw.SignedChunkedPut(path, _data, 65536, trailer: false, Tamper.CorruptChunkData),
        "signed-chunks: bad chunk signature" => raw.SignedChunkedPut(path, _data, 65536, trailer: false, Tamper.BadChunkSignature),
        "signed-chunks: bad final chunk signature" => raw.SignedChunkedPut(path, _data, 65536, trailer: false, Tamper.BadFinalChunkSignature),
        "signed-trailer" => raw.SignedChunkedPut(path, _data, 65536, trailer: true),
        "signed-trailer: corrupted chunk data" => raw.SignedChunkedPut(path, _data, 65536, trailer: true, Tamper.CorruptChunkData),
        "signed-trailer: bad chunk signature" => raw.SignedChunkedPut(path, _data, 65536, trailer: true, Tamper.BadChunkSignature),
        "signed-trailer: bad trailer signature" => raw.SignedChunkedPut(path, _data, 65536, trailer: true, Tamper.BadTrailerSignature),
        "signed-trailer: wrong trailer checksum" => raw.SignedChunkedPut(path, _data, 65536, trailer: true, Tamper.WrongTrailerChecksum),
        "unsigned-trailer" => raw.UnsignedTrailerPut(path, _data, 1 << 16),
        "unsigned-trailer: corrupted chunk data" => raw.UnsignedTrailerPut(path, _data, 1 << 16, corruptData: true),
        "unsigned-trailer: wrong trailer checksum" => raw.UnsignedTrailerPut(path, _data, 1 << 16, wrongChecksum: true),
        "crc32 header" => raw.PlainPut(path, _data, "UNSIGNED-PAYLOAD", ("x-amz-checksum-crc32", Crc32(_data))),
        "crc32 header: wrong" => raw.PlainPut(path, _data, "UNSIGNED-PAYLOAD", ("x-amz-checksum-crc32", Crc32([1, 2, 3]))),
        "content-md5" => raw.PlainPut(path, _data, null, ("content-md5", Md5(_data))),
        "content-md5: wrong" => raw.PlainPut(path, _data, null, ("content-md5", Md5([1, 2, 3]))),
        "content-md5: malformed" => raw.PlainPut(path, _data, null, ("content-md5", "not-base64!")),
        "hex sha256" => raw.PlainPut(path, _data),
        "hex sha256: wrong" => raw.PlainPut(path, _data, Convert.ToHexStringLower(SHA256.HashData(_data.AsSpan(1)))),
        "sigv2" => raw.SigV2Put(path, _data),
        "sigv2 + content-md5" => raw.SigV2Put(path, _data, Md5(_data)),
        "sigv2: bad signature" => raw.SigV2Put(path, _data, breakSignature: true),
        "sigv2: wrong content-md5" => raw.SigV2Put(path, _data, Md5([9])),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    public static TheoryData<bool, string, string?> Cases()
    {
        var table = new (string Name, string? Code)[]
        {
            ("signed-chunks", null),
            ("signed-chunks: corrupted chunk data", "SignatureDoesNotMatch"),
            ("signed-chunks: bad chunk signature", "SignatureDoesNotMatch"),
            ("signed-chunks: bad final chunk signature", "SignatureDoesNotMatch"),
            ("signed-trailer", null),
            ("signed-trailer: corrupted chunk data", "SignatureDoesNotMatch"),
            ("signed-trailer: bad chunk signature", "SignatureDoesNotMatch"),
            ("signed-trailer: bad trailer signature", "SignatureDoesNotMatch"),
            ("signed-trailer: wrong trailer checksum", "BadDigest"),
            ("unsigned-trailer", null),
            ("unsigned-trailer: corrupted chunk data", "BadDigest"),
            ("unsigned-trailer: wrong trailer checksum", "BadDigest"),
            ("crc32 header", null),
            ("crc32 header: wrong", "BadDigest"),
            ("content-md5", null),
            ("content-md5: wrong", "BadDigest"),
            ("content-md5: malformed", "InvalidDigest"),
            ("hex sha256", null),
            ("hex sha256: wrong", "XAmzContentSHA256Mismatch"),
            ("sigv2", null),
            ("sigv2 + content-md5", null),
            ("sigv2: bad signature", "SignatureDoesNotMatch"),
            ("sigv2: wrong content-md5", "BadDigest"),
        };
        var data = new TheoryData<bool, string, string?>();
        foreach (var tls in new[] { false, true })
        {
            foreach (var (name, code) in table)
            {
                data.Add(tls, name, code);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Put_FramingAndDigests_StoredOrRefusedWithoutCommit(bool tls, string @case, string? expectedCode)
    {
        using var s3 = fx.Aws(tls);
        var repo = "tamper-" + Guid.NewGuid().ToString("N")[..10];
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = repo });
        var bucket = "master." + repo;
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "existing", ContentBody = "x" });
        var branch = new BranchRef(RepoRef.InDefault(repo), "master");
        var before = (await fx.Pach.InspectBranchAsync(branch)).Head.Id;

        using var http = fx.Http(tls);
        var raw = new RawS3Request(fx.Endpoint(tls), "raw-key", "raw-key");
        using var request = Build(@case, raw, $"/{bucket}/obj.bin");
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        var head = (await fx.Pach.InspectBranchAsync(branch)).Head.Id;
        if (expectedCode is null)
        {
            Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
            Assert.NotEqual(before, head);
            using var get = await s3.GetObjectAsync(bucket, "obj.bin");
            using var copy = new MemoryStream();
            await get.ResponseStream.CopyToAsync(copy);
            Assert.Equal(_data, copy.ToArray());
            return;
        }

        Assert.False(response.IsSuccessStatusCode, $"{@case} was accepted");
        Assert.Equal(expectedCode == "SignatureDoesNotMatch" ? HttpStatusCode.Forbidden : HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(expectedCode, XDocument.Parse(body).Root?.Element("Code")?.Value);
        Assert.Equal(before, head);
        var missing = await Assert.ThrowsAsync<Amazon.S3.AmazonS3Exception>(() => s3.GetObjectMetadataAsync(bucket, "obj.bin"));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}
