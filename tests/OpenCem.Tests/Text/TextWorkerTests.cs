using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using OpenCem.Storage;
using OpenCem.Tests.Feedback;
using OpenCem.Tests.Infrastructure;

namespace OpenCem.Tests.Text;

/// <summary>The background analysis: what arrives is analysed, a burst is caught up, a taxonomy change is redone, erasure forgets.</summary>
public sealed class TextWorkerTests
{
    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Worker_CommentAndSignalArrive_AreAnalysedWithinSecondsAndShownByTheirApis(DatabaseKind kind)
    {
        await using var server = await TextServer.StartAsync(kind, worker: true);
        var survey = await TextServer.CreateSurveyAsync(server, SurveyFixtures.Nps);
        await TextServer.PostResponseAsync(server, survey, """{"nps": 3, "reason": "service", "comment": "I waited two weeks for the technician"}""", "u1");
        await TextServer.PostResponseAsync(server, survey, """{"nps": 9}""", "u2");
        var signal = await server.PostJsonAsync("/api/v1/signals", """{"source": "review", "title": "Bill", "text": "My invoice was wrong twice", "userId": "u1"}""", server.Admin);
        Assert.Equal(HttpStatusCode.OK, signal.StatusCode);

        var deadline = DateTime.UtcNow.AddSeconds(15);
        JsonElement[] responses;
        JsonElement signals;
        do
        {
            await Task.Delay(100);
            responses = await TextServer.ResponsesAsync(server, survey);
            signals = await server.Admin.GetFromJsonAsync<JsonElement>("/api/v1/signals");
        }
        while ((responses[0].GetProperty("analysis").ValueKind == JsonValueKind.Null || signals.GetProperty("signals")[0].GetProperty("analysis").ValueKind == JsonValueKind.Null)
            && DateTime.UtcNow < deadline);

        var analysis = responses[0].GetProperty("analysis");
        Assert.Equal(JsonValueKind.Object, analysis.ValueKind);
        Assert.Equal(JsonValueKind.String, analysis.GetProperty("lang").ValueKind);
        Assert.Equal(JsonValueKind.Number, analysis.GetProperty("sentiment").GetProperty("score").ValueKind);
        Assert.Equal(JsonValueKind.Array, analysis.GetProperty("emotions").ValueKind);
        Assert.Contains("waiting-time", analysis.GetProperty("themes").EnumerateArray().Select(t => t.GetProperty("key").GetString()));
        // No comment, nothing to analyse: the field is there and null.
        Assert.Equal(JsonValueKind.Null, responses[1].GetProperty("analysis").ValueKind);
        var signalAnalysis = signals.GetProperty("signals")[0].GetProperty("analysis");
        Assert.Contains("billing", signalAnalysis.GetProperty("themes").EnumerateArray().Select(t => t.GetProperty("key").GetString()));
        // The existing fields are unchanged.
        Assert.Equal("My invoice was wrong twice", signals.GetProperty("signals")[0].GetProperty("text").GetString());
        Assert.Equal("I waited two weeks for the technician", responses[0].GetProperty("comment").GetString());
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Worker_BurstAndTaxonomyChange_CaughtUpInOnePassWithTheRollupEqualToARecount(DatabaseKind kind)
    {
        await using var server = await TextServer.StartAsync(kind);
        var survey = await TextServer.CreateSurveyAsync(server, SurveyFixtures.Nps);
        const int Rows = 3_000;
        var csv = new StringBuilder("responseId,nps,reason,comment\n");
        for (var i = 0; i < Rows; i++)
        {
            var nps = i % 11;
            var comment = (i % 4) switch
            {
                0 => $"I waited {i % 9 + 2} days for the repair",
                1 => "The price is fine and the roaming works",
                2 => "Die Rechnung war schon wieder falsch",
                _ => "",
            };
            csv.Append($"r{i},{nps},{(nps <= 6 ? "price" : "")},{comment}\n");
        }

        Assert.Equal(HttpStatusCode.OK, (await TextServer.ImportAsync(server, survey, csv.ToString())).StatusCode);
        var commented = await TextServer.ScalarAsync(server, "SELECT count(*) FROM survey_responses WHERE comment IS NOT NULL");
        Assert.Equal(Rows * 3 / 4, commented);

        var first = await server.AnalyseAsync();
        Assert.Equal(commented, first.Analysed);
        Assert.Equal(commented, await TextServer.ScalarAsync(server, "SELECT count(*) FROM text_analyses WHERE item_kind = 'response'"));
        Assert.Equal(commented, await TextServer.ScalarAsync(server, "SELECT sum(items) FROM text_theme_daily WHERE theme_key = ''"));
        Assert.Equal(Rows / 4, await TextServer.ScalarAsync(server, "SELECT count(*) FROM text_theme_mentions WHERE theme_key = 'waiting-time'"));
        Assert.Equal(0, await TextServer.ScalarAsync(server, "SELECT count(*) FROM text_theme_mentions WHERE theme_key = 'roaming'"));
        await TextServer.AssertRollupMatchesRecountAsync(server);

        // Nothing new: a second pass analyses nothing.
        Assert.Equal(0, (await server.AnalyseAsync()).Analysed);

        // A new theme makes every analysis stale; the next pass redoes them all and finds it.
        var added = await server.PostJsonAsync("/api/v1/text/taxonomy", """{"key": "roaming", "names": {"en": "Roaming"}, "keywords": {"en": ["roaming"]}}""", server.Admin);
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var redone = await server.AnalyseAsync();
        Assert.Equal(commented, redone.Analysed);
        Assert.Equal(Rows / 4, await TextServer.ScalarAsync(server, "SELECT count(*) FROM text_theme_mentions WHERE theme_key = 'roaming'"));
        Assert.Equal(1, await TextServer.ScalarAsync(server, "SELECT count(DISTINCT version) FROM text_analyses"));
        Assert.Equal(commented, await TextServer.ScalarAsync(server, "SELECT sum(items) FROM text_theme_daily WHERE theme_key = ''"));
        Assert.Equal(Rows / 4, await TextServer.ScalarAsync(server, "SELECT sum(items) FROM text_theme_daily WHERE theme_key = 'roaming'"));
        await TextServer.AssertRollupMatchesRecountAsync(server);

        // Deleting it takes it out of the analyses and the rollup again.
        Assert.Equal(HttpStatusCode.NoContent, (await server.Admin.DeleteAsync("/api/v1/text/taxonomy/roaming")).StatusCode);
        await server.AnalyseAsync();
        Assert.Equal(0, await TextServer.ScalarAsync(server, "SELECT count(*) FROM text_theme_mentions WHERE theme_key = 'roaming'"));
        Assert.Equal(0, await TextServer.ScalarAsync(server, "SELECT count(*) FROM text_theme_daily WHERE theme_key = 'roaming'"));
        await TextServer.AssertRollupMatchesRecountAsync(server);
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Worker_PartialResponse_WaitsUntilCompleted(DatabaseKind kind)
    {
        await using var server = await TextServer.StartAsync(kind);
        var survey = await TextServer.CreateSurveyAsync(server, SurveyFixtures.Nps);
        await using var database = new Database(server.Target);
        await using (var connection = await database.OpenAsync())
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO survey_responses (workspace_id, survey_id, source, status, answers, nps, comment, submitted_at, created_at, updated_at)
                VALUES (1, @survey, 'web', 'partial', '{}', 2, 'Still waiting for the technician', 0, 0, 0)
                """,
                new { survey });
        }

        Assert.Equal(0, (await server.AnalyseAsync()).Analysed);
        Assert.Equal(1, await TextServer.ScalarAsync(server, "SELECT count(*) FROM text_pending"));
        await using (var connection = await database.OpenAsync())
        {
            await connection.ExecuteAsync("UPDATE survey_responses SET status = 'completed', comment = 'I waited a week for the technician'");
        }

        Assert.Equal(1, (await server.AnalyseAsync()).Analysed);
        Assert.Equal(0, await TextServer.ScalarAsync(server, "SELECT count(*) FROM text_pending"));
        Assert.Equal(1, await TextServer.ScalarAsync(server, "SELECT count(*) FROM text_theme_mentions WHERE theme_key = 'technician-visit'"));
        await TextServer.AssertRollupMatchesRecountAsync(server);
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Erasure_DeletesTheAnalysesAndCountsThemOutOfTheRollup_ExportShowsThemBefore(DatabaseKind kind)
    {
        await using var server = await TextServer.StartAsync(kind);
        var survey = await TextServer.CreateSurveyAsync(server, SurveyFixtures.Nps);
        await TextServer.PostResponseAsync(server, survey, """{"nps": 2, "reason": "service", "comment": "Erika here: I waited for the technician all day"}""", "erika");
        await TextServer.PostResponseAsync(server, survey, """{"nps": 10, "comment": "The technician was great"}""", "otto");
        await server.PostJsonAsync("/api/v1/signals", """{"source": "complaint", "text": "Erika complains about the bill", "userId": "erika"}""", server.Admin);
        await server.AnalyseAsync();
        Assert.Equal(3, await TextServer.ScalarAsync(server, "SELECT count(*) FROM text_analyses"));
        var erika = await TextServer.ScalarAsync(server, "SELECT customer_id FROM survey_responses WHERE nps = 2");

        var export = await server.Admin.GetFromJsonAsync<JsonObject>($"/api/v1/customers/{erika}/export");
        Assert.Contains("waiting-time", export!["responses"]![0]!["analysis"]!["themes"]!.AsArray().Select(t => (string?)t!["key"]));
        Assert.Contains("billing", export["signals"]![0]!["analysis"]!["themes"]!.AsArray().Select(t => (string?)t!["key"]));

        Assert.Equal(HttpStatusCode.OK, (await server.Admin.DeleteAsync($"/api/v1/customers/{erika}")).StatusCode);
        Assert.Equal(1, await TextServer.ScalarAsync(server, "SELECT count(*) FROM text_analyses"));
        Assert.Equal(0, await TextServer.ScalarAsync(server, "SELECT count(*) FROM text_theme_mentions WHERE theme_key IN ('waiting-time', 'billing')"));
        Assert.Equal(1, await TextServer.ScalarAsync(server, "SELECT sum(items) FROM text_theme_daily WHERE theme_key = ''"));
        Assert.Equal(0, await TextServer.ScalarAsync(server, "SELECT count(*) FROM text_theme_daily WHERE theme_key = 'waiting-time'"));
        await TextServer.AssertRollupMatchesRecountAsync(server);

        // A later pass does not bring anything back.
        await server.AnalyseAsync();
        Assert.Equal(1, await TextServer.ScalarAsync(server, "SELECT count(*) FROM text_analyses"));
    }
}
