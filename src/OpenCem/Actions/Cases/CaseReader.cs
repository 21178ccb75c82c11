using System.Data.Common;
using System.Text.Json.Nodes;
using Dapper;
using OpenCem.Hosting;
using OpenCem.Storage;

namespace OpenCem.Actions.Cases;

/// <summary>Reads cases: the filtered list (newest first, keyset pages) and one case with its notes, trail and links.</summary>
public sealed class CaseReader(Database database, TimeProvider time)
{
    public async Task<CasePage> ListAsync(long workspaceId, CaseQuery query, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var filters = new (bool Applies, string Sql)[]
        {
            (query.Status is not null, "status = @Status"),
            (query.Team is not null, "team = @Team"),
            (query.Owner is not null, "owner = @Owner"),
            (query.Priority is not null, "priority = @Priority"),
            (query.CustomerId is not null, "customer_id = @CustomerId"),
            (query.TouchpointId is not null, "touchpoint_id = @TouchpointId"),
            (query.After is not null, "id < @After"),
            (query.Breached is true, "(breached_at IS NOT NULL OR next_due_at <= @now)"),
            (query.Breached is false, "breached_at IS NULL AND (next_due_at IS NULL OR next_due_at > @now)"),
        };
        var where = filters.Where(f => f.Applies).Select(f => f.Sql).Prepend("workspace_id = @workspaceId");

        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = (await connection.QueryAsync<CaseRow>(new CommandDefinition(
            $"SELECT {CaseRow.Columns} FROM cases WHERE {string.Join(" AND ", where)} ORDER BY id DESC LIMIT @Limit",
            new { workspaceId, query.Status, query.Team, query.Owner, query.Priority, query.CustomerId, query.TouchpointId, query.After, query.Limit, now },
            cancellationToken: cancellationToken))).ToList();
        return new CasePage(rows.Select(r => r.ToView(now)).ToList(), rows.Count == 0 ? null : IdPage.Next(rows.Count, query.Limit, rows[^1].Id));
    }

    /// <summary>Open cases (not resolved or closed) and how many of them breached their SLA, of one team or all.</summary>
    public async Task<CaseCounts> CountsAsync(long workspaceId, string? team = null, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await database.OpenAsync(cancellationToken);
        var counts = await connection.QuerySingleAsync<CaseCountsRow>(new CommandDefinition(
            $"""
            SELECT COUNT(*) AS Open, COALESCE(SUM(CASE WHEN breached_at IS NOT NULL OR next_due_at <= @now THEN 1 ELSE 0 END), 0) AS Breached
            FROM cases WHERE workspace_id = @workspaceId AND status NOT IN ('{CaseStatuses.Resolved}', '{CaseStatuses.Closed}'){(team is null ? "" : " AND team = @team")}
            """,
            new { workspaceId, now, team }, cancellationToken: cancellationToken));
        return new CaseCounts(counts.Open, counts.Breached);
    }

    public static async Task<CaseRow?> RowAsync(DbConnection connection, DbTransaction? transaction, long workspaceId, long id, bool forUpdate = false) =>
        await connection.QuerySingleOrDefaultAsync<CaseRow>(
            $"SELECT {CaseRow.Columns} FROM cases WHERE workspace_id = @workspaceId AND id = @id{(forUpdate && connection is Npgsql.NpgsqlConnection ? " FOR UPDATE" : "")}",
            new { workspaceId, id }, transaction);

    public async Task<CaseDetail?> GetAsync(long workspaceId, long id, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await database.OpenAsync(cancellationToken);
        if (await RowAsync(connection, null, workspaceId, id) is not { } row)
        {
            return null;
        }

        var args = new { workspaceId, id };
        var notes = (await connection.QueryAsync<NoteRow>(
            "SELECT id AS Id, author AS Author, text AS Text, created_at AS CreatedAt FROM case_notes WHERE workspace_id = @workspaceId AND case_id = @id ORDER BY id", args))
            .Select(n => new CaseNote(n.Id, n.Author, n.Text, DateTimeOffset.FromUnixTimeMilliseconds(n.CreatedAt))).ToList();
        var audit = (await connection.QueryAsync<AuditRow>(
            "SELECT id AS Id, actor AS Actor, field AS Field, from_value AS FromValue, to_value AS ToValue, at AS At FROM case_audit WHERE workspace_id = @workspaceId AND case_id = @id ORDER BY id", args))
            .Select(a => new CaseAuditEntry(a.Id, a.Actor, a.Field, a.FromValue, a.ToValue, DateTimeOffset.FromUnixTimeMilliseconds(a.At))).ToList();
        return new CaseDetail(
            row.ToView(now), notes, audit, await ResponseAsync(connection, workspaceId, row.ResponseId), await InteractionsAsync(connection, row),
            await CustomerAsync(connection, workspaceId, row.CustomerId));
    }

