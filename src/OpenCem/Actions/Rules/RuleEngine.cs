using System.Data.Common;
using System.Text.Json;
using Dapper;
using OpenCem.Actions.Events;
using OpenCem.Operations.Telemetry;
using OpenCem.Storage;

namespace OpenCem.Actions.Rules;

/// <summary>
/// Runs the rules, exactly once per rule and triggering source: it leases its cursor on the outbox (and one on the
/// interactions table), reads the settled rows after it, evaluates each active rule whose trigger matches, and for a
/// rule that holds records the firing (unique per rule and source), runs the actions and saves the cursor, all in one
/// transaction. A crash before commit leaves nothing; a second server process skips the batch while the lease is held.
/// A condition that fails to evaluate counts against its rule, which is paused after <see cref="MaxFailures"/> in a row.
/// </summary>
public sealed class RuleEngine(Database database, RuleFactsReader facts, RuleActions actions, RuleOptions options, TimeProvider time)
{
    public const string EventReader = "rules";
    public const string InteractionReader = "rules:interactions";
    public const int MaxFailures = 5;
    public const int BatchSize = 200;

    private readonly SettledHorizon _events = new("events", TimeSpan.FromMilliseconds(50));
    private readonly SettledHorizon _interactions = new("interactions", TimeSpan.FromMilliseconds(500));

    /// <summary>Whether rows were seen that are not settled yet (look again soon).</summary>
    public bool Unsettled => _events.Pending || _interactions.Pending;

    /// <summary>One pass: the outbox, the interactions and the schedules; returns the firings made.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        var fired = 0;
        while (await EventBatchAsync(cancellationToken) is { } batch)
        {
            fired += batch.Fired;
            if (!batch.More)
            {
                break;
            }
        }

        while (await InteractionBatchAsync(cancellationToken) is { } batch)
        {
            fired += batch.Fired;
            if (!batch.More)
            {
                break;
            }
        }

