using Microsoft.Extensions.Logging;
using OpenCem.Actions.Events;
using OpenCem.Actions.Webhooks;
using OpenCem.Hosting;

namespace OpenCem.Actions.Rules;

/// <summary>
/// Runs <see cref="RuleEngine"/> in the background: at once when a write in this process appends to the outbox
/// (<see cref="OutboxWake"/>), soon when rows are waiting to settle, else every <see cref="PollInterval"/> (for rows written by
/// other server processes, interactions and schedules).
/// </summary>
public sealed partial class RuleWorker(RuleEngine engine, OutboxWake wake, WebhookWake webhooks, TimeProvider time, ILogger<RuleWorker> logger) : PassWorker
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan SettleInterval = TimeSpan.FromMilliseconds(20);

    public Task<int> RunOnceAsync(CancellationToken cancellationToken = default) => ExclusiveAsync(() => engine.RunOnceAsync(cancellationToken), cancellationToken);

    protected override async Task ScheduledPassAsync(CancellationToken cancellationToken)
    {
        if (await RunOnceAsync(cancellationToken) is > 0 and var fired)
        {
            // Firings appended case.opened and rule.fired events: the webhook worker takes them now, not at its next poll.
            webhooks.EventsAppended();
            LogFired(fired);
        }
    }

    protected override Task WaitForNextPassAsync(CancellationToken cancellationToken) =>
        wake.WaitAsync(engine.Unsettled ? SettleInterval : PollInterval, time, cancellationToken);

    protected override void PassFailed(Exception exception) => LogPassFailed(exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Rules fired {Count} times")]
    private partial void LogFired(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A rule pass failed; retrying shortly")]
    private partial void LogPassFailed(Exception exception);
}
