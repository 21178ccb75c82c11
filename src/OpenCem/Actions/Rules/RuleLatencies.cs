using OpenCem.Operations.Telemetry;

namespace OpenCem.Actions.Rules;

/// <summary>
/// The firings of one rule transaction, reported to <see cref="OpenCemTelemetry.RuleLatency"/> only once it committed:
/// a rolled-back batch fired nothing.
/// </summary>
internal sealed class RuleLatencies
{
    private readonly List<(string Trigger, long StoredAt, int Firings)> _fired = [];

    public void Add(RuleSubject subject, int firings)
    {
        if (firings > 0)
        {
            _fired.Add((subject.Trigger, subject.StoredAt, firings));
        }
    }

    /// <summary>Records each firing's latency as of now; returns the number of firings.</summary>
    public int Committed(TimeProvider time)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var total = 0;
        foreach (var (trigger, storedAt, firings) in _fired)
        {
            total += firings;
            if (storedAt > 0)
            {
                var tag = new KeyValuePair<string, object?>("trigger", trigger);
                for (var i = 0; i < firings; i++)
                {
                    OpenCemTelemetry.RuleLatency.Record(Math.Max(0, now - storedAt), tag);
                }
            }
        }

        return total;
    }
}