        return fired + await SchedulesAsync(cancellationToken);
    }

    private async Task<(int Fired, bool More)?> EventBatchAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var upTo = await _events.ObserveAsync(connection, database.Kind, time.GetUtcNow(), cancellationToken);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        // Nothing new: no write transaction (on SQLite it would wait for, and hold up, the one writer).
        if (await ReadPositionAsync(connection, EventReader) >= upTo)
        {
            return null;
        }

        await using var turn = await database.TakeWriteTurnAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await OutboxCursor.LeaseAsync(connection, transaction, database.Kind, EventReader, now) is not { } leased || leased >= upTo)
        {
            return null;
        }

        var position = leased;
        var rules = (await RuleStore.ActiveAsync(connection, transaction)).Where(r => r.Definition.Trigger != EventTypes.InteractionRecorded).ToList();
        var triggers = rules.Select(r => r.Definition.Trigger).ToHashSet();
        // Rows older than every rule are skipped without reading them (a new reader on a loaded database starts at 0).
        position = rules.Count == 0 ? position : Math.Max(position, rules.Min(r => r.StartEventId));
        var events = triggers.Count == 0 || position >= upTo ? [] : await EventOutbox.ReadAsync(connection, position, upTo, BatchSize, cancellationToken);
        var fired = new RuleLatencies();
        foreach (var stored in events.Where(e => triggers.Contains(e.Type)))
        {
            var matching = rules.Where(r => r.WorkspaceId == stored.WorkspaceId && r.Definition.Trigger == stored.Type && stored.Id > r.StartEventId).ToList();
            if (matching.Count > 0 && await RuleFactsReader.SubjectAsync(connection, transaction, stored) is { } subject)
            {
                fired.Add(subject, await ApplyAsync(connection, transaction, matching, subject, cancellationToken));
            }
        }

        var more = events.Count == BatchSize;
        await OutboxCursor.SaveAsync(connection, transaction, EventReader, more ? events[^1].Id : upTo, now);
        await transaction.CommitAsync(cancellationToken);
        return (fired.Committed(time), more);
    }

    private async Task<(int Fired, bool More)?> InteractionBatchAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var upTo = await _interactions.ObserveAsync(connection, database.Kind, time.GetUtcNow(), cancellationToken);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        // Nothing new: no write transaction (on SQLite it would wait for, and hold up, the one writer).
        if (await ReadPositionAsync(connection, InteractionReader) >= upTo)
        {
            return null;
        }

        await using var turn = await database.TakeWriteTurnAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await OutboxCursor.LeaseAsync(connection, transaction, database.Kind, InteractionReader, now) is not { } leased || leased >= upTo)
        {
            return null;
        }

        var position = leased;
        var rules = (await RuleStore.ActiveAsync(connection, transaction)).Where(r => r.Definition.Trigger == EventTypes.InteractionRecorded).ToList();
        position = rules.Count == 0 ? position : Math.Max(position, rules.Min(r => r.StartInteractionId));
        var interactions = rules.Count == 0 || position >= upTo ? [] : await RuleFactsReader.InteractionsAsync(connection, transaction, position, upTo, BatchSize);
        var fired = new RuleLatencies();
        foreach (var interaction in interactions)
        {
            var matching = rules.Where(r => r.WorkspaceId == interaction.WorkspaceId && interaction.Id > r.StartInteractionId).ToList();
            if (matching.Count > 0)
            {
                var subject = RuleFactsReader.Subject(interaction);
                fired.Add(subject, await ApplyAsync(connection, transaction, matching, subject, cancellationToken));
            }
        }

        var more = interactions.Count == BatchSize;
        await OutboxCursor.SaveAsync(connection, transaction, InteractionReader, more ? interactions[^1].Id : upTo, now);
        await transaction.CommitAsync(cancellationToken);
        return (fired.Committed(time), more);
    }

    /// <summary>
    /// Schedule rules due since their last tick fire once for the latest due time (missed ticks are not replayed). A
    /// rule whose condition is about a customer fires once per customer it selects, at most
    /// <see cref="RuleOptions.MaxCustomersPerOccurrence"/>: the customers are chosen before, the claim of the tick, the
    /// firings and their actions and the run log commit together, so a crash or a second server acts for none or all.
    /// </summary>
    private async Task<int> SchedulesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var scheduled = (await RuleStore.ActiveAsync(connection, null)).Where(r => r.Definition.Trigger == RuleTriggers.Schedule).ToList();
        var now = time.GetUtcNow();
        var fired = new RuleLatencies();
        foreach (var rule in scheduled)
        {
            var last = rule.LastScheduledAt ?? rule.CreatedAt;
            DateTimeOffset? due = null;
            for (var next = RuleReader.NextOccurrence(rule.Definition.Schedule, last); next is { } n && n <= now; next = RuleReader.NextOccurrence(rule.Definition.Schedule, n))
            {
                due = n;
            }

            if (due is not { } tick)
            {
                continue;
            }

            var condition = rule.Definition.Condition is { } source ? RuleCondition.Parse(source).Condition : null;
            var nowMs = now.ToUnixTimeMilliseconds();
            // Read-only, before the write transaction: on SQLite the one writer is not held while every customer is evaluated.
            var selection = condition is { SelectsCustomers: true }
                ? await ScheduledCustomers.SelectAsync(connection, facts, rule, condition, tick, options.MaxCustomersPerOccurrence, nowMs, cancellationToken)
                : null;
            await using var turn = await database.TakeWriteTurnAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var claimed = await connection.ExecuteAsync(
                "UPDATE rules SET last_scheduled_at = @tick WHERE id = @Id AND COALESCE(last_scheduled_at, -1) = COALESCE(@last, -1)",
                new { tick = tick.ToUnixTimeMilliseconds(), rule.Id, last = rule.LastScheduledAt?.ToUnixTimeMilliseconds() }, transaction);
            if (claimed == 1)
            {
                var subject = RuleSubject.Scheduled(rule.WorkspaceId, tick);
                var firings = selection is null
                    ? await ApplyAsync(connection, transaction, [rule], subject, cancellationToken)
                    : await FireForCustomersAsync(connection, transaction, rule, selection, tick, nowMs, cancellationToken);
                await RuleRuns.RecordAsync(connection, transaction, rule, tick, selection, firings, options.MaxCustomersPerOccurrence, nowMs);
                fired.Add(subject, firings);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        return fired.Committed(time);
    }

    private async Task<int> FireForCustomersAsync(
        DbConnection connection, DbTransaction transaction, StoredRule rule, CustomerSelection selection, DateTimeOffset tick, long now, CancellationToken cancellationToken)
    {
        if (selection.FirstError is { } error)
        {
            await FailAsync(connection, transaction, rule, $"{selection.Errors} of {selection.Scanned} customers could not be evaluated; {error}", now);
        }
        else if (rule.Failures > 0)
        {
            await connection.ExecuteAsync("UPDATE rules SET failures = 0 WHERE id = @Id", new { rule.Id }, transaction);
        }

        var fired = 0;
        foreach (var customerId in selection.Selected)
        {
            fired += await FireAsync(connection, transaction, rule, RuleSubject.Scheduled(rule.WorkspaceId, tick, customerId), now, cancellationToken) ? 1 : 0;
        }

        return fired;
    }

    private async Task<int> ApplyAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<StoredRule> rules, RuleSubject subject, CancellationToken cancellationToken)
    {
        var fired = 0;
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var rule in rules)
        {
            var condition = rule.Definition.Condition is { } source ? RuleCondition.Parse(source).Condition : null;
            var verdict = RuleEvaluator.Evaluate(condition, await facts.FactsAsync(connection, transaction, subject, condition, cancellationToken));
            if (verdict.Error is not null)
            {
                await FailAsync(connection, transaction, rule, verdict.Error, now);
                continue;
            }

            if (rule.Failures > 0)
            {
                await connection.ExecuteAsync("UPDATE rules SET failures = 0 WHERE id = @Id", new { rule.Id }, transaction);
            }

            if (!verdict.Holds || await CoolingDownAsync(connection, transaction, rule, subject, now))
            {
                continue;
            }

            fired += await FireAsync(connection, transaction, rule, subject, now, cancellationToken) ? 1 : 0;
        }

        return fired;
    }

    /// <summary>Records the firing (unique per rule and source) and runs its actions; false when it was recorded before or an action failed.</summary>
    private async Task<bool> FireAsync(DbConnection connection, DbTransaction transaction, StoredRule rule, RuleSubject subject, long now, CancellationToken cancellationToken)
    {
        // The savepoint keeps one rule's failing action from undoing the other firings of the batch.
        await transaction.SaveAsync("firing", cancellationToken);
        try
        {
            var firing = await connection.ExecuteScalarAsync<long?>(
                """
                INSERT INTO rule_firings (workspace_id, rule_id, source_kind, source_id, customer_id, fired_at, actions)
                VALUES (@WorkspaceId, @ruleId, @SourceKind, @SourceId, @CustomerId, @now, '[]')
                ON CONFLICT (rule_id, source_kind, source_id) DO NOTHING
                RETURNING id
                """,
                new { subject.WorkspaceId, ruleId = rule.Id, subject.SourceKind, subject.SourceId, subject.CustomerId, now }, transaction);
            if (firing is { } firingId)
            {
                var results = await actions.RunAsync(connection, transaction, rule, subject, now, cancellationToken);
                await connection.ExecuteAsync("UPDATE rule_firings SET actions = @results WHERE id = @firingId",
                    new { results = JsonSerializer.Serialize(results), firingId }, transaction);
            }

            await transaction.ReleaseAsync("firing", cancellationToken);
            return firing is not null;
        }
        catch (DbException exception)
        {
            await transaction.RollbackAsync("firing", cancellationToken);
            await FailAsync(connection, transaction, rule, $"an action failed: {exception.Message}", now);
            return false;
        }
    }

    private static Task<long> ReadPositionAsync(DbConnection connection, string reader) =>
        connection.ExecuteScalarAsync<long>("SELECT COALESCE(MAX(position), 0) FROM outbox_cursors WHERE reader = @reader", new { reader });

    private static async Task<bool> CoolingDownAsync(DbConnection connection, DbTransaction transaction, StoredRule rule, RuleSubject subject, long now)
    {
        if (rule.Definition.CooldownMinutes is not { } minutes || minutes <= 0)
        {
            return false;
        }

        var since = now - (minutes * 60_000L);
        if (rule.Definition.CooldownScope == RuleCooldownScopes.Rule)
        {
            return await connection.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM rule_firings WHERE rule_id = @Id AND fired_at > @since", new { rule.Id, since }, transaction) > 0;
        }

        return subject.CustomerId is { } customerId
            && await connection.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM rule_firings WHERE rule_id = @Id AND customer_id = @customerId AND fired_at > @since",
                new { rule.Id, customerId, since }, transaction) > 0;
    }

    private static Task FailAsync(DbConnection connection, DbTransaction transaction, StoredRule rule, string error, long now)
    {
        OpenCemTelemetry.RuleFailures.Add(1, new KeyValuePair<string, object?>("trigger", rule.Definition.Trigger));
        return connection.ExecuteAsync(
            """
            UPDATE rules SET failures = failures + 1, last_error = @error, last_error_at = @now,
                             paused_at = CASE WHEN failures + 1 >= @MaxFailures THEN @now ELSE paused_at END
            WHERE id = @Id
            """,
            new { error = error.Length > 1000 ? error[..1000] : error, now, MaxFailures, rule.Id }, transaction);
    }
}
