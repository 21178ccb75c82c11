using Dapper;
using OpenCem.Analytics.Statistics;
using OpenCem.Storage;

namespace OpenCem.Actions.Cases;

/// <summary>
/// Recovery of one group: closed cases, how many have a measured verdict, how many were recovered, the rate with its
/// 95 % Wilson interval (over measured cases), and median hours to first response and to resolution.
/// </summary>
public sealed record RecoveryGroup(
    string Group, string? Name, long Closed, long Measured, long Recovered, double? RecoveryRate, double? RateLow, double? RateHigh,
    double? MedianHoursToFirstResponse, double? MedianHoursToResolution);

public sealed record RecoveryReport(string By, IReadOnlyList<RecoveryGroup> Groups);

/// <summary>Reads the recovery rollup (a few rows per group), never the cases themselves.</summary>
public sealed class CaseRecoveryReport(Database database)
{
    public async Task<RecoveryReport> ReadAsync(long workspaceId, string by, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var args = new { workspaceId, by };
        var counts = await connection.QueryAsync<CountRow>(new CommandDefinition(
            "SELECT grp AS Grp, closed AS Closed, measured AS Measured, recovered AS Recovered FROM case_recovery_rollup WHERE workspace_id = @workspaceId AND dimension = @by ORDER BY grp",
            args, cancellationToken: cancellationToken));
        var histogram = (await connection.QueryAsync<BucketRow>(new CommandDefinition(
            "SELECT grp AS Grp, measure AS Measure, bucket AS Bucket, n AS N FROM case_duration_histogram WHERE workspace_id = @workspaceId AND dimension = @by",
            args, cancellationToken: cancellationToken))).ToLookup(b => (b.Grp, b.Measure));
        var names = by == "touchpoint"
            ? (await connection.QueryAsync<(long Id, string Key)>(new CommandDefinition(
                "SELECT id, key FROM touchpoints WHERE workspace_id = @workspaceId", args, cancellationToken: cancellationToken)))
                .ToDictionary(t => t.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), t => t.Key)
            : [];

        double? Median(string group, string measure) =>
            DurationHistogram.Median(histogram[(group, measure)].Select(b => ((int)b.Bucket, b.N))) is { } minutes ? Math.Round(minutes / 60, 2) : null;

        var groups = counts.Select(c =>
        {
            double? rate = null, low = null, high = null;
            if (c.Measured > 0)
            {
                rate = (double)c.Recovered / c.Measured;
                (var l, var h) = MetricStatistics.Wilson(c.Recovered, c.Measured);
                (low, high) = (l, h);
            }

            return new RecoveryGroup(
                c.Grp, names.GetValueOrDefault(c.Grp), c.Closed, c.Measured, c.Recovered, rate, low, high,
                Median(c.Grp, "first_response"), Median(c.Grp, "resolution"));
        }).ToList();
        return new RecoveryReport(by, groups);
    }

    private sealed class CountRow
    {
        public string Grp { get; set; } = "";

        public long Closed { get; set; }

        public long Measured { get; set; }

        public long Recovered { get; set; }
    }

    private sealed class BucketRow
    {
        public string Grp { get; set; } = "";

        public string Measure { get; set; } = "";

        public long Bucket { get; set; }

        public long N { get; set; }
    }
}
