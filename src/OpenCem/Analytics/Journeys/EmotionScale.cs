namespace OpenCem.Analytics.Journeys;

/// <summary>What customers said at one stage's touchpoints: sums of their survey scores and of the sentiment of their words.</summary>
public sealed record StageFeedback(long NpsN, double NpsSum, long CsatN, double CsatSum, long CesN, double CesSum, long SentimentN, double SentimentSum)
{
    public static readonly StageFeedback None = new(0, 0, 0, 0, 0, 0, 0, 0);

    public StageFeedback Plus(StageFeedback other) => new(
        NpsN + other.NpsN, NpsSum + other.NpsSum, CsatN + other.CsatN, CsatSum + other.CsatSum, CesN + other.CesN, CesSum + other.CesSum,
        SentimentN + other.SentimentN, SentimentSum + other.SentimentSum);
}

/// <summary>
/// One 0–100 scale for the emotion curve, pure: an NPS answer (0–10) × 10, a CSAT answer (1–5) as (v − 1) × 25, a CES
/// answer (1–7, 7 = very easy) as (v − 1) × 100 / 6, a sentiment (−1..1) as (s + 1) × 50. Each answer is one
/// observation; a stage's score is the mean of its answers, its emotion the mean of all its observations, answers and
/// sentiments together (so the side with more evidence weighs more).
/// </summary>
public static class EmotionScale
{
    public static double Nps(double answer) => answer * 10;

    public static double Csat(double answer) => (answer - 1) * 25;

    public static double Ces(double answer) => (answer - 1) * 100 / 6;

    public static double Sentiment(double sentiment) => (sentiment + 1) * 50;

    public static long ScoreN(StageFeedback f) => f.NpsN + f.CsatN + f.CesN;

    /// <summary>The sum of the stage's answers on the 0–100 scale.</summary>
    public static double ScoreSum(StageFeedback f) => (10 * f.NpsSum) + (25 * (f.CsatSum - f.CsatN)) + (100.0 / 6 * (f.CesSum - f.CesN));

    public static double? Score(StageFeedback f) => ScoreN(f) > 0 ? ScoreSum(f) / ScoreN(f) : null;

    public static double? MeanSentiment(StageFeedback f) => f.SentimentN > 0 ? f.SentimentSum / f.SentimentN : null;

    /// <summary>The combined emotion value (0–100) of the stage, or null without any observation.</summary>
    public static double? Emotion(StageFeedback f)
    {
        var n = ScoreN(f) + f.SentimentN;
        return n > 0 ? (ScoreSum(f) + (50 * (f.SentimentSum + f.SentimentN))) / n : null;
    }
}
