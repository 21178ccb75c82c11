using System.Data.Common;
using System.Globalization;
using System.Text.Json.Nodes;
using Dapper;
using OpenCem.Actions.Events;
using OpenCem.Customers;

namespace OpenCem.Actions.Rules;

/// <summary>
/// Reads what a rule sees about a subject (the response, signal, interaction or case, and the customer) and the
/// windowed counts its condition asks for, in the caller's transaction. Only the customer fields a condition names are
/// read (<see cref="RuleCondition.Uses"/>), so a rule on NPS does not pay for CLV percentiles.
/// </summary>
public sealed class RuleFactsReader(CustomerProfiles profiles)
{
    /// <summary>A subject for an outbox event, with its roots filled; null for an event kind rules do not take.</summary>
    public static async Task<RuleSubject?> SubjectAsync(DbConnection connection, DbTransaction? transaction, StoredEvent stored)
    {
        var subject = new RuleSubject
        {
            WorkspaceId = stored.WorkspaceId,
            Trigger = stored.Type,
            SourceKind = RuleSources.Event,
            SourceId = stored.Id,
            OccurredAt = DateTimeOffset.FromUnixTimeMilliseconds(stored.OccurredAt),
            StoredAt = stored.CreatedAt,
            CustomerId = stored.CustomerId,
            ResponseId = stored.Type == EventTypes.ResponseSubmitted ? stored.SubjectId : null,
            CaseId = stored.Type is EventTypes.CaseSlaBreached or EventTypes.CaseEscalated ? stored.SubjectId : null,
            Payload = stored.Payload,
        };
        subject.Roots["event"] = new JsonObject { ["id"] = stored.Id, ["type"] = stored.Type, ["occurredAt"] = stored.OccurredAt };
        switch (stored.Type)
        {
            case EventTypes.ResponseSubmitted:
                var response = await connection.QuerySingleOrDefaultAsync<ResponseRow>(
                    """
                    SELECT r.id AS Id, r.survey_id AS SurveyId, s.name AS Survey, t.key AS Touchpoint, r.touchpoint_id AS TouchpointId, r.channel AS Channel,
                           r.language AS Language, r.nps AS Nps, r.csat AS Csat, r.ces AS Ces, r.overall AS Overall, r.comment AS Comment, r.customer_id AS CustomerId
                    FROM survey_responses r LEFT JOIN surveys s ON s.id = r.survey_id LEFT JOIN touchpoints t ON t.id = r.touchpoint_id
                    WHERE r.id = @id
                    """,
                    new { id = stored.SubjectId }, transaction);
                if (response is null)
                {
                    return null;
                }

                // A respondent nobody knew is linked to a new profile just after the response commits: read it now.
                subject.CustomerId = response.CustomerId ?? subject.CustomerId;
                subject.TouchpointId = response.TouchpointId;
                subject.Roots["response"] = new JsonObject
                {
                    ["id"] = response.Id,
                    ["surveyId"] = response.SurveyId,
                    ["survey"] = response.Survey,
                    ["touchpoint"] = response.Touchpoint,
                    ["channel"] = response.Channel,
                    ["language"] = response.Language,
                    ["nps"] = response.Nps,
                    ["csat"] = response.Csat,
                    ["ces"] = response.Ces,
                    ["overall"] = response.Overall,
                    ["comment"] = response.Comment,
                };
                return subject;
            case EventTypes.SignalReceived:
                var signal = await connection.QuerySingleOrDefaultAsync<SignalRow>(
                    """
                    SELECT g.id AS Id, g.source AS Source, g.text AS Text, g.title AS Title, g.rating AS Rating, g.rating_max AS RatingMax, t.key AS Touchpoint,
                           g.touchpoint_id AS TouchpointId, g.language AS Language, g.url AS Url, g.customer_id AS CustomerId
                    FROM signals g LEFT JOIN touchpoints t ON t.id = g.touchpoint_id WHERE g.id = @id
                    """,
                    new { id = stored.SubjectId }, transaction);
                if (signal is null)
                {
                    return null;
                }

                subject.CustomerId = signal.CustomerId ?? subject.CustomerId;
                subject.TouchpointId = signal.TouchpointId;
                subject.Roots["signal"] = new JsonObject
                {
                    ["id"] = signal.Id,
                    ["source"] = signal.Source,
                    ["text"] = signal.Text,
                    ["title"] = signal.Title,
                    ["rating"] = signal.Rating,
                    ["ratingMax"] = signal.RatingMax,
                    ["touchpoint"] = signal.Touchpoint,
                    ["language"] = signal.Language,
                    ["url"] = signal.Url,
                };
                return subject;
            case EventTypes.CaseSlaBreached or EventTypes.CaseEscalated:
                var row = await connection.QuerySingleOrDefaultAsync<CaseRow>(
                    """
                    SELECT id AS Id, title AS Title, status AS Status, priority AS Priority, team AS Team, owner AS Owner, reason AS Reason,
                           sla_due_at AS SlaDueAt, customer_id AS CustomerId, touchpoint_id AS TouchpointId, escalation_level AS EscalationLevel
                    FROM cases WHERE id = @id
                    """,
                    new { id = stored.SubjectId }, transaction);
                if (row is null)
                {
                    return null;
                }

                subject.CustomerId = row.CustomerId ?? subject.CustomerId;
                subject.TouchpointId = row.TouchpointId;
                subject.Roots["case"] = new JsonObject
                {
                    ["id"] = row.Id,
                    ["title"] = row.Title,
                    ["status"] = row.Status,
                    ["priority"] = row.Priority,
                    ["team"] = row.Team,
                    ["owner"] = row.Owner,
                    ["reason"] = row.Reason,
                    ["slaDueAt"] = row.SlaDueAt,
                    ["escalationLevel"] = row.EscalationLevel,
                };
                return subject;
            default:
                return null;
        }
    }

