using System.Net.Http.Json;
using Dapper;
using OpenCem.Dashboard.Components;
using OpenCem.Dashboard.Overview;
using OpenCem.Dashboard.Value;
using OpenCem.Organisation.Pulse;
using OpenCem.Storage;
using OpenCem.Tests.Analytics.Drivers;
using OpenCem.Tests.Hosting;
using OpenCem.Tests.Infrastructure;
using OpenCem.Value.Lifetime;

namespace OpenCem.Tests.Dashboard;

/// <summary>
/// The Overview's metric tiles, the Surveys page's pulse cube and the Value page's CLV distribution are remembered
/// per data version: the same object again while nothing changed, and the change shown on the first read after a
/// write through the real writers (never a stale answer).
/// </summary>
public sealed class PageCacheTests
{
    private const string Service = """
        {"title": "Service", "elements": [{"type": "rating", "name": "nps", "role": "nps", "rateMin": 0, "rateMax": 10}]}
        """;

    private const string Pulse = """
        {"audience": "employees", "elements": [
          {"type": "radiogroup", "name": "team", "isRequired": true, "choices": ["support", "shops"]},
          {"type": "rating", "name": "enps", "role": "nps", "rateMin": 0, "rateMax": 10, "isRequired": true}]}
        """;

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task OverviewYear_RemembersTheTiles_UntilResponsesAreAdded(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        var id = await AnalyticsServer.CreateSurveyAsync(server, Service);
        await AnalyticsServer.ImportAsync(server, id, Csv(0, 40), 40);
        var ws = await WorkspaceAsync(server, id);

        var report = server.Service<OverviewReport>();
        var year = DashboardFilters.Default with { Period = DashboardPeriod.Year };
        var first = await report.ReadAsync(ws, year, null);
        Assert.Equal(40, first.Nps!.N);
        Assert.Same(first.Volume, (await report.ReadAsync(ws, year, null)).Volume);

        await AnalyticsServer.ImportAsync(server, id, Csv(40, 20), 20);
        var grown = await report.ReadAsync(ws, year, null);
        Assert.Equal(60, grown.Nps!.N);
        Assert.NotSame(first.Volume, grown.Volume);
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task PulseCube_IsRemembered_UntilAnEmployeeAnswers(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        var id = await AnalyticsServer.CreateSurveyAsync(server, Pulse);
        for (var i = 0; i < 12; i++)
        {
            await AnswerAsync(server, id, i);
        }

        var ws = await WorkspaceAsync(server, id);
        var store = server.Service<PulseStore>();
        var target = PulseStore.Pick(await store.SurveysAsync(ws), id)!;
        var first = await store.CubeAsync(ws, target);
        Assert.Equal(12, Total(first));
        Assert.Same(first, await store.CubeAsync(ws, target));

        await AnswerAsync(server, id, 12);
        var grown = await store.CubeAsync(ws, target);
        Assert.NotSame(first, grown);
        Assert.Equal(13, Total(grown));
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task ValueClvDistribution_IsRemembered_UntilValuesAreWritten(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        var id = await AnalyticsServer.CreateSurveyAsync(server, Service);
        var ws = await WorkspaceAsync(server, id);
        await WriteValuesAsync(server, ws, 30);

        var report = server.Service<ValueReport>();
        var first = await report.ReadAsync(ws, "lifecycle", 1, withCustomers: false);
        Assert.Equal(30, first.Clv.Valued);
        Assert.Same(first.Clv, (await report.ReadAsync(ws, "lifecycle", 1, withCustomers: false)).Clv);

        // A new fit's values (the writer recounts the equity totals in its transaction): shown at once.
        await WriteValuesAsync(server, ws, 45);
        var refit = await report.ReadAsync(ws, "lifecycle", 1, withCustomers: false);
        Assert.Equal(45, refit.Clv.Valued);
    }

    /// <summary>Every answer to the eNPS question the cube holds: the sum over the finest periods, all groups.</summary>
    private static long Total(PulseCube cube)
    {
        var finest = cube.Periods.Select((p, i) => (p, i)).Where(x => x.p.Level == cube.Periods.Min(q => q.Level)).ToList();
        return finest.Sum(x => cube.Tally("enps", new PulseGroup(x.i, 0)).N);
    }

    private static async Task AnswerAsync(TestServer server, long survey, int i)
    {
        var body = new
        {
            surveyId = survey,
            userId = $"employee-{i}",
            email = $"employee{i}@example.com",
            responseId = $"staff-{i}",
            submittedAt = new DateTimeOffset(2024, 2, 10, 9, i, 0, TimeSpan.Zero).ToString("O"),
            answers = new Dictionary<string, object> { ["team"] = i % 2 == 0 ? "support" : "shops", ["enps"] = i % 11 },
        };
        var response = await server.Admin.PostAsJsonAsync("/api/v1/responses", body);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task WriteValuesAsync(TestServer server, long ws, int count)
    {
        await using var database = new Database(server.Target);
        await using var connection = await database.OpenAsync();
        var values = Enumerable.Range(1, count).Select(c => new CustomerValue(c, 10.0 * c, 0.8, 2)).ToList();
        await CustomerValueWriter.WriteAsync(connection, ws, 1, values, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), CancellationToken.None);
    }

    private static async Task<long> WorkspaceAsync(TestServer server, long survey)
    {
        await using var database = new Database(server.Target);
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT workspace_id FROM surveys WHERE id = @survey", new { survey });
    }

    /// <summary>Complete responses submitted in the last minutes (this year), each from its own customer.</summary>
    private static string Csv(int first, int count)
    {
        var now = DateTimeOffset.UtcNow;
        var csv = new System.Text.StringBuilder("responseId,submittedAt,email,nps\n");
        for (var i = first; i < first + count; i++)
        {
            var at = now.AddSeconds(-(i + 1)).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
            csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"r{i},{at},respondent{i}@example.com,{i % 11}\n");
        }

        return csv.ToString();
    }
}
