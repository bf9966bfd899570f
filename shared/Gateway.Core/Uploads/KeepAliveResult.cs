using Gateway.S3.Xml;

namespace Gateway.Core.Uploads;

/// <summary>What a keep-alive operation answers: the document and headers to send when there is still time.</summary>
/// <param name="Document">The result document.</param>
/// <param name="Headers">Response headers (only sent when the response has not been committed early).</param>
internal sealed record KeepAliveResult(IS3XmlDocument Document, IReadOnlyDictionary<string, string>? Headers = null);
