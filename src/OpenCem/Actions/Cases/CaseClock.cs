using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Logging;
using OpenCem.Actions.Events;
using OpenCem.Customers;
using OpenCem.Hosting;
using OpenCem.Storage;

namespace OpenCem.Actions.Cases;

/// <summary>What one pass of the case clock did: breaches and later escalation levels fired, recoveries measured.</summary>
public sealed record CaseClockPass(int Breached, int Measured);

/// <summary>
/// The case clock, in passes: marks the cases past their due time as breached and escalates them (then fires their
/// further escalation levels as they come due, <see cref="CaseEscalations"/>), and measures the
/// recovery of closed cases (<see cref="RecoveryJudge"/>). Each breach is a conditional UPDATE (… WHERE breached_at IS
/// NULL) in the transaction that escalates the case and appends <see cref="EventTypes.CaseSlaBreached"/>, so with two
/// server processes on one PostgreSQL a breach is marked, escalated and reported exactly once: the second process's
/// UPDATE waits for the first's row lock and then matches nothing.
/// </summary>
public sealed partial class CaseClock(Database database, IdentityService identity, CaseOptions options, TimeProvider time, ILogger<CaseClock> logger) : PassWorker
{
    private const int BatchSize = 500;
    private long _recoveryCursor;

    public Task<CaseClockPass> RunOnceAsync(CancellationToken cancellationToken = default) => ExclusiveAsync(() => PassAsync(cancellationToken), cancellationToken);

    protected override async Task ScheduledPassAsync(CancellationToken cancellationToken)
    {
        var pass = await RunOnceAsync(cancellationToken);
        if (pass.Breached + pass.Measured > 0)
        {
            LogPass(pass.Breached, pass.Measured);
        }
    }

    /// <summary>Off when <see cref="CaseOptions.Clock"/> is false: passes run only when asked (<see cref="RunOnceAsync"/>).</summary>
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => options.Clock ? base.ExecuteAsync(stoppingToken) : Task.CompletedTask;

    protected override Task WaitForNextPassAsync(CancellationToken cancellationToken) => Task.Delay(options.ClockInterval, time, cancellationToken);

    protected override void PassFailed(Exception exception) => LogFailed(exception);

    private async Task<CaseClockPass> PassAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var breached = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            var due = (await connection.QueryAsync<(long WorkspaceId, long Id)>(
                "SELECT workspace_id, id FROM cases WHERE breached_at IS NULL AND next_due_at IS NOT NULL AND next_due_at <= @now ORDER BY next_due_at LIMIT @BatchSize",
                new { now, BatchSize })).ToList();
            foreach (var (workspaceId, id) in due)
            {
                breached += await BreachAsync(connection, workspaceId, id, now, cancellationToken) ? 1 : 0;
            }

