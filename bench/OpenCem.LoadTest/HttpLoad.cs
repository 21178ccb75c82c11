using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace OpenCem.LoadTest;

/// <summary>One throughput segment of the "max" phase: events <c>FromEvent</c> to <c>ToEvent</c> of the run.</summary>
internal sealed record Segment(long FromEvent, long ToEvent, double Seconds, double EventsPerSecond, LatencySummary Latency, CpuUse? Cpu, double? WalMiB);

internal sealed record MaxPhaseResult(
    long Events, int Requests, int Connections, double Seconds, double EventsPerSecond, LatencySummary Latency,
    IReadOnlyList<Segment> Segments, int Retries, int Failed, bool TimedOut, CpuUse Cpu)
{
    /// <summary>Why the phase stopped before storing every body (disk nearly full, ...), or null.</summary>
    public string? StopReason { get; init; }

    /// <summary>The largest SQLite write-ahead log seen during the phase, in MiB (null for PostgreSQL).</summary>
    public double? MaxWalMiB { get; init; }

    /// <summary>Per-request completion times (seconds from the start), in completion order; not written to JSON.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public double[] CompletionSeconds { get; init; } = [];

    /// <summary>Events per second over the first <paramref name="events"/> events (to compare with a raw run of that size).</summary>
    public double RateOverFirst(long events, int batch)
    {
        var requests = (int)Math.Min(CompletionSeconds.Length, events / batch);
        return requests == 0 ? double.NaN : requests * (double)batch / CompletionSeconds[requests - 1];
    }
}

internal sealed record PacedPhaseResult(
    double TargetEventsPerSecond, double AchievedEventsPerSecond, double Seconds, int Requests, long Events,
    LatencySummary LatencyFromSchedule, LatencySummary ServiceTime, int Failed, CpuUse Cpu);

/// <summary>HTTP senders against the server on loopback: closed-loop "as fast as possible" and open-loop paced.</summary>
internal sealed class HttpLoad(Uri baseAddress, string writeKey)
{
    private const int MaxAttempts = 5;
    private const int MaxFailedRequests = 100;

