using System.Globalization;
using Gateway.S3.Errors;

namespace Gateway.Core.Errors;

/// <summary>
/// The gateway's 503 answers, each with a <c>Retry-After</c> header (seconds): <c>SlowDown</c>, S3's code for "too
/// many requests at once", when the gateway's own bounds are full; <c>ServiceUnavailable</c> when pachd does not
/// answer in time or cannot be reached. SDKs retry both with backoff; the header tells other clients when.
/// </summary>
internal static class RetryLater
{
    /// <summary>The response header.</summary>
    public const string HeaderName = "Retry-After";

    /// <summary>SlowDown (503): the gateway is at its concurrency bound.</summary>
    public static S3Exception SlowDown(int retryAfterSeconds) =>
        new(S3Errors.SlowDown) { Headers = Header(retryAfterSeconds) };

    /// <summary>ServiceUnavailable (503) with <paramref name="message"/> (ours: never pachd's text).</summary>
    public static S3Exception ServiceUnavailable(string message, int retryAfterSeconds) =>
        new(S3Errors.ServiceUnavailable, message) { Headers = Header(retryAfterSeconds) };

    private static Dictionary<string, string> Header(int seconds) =>
        new(StringComparer.OrdinalIgnoreCase) { [HeaderName] = Math.Max(0, seconds).ToString(CultureInfo.InvariantCulture) };
}
