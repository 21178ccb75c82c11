using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenCem.Interactions.Ingestion;
using OpenCem.Storage;

namespace OpenCem.Operations;

public sealed record HealthStatus(string Status, string? Database = null, int? IngestionQueueDepth = null, string? Error = null);

/// <summary>Liveness (the process answers) and readiness (the database answers too).</summary>
public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => TypedResults.Ok(new HealthStatus("ok"))).WithTags("Operations").AllowAnonymous();
        app.MapGet("/readyz", async Task<Results<Ok<HealthStatus>, JsonHttpResult<HealthStatus>>> (Database database, IngestionQueue queue, CancellationToken cancellationToken) =>
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            try
            {
                await using var connection = await database.OpenAsync(timeout.Token);
                await connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT 1", cancellationToken: timeout.Token));
                return TypedResults.Ok(new HealthStatus("ready", "ok", queue.Depth));
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                return TypedResults.Json(new HealthStatus("unavailable", "unreachable", queue.Depth, exception.Message), statusCode: 503);
            }
        }).WithTags("Operations").AllowAnonymous();
        return app;
    }
}
