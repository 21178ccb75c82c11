using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenCem.Hosting;

namespace OpenCem.Actions.Webhooks;

public sealed record WebhookCreated(long Id, string Url, string? Description, IReadOnlyList<string> Events, bool Enabled, DateTimeOffset CreatedAt, string Secret);

/// <summary>A webhook after PUT; <paramref name="Secret"/> only when it was rotated (shown only here).</summary>
public sealed record WebhookUpdated(
    long Id, string Url, string? Description, IReadOnlyList<string> Events, bool Enabled, DateTimeOffset CreatedAt,
    DateTimeOffset? PreviousSecretValidUntil, string? Secret);

public sealed record WebhookList(IReadOnlyList<Webhook> Webhooks);

public sealed record DeliveryPage(IReadOnlyList<WebhookDelivery> Deliveries, string? NextCursor);

/// <summary>Management API: webhook subscriptions, their deliveries (the dead-letter list is status=dead) and redelivery.</summary>
public static class WebhooksApi
{
    // Public: the dashboard's webhook form checks the same limits.
    public const int MaxUrlLength = 2048;
    public const int MaxDescriptionLength = 500;
    public const int MaxEventTypes = 50;

    /// <summary>A rotation's grace period: a day unless the request says otherwise, at most a week.</summary>
    public const int DefaultGraceMinutes = 24 * 60;
    public const int MaxGraceMinutes = 7 * 24 * 60;

