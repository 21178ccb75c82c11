using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Threading.Channels;

namespace OpenCem.SoakBench;

/// <summary>One minute of the soak: every kind's counts and latencies, the server's memory and CPU, and the closed loop's progress (cumulative).</summary>
internal sealed record MinuteRow(
    int Minute, double Seconds, IReadOnlyList<KindMinute> Kinds, double RssMiB, double RssMaxMiB, double RssAnonMiB, double ServerCores, double LoadAverage,
    long Detractors, long CasesDelivered, long RuleCallsDelivered, long ResponsesDelivered, long FlakyRefused);

/// <summary>The server and the clients of the mixed load.</summary>
internal sealed record SoakTargets(
    Uri BaseAddress, int ServerPid, string WriteKey, string AdminKey, HttpClient Dashboard, long SurveyId, WebhookSink Crm, WebhookSink Flaky);

/// <summary>
/// The mixed load, every stream open loop: request <c>i</c> of a stream is due at <c>start + i / rate</c> and goes out
/// then whether or not earlier ones were answered, and its latency counts from that due time, so a stalled server
/// cannot hide its queue (no coordinated omission). Streams: tracking batches at the given events/s; survey responses
/// (a share of them detractors, each opening a case and calling the crm webhook); dashboard reads, API and HTML pages
/// in turn. Every minute a row is taken.
/// </summary>
internal sealed class MixedLoad(SoakOptions options, SoakTargets targets, BatchGenerator generator, double eventsPerSecond)
{
    public const string Tracking = "tracking";
    public const string Response = "response";
    public const string ApiRead = "api-read";
    public const string Page = "page";

    /// <summary>The first batch index of the soak's bodies, far past the capacity measurement's (messageIds never repeat).</summary>
    public const long FirstBatch = 30_000_000;

    private static readonly string[] Comments =
    [
        "The technician came on time and fixed the router.", "Waited 40 minutes on the hotline, nobody could help.",
        "The invoice is wrong again.", "Fast and friendly, thank you!", "The app keeps logging me out.",
        "Price went up without notice, thinking of leaving.", "Great coverage in the mountains.",
    ];

    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly Dictionary<string, KindRecorder> _recorders = new[] { Tracking, Response, ApiRead, Page }
        .ToDictionary(k => k, k => new KindRecorder(k), StringComparer.Ordinal);

    private long _detractors;
    private long _inFlight;

    public static IReadOnlyList<string> Kinds { get; } = [Tracking, Response, ApiRead, Page];

    public IEnumerable<KindRecorder> Recorders => _recorders.Values;

    /// <summary>Detractor responses the server accepted: each must become a case and a crm delivery.</summary>
    public long Detractors => Interlocked.Read(ref _detractors);

