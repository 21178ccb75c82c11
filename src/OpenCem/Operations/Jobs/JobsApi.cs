using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace OpenCem.Operations.Jobs;

public static class JobsApi
{
    public static RouteGroupBuilder MapJobsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/operations/jobs", async (JobLeases leases, CancellationToken cancellationToken) =>
            TypedResults.Ok(new JobLeasesAnswer(leases.Holder, await leases.ListAsync(cancellationToken))))
            .WithTags("Operations")
            .WithSummary("Which server process runs each background job (rollups, text analysis, rules, fits...), and until when its lease holds.");
        return api;
    }
}

/// <summary>The answering process (<paramref name="Process"/>) and every background job's lease.</summary>
public sealed record JobLeasesAnswer(string Process, IReadOnlyList<JobLease> Jobs);
