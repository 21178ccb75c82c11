using OpenCem.Analytics.Statistics;

namespace OpenCem.Analytics.Disconfirmation;

/// <summary>An attribute measured twice in a survey: what respondents expected and what they experienced, on the same scale.</summary>
public sealed record AttributePair(string Attribute, string Title, string ExpectationQuestion, string ExperienceQuestion);

/// <summary>
/// One attribute's disconfirmation: gap = experience − expectation (PRODUCT.md; above 0 the expectation was exceeded),
/// over the respondents who answered both, with its 95 % paired-t interval. <c>Significant</c> needs the interval to
/// exclude 0 and n to reach the minimum; <c>Missed</c> is a significant negative gap. Below the minimum n the
/// attribute is flagged (<c>LowN</c>) and never significant; the interval is still given whenever n ≥ 2.
/// </summary>
public sealed record AttributeGap(
    string Attribute, string Title, string ExpectationQuestion, string ExperienceQuestion, long N, double? Expectation, double? Experience,
    double? Gap, double? CiLow, double? CiHigh, bool Significant, bool Missed, bool LowN);

/// <summary>Expectation versus experience per attribute, pure: paired differences and their t interval.</summary>
public static class DisconfirmationAnalysis
{
    public const int DefaultMinimumN = 30;

    /// <summary>The gap of one attribute from its paired answers (NaN where a respondent skipped one of the two).</summary>
    public static AttributeGap Analyse(AttributePair pair, ReadOnlySpan<double> expectations, ReadOnlySpan<double> experiences, int minimumN)
    {
        long n = 0;
        double sumExpectation = 0, sumExperience = 0, mean = 0, squares = 0;
        for (var i = 0; i < expectations.Length; i++)
        {
            var (e, x) = (expectations[i], experiences[i]);
            if (double.IsNaN(e) || double.IsNaN(x))
            {
                continue;
            }

            n++;
            sumExpectation += e;
            sumExperience += x;
            // Welford: the variance of the differences without cancellation.
            var d = x - e;
            var delta = d - mean;
            mean += delta / n;
            squares += delta * (d - mean);
        }

        var lowN = n < minimumN;
        if (n == 0)
        {
            return new AttributeGap(pair.Attribute, pair.Title, pair.ExpectationQuestion, pair.ExperienceQuestion, 0, null, null, null, null, null, false, false, true);
        }

        double? low = null, high = null;
        if (n >= 2)
        {
            var half = StudentT.Critical(0.95, n - 1) * Math.Sqrt(squares / (n - 1) / n);
            (low, high) = (mean - half, mean + half);
        }

        var significant = !lowN && low is { } lo && high is { } hi && (lo > 0 || hi < 0);
        return new AttributeGap(
            pair.Attribute, pair.Title, pair.ExpectationQuestion, pair.ExperienceQuestion, n, Round(sumExpectation / n), Round(sumExperience / n), Round(mean),
            Round(low), Round(high), significant, significant && mean < 0, lowN);
    }

    /// <summary>Attributes from the most negative gap to the most positive; those without answers last.</summary>
    public static IReadOnlyList<AttributeGap> Sort(IEnumerable<AttributeGap> gaps) =>
        gaps.OrderBy(g => g.Gap ?? double.MaxValue).ThenBy(g => g.Attribute, StringComparer.Ordinal).ToList();

    private static double? Round(double? value) => value is { } v ? Math.Round(v, 4) : null;
}
