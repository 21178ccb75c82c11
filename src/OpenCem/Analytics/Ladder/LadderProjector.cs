using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Logging;
using OpenCem.Hosting;
using OpenCem.Storage;
using OpenCem.Workspaces;

namespace OpenCem.Analytics.Ladder;

/// <summary>
/// Computes the loyalty ladder on a schedule: per workspace, when anything it reads changed (new interactions,
/// responses, signals or customers, other rules, a new month), it reads the facts (<see cref="LadderFactsReader"/>),
/// places every rated customer on both ladders for each month (<c>ladder_states</c>), and counts rungs and moves per
/// month, quarter and year (<c>ladder_counts</c>), for all customers and per value of each of <see cref="GroupTraits"/>,
/// replacing both tables' rows of the workspace in one transaction.
/// Requests read the counts (or, grouped by a trait, the monthly states). Runs at start-up, every
/// <c>Ladder:IntervalSeconds</c> (default 600), after a demo load and when the rules change.
/// </summary>
public sealed partial class LadderProjector(Database database, LadderRulesStore rulesStore, TimeProvider time, ILogger<LadderProjector> logger) : PassWorker
{
    public const string FingerprintSetting = "ladder.fingerprint";

    /// <summary>The traits whose per-value counts are precomputed, so <c>by=trait.X</c> for them reads counts only.</summary>
    public static readonly IReadOnlyList<string> GroupTraits = ["plan", "region", "lineOfBusiness", "country", "language"];

    public TimeSpan Interval { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Recomputes every workspace whose inputs changed (all when <paramref name="force"/>); returns how many states it wrote.</summary>
    public Task<long> RunOnceAsync(bool force = false, CancellationToken cancellationToken = default) =>
        ExclusiveAsync(() => PassAsync(force, cancellationToken), cancellationToken);

    private async Task<long> PassAsync(bool force, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var workspaces = (await connection.QueryAsync<long>("SELECT id FROM workspaces ORDER BY id")).ToList();
        long written = 0;
        foreach (var workspaceId in workspaces)
        {
            written += await ProjectAsync(connection, workspaceId, force, cancellationToken);
        }

        return written;
    }

    protected override Task ScheduledPassAsync(CancellationToken cancellationToken) => RunOnceAsync(false, cancellationToken);

    protected override Task WaitForNextPassAsync(CancellationToken cancellationToken) => Task.Delay(Interval, time, cancellationToken);

    private async Task<long> ProjectAsync(DbConnection connection, long workspaceId, bool force, CancellationToken cancellationToken)
    {
        var rules = await rulesStore.GetAsync(workspaceId, cancellationToken);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var lastMonth = LadderPeriods.Start("month", now);
        var fingerprint = string.Join(':',
            await connection.ExecuteScalarAsync<long>("SELECT COALESCE(MAX(id), 0) FROM interactions WHERE workspace_id = @workspaceId", new { workspaceId }),
            await connection.ExecuteScalarAsync<long>("SELECT COALESCE(MAX(id), 0) FROM survey_responses WHERE workspace_id = @workspaceId", new { workspaceId }),
            await connection.ExecuteScalarAsync<long>("SELECT COALESCE(MAX(id), 0) FROM signals WHERE workspace_id = @workspaceId", new { workspaceId }),
            await connection.ExecuteScalarAsync<long>("SELECT COALESCE(MAX(updated_at), 0) FROM customers WHERE workspace_id = @workspaceId", new { workspaceId }),
            lastMonth,
            // A stable digest: string.GetHashCode differs per process and would recompute at every start.
            Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(rules, LadderRulesStore.Json)))[..16]);
        var settings = new WorkspaceStore(database);
        if (!force && await settings.GetSettingAsync(workspaceId, FingerprintSetting, cancellationToken) == fingerprint)
        {
            return 0;
        }

        var facts = await LadderFactsReader.ReadAsync(connection, workspaceId, rules);
        var states = new List<(long Customer, long Month, MonthState State)>();
        var byCustomer = new List<(long Customer, IReadOnlyDictionary<long, MonthState> Months)>(facts.Count);
        foreach (var (customer, f) in facts)
        {
            var months = MonthStates(f, rules, lastMonth, now);
            byCustomer.Add((customer, months));
            states.AddRange(months.Select(m => (customer, m.Key, m.Value)));
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync("DELETE FROM ladder_states WHERE workspace_id = @workspaceId", new { workspaceId }, transaction);
        await connection.ExecuteAsync("DELETE FROM ladder_counts WHERE workspace_id = @workspaceId", new { workspaceId }, transaction);
        await LadderStore.InsertStatesAsync(connection, transaction, workspaceId, states);
        foreach (var interval in LadderPeriods.Intervals)
        {
            await LadderStore.InsertCountsAsync(
                connection, transaction, workspaceId, interval, "", LadderAggregation.Count(byCustomer.Select(c => ("", c.Months)), interval, lastMonth));
            foreach (var trait in GroupTraits)
            {
                var counts = LadderAggregation.Count(byCustomer.Select(c => (Group(facts[c.Customer], trait), c.Months)), interval, lastMonth);
                await LadderStore.InsertCountsAsync(connection, transaction, workspaceId, interval, "trait." + trait, counts);
            }
        }

        await connection.ExecuteAsync(
            """
            INSERT INTO workspace_settings (workspace_id, name, value) VALUES (@workspaceId, @FingerprintSetting, @fingerprint)
            ON CONFLICT (workspace_id, name) DO UPDATE SET value = excluded.value
            """,
            new { workspaceId, FingerprintSetting, fingerprint }, transaction);
        await transaction.CommitAsync(cancellationToken);
        LogProjected(workspaceId, states.Count);
        return states.Count;
    }

    private static string Group(LadderFacts facts, string trait) => LadderStore.TraitText(facts.Traits, trait) ?? "(none)";

    /// <summary>The customer's state in each month from their first answer to <paramref name="lastMonth"/>, rated months only.</summary>
    public static SortedDictionary<long, MonthState> MonthStates(LadderFacts facts, LadderRules rules, long lastMonth, long now)
    {
        var months = new SortedDictionary<long, MonthState>();
        var firstAt = Math.Min(facts.Nps.Count > 0 ? facts.Nps[0].At : long.MaxValue, facts.Csat.Count > 0 ? facts.Csat[0].At : long.MaxValue);
        if (firstAt == long.MaxValue)
        {
            return months;
        }

        for (var month = LadderPeriods.Start("month", firstAt); month <= lastMonth; month = LadderPeriods.Next("month", month))
        {
            var next = LadderPeriods.Next("month", month);
            var (npsRung, npsAt) = LadderClassifier.NpsRung(facts, month, next);
            var rung = LadderClassifier.Rung(facts, rules, Math.Min(next, now));
            if (npsRung != Rungs.Unrated || rung != Rungs.Unrated)
            {
                months[month] = new MonthState(npsRung, npsAt, rung);
            }
        }

        return months;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Ladder: workspace {WorkspaceId} recomputed, {States} customer-month states")]
    private partial void LogProjected(long workspaceId, int states);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A ladder pass failed; retrying at the next interval")]
    private partial void LogPassFailed(Exception exception);

    protected override void PassFailed(Exception exception) => LogPassFailed(exception);
}
