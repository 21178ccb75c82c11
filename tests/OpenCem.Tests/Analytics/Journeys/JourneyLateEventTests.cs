using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OpenCem.Analytics.Journeys;
using OpenCem.Interactions;
using OpenCem.Storage;
using OpenCem.Tests.Infrastructure;
using OpenCem.Workspaces;

namespace OpenCem.Tests.Analytics.Journeys;

/// <summary>
/// A late interaction that falls before a collapsed repeat of a stage (found by the crash bench: the incremental
/// projection drifted from a projection from scratch): the projector must rebuild, not append.
/// </summary>
public sealed class JourneyLateEventTests
{
    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Projector_LateEventBeforeACollapsedRepeat_EqualsAProjectionFromScratch(DatabaseKind kind)
    {
        await using var database = new Database(await TestDatabases.CreateAsync(kind));
        await SchemaMigrator.MigrateAsync(database);
        var workspaceId = (await new WorkspaceStore(database).EnsureDefaultAsync()).Id;
        await new CatalogueStore(database, TimeProvider.System).SaveJourneyAsync(workspaceId, JourneyInstanceBuilderTests.Repair);
        var projector = new JourneyProjector(database, new CatalogueStore(database, TimeProvider.System),
            new JourneyOptions { Settle = TimeSpan.Zero }, TimeProvider.System, NullLogger<JourneyProjector>.Instance);
        var start = DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeMilliseconds();

        // Reported, diagnosis, diagnosis again (no new step); then, late, a new report between the two diagnoses.
        await InsertAsync(database, workspaceId, ("m1", "reported", start), ("m2", "diagnosis", start + 10), ("m3", "diagnosis", start + 30));
        await projector.RunOnceAsync();
        await InsertAsync(database, workspaceId, ("m4", "reported", start + 20));
        await projector.RunOnceAsync();

        await using var connection = await database.OpenAsync();
        var paths = (await connection.QueryAsync<string>("SELECT path FROM journey_instances ORDER BY started_at")).ToList();
        Assert.Equal(["reported>diagnosis", "reported>diagnosis"], paths);
        var entered = await connection.ExecuteScalarAsync<long>("SELECT sum(entered) FROM journey_stage_daily WHERE stage = 'diagnosis'");
        Assert.Equal(2, entered);
    }

    /// <summary>
    /// Interactions of several customers arrive over many passes, a third of them late (earlier than what the customer's
    /// instance has already seen), across gaps and restarts: the stored instances and rollups equal the instances built
    /// from scratch from all interactions, so rebuilding only from the instance a late interaction falls into loses nothing.
    /// The projector's clock stands before the interactions, so no instance is ended by idling: that ending depends on
    /// the clock at each pass, which a projection from scratch cannot reproduce when interactions arrive days late.
    /// </summary>
    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Projector_LateEventsOverManyPasses_EqualInstancesAndRollupsBuiltFromScratch(DatabaseKind kind)
    {
        await using var database = new Database(await TestDatabases.CreateAsync(kind));
        await SchemaMigrator.MigrateAsync(database);
        var workspaceId = (await new WorkspaceStore(database).EnsureDefaultAsync()).Id;
        await new CatalogueStore(database, TimeProvider.System).SaveJourneyAsync(workspaceId, JourneyInstanceBuilderTests.Repair);
        var gap = TimeSpan.FromDays(2);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(-30));
        var projector = new JourneyProjector(database, new CatalogueStore(database, TimeProvider.System),
            new JourneyOptions { Settle = TimeSpan.Zero, Gap = gap }, clock, NullLogger<JourneyProjector>.Instance);
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var hour = (long)TimeSpan.FromHours(1).TotalMilliseconds;
        string[] stages = ["reported", "diagnosis", "visit", "resolved"];
        var random = new Random(20261125);

        // Times on whole minutes over the 20 days after the clock, several on the same minute; arrival mostly in time
        // order, a third late by up to 5 days.
        var events = new List<(string MessageId, long Customer, string Stage, long At)>();
        for (var customer = 1; customer <= 12; customer++)
        {
            var at = now + hour;
            for (var i = 0; i < 40; i++)
            {
                at += random.Next(4) == 0 ? 0 : random.Next(1, 3 * 24 * 60) * 60_000L;
                events.Add(($"c{customer}-{i}", customer, stages[random.Next(random.Next(3) == 0 ? 1 : stages.Length)], at));
            }
        }

