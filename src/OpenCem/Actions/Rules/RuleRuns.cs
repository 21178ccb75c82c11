using System.Data.Common;
using System.Globalization;
using Dapper;

namespace OpenCem.Actions.Rules;

/// <summary>One occurrence of a schedule rule: how many customers it evaluated and selected, how many it acted on, and what it left.</summary>
public sealed record RuleRun(
    DateTimeOffset OccurrenceAt, DateTimeOffset RanAt, long CustomersScanned, long Matched, long Fired, long Overflow, long Errors, string? Note);

public sealed record RuleRunList(IReadOnlyList<RuleRun> Runs);

/// <summary>The run log of schedule rules: one row per occurrence, written in the transaction that acts on it.</summary>
public static class RuleRuns
{
    public const int ListLimit = 100;

    public static Task RecordAsync(
        DbConnection connection, DbTransaction transaction, StoredRule rule, DateTimeOffset tick, CustomerSelection? selection, int fired, int bound, long now)
    {
        string? note = null;
        if (selection is { Overflow: > 0 } over)
        {
            note = string.Create(CultureInfo.InvariantCulture,
                $"{over.Matched} customers selected, acted on the first {bound} (Rules:MaxCustomersPerOccurrence); {over.Overflow} left for a later occurrence");
        }

        if (selection?.FirstError is { } error)
        {
            note = (note is null ? "" : note + "; ") + string.Create(CultureInfo.InvariantCulture, $"{selection.Errors} customers not evaluated: {error}");
        }

        return connection.ExecuteAsync(
            """
            INSERT INTO rule_runs (workspace_id, rule_id, occurrence_at, ran_at, customers_scanned, matched, fired, overflow, errors, note)
            VALUES (@WorkspaceId, @Id, @tick, @now, @scanned, @matched, @fired, @overflow, @errors, @note)
            ON CONFLICT (rule_id, occurrence_at) DO NOTHING
            """,
            new
            {
                rule.WorkspaceId,
                rule.Id,
                tick = tick.ToUnixTimeMilliseconds(),
                now,
                scanned = selection?.Scanned ?? 0,
                matched = selection?.Matched ?? fired,
                fired,
                overflow = selection?.Overflow ?? 0,
                errors = selection?.Errors ?? 0,
                note = note is { Length: > 1000 } ? note[..1000] : note,
            },
            transaction);
    }

    /// <summary>The rule's latest runs, newest first.</summary>
    public static async Task<IReadOnlyList<RuleRun>> ListAsync(DbConnection connection, long workspaceId, long ruleId, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<RunRow>(new CommandDefinition(
            """
            SELECT occurrence_at AS OccurrenceAt, ran_at AS RanAt, customers_scanned AS CustomersScanned, matched AS Matched, fired AS Fired,
                   overflow AS Overflow, errors AS Errors, note AS Note
            FROM rule_runs WHERE workspace_id = @workspaceId AND rule_id = @ruleId ORDER BY occurrence_at DESC LIMIT @ListLimit
            """,
            new { workspaceId, ruleId, ListLimit }, cancellationToken: cancellationToken)))
        .Select(r => new RuleRun(
            DateTimeOffset.FromUnixTimeMilliseconds(r.OccurrenceAt), DateTimeOffset.FromUnixTimeMilliseconds(r.RanAt), r.CustomersScanned, r.Matched, r.Fired, r.Overflow, r.Errors, r.Note))
        .ToList();

    private sealed class RunRow
    {
        public long OccurrenceAt { get; set; }

        public long RanAt { get; set; }

        public long CustomersScanned { get; set; }

        public long Matched { get; set; }

        public long Fired { get; set; }

        public long Overflow { get; set; }

        public long Errors { get; set; }

        public string? Note { get; set; }
    }
}
