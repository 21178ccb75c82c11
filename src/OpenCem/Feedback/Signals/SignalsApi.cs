using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenCem.Actions.Events;
using OpenCem.Customers;
using OpenCem.Feedback.Responses;
using OpenCem.Hosting;
using OpenCem.Interactions;
using OpenCem.Storage;
using OpenCem.Text;
using OpenCem.Text.Pipeline;

namespace OpenCem.Feedback.Signals;

public sealed record SignalStored(long Id, long? CustomerId, bool Duplicate);

public sealed record SignalsStored(IReadOnlyList<SignalStored> Signals);

public sealed record SignalView(
    long Id, string Source, string Text, string? Title, double? Rating, double? RatingMax, long? CustomerId, string? Url, string? Language,
    long? TouchpointId, string? ExternalId, JsonObject? Properties, DateTimeOffset OccurredAt, DateTimeOffset ReceivedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] TextAnalysisView? Analysis = null);

public sealed record SignalPage(IReadOnlyList<SignalView> Signals, string? NextCursor);

/// <summary>Management API: unsolicited feedback (reviews, social posts, complaints ...) linked to the customer.</summary>
public static class SignalsApi
{
    public const int MaxPerRequest = 1000;

    public static RouteGroupBuilder MapSignalsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/signals", PostAsync).WithTags("Signals")
            .WithSummary("Stores one signal or an array: {source, text, rating?, customer identifiers, url?, timestamp?, externalId?}.");
        api.MapGet("/signals", ListAsync).WithTags("Signals").WithSummary("Signals, newest first, optionally of one source or customer.");
        return api;
    }

    private static async Task<Results<Ok<SignalsStored>, ProblemHttpResult>> PostAsync(
        HttpContext context, IdentityService identity, RespondentLookup lookup, CatalogueCache catalogue, Database database, TimeProvider time, TextWake wake, OutboxWake outboxWake,
        JsonElement body)
    {
        var workspaceId = ApiKeyAuthentication.WorkspaceOf(context.User);
        var settings = await identity.GetSettingsAsync(workspaceId, context.RequestAborted);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var errors = new Dictionary<string, string[]>();
        var signals = new List<Signal>();
        if (body.ValueKind == JsonValueKind.Array)
        {
            if (body.GetArrayLength() is 0 or > MaxPerRequest)
            {
                return Problems.Field(StatusCodes.Status422UnprocessableEntity, "body", $"Send 1 to {MaxPerRequest} signals per request.");
            }

            var index = 0;
            foreach (var element in body.EnumerateArray())
            {
                if (SignalReader.Read(element, settings, now, errors, $"[{index++}].") is { } signal)
                {
                    signals.Add(signal);
                }
            }
        }
        else if (SignalReader.Read(body, settings, now, errors) is { } signal)
        {
            signals.Add(signal);
        }

        await catalogue.RefreshAsync([workspaceId], context.RequestAborted);
        var touchpoints = catalogue.Get(workspaceId);
        foreach (var (signal, i) in signals.Select((s, i) => (s, i)).Where(x => x.s.Touchpoint is not null && touchpoints.Find(x.s.Touchpoint) is null))
        {
            errors[body.ValueKind == JsonValueKind.Array ? $"[{i}].touchpoint" : "touchpoint"] = [$"no touchpoint has the key \"{signal.Touchpoint}\"."];
        }

        // All or nothing: a request with one bad signal stores none, so a corrected retry cannot double the good ones.
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var customers = await CustomersOfAsync(database, lookup, workspaceId, signals, context.RequestAborted);
        var stored = new List<SignalStored>();
        await using var connection = await database.OpenAsync(context.RequestAborted);
        await using var transaction = await connection.BeginTransactionAsync(context.RequestAborted);
        foreach (var signal in signals)
        {
            long? customer = customers.TryGetValue(signal.Customer, out var c) ? c : null;
            var id = await connection.ExecuteScalarAsync<long?>(
                """
                INSERT INTO signals (workspace_id, source, external_id, customer_id, text, title, rating, rating_max, url, language, touchpoint_id, properties, occurred_at, received_at)
                VALUES (@workspaceId, @Source, @ExternalId, @customer, @Text, @Title, @Rating, @RatingMax, @Url, @Language, @touchpoint, @properties, @OccurredAt, @now)
                ON CONFLICT DO NOTHING RETURNING id
                """,
                new
                {
                    workspaceId,
                    signal.Source,
                    signal.ExternalId,
                    customer,
                    signal.Text,
                    signal.Title,
                    signal.Rating,
                    signal.RatingMax,
                    signal.Url,
                    signal.Language,
                    touchpoint = signal.Touchpoint is null ? null : touchpoints.Find(signal.Touchpoint)?.Id,
                    properties = signal.Properties?.ToJsonString(),
                    signal.OccurredAt,
                    now,
                },
                transaction);
            if (id is null)
            {
                var existing = await connection.QuerySingleAsync<(long Id, long? CustomerId)>(
                    "SELECT id, customer_id FROM signals WHERE workspace_id = @workspaceId AND source = @Source AND external_id = @ExternalId",
                    new { workspaceId, signal.Source, signal.ExternalId }, transaction);
                stored.Add(new SignalStored(existing.Id, existing.CustomerId, true));
            }
            else
            {
                stored.Add(new SignalStored(id.Value, customer, false));
                await EventOutbox.AppendAsync(connection, transaction, new OutboxEvent(
                    workspaceId, EventTypes.SignalReceived, customer, id.Value,
                    JsonSerializer.Serialize(new { signalId = id.Value, signal.Source, signal.Rating, signal.RatingMax, signal.Text, signal.Title, signal.Touchpoint, customerId = customer }, JsonSerializerOptions.Web),
                    DateTimeOffset.FromUnixTimeMilliseconds(signal.OccurredAt)), now);
            }
        }

        await transaction.CommitAsync(context.RequestAborted);
        wake.Wake();
        outboxWake.Wake();
        return TypedResults.Ok(new SignalsStored(stored));
    }

    private static async Task<Dictionary<Respondent, long>> CustomersOfAsync(Database database, RespondentLookup lookup, long workspaceId, List<Signal> signals, CancellationToken cancellationToken)
    {
        var respondents = signals.Select(s => s.Customer).Where(r => !r.IsAnonymous).Distinct().ToList();
        await using var connection = await database.OpenAsync(cancellationToken);
        var found = await RespondentLookup.FindAsync(connection, null, workspaceId, respondents);
        var unknown = respondents.Where(r => !found.ContainsKey(r)).ToList();
        if (unknown.Count == 0)
        {
            return found;
        }

        await lookup.CreateProfilesAsync(workspaceId, unknown, cancellationToken);
        return await RespondentLookup.FindAsync(connection, null, workspaceId, respondents);
    }

    private static async Task<Results<Ok<SignalPage>, ProblemHttpResult>> ListAsync(
        HttpContext context, Database database, string? source, string? customerId, string? cursor, string? limit)
    {
        var workspaceId = ApiKeyAuthentication.WorkspaceOf(context.User);
        var errors = new Dictionary<string, string[]>();
        var (after, pageSize) = InteractionsApi.ParsePage(cursor, limit, 100, errors);
        string? sourceKey = null;
        if (source is not null && !SignalReader.Sources.TryGetValue(source, out sourceKey))
        {
            errors["source"] = ["must be review, social, complaint, email, chat or call-transcript."];
        }

        long? customer = null;
        if (customerId is not null)
        {
            customer = long.TryParse(customerId, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
            if (customer is null)
            {
                errors["customerId"] = ["must be a customer id (a whole number)."];
            }
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        await using var connection = await database.OpenAsync(context.RequestAborted);
        var rows = (await connection.QueryAsync<SignalRow>(
            $"""
            SELECT id, source, text, title, rating, rating_max, customer_id, url, language, touchpoint_id, external_id, properties, occurred_at, received_at
            FROM signals WHERE workspace_id = @workspaceId
            {(sourceKey is null ? "" : "AND source = @sourceKey")} {(customer is null ? "" : "AND customer_id = @customer")}
            {(after is null ? "" : "AND (occurred_at < @at OR (occurred_at = @at AND id < @id))")}
            ORDER BY occurred_at DESC, id DESC LIMIT @pageSize
            """,
            new { workspaceId, sourceKey, customer, at = after?.OccurredAt, id = after?.Id, pageSize })).ToList();
        var next = rows.Count == pageSize ? InteractionQuery.EncodeCursor(rows[^1].Occurred_At, rows[^1].Id) : null;
        var analyses = await StoredAnalyses.ForItemsAsync(connection, workspaceId, TextItemKind.Signal, rows.Select(r => r.Id).ToList());
        return TypedResults.Ok(new SignalPage(rows.Select(r => r.ToView() with { Analysis = analyses.GetValueOrDefault(r.Id) }).ToList(), next));
    }

    private sealed class SignalRow
    {
        public long Id { get; set; }

        public string Source { get; set; } = "";

        public string Text { get; set; } = "";

        public string? Title { get; set; }

        public double? Rating { get; set; }

        public double? Rating_Max { get; set; }

        public long? Customer_Id { get; set; }

        public string? Url { get; set; }

        public string? Language { get; set; }

        public long? Touchpoint_Id { get; set; }

        public string? External_Id { get; set; }

        public string? Properties { get; set; }

        public long Occurred_At { get; set; }

        public long Received_At { get; set; }

        public SignalView ToView() => new(
            Id, Source, Text, Title, Rating, Rating_Max, Customer_Id, Url, Language, Touchpoint_Id, External_Id,
            Properties is null ? null : JsonNode.Parse(Properties) as JsonObject, DateTimeOffset.FromUnixTimeMilliseconds(Occurred_At),
            DateTimeOffset.FromUnixTimeMilliseconds(Received_At));
    }
}
