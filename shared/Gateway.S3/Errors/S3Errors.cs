using System.Collections.Frozen;

namespace Gateway.S3.Errors;

/// <summary>
/// The one catalogue of S3 errors this gateway can answer with. Codes, statuses and default
/// messages follow AWS's "Error responses" reference so that clients classify them as they would
/// against S3 itself.
/// </summary>
public static class S3Errors
{
    /// <summary>403: generic denial, also used for unsigned requests when auth is required and for expired presigned requests.</summary>
    public static readonly S3Error AccessDenied = new("AccessDenied", 403, "Access Denied");

    /// <summary>400: the Authorization header does not have the shape AWS4-HMAC-SHA256 requires.</summary>
    public static readonly S3Error AuthorizationHeaderMalformed = new("AuthorizationHeaderMalformed", 400, "The authorization header is malformed.");

    /// <summary>400: query-string authentication parameters are malformed.</summary>
    public static readonly S3Error AuthorizationQueryParametersError = new("AuthorizationQueryParametersError", 400, "Error parsing the X-Amz-Credential parameter.");

    /// <summary>
    /// 400: a request S3 refuses without a more specific code; for objects, more than 10 tags
    /// (message "Object tags cannot be greater than 10").
    /// </summary>
    public static readonly S3Error BadRequest = new("BadRequest", 400, "An error occurred when parsing the HTTP request.");

    /// <summary>400: Content-MD5 or an x-amz-checksum-* value does not match the body.</summary>
    public static readonly S3Error BadDigest = new("BadDigest", 400, "The Content-MD5 you specified did not match what we received.");

    /// <summary>409: bucket name is taken by someone else.</summary>
    public static readonly S3Error BucketAlreadyExists = new("BucketAlreadyExists", 409, "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.");

    /// <summary>409: the caller already owns the bucket.</summary>
    public static readonly S3Error BucketAlreadyOwnedByYou = new("BucketAlreadyOwnedByYou", 409, "Your previous request to create the named bucket succeeded and you already own it.");

    /// <summary>409: the bucket still holds objects.</summary>
    public static readonly S3Error BucketNotEmpty = new("BucketNotEmpty", 409, "The bucket you tried to delete is not empty.");

    /// <summary>400: body larger than allowed.</summary>
    public static readonly S3Error EntityTooLarge = new("EntityTooLarge", 400, "Your proposed upload exceeds the maximum allowed object size.");

    /// <summary>400: a non-final multipart part is below the minimum size.</summary>
    public static readonly S3Error EntityTooSmall = new("EntityTooSmall", 400, "Your proposed upload is smaller than the minimum allowed object size.");

    /// <summary>400: the temporary security token has expired.</summary>
    public static readonly S3Error ExpiredToken = new("ExpiredToken", 400, "The provided token has expired.");

    /// <summary>409: the request is not valid in the bucket's current state (e.g. suspending versioning where it cannot be).</summary>
    public static readonly S3Error InvalidBucketState = new("InvalidBucketState", 409, "The request is not valid with the current state of the bucket.");

    /// <summary>
    /// 400: CreateBucket names a region other than the endpoint's (message "The &lt;region&gt; location constraint is
    /// incompatible for the region specific endpoint this request was sent to.").
    /// </summary>
    public static readonly S3Error IllegalLocationConstraintException = new("IllegalLocationConstraintException", 400, "The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.");

    /// <summary>400: CreateBucket's LocationConstraint names no region.</summary>
    public static readonly S3Error InvalidLocationConstraint = new("InvalidLocationConstraint", 400, "The specified location-constraint is not valid");

    /// <summary>400: the versioning configuration body is malformed or names an unknown status.</summary>
    public static readonly S3Error IllegalVersioningConfigurationException = new("IllegalVersioningConfigurationException", 400, "The versioning configuration specified in the request is invalid.");

    /// <summary>400: fewer bytes arrived than Content-Length promised.</summary>
    public static readonly S3Error IncompleteBody = new("IncompleteBody", 400, "You did not provide the number of bytes specified by the Content-Length HTTP header.");

