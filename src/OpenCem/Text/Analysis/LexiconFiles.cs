using System.Globalization;
using System.Reflection;

namespace OpenCem.Text.Analysis;

/// <summary>Reads the word lists shipped as embedded resources from <c>Text/Lexicons/</c> (see the NOTICE there).</summary>
internal static class LexiconFiles
{
    private static readonly Assembly Assembly = typeof(LexiconFiles).Assembly;

    /// <summary>The file's lines without comments (#) and blank lines, split at tabs.</summary>
    public static IEnumerable<string[]> Rows(string fileName)
    {
        using var stream = Open(fileName);
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            yield return line.Split('\t');
        }
    }

    public static Stream Open(string fileName) =>
        Assembly.GetManifestResourceStream("OpenCem.Text.Lexicons." + fileName)
        ?? throw new InvalidOperationException($"The lexicon file {fileName} is not embedded in {Assembly.GetName().Name}.");

    public static float Number(string value) => float.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture);
}
