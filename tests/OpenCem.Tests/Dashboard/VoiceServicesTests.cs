using Dapper;
using OpenCem.Analytics.Metrics;
using OpenCem.Dashboard.Surveys;
using OpenCem.Feedback.Invitations;
using OpenCem.Feedback.Surveys;
using OpenCem.Storage;
using OpenCem.Tests.Feedback;
using OpenCem.Tests.Hosting;
using OpenCem.Tests.Infrastructure;
using OpenCem.Tests.Text;
using OpenCem.Text.Insights;
using OpenCem.Text.Pipeline;
using OpenCem.Value.Equity;
using OpenCem.Workspaces;

namespace OpenCem.Tests.Dashboard;

/// <summary>The services the Text, Value and Surveys pages read through, on SQLite and PostgreSQL, against hand-made data.</summary>
public sealed class VoiceServicesTests
{
    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task CommentSearch_FindsByTextAndTheme_NewestFirst_PagesWithoutCounting(DatabaseKind kind)
    {
        await using var server = await TextServer.StartAsync(kind);
        var survey = await TextServer.CreateSurveyAsync(server, SurveyFixtures.Nps);
        await TextServer.PostResponseAsync(server, survey, """{"nps": 2, "reason": "service", "comment": "I had to wait two days"}""");
        await TextServer.PostResponseAsync(server, survey, """{"nps": 4, "reason": "service", "comment": "Kept on hold forever, 100% annoying"}""");
        await TextServer.PostResponseAsync(server, survey, """{"nps": 6, "reason": "service", "comment": "The wait was annoying"}""");
        await TextServer.PostResponseAsync(server, survey, """{"nps": 10, "comment": "Great network coverage"}""");
        await TextServer.PostResponseAsync(server, survey, """{"nps": 9}""");
        await server.AnalyseAsync();
        var ws = await WorkspaceAsync(server);
        var search = server.Service<CommentSearch>();
        var all = new ThemeFilter(null, null, survey, null, TextItemKind.Response);

        var page = await search.FindAsync(ws, new CommentQuery(all, null, null, 1, 10));
        Assert.Equal(["Great network coverage", "The wait was annoying", "Kept on hold forever, 100% annoying", "I had to wait two days"], page.Comments.Select(c => c.Comment));
        Assert.False(page.HasMore);
        Assert.Equal(10L, page.Comments[0].Nps);

        var annoying = await search.FindAsync(ws, new CommentQuery(all, null, "ANNOYING", 1, 10));
        Assert.Equal(2, annoying.Comments.Count);
        // The LIKE wildcards are searched as text: "0%" is in one comment only, "_" in none.
        Assert.Single((await search.FindAsync(ws, new CommentQuery(all, null, "0%", 1, 10))).Comments);
        Assert.Empty((await search.FindAsync(ws, new CommentQuery(all, null, "_", 1, 10))).Comments);

        var waiting = await search.FindAsync(ws, new CommentQuery(all, "waiting-time", null, 1, 2));
        Assert.Equal(2, waiting.Comments.Count);
        Assert.True(waiting.HasMore);
        Assert.All(waiting.Comments, c => Assert.Contains(c.Themes, t => t.Key == "waiting-time"));
        var second = await search.FindAsync(ws, new CommentQuery(all, "waiting-time", null, 2, 2));
        Assert.Single(second.Comments);
        Assert.False(second.HasMore);

        var future = all with { From = DateTimeOffset.UtcNow.AddDays(2) };
        Assert.Empty((await search.FindAsync(ws, new CommentQuery(future, null, null, 1, 10))).Comments);

        // The trend counts the same comments: four analysed, one month; three of them about waiting.
        var trend = server.Service<SentimentTrend>();
        var month = await trend.ReadAsync(ws, all, null, MetricInterval.Month);
        Assert.Equal(4, month.Sum(p => p.Items));
        var theme = await trend.ReadAsync(ws, all, "waiting-time", MetricInterval.Month);
        Assert.Equal(3, theme.Sum(p => p.Items));
        Assert.All(theme, p => Assert.True(p.NegativeShare > 0));
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task CustomerValueReport_DistributionTrendAndRiskList_FromStoredValues(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        var ws = await WorkspaceAsync(server);
        await using var database = new Database(server.Target);
        await using (var connection = await database.OpenAsync())
        {
            for (var i = 1; i <= 6; i++)
            {
                var traits = i == 1 ? """{"firstName": "Ana", "lastName": "Schmidt"}""" : null;
                var id = await connection.ExecuteScalarAsync<long>(
                    "INSERT INTO customers (workspace_id, created_at, updated_at, traits, erased_at) VALUES (@ws, 0, 0, @traits, @erased) RETURNING id",
                    new { ws, traits, erased = i == 6 ? 1L : (long?)null });
                // CLV 100..500; risk rises with i; customer 5 has no risk; customer 6 is erased.
                await connection.ExecuteAsync(
                    "INSERT INTO customer_values (workspace_id, customer_id, clv, churn_risk, churn_reasons, churn_model_id, updated_at) VALUES (@ws, @id, @clv, @risk, @reasons, @model, 0)",
                    new
                    {
                        ws,
                        id,
                        clv = 100.0 * i,
                        risk = i >= 5 ? (double?)null : i / 10.0,
                        reasons = i == 4 ? """[{"feature": "failedSetups", "value": "4", "direction": "raises", "weight": 0.3}]""" : null,
                        model = i >= 5 ? (long?)null : 1L,
                    });
            }

            foreach (var (equity, status) in new[] { (1000.0, "done"), (0.0, "failed"), (1500.0, "done") })
            {
                var result = status == "done" ? ClvResultJson(equity) : null;
                await connection.ExecuteAsync(
                    "INSERT INTO clv_fits (workspace_id, status, progress, request, result, created_at, finished_at) VALUES (@ws, @status, 1, @request, @result, 0, 1000)",
                    new { ws, status, request = """{"calibrationEnd": "2025-01-01", "timeUnit": "week", "horizon": 52, "discountRate": 0.1}""", result });
            }
        }

        var report = server.Service<CustomerValueReport>();
        var distribution = await report.ClvDistributionAsync(ws);
        Assert.Equal(6, distribution.Valued);
        Assert.Equal(350, distribution.Median);
        Assert.Equal(6, distribution.Bins.Sum(b => b.Customers));

        var trend = await report.EquityTrendAsync(ws);
        Assert.Equal([1000.0, 1500.0], trend.Select(p => p.CustomerEquity));

        var risk = await report.AtRiskAsync(ws, 1, 3);
        Assert.Equal(4, risk.Total);
        Assert.Equal([0.4, 0.3, 0.2], risk.Customers.Select(c => c.Risk));
        Assert.Equal("failedSetups", risk.Customers[0].Reasons.Single().Feature);
        var last = await report.AtRiskAsync(ws, 2, 3);
        Assert.Equal("Ana Schmidt", last.Customers.Single().Name);
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task InvitationStatistics_CountsStatusesAndSuppressionKinds_OfOneSurvey(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        var ws = await WorkspaceAsync(server);
        var survey = await SurveysApiTests.CreateAsync(server, SurveyFixtures.Nps);
        var other = await SurveysApiTests.CreateAsync(server, SurveyFixtures.Nps);
        await using var database = new Database(server.Target);
        await using (var connection = await database.OpenAsync())
        {
            var rows = new (long Survey, string Status, string? Reason)[]
            {
                (survey, "sent", null), (survey, "completed", null), (survey, "completed", null),
                (survey, "suppressed", "case 12 is open for the customer"), (survey, "suppressed", "case 40 is open for the customer"),
                (survey, "suppressed", "no consent to surveys on record"), (other, "suppressed", "no consent to surveys on record"),
            };
            var n = 0;
            foreach (var (surveyId, status, reason) in rows)
            {
                await connection.ExecuteAsync(
                    """
                    INSERT INTO survey_invitations (workspace_id, survey_id, channel, status, suppressed_reason, nonce, created_at, reminders)
                    VALUES (@ws, @surveyId, 'email', @status, @reason, @nonce, 0, 0)
                    """,
                    new { ws, surveyId, status, reason, nonce = "n" + n++ });
            }
        }

        var counts = await server.Service<InvitationStatistics>().ForSurveyAsync(ws, survey);
        Assert.Equal(6, counts.Considered);
        Assert.False(counts.Capped);
        Assert.Equal([("suppressed", 3L), ("completed", 2L), ("sent", 1L)], counts.ByStatus);
        Assert.Equal([(SuppressionKinds.OpenCase, 2L), (SuppressionKinds.NoConsent, 1L)], counts.Suppressed);
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task SurveysReport_Save_ValidatesLikeTheApi_AndKeepsTheSettings(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        var ws = await WorkspaceAsync(server);
        var id = await SurveysApiTests.CreateAsync(server, SurveyFixtures.Nps, """{"anonymousLink": true}""");
        var report = server.Service<SurveysReport>();
        var survey = (await report.GetAsync(ws, id))!.Survey;

        var notJson = await report.SaveAsync(ws, survey, "Renamed", "{ not json");
        Assert.True(notJson.ContainsKey("definition"));
        var unsupported = await report.SaveAsync(ws, survey, "Renamed", """{"pages": [{"elements": [{"type": "signaturepad", "name": "s"}]}]}""");
        Assert.Contains("definition", unsupported.Keys);
        var noName = await report.SaveAsync(ws, survey, " ", SurveyFixtures.Nps);
        Assert.Contains("name", noName.Keys);
        Assert.Equal("Survey", (await server.Service<SurveyStore>().GetAsync(ws, id))!.Name);

        Assert.Empty(await report.SaveAsync(ws, survey, "Renamed", SurveyFixtures.Service));
        var saved = (await server.Service<SurveyStore>().GetAsync(ws, id))!;
        Assert.Equal("Renamed", saved.Name);
        Assert.Equal("Your service contact", saved.Definition.Title.In("en"));
        Assert.True(saved.Settings.AnonymousLink);
    }

    private static async Task<long> WorkspaceAsync(TestServer server) => (await server.Service<WorkspaceStore>().EnsureDefaultAsync()).Id;

    private static string ClvResultJson(double equity) => $$"""
        {"fitId": 1, "n": 10, "bgnbd": {"r": 1, "alpha": 1, "a": 1, "b": 1}, "gammaGamma": {"p": 1, "q": 1, "gamma": 1}, "logLikelihood": -1,
         "customerEquity": {{equity.ToString(System.Globalization.CultureInfo.InvariantCulture)}}, "holdout": [], "holdoutKind": "none",
         "calibration": {"predicted": 1, "actual": 1}, "repeatCustomers": 1, "distinctTuples": 1, "calibrationEnd": "2025-01-01", "timeUnit": "week", "horizon": 52,
         "discountRate": 0.1, "asOf": "2025-06-30", "customersValued": 5, "expectedPurchases": 1, "purchases": 1}
        """;
}
