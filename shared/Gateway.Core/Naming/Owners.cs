using Gateway.S3.Xml.Documents;

namespace Gateway.Core.Naming;

/// <summary>Owners reported in listings and uploads.</summary>
internal static class Owners
{
    /// <summary>
    /// The owner every bucket, object and upload reports: Pachyderm has no S3 account model, so one constant owner.
    /// </summary>
    public static readonly S3Owner Pachyderm = new("0000000000000000000000000000000000000000000000000000000000000000", "pachyderm");
}
