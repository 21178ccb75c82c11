using System.Data.Common;
using Dapper;
using OpenCem.Actions.Cases;
using OpenCem.Customers;
using OpenCem.Customers.Storage;
using OpenCem.Storage;

namespace OpenCem.Demo;

/// <summary>
/// Stores the demo's teams, SLAs and two years of cases (<see cref="DemoCases"/>) after its responses and signals are analysed: in bulk,
/// with their audit trails, notes and the recovery rollup. History is not replayed into the event outbox, so rules and
/// webhook subscribers do not act on two-year-old cases when the server starts.
/// </summary>
internal sealed class DemoCaseLoader(Database database, TimeProvider time)
{
    /// <summary>Notes the cancellations among generated events as they are stored (cheaper than scanning the interactions afterwards).</summary>
    public static void CollectCancellations(IEnumerable<Interactions.Ingestion.IngestionItem> batch, List<(string UserId, long At)> cancellations)
    {
        foreach (var item in batch)
        {
            if (item.Event.UserId is { } userId && item.Event.EventName is { } name && CancellationEvents.Contains(name))
            {
                cancellations.Add((userId, item.Event.Timestamp.ToUnixTimeMilliseconds()));
            }
        }
    }

    private static readonly HashSet<string> CancellationEvents = new(new LifecycleRules().CancellationEvents, StringComparer.Ordinal);

