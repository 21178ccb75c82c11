using System.Security.Cryptography;
using System.Text;
using OpenCem.Text.Experience;

namespace OpenCem.Text.Analysis;

/// <summary>
/// The built-in analyser: language, sentiment, emotions and themes of one text. Thread-safe and allocation-light
/// (each thread reuses its own scratch memory), one instance per taxonomy (and trained model) shared by every caller.
/// Never throws on any input: empty, huge (truncated and flagged), HTML, binary garbage, mixed languages.
/// </summary>
public sealed class TextAnalyzer
{
    /// <summary>Changes whenever the lexicons or rules change, so stored results can be recognised as stale.</summary>
    public const string RulesVersion = "opencem-text-2";

    private static readonly IReadOnlyList<EmotionScore> NoEmotions = [];
    private static readonly IReadOnlyList<ThemeMention> NoThemes = [];
    private static readonly Func<string, bool> IsEmoticon = chunk => LanguagePack.For("en", customerService: false).Find(Folding.Fold(chunk)) is { HasValence: true };

    private readonly ThemeMatcher _english;
    private readonly ThemeMatcher _german;

    public TextAnalyzer(ThemeTaxonomy taxonomy, TrainedSentiment? trained = null)
    {
        Taxonomy = taxonomy;
        Trained = trained;
        _english = new ThemeMatcher(taxonomy, "en");
        _german = new ThemeMatcher(taxonomy, "de");
        Version = $"{RulesVersion};taxonomy={Fingerprint(TaxonomyText(taxonomy))};model={(trained is null ? "none" : trained.Fingerprint)};experience={ExperienceTagger.Version}";
    }

    public ThemeTaxonomy Taxonomy { get; }

    public TrainedSentiment? Trained { get; }

    /// <summary>Identifies the lexicon, rules, taxonomy and model that produced a result, so stale results can be found.</summary>
    public string Version { get; }

    /// <param name="language">"en", "de", or null/"auto" to detect.</param>
    public TextAnalysis Analyze(string? text, string? language = null)
    {
        var scratch = Scratch.Current;
        var (lang, truncated) = Prepare(text, language, scratch);
        if (lang == LanguageDetector.Undetermined && scratch.TokenCount == 0)
        {
            return new TextAnalysis(lang, new SentimentScore(0, "neutral"), NoEmotions, NoThemes, truncated);
        }

        var pack = LanguagePack.For(lang);
        var score = SentimentScorer.Score(scratch, pack);
        var sentiment = Trained is { } model ? model.Predict(scratch, score, lang) : new SentimentScore(Math.Round(score, 4), SentimentRules.Label(score, customerService: true, lang));
        var emotions = EmotionScorer.Score(scratch, score);
        var themes = (lang == "de" ? _german : _english).Match(scratch);
        var (experiences, descriptors) = ExperienceTagger.For(lang).Tag(scratch);
        return new TextAnalysis(lang, sentiment, emotions, themes, truncated) { Experiences = experiences, Descriptors = descriptors };
    }

    /// <summary>Language and sentiment only (lexicon and rules, and the trained model when there is one): the fast path.</summary>
    public SentimentScore AnalyzeSentiment(string? text, string? language = null)
    {
        var scratch = Scratch.Current;
        var (lang, _) = Prepare(text, language, scratch);
        var score = SentimentScorer.Score(scratch, LanguagePack.For(lang));
        return Trained is { } model ? model.Predict(scratch, score, lang) : new SentimentScore(Math.Round(score, 4), SentimentRules.Label(score, customerService: true, lang));
    }

    /// <summary>
    /// The plain VADER-style baseline the evaluation compares against: the general lexicons (VADER, AFINN) with
    /// VADER's rules and thresholds, without OpenCem's customer-service lexicon and rules.
    /// </summary>
    public static SentimentScore BaselineSentiment(string? text, string? language = null)
    {
        var scratch = Scratch.Current;
        var (lang, _) = Prepare(text, language, scratch);
        var score = SentimentScorer.Score(scratch, LanguagePack.For(lang, customerService: false));
        return new SentimentScore(Math.Round(score, 4), SentimentRules.Label(score, customerService: false));
    }

    /// <summary>The lexicon score of a text, with its scan left in the thread's scratch (training reads the features from it).</summary>
    internal static (double Score, Scratch Scratch, string Language) LexiconScore(string? text, string? language)
    {
        var scratch = Scratch.Current;
        var (lang, _) = Prepare(text, language, scratch);
        return (SentimentScorer.Score(scratch, LanguagePack.For(lang)), scratch, lang);
    }

    /// <summary>Truncates, strips markup, scans, and settles the language ("und" reads with the English pack).</summary>
    private static (string Language, bool Truncated) Prepare(string? text, string? language, Scratch scratch)
    {
        var value = text ?? "";
        var truncated = value.Length > TextLimits.MaxLength;
        if (truncated)
        {
            var cut = TextLimits.MaxLength;
            if (char.IsHighSurrogate(value[cut - 1]))
            {
                cut--;
            }

            value = value[..cut];
        }

        if (Html.MayContainMarkup(value))
        {
            value = Html.Strip(value);
        }

        TextScanner.Scan(value, scratch, IsEmoticon);
        var lang = language switch
        {
            "en" or "EN" => "en",
            "de" or "DE" => "de",
            _ => LanguageDetector.Detect(scratch),
        };
        return (lang, truncated);
    }

    private static string TaxonomyText(ThemeTaxonomy taxonomy)
    {
        var text = new StringBuilder();
        foreach (var theme in taxonomy.Themes)
        {
            text.Append(theme.Key).Append('|').Append(theme.Parent).Append('|');
            foreach (var (language, keywords) in theme.Keywords.OrderBy(k => k.Key, StringComparer.Ordinal))
            {
                text.Append(language).Append(':').AppendJoin(',', keywords).Append(';');
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    internal static string Fingerprint(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..12];
}
