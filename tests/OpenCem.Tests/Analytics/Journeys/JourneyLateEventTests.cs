using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
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

    private static async Task InsertAsync(Database database, long workspaceId, params (string MessageId, string Stage, long At)[] events)
    {
        await using var connection = await database.OpenAsync();
        await connection.ExecuteAsync(
            """
            INSERT INTO interactions (workspace_id, message_id, client_ts, customer_id, type, occurred_at, received_at, channel, journey_key, stage)
            VALUES (@workspaceId, @MessageId, 0, 7, 'track', @At, @At, 'phone', 'repair', @Stage)
            """,
            events.Select(e => new { workspaceId, e.MessageId, e.Stage, e.At }));
    }
}
