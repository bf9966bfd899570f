namespace Gateway.S3.Xml.Requests;

/// <summary>One object named in a DeleteObjects body.</summary>
/// <param name="Key">Key (exact, not trimmed).</param>
/// <param name="VersionId">Version, if given.</param>
public sealed record S3ObjectIdentifier(string Key, string? VersionId);

/// <summary>Parsed <c>&lt;Delete&gt;&lt;Quiet/&gt;&lt;Object&gt;&lt;Key/&gt;&lt;VersionId/&gt;&lt;/Object&gt;*&lt;/Delete&gt;</c>.</summary>
/// <param name="Quiet">Quiet mode.</param>
/// <param name="Objects">The objects, in request order (1–1000).</param>
public sealed record DeleteObjectsRequest(bool Quiet, IReadOnlyList<S3ObjectIdentifier> Objects);
