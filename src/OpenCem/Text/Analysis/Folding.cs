namespace OpenCem.Text.Analysis;

/// <summary>
/// The one spelling every word is compared in: lower case, umlauts and ß written out (ä→ae, ß→ss), curly
/// apostrophes straight. "Verspätung", "VERSPÄTUNG" and "Verspaetung" all become "verspaetung".
/// </summary>
internal static class Folding
{
    /// <summary>Writes the folded form of <paramref name="c"/> at <paramref name="position"/>; returns how many chars were written (1 or 2).</summary>
    public static int Write(char c, Span<char> buffer, int position)
    {
        switch (c)
        {
            case 'ä' or 'Ä':
                buffer[position] = 'a';
                buffer[position + 1] = 'e';
                return 2;
            case 'ö' or 'Ö':
                buffer[position] = 'o';
                buffer[position + 1] = 'e';
                return 2;
            case 'ü' or 'Ü':
                buffer[position] = 'u';
                buffer[position + 1] = 'e';
                return 2;
            case 'ß' or 'ẞ':
                buffer[position] = 's';
                buffer[position + 1] = 's';
                return 2;
            case '’' or '‘' or '`' or '´':
                buffer[position] = '\'';
                return 1;
            default:
                buffer[position] = c < 128 ? (c is >= 'A' and <= 'Z' ? (char)(c + 32) : c) : char.ToLowerInvariant(c);
                return 1;
        }
    }

    /// <summary>The folded form of a lexicon word (load time only).</summary>
    public static string Fold(string word)
    {
        Span<char> buffer = word.Length <= 256 ? stackalloc char[word.Length * 2] : new char[word.Length * 2];
        var length = 0;
        foreach (var c in word.Trim())
        {
            length += Write(c, buffer, length);
        }

        return new string(buffer[..length]);
    }
}
