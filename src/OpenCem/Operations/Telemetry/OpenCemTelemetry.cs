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