    public static RouteGroupBuilder MapWebhooksApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/webhooks").WithTags("Webhooks");
        group.MapPost("", CreateAsync)
            .WithSummary("Subscribes a receiver: {url, events: [\"case.opened\", \"case.*\", \"*\"], description?}; the answer holds the signing secret, shown only here.");
        group.MapGet("", ListAsync).WithSummary("The workspace's webhooks (without their secrets).");
        group.MapGet("/{id:long}", GetAsync).WithSummary("One webhook (without its secret).");
        group.MapPut("/{id:long}", UpdateAsync)
            .WithSummary("Replaces a webhook's {url, events, description?, enabled? (false pauses it)}; rotateSecret: true makes a new secret (in the answer, only there) while the previous one keeps signing for secretGraceMinutes (default 1440, 0 to stop at once).");
        group.MapDelete("/{id:long}", DeleteAsync).WithSummary("Deletes a webhook and its deliveries.");
        group.MapGet("/{id:long}/deliveries", DeliveriesAsync)
            .WithSummary("A webhook's deliveries, newest first; status=pending|delivering|delivered|failed|dead (dead: the dead-letter list), cursor, limit.");
        group.MapPost("/deliveries/{id:long}/redeliver", RedeliverAsync).WithSummary("Sends a delivery again now, dead ones too.");
        return api;
    }

    private static async Task<Results<Created<WebhookCreated>, ProblemHttpResult>> CreateAsync(
        HttpContext context, WebhookStore store, WebhookUrls urls, JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return Problems.Field(StatusCodes.Status400BadRequest, "body", "Send a JSON object {url, events, description?}.");
        }

        var errors = new Dictionary<string, string[]>();
        var url = Text(body, "url", MaxUrlLength, required: true, errors);
        var description = Text(body, "description", MaxDescriptionLength, required: false, errors);
        var events = EventTypes(body, errors);
        if (url is not null && await urls.CheckAsync(url, context.RequestAborted) is { } problem)
        {
            errors["url"] = [problem];
        }

        if (errors.Count > 0 || url is null)
        {
            return Problems.Validation(errors);
        }

        var (webhook, secret) = await store.CreateAsync(ApiKeyAuthentication.WorkspaceOf(context.User), url, description, events, context.RequestAborted);
        return TypedResults.Created(
            $"/api/v1/webhooks/{webhook.Id}",
            new WebhookCreated(webhook.Id, webhook.Url, webhook.Description, webhook.Events, webhook.Enabled, webhook.CreatedAt, secret));
    }

    private static async Task<Results<Ok<WebhookUpdated>, NotFound, ProblemHttpResult>> UpdateAsync(
        HttpContext context, WebhookStore store, WebhookUrls urls, long id, JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return Problems.Field(StatusCodes.Status400BadRequest, "body", "Send a JSON object {url, events, description?, enabled?, rotateSecret?, secretGraceMinutes?}.");
        }

        var errors = new Dictionary<string, string[]>();
        var url = Text(body, "url", MaxUrlLength, required: true, errors);
        var description = Text(body, "description", MaxDescriptionLength, required: false, errors);
        var events = EventTypes(body, errors);
        var enabled = Flag(body, "enabled", true, errors);
        var rotate = Flag(body, "rotateSecret", false, errors);
        var grace = DefaultGraceMinutes;
        if (body.TryGetProperty("secretGraceMinutes", out var graceValue) && graceValue.ValueKind != JsonValueKind.Null
            && !(graceValue.ValueKind == JsonValueKind.Number && graceValue.TryGetInt32(out grace) && grace is >= 0 and <= MaxGraceMinutes))
        {
            errors["secretGraceMinutes"] = [$"must be a whole number of minutes from 0 to {MaxGraceMinutes}."];
        }

        if (url is not null && await urls.CheckAsync(url, context.RequestAborted) is { } problem)
        {
            errors["url"] = [problem];
        }

        if (errors.Count > 0 || url is null)
        {
            return Problems.Validation(errors);
        }

        var update = new WebhookUpdate(url, description, events, enabled, rotate ? TimeSpan.FromMinutes(grace) : null);
        if (await store.UpdateAsync(ApiKeyAuthentication.WorkspaceOf(context.User), id, update, context.RequestAborted) is not { } updated)
        {
            return TypedResults.NotFound();
        }

        var (webhook, secret) = updated;
        return TypedResults.Ok(new WebhookUpdated(
            webhook.Id, webhook.Url, webhook.Description, webhook.Events, webhook.Enabled, webhook.CreatedAt, webhook.PreviousSecretValidUntil, secret));
    }

    private static async Task<Ok<WebhookList>> ListAsync(HttpContext context, WebhookStore store) =>
        TypedResults.Ok(new WebhookList(await store.ListAsync(ApiKeyAuthentication.WorkspaceOf(context.User), context.RequestAborted)));

    private static async Task<Results<Ok<Webhook>, NotFound>> GetAsync(HttpContext context, WebhookStore store, long id) =>
        await store.GetAsync(ApiKeyAuthentication.WorkspaceOf(context.User), id, context.RequestAborted) is { } webhook
            ? TypedResults.Ok(webhook)
            : TypedResults.NotFound();

    private static async Task<Results<NoContent, NotFound>> DeleteAsync(HttpContext context, WebhookStore store, long id) =>
        await store.DeleteAsync(ApiKeyAuthentication.WorkspaceOf(context.User), id, context.RequestAborted) ? TypedResults.NoContent() : TypedResults.NotFound();

    private static async Task<Results<Ok<DeliveryPage>, NotFound, ProblemHttpResult>> DeliveriesAsync(
        HttpContext context, WebhookStore store, WebhookDeliveries deliveries, long id, string? status, string? cursor, string? limit)
    {
        var workspaceId = ApiKeyAuthentication.WorkspaceOf(context.User);
        var errors = new Dictionary<string, string[]>();
        if (status is not null && !DeliveryStatus.All.Contains(status))
        {
            errors["status"] = [$"must be one of {string.Join(", ", DeliveryStatus.All)}."];
        }

        long? before = null;
        if (cursor is not null)
        {
            before = long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed > 0 ? parsed : null;
            if (before is null)
            {
                errors["cursor"] = ["Not a cursor from a previous page's nextCursor."];
            }
        }

        var pageSize = 50;
        if (limit is not null && !(int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) && pageSize is >= 1 and <= 500))
        {
            errors["limit"] = ["must be a whole number from 1 to 500."];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        if (await store.GetAsync(workspaceId, id, context.RequestAborted) is null)
        {
            return TypedResults.NotFound();
        }

        var page = await deliveries.ListAsync(workspaceId, id, status, before, pageSize, context.RequestAborted);
        var next = page.Count == pageSize ? page[^1].Id.ToString(CultureInfo.InvariantCulture) : null;
        return TypedResults.Ok(new DeliveryPage(page, next));
    }

    private static async Task<Results<Accepted<WebhookDelivery>, NotFound, ProblemHttpResult>> RedeliverAsync(
        HttpContext context, WebhookDeliveries deliveries, WebhookWake wake, long id)
    {
        var workspaceId = ApiKeyAuthentication.WorkspaceOf(context.User);
        if (await deliveries.GetAsync(workspaceId, id, context.RequestAborted) is null)
        {
            return TypedResults.NotFound();
        }

        if (!await deliveries.RedeliverAsync(workspaceId, id, context.RequestAborted))
        {
            return Problems.Field(StatusCodes.Status409Conflict, "id", "An attempt of this delivery is in flight; redeliver it once it has ended.");
        }

        wake.DeliveriesDue();
        var delivery = await deliveries.GetAsync(workspaceId, id, context.RequestAborted);
        return TypedResults.Accepted($"/api/v1/webhooks/{delivery!.WebhookId}/deliveries", delivery);
    }

    private static string? Text(JsonElement body, string field, int maxLength, bool required, Dictionary<string, string[]> errors)
    {
        if (!body.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                errors[field] = ["is required."];
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.String || value.GetString() is not { } text || string.IsNullOrWhiteSpace(text))
        {
            errors[field] = ["must be a non-empty string."];
            return null;
        }

        if (text.Length > maxLength)
        {
            errors[field] = [$"must be at most {maxLength} characters."];
            return null;
        }

        return text.Trim();
    }

    private static bool Flag(JsonElement body, string field, bool absent, Dictionary<string, string[]> errors)
    {
        if (!body.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return absent;
        }

        if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            errors[field] = ["must be true or false."];
            return absent;
        }

        return value.GetBoolean();
    }

    private static List<string> EventTypes(JsonElement body, Dictionary<string, string[]> errors)
    {
        if (!body.TryGetProperty("events", out var value) || value.ValueKind != JsonValueKind.Array || value.GetArrayLength() is 0 or > MaxEventTypes)
        {
            errors["events"] = [$"must be an array of 1 to {MaxEventTypes} event types, such as [\"case.opened\"], [\"case.*\"] or [\"*\"]."];
            return [];
        }

        var events = new List<string>();
        var index = 0;
        foreach (var element in value.EnumerateArray())
        {
            var problem = element.ValueKind == JsonValueKind.String && element.GetString() is { } type
                ? WebhookEventTypes.Check(type)
                : "must be a string.";
            if (problem is null)
            {
                events.Add(element.GetString()!);
            }
            else
            {
                errors[$"events[{index}]"] = [problem];
            }

            index++;
        }

        return events.Distinct().ToList();
    }
}
