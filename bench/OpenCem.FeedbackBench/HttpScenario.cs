using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenCem.Hosting;
using OpenCem.Storage;
using OpenCem.Workspaces;

namespace OpenCem.FeedbackBench;

/// <param name="OutsideWindow">Responses acknowledged during the warm-up or after the window (stored, not counted).</param>
internal sealed record MaxResult(
    int Concurrency, double Seconds, long Responses, double ResponsesPerSecond, LatencySummary Latency, int Failed, long OutsideWindow, CpuUse Cpu, GcUse Gc);

internal sealed record PacedResult(
    double TargetPerSecond, double AchievedPerSecond, double Seconds, int Requests, LatencySummary FromSchedule, LatencySummary ServiceTime, int Failed, CpuUse Cpu, GcUse Gc);

internal sealed record HttpResult(int Run, MaxResult Max, PacedResult Paced, long StoredResponses, long SummaryN);

/// <summary>
/// Scenario 2: a real OpenCem server on 127.0.0.1 (in this process, as the ingestion load test runs it) over a database
/// with the known customers; <c>POST /api/v1/responses</c> with the admin key, each a complete response of a known
/// customer with its own responseId. First closed loop (each of N senders posts again as soon as it is answered) for
/// the most responses per second, after a warm-up; then open loop at a fixed rate, latency counted from each
/// request's due time so a server that falls behind cannot hide its queue.
/// </summary>
internal static class HttpScenario
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    public static async Task<HttpResult> RunAsync(BenchDatabases databases, int run, BenchOptions options, List<DatabaseTarget> created)
    {
        var target = await databases.CreateAsync($"feedback_http_{run}");
        created.Add(target);
        PreparedDatabase prepared;
        await using (var setup = new Database(target))
        {
            prepared = await FeedbackData.PrepareAsync(setup, options.Customers);
        }

        var app = await OpenCemServer.CreateAsync(new ServerOptions(target, "http://127.0.0.1:0") { LogLevel = LogLevel.Warning });
        await app.StartAsync();
        try
        {
            var address = new Uri(OpenCemServer.Addresses(app).Single(a => a.StartsWith("http://127.0.0.1:", StringComparison.Ordinal)));
            var key = await app.Services.GetRequiredService<ApiKeyStore>().CreateAsync(prepared.WorkspaceId, "feedback-bench", ApiKeyKind.Admin);
            var authorization = new AuthenticationHeaderValue("Bearer", key.Secret);
            var max = await MaxAsync(address, authorization, prepared, run, options);
            Progress.Log($"  max: {max.ResponsesPerSecond:N0} responses/s with {max.Concurrency} concurrent requests over {max.Seconds:N1} s "
                + $"(p50 {max.Latency.P50:N1} ms, p99 {max.Latency.P99:N1} ms, {max.Failed} failed); cores {max.Cpu.ProcessCores} .NET / {max.Cpu.PostgresCores} PostgreSQL / {max.Cpu.OtherCores} other; "
                + $"CPU per response {max.Cpu.PerEvent(max.Responses)}; target 5,000/s {(max.ResponsesPerSecond >= 5000 ? "met" : "MISSED")}");
            var paced = await PacedAsync(address, authorization, prepared, run, options);
            Progress.Log($"  paced at {paced.TargetPerSecond:N0}/s: achieved {paced.AchievedPerSecond:N0}/s over {paced.Seconds:N1} s; latency from schedule p50 {paced.FromSchedule.P50:N2} ms, "
                + $"p99 {paced.FromSchedule.P99:N2} ms, max {paced.FromSchedule.Max:N1} ms; service time p50 {paced.ServiceTime.P50:N2} / p99 {paced.ServiceTime.P99:N2} ms; {paced.Failed} failed; "
                + $"cores {paced.Cpu.ProcessCores} .NET / {paced.Cpu.PostgresCores} PostgreSQL / {paced.Cpu.OtherCores} other");

            await using var database = new Database(target);
            await using var connection = await database.OpenAsync();
            var stored = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM survey_responses");
            var n = await connection.ExecuteScalarAsync<long>("SELECT coalesce(sum(responses), 0) FROM survey_daily");
            var acknowledged = max.Responses + max.OutsideWindow + paced.Requests - paced.Failed;
            if (stored != n || (max.Failed + paced.Failed == 0 && stored != acknowledged))
            {
                throw new InvalidOperationException($"{acknowledged} responses were acknowledged, the table holds {stored}, the rollup counts {n}.");
            }

            return new HttpResult(run, max, paced, stored, n);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    private static HttpClient Client(Uri address, AuthenticationHeaderValue authorization, int connections)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
        };
        var client = new HttpClient(handler) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = authorization;
        return client;
    }

    private static async Task<bool> PostAsync(HttpClient client, byte[] body, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = Json;
        try
        {
            using var response = await client.PostAsync("api/v1/responses", content, cancellationToken);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task<MaxResult> MaxAsync(Uri address, AuthenticationHeaderValue authorization, PreparedDatabase prepared, int run, BenchOptions options)
    {
        using var client = Client(address, authorization, options.Concurrency);
        var warmup = TimeSpan.FromSeconds(2);
        var measured = TimeSpan.FromSeconds(options.HttpSeconds);
        var start = Stopwatch.GetTimestamp();
        var windowStart = start + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
        var windowEnd = windowStart + (long)(measured.TotalSeconds * Stopwatch.Frequency);
        var latencies = new List<double>[options.Concurrency];
        var failed = 0;
        long outside = 0;
        CpuUse? cpu = null;
        GcUse? gc = null;
        var window = Task.Run(async () =>
        {
            await Task.Delay(Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), windowStart));
            var cpuStart = CpuSample.Take();
            var gcStart = GcUse.Take();
            await Task.Delay(Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), windowEnd));
            cpu = CpuSample.Take().Since(cpuStart);
            gc = GcUse.Since(gcStart);
        });

        async Task SendAsync(int sender)
        {
            var random = new Random(options.Seed + (run * 1000) + sender);
            var mine = latencies[sender] = new List<double>(options.HttpSeconds * 1000);
            for (var n = 0; ; n++)
            {
                var now = Stopwatch.GetTimestamp();
                if (now >= windowEnd)
                {
                    return;
                }

                var body = FeedbackData.RequestBody(prepared.SurveyId, $"max-{run}-{sender}-{n}", random, options.Customers);
                var ok = await PostAsync(client, body, CancellationToken.None);
                var done = Stopwatch.GetTimestamp();
                if (!ok)
                {
                    Interlocked.Increment(ref failed);
                }
                else if (done >= windowStart && done <= windowEnd)
                {
                    mine.Add(Stopwatch.GetElapsedTime(now, done).TotalMilliseconds);
                }
                else
                {
                    Interlocked.Increment(ref outside);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(s => Task.Run(() => SendAsync(s))));
        await window;
        var all = latencies.SelectMany(l => l).ToArray();
        return new MaxResult(options.Concurrency, measured.TotalSeconds, all.Length, Math.Round(all.Length / measured.TotalSeconds), LatencySummary.From(all), failed, outside, cpu!, gc!);
    }

    private static async Task<PacedResult> PacedAsync(Uri address, AuthenticationHeaderValue authorization, PreparedDatabase prepared, int run, BenchOptions options)
    {
        var count = options.Rate * options.HttpSeconds;
        var random = new Random(options.Seed + run);
        var bodies = Enumerable.Range(0, count).Select(i => FeedbackData.RequestBody(prepared.SurveyId, $"paced-{run}-{i}", random, options.Customers)).ToArray();
        using var client = Client(address, authorization, 1024);
        var fromSchedule = new double[count];
        var service = new double[count];
        var ok = new bool[count];
        var inFlight = new List<Task>(count);
        var ticksPerRequest = Stopwatch.Frequency / (double)options.Rate;
        var gc = GcUse.Take();
        var cpu = CpuSample.Take();
        var start = Stopwatch.GetTimestamp();

        async Task SendAsync(int index, long due)
        {
            var sent = Stopwatch.GetTimestamp();
            ok[index] = await PostAsync(client, bodies[index], CancellationToken.None);
            var now = Stopwatch.GetTimestamp();
            fromSchedule[index] = Stopwatch.GetElapsedTime(due, now).TotalMilliseconds;
            service[index] = Stopwatch.GetElapsedTime(sent, now).TotalMilliseconds;
        }

        for (var i = 0; i < count; i++)
        {
            var due = start + (long)(i * ticksPerRequest);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait);
            }

            inFlight.Add(SendAsync(i, due));
        }

        await Task.WhenAll(inFlight);
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        var good = ok.Count(x => x);
        return new PacedResult(options.Rate, Math.Round(good / seconds), Math.Round(seconds, 2), count, LatencySummary.From(fromSchedule), LatencySummary.From(service),
            count - good, CpuSample.Take().Since(cpu), GcUse.Since(gc));
    }
}
