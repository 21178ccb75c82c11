namespace OpenCem.Feedback.Advocates;

/// <summary>What a customer did that recommends the company: referrals sent, positive public reviews, promoter answers.</summary>
public sealed record AdvocacyFacts(
    long CustomerId, int Referrals, DateTimeOffset? LastReferral, int PositiveReviews, int PromoterAnswers, int? LatestNps, DateTimeOffset? LatestNpsAt);

public sealed record Advocate(
    long CustomerId, double Score, int Referrals, int PositiveReviews, int PromoterAnswers, int? LatestNps, IReadOnlyList<string> Reasons);

/// <summary>
/// Advocates, pure. Score = 3 × referrals + 2 × positive public reviews (rated 4 or 5 of 5) + 1 × promoter answers
/// (NPS 9–10): a referral brings a customer, a public review reaches many, a promoter answer is a recommendation only
/// said to us. A customer whose latest NPS answer is a detractor's (0–6) is not an advocate now, whatever they did
/// before; customers below <see cref="MinimumScore"/> are not listed.
/// </summary>
public static class AdvocateScore
{
    public const double MinimumScore = 3;

    public static Advocate? Of(AdvocacyFacts facts, double minimumScore = MinimumScore)
    {
        if (facts.LatestNps is <= 6)
        {
            return null;
        }

        var score = (3.0 * facts.Referrals) + (2.0 * facts.PositiveReviews) + facts.PromoterAnswers;
        if (score < minimumScore)
        {
            return null;
        }

        var reasons = new List<string>();
        if (facts.Referrals > 0)
        {
            reasons.Add($"{facts.Referrals} referral(s) sent" + (facts.LastReferral is { } last ? $", the last on {last:yyyy-MM-dd}" : ""));
        }

        if (facts.PositiveReviews > 0)
        {
            reasons.Add($"{facts.PositiveReviews} positive public review(s) (4–5 of 5)");
        }

        if (facts.PromoterAnswers > 0)
        {
            reasons.Add($"{facts.PromoterAnswers} promoter answer(s) (NPS 9–10)" + (facts.LatestNps is { } nps ? $", latest NPS {nps}" : ""));
        }

        return new Advocate(facts.CustomerId, score, facts.Referrals, facts.PositiveReviews, facts.PromoterAnswers, facts.LatestNps, reasons);
    }

    public static IReadOnlyList<Advocate> Rank(IEnumerable<AdvocacyFacts> facts, double minimumScore = MinimumScore, int limit = 100) =>
        [.. facts.Select(f => Of(f, minimumScore)).OfType<Advocate>().OrderByDescending(a => a.Score).ThenBy(a => a.CustomerId).Take(limit)];
}
