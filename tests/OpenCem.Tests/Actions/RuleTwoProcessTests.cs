using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using OpenCem.Storage;
using OpenCem.Tests.Cli;
using OpenCem.Tests.Feedback;
using OpenCem.Tests.Infrastructure;
using OpenCem.Workspaces;

namespace OpenCem.Tests.Actions;

/// <summary>Exactly one case per detractor with two real server processes on one PostgreSQL, one of them killed with -9 mid-stream.</summary>
public sealed class RuleTwoProcessTests
{
    [Fact]
    public async Task TwoServers_OneKilled_EveryDetractorGetsExactlyOneCase()
    {
        var target = await TestDatabases.CreateAsync(DatabaseKind.Postgres);
        var database = new Database(target);
        await SchemaMigrator.MigrateAsync(database);
        var workspace = await new WorkspaceStore(database).EnsureDefaultAsync();
        var key = (await new ApiKeyStore(database, TimeProvider.System).CreateAsync(workspace.Id, "two-process", ApiKeyKind.Admin)).Secret;
        var addresses = new[] { new Uri($"http://127.0.0.1:{CliProcess.FreePort()}"), new Uri($"http://127.0.0.1:{CliProcess.FreePort()}") };
        using var first = CliProcess.Start("serve", "--db", target.ConnectionString, "--urls", addresses[0].ToString().TrimEnd('/'));
        using var second = CliProcess.Start("serve", "--db", target.ConnectionString, "--urls", addresses[1].ToString().TrimEnd('/'));
        await first.WaitUntilHealthyAsync(addresses[0], TimeSpan.FromSeconds(60));
        await second.WaitUntilHealthyAsync(addresses[1], TimeSpan.FromSeconds(60));
        HttpClient Client(Uri address)
        {
            var client = new HttpClient { BaseAddress = address };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
            return client;
        }

        using var admin = Client(addresses[1]);
        var survey = (await (await admin.PostAsync("/api/v1/surveys", Json(SurveyFixtures.Create("Relationship", SurveyFixtures.Nps)))).Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("id").GetInt64();
        var rule = await admin.PostAsync("/api/v1/rules", Json(
            """{"name": "Detractor follow-up", "trigger": "response.submitted", "condition": "response.nps <= 6", "actions": [{"type": "openCase", "title": "Call back"}]}"""));
        Assert.Equal(HttpStatusCode.Created, rule.StatusCode);

        using var stop = new CancellationTokenSource();
        var acknowledged = 0;
        var senders = Enumerable.Range(0, 4).Select(sender => Task.Run(async () =>
        {
            using var client = Client(addresses[sender % 2]);
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var body = $$"""{"surveyId": {{survey}}, "userId": "s{{sender}}-{{i % 40}}", "answers": {"nps": {{i % 7}}, "reason": "price"} }""";
                try
                {
                    if ((await client.PostAsync("/api/v1/responses", Json(body))).StatusCode == HttpStatusCode.OK)
                    {
                        Interlocked.Increment(ref acknowledged);
                    }
                }
                catch (HttpRequestException)
                {
                    return; // That server is gone.
                }
            }
        })).ToList();

        // Enough traffic before the kill, however busy the machine is.
        for (var wait = 0; wait < 300 && (wait < 30 || Volatile.Read(ref acknowledged) < 20); wait++)
        {
            await Task.Delay(100);
        }

        first.KillHard();
        await Task.Delay(2000);
        stop.Cancel();
        await Task.WhenAll(senders);
        Assert.True(acknowledged >= 20, $"only {acknowledged} responses were acknowledged");

        await using var connection = await database.OpenAsync();
        var detractors = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM survey_responses WHERE nps <= 6");
        Assert.True(detractors >= acknowledged);
        for (var wait = 0; wait < 300 && await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM cases") < detractors; wait++)
        {
            await Task.Delay(100);
        }

        await Task.Delay(1500); // Anything more would be a duplicate: give it time to show.
        Assert.Equal(detractors, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM cases"));
        Assert.Equal(detractors, await connection.ExecuteScalarAsync<long>("SELECT COUNT(DISTINCT response_id) FROM cases"));
        Assert.Equal(detractors, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM rule_firings"));
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM survey_responses r WHERE r.nps <= 6 AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.response_id = r.id)"));
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
