using System.Globalization;
using Gateway.S3.Errors;

namespace Gateway.S3.Tags;

/// <summary>
/// S3's rules for an object's tag set: at most 10 tags, unique keys, keys of 1–128 and values of 0–256
/// UTF-16 code units ("Amazon S3 object tags are internally represented in UTF-16"), made of Unicode
/// letters, numbers and separators and <c>_ . : / = + - @</c>, no key starting with <c>aws:</c>.
/// </summary>
internal static class S3TagRules
{
    /// <summary>Checks the whole set, in S3's order: the count first, then each tag in turn.</summary>
    public static void Validate(IReadOnlyList<S3Tag> tags)
    {
        if (tags.Count > S3TagSet.MaxTags)
        {
            throw new S3Exception(S3Errors.BadRequest, "Object tags cannot be greater than 10");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            if (!seen.Add(tag.Key))
            {
                throw InvalidTag("Cannot provide multiple Tags with the same key", tag.Key);
            }

            if (tag.Key.StartsWith("aws:", StringComparison.Ordinal))
            {
                throw InvalidTag("Your TagKey cannot be prefixed with aws:", tag.Key);
            }

            if (tag.Key.Length is 0 or > S3TagSet.MaxKeyLength || !IsAllowed(tag.Key))
            {
                throw InvalidTag("The TagKey you have provided is invalid", tag.Key);
            }

            if (tag.Value.Length > S3TagSet.MaxValueLength || !IsAllowed(tag.Value))
            {
                throw InvalidTag("The TagValue you have provided is invalid", tag.Key).WithDetail("TagValue", tag.Value);
            }
        }
    }

    /// <summary>True when every character is a letter, number or separator (<c>\p{L}\p{N}\p{Z}</c>) or one of <c>_ . : / = + - @</c>.</summary>
    public static bool IsAllowed(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '_' or '.' or ':' or '/' or '=' or '+' or '-' or '@')
            {
                continue;
            }

            // Supplementary characters (a surrogate pair) are classified as one code point.
            var category = char.IsSurrogatePair(text, i)
                ? CharUnicodeInfo.GetUnicodeCategory(char.ConvertToUtf32(text, i++))
                : CharUnicodeInfo.GetUnicodeCategory(c);
            if (!IsLetterNumberOrSeparator(category))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsLetterNumberOrSeparator(UnicodeCategory category) => category switch
    {
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter => true,
        UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => true,
        UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => true,
        _ => false,
    };

    private static S3Exception InvalidTag(string message, string key) =>
        new S3Exception(S3Errors.InvalidTag, message).WithDetail("TagKey", key);
}
