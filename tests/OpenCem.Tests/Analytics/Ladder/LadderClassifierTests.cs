using OpenCem.Analytics.Ladder;

namespace OpenCem.Tests.Analytics.Ladder;

public sealed class LadderClassifierTests
{
    private static readonly LadderRules Rules = new();

    private static long At(int year, int month, int day = 15) => new DateTimeOffset(year, month, day, 12, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    private static LadderFacts Facts(Action<LadderFacts> fill)
    {
        var facts = new LadderFacts { Since = At(2024, 1) };
        fill(facts);
        facts.Sort();
        return facts;
    }

    [Fact]
    public void Rung_WithoutAnswersInTheLookback_IsUnrated()
    {
        var facts = Facts(f => f.Nps.Add((At(2023, 1), 10)));
        Assert.Equal(Rungs.Unrated, LadderClassifier.Rung(facts, Rules, At(2024, 6)));
        Assert.Equal(Rungs.Unrated, LadderClassifier.Rung(facts, Rules, At(2022, 6)));
    }

    [Fact]
    public void Rung_FollowsTheLatestAnswerAndTheRules()
    {
        Assert.Equal(Rungs.Unsatisfied, LadderClassifier.Rung(Facts(f => f.Csat.Add((At(2024, 3), 3))), Rules, At(2024, 6)));
        Assert.Equal(Rungs.Satisfied, LadderClassifier.Rung(Facts(f => f.Csat.Add((At(2024, 3), 4))), Rules, At(2024, 6)));
        Assert.Equal(Rungs.Satisfied, LadderClassifier.Rung(Facts(f => f.Nps.Add((At(2024, 3), 7))), Rules, At(2024, 6)));
        // The latest NPS answer counts, not the best.
        Assert.Equal(Rungs.Unsatisfied, LadderClassifier.Rung(Facts(f => { f.Nps.Add((At(2024, 2), 9)); f.Nps.Add((At(2024, 4), 3)); }), Rules, At(2024, 6)));
    }

    [Fact]
    public void Rung_LoyalByRenewalWithinTheWindowOrByTenure()
    {
        var renewed = Facts(f => { f.Nps.Add((At(2024, 1, 20), 8)); f.Events.Add((At(2024, 2), "Contract Renewed")); });
        Assert.Equal(Rungs.Loyal, LadderClassifier.Rung(renewed, Rules, At(2024, 6)));
        Assert.Equal(Rungs.Satisfied, LadderClassifier.Rung(renewed, Rules, At(2024, 2, 1)));

        var veteran = Facts(f => { f.Nps.Add((At(2025, 11), 8)); f.Since = At(2024, 1); });
        Assert.Equal(Rungs.Loyal, LadderClassifier.Rung(veteran, Rules, At(2026, 4)));
        Assert.Equal(Rungs.Satisfied, LadderClassifier.Rung(veteran, Rules, At(2025, 12)));
    }

    [Fact]
    public void Rung_AdvocateByReferralOrByPromoterWithAPositiveReview()
    {
        var referred = Facts(f => { f.Nps.Add((At(2024, 3), 7)); f.Events.Add((At(2024, 2), "Contract Renewed")); f.Events.Add((At(2024, 4), "Referral Sent")); });
        Assert.Equal(Rungs.Advocate, LadderClassifier.Rung(referred, Rules, At(2024, 6)));

        var reviewer = Facts(f => { f.Nps.Add((At(2024, 3), 9)); f.Events.Add((At(2024, 2), "Contract Renewed")); f.Reviews.Add((At(2024, 4), 0.8)); });
        Assert.Equal(Rungs.Advocate, LadderClassifier.Rung(reviewer, Rules, At(2024, 6)));
        var lukewarm = Facts(f => { f.Nps.Add((At(2024, 3), 8)); f.Events.Add((At(2024, 2), "Contract Renewed")); f.Reviews.Add((At(2024, 4), 1.0)); });
        Assert.Equal(Rungs.Loyal, LadderClassifier.Rung(lukewarm, Rules, At(2024, 6)));

        // A referral without loyalty is not advocacy.
        var unloyal = Facts(f => { f.Nps.Add((At(2024, 3), 10)); f.Since = At(2024, 1); f.Events.Add((At(2024, 4), "Referral Sent")); });
        Assert.Equal(Rungs.Satisfied, LadderClassifier.Rung(unloyal, Rules, At(2024, 6)));
    }

    [Fact]
    public void Rung_UsesConfiguredNamesAndThresholds()
    {
        var rules = new LadderRules
        {
            Satisfied = new SatisfiedRule { CsatAtLeast = 5, NpsAtLeast = 9 },
            Loyal = new LoyalRule { Events = ["Plan Upgraded"], TenureMonths = 1200 },
        };
        var facts = Facts(f => { f.Csat.Add((At(2024, 3), 5)); f.Events.Add((At(2024, 2), "Contract Renewed")); });
        Assert.Equal(Rungs.Satisfied, LadderClassifier.Rung(facts, rules, At(2024, 6)));
        facts.Events.Add((At(2024, 4), "Plan Upgraded"));
        Assert.Equal(Rungs.Loyal, LadderClassifier.Rung(facts, rules, At(2024, 6)));
        Assert.Equal(Rungs.Unsatisfied, LadderClassifier.Rung(Facts(f => f.Csat.Add((At(2024, 3), 4))), rules, At(2024, 6)));
    }

    [Fact]
    public void Validate_NamesEachBadField()
    {
        var rules = new LadderRules
        {
            Satisfied = new SatisfiedRule { CsatAtLeast = 6 },
            Advocate = new AdvocateRule { ReviewAtLeast = 2, Events = [""] },
        };
        var errors = rules.Validate();
        Assert.Equal(["advocate.events", "advocate.reviewAtLeast", "satisfied.csatAtLeast"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.Empty(new LadderRules().Validate());
    }
}
