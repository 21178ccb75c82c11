using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OpenCem.Hosting;
using OpenCem.Interactions.Ingestion;
using OpenCem.Workspaces;

namespace OpenCem.Interactions;

/// <summary>One event of a batch that was refused, by its position in the batch.</summary>
public sealed record RejectedEvent(int Index, string Field, string Reason);

/// <summary>The answer to a tracking call: Segment's <c>{"success":true}</c>, plus any refused batch items.</summary>
public sealed record TrackingAccepted(bool Success, IReadOnlyList<RejectedEvent>? Rejected = null);

/// <summary>
/// The Segment HTTP tracking API at the root (<c>/v1/track</c>, ..., <c>/v1/batch</c>). Public collection API:
/// authenticated by write key, answered only after the events are durably committed.
/// </summary>
public static class TrackingApi
{
    public static IEndpointRouteBuilder MapTrackingApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1").WithTags("Tracking (Segment HTTP API)");
        foreach (var type in Enum.GetValues<TrackingCallType>())
        {
            var name = type.ToString().ToLowerInvariant();
            group.MapPost($"/{name}", (HttpContext context, IngestionQueue queue, ApiKeyStore keys, TimeProvider time) =>
                    HandleAsync(context, queue, keys, time, type))
                .WithName($"Tracking{type}")
                .WithSummary($"Segment {name} call")
                .Produces<TrackingAccepted>()
                .ProducesProblem(400).ProducesProblem(401).ProducesProblem(413);
        }

        group.MapPost("/batch", (HttpContext context, IngestionQueue queue, ApiKeyStore keys, TimeProvider time) =>
                HandleAsync(context, queue, keys, time, null))
            .WithName("TrackingBatch")
            .WithSummary("Segment batch call: up to 500 KB of track, identify, page, screen, group and alias calls")
            .Produces<TrackingAccepted>()
            .ProducesProblem(400).ProducesProblem(401).ProducesProblem(413);
        return app;
    }

    private static async Task<IResult> HandleAsync(HttpContext context, IngestionQueue queue, ApiKeyStore keys, TimeProvider time, TrackingCallType? type)
    {
        var limit = type is null ? TrackingEventParser.MaxBatchBytes : TrackingEventParser.MaxEventBytes;
        var what = type is null ? "A batch" : "An event";
        if (context.Request.ContentLength > limit)
        {
            return Problems.Field(413, "$", $"{what} may be at most {limit} bytes; this one is {context.Request.ContentLength} bytes.");
        }

        var body = await RequestBody.ReadAsync(context.Request, limit, context.RequestAborted);
        if (body is null)
        {
            return Problems.Field(413, "$", $"{what} may be at most {limit} bytes.");
        }

        try
        {
            JsonDocument document;
            try
            {
                document = JsonInput.Parse(body.Value.Memory);
            }
            catch (JsonException exception)
            {
                return Problems.Field(400, "$", $"The body is not valid JSON: {exception.Message}");
            }

            using (document)
            {
                if (JsonInput.Problem(document.RootElement, body.Value.Memory.Span) is { } unstorable)
                {
                    return unstorable;
                }

                return await StoreAsync(context, queue, keys, time, type, document.RootElement);
            }
        }
        finally
        {
            body.Value.Return();
        }
    }

    private static async Task<IResult> StoreAsync(HttpContext context, IngestionQueue queue, ApiKeyStore keys, TimeProvider time, TrackingCallType? type, JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return Problems.Field(400, "$", "The body must be a JSON object.");
        }

        var key = ApiKeyAuthentication.ReadKey(context.Request);
        if (key is null && root.TryGetProperty("writeKey", out var bodyKey) && bodyKey.ValueKind == JsonValueKind.String)
        {
            key = bodyKey.GetString();
        }

        if (key is null)
        {
            return Problems.Field(401, "writeKey", "Send the write key as the user name of HTTP Basic authentication, or as \"writeKey\" in the body.");
        }

        var principal = await keys.AuthenticateAsync(key, context.RequestAborted);
        if (principal is null)
        {
            return Problems.Field(401, "writeKey", "Unknown or revoked write key.");
        }

        var receivedAt = time.GetUtcNow();
        var items = new List<IngestionItem>();
        List<RejectedEvent>? rejected = null;
        if (type is { } single)
        {
            if (!TrackingEventParser.TryParse(root, single, receivedAt, null, out var parsed, out var rejection))
            {
                return Problems.Field(400, rejection!.Field, rejection.Reason);
            }

            items.Add(new IngestionItem(principal.WorkspaceId, parsed!));
        }
        else
        {
            if (!root.TryGetProperty("batch", out var batch) || batch.ValueKind != JsonValueKind.Array)
            {
                return Problems.Field(400, "batch", "A batch body needs a \"batch\" array of calls.");
            }

            DateTimeOffset? sentAt = null;
            if (root.TryGetProperty("sentAt", out var sentAtElement) && sentAtElement.ValueKind == JsonValueKind.String
                && sentAtElement.TryGetDateTimeOffset(out var parsedSentAt))
            {
                sentAt = parsedSentAt;
            }

            var index = 0;
            foreach (var call in batch.EnumerateArray())
            {
                if (TrackingEventParser.TryParse(call, null, receivedAt, sentAt, out var parsed, out var rejection))
                {
                    items.Add(new IngestionItem(principal.WorkspaceId, parsed!));
                }
                else
                {
                    (rejected ??= []).Add(new RejectedEvent(index, $"batch[{index}].{rejection!.Field}".Replace(".$", string.Empty, StringComparison.Ordinal), rejection.Reason));
                }

                index++;
            }

            if (items.Count == 0 && rejected is { Count: > 0 })
            {
                return Problems.Field(400, rejected[0].Field, "No call in the batch is valid: " + rejected[0].Reason,
                    extensions: new Dictionary<string, object?> { ["rejected"] = rejected });
            }
        }

        try
        {
            await queue.StoreAsync(items, context.RequestAborted);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return TypedResults.Empty;
        }
        catch (Exception)
        {
            context.Response.Headers.RetryAfter = "1";
            return Problems.Field(503, "$", "The events could not be stored right now; nothing was acknowledged. Retry with the same messageIds.");
        }

        return TypedResults.Ok(new TrackingAccepted(true, rejected));
    }
}

/// <summary>Reads a request body into a pooled buffer, refusing anything over the limit.</summary>
internal static class RequestBody
{
    public readonly record struct Buffer(byte[] Array, int Length)
    {
        public ReadOnlyMemory<byte> Memory => Array.AsMemory(0, Length);

        public void Return() => ArrayPool<byte>.Shared.Return(Array);
    }

    public static async Task<Buffer?> ReadAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        var array = ArrayPool<byte>.Shared.Rent((int)Math.Min(request.ContentLength ?? 16 * 1024, limit) + 1);
        var length = 0;
        while (true)
        {
            if (length == array.Length)
            {
                if (array.Length > limit)
                {
                    ArrayPool<byte>.Shared.Return(array);
                    return null;
                }

                var larger = ArrayPool<byte>.Shared.Rent(Math.Min(array.Length * 2, limit + 1));
                array.AsSpan(0, length).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(array);
                array = larger;
            }

            var read = await request.Body.ReadAsync(array.AsMemory(length), cancellationToken);
            if (read == 0)
            {
                break;
            }

            length += read;
            if (length > limit)
            {
                ArrayPool<byte>.Shared.Return(array);
                return null;
            }
        }

        return new Buffer(array, length);
    }
}
