using System.Data.Common;
using Dapper;
using OpenCem.Actions.Events;
using OpenCem.Storage;

namespace OpenCem.Actions.Rules;

public sealed record DryRunDay(DateOnly Day, long Count);

public sealed record DryRunSample(string SourceKind, long SourceId, DateTimeOffset OccurredAt, long? CustomerId);

/// <summary>What a rule would have done over past data: how often it would have fired, per day, with a few examples.</summary>
public sealed record DryRunResult(
    long RuleId, DateTimeOffset From, DateTimeOffset To, long Scanned, bool Truncated, long WouldFire, IReadOnlyList<DryRunDay> PerDay,
    IReadOnlyList<DryRunSample> Samples, long Errors, string? FirstError)
{
    public string Summary => $"would have fired {WouldFire} times" + (Truncated ? $" in the first {Scanned} of the period's events" : "");
}

/// <summary>
/// Evaluates a rule against the responses, signals, interactions or breaches stored with a time in [from, to), without
/// acting. Counts (<c>count({...})</c>) look back from each event's own time; the customer's profile, scores and value
/// are today's (history of those is not kept). The per-customer cooldown is applied by event time.
/// </summary>
public sealed class RuleDryRun(Database database, RuleFactsReader facts)
{
    public const int MaxScanned = 20_000;
    private const int MaxSamples = 5;

    public async Task<DryRunResult> RunAsync(StoredRule rule, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        var condition = rule.Definition.Condition is { } source ? RuleCondition.Parse(source).Condition : null;
        await using var connection = await database.OpenAsync(cancellationToken);
        var subjects = SubjectsAsync(connection, rule, condition is { SelectsCustomers: true }, from.ToUnixTimeMilliseconds(), to.ToUnixTimeMilliseconds(), cancellationToken);
        var perDay = new SortedDictionary<DateOnly, long>();
        var samples = new List<DryRunSample>();
        var lastFired = new Dictionary<long, DateTimeOffset>();
        long scanned = 0, fired = 0, errors = 0;
        string? firstError = null;
        await foreach (var subject in subjects)
        {
            if (++scanned > MaxScanned)
            {
                scanned = MaxScanned;
                return Result(true);
            }

            var verdict = RuleEvaluator.Evaluate(condition, await facts.FactsAsync(connection, null, subject, condition, cancellationToken));
            if (verdict.Error is not null)
            {
                errors++;
                firstError ??= verdict.Error;
                continue;
            }

            if (!verdict.Holds)
            {
                continue;
            }

            // The whole rule cools down as one key (0), a per-customer cooldown per customer.
            var cooling = rule.Definition.CooldownScope == RuleCooldownScopes.Rule ? 0L : subject.CustomerId;
            if (rule.Definition.CooldownMinutes is > 0 and var minutes && cooling is { } key)
            {
                if (lastFired.TryGetValue(key, out var last) && subject.OccurredAt - last < TimeSpan.FromMinutes(minutes))
                {
                    continue;
                }

                lastFired[key] = subject.OccurredAt;
            }

            fired++;
            var day = DateOnly.FromDateTime(subject.OccurredAt.UtcDateTime);
            perDay[day] = perDay.GetValueOrDefault(day) + 1;
            if (samples.Count < MaxSamples)
            {
                samples.Add(new DryRunSample(subject.SourceKind, subject.SourceId, subject.OccurredAt, subject.CustomerId));
            }
        }

        return Result(false);

        DryRunResult Result(bool truncated) => new(
            rule.Id, from, to, scanned, truncated, fired, perDay.Select(d => new DryRunDay(d.Key, d.Value)).ToList(), samples, errors, firstError);
    }

    private static async IAsyncEnumerable<RuleSubject> SubjectsAsync(
        DbConnection connection, StoredRule rule, bool perCustomer, long from, long to, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var ws = rule.WorkspaceId;
        var limit = MaxScanned + 1;
        switch (rule.Definition.Trigger)
        {
            case EventTypes.InteractionRecorded:
                foreach (var interaction in await connection.QueryAsync<RuleInteraction>(new CommandDefinition(
                    $"{RuleInteraction.Select} WHERE i.workspace_id = @ws AND i.occurred_at >= @from AND i.occurred_at < @to ORDER BY i.occurred_at, i.id LIMIT @limit",
                    new { ws, from, to, limit }, cancellationToken: cancellationToken)))
                {
                    yield return RuleFactsReader.Subject(interaction);
                }

                break;
            case RuleTriggers.Schedule:
                var at = DateTimeOffset.FromUnixTimeMilliseconds(from).AddTicks(-1);
                for (var n = 0; n < limit && RuleReader.NextOccurrence(rule.Definition.Schedule, at) is { } next && next.ToUnixTimeMilliseconds() < to; at = next)
                {
                    if (!perCustomer)
                    {
                        n++;
                        yield return RuleSubject.Scheduled(ws, next);
                        continue;
                    }

                    // A rule about customers is asked once per customer and occurrence, as the engine asks it.
                    for (long after = 0; n < limit;)
                    {
                        var page = (await connection.QueryAsync<long>(new CommandDefinition(
                            "SELECT id FROM customers WHERE workspace_id = @ws AND erased_at IS NULL AND id > @after ORDER BY id LIMIT 500",
                            new { ws, after }, cancellationToken: cancellationToken))).ToList();
                        if (page.Count == 0)
                        {
                            break;
                        }

                        foreach (var customerId in page.Take(limit - n))
                        {
                            n++;
                            yield return RuleSubject.Scheduled(ws, next, customerId);
                        }

                        after = page[^1];
                    }
                }

                break;
            default:
                // Stored rows stand in for their events: the outbox may not reach back as far as the data does.
                var sql = rule.Definition.Trigger switch
                {
                    EventTypes.ResponseSubmitted =>
                        "SELECT id AS SubjectId, submitted_at AS OccurredAt, customer_id AS CustomerId FROM survey_responses WHERE workspace_id = @ws AND status = 'completed' AND submitted_at >= @from AND submitted_at < @to ORDER BY submitted_at, id LIMIT @limit",
                    EventTypes.SignalReceived =>
                        "SELECT id AS SubjectId, occurred_at AS OccurredAt, customer_id AS CustomerId FROM signals WHERE workspace_id = @ws AND occurred_at >= @from AND occurred_at < @to ORDER BY occurred_at, id LIMIT @limit",
                    _ =>
                        "SELECT id AS Id, subject_id AS SubjectId, occurred_at AS OccurredAt, customer_id AS CustomerId, payload AS Payload FROM events WHERE workspace_id = @ws AND type = @type AND occurred_at >= @from AND occurred_at < @to ORDER BY occurred_at, id LIMIT @limit",
                };
                var rows = (await connection.QueryAsync<StoredEvent>(new CommandDefinition(
                    sql, new { ws, from, to, limit, type = rule.Definition.Trigger }, cancellationToken: cancellationToken))).ToList();
                foreach (var row in rows)
                {
                    row.WorkspaceId = ws;
                    row.Type = rule.Definition.Trigger;
                    if (row.Id == 0)
                    {
                        row.Id = row.SubjectId ?? 0;
                    }

                    if (await RuleFactsReader.SubjectAsync(connection, null, row) is { } subject)
                    {
                        yield return subject;
                    }
                }

                break;
        }
    }
}
