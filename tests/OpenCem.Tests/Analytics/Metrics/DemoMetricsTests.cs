using Dapper;
using OpenCem.Analytics.Metrics;
using OpenCem.Demo;
using OpenCem.Interactions;
using OpenCem.Organisation.Pulse;
using OpenCem.Storage;
using OpenCem.Tests.Infrastructure;
using OpenCem.Workspaces;

namespace OpenCem.Tests.Analytics.Metrics;

/// <summary>The demo company's planted truths, read through the metrics rollups (both databases).</summary>
[Collection(DemoDatabases.MediumCollection)]
public sealed class DemoMetricsTests
{
    private static readonly DemoOptions Options = DemoDatabases.Medium;

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Demo_Metrics_FindThePlantedTruths(DatabaseKind kind)
    {
        var demo = await DemoDatabases.CopyAsync(kind, Options);
        await using var database = new Database(demo.Target);
        var workspace = await new WorkspaceStore(database).EnsureDefaultAsync();
        var reader = new MetricsReader(database, new CatalogueStore(database, TimeProvider.System), new MetricsSettingsStore(database));
        long relationship;
        await using (var connection = await database.OpenAsync())
        {
            relationship = await connection.ExecuteScalarAsync<long>("SELECT id FROM surveys WHERE name = 'Relationship NPS'");
        }

        // Truth 10 (CallCentreStaffLeastLoyal): eNPS by the pulse's team question, through the anonymous pulse (the metrics API
        // refuses employee surveys); the call centre far below field service in the complete year.
        var pulse = new PulseStore(database, TimeProvider.System);
        var survey = PulseStore.Pick(await pulse.SurveysAsync(workspace.Id), null)!;
        var cube = await pulse.CubeAsync(workspace.Id, survey);
        var query = PulseRequest.Parse(cube, "year", "team", [], null, null, out var pulseError);
        Assert.Null(pulseError);
        var teams = PulseReport.Rows(cube, "enps", MetricKind.Enps, query!, AnonymityPolicy.DefaultMinimum);
        var callCentre = teams.Single(r => r.Period == "2024" && r.Group["team"] == "call-centre");
        var fieldService = teams.Single(r => r.Period == "2024" && r.Group["team"] == "field-service");
        Assert.False(callCentre.Suppressed || fieldService.Suppressed, "a team's year is suppressed");
        Assert.True(callCentre.Value + 30 < fieldService.Value, $"call centre {callCentre.Value}, field service {fieldService.Value}");
        Assert.True(callCentre.CiHigh < fieldService.CiLow, "the intervals overlap");
        await Assert.ThrowsAnyAsync<Xunit.Sdk.XunitException>(() => ReadAsync(reader, workspace.Id, "enps", null, "answer.team", "all"));

        // Truths 1, 6 and 12: repairs are the hard part; CES after the fault resolution is below every touchpoint's outside
        // the fault repair (the wait for the technician, truth 12, is harder still).
        var ces = await ReadAsync(reader, workspace.Id, "ces", null, "touchpoint", "all");
        var repair = ces.Single(r => r.Group!["touchpoint"] == DemoSurveys.FaultRepairTouchpoint);
        var others = ces.Where(r => r != repair && !r.Flagged && r.Group!["touchpoint"] != DemoSurveys.TechnicianTouchpoint).ToList();
        Assert.NotEmpty(others);
        Assert.All(others, other => Assert.True(repair.Value < other.Value, $"{other.Group!["touchpoint"]} {other.Value} <= repair {repair.Value}"));

        // Relationship NPS by plan: the plans partition the answers, and their NPS weighted by n is the overall NPS.
        var total = Assert.Single(await ReadAsync(reader, workspace.Id, "nps", relationship, "", "all"));
        var plans = await ReadAsync(reader, workspace.Id, "nps", relationship, "trait.plan", "all");
        Assert.True(plans.Count(p => p.Group!["trait.plan"] is not null) >= 3);
        Assert.Equal(total.N, plans.Sum(p => p.N));
        Assert.Equal(total.Value, plans.Sum(p => (p.Promoters!.Value - p.Detractors!.Value) * p.N) / total.N, 1);

        // The relationship survey goes out in quarterly waves: by quarter, each quarter's previous value is the quarter before's.
        var months = await ReadAsync(reader, workspace.Id, "nps", relationship, "", "quarter");
        Assert.True(months.Count >= 7, $"{months.Count} quarters: {string.Join(", ", months.Select(m => m.Period))}");
        for (var i = 1; i < months.Count; i++)
        {
            Assert.Equal(months[i - 1].Value, months[i].Previous);
        }
    }

    private static async Task<IReadOnlyList<MetricRow>> ReadAsync(MetricsReader reader, long workspaceId, string metric, long? survey, string by, string interval)
    {
        var settings = await reader.SettingsAsync(workspaceId, default);
        var request = MetricsRequestParser.Parse(metric, null, survey?.ToString(System.Globalization.CultureInfo.InvariantCulture), by, interval, null, null, [], settings, out var error);
        Assert.Null(error);
        var (rows, problem) = await reader.ReadAsync(workspaceId, request!, settings);
        Assert.Null(problem);
        return rows;
    }
}
