using System.Data.Common;
using System.Globalization;
using Dapper;

namespace OpenCem.Actions.Cases;

/// <summary>
/// Counts closed, measured and recovered cases per team, reason, touchpoint and SLA result (met or missed), with
/// histograms of the time to first response and to resolution, as cases close and as their recovery is measured. The
/// recovery report reads these few rows instead of every case.
/// </summary>
public static class CaseRecoveryRollup
{
    public static readonly IReadOnlyList<string> Dimensions = ["team", "reason", "touchpoint", "sla"];

    public const string None = "(none)";

    public static IEnumerable<(string Dimension, string Group)> GroupsOf(CaseRow row) =>
    [
        ("team", row.Team ?? None),
        ("reason", row.Reason ?? None),
        ("touchpoint", row.TouchpointId?.ToString(CultureInfo.InvariantCulture) ?? None),
        ("sla", row.BreachedAt is null ? "met" : "missed"),
    ];

    public static async Task CountClosedAsync(DbConnection connection, DbTransaction? transaction, CaseRow row)
    {
        await AddAsync(connection, transaction, row, closed: 1, measured: 0, recovered: 0);
        var durations = new List<(string Measure, long? End)> { ("first_response", row.FirstResponseAt), ("resolution", row.ResolvedAt ?? row.ClosedAt) };
        var rows = GroupsOf(row)
            .SelectMany(g => durations.Where(d => d.End is not null).Select(d => new
            {
                row.WorkspaceId,
                dimension = g.Dimension,
                grp = g.Group,
                measure = d.Measure,
                bucket = DurationHistogram.Bucket((d.End!.Value - row.CreatedAt) / 60_000.0),
            }))
            .ToList();
        await connection.ExecuteAsync(
            """
            INSERT INTO case_duration_histogram (workspace_id, dimension, grp, measure, bucket, n) VALUES (@WorkspaceId, @dimension, @grp, @measure, @bucket, 1)
            ON CONFLICT (workspace_id, dimension, grp, measure, bucket) DO UPDATE SET n = case_duration_histogram.n + 1
            """,
            rows, transaction);
    }

    /// <summary>Counts a measured verdict (unmeasured cases count as closed only).</summary>
    public static Task CountMeasuredAsync(DbConnection connection, DbTransaction? transaction, CaseRow row, string verdict) =>
        verdict == CaseOutcomes.Unmeasured
            ? Task.CompletedTask
            : AddAsync(connection, transaction, row, closed: 0, measured: 1, recovered: verdict == CaseOutcomes.Recovered ? 1 : 0);

    private static Task AddAsync(DbConnection connection, DbTransaction? transaction, CaseRow row, int closed, int measured, int recovered) =>
        connection.ExecuteAsync(
            """
            INSERT INTO case_recovery_rollup (workspace_id, dimension, grp, closed, measured, recovered) VALUES (@WorkspaceId, @dimension, @grp, @closed, @measured, @recovered)
            ON CONFLICT (workspace_id, dimension, grp) DO UPDATE SET closed = case_recovery_rollup.closed + excluded.closed,
                measured = case_recovery_rollup.measured + excluded.measured, recovered = case_recovery_rollup.recovered + excluded.recovered
            """,
            GroupsOf(row).Select(g => new { row.WorkspaceId, dimension = g.Dimension, grp = g.Group, closed, measured, recovered }).ToList(), transaction);
}
