namespace OpenCem.Operations.Retention;

/// <summary>
/// How long a workspace keeps each kind of data, in days (null: for ever). Raw interactions are deleted after
/// <see cref="InteractionsDays"/>; the text people wrote (survey comments and text answers, signal texts) is emptied after
/// <see cref="CommentsDays"/>; customers with no interaction and no response for <see cref="PersonalDataDays"/> are
/// erased as under GDPR. What was counted from the data (rollups, scores, sentiment and themes) stays: the aggregates
/// are anonymous.
/// </summary>
public sealed record RetentionPolicy(int? InteractionsDays, int? CommentsDays, int? PersonalDataDays)
{
    public const int MinDays = 1;
    public const int MaxDays = 36_500;

    public static readonly RetentionPolicy KeepEverything = new(null, null, null);

    public bool KeepsEverything => InteractionsDays is null && CommentsDays is null && PersonalDataDays is null;

    /// <summary>The fields out of range, each with its message (empty: valid).</summary>
    public Dictionary<string, string[]> Problems()
    {
        var problems = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var (field, days) in new[] { ("interactionsDays", InteractionsDays), ("commentsDays", CommentsDays), ("personalDataDays", PersonalDataDays) })
        {
            if (days is < MinDays or > MaxDays)
            {
                problems[field] = [$"{field} must be a whole number of days from {MinDays} to {MaxDays}, or null to keep that data for ever."];
            }
        }

        return problems;
    }

    /// <summary>The moment before which data of a kind kept <paramref name="days"/> is due, or null when it is kept for ever.</summary>
    public static long? Cutoff(int? days, DateTimeOffset now) => days is { } d ? now.AddDays(-d).ToUnixTimeMilliseconds() : null;
}

/// <summary>What one retention pass removed in a workspace.</summary>
public sealed record RetentionRun(long RanAt, long InteractionsDeleted, long CommentsEmptied, long SignalsEmptied, long CustomersErased, bool Complete);
