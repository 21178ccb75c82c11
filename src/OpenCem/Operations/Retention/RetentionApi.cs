using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenCem.Hosting;

namespace OpenCem.Operations.Retention;

public static class RetentionApi
{
    public static RouteGroupBuilder MapRetentionApi(this RouteGroupBuilder api)
    {
        api.MapGet("/retention", async (HttpContext context, RetentionStore store) =>
        {
            var (policy, lastRun) = await store.GetAsync(ApiKeyAuthentication.WorkspaceOf(context.User), context.RequestAborted);
            return TypedResults.Ok(new RetentionAnswer(policy, lastRun));
        }).WithTags("Operations").WithSummary("The workspace's retention policy (days per data kind, null: kept for ever) and what its last pass removed.");
        api.MapPut("/retention", PutAsync).WithTags("Operations")
            .WithSummary("Sets {interactionsDays, commentsDays, personalDataDays}: raw interactions deleted, comment and signal texts emptied, inactive customers erased after that many days; rollups and scores stay.");
        api.MapPost("/retention/run", async (HttpContext context, RetentionWorker worker) =>
            TypedResults.Ok(await worker.RunAsync(ApiKeyAuthentication.WorkspaceOf(context.User), context.RequestAborted)))
            .WithTags("Operations").WithSummary("Applies the policy now instead of at the next scheduled pass; answers what it removed.");
        return api;
    }

    private static async Task<Results<Ok<RetentionAnswer>, ProblemHttpResult>> PutAsync(HttpContext context, RetentionStore store, RetentionPolicy body)
    {
        if (body.Problems() is { Count: > 0 } problems)
        {
            return Problems.Validation(problems);
        }

        var workspaceId = ApiKeyAuthentication.WorkspaceOf(context.User);
        await store.SaveAsync(workspaceId, body, context.RequestAborted);
        var (policy, lastRun) = await store.GetAsync(workspaceId, context.RequestAborted);
        return TypedResults.Ok(new RetentionAnswer(policy, lastRun));
    }
}

public sealed record RetentionAnswer(RetentionPolicy Policy, RetentionRun? LastRun);
