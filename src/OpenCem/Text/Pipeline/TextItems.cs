namespace OpenCem.Text.Pipeline;

/// <summary>What is analysed: survey responses (their comment) and signals (title and text).</summary>
public static class TextItemKind
{
    public const string Response = "response";
    public const string Signal = "signal";

    public static readonly IReadOnlyList<string> All = [Response, Signal];
}

/// <summary>
/// A comment or signal as the worker reads it: its text (null when there is nothing to analyse), whether it is final
/// (a response still being filled in on the respondent page is not), the rollup dimensions it is counted under, its
/// scores, and the version of its stored analysis, if any.
/// </summary>
public sealed class TextItem
{
    public long Id { get; set; }

    public string? Text { get; set; }

    public string? Title { get; set; }

    public string? Language { get; set; }

    public string? Status { get; set; }

    public long At { get; set; }

    public long Survey_Id { get; set; }

    public long? Touchpoint_Id { get; set; }

    public int? Nps { get; set; }

    public int? Csat { get; set; }

    public string? Version { get; set; }

    public bool Final => Status is null or "completed";

    /// <summary>The text the analyser reads: a signal's title and text as one, a response's comment; null when blank.</summary>
    public string? Analysable => (Title, Text) switch
    {
        ({ Length: > 0 } title, { } text) when !string.IsNullOrWhiteSpace(title) => title.TrimEnd() + ". " + text,
        (_, { } text) when !string.IsNullOrWhiteSpace(text) => text,
        _ => null,
    };

    /// <summary>A language hint for the analyser: "en" or "de" when the item names one of them, else detection.</summary>
    public string? LanguageHint => Language is { Length: >= 2 } l && (l.StartsWith("en", StringComparison.OrdinalIgnoreCase) || l.StartsWith("de", StringComparison.OrdinalIgnoreCase))
        ? l[..2].ToLowerInvariant()
        : null;
}