    public async Task<List<MinuteRow>> RunAsync(TimeSpan duration, Action<MinuteRow> onRow)
    {
        using var stop = new CancellationTokenSource();
        using var tracking = SoakSetup.Client(targets.BaseAddress, SoakSetup.Basic(targets.WriteKey), 256);
        using var admin = SoakSetup.Client(targets.BaseAddress, SoakSetup.Bearer(targets.AdminKey), 64);
        var batchesPerSecond = eventsPerSecond / options.BatchSize;

        // Bodies are made ahead by a producer (a few seconds' worth), so the sender only takes the next one when due.
        var bodies = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(Math.Max(16, (int)(batchesPerSecond * 3))) { SingleReader = true, SingleWriter = true });
        var producer = Task.Run(async () =>
        {
            var chunk = Math.Max(1, (int)(batchesPerSecond / 4));
            try
            {
                for (var next = FirstBatch; !stop.IsCancellationRequested; next += chunk)
                {
                    foreach (var body in generator.Generate(next, chunk))
                    {
                        await bodies.Writer.WriteAsync(body, stop.Token);
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        });

        var random = new Random(options.Seed);
        long respondent = 0;
        var reads = ReadTargets();
        var streams = new List<Task>
        {
            PacedAsync(batchesPerSecond, async (i, due) =>
            {
                byte[] body;
                try
                {
                    body = await bodies.Reader.ReadAsync(stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                await SendAsync(_recorders[Tracking], due, tracking, () => Post("/v1/batch", body), reply =>
                    reply.Contains("\"success\":true", StringComparison.Ordinal) && !reply.Contains("rejected", StringComparison.Ordinal));
            }, stop.Token),
            PacedAsync(options.ResponsesPerSecond, async (i, due) =>
            {
                bool detractor;
                int nps;
                string comment;
                lock (random)
                {
                    detractor = random.NextDouble() < options.DetractorShare;
                    nps = detractor ? random.Next(0, 7) : random.Next(7, 11);
                    comment = Comments[random.Next(Comments.Length)];
                }

                // A new respondent each time: the rule opens one case per detractor response, never merged into another's.
                var json = $$$"""{"surveyId": {{{targets.SurveyId}}}, "userId": "respondent-{{{Interlocked.Increment(ref respondent):D7}}}", "answers": {"nps": {{{nps}}}, "why": "{{{comment}}}"}}""";
                var ok = await SendAsync(_recorders[Response], due, admin, () => Post("/api/v1/responses", Encoding.UTF8.GetBytes(json)), null);
                if (ok && detractor)
                {
                    Interlocked.Increment(ref _detractors);
                }
            }, stop.Token),
            PacedAsync(options.ReadsPerSecond, async (i, due) =>
            {
                var (path, isPage) = reads[(int)(i % reads.Length)];
                var kind = isPage ? Page : ApiRead;
                var target = path.Replace("{user}", $"user-{i * 7919 % options.Users:D6}", StringComparison.Ordinal);
                await SendAsync(_recorders[kind], due, isPage ? targets.Dashboard : admin, () => new HttpRequestMessage(HttpMethod.Get, target), null);
            }, stop.Token),
        };

        var rows = await SampleAsync(duration, onRow);
        await stop.CancelAsync();
        await Task.WhenAll(streams);
        await producer;
        // Requests still in flight finish (they count in no row; a failure among them still counts as an error).
        var drain = Stopwatch.StartNew();
        while (Interlocked.Read(ref _inFlight) > 0 && drain.Elapsed < TimeSpan.FromSeconds(90))
        {
            await Task.Delay(50);
        }

        return rows;
    }

    /// <summary>Every 5 s the server's memory; every minute a row with the medians of those samples (the rows' minutes count from 1).</summary>
    private async Task<List<MinuteRow>> SampleAsync(TimeSpan duration, Action<MinuteRow> onRow)
    {
        var rows = new List<MinuteRow>();
        var start = Stopwatch.GetTimestamp();
        var minutes = (int)Math.Ceiling(duration.TotalMinutes);
        var cpuBefore = ServerStats.CpuSeconds(targets.ServerPid);
        var rss = new List<double>();
        var anon = new List<double>();
        for (var minute = 1; minute <= minutes; minute++)
        {
            var end = TimeSpan.FromMinutes(Math.Min(minute, duration.TotalMinutes));
            while (Stopwatch.GetElapsedTime(start) < end)
            {
                var left = end - Stopwatch.GetElapsedTime(start);
                await Task.Delay(left < TimeSpan.FromSeconds(5) ? left : TimeSpan.FromSeconds(5));
                if (ServerStats.RssMiB(targets.ServerPid) is var sample && !double.IsNaN(sample))
                {
                    rss.Add(sample);
                }

                if (ServerStats.RssAnonMiB(targets.ServerPid) is var anonymous && !double.IsNaN(anonymous))
                {
                    anon.Add(anonymous);
                }
            }

            var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            var cpu = ServerStats.CpuSeconds(targets.ServerPid);
            var kinds = Kinds.Select(k => _recorders[k].Take()).ToList();
            var row = new MinuteRow(minute, Math.Round(seconds, 1), kinds,
                rss.Count == 0 ? double.NaN : Math.Round(SoakJudge.Median(rss), 1), rss.Count == 0 ? double.NaN : Math.Round(rss.Max(), 1),
                anon.Count == 0 ? double.NaN : Math.Round(SoakJudge.Median(anon), 1),
                Math.Round((cpu - cpuBefore) / (seconds - (rows.Count == 0 ? 0 : rows[^1].Seconds)), 2), ServerStats.LoadAverage(),
                Detractors, targets.Crm.Delivered("case.opened"), targets.Crm.Delivered("rule.fired"), targets.Flaky.Delivered("response.submitted"), targets.Flaky.Refused);
            cpuBefore = cpu;
            rss.Clear();
            anon.Clear();
            rows.Add(row);
            onRow(row);
        }

        return rows;
    }

    /// <summary>The dashboard reads, in turn: API reads with the admin key, HTML pages with the signed-in session.</summary>
    private static (string Path, bool IsPage)[] ReadTargets() =>
    [
        ("/api/v1/analytics/metrics?metric=nps&interval=month", false),
        ("/", true),
        ("/api/v1/customers?q={user}", false),
        ("/cases", true),
        ("/api/v1/cases?limit=50", false),
    ];

    private static HttpRequestMessage Post(string path, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = Json;
        return new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
    }

    /// <summary>Sends one request, reads the whole answer, and records its latency from <paramref name="due"/> or the error.</summary>
    private async Task<bool> SendAsync(KindRecorder recorder, long due, HttpClient client, Func<HttpRequestMessage> request, Func<string, bool>? accepted)
    {
        Interlocked.Increment(ref _inFlight);
        try
        {
            using var message = request();
            using var response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead);
            var reply = await response.Content.ReadAsStringAsync();
            var elapsed = Stopwatch.GetElapsedTime(due).TotalMilliseconds;
            if (!response.IsSuccessStatusCode)
            {
                recorder.Error($"{message.Method} {message.RequestUri}: {(int)response.StatusCode} {Shorten(reply)}");
                return false;
            }

            if (accepted is not null && !accepted(reply))
            {
                recorder.Error($"{message.Method} {message.RequestUri}: accepted with a complaint: {Shorten(reply)}");
                return false;
            }

            recorder.Ok(elapsed);
            return true;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or IOException)
        {
            recorder.Error($"{exception.GetType().Name}: {exception.Message}");
            return false;
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    /// <summary>Calls <paramref name="send"/> for request i at <c>start + i / perSecond</c>, without waiting for earlier ones, until stopped.</summary>
    private static async Task PacedAsync(double perSecond, Func<long, long, Task> send, CancellationToken stop)
    {
        if (perSecond <= 0)
        {
            return;
        }

        var ticksPerRequest = Stopwatch.Frequency / perSecond;
        var start = Stopwatch.GetTimestamp();
        for (long i = 0; !stop.IsCancellationRequested; i++)
        {
            var due = start + (long)(i * ticksPerRequest);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            try
            {
                if (wait > TimeSpan.FromMilliseconds(1))
                {
                    await Task.Delay(wait, stop);
                }

                _ = send(i, due);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "...";
}