    /// <summary>500: anything unexpected. Never carries internal text.</summary>
    public static readonly S3Error InternalError = new("InternalError", 500, "We encountered an internal error. Please try again.");

    /// <summary>403: the access key is not known.</summary>
    public static readonly S3Error InvalidAccessKeyId = new("InvalidAccessKeyId", 403, "The AWS access key Id you provided does not exist in our records.");

    /// <summary>400: a parameter or header value is invalid.</summary>
    public static readonly S3Error InvalidArgument = new("InvalidArgument", 400, "Invalid Argument");

    /// <summary>400: the bucket name is not valid.</summary>
    public static readonly S3Error InvalidBucketName = new("InvalidBucketName", 400, "The specified bucket is not valid.");

    /// <summary>400: Content-MD5 or a checksum header is not a well-formed digest.</summary>
    public static readonly S3Error InvalidDigest = new("InvalidDigest", 400, "The Content-MD5 you specified is not valid.");

    /// <summary>400: a parameter (e.g. the part number) is outside its allowed range.</summary>
    public static readonly S3Error InvalidPart = new("InvalidPart", 400, "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.");

    /// <summary>
    /// 416: GetObject/HeadObject's partNumber is beyond the object's parts; see
    /// <see cref="S3Exception.InvalidPartNumber"/> for the detail elements.
    /// </summary>
    public static readonly S3Error InvalidPartNumber = new("InvalidPartNumber", 416, "The requested partnumber is not satisfiable");

    /// <summary>400: the parts list of a completion is not in ascending order.</summary>
    public static readonly S3Error InvalidPartOrder = new("InvalidPartOrder", 400, "The list of parts was not in ascending order. The parts list must be specified in order by part number.");

    /// <summary>416: the requested range cannot be satisfied.</summary>
    public static readonly S3Error InvalidRange = new("InvalidRange", 416, "The requested range is not satisfiable");

    /// <summary>400: the request is not valid for a reason explained in the message.</summary>
    public static readonly S3Error InvalidRequest = new("InvalidRequest", 400, "Invalid Request");

    /// <summary>
    /// 400: a tag key or value fails validation (length, characters, <c>aws:</c> prefix, duplicate key in a
    /// tagging body). The message names the fault; see <see cref="Tags.S3TagSet"/>.
    /// </summary>
    public static readonly S3Error InvalidTag = new("InvalidTag", 400, "The tag provided was not a valid tag.");

    /// <summary>400: the provided security token is malformed or invalid.</summary>
    public static readonly S3Error InvalidToken = new("InvalidToken", 400, "The provided token is malformed or otherwise invalid.");

    /// <summary>400: the request URI could not be parsed (bad percent-encoding or UTF-8).</summary>
    public static readonly S3Error InvalidUri = new("InvalidURI", 400, "Couldn't parse the specified URI.");

    /// <summary>400: the object key is not acceptable to the store.</summary>
    public static readonly S3Error InvalidObjectName = new("InvalidObjectName", 400, "The specified object name is not valid.");

    /// <summary>400: the key is longer than S3 allows (1024 bytes).</summary>
    public static readonly S3Error KeyTooLongError = new("KeyTooLongError", 400, "Your key is too long");

    /// <summary>400: an XML request body could not be parsed or validated.</summary>
    public static readonly S3Error MalformedXml = new("MalformedXML", 400, "The XML you provided was not well-formed or did not validate against our published schema.");

    /// <summary>400: a multipart or XML body exceeds its size limit.</summary>
    public static readonly S3Error MaxMessageLengthExceeded = new("MaxMessageLengthExceeded", 400, "Your request was too big.");

    /// <summary>400: user metadata headers exceed 2 KB.</summary>
    public static readonly S3Error MetadataTooLarge = new("MetadataTooLarge", 400, "Your metadata headers exceed the maximum allowed metadata size.");

    /// <summary>405: the method is not allowed for this resource.</summary>
    public static readonly S3Error MethodNotAllowed = new("MethodNotAllowed", 405, "The specified method is not allowed against this resource.");

    /// <summary>411: Content-Length is required.</summary>
    public static readonly S3Error MissingContentLength = new("MissingContentLength", 411, "You must provide the Content-Length HTTP header.");

