using System.Text;

namespace Gateway.S3.Http;

/// <summary>
/// Makes stored text fit a response header, which carries US-ASCII: S3 answers a value with non-ASCII
/// characters as "first character-encoded using UTF-8 and then encoded into US-ASCII", an RFC 2047
/// encoded word (<c>=?UTF-8?B?…?=</c>); a value with unprintable (control) characters is not sent.
/// </summary>
internal static class S3HeaderText
{
    /// <summary>The header form of <paramref name="value"/>, or null when it holds a control character.</summary>
    public static string? ToHeaderValue(string value)
    {
        var ascii = true;
        foreach (var c in value)
        {
            if ((c < 0x20 && c != '\t') || c == 0x7F)
            {
                return null;
            }

            ascii &= c < 0x80;
        }

        return ascii ? value : "=?UTF-8?B?" + Convert.ToBase64String(Encoding.UTF8.GetBytes(value)) + "?=";
    }
}