            if (due.Count < BatchSize)
            {
                break;
            }
        }

        while (!cancellationToken.IsCancellationRequested)
        {
            // A case whose levels all came due at once (the clock was down) takes one level per round.
            var due = await CaseEscalations.DueAsync(connection, time.GetUtcNow().ToUnixTimeMilliseconds(), BatchSize);
            var fired = 0;
            foreach (var (workspaceId, id) in due)
            {
                fired += await CaseEscalations.EscalateAsync(connection, workspaceId, id, time.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken) ? 1 : 0;
            }

            breached += fired;
            if (fired == 0)
            {
                break;
            }
        }

        return new CaseClockPass(breached, await MeasureAsync(connection, cancellationToken));
    }

    /// <summary>Marks one case breached and escalates it, unless another process did first.</summary>
    public static async Task<bool> BreachAsync(DbConnection connection, long workspaceId, long id, long now, CancellationToken cancellationToken = default)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var marked = await connection.ExecuteAsync(
            """
            UPDATE cases SET breached_at = @now, next_due_at = NULL,
                breach = CASE WHEN first_response_at IS NULL AND first_response_due_at <= @now THEN 'first_response' ELSE 'resolution' END
            WHERE workspace_id = @workspaceId AND id = @id AND breached_at IS NULL AND next_due_at <= @now
            """,
            new { workspaceId, id, now }, transaction);
        if (marked == 0)
        {
            return false;
        }

        var row = (await CaseReader.RowAsync(connection, transaction, workspaceId, id))!;
        var before = CaseChanges.SnapshotOf(row);
        var (policy, _, calendar) = await CaseRouting.PolicyAsync(connection, transaction, workspaceId, row.Priority, row.Team);
        var missedDueAt = row.Breach == "first_response" ? row.FirstResponseDueAt : row.ResolutionDueAt;
        row.EscalationLevel++;
        row.Priority = SlaPolicy.Raise(row.Priority);
        var team = row.Team is null ? null : (await CaseSetupStore.TeamsAsync(connection, transaction, workspaceId)).FirstOrDefault(t => t.Key == row.Team);
        if (team?.Lead is { } lead && lead != row.Owner)
        {
            row.Owner = lead;
        }
        else if (team?.EscalationTeam is { } escalationTeam && escalationTeam != row.Team)
        {
            var target = (await CaseSetupStore.TeamsAsync(connection, transaction, workspaceId)).FirstOrDefault(t => t.Key == escalationTeam);
            row.Team = escalationTeam;
            row.Owner = target?.Lead ?? await CaseRouting.AssignAsync(connection, transaction, workspaceId, target, row.Skill, now);
        }

        if (row.Status == CaseStatuses.New && row.Owner is not null)
        {
            row.Status = CaseStatuses.Assigned;
        }

        await CaseChanges.SaveAsync(connection, transaction, row, before, "sla", now, note: null, reopened: false, EventTypes.CaseSlaBreached);
        await CaseAudit.AppendAsync(connection, transaction, workspaceId, id, "sla", now, ("breach", null, row.Breach));
        await CaseEscalations.PlanAsync(connection, transaction, row, policy, calendar, missedDueAt ?? now, now);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>Measures the recovery of closed cases whose verdict is still open, a batch per pass, round the backlog.</summary>
    private async Task<int> MeasureAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var pending = (await connection.QueryAsync<CaseRow>(
            $"SELECT {CaseRow.Columns} FROM cases WHERE status = '{CaseStatuses.Closed}' AND recovery IS NULL AND id > @cursor ORDER BY id LIMIT @BatchSize",
            new { cursor = _recoveryCursor, BatchSize })).ToList();
        _recoveryCursor = pending.Count < BatchSize ? 0 : pending[^1].Id;
        var cancellations = new Dictionary<long, IReadOnlyList<string>>();
        var measured = 0;
        foreach (var row in pending)
        {
            if (!cancellations.TryGetValue(row.WorkspaceId, out var events))
            {
                events = (await identity.GetSettingsAsync(row.WorkspaceId, cancellationToken)).Lifecycle.CancellationEvents;
                cancellations[row.WorkspaceId] = events;
            }

            var verdict = await JudgeAsync(connection, row, events, now);
            if (verdict is not null && await RecordAsync(connection, row, verdict, now, cancellationToken))
            {
                measured++;
            }
        }

        return measured;
    }

    public static async Task<string?> JudgeAsync(DbConnection connection, CaseRow row, IReadOnlyList<string> cancellationEvents, long now)
    {
        if (row.CustomerId is null)
        {
            return CaseOutcomes.Unmeasured;
        }

        var until = row.ClosedAt!.Value + (long)RecoveryJudge.Window.TotalMilliseconds;
        var args = new { row.WorkspaceId, row.CustomerId, opened = row.CreatedAt, until, events = cancellationEvents.ToArray() };
        var scores = (await connection.QueryAsync<ScoreRow>(
            """
            SELECT id AS Id, submitted_at AS At, nps AS Nps FROM survey_responses
            WHERE workspace_id = @WorkspaceId AND customer_id = @CustomerId AND submitted_at > @opened AND submitted_at <= @until AND nps IS NOT NULL
            ORDER BY submitted_at, id LIMIT 3
            """,
            args)).Select(s => new LaterScore(s.Id, s.At, (int)s.Nps)).ToList();
        var cancelledAt = await connection.ExecuteScalarAsync<long?>(
            $"""
            SELECT MIN(occurred_at) FROM interactions
            WHERE workspace_id = @WorkspaceId AND customer_id = @CustomerId AND occurred_at > @opened AND occurred_at <= @until AND {SqlLists.In(connection, "event", "events")}
            """,
            args);
        return RecoveryJudge.Judge(row.CreatedAt, row.ClosedAt.Value, row.ResponseId, scores, cancelledAt, now);
    }

    private static async Task<bool> RecordAsync(DbConnection connection, CaseRow row, string verdict, long now, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var updated = await connection.ExecuteAsync(
            "UPDATE cases SET recovery = @verdict, recovery_measured_at = @now WHERE workspace_id = @WorkspaceId AND id = @Id AND recovery IS NULL",
            new { verdict, now, row.WorkspaceId, row.Id }, transaction);
        if (updated == 0)
        {
            return false;
        }

        await CaseRecoveryRollup.CountMeasuredAsync(connection, transaction, row, verdict);
        await CaseAudit.AppendAsync(connection, transaction, row.WorkspaceId, row.Id, "recovery", now, ("recovery", null, verdict));
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Case clock: {Breached} SLA breaches escalated, {Measured} recoveries measured")]
    private partial void LogPass(int breached, int measured);

    [LoggerMessage(Level = LogLevel.Error, Message = "Case clock pass failed; the next pass tries again")]
    private partial void LogFailed(Exception exception);

    private sealed class ScoreRow
    {
        public long Id { get; set; }

        public long At { get; set; }

        public long Nps { get; set; }
    }
}
