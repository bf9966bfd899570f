namespace Gateway.S3.Tests.Fuzz;

/// <summary>Small text mutations the fuzz properties share.</summary>
internal static class FuzzText
{
    /// <summary>Replaces the character at <paramref name="at"/> (mod length) by <paramref name="c"/>, or appends when it is the same.</summary>
    public static string Replace(string s, int at, char c)
    {
        if (s.Length == 0)
        {
            return c.ToString();
        }

        var i = at % s.Length;
        if (char.IsLowSurrogate(s[i]))
        {
            i--;
        }

        var width = char.IsHighSurrogate(s[i]) ? 2 : 1;
        var replaced = s[..i] + c + s[(i + width)..];
        return replaced == s ? s + c : replaced;
    }
}
