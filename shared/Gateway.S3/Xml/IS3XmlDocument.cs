using System.Xml;

namespace Gateway.S3.Xml;

/// <summary>An S3 XML response document that writes itself to an async <see cref="XmlWriter"/>.</summary>
public interface IS3XmlDocument
{
    /// <summary>Writes the root element and its content.</summary>
    Task WriteToAsync(XmlWriter writer);
}
