namespace Gateway.S3.Json;

/// <summary>Wire form of <see cref="Checksums.S3StoredChecksum"/>: <c>{"algorithm":"CRC32","value":"…","type":"FULL_OBJECT"}</c>.</summary>
internal sealed record StoredChecksumJson(string? Algorithm, string? Value, string? Type);
