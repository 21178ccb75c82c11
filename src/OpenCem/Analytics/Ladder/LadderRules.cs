namespace OpenCem.Analytics.Ladder;

/// <summary>Satisfied: the customer's most recent CSAT (1–5) or NPS (0–10) answer within the look-back reaches its threshold.</summary>
public sealed record SatisfiedRule
{
    public int CsatAtLeast { get; init; } = 4;

    public int NpsAtLeast { get; init; } = 7;

    /// <summary>Answers older than this no longer rate the customer: they drop off the ladder (<c>unrated</c>).</summary>
    public int LookbackMonths { get; init; } = 12;
}

/// <summary>Loyal: satisfied, and a repurchase, renewal or upgrade event within the window, or the tenure (from a date trait) reached.</summary>
public sealed record LoyalRule
{
    public IReadOnlyList<string> Events { get; init; } = ["Contract Renewed", "Shop Renewal Signed", "Plan Upgraded", "Win-back Offer Accepted"];

    public int WithinMonths { get; init; } = 12;

    public string TenureTrait { get; init; } = "customerSince";

    public int TenureMonths { get; init; } = 24;
}

/// <summary>Advocate: loyal, and a referral event within the window, or the latest NPS at the threshold together with a positive public review in the window.</summary>
public sealed record AdvocateRule
{
    public IReadOnlyList<string> Events { get; init; } = ["Referral Sent"];

    public int WithinMonths { get; init; } = 12;

    public int NpsAtLeast { get; init; } = 9;

    /// <summary>Signal sources that are public reviews.</summary>
    public IReadOnlyList<string> ReviewSources { get; init; } = ["review"];

    /// <summary>A review is positive when its rating is at least this share of its scale (0.8: 4 of 5 stars).</summary>
    public double ReviewAtLeast { get; init; } = 0.8;
}

/// <summary>The behavioural loyalty ladder's rules of a workspace (stored as JSON in its settings; these are the defaults).</summary>
public sealed record LadderRules
{
    public SatisfiedRule Satisfied { get; init; } = new();

    public LoyalRule Loyal { get; init; } = new();

    public AdvocateRule Advocate { get; init; } = new();

    /// <summary>What is wrong, by JSON path; empty when the rules are usable.</summary>
    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        void Range(string path, double value, double min, double max)
        {
            if (value < min || value > max)
            {
                errors[path] = [$"Must be between {min} and {max}."];
            }
        }

        void Names(string path, IReadOnlyList<string>? names)
        {
            if (names is null || names.Any(string.IsNullOrWhiteSpace) || names.Count > 50)
            {
                errors[path] = ["Must be a list of up to 50 non-empty names."];
            }
        }

        if (Satisfied is null || Loyal is null || Advocate is null)
        {
            errors["rules"] = ["satisfied, loyal and advocate are required."];
            return errors;
        }

        Range("satisfied.csatAtLeast", Satisfied.CsatAtLeast, 1, 5);
        Range("satisfied.npsAtLeast", Satisfied.NpsAtLeast, 0, 10);
        Range("satisfied.lookbackMonths", Satisfied.LookbackMonths, 1, 120);
        Names("loyal.events", Loyal.Events);
        Range("loyal.withinMonths", Loyal.WithinMonths, 1, 120);
        Range("loyal.tenureMonths", Loyal.TenureMonths, 0, 1200);
        if (string.IsNullOrWhiteSpace(Loyal.TenureTrait))
        {
            errors["loyal.tenureTrait"] = ["Must name a date trait (e.g. customerSince)."];
        }

        Names("advocate.events", Advocate.Events);
        Range("advocate.withinMonths", Advocate.WithinMonths, 1, 120);
        Range("advocate.npsAtLeast", Advocate.NpsAtLeast, 0, 10);
        Names("advocate.reviewSources", Advocate.ReviewSources);
        Range("advocate.reviewAtLeast", Advocate.ReviewAtLeast, 0, 1);
        return errors;
    }
}
