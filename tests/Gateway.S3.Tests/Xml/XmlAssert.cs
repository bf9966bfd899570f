using System.Text;
using System.Xml.Linq;
using Gateway.S3.Xml;

namespace Gateway.S3.Tests.Xml;

/// <summary>Compares documents as parsed XML: names, namespaces, attributes, element order and text.</summary>
internal static class XmlAssert
{
    public static async Task<XDocument> RenderAsync(IS3XmlDocument document)
    {
        using var ms = new MemoryStream();
        await S3XmlResponse.WriteAsync(ms, document, CancellationToken.None);
        return XDocument.Parse(Encoding.UTF8.GetString(ms.ToArray()));
    }

    public static async Task EqualAsync(string expected, IS3XmlDocument document)
    {
        var actual = Normalize(await RenderAsync(document));
        var wanted = Normalize(XDocument.Parse(expected));

        Assert.True(XNode.DeepEquals(wanted, actual), $"Expected:\n{wanted}\nActual:\n{actual}");
    }

    /// <summary>Makes <c>&lt;a/&gt;</c> and <c>&lt;a&gt;&lt;/a&gt;</c> the same, and drops the declaration.</summary>
    private static XDocument Normalize(XDocument document)
    {
        var copy = new XDocument(document.Root);
        foreach (var e in copy.Descendants().Where(e => !e.Nodes().Any() || (e.Nodes().Count() == 1 && e.FirstNode is XText { Value.Length: 0 })))
        {
            e.RemoveNodes();
        }

        return copy;
    }
}
