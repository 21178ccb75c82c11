using System.Diagnostics;
using System.Globalization;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using OpenCem.Analytics.Journeys;
using OpenCem.Analytics.Ladder;
using OpenCem.Demo;
using OpenCem.Interactions;
using OpenCem.Storage;
using OpenCem.Workspaces;

// Journey and ladder endpoints over the demo company (20,000 customers: about a million interactions) against the same
// answer computed from the raw rows in the same run, and the journey worker's catch-up throughput.
// Usage: dotnet run -c Release --project bench/OpenCem.InsightBench -- [sqlite|postgres] [customers] [runs]
var db = args.Length > 0 ? args[0] : "sqlite";
var customers = args.Length > 1 && db != "profile" ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20_000;
var runs = args.Length > 2 && db != "profile" ? int.Parse(args[2], CultureInfo.InvariantCulture) : 30;
if (db == "profile")
{
    // Times the parts of a journey query over an existing SQLite database: dotnet run ... -- profile FILE
    await using var existing = new Database(DatabaseTarget.Parse(args[1]));
    var store = new CatalogueStore(existing, TimeProvider.System);
    var query = new JourneyQuery(existing, store, new JourneyOptions());
    var repair = (await query.FindAsync(1, args.Length > 2 ? args[2] : DemoCompany.FaultRepair))!;
    foreach (var (name, profiled) in new[]
    {
        ("all", new JourneyQueryOptions(null, null, [])),
        ("channel:sms (no touchpoint: no feedback query)", new JourneyQueryOptions(null, null, [new AnalyticsFilter("channel", "sms")])),
        ("channel:field", new JourneyQueryOptions(null, null, [new AnalyticsFilter("channel", "field")])),
        ("trait.plan:broadband", new JourneyQueryOptions(null, null, [new AnalyticsFilter("trait.plan", "broadband")])),
    })
    {
        await query.GetAsync(1, repair, profiled);
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < 10; i++)
        {
            await query.GetAsync(1, repair, profiled);
        }

        Console.WriteLine($"{name}: {watch.Elapsed.TotalMilliseconds / 10:N1} ms");
    }

    await using var connection = await existing.OpenAsync();
    foreach (var sql in new[]
    {
        "SELECT stage AS Stage, CAST(sum(entered) AS BIGINT) AS Entered FROM journey_stage_daily WHERE workspace_id = @w AND journey_key = @j AND day >= @f AND day < @t GROUP BY stage",
        "SELECT stage AS Stage, bucket AS Bucket, CAST(sum(instances) AS BIGINT) AS Instances FROM journey_wait_daily WHERE workspace_id = @w AND journey_key = @j AND day >= @f AND day < @t GROUP BY stage, bucket",
        "SELECT path AS Path, CAST(sum(instances) AS BIGINT) AS Instances FROM journey_path_daily WHERE workspace_id = @w AND journey_key = @j AND day >= @f AND day < @t GROUP BY path",
    })
    {
        var watch = Stopwatch.StartNew();
        var rows = (await connection.QueryAsync(sql, new { w = 1L, j = DemoCompany.FaultRepair, f = long.MinValue / 2, t = long.MaxValue / 2 })).Count();
        Console.WriteLine($"{rows} rows in {watch.Elapsed.TotalMilliseconds:N1} ms: {sql[..60]}");
    }

    return 0;
}

var machine = MachineInfo.Read();
Console.WriteLine($"# Insight benchmark: {db}, {customers:N0} demo customers, {runs} runs; {machine.Cores} cores, {machine.Cpu}, {machine.MemoryGiB:N1} GiB; source {SourceRevision.Read()}");

await using var databases = await BenchDatabases.StartAsync(db);
var target = await databases.CreateAsync("insight");
await using var database = new Database(target);
await SchemaMigrator.MigrateAsync(database);
var workspace = await new WorkspaceStore(database).EnsureDefaultAsync();
var time = TimeProvider.System;
var load = await new DemoLoader(database, time).LoadAsync(workspace.Id, new DemoOptions(customers, 42, new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero)));
Console.WriteLine($"Demo load (projections included): {load.Interactions:N0} interactions, {load.Responses:N0} responses in {load.Elapsed.TotalSeconds:N1} s");

// Worker catch-up: drop what the load projected and project everything again from the start.
await using (var connection = await database.OpenAsync())
{
    await connection.ExecuteAsync("DELETE FROM journey_instances; DELETE FROM journey_stage_daily; DELETE FROM journey_wait_daily; DELETE FROM journey_path_daily; DELETE FROM workspace_counters WHERE name = 'journey_cursor'");
}

var catalogue = new CatalogueStore(database, time);
var options = new JourneyOptions { Settle = TimeSpan.Zero };
using (var projector = new JourneyProjector(database, catalogue, options, time, NullLogger<JourneyProjector>.Instance))
{
    var watch = Stopwatch.StartNew();
    var read = await projector.RunOnceAsync();
    Console.WriteLine($"Journey worker catch-up: {read:N0} journey interactions in {watch.Elapsed.TotalSeconds:N2} s = {read / watch.Elapsed.TotalSeconds:N0} interactions/s");
}

