using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dapper;

namespace OpenCem.Actions.Rules;

/// <summary>
/// One time a rule acted: what triggered it (the event's type, or interaction.recorded, or the schedule), on which
/// customer, the actions' result lines as <see cref="RuleActions"/> wrote them, and the case an openCase action names.
/// </summary>
public sealed record RuleFiring(
    long Id, DateTimeOffset FiredAt, string Trigger, string SourceKind, long SourceId, long? CustomerId, IReadOnlyList<string> Actions, long? CaseId);

/// <summary>A page of firings, newest first; <paramref name="NextCursor"/> reads the older ones, null on the last page.</summary>
public sealed record RuleFiringPage(IReadOnlyList<RuleFiring> Firings, string? NextCursor, long FiredLast24Hours, long FiredLast7Days);

/// <summary>How often a rule fired in the last day and week.</summary>
public sealed record RuleFiringCounts(long Last24Hours, long Last7Days);

/// <summary>Reads the <c>rule_firings</c> a rule left: keyset pages on id (index (rule_id, id)) and counts by time (index (rule_id, fired_at)).</summary>
public static partial class RuleFirings
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    /// <summary>
    /// Up to <paramref name="limit"/> firings of the rule, newest first: those older than <paramref name="olderThan"/>,
    /// or, with <paramref name="newerThan"/>, the oldest ones newer than it (a page back towards the newest).
    /// </summary>
    public static async Task<IReadOnlyList<RuleFiring>> ListAsync(
        DbConnection connection, long workspaceId, long ruleId, long? olderThan, long? newerThan, int limit, CancellationToken cancellationToken)
    {
        var forward = newerThan is null;
        var rows = await connection.QueryAsync<FiringRow>(new CommandDefinition(
            $"""
            SELECT f.id AS Id, f.fired_at AS FiredAt, f.source_kind AS SourceKind, f.source_id AS SourceId, f.customer_id AS CustomerId,
                   f.actions AS Actions, COALESCE(e.type, r.trigger_type) AS EventType
            FROM rule_firings f
            JOIN rules r ON r.id = f.rule_id
            LEFT JOIN events e ON f.source_kind = '{RuleSources.Event}' AND e.id = f.source_id
            WHERE f.rule_id = @ruleId AND f.workspace_id = @workspaceId AND {(forward ? "f.id < @position" : "f.id > @position")}
            ORDER BY f.id {(forward ? "DESC" : "ASC")} LIMIT @limit
            """,
            new { ruleId, workspaceId, position = forward ? olderThan ?? long.MaxValue : newerThan!.Value, limit }, cancellationToken: cancellationToken));
        var firings = rows.Select(r => r.ToFiring());
        return (forward ? firings : firings.Reverse()).ToList();
    }

    /// <summary>
    /// Firings in the last 24 hours and 7 days, in one pass over the week's entries of the (rule_id, fired_at) index.
    /// Rule ids are unique across workspaces, and the caller has checked the rule's workspace.
    /// </summary>
    public static async Task<RuleFiringCounts> CountAsync(DbConnection connection, long ruleId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var day = now.AddDays(-1).ToUnixTimeMilliseconds();
        var week = now.AddDays(-7).ToUnixTimeMilliseconds();
        var row = await connection.QuerySingleAsync<CountRow>(new CommandDefinition(
            """
            SELECT COUNT(*) AS Week, COALESCE(SUM(CASE WHEN fired_at > @day THEN 1 ELSE 0 END), 0) AS Day
            FROM rule_firings WHERE rule_id = @ruleId AND fired_at > @week
            """,
            new { ruleId, day, week }, cancellationToken: cancellationToken));
        return new RuleFiringCounts(row.Day, row.Week);
    }

    /// <summary>
    /// What triggered a firing: the event's type (the rule's trigger if the event row is gone, e.g. restored without
    /// its outbox), interaction.recorded, or the schedule.
    /// </summary>
    public static string TriggerOf(string sourceKind, string? eventType) =>
        sourceKind == RuleSources.Interaction ? Events.EventTypes.InteractionRecorded
        : sourceKind.StartsWith(RuleSources.Schedule, StringComparison.Ordinal) ? RuleTriggers.Schedule
        : eventType ?? sourceKind;

    /// <summary>The case an openCase action opened (or found open for the same source), from its result line.</summary>
    public static long? CaseOf(IEnumerable<string> actions)
    {
        foreach (var line in actions)
        {
            if (CaseLine().Match(line) is { Success: true } match)
            {
                return long.Parse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);
            }
        }

        return null;
    }

    [GeneratedRegex("^openCase: case ([0-9]{1,18}) (?:opened|existed)$", RegexOptions.CultureInvariant)]
    private static partial Regex CaseLine();

    private sealed class FiringRow
    {
        public long Id { get; set; }

        public long FiredAt { get; set; }

        public string SourceKind { get; set; } = "";

        public long SourceId { get; set; }

        public long? CustomerId { get; set; }

        public string Actions { get; set; } = "[]";

        public string? EventType { get; set; }

        public RuleFiring ToFiring()
        {
            IReadOnlyList<string> actions = JsonSerializer.Deserialize<string[]>(Actions) ?? [];
            return new RuleFiring(
                Id, DateTimeOffset.FromUnixTimeMilliseconds(FiredAt), TriggerOf(SourceKind, EventType), SourceKind, SourceId, CustomerId, actions, CaseOf(actions));
        }
    }

    private sealed class CountRow
    {
        public long Day { get; set; }

        public long Week { get; set; }
    }
}
