namespace OpenCem.Feedback.Ideas;

/// <summary>
/// The life of an idea: under review → planned → done, or declined on the way. A declined idea may be reviewed again;
/// a done idea has shipped and stays done (voters were told).
/// </summary>
public static class IdeaStatus
{
    public const string UnderReview = "under_review";
    public const string Planned = "planned";
    public const string Done = "done";
    public const string Declined = "declined";

    public static readonly IReadOnlyList<string> All = [UnderReview, Planned, Done, Declined];

    public static bool IsKnown(string? status) => status is not null && All.Contains(status);

    /// <summary>The statuses an idea in <paramref name="from"/> may move to.</summary>
    public static IReadOnlyList<string> Next(string from) => from switch
    {
        UnderReview => [Planned, Declined],
        Planned => [Done, Declined, UnderReview],
        Declined => [UnderReview],
        _ => [],
    };

    public static bool CanMove(string from, string to) => Next(from).Contains(to);
}

/// <summary>Whether an idea or comment is shown on the public board.</summary>
public static class Moderation
{
    public const string Published = "published";

    /// <summary>Held by the spam checks until a staff member approves or rejects it.</summary>
    public const string Held = "held";

    public const string Rejected = "rejected";

    public static readonly IReadOnlyList<string> All = [Published, Held, Rejected];
}