    /// <summary>A subject for a stored interaction.</summary>
    public static RuleSubject Subject(RuleInteraction interaction)
    {
        var subject = new RuleSubject
        {
            WorkspaceId = interaction.WorkspaceId,
            Trigger = EventTypes.InteractionRecorded,
            SourceKind = RuleSources.Interaction,
            SourceId = interaction.Id,
            OccurredAt = DateTimeOffset.FromUnixTimeMilliseconds(interaction.OccurredAt),
            StoredAt = interaction.ReceivedAt,
            CustomerId = interaction.CustomerId,
            InteractionId = interaction.Id,
            TouchpointId = interaction.TouchpointId,
        };
        subject.Roots["event"] = new JsonObject { ["id"] = interaction.Id, ["type"] = EventTypes.InteractionRecorded, ["occurredAt"] = interaction.OccurredAt };
        subject.Roots["interaction"] = new JsonObject
        {
            ["id"] = interaction.Id,
            ["type"] = interaction.Type,
            ["event"] = interaction.Event,
            ["touchpoint"] = interaction.Touchpoint,
            ["channel"] = interaction.Channel,
            ["journey"] = interaction.JourneyKey,
            ["stage"] = interaction.Stage,
            ["outcome"] = interaction.Outcome,
            ["effort"] = interaction.Effort,
            ["revenue"] = interaction.Revenue,
            ["cost"] = interaction.Cost,
            ["properties"] = interaction.Properties is null ? new JsonObject() : JsonNode.Parse(interaction.Properties),
        };
        return subject;
    }

    /// <summary>Interactions with <paramref name="after"/> &lt; id &lt;= <paramref name="upTo"/> of all workspaces, in id order.</summary>
    public static async Task<IReadOnlyList<RuleInteraction>> InteractionsAsync(DbConnection connection, DbTransaction? transaction, long after, long upTo, int limit) =>
        (await connection.QueryAsync<RuleInteraction>(
            $"{RuleInteraction.Select} WHERE i.id > @after AND i.id <= @upTo ORDER BY i.id LIMIT @limit", new { after, upTo, limit }, transaction)).ToList();

    /// <summary>Fills <c>customer</c> (and the other roots left empty with null) and counts what the condition asks.</summary>
    public async Task<RuleFacts> FactsAsync(DbConnection connection, DbTransaction? transaction, RuleSubject subject, RuleCondition? condition, CancellationToken cancellationToken)
    {
        var roots = (JsonObject)subject.Roots.DeepClone();
        foreach (var root in RuleVocabulary.Roots.Keys.Where(r => !roots.ContainsKey(r)))
        {
            roots[root] = null;
        }

        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var count in condition?.Counts.Where(c => c.AllCustomers) ?? [])
        {
            counts[count.Key] = await CountAsync(connection, transaction, subject.WorkspaceId, null, subject.OccurredAt, count);
        }

