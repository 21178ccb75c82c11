using System.Net.Http.Json;
using System.Text.Json;
using OpenCem.Demo;
using OpenCem.Storage;
using OpenCem.Tests.Cli;
using OpenCem.Tests.Hosting;
using OpenCem.Tests.Infrastructure;

namespace OpenCem.Tests.Organisation;

/// <summary>The demo company's two assessments: the index rises where its initiatives aimed, and the data contradicts a 5.</summary>
[Collection(DemoDatabases.MediumCollection)]
public sealed class AssessmentDemoTests
{
    private static readonly DemoOptions Options = DemoDatabases.Medium;

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Demo_IndexRisesBetweenTheAssessments_AndTheDataContradictsTheSlaFive(DatabaseKind kind)
    {
        var target = (await DemoDatabases.CopyAsync(kind, Options)).Target;

        long reviewId, baselineId;
        await using (var server = await TestServer.StartAsync(kind, options => options with
        {
            Configuration = new Dictionary<string, string?> { ["Cases:Clock"] = "false", ["Text:Worker"] = "false" },
        }, target))
        {
            var list = (await server.Admin.GetFromJsonAsync<JsonElement>("/api/v1/assessments")).EnumerateArray().ToList();
            Assert.Equal([DemoAssessments.ReviewName, DemoAssessments.BaselineName], list.Select(a => a.GetProperty("name").GetString()!));
            (reviewId, baselineId) = (list[0].GetProperty("id").GetInt64(), list[1].GetProperty("id").GetInt64());
            var apart = list[0].GetProperty("assessedAt").GetDateTimeOffset() - list[1].GetProperty("assessedAt").GetDateTimeOffset();
            Assert.InRange(apart.TotalDays, 365, 366);
            Assert.All(list, a => Assert.Equal(3, a.GetProperty("assessors").GetInt64()));

            var index = await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/assessments/{reviewId}/index?compareTo={baselineId}");
            Assert.True(index.GetProperty("complete").GetBoolean());
            var comparison = index.GetProperty("comparison");
            Assert.True(comparison.GetProperty("indexChange").GetDouble() > 5, comparison.ToString());
            var changes = comparison.GetProperty("elements").EnumerateArray().ToDictionary(e => e.GetProperty("element").GetString()!, e => e.GetProperty("change").GetDouble());
            var typical = changes.Where(c => !DemoAssessments.Improved.Contains(c.Key)).Average(c => c.Value);
            Assert.All(DemoAssessments.Improved, element => Assert.True(changes[element] >= 1 && changes[element] > typical + 0.5, $"{element}: {changes[element]}"));

            // "A 5 that the data contradicts is visible": all three rated service levels a 5; the demo's SLA attainment says otherwise.
            Assert.Equal(["service-processes"], index.GetProperty("contradicted").EnumerateArray().Select(e => e.GetString()!));
            var service = index.GetProperty("elements").EnumerateArray().Single(e => e.GetProperty("key").GetString() == "service-processes");
            var sla = service.GetProperty("indicators").EnumerateArray().Single(i => i.GetProperty("criterion").GetString() == DemoAssessments.ContradictedCriterion);
            Assert.Equal(5, sla.GetProperty("selfRating").GetDouble());
            Assert.True(sla.GetProperty("band").GetInt32() <= 2, sla.ToString());
            Assert.True(sla.GetProperty("contradicted").GetBoolean());
            Assert.True(sla.GetProperty("basis").GetInt64() >= 50, sla.ToString());
            Assert.Equal(10, index.GetProperty("gaps").GetArrayLength());

            var baseline = await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/assessments/{baselineId}/index");
            Assert.Equal("closed", baseline.GetProperty("status").GetString());
            Assert.Empty(baseline.GetProperty("contradicted").EnumerateArray());
            Assert.Equal(comparison.GetProperty("index").GetDouble(), baseline.GetProperty("index").GetDouble());
        }

        if (kind == DatabaseKind.Sqlite)
        {
            var report = await CliProcess.RunAsync("report", "ccci", "--compare", baselineId.ToString(System.Globalization.CultureInfo.InvariantCulture), "--db", target.Display);
            Assert.True(report.ExitCode == 0, report.Error);
            Assert.Contains("Customer Care Concept Index:", report.Output, StringComparison.Ordinal);
            Assert.Contains(DemoAssessments.ReviewName, report.Output, StringComparison.Ordinal);
            Assert.Contains("Contradicted: Service processes", report.Output, StringComparison.Ordinal);
            var unknown = await CliProcess.RunAsync("report", "ccci", "--assessment", "999", "--db", target.Display);
            Assert.Equal(1, unknown.ExitCode);
            Assert.Contains("--assessment", unknown.Error, StringComparison.Ordinal);
        }
    }
}
