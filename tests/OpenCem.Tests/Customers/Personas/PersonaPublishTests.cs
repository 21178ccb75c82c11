using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Dapper;
using OpenCem.Analytics.Metrics;
using OpenCem.Customers.Personas;
using OpenCem.Demo;
using OpenCem.Storage;
using OpenCem.Tests.Analytics.Metrics;
using OpenCem.Tests.Hosting;
using OpenCem.Tests.Infrastructure;

namespace OpenCem.Tests.Customers.Personas;

/// <summary>
/// Publishing a run moves only the responses of customers whose persona changed, and leaves every rollup table exactly
/// as a recount from scratch would; rollups that drifted are noticed and recounted. The persona survives merges and
/// re-resolution of profiles by the documented rule.
/// </summary>
[Collection(DemoDatabases.SmallCollection)]
public sealed class PersonaPublishTests
{
    private static readonly DemoOptions Options = DemoDatabases.Small;

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task PublishAsync_AnotherRun_MovesOnlyChangedCustomers_RollupsEqualARebuild(DatabaseKind kind)
    {
        var demo = await DemoDatabases.CopyAsync(kind, Options);
        await using var database = new Database(demo.Target);
        var ws = demo.WorkspaceId;
        var runner = new PersonaRunner(database, TimeProvider.System);
        // Every change moves cells here, however many customers change (by default a third of them or more recount).
        var store = new PersonaStore(database) { MoveShare = 1 };
        long responses;
        await using (var connection = await database.OpenAsync())
        {
            responses = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM survey_responses WHERE workspace_id = @ws AND status = 'completed'", new { ws });
        }

        // The first publish makes persona a metrics trait and recounts everything.
        var first = await runner.RunAsync(ws, 4, 3, publish: false);
        Assert.Equal(responses, await store.PublishAsync(ws, first.RunId, 1));
        await AssertRollupsEqualARebuildAsync(database, ws);

        // Another run: only the responses of customers whose persona changed move.
        var second = await runner.RunAsync(ws, 5, 9, publish: false);
        var changedResponses = await ChangedResponsesAsync(database, ws, second.RunId);
        Assert.InRange(changedResponses, 1, responses - 1);
        Assert.Equal(changedResponses, await store.PublishAsync(ws, second.RunId, 2));
        await AssertRollupsEqualARebuildAsync(database, ws);

        // With the default share, a run that changes most customers' persona recounts everything.
        var third = await runner.RunAsync(ws, 3, 2, publish: false);
        var changedShare = await ChangedCustomersAsync(database, ws, third.RunId) / (double)await CustomersAsync(database, ws);
        Assert.Equal(changedShare > 1 / 3.0 ? responses : await ChangedResponsesAsync(database, ws, third.RunId), await new PersonaStore(database).PublishAsync(ws, third.RunId, 3));
        await AssertRollupsEqualARebuildAsync(database, ws);
        Assert.Equal(await ChangedResponsesAsync(database, ws, second.RunId), await store.PublishAsync(ws, second.RunId, 4));
        await AssertRollupsEqualARebuildAsync(database, ws);

        // Publishing the same run again changes nobody and moves nothing.
        Assert.Equal(0, await store.PublishAsync(ws, second.RunId, 5));
        await AssertRollupsEqualARebuildAsync(database, ws);

        // Rollups that no longer hold what the move takes out are recounted instead of going below zero.
        await using (var connection = await database.OpenAsync())
        {
            await connection.ExecuteAsync("DELETE FROM metric_monthly_segments WHERE workspace_id = @ws", new { ws });
        }

        Assert.Equal(responses, await store.PublishAsync(ws, first.RunId, 6));
        await AssertRollupsEqualARebuildAsync(database, ws);
        await using (var connection = await database.OpenAsync())
        {
            Assert.Equal(0, await connection.ExecuteScalarAsync<long>(
                "SELECT count(*) FROM customers c JOIN persona_assignments a ON a.customer_id = c.id AND a.run_id = @run WHERE " +
                (kind == DatabaseKind.Postgres ? "(c.traits::jsonb ->> 'persona')" : "json_extract(c.traits, '$.persona')") + " IS DISTINCT FROM ('p' || a.number)",
                new { run = first.RunId }));
        }
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Resolution_MergeAndRebuild_KeepThePersonaOfTheSurvivorOrTheMostTypicalMergedProfile(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        await PostRecordsAsync(server, """
            {"id":"A","email":"ada@example.com","name":"Ada"}
            {"id":"B","phone":"+49 30 1111111","name":"Ben"}
            {"id":"C","customerNumber":"C-3","name":"Cleo"}
            {"id":"D","email":"dora@example.com","name":"Dora"}
            {"id":"E","phone":"+49 30 2222222","name":"Emil"}
            """);
        var ids = new Dictionary<string, long>();
        foreach (var key in new[] { "A", "B", "C", "D", "E" })
        {
            ids[key] = (long)(await server.Admin.GetFromJsonAsync<JsonObject>($"/api/v1/sources/crm/records/{key}"))!["customerId"]!;
        }

        // A run that left A out (a new customer) and put B and C into different personas, C nearer its centre; D and E too.
        var database = server.Service<Database>();
        long ws;
        await using (var connection = await database.OpenAsync())
        {
            ws = await connection.ExecuteScalarAsync<long>("SELECT workspace_id FROM customers WHERE id = @id", new { id = ids["A"] });
            var run = await connection.ExecuteScalarAsync<long>(
                "INSERT INTO persona_runs (workspace_id, status, k, seed, customers, created_at) VALUES (@ws, 'ready', 3, 1, 4, 1) RETURNING id", new { ws });
            await connection.ExecuteAsync(
                "INSERT INTO persona_assignments (run_id, customer_id, number, distance) VALUES (@run, @B, 2, 0.9), (@run, @C, 1, 0.2), (@run, @D, 3, 0.5), (@run, @E, 1, 0.1)",
                new { run, B = ids["B"], C = ids["C"], D = ids["D"], E = ids["E"] });
            await new PersonaStore(database).PublishAsync(ws, run, 1000);
        }

        Assert.Null(await PersonaOfAsync(server, ids["A"]));
        Assert.Equal("p2", await PersonaOfAsync(server, ids["B"]));

        // One record links A, B and C: A's id survives; A had no persona, so it takes C's (nearer its centre than B).
        // One links D and E: D survives and keeps its own.
        await PostRecordsAsync(server, """
            {"id":"ABC","email":"ada@example.com","phone":"+49 30 1111111","customerNumber":"C-3"}
            {"id":"DE","email":"dora@example.com","phone":"+49 30 2222222"}
            """);
        Assert.Equal(ids["A"], (long)(await server.Admin.GetFromJsonAsync<JsonObject>("/api/v1/sources/crm/records/C"))!["customerId"]!);
        Assert.Equal("p1", await PersonaOfAsync(server, ids["A"]));
        Assert.Equal("p3", await PersonaOfAsync(server, ids["D"]));
        var profile = await server.Admin.GetFromJsonAsync<JsonObject>($"/api/v1/customers/{ids["A"]}");
        Assert.Contains(PersonaTraits.Source, profile!.ToJsonString(), StringComparison.Ordinal);

        // A changed record and a rebuild of every profile keep them too.
        await PostRecordsAsync(server, """{"id":"A","email":"ada@example.com","name":"Ada Lovelace"}""");
        Assert.Equal("p1", await PersonaOfAsync(server, ids["A"]));
        (await server.Admin.PostAsync("/api/v1/identity/rebuild", null)).EnsureSuccessStatusCode();
        Assert.Equal("p1", await PersonaOfAsync(server, ids["A"]));
        Assert.Equal("p3", await PersonaOfAsync(server, ids["D"]));
    }

    private static async Task<string?> PersonaOfAsync(TestServer server, long id) =>
        (string?)(await server.Admin.GetFromJsonAsync<JsonObject>($"/api/v1/customers/{id}"))!["traits"]![PersonaStore.Trait];

    private static async Task PostRecordsAsync(TestServer server, string ndjson) =>
        (await server.Admin.PostAsync("/api/v1/sources/crm/records", new StringContent(ndjson, Encoding.UTF8, "application/x-ndjson"))).EnsureSuccessStatusCode();

    private static async Task<long> ChangedCustomersAsync(Database database, long ws, long runId)
    {
        await using var connection = await database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        return (await PersonaTraits.ChangedAsync(connection, transaction, ws, runId)).Length;
    }

    private static async Task<long> CustomersAsync(Database database, long ws)
    {
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM customers WHERE workspace_id = @ws", new { ws });
    }

    /// <summary>Completed responses of customers the run puts into another persona than their trait says.</summary>
    private static async Task<long> ChangedResponsesAsync(Database database, long ws, long runId)
    {
        await using var connection = await database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var changed = await PersonaTraits.ChangedAsync(connection, transaction, ws, runId);
        return await connection.ExecuteScalarAsync<long>(
            $"SELECT count(*) FROM survey_responses WHERE workspace_id = @ws AND status = 'completed' AND {SqlLists.In(connection, "customer_id", "changed")}",
            new { ws, changed }, transaction);
    }

    /// <summary>Every cell of every rollup table, then the same after a recount from scratch (sums rounded as the rollup tests do).</summary>
    private static async Task AssertRollupsEqualARebuildAsync(Database database, long ws)
    {
        var before = await RollupCells.ReadAsync(database);
        await MetricRollup.RebuildAsync(database, ws);
        var after = await RollupCells.ReadAsync(database);
        foreach (var cube in MetricCube.All)
        {
            Assert.NotEmpty(after[cube.Table]);
            Assert.True(after[cube.Table].SequenceEqual(before[cube.Table]), $"{cube.Table} differs from a rebuild: "
                + string.Join("; ", before[cube.Table].Except(after[cube.Table]).Take(3)) + " / " + string.Join("; ", after[cube.Table].Except(before[cube.Table]).Take(3)));
        }
    }
}
