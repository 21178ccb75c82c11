using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenCem.Hosting;
using OpenCem.Storage;

namespace OpenCem.Actions.Rules;

public sealed record HelpOfferView(long Id, long CustomerId, string Channel, string Message, long? RuleId, long? TouchpointId, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt);

public sealed record HelpOfferList(IReadOnlyList<HelpOfferView> Offers);

/// <summary>
/// Where a channel (the web site, the app, the chat) fetches the help offers rules made for a customer: the unexpired
/// ones, newest first. Fetching marks them fetched; they are shown again until they expire, so a reload does not lose them.
/// </summary>
public static class HelpOffersApi
{
    public static RouteGroupBuilder MapHelpOffersApi(this RouteGroupBuilder api)
    {
        api.MapGet("/help-offers", ListAsync).WithTags("Rules").WithSummary("The unexpired help offers for a customer (?customer=ID) on a channel (?channel=web).");
        return api;
    }

    private static async Task<Results<Ok<HelpOfferList>, ProblemHttpResult>> ListAsync(HttpContext context, Database database, TimeProvider time, long? customer, string? channel)
    {
        if (customer is not > 0)
        {
            return Problems.Validation("customer", "the customer's id.");
        }

        var ws = ApiKeyAuthentication.WorkspaceOf(context.User);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await database.OpenAsync(context.RequestAborted);
        var rows = (await connection.QueryAsync<OfferRow>(
            $"""
            SELECT id AS Id, customer_id AS CustomerId, channel AS Channel, message AS Message, rule_id AS RuleId, touchpoint_id AS TouchpointId,
                   created_at AS CreatedAt, expires_at AS ExpiresAt
            FROM help_offers
            WHERE workspace_id = @ws AND customer_id = @customer {(channel is null ? "" : "AND channel = @channel")} AND (expires_at IS NULL OR expires_at > @now)
            ORDER BY id DESC LIMIT 20
            """,
            new { ws, customer, channel, now })).ToList();
        if (rows.Count > 0)
        {
            await connection.ExecuteAsync(
                $"UPDATE help_offers SET fetched_at = @now WHERE fetched_at IS NULL AND {SqlLists.In(connection, "id", "ids")}", new { now, ids = rows.Select(r => r.Id).ToArray() });
        }

        return TypedResults.Ok(new HelpOfferList(rows.Select(r => new HelpOfferView(
            r.Id, r.CustomerId, r.Channel, r.Message, r.RuleId, r.TouchpointId, DateTimeOffset.FromUnixTimeMilliseconds(r.CreatedAt),
            r.ExpiresAt is { } expires ? DateTimeOffset.FromUnixTimeMilliseconds(expires) : null)).ToList()));
    }

    private sealed class OfferRow
    {
        public long Id { get; set; }

        public long CustomerId { get; set; }

        public string Channel { get; set; } = "";

        public string Message { get; set; } = "";

        public long? RuleId { get; set; }

        public long? TouchpointId { get; set; }

        public long CreatedAt { get; set; }

        public long? ExpiresAt { get; set; }
    }
}
