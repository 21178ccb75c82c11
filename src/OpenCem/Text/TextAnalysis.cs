using OpenCem.Text.Experience;

namespace OpenCem.Text;

/// <summary>What the analyser reads in one comment or signal: its language, how it feels, and what it is about.</summary>
/// <param name="Language">"en", "de", or "und" when the text gives no clue (empty, digits, garbage).</param>
/// <param name="Truncated">True when the text was longer than <see cref="TextLimits.MaxLength"/> and only its start was read.</param>
public sealed record TextAnalysis(
    string Language,
    SentimentScore Sentiment,
    IReadOnlyList<EmotionScore> Emotions,
    IReadOnlyList<ThemeMention> Themes,
    bool Truncated)
{
    /// <summary>The experiential modules (sense, feel, think, act, relate) the text speaks to, each with its evidence.</summary>
    public IReadOnlyList<ExperienceTag> Experiences { get; init; } = [];

    /// <summary>The descriptive words the text uses about the company (what brand values are measured from).</summary>
    public IReadOnlyList<DescriptorMention> Descriptors { get; init; } = [];
}

/// <summary>Sentiment from −1 (very negative) to 1 (very positive) with its label negative/neutral/positive.</summary>
public sealed record SentimentScore(double Score, string Label);

/// <summary>An emotion the text expresses (anger, frustration, disappointment, worry, joy, gratitude, ...), 0–1.</summary>
public sealed record EmotionScore(string Name, double Intensity);

/// <summary>A theme of the taxonomy the text speaks about, with the sentiment of what is said about it (−1…1).</summary>
public sealed record ThemeMention(string Key, double Sentiment);

public static class TextLimits
{
    /// <summary>Longer texts are cut here (and flagged), not refused.</summary>
    public const int MaxLength = 20_000;

    /// <summary>Texts per call of <c>POST /api/v1/text/analyze</c>.</summary>
    public const int MaxBatch = 1_000;
}
