using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenCem.Customers;
using OpenCem.Demo;
using OpenCem.Hosting;
using OpenCem.Interactions;
using OpenCem.Interactions.Ingestion;
using OpenCem.Storage;
using OpenCem.Workspaces;

namespace OpenCem.IdentityBench;

internal sealed record ProfilePageResult(
    long CustomerId, long Interactions, int Records, int ProfileBytes, double WriteSeconds, int Calls,
    LatencySummary Profile, LatencySummary Timeline, LatencySummary ProfileInProcess, LatencySummary TimelineInProcess, CpuUse Cpu)
{
    /// <summary>The aggregate over the customer's interactions that the profile's value and life cycle come from, alone.</summary>
    public LatencySummary? Aggregate { get; init; }

    /// <summary>Profile requests during which this process (server and client) collected garbage, and their pauses in all.</summary>
    public int ProfileRequestsWithGc { get; init; }

    public double ProfileGcPauseMs { get; init; }

    /// <summary>The profile requests without a collection.</summary>
    public LatencySummary? ProfileWithoutGc { get; init; }
}

/// <summary>
/// A customer with a long history: an identify naming the e-mail of an imported crm customer (so the userId joins
/// that profile) and track calls up to the wanted number of interactions, parsed as the tracking API parses them and
/// stored through <see cref="InteractionWriter"/>. Then the real server on 127.0.0.1 answers
/// <c>GET /api/v1/customers/{id}</c> and <c>/timeline?limit=50</c> with an admin key, one request at a time.
/// </summary>
internal static class ProfilePagePhase
{
    private const int WarmUp = 20;
    private const int WriteBatch = 500;

