using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace OpenCem.Operations.Telemetry;

/// <summary>
/// OpenCem's own meter and activity source (both named <c>OpenCem</c>). Instruments cost next to nothing until a
/// listener (the OpenTelemetry SDK when an OTLP endpoint is configured, or <c>dotnet-counters</c>) subscribes.
/// </summary>
public static class OpenCemTelemetry
{
    public const string Name = "OpenCem";

    public static readonly ActivitySource Source = new(Name);

    public static readonly Meter Meter = new(Name);

    /// <summary>Items (tracking events, survey responses) durably committed, tagged with the queue.</summary>
    public static readonly Counter<long> CommittedItems = Meter.CreateCounter<long>(
        "opencem.queue.items.committed", "{item}", "Items durably committed by a group-commit queue (tracking events, survey responses).");

    public static readonly Histogram<double> CommitDuration = Meter.CreateHistogram<double>(
        "opencem.queue.commit.duration", "ms", "Time of one group commit: one transaction and one fsync for everything waiting.");

    public static readonly Counter<long> FailedRequests = Meter.CreateCounter<long>(
        "opencem.queue.requests.failed", "{request}", "Requests whose items could not be stored (answered with an error; the client retries).");

    public static readonly Histogram<double> RuleLatency = Meter.CreateHistogram<double>(
        "opencem.rules.latency", "ms", "From the triggering record stored (a response, an interaction, a case event) or the schedule's due time to the rule's firing committed with its actions, tagged with the trigger.");

    public static readonly Counter<long> RuleFailures = Meter.CreateCounter<long>(
        "opencem.rules.failures", "{failure}", "Rule evaluations or actions that failed at run time; a rule is paused after repeated failures.");

    public static readonly Counter<long> WebhookAttempts = Meter.CreateCounter<long>(
        "opencem.webhooks.attempts", "{attempt}", "Webhook delivery attempts, tagged outcome (delivered, failed: retried on schedule, dead: retries used up).");

    public static readonly Counter<long> WebhookFailures = Meter.CreateCounter<long>(
        "opencem.webhooks.failures", "{attempt}", "Failed webhook delivery attempts, tagged reason (timeout, connection, http_4xx, http_5xx, refused).");

    public static readonly Histogram<double> WebhookDuration = Meter.CreateHistogram<double>(
        "opencem.webhooks.duration", "ms", "Time of one webhook delivery attempt, from sending to the receiver's answer or the failure.");

    private static readonly ConcurrentDictionary<object, (string Queue, Func<int> Depth)> Queues = new();

    static OpenCemTelemetry()
    {
        Meter.CreateObservableGauge("opencem.queue.depth", ObserveQueues, "{request}", "Requests waiting for a commit, per queue.");
    }

    /// <summary>Reports the queue's depth until <see cref="Unwatch"/>; several servers in one process report each their own.</summary>
    public static void Watch(object queue, string name, Func<int> depth) => Queues[queue] = (name, depth);

    public static void Unwatch(object queue) => Queues.TryRemove(queue, out _);

    private static IEnumerable<Measurement<int>> ObserveQueues() =>
        Queues.Values.GroupBy(q => q.Queue).Select(g => new Measurement<int>(g.Sum(q => q.Depth()), new KeyValuePair<string, object?>("queue", g.Key)));
}
