using Dapper;
using OpenCem.Storage;

namespace OpenCem.Feedback.Invitations;

/// <summary>A survey's latest invitations by status, and the suppressed ones by kind of reason.</summary>
public sealed record InvitationCounts(long Considered, bool Capped, IReadOnlyList<(string Status, long Count)> ByStatus, IReadOnlyList<(string Reason, long Count)> Suppressed);

/// <summary>
/// Counts the newest <see cref="Latest"/> invitations of a survey (an index range on <c>ix_survey_invitations_survey</c>),
/// so the cost stays bounded however long the survey runs; totals over all time are in the survey summary.
/// </summary>
public sealed class InvitationStatistics(Database database)
{
    public const int Latest = 10_000;

    public async Task<InvitationCounts> ForSurveyAsync(long workspaceId, long surveyId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = (await connection.QueryAsync<Row>(new CommandDefinition(
            """
            SELECT status AS Status, suppressed_reason AS Reason FROM survey_invitations
            WHERE workspace_id = @workspaceId AND survey_id = @surveyId ORDER BY id DESC LIMIT @latest
            """,
            new { workspaceId, surveyId, latest = Latest }, cancellationToken: cancellationToken))).AsList();
        return Count(rows.Select(r => (r.Status, r.Reason)).ToList(), rows.Count >= Latest);
    }

    /// <summary>Pure: statuses by count, and suppression reasons grouped by <see cref="SuppressionKinds.Of"/>.</summary>
    public static InvitationCounts Count(IReadOnlyList<(string Status, string? Reason)> invitations, bool capped) => new(
        invitations.Count,
        capped,
        invitations.GroupBy(i => i.Status, StringComparer.Ordinal).Select(g => (g.Key, g.LongCount())).OrderByDescending(g => g.Item2).ThenBy(g => g.Key, StringComparer.Ordinal).ToList(),
        invitations.Where(i => i.Status == InvitationStatus.Suppressed).GroupBy(i => SuppressionKinds.Of(i.Reason), StringComparer.Ordinal)
            .Select(g => (g.Key, g.LongCount())).OrderByDescending(g => g.Item2).ThenBy(g => g.Key, StringComparer.Ordinal).ToList());

    private sealed class Row
    {
        public string Status { get; set; } = "";

        public string? Reason { get; set; }
    }
}

/// <summary>
/// The kind of a suppression reason: the reasons carry details (which case, how many invitations), the statistics
/// count kinds. Pure; keep in step with <see cref="ContactPolicy.SuppressionReason"/>.
/// </summary>
public static class SuppressionKinds
{
    public const string UnknownCustomer = "unknown customer";
    public const string Erased = "erased on request";
    public const string NoEmail = "no e-mail address";
    public const string Refused = "refused surveys";
    public const string NoConsent = "no consent on record";
    public const string OpenCase = "open case";
    public const string ContactFrequency = "contact frequency";
    public const string Other = "other";

    public static string Of(string? reason) => reason switch
    {
        null or "" => Other,
        _ when reason.StartsWith("unknown customer", StringComparison.Ordinal) => UnknownCustomer,
        _ when reason.Contains("erased", StringComparison.Ordinal) => Erased,
        _ when reason.StartsWith("no e-mail", StringComparison.Ordinal) => NoEmail,
        _ when reason.Contains("refused", StringComparison.Ordinal) => Refused,
        _ when reason.StartsWith("no consent", StringComparison.Ordinal) => NoConsent,
        _ when reason.StartsWith("case ", StringComparison.Ordinal) && reason.Contains(" is open", StringComparison.Ordinal) => OpenCase,
        _ when reason.StartsWith("contact frequency", StringComparison.Ordinal) => ContactFrequency,
        _ => Other,
    };
}
