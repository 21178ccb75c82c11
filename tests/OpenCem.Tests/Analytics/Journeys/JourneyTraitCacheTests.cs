using Dapper;
using OpenCem.Analytics.Journeys;
using OpenCem.Storage;
using OpenCem.Tests.Hosting;
using OpenCem.Tests.Infrastructure;

namespace OpenCem.Tests.Analytics.Journeys;

/// <summary>
/// A journey with a trait filter (a persona's scenario) is remembered per version of the instances and of the traits:
/// a change the writers did not version is not seen (so the answer is remembered), while new instances and changed
/// traits are, each time agreeing with a brute-force recount.
/// </summary>
public sealed class JourneyTraitCacheTests
{
    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task TraitFilteredJourney_IsRemembered_UntilInstancesOrTraitsChange(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind, o => o with { Configuration = JourneyFixture.Configuration });
        var fixture = new JourneyFixture(server);
        await fixture.SetUpAsync();
        var start = DateTimeOffset.UtcNow.AddDays(-200);
        await fixture.SendWalksAsync(seed: 1, customers: 40, start);
        var projector = server.Service<JourneyProjector>();
        Assert.True(await projector.RunOnceAsync() > 0);
        var gap = server.Service<JourneyOptions>().Gap;
        var query = server.Service<JourneyQuery>();
        var gold = new JourneyQueryOptions(null, null, [new AnalyticsFilter("trait.plan", "gold")], Top: 100, MinN: 5);

        var first = JourneyFixture.Describe(await query.GetAsync(fixture.WorkspaceId, JourneyFixture.Repair, gold));
        Assert.Equal(JourneyFixture.Describe(await fixture.BruteForceAsync(gold, gap)), first);

        // Behind the writers' back (no version bumped): the remembered answer stays.
        await using (var database = new Database(server.Target))
        await using (var connection = await database.OpenAsync())
        {
            await connection.ExecuteAsync(
                """
                UPDATE customers SET traits = REPLACE(traits, '"gold"', '"basic"')
                WHERE id = (SELECT min(i.customer_id) FROM journey_instances i JOIN customers c ON c.id = i.customer_id
                            WHERE i.workspace_id = @ws AND c.traits LIKE '%gold%')
                """,
                new { ws = fixture.WorkspaceId });
        }

        Assert.NotEqual(first, JourneyFixture.Describe(await fixture.BruteForceAsync(gold, gap)));
        Assert.Equal(first, JourneyFixture.Describe(await query.GetAsync(fixture.WorkspaceId, JourneyFixture.Repair, gold)));

        // New instances (the projector versions them): recounted.
        await fixture.SendWalksAsync(seed: 2, customers: 60, start.AddDays(-30));
        Assert.True(await projector.RunOnceAsync() > 0);
        var grown = JourneyFixture.Describe(await query.GetAsync(fixture.WorkspaceId, JourneyFixture.Repair, gold));
        Assert.NotEqual(first, grown);
        Assert.Equal(JourneyFixture.Describe(await fixture.BruteForceAsync(gold, gap)), grown);

        // Changed traits only (nobody moves, no new instance): recounted too.
        await fixture.PostAsync([.. Enumerable.Range(0, 10).Select(c =>
            $$$"""{"type":"identify","userId":"walker-{{{c * 2}}}","messageId":"plan-change-{{{c}}}","traits":{"plan":"basic"}}""")]);
        Assert.Equal(0, await projector.RunOnceAsync());
        var moved = JourneyFixture.Describe(await query.GetAsync(fixture.WorkspaceId, JourneyFixture.Repair, gold));
        Assert.NotEqual(grown, moved);
        Assert.Equal(JourneyFixture.Describe(await fixture.BruteForceAsync(gold, gap)), moved);

        // The gap ends an open instance (as the projector does: the flag and the ends version): counted as ended, the
        // same as a recount of the stored instances without anything remembered.
        await using (var database = new Database(server.Target))
        await using (var connection = await database.OpenAsync())
        {
            var open = await connection.ExecuteScalarAsync<long?>(
                """
                SELECT min(i.id) FROM journey_instances i JOIN customers c ON c.id = i.customer_id
                WHERE i.workspace_id = @ws AND i.ended = 0 AND c.traits LIKE '%"gold"%'
                """,
                new { ws = fixture.WorkspaceId });
            Assert.NotNull(open);
            await using var transaction = await connection.BeginTransactionAsync();
            await connection.ExecuteAsync("UPDATE journey_instances SET ended = 1 WHERE id = @open", new { open }, transaction);
            await DataVersions.BumpAsync(connection, transaction, fixture.WorkspaceId, DataVersions.JourneyEnds);
            await transaction.CommitAsync();
        }

        var ended = JourneyFixture.Describe(await query.GetAsync(fixture.WorkspaceId, JourneyFixture.Repair, gold));
        Assert.NotEqual(moved, ended);
        var recount = new JourneyQuery(new Database(server.Target), server.Service<OpenCem.Interactions.CatalogueStore>(), server.Service<JourneyOptions>());
        Assert.Equal(JourneyFixture.Describe(await recount.GetAsync(fixture.WorkspaceId, JourneyFixture.Repair, gold)), ended);
    }
}
