using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenCem.Interactions.Ingestion;
using OpenCem.Storage;

namespace OpenCem.Operations;

public sealed record HealthStatus(string Status, string? Database = null, int? IngestionQueueDepth = null, string? Error = null, int? ResponseQueueDepth = null);

/// <summary>
/// Liveness (the process answers) and readiness: the database answers and neither group-commit queue is nearly full
/// (a saturated instance answers 503 "saturated", so a load balancer sends the next requests elsewhere).
/// </summary>
public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => TypedResults.Ok(new HealthStatus("ok"))).WithTags("Operations").AllowAnonymous();
        app.MapGet("/readyz", async Task<Results<Ok<HealthStatus>, JsonHttpResult<HealthStatus>>> (Database database, IngestionQueue queue, OpenCem.Feedback.Responses.ResponseQueue responses, CancellationToken cancellationToken) =>
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            try
            {
                await using var connection = await database.OpenAsync(timeout.Token);
                await connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT 1", cancellationToken: timeout.Token));
                const int Saturated = IngestionQueue.Capacity * 9 / 10;
                return queue.Depth >= Saturated || responses.Depth >= Saturated
                    ? TypedResults.Json(new HealthStatus("saturated", "ok", queue.Depth, null, responses.Depth), statusCode: 503)
                    : TypedResults.Ok(new HealthStatus("ready", "ok", queue.Depth, null, responses.Depth));
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                return TypedResults.Json(new HealthStatus("unavailable", "unreachable", queue.Depth, exception.Message, responses.Depth), statusCode: 503);
            }
        }).WithTags("Operations").AllowAnonymous();
        return app;
    }
}