    public static async Task<ProfilePageResult> RunAsync(DatabaseTarget target, long workspaceId, string email, int events, int calls)
    {
        const string userId = "idb-timeline-customer";
        var writeSeconds = await WriteHistoryAsync(target, workspaceId, userId, email, events);

        var app = await OpenCemServer.CreateAsync(new ServerOptions(target, "http://127.0.0.1:0") { LogLevel = LogLevel.Warning });
        await app.StartAsync();
        try
        {
            var address = OpenCemServer.Addresses(app).Single(a => a.StartsWith("http://127.0.0.1:", StringComparison.Ordinal));
            var key = await app.Services.GetRequiredService<ApiKeyStore>().CreateAsync(workspaceId, "identity-bench", ApiKeyKind.Admin);
            var database = app.Services.GetRequiredService<Database>();
            long customerId;
            await using (var connection = await database.OpenAsync())
            await using (var command = connection.CreateCommand())
            {
                command.CommandText = $"SELECT customer_id FROM customer_identities WHERE workspace_id = {workspaceId} AND kind = 'userId' AND value = '{userId}'";
                customerId = Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
            }

            using var client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = Timeout.InfiniteTimeSpan }) { BaseAddress = new Uri(address + "/") };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.Secret);
            var profileUrl = $"api/v1/customers/{customerId}";
            var timelineUrl = $"api/v1/customers/{customerId}/timeline?limit=50";

            var (body, _) = await GetAsync(client, profileUrl);
            using var profile = JsonDocument.Parse(body);
            var interactions = profile.RootElement.GetProperty("value").GetProperty("interactions").GetInt64();
            var records = profile.RootElement.GetProperty("records").GetArrayLength();
            var (timelineBody, _) = await GetAsync(client, timelineUrl);
            using (var timeline = JsonDocument.Parse(timelineBody))
            {
                if (timeline.RootElement.GetProperty("items").GetArrayLength() != 50)
                {
                    throw new InvalidOperationException("The timeline did not answer 50 items.");
                }
            }

            for (var i = 0; i < WarmUp; i++)
            {
                await GetAsync(client, profileUrl);
                await GetAsync(client, timelineUrl);
            }

            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            var cpu = CpuSample.Take();
            var profileTimes = new double[calls];
            var withGc = new bool[calls];
            var pausedBefore = GC.GetTotalPauseDuration();
            for (var i = 0; i < calls; i++)
            {
                var collections = GC.CollectionCount(0);
                profileTimes[i] = (await GetAsync(client, profileUrl)).Ms;
                withGc[i] = GC.CollectionCount(0) != collections;
            }

            var paused = (GC.GetTotalPauseDuration() - pausedBefore).TotalMilliseconds;

            var timelineTimes = new double[calls];
            for (var i = 0; i < calls; i++)
            {
                timelineTimes[i] = (await GetAsync(client, timelineUrl)).Ms;
            }

            var used = CpuSample.Take().Since(cpu);

            // The same reads without HTTP and JSON, to split the time.
            var profiles = app.Services.GetRequiredService<CustomerProfiles>();
            var query = app.Services.GetRequiredService<InteractionQuery>();
            var direct = new double[calls];
            var directTimeline = new double[calls];
            for (var i = 0; i < calls; i++)
            {
                var start = Stopwatch.GetTimestamp();
                _ = await profiles.GetAsync(workspaceId, customerId) ?? throw new InvalidOperationException("The profile is gone.");
                direct[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                start = Stopwatch.GetTimestamp();
                await profiles.ResolveIdAsync(workspaceId, customerId);
                await query.ListAsync(workspaceId, new InteractionFilter(CustomerId: customerId, Limit: 50));
                directTimeline[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }

            // The aggregate of CustomerProfiles.ValueAsync (count, sums, first and last, purchases) over the customer's index range.
            var aggregate = new double[calls];
            await using (var connection = await database.OpenAsync())
            {
                for (var i = 0; i < calls; i++)
                {
                    var start = Stopwatch.GetTimestamp();
                    await using var command = connection.CreateCommand();
                    command.CommandText = $"""
                        SELECT count(*), sum(revenue), sum(cost), min(occurred_at), max(occurred_at),
                               min(CASE WHEN event IN ('Order Completed', 'Contract Signed') THEN occurred_at END),
                               max(CASE WHEN event IN ('Contract Cancelled') THEN occurred_at END)
                        FROM interactions WHERE workspace_id = {workspaceId} AND customer_id = {customerId}
                        """;
                    await using (var reader = await command.ExecuteReaderAsync())
                    {
                        await reader.ReadAsync();
                    }

                    aggregate[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                }
            }

            return new ProfilePageResult(customerId, interactions, records, body.Length, writeSeconds, calls,
                LatencySummary.From(profileTimes), LatencySummary.From(timelineTimes), LatencySummary.From(direct), LatencySummary.From(directTimeline), used)
            {
                Aggregate = LatencySummary.From(aggregate),
                ProfileRequestsWithGc = withGc.Count(g => g),
                ProfileGcPauseMs = Math.Round(paused, 1),
                ProfileWithoutGc = LatencySummary.From(profileTimes.Where((_, i) => !withGc[i]).ToArray()),
            };
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    private static async Task<(string Body, double Ms)> GetAsync(HttpClient client, string url)
    {
        var start = Stopwatch.GetTimestamp();
        using var response = await client.GetAsync(url, HttpCompletionOption.ResponseContentRead);
        var body = await response.Content.ReadAsStringAsync();
        var ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"GET {url} answered {(int)response.StatusCode}: {body}");
        }

        return (body, ms);
    }

    /// <summary>Stores the identify and the track calls through the ingestion writer, in batches of 500; returns the seconds it took.</summary>
    private static async Task<double> WriteHistoryAsync(DatabaseTarget target, long workspaceId, string userId, string email, int events)
    {
        await using var database = new Database(target);
        var store = new CatalogueStore(database, TimeProvider.System);
        foreach (var journey in DemoCompany.Journeys)
        {
            await store.SaveJourneyAsync(workspaceId, journey);
        }

        foreach (var touchpoint in DemoCompany.Touchpoints)
        {
            await store.SaveTouchpointAsync(workspaceId, touchpoint);
        }

        var cache = new CatalogueCache(store, TimeProvider.System);
        await cache.RefreshAsync([workspaceId], CancellationToken.None);
        var calls = Calls(userId, email, events);
        var started = Stopwatch.GetTimestamp();
        await using (var writer = InteractionWriter.Create(database, cache.Get, TimeProvider.System))
        {
            foreach (var batch in calls.Chunk(WriteBatch))
            {
                await writer.WriteAsync(batch.Select(e => new IngestionItem(workspaceId, e)).ToList(), CancellationToken.None);
            }
        }

        return Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    /// <summary>An identify, then track calls over the last two years, oldest first, as the tracking API parses them.</summary>
    private static List<TrackingEvent> Calls(string userId, string email, int count)
    {
        var names = DemoCompany.Touchpoints.SelectMany(t => t.Events).Distinct().ToArray();
        var random = new Random(7);
        var now = DateTimeOffset.UtcNow;
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            for (var i = 0; i < count; i++)
            {
                var at = now.AddMinutes(-(count - i) * (2 * 365 * 24 * 60.0 / count));
                w.WriteStartObject();
                w.WriteString("type", i == 0 ? "identify" : "track");
                w.WriteString("messageId", Guid.NewGuid().ToString());
                w.WriteString("userId", userId);
                w.WriteString("timestamp", at.ToString("O", CultureInfo.InvariantCulture));
                if (i == 0)
                {
                    w.WriteStartObject("traits");
                    w.WriteString("email", email);
                    w.WriteString("plan", "Kombi");
                    w.WriteEndObject();
                }
                else
                {
                    w.WriteString("event", names[random.Next(names.Length)]);
                    w.WriteStartObject("properties");
                    w.WriteString("outcome", random.NextDouble() switch { < 0.7 => "success", < 0.9 => "failure", _ => "abandoned" });
                    w.WriteNumber("effort", random.Next(1, 6));
                    if (random.NextDouble() < 0.1)
                    {
                        w.WriteNumber("revenue", Math.Round(random.NextDouble() * 100, 2));
                    }

                    w.WriteEndObject();
                }

                w.WriteStartObject("context");
                w.WriteStartObject("library");
                w.WriteString("name", "analytics.js");
                w.WriteString("version", "5.2.0");
                w.WriteEndObject();
                w.WriteString("locale", "de-DE");
                w.WriteEndObject();
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        var receivedAt = DateTimeOffset.UtcNow;
        var events = new List<TrackingEvent>(count);
        foreach (var call in document.RootElement.EnumerateArray())
        {
            if (!TrackingEventParser.TryParse(call, null, receivedAt, null, out var parsed, out var rejection))
            {
                throw new InvalidOperationException($"Invalid generated call: {rejection!.Field}: {rejection.Reason}");
            }

            events.Add(parsed!);
        }

        return events;
    }
}