    public async Task<int> LoadAsync(long workspaceId, DemoOptions options, IReadOnlyList<(string UserId, long At)> cancelled, CancellationToken cancellationToken)
    {
        var asOf = options.ResolveAsOf();
        var setup = new CaseSetupStore(database, time);
        var office = DemoCaseTeams.Office(asOf);
        await setup.SaveCalendarAsync(workspaceId, new NamedCalendar("office", office), cancellationToken);
        foreach (var team in DemoCaseTeams.Teams)
        {
            await setup.SaveTeamAsync(workspaceId, team, cancellationToken);
        }

        foreach (var agent in DemoCaseTeams.Agents)
        {
            await setup.SaveAgentAsync(workspaceId, agent, cancellationToken);
        }

        foreach (var policy in DemoCaseTeams.Policies)
        {
            await setup.SavePolicyAsync(workspaceId, policy, cancellationToken);
        }

        await using var connection = await database.OpenForBulkLoadAsync(cancellationToken);
        var (causes, scores) = await CausesAsync(connection, workspaceId);
        var cancellations = await CancellationsAsync(connection, workspaceId, cancelled);
        var cases = DemoCases.Generate(causes, scores, cancellations, office.Read([])!, workspaceId, asOf.ToUnixTimeMilliseconds(), options.Seed);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await InsertAsync(new IdentityRepository(connection, transaction, database.Kind), cases, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return cases.Count;
    }

    /// <summary>Detractor responses (relationship NPS) and complaints of known customers, in time order, and every customer's NPS answers.</summary>
    private static async Task<(List<DemoCaseCause> Causes, Dictionary<long, List<LaterScore>> Scores)> CausesAsync(DbConnection connection, long workspaceId)
    {
        var journeys = (await connection.QueryAsync<(long Id, string? Journey)>(
            "SELECT id, journey_key FROM touchpoints WHERE workspace_id = @workspaceId", new { workspaceId })).ToDictionary(t => t.Id, t => t.Journey);
        var themes = (await connection.QueryAsync<(long Id, string Theme, double Sentiment)>(
            "SELECT item_id, theme_key, sentiment FROM text_theme_mentions WHERE workspace_id = @workspaceId AND item_kind = 'response'",
            new { workspaceId })).OrderBy(m => m.Sentiment).ThenBy(m => m.Theme, StringComparer.Ordinal).ToLookup(m => m.Id, m => m.Theme);
        var relationship = await connection.ExecuteScalarAsync<long>(
            "SELECT id FROM surveys WHERE workspace_id = @workspaceId AND name = @name", new { workspaceId, name = DemoSurveys.Get(DemoSurveys.RelationshipNps).Name });
        var responses = (await connection.QueryAsync<ResponseRow>(
            """
            SELECT id AS Id, customer_id AS CustomerId, submitted_at AS At, nps AS Nps, touchpoint_id AS TouchpointId, survey_id AS SurveyId
            FROM survey_responses WHERE workspace_id = @workspaceId AND customer_id IS NOT NULL AND nps IS NOT NULL
            """,
            new { workspaceId })).OrderBy(r => r.At).ThenBy(r => r.Id);
        var causes = new List<DemoCaseCause>();
        var scores = new Dictionary<long, List<LaterScore>>();
        foreach (var r in responses)
        {
            if (!scores.TryGetValue(r.CustomerId, out var list))
            {
                scores[r.CustomerId] = list = [];
            }

            list.Add(new LaterScore(r.Id, r.At, (int)r.Nps));
            if (r.Nps <= 6 && r.SurveyId == relationship)
            {
                causes.Add(new DemoCaseCause(
                    r.CustomerId, r.At, r.Id, null, (int)r.Nps, r.TouchpointId, r.TouchpointId is { } t ? journeys.GetValueOrDefault(t) : null, [.. themes[r.Id]]));
            }
        }

        var complaints = await connection.QueryAsync<(long Id, long CustomerId, long At, long? TouchpointId)>(
            "SELECT id, customer_id, occurred_at, touchpoint_id FROM signals WHERE workspace_id = @workspaceId AND source = 'complaint' AND customer_id IS NOT NULL",
            new { workspaceId });
        causes.AddRange(complaints.Select(c => new DemoCaseCause(c.CustomerId, c.At, null, c.Id, null, c.TouchpointId, c.TouchpointId is { } t ? journeys.GetValueOrDefault(t) : null)));
        return ([.. causes.OrderBy(c => c.At).ThenBy(c => c.ResponseId ?? -c.SignalId)], scores);
    }

    /// <summary>The cancellation times by profile: the tracking userIds resolved through <c>customer_identities</c>.</summary>
    private static async Task<Dictionary<long, List<long>>> CancellationsAsync(DbConnection connection, long workspaceId, IReadOnlyList<(string UserId, long At)> cancelled)
    {
        var profiles = (await connection.QueryAsync<(string Value, long CustomerId)>(
            "SELECT value, customer_id FROM customer_identities WHERE workspace_id = @workspaceId AND kind = @kind", new { workspaceId, kind = IdentifierKinds.UserId }))
            .ToDictionary(i => i.Value, i => i.CustomerId, StringComparer.Ordinal);
        return cancelled.Where(c => profiles.ContainsKey(c.UserId)).GroupBy(c => profiles[c.UserId])
            .ToDictionary(g => g.Key, g => g.Select(c => c.At).Order().ToList());
    }

    private static async Task InsertAsync(IdentityRepository db, List<DemoCase> cases, CancellationToken cancellationToken)
    {
        var ids = await BulkRecordWriter.ReserveIdsAsync(db, "cases", cases.Count, cancellationToken);
        for (var i = 0; i < cases.Count; i++)
        {
            cases[i].Row.Id = ids[i];
        }

        string[] columns =
        [
            "id", "workspace_id", "customer_id", "title", "status", "created_at", "updated_at", "closed_at", "source_key", "reason", "priority", "team",
            "owner", "response_id", "touchpoint_id", "sla_due_at", "first_response_due_at", "first_response_at", "next_due_at", "breached_at", "breach",
            "escalation_level", "resolved_at", "outcome", "resolution_reason", "recovery", "recovery_measured_at", "sla_paused_at",
            "escalation_plan", "next_escalation_at",
        ];
        await BulkRecordWriter.InsertRowsAsync(db, "cases", columns, cases, (c, v) =>
        {
            var r = c.Row;
            (v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]) = (r.Id, r.WorkspaceId, r.CustomerId, r.Title, r.Status, r.CreatedAt, r.UpdatedAt, r.ClosedAt, r.SourceKey, r.Reason);
            (v[10], v[11], v[12], v[13], v[14], v[15], v[16], v[17], v[18]) = (r.Priority, r.Team, r.Owner, r.ResponseId, r.TouchpointId, r.ResolutionDueAt, r.FirstResponseDueAt, r.FirstResponseAt, r.NextDueAt);
            (v[19], v[20], v[21], v[22], v[23], v[24], v[25], v[26], v[27]) =
                (r.BreachedAt, r.Breach, (int)r.EscalationLevel, r.ResolvedAt, r.Outcome, r.ResolutionReason, r.Recovery, r.RecoveryMeasuredAt, r.SlaPausedAt);
            (v[28], v[29]) = (c.EscalationPlan, c.NextEscalationAt);
        }, cancellationToken);
        var audit = cases.SelectMany(c => c.Audit.Select(a => (c.Row, a.Actor, a.Field, a.From, a.To, a.At))).ToList();
        await BulkRecordWriter.InsertRowsAsync(db, "case_audit", ["workspace_id", "case_id", "actor", "field", "from_value", "to_value", "at"], audit, (a, v) =>
            (v[0], v[1], v[2], v[3], v[4], v[5], v[6]) = (a.Row.WorkspaceId, a.Row.Id, a.Actor, a.Field, a.From, a.To, a.At), cancellationToken);
        var notes = cases.SelectMany(c => c.Notes.Select(n => (c.Row, n.Author, n.Text, n.At))).ToList();
        await BulkRecordWriter.InsertRowsAsync(db, "case_notes", ["workspace_id", "case_id", "author", "text", "created_at"], notes, (n, v) =>
            (v[0], v[1], v[2], v[3], v[4]) = (n.Row.WorkspaceId, n.Row.Id, n.Author, n.Text, n.At), cancellationToken);
        await InsertRollupAsync(db, cases.Select(c => c.Row).Where(r => r.Status == CaseStatuses.Closed).ToList(), cancellationToken);
    }

