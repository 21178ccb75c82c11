using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenCem.Hosting;

namespace OpenCem.Interactions;

/// <summary>Management API: reading interactions.</summary>
public static class InteractionsApi
{
    public const int MaxLimit = 1000;

    public static RouteGroupBuilder MapInteractionsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/interactions", ListAsync)
            .WithTags("Interactions")
            .WithSummary("Interactions, newest first, keyset-paged: pass the answer's nextCursor as cursor for the next page.");
        return api;
    }

    private static async Task<Results<Ok<InteractionPage>, ProblemHttpResult>> ListAsync(
        HttpContext context, InteractionQuery query, CatalogueStore catalogue,
        string? customerId, string? touchpoint, string? channel, string? from, string? to, string? cursor, string? limit)
    {
        var workspaceId = ApiKeyAuthentication.WorkspaceOf(context.User);
        var errors = new Dictionary<string, string[]>();
        var fromTime = ParseTime(from, "from", errors);
        var toTime = ParseTime(to, "to", errors);
        var (after, pageSize) = ParsePage(cursor, limit, 100, errors);

        long? customer = null;
        if (customerId is not null)
        {
            if (long.TryParse(customerId, NumberStyles.None, CultureInfo.InvariantCulture, out var parsedCustomer))
            {
                customer = parsedCustomer;
            }
            else
            {
                errors["customerId"] = ["Must be a customer id (a whole number)."];
            }
        }

        long? touchpointId = null;
        if (touchpoint is not null)
        {
            var found = await catalogue.FindTouchpointAsync(workspaceId, touchpoint, context.RequestAborted);
            if (found is null)
            {
                errors["touchpoint"] = [$"No touchpoint has the key \"{touchpoint}\"."];
            }
            else
            {
                touchpointId = found.Id;
            }
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var filter = new InteractionFilter(customer, touchpointId, channel?.ToLowerInvariant(), fromTime, toTime, after, pageSize);
        return TypedResults.Ok(await query.ListAsync(workspaceId, filter, context.RequestAborted));
    }

    /// <summary>The keyset position and page size of a listing; problems go into <paramref name="errors"/> by field.</summary>
    public static ((long OccurredAt, long Id)? After, int Limit) ParsePage(string? cursor, string? limit, int defaultLimit, Dictionary<string, string[]> errors)
    {
        (long, long)? after = null;
        if (cursor is not null)
        {
            if (InteractionQuery.TryDecodeCursor(cursor, out var position))
            {
                after = position;
            }
            else
            {
                errors["cursor"] = ["Not a cursor from a previous page's nextCursor."];
            }
        }

        var pageSize = defaultLimit;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize is < 1 or > MaxLimit))
        {
            errors["limit"] = [$"Must be a whole number between 1 and {MaxLimit}."];
        }

        return (after, pageSize);
    }

    public static DateTimeOffset? ParseTime(string? text, string field, Dictionary<string, string[]> errors)
    {
        if (text is null)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
        {
            return value;
        }

        errors[field] = ["Must be an ISO-8601 date or date-time, e.g. 2026-01-31 or 2026-01-31T12:00:00Z."];
        return null;
    }
}
