using Gateway.Core.Objects;

namespace Gateway.Core.Copy;

/// <summary>The version of an object a copy reads.</summary>
/// <param name="Address">The source as <c>x-amz-copy-source</c> named it.</param>
/// <param name="Object">The version found (its file pinned to the commit that was inspected).</param>
internal sealed record ResolvedCopySource(ObjectAddress Address, StoredObject Object)
{
    /// <summary>Whether the client asked for a specific version.</summary>
    public bool Versioned => Address.VersionId is not null;
}