    private readonly AuthenticationHeaderValue _authorization =
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(writeKey + ":")));

    private static readonly MediaTypeHeaderValue Json = new("application/json");

    public HttpClient CreateClient(int maxConnections)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = maxConnections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(10),
        };
        var client = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(120) };
        client.DefaultRequestHeaders.Authorization = _authorization;
        return client;
    }

    /// <summary>Sends one body; true when the server answered 200. The response body is read and returned when asked.</summary>
    public async Task<(bool Ok, string? Body)> PostAsync(HttpClient client, byte[] body, bool readBody, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = Json;
        using var response = await client.PostAsync("v1/batch", content, cancellationToken);
        var text = readBody || response.StatusCode != HttpStatusCode.OK ? await response.Content.ReadAsStringAsync(cancellationToken) : null;
        return (response.StatusCode == HttpStatusCode.OK, text);
    }

    /// <summary>
    /// Closed loop: <paramref name="connections"/> senders post the bodies in order, each as soon as its previous request
    /// was answered, until every body is acknowledged (or <paramref name="limit"/> passes). Retries a refused request
    /// a few times (the same messageIds, so nothing is stored twice).
    /// </summary>
    public async Task<MaxPhaseResult> RunMaxAsync(
        byte[][] bodies, int batch, int connections, long segmentEvents, TimeSpan limit, Action<long, double> progress,
        Func<string?>? stopReason = null, Func<double?>? walMiB = null)
    {
        using var client = CreateClient(connections);
        using var timeout = new CancellationTokenSource(limit);
        var completion = new long[bodies.Length];
        var latency = new double[bodies.Length];
        var next = -1;
        var completed = 0;
        var retries = 0;
        var failed = 0;
        var cpuStart = CpuSample.Take();
        var cpuMarks = new System.Collections.Concurrent.ConcurrentDictionary<long, CpuSample>();
        var walMarks = new System.Collections.Concurrent.ConcurrentDictionary<long, double?>();
        string? stoppedBecause = null;
        double? maxWal = null;
        var start = Stopwatch.GetTimestamp();

        // Watches the machine once a second: stops the phase by itself before the disk fills up.
        using var monitorStop = new CancellationTokenSource();
        var monitor = Task.Run(async () =>
        {
            while (!monitorStop.IsCancellationRequested && !timeout.IsCancellationRequested)
            {
                if (walMiB?.Invoke() is { } wal)
                {
                    maxWal = Math.Max(maxWal ?? 0, wal);
                }

                if (stopReason?.Invoke() is { } reason)
                {
                    stoppedBecause = reason;
                    await timeout.CancelAsync();
                    return;
                }

                try
                {
                    await Task.Delay(1000, monitorStop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        });

        async Task SenderAsync()
        {
            while (!timeout.IsCancellationRequested)
            {
                var index = Interlocked.Increment(ref next);
                if (index >= bodies.Length)
                {
                    return;
                }

                var sent = Stopwatch.GetTimestamp();
                var ok = false;
                for (var attempt = 1; attempt <= MaxAttempts && !ok; attempt++)
                {
                    try
                    {
                        (ok, _) = await PostAsync(client, bodies[index], readBody: false, timeout.Token);
                    }
                    catch (HttpRequestException)
                    {
                        ok = false;
                    }
                    catch (OperationCanceledException) when (timeout.IsCancellationRequested)
                    {
                        return;
                    }

                    if (!ok && attempt < MaxAttempts)
                    {
                        Interlocked.Increment(ref retries);
                        await Task.Delay(100 * attempt, CancellationToken.None);
                    }
                }

                var now = Stopwatch.GetTimestamp();
                if (!ok)
                {
                    if (Interlocked.Increment(ref failed) >= MaxFailedRequests)
                    {
                        await timeout.CancelAsync();
                    }

                    continue;
                }

                var slot = Interlocked.Increment(ref completed) - 1;
                completion[slot] = now - start;
                latency[slot] = Stopwatch.GetElapsedTime(sent, now).TotalMilliseconds;
                var events = (long)(slot + 1) * batch;
                if (events % segmentEvents == 0)
                {
                    cpuMarks[events / segmentEvents] = CpuSample.Take();
                    walMarks[events / segmentEvents] = walMiB?.Invoke();
                    progress(events, Stopwatch.GetElapsedTime(start, now).TotalSeconds);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => Task.Run(SenderAsync)));
        await monitorStop.CancelAsync();
        await monitor;
        var elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
        var cpuEnd = CpuSample.Take();
        var cpu = cpuEnd.Since(cpuStart);

        var done = completed;
        var seconds = completion.Take(done).Select(t => (double)t / Stopwatch.Frequency).ToArray();
        var segments = new List<Segment>();
        var perSegment = (int)(segmentEvents / batch);
        for (var from = 0; from < done; from += perSegment)
        {
            var to = Math.Min(done, from + perSegment);
            var begin = from == 0 ? 0 : seconds[from - 1];
            var span = seconds[to - 1] - begin;
            var index = segments.Count;
            var first = index == 0 ? cpuStart : cpuMarks.GetValueOrDefault(index);
            var last = cpuMarks.TryGetValue(index + 1, out var mark) ? mark : cpuEnd;
            segments.Add(new Segment((long)from * batch, (long)to * batch, Math.Round(span, 2),
                Math.Round((to - from) * (double)batch / span), LatencySummary.From(latency.AsSpan(from, to - from)),
                first.Timestamp == 0 ? null : last.Since(first), walMarks.GetValueOrDefault(index + 1) is { } w ? Math.Round(w) : null));
        }

        var totalEvents = (long)done * batch;
        var wall = done > 0 ? seconds[done - 1] : elapsed;
        return new MaxPhaseResult(totalEvents, done, connections, Math.Round(wall, 2), Math.Round(totalEvents / wall),
            LatencySummary.From(latency.AsSpan(0, done)), segments, retries, failed, timeout.IsCancellationRequested && done < bodies.Length, cpu)
        {
            CompletionSeconds = seconds,
            StopReason = stoppedBecause,
            MaxWalMiB = maxWal is { } m ? Math.Round(m) : null,
        };
    }

    /// <summary>
    /// Open loop: request <c>i</c> is due at <c>start + i / rate</c> and is sent then, whether or not earlier ones were
    /// answered; its latency counts from the due time, so a stalled server cannot hide its queue (no coordinated omission).
    /// </summary>
    public async Task<PacedPhaseResult> RunPacedAsync(byte[][] bodies, int batch, double requestsPerSecond, int maxConnections)
    {
        using var client = CreateClient(maxConnections);
        var fromSchedule = new double[bodies.Length];
        var service = new double[bodies.Length];
        var ok = new bool[bodies.Length];
        var inFlight = new List<Task>(bodies.Length);
        var ticksPerRequest = Stopwatch.Frequency / requestsPerSecond;
        // Bounded: a server that stops answering cannot make this wait forever.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(bodies.Length / requestsPerSecond + 120));
        var cpuStart = CpuSample.Take();
        var start = Stopwatch.GetTimestamp();

        async Task SendAsync(int index, long due)
        {
            var sent = Stopwatch.GetTimestamp();
            try
            {
                (ok[index], _) = await PostAsync(client, bodies[index], readBody: false, timeout.Token);
            }
            catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException)
            {
                ok[index] = false;
            }

            var now = Stopwatch.GetTimestamp();
            fromSchedule[index] = Stopwatch.GetElapsedTime(due, now).TotalMilliseconds;
            service[index] = Stopwatch.GetElapsedTime(sent, now).TotalMilliseconds;
        }

        for (var i = 0; i < bodies.Length && !timeout.IsCancellationRequested; i++)
        {
            var due = start + (long)(i * ticksPerRequest);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait, CancellationToken.None);
            }

            inFlight.Add(SendAsync(i, due));
        }

        await Task.WhenAll(inFlight);
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        var cpu = CpuSample.Take().Since(cpuStart);
        var sentCount = inFlight.Count;
        var good = ok.Take(sentCount).Count(x => x);
        return new PacedPhaseResult(
            Math.Round(requestsPerSecond * batch), Math.Round(good * (double)batch / seconds), Math.Round(seconds, 2), sentCount, (long)good * batch,
            LatencySummary.From(fromSchedule.AsSpan(0, sentCount)), LatencySummary.From(service.AsSpan(0, sentCount)), sentCount - good, cpu);
    }
}