    private static async Task<CaseResponse?> ResponseAsync(DbConnection connection, long workspaceId, long? responseId)
    {
        if (responseId is null)
        {
            return null;
        }

        var response = await connection.QuerySingleOrDefaultAsync<ResponseRow>(
            """
            SELECT id AS Id, survey_id AS SurveyId, submitted_at AS SubmittedAt, nps AS Nps, csat AS Csat, ces AS Ces, answers AS Answers, comment AS Comment
            FROM survey_responses WHERE workspace_id = @workspaceId AND id = @responseId
            """,
            new { workspaceId, responseId });
        if (response is null)
        {
            return null;
        }

        var themes = (await connection.QueryAsync<string>(
            "SELECT theme_key FROM text_theme_mentions WHERE workspace_id = @workspaceId AND item_kind = 'response' AND item_id = @responseId ORDER BY theme_key",
            new { workspaceId, responseId })).ToList();
        return new CaseResponse(
            response.Id, response.SurveyId, DateTimeOffset.FromUnixTimeMilliseconds(response.SubmittedAt), (int?)response.Nps, (int?)response.Csat, (int?)response.Ces,
            JsonNode.Parse(response.Answers), response.Comment, themes);
    }

    private static async Task<IReadOnlyList<CaseInteraction>> InteractionsAsync(DbConnection connection, CaseRow row)
    {
        var ids = (await connection.QueryAsync<long>(
            "SELECT target_id FROM case_links WHERE workspace_id = @WorkspaceId AND case_id = @Id AND kind = 'interaction'", new { row.WorkspaceId, row.Id })).ToList();
        if (row.InteractionId is { } own)
        {
            ids.Add(own);
        }

        if (ids.Count == 0)
        {
            return [];
        }

        return (await connection.QueryAsync<InteractionRow>(
            $"""
            SELECT id AS Id, event AS Event, occurred_at AS OccurredAt, touchpoint_id AS TouchpointId, channel AS Channel, outcome AS Outcome
            FROM interactions WHERE workspace_id = @WorkspaceId AND {SqlLists.In(connection, "id", "ids")} ORDER BY occurred_at, id
            """,
            new { row.WorkspaceId, ids = ids.Distinct().ToArray() }))
            .Select(i => new CaseInteraction(i.Id, i.Event, DateTimeOffset.FromUnixTimeMilliseconds(i.OccurredAt), i.TouchpointId, i.Channel, i.Outcome)).ToList();
    }

    private static async Task<CaseCustomer?> CustomerAsync(DbConnection connection, long workspaceId, long? customerId)
    {
        if (customerId is null)
        {
            return null;
        }

        var traits = await connection.QuerySingleOrDefaultAsync<string?>(
            "SELECT traits FROM customers WHERE workspace_id = @workspaceId AND id = @customerId", new { workspaceId, customerId });
        var encoded = await connection.QueryAsync<string>(
            "SELECT identifiers FROM source_records WHERE workspace_id = @workspaceId AND customer_id = @customerId", new { workspaceId, customerId });
        var identifiers = encoded.SelectMany(e => e.Split('\n', StringSplitOptions.RemoveEmptyEntries)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return new CaseCustomer(customerId.Value, NameOf(traits), identifiers);
    }

    /// <summary>The customer's name from the traits sources commonly use.</summary>
    private static string? NameOf(string? traits)
    {
        if (traits is null || JsonNode.Parse(traits) is not JsonObject json)
        {
            return null;
        }

        var name = Customers.ProfileTraitsReader.Text(json, "name", "fullName");
        var parts = new[] { Customers.ProfileTraitsReader.Text(json, "firstName"), Customers.ProfileTraitsReader.Text(json, "lastName") }.Where(p => p is not null);
        return name ?? (parts.Any() ? string.Join(' ', parts) : null);
    }

    private sealed class CaseCountsRow
    {
        public long Open { get; set; }

        public long Breached { get; set; }
    }

    private sealed class NoteRow
    {
        public long Id { get; set; }

        public string Author { get; set; } = "";

        public string Text { get; set; } = "";

        public long CreatedAt { get; set; }
    }

    private sealed class AuditRow
    {
        public long Id { get; set; }

        public string Actor { get; set; } = "";

        public string Field { get; set; } = "";

        public string? FromValue { get; set; }

        public string? ToValue { get; set; }

        public long At { get; set; }
    }

    private sealed class ResponseRow
    {
        public long Id { get; set; }

        public long SurveyId { get; set; }

        public long SubmittedAt { get; set; }

        public long? Nps { get; set; }

        public long? Csat { get; set; }

        public long? Ces { get; set; }

        public string Answers { get; set; } = "{}";

        public string? Comment { get; set; }
    }

    private sealed class InteractionRow
    {
        public long Id { get; set; }

        public string? Event { get; set; }

        public long OccurredAt { get; set; }

        public long? TouchpointId { get; set; }

        public string? Channel { get; set; }

        public string? Outcome { get; set; }
    }
}