    /// <summary>400: an operation that requires Content-MD5 (or a checksum) got none.</summary>
    public static readonly S3Error MissingContentMd5 = new("MissingContentMD5", 400, "Missing required header for this request: Content-MD5.");

    /// <summary>400: a request body was expected.</summary>
    public static readonly S3Error MissingRequestBodyError = new("MissingRequestBodyError", 400, "Request Body is empty.");

    /// <summary>400: a required security header (e.g. x-amz-content-sha256) is missing.</summary>
    public static readonly S3Error MissingSecurityHeader = new("MissingSecurityHeader", 400, "Your request is missing a required header.");

    /// <summary>404: the bucket does not exist.</summary>
    public static readonly S3Error NoSuchBucket = new("NoSuchBucket", 404, "The specified bucket does not exist");

    /// <summary>404: the key does not exist.</summary>
    public static readonly S3Error NoSuchKey = new("NoSuchKey", 404, "The specified key does not exist.");

    /// <summary>404: the multipart upload does not exist.</summary>
    public static readonly S3Error NoSuchUpload = new("NoSuchUpload", 404, "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.");

    /// <summary>404: the version id does not match an existing version.</summary>
    public static readonly S3Error NoSuchVersion = new("NoSuchVersion", 404, "The specified version does not exist.");

    /// <summary>501: a feature this gateway does not implement.</summary>
    public static readonly S3Error NotImplemented = new("NotImplemented", 501, "A header you provided implies functionality that is not implemented.");

    /// <summary>304: conditional GET/HEAD matched; sent without a body.</summary>
    public static readonly S3Error NotModified = new("NotModified", 304, "Not Modified");

    /// <summary>409: another operation on the same resource kept changing it; the client should try again.</summary>
    public static readonly S3Error OperationAborted = new("OperationAborted", 409, "A conflicting conditional operation is currently in progress against this resource. Try again.");

    /// <summary>412: a precondition header did not hold.</summary>
    public static readonly S3Error PreconditionFailed = new("PreconditionFailed", 412, "At least one of the pre-conditions you specified did not hold");

    /// <summary>400: the socket was idle too long while reading the body.</summary>
    public static readonly S3Error RequestTimeout = new("RequestTimeout", 400, "Your socket connection to the server was not read from or written to within the timeout period.");

    /// <summary>403: the request time differs from the server time by more than the allowed skew.</summary>
    public static readonly S3Error RequestTimeTooSkewed = new("RequestTimeTooSkewed", 403, "The difference between the request time and the current time is too large.");

    /// <summary>503: the service is temporarily unable to answer.</summary>
    public static readonly S3Error ServiceUnavailable = new("ServiceUnavailable", 503, "Service is unable to handle request.");

    /// <summary>403: the signature does not match the one computed with the secret key.</summary>
    public static readonly S3Error SignatureDoesNotMatch = new("SignatureDoesNotMatch", 403, "The request signature we calculated does not match the signature you provided. Check your key and signing method.");

    /// <summary>503: reduce the request rate.</summary>
    public static readonly S3Error SlowDown = new("SlowDown", 503, "Please reduce your request rate.");

    /// <summary>400: a trailing checksum or decoded-length promise was not kept.</summary>
    public static readonly S3Error XAmzContentChecksumMismatch = new("XAmzContentChecksumMismatch", 400, "The provided 'x-amz-checksum' header does not match what was computed.");

    /// <summary>400: the body's SHA-256 differs from x-amz-content-sha256.</summary>
    public static readonly S3Error XAmzContentSha256Mismatch = new("XAmzContentSHA256Mismatch", 400, "The provided 'x-amz-content-sha256' header does not match what was computed.");

    /// <summary>All catalogue entries by code (case-sensitive, as on the wire).</summary>
    public static FrozenDictionary<string, S3Error> ByCode { get; } = typeof(S3Errors)
        .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
        .Where(f => f.FieldType == typeof(S3Error))
        .Select(f => (S3Error)f.GetValue(null)!)
        .ToFrozenDictionary(e => e.Code, StringComparer.Ordinal);
}
