namespace Gateway.S3.Json;

/// <summary>Wire form of one <see cref="Tags.S3Tag"/>: <c>{"key":"k","value":"v"}</c>.</summary>
internal sealed record TagJson(string? Key, string? Value);
