using System.Text;

namespace OpenCem.Text.Analysis;

/// <summary>Reads the text out of HTML: tags become spaces (block tags end a sentence), the common entities are decoded.</summary>
internal static class Html
{
    /// <summary>Whether the text may hold markup; plain comments skip the copy.</summary>
    public static bool MayContainMarkup(string text) => text.Contains('<', StringComparison.Ordinal) || text.Contains('&', StringComparison.Ordinal);

    public static string Strip(string text)
    {
        var builder = new StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '<' && i + 1 < text.Length && (char.IsAsciiLetter(text[i + 1]) || text[i + 1] is '/' or '!'))
            {
                var end = text.IndexOf('>', i + 1);
                if (end > 0)
                {
                    var tag = text.AsSpan(i + 1, end - i - 1).TrimStart('/');
                    builder.Append(IsBlock(tag) ? " . " : " ");
                    i = end + 1;
                    continue;
                }
            }
            else if (c == '&')
            {
                var end = text.IndexOf(';', i + 1);
                if (end > 0 && end - i <= 8 && Entity(text.AsSpan(i + 1, end - i - 1)) is { } decoded)
                {
                    builder.Append(decoded);
                    i = end + 1;
                    continue;
                }
            }

            builder.Append(c);
            i++;
        }

        return builder.ToString();
    }

    private static bool IsBlock(ReadOnlySpan<char> tag) =>
        tag.StartsWith("p", StringComparison.OrdinalIgnoreCase) || tag.StartsWith("br", StringComparison.OrdinalIgnoreCase)
        || tag.StartsWith("div", StringComparison.OrdinalIgnoreCase) || tag.StartsWith("li", StringComparison.OrdinalIgnoreCase)
        || tag.StartsWith("h", StringComparison.OrdinalIgnoreCase) || tag.StartsWith("tr", StringComparison.OrdinalIgnoreCase);

    private static string? Entity(ReadOnlySpan<char> name) => name switch
    {
        "amp" => "&",
        "lt" => "<",
        "gt" => ">",
        "quot" => "\"",
        "apos" or "#39" or "rsquo" or "lsquo" => "'",
        "nbsp" or "#160" => " ",
        "auml" => "ä",
        "ouml" => "ö",
        "uuml" => "ü",
        "Auml" => "Ä",
        "Ouml" => "Ö",
        "Uuml" => "Ü",
        "szlig" => "ß",
        _ => null,
    };
}
