namespace Gateway.S3.Errors;

/// <summary>
/// One entry of the S3 error catalogue: the wire code, the HTTP status it travels with and the
/// message AWS sends when nothing more specific is known. Instances live in <see cref="S3Errors"/>.
/// </summary>
public sealed class S3Error
{
    internal S3Error(string code, int statusCode, string defaultMessage)
    {
        Code = code;
        StatusCode = statusCode;
        DefaultMessage = defaultMessage;
    }

    /// <summary>The S3 error code, e.g. <c>NoSuchKey</c>.</summary>
    public string Code { get; }

    /// <summary>The HTTP status code of the response.</summary>
    public int StatusCode { get; }

    /// <summary>The message AWS uses for this code.</summary>
    public string DefaultMessage { get; }

    /// <summary>True when the response must not carry a body (304 Not Modified).</summary>
    public bool HasNoBody => StatusCode == 304;

    /// <summary>Creates an exception for this error, optionally overriding the message.</summary>
    public S3Exception ToException(string? message = null) => new(this, message);

    /// <inheritdoc />
    public override string ToString() => $"{Code} ({StatusCode})";
}
