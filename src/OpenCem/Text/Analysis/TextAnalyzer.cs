namespace OpenCem.Text.Analysis;

/// <summary>
/// The built-in analyser: language, sentiment, emotions and themes of one text. Thread-safe and allocation-light,
/// one instance per taxonomy (and trained model) shared by every caller.
/// PLACEHOLDER: the real implementation replaces this file.
/// </summary>
public sealed class TextAnalyzer(ThemeTaxonomy taxonomy, TrainedSentiment? trained = null)
{
    public ThemeTaxonomy Taxonomy { get; } = taxonomy;

    public TrainedSentiment? Trained { get; } = trained;

    /// <summary>Identifies the lexicon, rules, taxonomy and model that produced a result, so stale results can be found.</summary>
    public string Version => "placeholder";

    /// <param name="language">"en", "de", or null/"auto" to detect.</param>
    public TextAnalysis Analyze(string? text, string? language = null)
    {
        _ = Trained;
        var value = text ?? "";
        var truncated = value.Length > TextLimits.MaxLength;
        var themes = Taxonomy.Themes
            .Where(t => t.Keywords.Values.SelectMany(k => k).Any(k => value.Contains(k.TrimEnd('*'), StringComparison.OrdinalIgnoreCase)))
            .Select(t => new ThemeMention(t.Key, 0))
            .ToList();
        var lang = language is "en" or "de" ? language : "und";
        return new TextAnalysis(lang, new SentimentScore(0, "neutral"), [], themes, truncated);
    }
}

/// <summary>A sentiment model fitted on a company's own scored comments (PLACEHOLDER).</summary>
public sealed class TrainedSentiment
{
    public byte[] ToBytes() => [];

    public static TrainedSentiment FromBytes(byte[] bytes) => new();
}
