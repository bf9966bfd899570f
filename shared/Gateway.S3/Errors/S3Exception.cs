namespace Gateway.S3.Errors;

/// <summary>
/// An S3 error raised anywhere below the host; mapped to S3 error XML in one place
/// (<see cref="S3ErrorResponder"/>). Carries the catalogue entry, an optional message override and
/// extra elements that AWS adds to some errors (BucketName, Key, UploadId, ...). Never put secrets,
/// string-to-sign or canonical requests in <see cref="Details"/>.
/// </summary>
public sealed class S3Exception : Exception
{
    private List<KeyValuePair<string, string>>? _details;

    /// <summary>Creates an exception for a catalogue entry.</summary>
    public S3Exception(S3Error error, string? message = null, Exception? innerException = null)
        : base(message ?? error.DefaultMessage, innerException)
    {
        ArgumentNullException.ThrowIfNull(error);
        Error = error;
    }

    /// <summary>The catalogue entry.</summary>
    public S3Error Error { get; }

    /// <summary>Bucket named in the error document (<c>&lt;BucketName&gt;</c>).</summary>
    public string? BucketName { get; init; }

    /// <summary>Key named in the error document (<c>&lt;Key&gt;</c>).</summary>
    public string? Key { get; init; }

    /// <summary>Further elements written after Message, in insertion order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Details => (IReadOnlyList<KeyValuePair<string, string>>?)_details ?? [];

    /// <summary>Response headers to add with the error (e.g. <c>Allow</c> on 405).</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    /// <summary>Adds an element such as <c>UploadId</c> or <c>ArgumentName</c>; returns this for chaining.</summary>
    public S3Exception WithDetail(string elementName, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(elementName);
        ArgumentNullException.ThrowIfNull(value);
        (_details ??= []).Add(new(elementName, value));
        return this;
    }

    /// <summary>InvalidArgument naming the offending argument, as AWS does.</summary>
    public static S3Exception InvalidArgument(string message, string argumentName, string? argumentValue) =>
        new S3Exception(S3Errors.InvalidArgument, message)
            .WithDetail("ArgumentName", argumentName)
            .WithDetail("ArgumentValue", argumentValue ?? string.Empty);

    /// <summary>
    /// InvalidPartNumber (416) for a partNumber beyond the object's parts, with the
    /// <c>PartNumberRequested</c> and <c>ActualPartCount</c> elements S3 adds.
    /// </summary>
    public static S3Exception InvalidPartNumber(int partNumberRequested, int actualPartCount) =>
        new S3Exception(S3Errors.InvalidPartNumber)
            .WithDetail("PartNumberRequested", partNumberRequested.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithDetail("ActualPartCount", actualPartCount.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>NotImplemented with a message naming the feature.</summary>
    public static S3Exception NotImplemented(string feature) =>
        new(S3Errors.NotImplemented, $"{feature} is not implemented by this gateway.");
}