        if (subject.CustomerId is not { } customerId)
        {
            return new RuleFacts(roots, counts);
        }

        var uses = condition?.Uses ?? new HashSet<string>();
        var customer = new JsonObject { ["id"] = customerId };
        roots["customer"] = customer;
        var ws = subject.WorkspaceId;
        if (uses.Contains("customer.traits") || uses.Contains("customer.*"))
        {
            var traits = await connection.ExecuteScalarAsync<string?>("SELECT traits FROM customers WHERE id = @customerId", new { customerId }, transaction);
            customer["traits"] = traits is null ? new JsonObject() : JsonNode.Parse(traits);
        }

        foreach (var score in new[] { "nps", "csat", "ces" }.Where(s => uses.Contains($"customer.{s}") || uses.Contains("customer.*")))
        {
            customer[score] = await connection.ExecuteScalarAsync<long?>(
                $"""
                SELECT CAST({score} AS BIGINT) FROM survey_responses
                WHERE workspace_id = @ws AND customer_id = @customerId AND {score} IS NOT NULL AND status = 'completed' ORDER BY submitted_at DESC, id DESC LIMIT 1
                """,
                new { ws, customerId }, transaction);
        }

        if (uses.Overlaps(["customer.clv", "customer.clvPercentile", "customer.churnRisk", "customer.*"]))
        {
            var value = await connection.QuerySingleOrDefaultAsync<ValueRow>(
                "SELECT clv AS Clv, churn_risk AS ChurnRisk FROM customer_values WHERE workspace_id = @ws AND customer_id = @customerId",
                new { ws, customerId }, transaction);
            customer["clv"] = value?.Clv;
            customer["churnRisk"] = value?.ChurnRisk;
            if (value?.Clv is { } clv && (uses.Contains("customer.clvPercentile") || uses.Contains("customer.*")))
            {
                // The share of valued customers whose CLV is below this one's, in percent (0 the lowest, near 100 the highest).
                var rank = await connection.QuerySingleAsync<RankRow>(
                    "SELECT COUNT(*) AS Total, SUM(CASE WHEN clv < @clv THEN 1 ELSE 0 END) AS Below FROM customer_values WHERE workspace_id = @ws AND clv IS NOT NULL",
                    new { ws, clv }, transaction);
                customer["clvPercentile"] = rank.Total == 0 ? null : Math.Round(100.0 * (rank.Below ?? 0) / rank.Total, 2);
            }
        }

        if (uses.Contains("customer.tags") || uses.Contains("customer.*"))
        {
            var tags = await connection.QueryAsync<string>(
                "SELECT tag FROM customer_tags WHERE workspace_id = @ws AND customer_id = @customerId ORDER BY tag", new { ws, customerId }, transaction);
            customer["tags"] = new JsonArray(tags.Select(t => (JsonNode?)t).ToArray());
        }

        if (uses.Contains("customer.lifecycleStage") || uses.Contains("customer.*"))
        {
            customer["lifecycleStage"] = (await profiles.GetAsync(ws, customerId, cancellationToken))?.Lifecycle.Stage;
        }

        foreach (var count in condition?.Counts.Where(c => !c.AllCustomers) ?? [])
        {
            counts[count.Key] = await CountAsync(connection, transaction, ws, customerId, subject.OccurredAt, count);
        }