using (var ladderProjector = new LadderProjector(database, new LadderRulesStore(database), time, NullLogger<LadderProjector>.Instance))
{
    var watch = Stopwatch.StartNew();
    var states = await ladderProjector.RunOnceAsync(force: true);
    Console.WriteLine($"Ladder recomputation: {states:N0} customer-month states in {watch.Elapsed.TotalSeconds:N2} s");
}

var journeys = new JourneyQuery(database, catalogue, options);
var ladder = new LadderQuery(database, time);
var all = new JourneyQueryOptions(null, null, []);
var gold = all with { Filters = [new AnalyticsFilter("trait.plan", "broadband")] };
Console.WriteLine();
Console.WriteLine("| query | endpoint p50 ms | p95 ms | raw p50 ms | raw / endpoint |");
Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
foreach (var key in new[] { DemoCompany.FaultRepair, DemoCompany.Billing })
{
    var journey = (await journeys.FindAsync(workspace.Id, key))!;
    await Compare($"journey {key}", () => journeys.GetAsync(workspace.Id, journey, all), () => RawJourneyAsync(journey, all));
    await Compare($"journey {key}, filter trait.plan:broadband", () => journeys.GetAsync(workspace.Id, journey, gold), () => RawJourneyAsync(journey, gold));
}

await Compare("ladder interval=quarter", () => ladder.GetAsync(workspace.Id, "quarter", null, null, null), RawLadderAsync);
await Compare("ladder interval=quarter by=trait.plan (precomputed)", () => ladder.GetAsync(workspace.Id, "quarter", "plan", null, null), RawLadderAsync);
await Compare("ladder interval=quarter by=trait.lifecycleStage (from states)", () => ladder.GetAsync(workspace.Id, "quarter", "lifecycleStage", null, null), RawLadderAsync);
await databases.DropAsync(target);
return 0;

async Task Compare<T>(string name, Func<Task<T>> endpoint, Func<Task<T>> raw)
{
    await endpoint(); // warm-up: JIT and caches
    var latencies = new double[runs];
    for (var i = 0; i < runs; i++)
    {
        var watch = Stopwatch.StartNew();
        await endpoint();
        latencies[i] = watch.Elapsed.TotalMilliseconds;
    }

    var rawRuns = Math.Max(3, runs / 10);
    var rawLatencies = new double[rawRuns];
    for (var i = 0; i < rawRuns; i++)
    {
        var watch = Stopwatch.StartNew();
        await raw();
        rawLatencies[i] = watch.Elapsed.TotalMilliseconds;
    }

    var fast = LatencySummary.From(latencies);
    var slow = LatencySummary.From(rawLatencies);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {fast.P50:N1} | {fast.P95:N1} | {slow.P50:N0} | {slow.P50 / fast.P50:N0}× |"));
}

// The same journey answer from the raw interactions: every interaction of the journey read, instances built, tallied.
async Task<JourneyAnalyticsView> RawJourneyAsync(Journey journey, JourneyQueryOptions query)
{
    await using var connection = await database.OpenAsync();
    var builder = new JourneyInstanceBuilder(journey, options.Gap);
    var now = time.GetUtcNow().ToUnixTimeMilliseconds();
    var wanted = query.Traits.Any()
        ? (await connection.QueryAsync<(long Id, string? Traits)>("SELECT id, traits FROM customers WHERE workspace_id = @Id", new { workspace.Id }))
            .Where(c => c.Traits?.Contains("\"plan\":\"broadband\"", StringComparison.Ordinal) == true).Select(c => c.Id).ToHashSet()
        : null;
    var rows = await connection.QueryAsync<(long Id, long CustomerId, string Stage, string? Channel, long OccurredAt)>(
        "SELECT id, customer_id, stage, channel, occurred_at FROM interactions WHERE workspace_id = @Id AND journey_key = @Key AND stage IS NOT NULL",
        new { workspace.Id, journey.Key });
    var tally = new JourneyTally();
    foreach (var customer in rows.GroupBy(r => r.CustomerId).Where(g => wanted is null || wanted.Contains(g.Key)))
    {
        foreach (var instance in builder.Build(customer.Select(r => (new JourneyEvent(r.Stage, r.OccurredAt, r.Channel ?? ""), r.Id)), now))
        {
            tally.Add(instance, builder, 1, byCell: false);
        }
    }

    return JourneyReport.Create(builder, tally, new Dictionary<string, StageFeedback>(), query);
}

// The same ladder from the raw responses, events, reviews and traits: what the scheduled recomputation reads and does.
async Task<LadderView> RawLadderAsync()
{
    await using var connection = await database.OpenAsync();
    var rules = new LadderRules();
    var now = time.GetUtcNow().ToUnixTimeMilliseconds();
    var lastMonth = LadderPeriods.Start("month", now);
    var facts = await LadderFactsReader.ReadAsync(connection, workspace.Id, rules);
    var months = facts.Values.Select(f => ("", (IReadOnlyDictionary<long, MonthState>)LadderProjector.MonthStates(f, rules, lastMonth, now)));
    return LadderReport.Create(LadderAggregation.Count(months, "quarter", lastMonth), "quarter", null, null, null);
}
