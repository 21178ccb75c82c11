namespace OpenCem.SoakBench;

/// <summary>One kind of request in one minute: how many, how many failed, latency of the successful ones.</summary>
internal sealed record KindMinute(string Kind, int Count, int Errors, LatencySummary Latency);

/// <summary>
/// The requests of one kind (tracking, response, api read, page): latencies of the running minute, errors, and the
/// first few distinct error messages of the run. Latency counts from the request's due time on the send schedule.
/// </summary>
internal sealed class KindRecorder(string kind)
{
    private const int KeptMessages = 5;
    private readonly Lock _gate = new();
    private List<double> _latencies = [];
    private int _errors;
    private long _totalErrors;
    private long _total;

    public string Kind { get; } = kind;

    public List<string> FirstErrors { get; } = [];

    public long TotalErrors
    {
        get
        {
            lock (_gate)
            {
                return _totalErrors;
            }
        }
    }

    public long Total
    {
        get
        {
            lock (_gate)
            {
                return _total;
            }
        }
    }

    public void Ok(double milliseconds)
    {
        lock (_gate)
        {
            _latencies.Add(milliseconds);
            _total++;
        }
    }

    public void Error(string message)
    {
        lock (_gate)
        {
            _errors++;
            _totalErrors++;
            _total++;
            // The first few distinct messages, with when each was first seen: one cause usually repeats thousands of times.
            if (FirstErrors.Count < KeptMessages && !FirstErrors.Any(e => e.EndsWith(message, StringComparison.Ordinal)))
            {
                FirstErrors.Add($"{DateTime.UtcNow:HH:mm:ss} {message}");
            }
        }
    }

    /// <summary>The minute so far, and a fresh minute begins.</summary>
    public KindMinute Take()
    {
        List<double> latencies;
        int errors;
        lock (_gate)
        {
            latencies = _latencies;
            _latencies = new List<double>(Math.Max(16, latencies.Count));
            errors = _errors;
            _errors = 0;
        }

        return new KindMinute(Kind, latencies.Count + errors, errors, LatencySummary.From(latencies.ToArray()));
    }
}
