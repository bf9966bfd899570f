namespace Gateway.S3.Tags;

/// <summary>One object tag: a key and its value (possibly empty).</summary>
/// <param name="Key">Tag key, 1–128 UTF-16 code units.</param>
/// <param name="Value">Tag value, 0–256 UTF-16 code units.</param>
public sealed record S3Tag(string Key, string Value);
