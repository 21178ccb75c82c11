namespace OpenCem.Text.Analysis;

/// <summary>
/// The constants of the sentiment rules. VADER's (Hutto and Gilbert, 2014) where the rule is VADER's; the
/// customer-service thresholds were set on OpenCem's own CX examples (Text/Evaluation/cx-dev.tsv) and the
/// permissively licensed UCI review sentences, never on the measuring-only sets.
/// </summary>
internal static class SentimentRules
{
    /// <summary>VADER's normalisation: score = sum / sqrt(sum² + alpha).</summary>
    public const double Alpha = 15;

    /// <summary>Added to a sentiment word's strength when it is in capitals and the rest of the text is not.</summary>
    public const float CapsBoost = 0.733f;

    /// <summary>A negated word's valence is multiplied by this.</summary>
    public const float NegationFactor = -0.74f;

    /// <summary>Before and after "but"/"aber": the clause after the contrast carries the point.</summary>
    public const float BeforeContrast = 0.5f;

    public const float AfterContrast = 1.5f;

    /// <summary>Per exclamation mark (up to four), added in the direction of the sentiment.</summary>
    public const double ExclamationBoost = 0.292;

    /// <summary>Positive words in a question ("can you help me?") are mostly politeness, not praise.</summary>
    public const float QuestionPositive = 0.5f;

    /// <summary>A question that begins with "why"/"warum" is, in service conversations, a complaint.</summary>
    public const float WhyQuestion = -1.0f;

    /// <summary>The plain VADER-style baseline labels at ±0.05 as VADER recommends.</summary>
    public const double PlainThreshold = 0.05;

    /// <summary>The customer-service thresholds: a wide neutral band for questions, requests and information.</summary>
    public const double PositiveThreshold = 0.35;

    public const double NegativeThreshold = -0.1;

    /// <summary>
    /// German reads with a machine-translated general lexicon (noisier) and German service feedback is more often
    /// plain information (news, announcements): a wider neutral band.
    /// </summary>
    public const double GermanPositiveThreshold = 0.5;

    public const double GermanNegativeThreshold = -0.3;

    public static string Label(double score, bool customerService, string language = "en")
    {
        if (!customerService)
        {
            return score >= PlainThreshold ? "positive" : score <= -PlainThreshold ? "negative" : "neutral";
        }

        var (positive, negative) = language == "de" ? (GermanPositiveThreshold, GermanNegativeThreshold) : (PositiveThreshold, NegativeThreshold);
        return score >= positive ? "positive" : score <= negative ? "negative" : "neutral";
    }

    public static double Normalise(double sum) => sum == 0 ? 0 : Math.Clamp(sum / Math.Sqrt(sum * sum + Alpha), -1, 1);
}
