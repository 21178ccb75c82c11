using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenCem.Actions.Events;
using OpenCem.Actions.Webhooks;
using OpenCem.Hosting;
using OpenCem.Storage;
using OpenCem.Workspaces;

// Webhook latency and throughput: an event committed to the outbox -> the signed POST at a local receiver.
// Usage: dotnet run -c Release --project bench/OpenCem.WebhookBench -- [sqlite|postgres ...] [--events N]
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
var kinds = args.Where(a => a is "sqlite" or "postgres").DefaultIfEmpty("sqlite").ToList();
var events = args.SkipWhile(a => a != "--events").Skip(1).Select(int.Parse).FirstOrDefault(500);
var machine = MachineInfo.Read();
Console.WriteLine($"Machine: {machine.Cores} cores, {machine.Cpu}, {machine.MemoryGiB} GiB; .NET {Environment.Version}; source {SourceRevision.Read()}");

var arrivals = new ConcurrentDictionary<int, long>();
var receiver = await StartReceiverAsync(arrivals);
Console.WriteLine($"Receiver: Kestrel at {receiver.Url}");

foreach (var kind in kinds)
{
    await using var databases = await BenchDatabases.StartAsync(kind);
    Console.WriteLine($"## {databases.Description}");
    var target = await databases.CreateAsync("webhooks");
    var app = await OpenCemServer.CreateAsync(new ServerOptions(target, "http://127.0.0.1:0")
    {
        LogLevel = LogLevel.Warning,
        Configuration = new Dictionary<string, string?> { ["Webhooks:AllowPrivateNetworks"] = "true" },
    });
    await app.StartAsync();
    var workspace = await app.Services.GetRequiredService<WorkspaceStore>().EnsureDefaultAsync();
    var admin = await app.Services.GetRequiredService<ApiKeyStore>().CreateAsync(workspace.Id, "bench", ApiKeyKind.Admin);
    using var client = new HttpClient { BaseAddress = new Uri(OpenCemServer.Addresses(app).First()) };
    client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", admin.Secret);
    (await client.PostAsJsonAsync("/api/v1/webhooks", new { url = receiver.Url.ToString(), events = new[] { "*" } })).EnsureSuccessStatusCode();
    var database = app.Services.GetRequiredService<Database>();
    var wake = app.Services.GetRequiredService<WebhookWake>();

    // Baseline in the same run: the same receiver, POSTed to directly.
    using (var direct = new HttpClient())
    {
        var baseline = new List<double>();
        for (var i = 0; i < events; i++)
        {
            var started = Stopwatch.GetTimestamp();
            (await direct.PostAsync(receiver.Url, new StringContent("""{"seq":-1}"""))).EnsureSuccessStatusCode();
            baseline.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        Report("direct POST to the receiver (baseline)", baseline, null);
    }

    var seq = 0;
    foreach (var (label, signal) in new[] { ("event committed -> delivered, found by the 200 ms poll", false), ("event committed -> delivered, with the in-process wake", true) })
    {
        arrivals.Clear();
        var committed = new Dictionary<int, long>();
        for (var i = 0; i < events; i++)
        {
            var id = seq++;
            await AppendAsync(database, workspace.Id, id);
            committed[id] = Stopwatch.GetTimestamp();
            if (signal)
            {
                wake.EventsAppended();
            }

            await Task.Delay(10);
        }

        await WaitAsync(arrivals, committed.Keys);
        Report(label, committed.Select(c => Stopwatch.GetElapsedTime(c.Value, arrivals[c.Key]).TotalMilliseconds).ToList(), null);
    }

    // Throughput: a burst of events in transactions of 100, until the last is delivered.
    arrivals.Clear();
    var burst = Enumerable.Range(seq, events * 10).ToList();
    var start = Stopwatch.GetTimestamp();
    foreach (var chunk in burst.Chunk(100))
    {
        await AppendAsync(database, workspace.Id, chunk);
    }

    wake.EventsAppended();
    await WaitAsync(arrivals, burst);
    var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
    Console.WriteLine($"| burst of {burst.Count} events (transactions of 100) | all delivered in {seconds:F2} s | {burst.Count / seconds:F0} deliveries/s |");

    await app.StopAsync();
    await app.DisposeAsync();
}

await receiver.App.StopAsync();
return 0;

static void Report(string label, List<double> ms, string? note)
{
    ms.Sort();
    double P(double q) => ms[Math.Min(ms.Count - 1, (int)Math.Ceiling(q * ms.Count) - 1)];
    Console.WriteLine($"| {label} | n {ms.Count} | p50 {P(0.5):F1} ms | p95 {P(0.95):F1} ms | p99 {P(0.99):F1} ms | max {ms[^1]:F1} ms |{note}");
}

static async Task AppendAsync(Database database, long workspaceId, params int[] seqs)
{
    var now = DateTimeOffset.UtcNow;
    await using var connection = await database.OpenAsync();
    await using var transaction = await connection.BeginTransactionAsync();
    foreach (var seq in seqs)
    {
        await EventOutbox.AppendAsync(connection, transaction, new OutboxEvent(workspaceId, EventTypes.CaseOpened, null, null, $$"""{"seq":{{seq}}}""", now), now.ToUnixTimeMilliseconds());
    }

    await transaction.CommitAsync();
}

static async Task WaitAsync(ConcurrentDictionary<int, long> arrivals, IEnumerable<int> expected)
{
    var deadline = Stopwatch.GetTimestamp() + (Stopwatch.Frequency * 300);
    foreach (var seq in expected)
    {
        while (!arrivals.ContainsKey(seq))
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"Event {seq} was not delivered within 5 minutes.");
            }

            await Task.Delay(5);
        }
    }
}

static async Task<(WebApplication App, Uri Url)> StartReceiverAsync(ConcurrentDictionary<int, long> arrivals)
{
    var builder = WebApplication.CreateSlimBuilder();
    builder.WebHost.UseUrls("http://127.0.0.1:0");
    builder.Logging.ClearProviders();
    var app = builder.Build();
    app.MapPost("/hook", async (HttpContext context) =>
    {
        var at = Stopwatch.GetTimestamp();
        using var document = await JsonDocument.ParseAsync(context.Request.Body);
        var root = document.RootElement;
        var seq = root.TryGetProperty("data", out var data) ? data.GetProperty("seq").GetInt32() : root.GetProperty("seq").GetInt32();
        if (seq >= 0)
        {
            arrivals.TryAdd(seq, at);
        }

        return Results.Ok();
    });
    await app.StartAsync();
    var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    return (app, new Uri(new Uri(address), "/hook"));
}
