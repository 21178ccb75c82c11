using Microsoft.Extensions.Logging;
using OpenCem.Hosting;

namespace OpenCem.Operations.Retention;

/// <summary>Applies every workspace's retention policy on schedule (one server process at a time: a leased job).</summary>
public sealed partial class RetentionWorker(RetentionStore store, RetentionPurge purge, RetentionOptions options, TimeProvider time, ILogger<RetentionWorker> logger)
    : PassWorker
{
    /// <summary>Runs the policy of one workspace now (the API's "run now"), after any pass in progress.</summary>
    public Task<RetentionRun> RunAsync(long workspaceId, CancellationToken cancellationToken) => ExclusiveAsync(async () =>
    {
        var (policy, _) = await store.GetAsync(workspaceId, cancellationToken);
        return await ApplyAsync(workspaceId, policy, cancellationToken);
    }, cancellationToken);

    protected override async Task ScheduledPassAsync(CancellationToken cancellationToken)
    {
        await ExclusiveAsync(async () =>
        {
            foreach (var (workspaceId, policy) in await store.ActiveAsync(cancellationToken))
            {
                var run = await ApplyAsync(workspaceId, policy, cancellationToken);
                if (run.InteractionsDeleted + run.CommentsEmptied + run.SignalsEmptied + run.CustomersErased > 0)
                {
                    LogPurged(workspaceId, run.InteractionsDeleted, run.CommentsEmptied + run.SignalsEmptied, run.CustomersErased);
                }
            }

            return 0;
        }, cancellationToken);
    }

    private async Task<RetentionRun> ApplyAsync(long workspaceId, RetentionPolicy policy, CancellationToken cancellationToken)
    {
        var run = await purge.RunAsync(workspaceId, policy, cancellationToken);
        await store.RecordRunAsync(workspaceId, run, cancellationToken);
        return run;
    }

    protected override Task WaitForNextPassAsync(CancellationToken cancellationToken) => Task.Delay(options.Interval, time, cancellationToken);

    protected override void PassFailed(Exception exception) => LogPassFailed(exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention in workspace {WorkspaceId}: {Interactions} interactions deleted, {Texts} texts emptied, {Customers} inactive customers erased")]
    private partial void LogPurged(long workspaceId, long interactions, long texts, long customers);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A retention pass failed; retrying at the next interval")]
    private partial void LogPassFailed(Exception exception);
}
