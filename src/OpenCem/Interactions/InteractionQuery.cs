using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Dapper;
using OpenCem.Storage;

namespace OpenCem.Interactions;

/// <summary>An interaction as the API shows it.</summary>
public sealed record InteractionView(
    long Id,
    string MessageId,
    long CustomerId,
    string Type,
    string? Event,
    DateTimeOffset Timestamp,
    DateTimeOffset ReceivedAt,
    string? Touchpoint,
    string? Channel,
    string? Journey,
    string? Stage,
    string? Outcome,
    double? Effort,
    double? Revenue,
    double? Cost,
    JsonElement? Properties,
    JsonElement? Context);

public sealed record InteractionPage(IReadOnlyList<InteractionView> Items, string? NextCursor);

/// <summary>The filters of an interaction listing; newest first, keyset-paged on (timestamp, id).</summary>
public sealed record InteractionFilter(
    long? CustomerId = null, long? TouchpointId = null, string? Channel = null, DateTimeOffset? From = null, DateTimeOffset? To = null,
    (long OccurredAt, long Id)? After = null, int Limit = 100);

/// <summary>Reads interactions with keyset paging, so that page 1000 costs what page 1 costs.</summary>
public sealed class InteractionQuery(Database database)
{
    public static string EncodeCursor(long occurredAt, long id) =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{occurredAt}:{id}")));

    public static bool TryDecodeCursor(string cursor, out (long OccurredAt, long Id) position)
    {
        position = default;
        try
        {
            var parts = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(cursor)).Split(':');
            return parts.Length == 2
                && long.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out position.OccurredAt)
                && long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out position.Id);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    public async Task<InteractionPage> ListAsync(long workspaceId, InteractionFilter filter, CancellationToken cancellationToken = default)
    {
        var where = new List<string> { "i.workspace_id = @workspaceId" };
        var parameters = new DynamicParameters();
        parameters.Add("workspaceId", workspaceId);
        parameters.Add("limit", filter.Limit + 1);
        if (filter.CustomerId is { } customerId)
        {
            where.Add("i.customer_id = @customerId");
            parameters.Add("customerId", customerId);
        }

        if (filter.TouchpointId is { } touchpointId)
        {
            where.Add("i.touchpoint_id = @touchpointId");
            parameters.Add("touchpointId", touchpointId);
        }

        if (filter.Channel is { } channel)
        {
            where.Add("i.channel = @channel");
            parameters.Add("channel", channel);
        }

        if (filter.From is { } from)
        {
            where.Add("i.occurred_at >= @from");
            parameters.Add("from", from.ToUnixTimeMilliseconds());
        }

        if (filter.To is { } to)
        {
            where.Add("i.occurred_at < @to");
            parameters.Add("to", to.ToUnixTimeMilliseconds());
        }

        if (filter.After is { } after)
        {
            where.Add("(i.occurred_at < @afterTime OR (i.occurred_at = @afterTime AND i.id < @afterId))");
            parameters.Add("afterTime", after.OccurredAt);
            parameters.Add("afterId", after.Id);
        }

        var sql = $"""
            SELECT i.id, i.message_id, i.customer_id, i.type, i.event, i.occurred_at, i.received_at, t.key AS touchpoint, i.channel,
                   i.journey_key, i.stage, i.outcome, i.effort, i.revenue, i.cost, i.properties, i.context
            FROM interactions i LEFT JOIN touchpoints t ON t.id = i.touchpoint_id
            WHERE {string.Join(" AND ", where)}
            ORDER BY i.occurred_at DESC, i.id DESC
            LIMIT @limit
            """;
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = (await connection.QueryAsync<Row>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken))).ToList();
        var more = rows.Count > filter.Limit;
        if (more)
        {
            rows.RemoveAt(rows.Count - 1);
        }

        var items = rows.Select(r => r.ToView()).ToList();
        var next = more ? EncodeCursor(rows[^1].Occurred_At, rows[^1].Id) : null;
        return new InteractionPage(items, next);
    }

    private sealed record Row(
        long Id, string Message_Id, long Customer_Id, string Type, string? Event, long Occurred_At, long Received_At, string? Touchpoint,
        string? Channel, string? Journey_Key, string? Stage, string? Outcome, double? Effort, double? Revenue, double? Cost,
        string? Properties, string? Context)
    {
        public InteractionView ToView() => new(
            Id, Message_Id, Customer_Id, Type, Event, DateTimeOffset.FromUnixTimeMilliseconds(Occurred_At),
            DateTimeOffset.FromUnixTimeMilliseconds(Received_At), Touchpoint, Channel, Journey_Key, Stage, Outcome, Effort, Revenue, Cost,
            Json(Properties), Json(Context));

        private static JsonElement? Json(string? text) => text is null ? null : JsonDocument.Parse(text).RootElement.Clone();
    }
}
