using Dapper;
using OpenCem.Demo;
using OpenCem.Storage;
using OpenCem.Tests.Infrastructure;
using OpenCem.Value.Fits;
using OpenCem.Workspaces;

namespace OpenCem.Tests.Value;

/// <summary>A CLV fit on the demo company works out of the box and finds its planted truths.</summary>
[Collection(DemoDatabases.MediumCollection)]
public sealed class DemoClvTests
{
    private static readonly DemoOptions Options = DemoDatabases.Medium;

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Fit_OnTheDemo_IsSensibleAndCancelledCustomersAreLessAlive(DatabaseKind kind)
    {
        var demo = await DemoDatabases.CopyAsync(kind, Options);
        await using var database = new Database(demo.Target);
        var workspace = await new WorkspaceStore(database).EnsureDefaultAsync();
        var store = new ClvFitStore(database, TimeProvider.System);
        // The demo arrives with a finished fit, so every customer already has a CLV and a probability alive.
        var arrived = await store.LatestAsync(workspace.Id);
        Assert.True(arrived?.Result is { CustomerEquity: > 0 }, arrived?.Error);
        var id = await store.QueueAsync(workspace.Id, new ClvFitRequest("2024-12-01", "week", 52, 0.001));
        Assert.True(await store.ClaimAsync(id, CancellationToken.None));

        await new ClvFitRunner(database, store, TimeProvider.System).RunAsync(workspace.Id, id);

        var fit = await store.GetAsync(workspace.Id, id);
        Assert.True(fit!.Result is not null, fit.Error);
        var result = fit.Result;
        Assert.True(result.N > 600 && result.RepeatCustomers > 200, $"{result.N} customers, {result.RepeatCustomers} repeaters");
        Assert.True(result.Bgnbd.R > 0 && result.Bgnbd.Alpha > 0 && result.GammaGamma.Q > 1);
        var end = result.Holdout[^1];
        Assert.InRange(end.Predicted / end.Actual, 0.75, 1.25);
        Assert.True(result.CustomerEquity > 0);
        await using var connection = await database.OpenAsync();
        var (cancelled, others) = await connection.QuerySingleAsync<(double, double)>(
            """
            SELECT avg(CASE WHEN c.customer_id IS NOT NULL THEN v.p_alive END), avg(CASE WHEN c.customer_id IS NULL THEN v.p_alive END)
            FROM customer_values v LEFT JOIN (SELECT DISTINCT customer_id FROM interactions WHERE event = 'Contract Cancelled') c ON c.customer_id = v.customer_id
            WHERE v.workspace_id = @workspace
            """, new { workspace = workspace.Id });
        Assert.True(cancelled < others - 0.05, $"P(alive): cancelled {cancelled:0.000}, others {others:0.000}");
    }
}
