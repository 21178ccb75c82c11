using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OpenCem.Hosting;
using OpenCem.Storage;

namespace OpenCem.Operations;

/// <summary>Counts of a workspace, from counters kept by the writers: constant time, never a table scan.</summary>
public sealed record WorkspaceStats(long Customers, long Interactions, long Touchpoints, long Journeys);

public static class StatsApi
{
    public static RouteGroupBuilder MapStatsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/stats", async (HttpContext context, Database database) =>
            TypedResults.Ok(await ReadAsync(database, ApiKeyAuthentication.WorkspaceOf(context.User), context.RequestAborted)))
            .WithTags("Operations")
            .WithSummary("Counts of customers, interactions, touchpoints and journeys, answered in constant time.");
        return api;
    }

    public static async Task<WorkspaceStats> ReadAsync(Database database, long workspaceId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var counters = (await connection.QueryAsync<(string Name, long Value)>(
            "SELECT name, value FROM workspace_counters WHERE workspace_id = @workspaceId", new { workspaceId }))
            .ToDictionary(c => c.Name, c => c.Value);
        // The catalogue is small by nature (tens to hundreds of rows), so counting it is constant in history size.
        var touchpoints = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM touchpoints WHERE workspace_id = @workspaceId", new { workspaceId });
        var journeys = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM journeys WHERE workspace_id = @workspaceId", new { workspaceId });
        return new WorkspaceStats(counters.GetValueOrDefault("customers"), counters.GetValueOrDefault("interactions"), touchpoints, journeys);
    }
}