        var arrival = events.OrderBy(e => e.At + (random.Next(3) == 0 ? -random.Next(1, 5 * 24) * hour : 0)).ToList();
        foreach (var chunk in arrival.Chunk(arrival.Count / 9 + 1))
        {
            await InsertAsync(database, workspaceId, chunk);
            await projector.RunOnceAsync();
        }

        await using var connection = await database.OpenAsync();
        var builder = new JourneyInstanceBuilder(JourneyInstanceBuilderTests.Repair, gap);
        var ids = (await connection.QueryAsync<(string MessageId, long Id)>("SELECT message_id, id FROM interactions")).ToDictionary(r => r.MessageId, r => r.Id);
        var expected = new List<string>();
        var tally = new JourneyTally();
        foreach (var customer in events.GroupBy(e => e.Customer).OrderBy(g => g.Key))
        {
            var built = builder.Build(customer.Select(e => (new JourneyEvent(e.Stage, e.At, "phone"), ids[e.MessageId])), now);
            for (var i = 0; i < built.Count; i++)
            {
                expected.Add($"{customer.Key} {built[i].PathText} {built[i].TimesText} ended={built[i].Ended} latest={i == built.Count - 1}");
                tally.Add(built[i], builder, 1);
            }
        }

        var stored = (await connection.QueryAsync<(long Customer, string Path, string Times, long Ended, long Latest)>(
                "SELECT customer_id, path, times, ended, latest FROM journey_instances ORDER BY customer_id, started_at, id"))
            .Select(r => $"{r.Customer} {r.Path} {r.Times} ended={r.Ended != 0} latest={r.Latest != 0}").ToList();
        Assert.Equal(expected, stored);

        var stageRows = (await connection.QueryAsync<(long Day, string Stage, long Entered, long Converted, long Dropped)>(
                "SELECT day, stage, entered, converted, dropped FROM journey_stage_daily WHERE entered <> 0 OR converted <> 0 OR dropped <> 0 ORDER BY day, stage"))
            .Select(r => $"{r.Day} {r.Stage} {r.Entered}/{r.Converted}/{r.Dropped}").ToList();
        var expectedStages = tally.Stages.Where(s => !s.Value.IsZero).OrderBy(s => s.Key.Cell.Day).ThenBy(s => s.Key.Stage, StringComparer.Ordinal)
            .Select(s => $"{s.Key.Cell.Day} {s.Key.Stage} {s.Value.Entered}/{s.Value.Converted}/{s.Value.Dropped}").ToList();
        Assert.Equal(expectedStages, stageRows);
        var pathRows = (await connection.QueryAsync<(long Day, string Path, long Instances)>(
                "SELECT day, path, instances FROM journey_path_daily WHERE instances <> 0 ORDER BY day, path"))
            .Select(r => $"{r.Day} {r.Path} {r.Instances}").ToList();
        var expectedPaths = tally.Paths.Where(p => p.Value != 0).OrderBy(p => p.Key.Cell.Day).ThenBy(p => p.Key.Path, StringComparer.Ordinal)
            .Select(p => $"{p.Key.Cell.Day} {p.Key.Path} {p.Value}").ToList();
        Assert.Equal(expectedPaths, pathRows);
    }

    private static Task InsertAsync(Database database, long workspaceId, IEnumerable<(string MessageId, long Customer, string Stage, long At)> events) =>
        InsertAsync(database, workspaceId, events.Select(e => (e.MessageId, e.Customer, e.Stage, e.At)).ToArray());

    private static async Task InsertAsync(Database database, long workspaceId, (string MessageId, long Customer, string Stage, long At)[] events)
    {
        await using var connection = await database.OpenAsync();
        await connection.ExecuteAsync(
            """
            INSERT INTO interactions (workspace_id, message_id, client_ts, customer_id, type, occurred_at, received_at, channel, journey_key, stage)
            VALUES (@workspaceId, @MessageId, 0, @Customer, 'track', @At, @At, 'phone', 'repair', @Stage)
            """,
            events.Select(e => new { workspaceId, e.MessageId, e.Customer, e.Stage, e.At }));
    }

    private static Task InsertAsync(Database database, long workspaceId, params (string MessageId, string Stage, long At)[] events) =>
        InsertAsync(database, workspaceId, events.Select(e => (e.MessageId, 7L, e.Stage, e.At)).ToArray());
}