    /// <summary>The recovery rollup of the closed cases, counted in memory and written once (the same counts closing them one by one gives).</summary>
    private static async Task InsertRollupAsync(IdentityRepository db, List<CaseRow> closed, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<(long, string, string), (long Closed, long Measured, long Recovered)>();
        var buckets = new Dictionary<(long, string, string, string, int), long>();
        foreach (var row in closed)
        {
            var measured = row.Recovery is not null and not CaseOutcomes.Unmeasured ? 1 : 0;
            var recovered = row.Recovery == CaseOutcomes.Recovered ? 1 : 0;
            foreach (var (dimension, group) in CaseRecoveryRollup.GroupsOf(row))
            {
                var key = (row.WorkspaceId, dimension, group);
                var c = counts.GetValueOrDefault(key);
                counts[key] = (c.Closed + 1, c.Measured + measured, c.Recovered + recovered);
                foreach (var (measure, end) in new[] { ("first_response", row.FirstResponseAt), ("resolution", row.ResolvedAt ?? row.ClosedAt) })
                {
                    if (end is { } e)
                    {
                        var bucket = (row.WorkspaceId, dimension, group, measure, DurationHistogram.Bucket((e - row.CreatedAt) / 60_000.0));
                        buckets[bucket] = buckets.GetValueOrDefault(bucket) + 1;
                    }
                }
            }
        }

        await BulkRecordWriter.InsertRowsAsync(db, "case_recovery_rollup", ["workspace_id", "dimension", "grp", "closed", "measured", "recovered"], counts.ToList(), (c, v) =>
            (v[0], v[1], v[2], v[3], v[4], v[5]) = (c.Key.Item1, c.Key.Item2, c.Key.Item3, c.Value.Closed, c.Value.Measured, c.Value.Recovered), cancellationToken);
        await BulkRecordWriter.InsertRowsAsync(db, "case_duration_histogram", ["workspace_id", "dimension", "grp", "measure", "bucket", "n"], buckets.ToList(), (b, v) =>
            (v[0], v[1], v[2], v[3], v[4], v[5]) = (b.Key.Item1, b.Key.Item2, b.Key.Item3, b.Key.Item4, b.Key.Item5, b.Value), cancellationToken);
    }

    private sealed class ResponseRow
    {
        public long Id { get; set; }

        public long CustomerId { get; set; }

        public long At { get; set; }

        public long Nps { get; set; }

        public long? TouchpointId { get; set; }

        public long SurveyId { get; set; }
    }
}
