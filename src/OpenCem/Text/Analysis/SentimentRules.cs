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

    /// <summary>
    /// German: an event word ("Verspätung", "Streik", "gesperrt", and every word known only from the general
    /// lexicon) in a report or in an information question counts about a third: news and announcements name delays
    /// without complaining about them.
    /// </summary>
    public const float ReportedEvent = 0.35f;

    /// <summary>German: in a report (news vocabulary or a headline, no sign of the author's judgement) other words count half.</summary>
    public const float Reported = 0.5f;

    /// <summary>German: praise in an advertisement (Sparpreis, Aktion, Gewinnspiel; no first person) is the seller's, not a customer's.</summary>
    public const float Advertised = 0.3f;

    /// <summary>German: a judging word (not an event word) of at least this strength shows the author's own opinion: not a report.</summary>
    public const float OpinionValence = 1.0f;

    /// <summary>German "trotz Streik", "trotz Verspätung": the trouble was overcome; it counts a fifth.</summary>
    public const float Concession = 0.2f;

    /// <summary>German: a sentence of praise this short ("Danke, Deutsche Bahn.") is read against the next sentence for sarcasm.</summary>
    public const int ShortPraise = 5;

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
