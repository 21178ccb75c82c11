using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using OpenCem.Analytics.Metrics;
using OpenCem.Storage;
using OpenCem.Tests.Hosting;
using OpenCem.Tests.Infrastructure;

namespace OpenCem.Tests.Analytics.Metrics;

/// <summary>
/// The rollups against a brute-force count over the raw responses: random responses stored through the API and the
/// CSV import, then many query shapes (every interval, dimensions, combined and any-of filters, ranges), each row's
/// n, value, interval and previous value compared, on both databases; a rebuild gives the same rows.
/// </summary>
public sealed class MetricRollupTests
{
    private static readonly (string Metric, string? Question, bool Service, string Interval, string By, string? From, string? To, string[] Filters)[] Shapes =
    [
        ("nps", null, false, "month", "", null, null, []),
        ("nps", null, false, "week", "touchpoint", null, null, []),
        ("nps", null, false, "quarter", "trait.plan", "2024-01-01", "2024-06-30", ["trait.region:north|south"]),
        ("nps", null, false, "month", "journey,language", "2024-02-01", "2024-05-31", ["channel:web|phone|field"]),
        ("nps", null, false, "all", "answer.reason", null, null, []),
        ("nps", null, false, "day", "stage", "2024-03-06", "2024-03-20", []),
        ("csat", null, true, "month", "channel,trait.region", "2024-02-14", null, []),
        ("csat", null, true, "year", "survey", null, null, ["trait.plan:mobile", "language:de"]),
        ("ces", null, true, "week", "", "2024-02-07", "2024-04-30", ["journey:fault-repair"]),
        ("mean", "attributes.speed", true, "month", "language", null, null, []),
        ("mean", "resolved", true, "quarter", "touchpoint,trait.plan", null, null, ["stage:reported|bill"]),
        ("nps", null, false, "month", "touchpoint", "2024-02-01", null, ["channel:web|phone"]),
        ("ces", null, true, "week", "trait.region", null, "2024-05-15", []),

        // Touchpoint with segment dimensions over whole months reads the monthly full grain; a cut month reads the daily one.
        ("nps", null, false, "month", "touchpoint", "2024-02-01", "2024-04-30", ["trait.plan:mobile|tv", "trait.region:north|south"]),
        ("nps", null, false, "month", "touchpoint", "2024-02-10", "2024-04-30", ["trait.plan:mobile|tv", "trait.region:north|south"]),
        ("nps", null, false, "year", "channel,language", null, null, ["trait.region:east|south"]),
        ("csat", null, true, "all", "journey,trait.region", "2024-03-01", null, ["touchpoint:web-form|hotline"]),
    ];

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Metrics_RandomResponses_EqualABruteForceCountForEveryShape(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        var fixture = await MetricsFixture.CreateAsync(server, seed: 6, posted: 260, imported: 140);

        await AssertShapesAsync(server, fixture);
        await AssertMonthlyEqualsDailyAsync(server);

        // A rebuild from the stored responses gives the same rows.
        var rebuilt = await server.Admin.PostAsync("/api/v1/analytics/metrics/rebuild", null);
        Assert.Equal(HttpStatusCode.OK, rebuilt.StatusCode);
        Assert.Equal(400, (await rebuilt.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("responses").GetInt64());
        await AssertShapesAsync(server, fixture);
        await AssertMonthlyEqualsDailyAsync(server);
    }

    [Fact]
    public void Shapes_ReadEveryCube()
    {
        var read = Shapes.Select(s => MetricsRequestParser.Parse(
                s.Metric, s.Question, s.Question is null ? null : "1", s.By, s.Interval, s.From, s.To, s.Filters, MetricsSettings.Default, out _)!)
            .Select(r => MetricCube.For(r, MetricsSettings.Default).Table).ToHashSet();
        Assert.Equal(MetricCube.All.Select(c => c.Table).Order(), read.Order());
    }

    /// <summary>The monthly full grain holds exactly the daily full grain's rows summed per month (every cell, not only the queried ones).</summary>
    private static async Task AssertMonthlyEqualsDailyAsync(TestServer server)
    {
        await using var database = new Database(server.Target);
        await using var connection = await database.OpenAsync();
        var daily = await CellsAsync(connection, MetricCube.Daily.Table);
        var expected = daily.GroupBy(c => c.Key with { Period = MetricPeriods.Month(c.Key.Period) })
            .ToDictionary(g => g.Key, g => (N: g.Sum(c => c.Value.N), Total: Math.Round(g.Sum(c => c.Value.Total), 6), Squares: Math.Round(g.Sum(c => c.Value.Squares), 6)));
        var monthly = (await CellsAsync(connection, MetricCube.MonthlyFull.Table))
            .ToDictionary(c => c.Key, c => (c.Value.N, Total: Math.Round(c.Value.Total, 6), Squares: Math.Round(c.Value.Squares, 6)));
        Assert.NotEmpty(monthly);
        Assert.Equal(expected.OrderBy(c => c.Key.ToString()), monthly.OrderBy(c => c.Key.ToString()));
    }

    private static async Task<List<KeyValuePair<MetricRowKey, (long N, double Total, double Squares)>>> CellsAsync(System.Data.Common.DbConnection connection, string table)
    {
        var cells = new List<KeyValuePair<MetricRowKey, (long, double, double)>>();
        await using var reader = await connection.ExecuteReaderAsync(
            $"SELECT workspace_id, survey_id, question, period, touchpoint_id, channel, segment_id, score, n, total, total_squares FROM {table}");
        while (await reader.ReadAsync())
        {
            cells.Add(new(
                new MetricRowKey(reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetString(5), reader.GetInt64(6), reader.GetInt64(7)),
                (reader.GetInt64(8), reader.GetDouble(9), reader.GetDouble(10))));
        }

        return cells;
    }

    private static async Task AssertShapesAsync(TestServer server, MetricsFixture fixture)
    {
        foreach (var shape in Shapes)
        {
            var survey = shape.Service ? fixture.ServiceSurvey : fixture.NpsSurvey;
            var question = shape.Question ?? shape.Metric;
            var interval = Enum.Parse<MetricInterval>(shape.Interval, ignoreCase: true);
            var by = shape.By.Split(',', StringSplitOptions.RemoveEmptyEntries);
            var from = shape.From is null ? (long?)null : Day(shape.From);
            var to = shape.To is null ? (long?)null : Day(shape.To) + MetricPeriods.DayMilliseconds;
            var matching = fixture.Responses.Where(r => r.SurveyId == survey
                && shape.Filters.All(f => MetricsFixture.Value(r, f[..f.IndexOf(':')]) is { } v && f[(f.IndexOf(':') + 1)..].Split('|').Contains(v))).ToList();
            var kind = Enum.Parse<MetricKind>(shape.Metric, ignoreCase: true);
            var all = MetricsFixture.BruteForce(matching, kind, question, interval, by, MetricsFixture.Value);
            var expected = MetricsFixture.BruteForce(
                matching.Where(r => (from is null || r.SubmittedAt.ToUnixTimeMilliseconds() >= from) && (to is null || r.SubmittedAt.ToUnixTimeMilliseconds() < to)),
                kind, question, interval, by, MetricsFixture.Value);

            var query = $"/api/v1/analytics/metrics?metric={shape.Metric}&interval={shape.Interval}&by={shape.By}"
                + (shape.Question is null ? "" : $"&survey={survey}&question={shape.Question}")
                + (shape.From is null ? "" : $"&from={shape.From}") + (shape.To is null ? "" : $"&to={shape.To}")
                + string.Concat(shape.Filters.Select(f => "&filter=" + Uri.EscapeDataString(f)));
            var response = await server.Admin.GetAsync(query);
            Assert.True(response.StatusCode == HttpStatusCode.OK, query + ": " + await response.Content.ReadAsStringAsync());
            var rows = (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().ToList();
            Assert.True(expected.Count == rows.Count, $"{query}: {expected.Count} rows expected, {rows.Count} read");
            Assert.True(expected.Count > 0, query);
            foreach (var row in rows)
            {
                var group = by.Length == 0 ? "" : string.Join("|", by.Select(d => row.GetProperty("group").GetProperty(d) is { ValueKind: JsonValueKind.String } v ? v.GetString() : "(null)"));
                var start = interval == MetricInterval.All ? long.MinValue : row.GetProperty("periodStart").GetDateTimeOffset().ToUnixTimeMilliseconds();
                Assert.Equal(MetricPeriods.Label(interval, start), row.GetProperty("period").GetString());
                Assert.True(expected.TryGetValue((start, group), out var want), $"{query}: unexpected row {row}");
                Assert.Equal(want.N, row.GetProperty("n").GetInt64());
                Assert.Equal(want.Value, row.GetProperty("value").GetDouble(), 6);
                Assert.Equal(want.CiLow, Nullable(row.GetProperty("ciLow")));
                Assert.Equal(want.CiHigh, Nullable(row.GetProperty("ciHigh")));
                var previous = interval == MetricInterval.All ? null : all.GetValueOrDefault((MetricPeriods.Previous(interval, start), group));
                Assert.Equal(previous?.Value, Nullable(row.GetProperty("previous")));
                Assert.Equal(want.N < 30, row.GetProperty("flagged").GetBoolean());
                if (want.N < 30)
                {
                    Assert.False(row.GetProperty("significant").GetBoolean());
                }
            }
        }
    }

    private static long Day(string date) => DateTimeOffset.Parse(date + "T00:00:00Z", CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();

    private static double? Nullable(JsonElement element) => element.ValueKind == JsonValueKind.Null ? null : Math.Round(element.GetDouble(), 6);
}