        return new RuleFacts(roots, counts);
    }

    /// <summary>
    /// The interactions matching <paramref name="count"/> in the window that ends at <paramref name="at"/>: the customer's,
    /// or everyone's when <paramref name="customerId"/> is null (read along the time index, so the cost is the window's).
    /// </summary>
    public static Task<long> CountAsync(DbConnection connection, DbTransaction? transaction, long ws, long? customerId, DateTimeOffset at, CountSpec count)
    {
        var filters = new List<string>();
        Add(customerId?.ToString(CultureInfo.InvariantCulture), "customer_id = @customerId");
        void Add(string? value, string sql)
        {
            if (value is not null)
            {
                filters.Add(sql);
            }
        }

        Add(count.Touchpoint, "touchpoint_id = (SELECT id FROM touchpoints WHERE workspace_id = @ws AND key = @Touchpoint)");
        Add(count.Outcome, "outcome = @Outcome");
        Add(count.Event, "event = @Event");
        Add(count.Channel, "channel = @Channel");
        Add(count.Stage, "stage = @Stage");
        Add(count.Journey, "journey_key = @Journey");
        var end = at.ToUnixTimeMilliseconds();
        return connection.ExecuteScalarAsync<long>(
            $"""
            SELECT COUNT(*) FROM interactions
            WHERE workspace_id = @ws AND occurred_at > @start AND occurred_at <= @end
            {string.Concat(filters.Select(f => " AND " + f))}
            """,
            new { ws, customerId, start = end - (long)count.Within.TotalMilliseconds, end, count.Touchpoint, count.Outcome, count.Event, count.Channel, count.Stage, count.Journey },
            transaction);
    }

    private sealed class ResponseRow
    {
        public long Id { get; set; }

        public long SurveyId { get; set; }

        public string? Survey { get; set; }

        public string? Touchpoint { get; set; }

        public long? TouchpointId { get; set; }

        public string? Channel { get; set; }

        public string? Language { get; set; }

        public long? Nps { get; set; }

        public long? Csat { get; set; }

        public long? Ces { get; set; }

        public double? Overall { get; set; }

        public string? Comment { get; set; }

        public long? CustomerId { get; set; }
    }

    private sealed class SignalRow
    {
        public long Id { get; set; }

        public string Source { get; set; } = "";

        public string Text { get; set; } = "";

        public string? Title { get; set; }

        public double? Rating { get; set; }

        public double? RatingMax { get; set; }

        public string? Touchpoint { get; set; }

        public long? TouchpointId { get; set; }

        public string? Language { get; set; }

        public string? Url { get; set; }

        public long? CustomerId { get; set; }
    }

    private sealed class CaseRow
    {
        public long Id { get; set; }

        public string Title { get; set; } = "";

        public string Status { get; set; } = "";

        public string? Priority { get; set; }

        public string? Team { get; set; }

        public string? Owner { get; set; }

        public string? Reason { get; set; }

        public long? SlaDueAt { get; set; }

        public long? CustomerId { get; set; }

        public long? TouchpointId { get; set; }

        public long EscalationLevel { get; set; }
    }

    private sealed class ValueRow
    {
        public double? Clv { get; set; }

        public double? ChurnRisk { get; set; }
    }

    private sealed class RankRow
    {
        public long Total { get; set; }

        public long? Below { get; set; }
    }
}

/// <summary>An interaction as rules see it (with its touchpoint's key).</summary>
public sealed class RuleInteraction
{
    public const string Select =
        """
        SELECT i.id AS Id, i.workspace_id AS WorkspaceId, i.customer_id AS CustomerId, i.type AS Type, i.event AS Event, i.occurred_at AS OccurredAt, i.received_at AS ReceivedAt,
               i.touchpoint_id AS TouchpointId, t.key AS Touchpoint, i.channel AS Channel, i.journey_key AS JourneyKey, i.stage AS Stage,
               i.outcome AS Outcome, i.effort AS Effort, i.revenue AS Revenue, i.cost AS Cost, i.properties AS Properties
        FROM interactions i LEFT JOIN touchpoints t ON t.id = i.touchpoint_id
        """;

    public long Id { get; set; }

    public long WorkspaceId { get; set; }

    public long CustomerId { get; set; }

    public string Type { get; set; } = "";

    public string? Event { get; set; }

    public long OccurredAt { get; set; }

    public long ReceivedAt { get; set; }

    public long? TouchpointId { get; set; }

    public string? Touchpoint { get; set; }

    public string? Channel { get; set; }

    public string? JourneyKey { get; set; }

    public string? Stage { get; set; }

    public string? Outcome { get; set; }

    public double? Effort { get; set; }

    public double? Revenue { get; set; }

    public double? Cost { get; set; }

    public string? Properties { get; set; }
}
