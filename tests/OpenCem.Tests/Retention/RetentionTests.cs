using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;
using OpenCem.Operations.Retention;
using OpenCem.Storage;
using OpenCem.Tests.Feedback;
using OpenCem.Tests.Hosting;
using OpenCem.Tests.Infrastructure;

namespace OpenCem.Tests.Retention;

public sealed class RetentionTests
{
    [Fact]
    public void APolicy_OutsideOneDayToAHundredYears_NamesEachField()
    {
        Assert.Empty(new RetentionPolicy(365, 90, null).Problems());
        Assert.Equal(["commentsDays", "interactionsDays", "personalDataDays"], new RetentionPolicy(0, -5, 40_000).Problems().Keys.Order());
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task ThePolicy_PurgesOldInteractionsTextsAndInactiveCustomers_KeepsRecentDataAndTheAggregates(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind, options => options with { Configuration = new Dictionary<string, string?> { ["Text:Worker"] = "false" } });
        var old = DateTimeOffset.UtcNow.AddDays(-400).ToString("O", CultureInfo.InvariantCulture);
        var recent = DateTimeOffset.UtcNow.AddDays(-10).ToString("O", CultureInfo.InvariantCulture);

        // Anna was last seen 400 days ago; Ben is active. Each has an old interaction; Ben also a recent one.
        await server.PostJsonAsync("/v1/identify", $$"""{"userId":"anna","traits":{"email":"anna@example.com","name":"Anna Alt"},"messageId":"a0","timestamp":"{{old}}"}""");
        await server.PostJsonAsync("/v1/track", $$"""{"userId":"anna","event":"Bill Viewed","messageId":"a1","timestamp":"{{old}}"}""");
        await server.PostJsonAsync("/v1/track", $$"""{"userId":"ben","event":"Bill Viewed","messageId":"b1","timestamp":"{{old}}"}""");
        await server.PostJsonAsync("/v1/track", $$"""{"userId":"ben","event":"Fault Reported","messageId":"b2","timestamp":"{{recent}}"}""");
        var survey = await SurveysApiTests.CreateAsync(server, SurveyFixtures.Nps);
        Assert.Equal(HttpStatusCode.OK, (await server.PostJsonAsync("/api/v1/responses", $$$"""{"surveyId": {{{survey}}}, "userId": "ben", "submittedAt": "{{{old}}}", "answers": {"nps": 3, "reason": "service", "comment": "the old complaint"}}""", server.Admin)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.PostJsonAsync("/api/v1/responses", $$$"""{"surveyId": {{{survey}}}, "userId": "ben", "submittedAt": "{{{recent}}}", "answers": {"nps": 9, "comment": "the recent praise"}}""", server.Admin)).StatusCode);
        await server.PostJsonAsync("/api/v1/signals", $$"""{"source": "complaint", "text": "an old grumble", "timestamp": "{{old}}"}""", server.Admin);
        await server.PostJsonAsync("/api/v1/signals", $$"""{"source": "complaint", "text": "a fresh grumble"}""", server.Admin);
        var database = server.Service<Database>();
        var dailyBefore = await ScalarAsync(database, "SELECT SUM(interactions) FROM interaction_daily");
        var npsBefore = await ScalarAsync(database, "SELECT SUM(nps_n) FROM survey_daily");
        var stored = await ScalarAsync(database, "SELECT COUNT(*) FROM interactions");
        var due = await ScalarAsync(database, $"SELECT COUNT(*) FROM interactions WHERE occurred_at < {DateTimeOffset.UtcNow.AddDays(-365).ToUnixTimeMilliseconds()}");
        Assert.True(due >= 2 && stored == due + 1, $"{stored} stored, {due} old");

        var refused = await server.Admin.PutAsJsonAsync("/api/v1/retention", new { interactionsDays = 0, commentsDays = 90 });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("interactionsDays", await refused.Content.ReadAsStringAsync());
        var set = await server.Admin.PutAsJsonAsync("/api/v1/retention", new { interactionsDays = 365, commentsDays = 365, personalDataDays = 365 });
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);

        var run = await (await server.Admin.PostAsync("/api/v1/retention/run", null)).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<RetentionRun>();
        Assert.Equal((due, 1L, 1L, 1L, true), (run!.InteractionsDeleted, run.CommentsEmptied, run.SignalsEmptied, run.CustomersErased, run.Complete));

        // Only the recent interaction is stored; what was counted from the old ones stays counted.
        Assert.Equal(["Fault Reported"], await database.QueryListAsync<string>("SELECT event FROM interactions"));
        Assert.Equal(1, (await server.StatsAsync()).Interactions);
        Assert.Equal(dailyBefore, await ScalarAsync(database, "SELECT SUM(interactions) FROM interaction_daily"));
        Assert.Equal(npsBefore, await ScalarAsync(database, "SELECT SUM(nps_n) FROM survey_daily"));
        // The old comment is gone from its column and the answers, its score stays; the recent one is untouched.
        var responses = await database.QueryListAsync<(long Nps, string? Comment, string Answers)>("SELECT nps, comment, answers FROM survey_responses ORDER BY submitted_at");
        Assert.Equal((3L, (string?)null), (responses[0].Nps, responses[0].Comment));
        Assert.DoesNotContain("old complaint", responses[0].Answers, StringComparison.Ordinal);
        Assert.Equal("service", (string?)JsonNode.Parse(responses[0].Answers)!["reason"]);
        Assert.Equal("the recent praise", responses[1].Comment);
        Assert.Equal(["", "a fresh grumble"], await database.QueryListAsync<string>("SELECT text FROM signals ORDER BY occurred_at"));
        // Anna, inactive for 400 days, is erased; Ben stays.
        Assert.Equal(1, await ScalarAsync(database, "SELECT COUNT(*) FROM customers WHERE erased_at IS NOT NULL"));
        Assert.Equal(0, await ScalarAsync(database, "SELECT COUNT(*) FROM customer_identities WHERE value = 'anna@example.com'"));
        Assert.Equal(1, await ScalarAsync(database, "SELECT COUNT(*) FROM customer_identities WHERE value = 'ben'"));

        // A second pass finds nothing more, and the last run is reported with the policy.
        var again = await (await server.Admin.PostAsync("/api/v1/retention/run", null)).Content.ReadFromJsonAsync<RetentionRun>();
        Assert.Equal((0L, 0L, 0L, 0L), (again!.InteractionsDeleted, again.CommentsEmptied, again.SignalsEmptied, again.CustomersErased));
        var shown = await server.Admin.GetFromJsonAsync<RetentionAnswer>("/api/v1/retention");
        Assert.Equal(new RetentionPolicy(365, 365, 365), shown!.Policy);
        Assert.Equal(again.RanAt, shown.LastRun!.RanAt);
    }

    private static async Task<long> ScalarAsync(Database database, string sql)
    {
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<long?>(sql) ?? 0;
    }
}

internal static class RetentionQueries
{
    public static async Task<List<T>> QueryListAsync<T>(this Database database, string sql)
    {
        await using var connection = await database.OpenAsync();
        return [.. await connection.QueryAsync<T>(sql)];
    }
}
