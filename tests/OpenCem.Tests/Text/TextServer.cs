using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using OpenCem.Storage;
using OpenCem.Tests.Hosting;
using OpenCem.Text.Pipeline;

namespace OpenCem.Tests.Text;

/// <summary>
/// A test server whose analysis worker runs only when a test says so (<see cref="AnalyseAsync"/>), so the tests see
/// exactly one pass; and checks of what the worker stored.
/// </summary>
internal static class TextServer
{
    public static Task<TestServer> StartAsync(DatabaseKind kind, bool worker = false) => TestServer.StartAsync(kind, options => options with
    {
        Configuration = new Dictionary<string, string?>
        {
            ["Text:Worker"] = worker ? "true" : "false",
            ["Text:SettleSeconds"] = "0",
            ["Text:SuggestionIntervalSeconds"] = "0",
            ["Text:PollIntervalSeconds"] = "0.5",
        },
    });

    /// <summary>One pass of the worker over every workspace.</summary>
    public static Task<CatchUpResult> AnalyseAsync(this TestServer server) => server.Service<TextAnalysisWorker>().RunOnceAsync();

    public static async Task<long> CreateSurveyAsync(TestServer server, string definition) =>
        await OpenCem.Tests.Feedback.SurveysApiTests.CreateAsync(server, definition);

    public static async Task PostResponseAsync(TestServer server, long surveyId, string answers, string? userId = null)
    {
        var user = userId is null ? "" : $"\"userId\": \"{userId}\", ";
        var response = await server.PostJsonAsync("/api/v1/responses", $$"""{"surveyId": {{surveyId}}, {{user}}"answers": {{answers}} }""", server.Admin);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    public static async Task<HttpResponseMessage> ImportAsync(TestServer server, long surveyId, string csv) =>
        await server.Admin.PostAsync($"/api/v1/surveys/{surveyId}/responses/import", new StringContent(csv, Encoding.UTF8, "text/csv"));

    public static async Task<JsonElement[]> ResponsesAsync(TestServer server, long surveyId) =>
        (await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{surveyId}/responses?limit=1000")).GetProperty("responses").EnumerateArray().ToArray();

    public static async Task<long> ScalarAsync(TestServer server, string sql, object? args = null)
    {
        await using var database = new Database(server.Target);
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>(sql, args);
    }

    /// <summary>The rollup as the increments left it must equal a recount from the stored analyses.</summary>
    public static async Task AssertRollupMatchesRecountAsync(TestServer server)
    {
        await using var database = new Database(server.Target);
        await using var connection = await database.OpenAsync();
        var incremental = await RollupAsync(connection, null);
        await using var transaction = await connection.BeginTransactionAsync();
        await ThemeRollupStore.RebuildAsync(connection, transaction, 1);
        var recount = await RollupAsync(connection, transaction);
        await transaction.RollbackAsync();
        Assert.NotEmpty(recount);
        Assert.Equal(recount.Count, incremental.Count);
        foreach (var (expected, actual) in recount.Zip(incremental))
        {
            Assert.Equal(expected.Key, actual.Key);
            Assert.Equal(expected.Counts, actual.Counts);
            Assert.Equal(expected.Sentiment, actual.Sentiment, 9);
        }
    }

    private static async Task<List<(string Key, string Counts, double Sentiment)>> RollupAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction? transaction) =>
        (await connection.QueryAsync<RollupRow>(
            """
            SELECT day, item_kind, survey_id, touchpoint_id, theme_key, items, sentiment_sum, positive, negative, nps_n, nps_sum, nps_sum_squares, promoters,
                detractors, csat_n, csat_sum, csat_sum_squares, csat_top_two
            FROM text_theme_daily WHERE workspace_id = 1 ORDER BY day, item_kind, survey_id, touchpoint_id, theme_key
            """,
            transaction: transaction))
        .Select(r => ($"{r.Day}/{r.Item_Kind}/{r.Survey_Id}/{r.Touchpoint_Id}/{r.Theme_Key}",
            $"{r.Items} {r.Positive} {r.Negative} {r.Nps_N} {r.Nps_Sum} {r.Nps_Sum_Squares} {r.Promoters} {r.Detractors} {r.Csat_N} {r.Csat_Sum} {r.Csat_Sum_Squares} {r.Csat_Top_Two}",
            r.Sentiment_Sum))
        .ToList();

    private sealed class RollupRow
    {
        public long Day { get; set; }

        public string Item_Kind { get; set; } = "";

        public long Survey_Id { get; set; }

        public long Touchpoint_Id { get; set; }

        public string Theme_Key { get; set; } = "";

        public long Items { get; set; }

        public double Sentiment_Sum { get; set; }

        public long Positive { get; set; }

        public long Negative { get; set; }

        public long Nps_N { get; set; }

        public double Nps_Sum { get; set; }

        public double Nps_Sum_Squares { get; set; }

        public long Promoters { get; set; }

        public long Detractors { get; set; }

        public long Csat_N { get; set; }

        public double Csat_Sum { get; set; }

        public double Csat_Sum_Squares { get; set; }

        public long Csat_Top_Two { get; set; }
    }
}
