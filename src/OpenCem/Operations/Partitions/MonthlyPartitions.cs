namespace OpenCem.Operations.Partitions;

/// <summary>One month of interactions by client timestamp: the bounds (unix ms, from inclusive, to exclusive) and its table name.</summary>
public sealed record MonthPartition(string Table, long From, long To);

/// <summary>
/// The monthly range partitions of the interactions table on PostgreSQL (pure: names and bounds, no I/O). Partitions
/// are by <c>client_ts</c>, the client's timestamp of the event, because it is part of the deduplication key
/// (workspace, client_ts, messageId): a unique index on a partitioned table must contain the partition key.
/// </summary>
public static class MonthlyPartitions
{
    public const string Parent = "interactions";

    /// <summary>Rows whose client clock is beyond every monthly partition (a device set years ahead).</summary>
    public const string Default = "interactions_default";

    /// <summary>Months kept ready ahead of the current one, so that events never wait for a partition.</summary>
    public const int DefaultMonthsAhead = 3;

    public static DateTimeOffset MonthStart(DateTimeOffset at)
    {
        var utc = at.ToUniversalTime();
        return new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero);
    }

    public static MonthPartition For(DateTimeOffset month)
    {
        var start = MonthStart(month);
        return new MonthPartition($"{Parent}_{start:yyyy_MM}", start.ToUnixTimeMilliseconds(), start.AddMonths(1).ToUnixTimeMilliseconds());
    }

    /// <summary>The partitions that should exist at <paramref name="now"/>: this month and <paramref name="monthsAhead"/> after it.</summary>
    public static IReadOnlyList<MonthPartition> Wanted(DateTimeOffset now, int monthsAhead)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(monthsAhead);
        var first = MonthStart(now);
        return [.. Enumerable.Range(0, monthsAhead + 1).Select(i => For(first.AddMonths(i)))];
    }

    /// <summary>The table that keeps every interaction from before partitioning (its range ends where the first month starts).</summary>
    public static string History(DateTimeOffset firstMonth) => $"{Parent}_before_{MonthStart(firstMonth):yyyy_MM}";
}
