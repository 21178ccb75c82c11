using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using OpenCem.Demo;
using OpenCem.Storage;
using OpenCem.Tests.Hosting;
using OpenCem.Tests.Infrastructure;

namespace OpenCem.Tests.Demo;

/// <summary>The demo's surveys, responses, invitations and signals as stored, and the summaries the API reads from their rollups.</summary>
[Collection(DemoDatabases.SmallCollection)]
public sealed class DemoFeedbackStorageTests
{
    private static readonly DemoOptions Options = DemoDatabases.Small;

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Demo_SummaryOfEverySurvey_EqualsARecountOfTheStoredResponses(DatabaseKind kind)
    {
        var demo = await DemoDatabases.CopyAsync(kind, Options);
        var target = demo.Target;
        await using (var database = new Database(target))
        {
            var result = demo.Loaded;
            var feedback = DemoCompany.Feedback(Options).ToList();
            Assert.Equal(feedback.Sum(f => f.Responses.Count) + DemoCompany.EmployeeResponses(Options).Count, result.Responses);
            Assert.Equal(feedback.Sum(f => f.Signals.Count), result.Signals);

            await using var connection = await database.OpenAsync();
            Assert.Equal(result.Responses, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM survey_responses"));
            Assert.Equal(result.Signals, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM signals WHERE customer_id IS NOT NULL"));
            Assert.Equal(feedback.Sum(f => f.Invitations.Count), await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM survey_invitations"));

            // Each transactional response and invitation points to an interaction of the same profile at its touchpoint.
            Assert.Equal(0, await connection.ExecuteScalarAsync<long>(
                """
                SELECT count(*) FROM survey_responses r LEFT JOIN interactions i ON i.id = r.interaction_id
                WHERE r.interaction_id IS NOT NULL AND (i.id IS NULL OR i.customer_id <> r.customer_id OR i.touchpoint_id <> r.touchpoint_id)
                """));
            Assert.Equal(0, await connection.ExecuteScalarAsync<long>(
                """
                SELECT count(*) FROM survey_invitations v LEFT JOIN interactions i ON i.id = v.interaction_id
                WHERE i.id IS NULL OR i.customer_id <> v.customer_id OR i.touchpoint_id <> v.touchpoint_id
                """));
            Assert.Equal(
                await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM survey_invitations WHERE status = 'completed'"),
                await connection.ExecuteScalarAsync<long>(
                    "SELECT count(*) FROM survey_responses r JOIN survey_invitations v ON v.id = r.invitation_id WHERE v.status = 'completed' AND v.completed_at = r.submitted_at"));
            // Customers answer as their profile; only the employees are anonymous.
            Assert.Equal(0, await connection.ExecuteScalarAsync<long>(
                "SELECT count(*) FROM survey_responses r JOIN surveys s ON s.id = r.survey_id WHERE (r.customer_id IS NULL) <> (s.audience = 'employees')"));
        }

        await using var server = await TestServer.StartAsync(kind, target);
        var surveys = await server.Admin.GetFromJsonAsync<JsonElement[]>("/api/v1/surveys");
        Assert.Equal(DemoSurveys.All.Select(s => s.Name), surveys!.Select(s => s.GetProperty("name").GetString()));
        await using var check = new Database(target);
        await using var db = await check.OpenAsync();
        foreach (var survey in surveys!)
        {
            var id = survey.GetProperty("id").GetInt64();
            var summary = await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{id}/summary");
            var count = await db.QuerySingleAsync<Recount>(
                """
                SELECT count(*) AS N,
                    count(nps) AS NpsN, coalesce(sum(CASE WHEN nps >= 9 THEN 1 ELSE 0 END), 0) AS Promoters, coalesce(sum(CASE WHEN nps <= 6 THEN 1 ELSE 0 END), 0) AS Detractors,
                    count(csat) AS CsatN, coalesce(sum(CASE WHEN csat >= 4 THEN 1 ELSE 0 END), 0) AS CsatTopTwo, coalesce(sum(csat), 0) AS CsatSum,
                    count(ces) AS CesN, coalesce(sum(ces), 0) AS CesSum
                FROM survey_responses WHERE survey_id = @id
                """,
                new { id });
            var invited = await db.ExecuteScalarAsync<long>("SELECT count(*) FROM survey_invitations WHERE survey_id = @id", new { id });
            var completed = await db.ExecuteScalarAsync<long>("SELECT count(*) FROM survey_invitations WHERE survey_id = @id AND status = 'completed'", new { id });
            var name = survey.GetProperty("name").GetString();
            if (survey.GetProperty("audience").GetString() == "employees")
            {
                // Anonymous: the whole history is no closed quarter or complete year, so nothing is shown (see PulseApiTests).
                Assert.True(summary.GetProperty("anonymity").GetProperty("suppressed").GetBoolean(), name);
                Assert.False(summary.TryGetProperty("n", out _), name);
                continue;
            }

            Assert.True(count.N >= 5, name);
            Assert.Equal(count.N, summary.GetProperty("n").GetInt64());
            Assert.Equal(invited, summary.GetProperty("invited").GetInt64());
            if (invited > 0)
            {
                Assert.Equal(Math.Round((double)completed / invited, 4), summary.GetProperty("responseRate").GetDouble());
            }
            else
            {
                Assert.Equal(System.Text.Json.JsonValueKind.Null, summary.GetProperty("responseRate").ValueKind);
            }

            if (count.NpsN > 0)
            {
                var nps = summary.GetProperty("nps");
                Assert.Equal((count.NpsN, count.Promoters, count.Detractors), (nps.GetProperty("n").GetInt64(), nps.GetProperty("promoters").GetInt64(), nps.GetProperty("detractors").GetInt64()));
                Assert.Equal(Math.Round(100.0 * (count.Promoters - count.Detractors) / count.NpsN, 2), nps.GetProperty("value").GetDouble(), 6);
            }

            if (count.CsatN > 0)
            {
                var csat = summary.GetProperty("csat");
                Assert.Equal(count.CsatN, csat.GetProperty("n").GetInt64());
                Assert.Equal(Math.Round(100.0 * count.CsatTopTwo / count.CsatN, 2), csat.GetProperty("value").GetDouble(), 6);
                Assert.Equal(Math.Round((double)count.CsatSum / count.CsatN, 2), csat.GetProperty("mean").GetDouble(), 6);
            }

            if (count.CesN > 0)
            {
                var ces = summary.GetProperty("ces");
                Assert.Equal(count.CesN, ces.GetProperty("n").GetInt64());
                Assert.Equal(Math.Round((double)count.CesSum / count.CesN, 2), ces.GetProperty("value").GetDouble(), 6);
            }

            Assert.Equal(count.NpsN > 0, summary.TryGetProperty("nps", out _));
            Assert.Equal(count.CsatN > 0, summary.TryGetProperty("csat", out _));
            Assert.Equal(count.CesN > 0, summary.TryGetProperty("ces", out _));
        }
    }

    /// <summary>A class with setters, so Dapper converts SQLite's and PostgreSQL's integer types alike.</summary>
    private sealed class Recount
    {
        public long N { get; set; }

        public long NpsN { get; set; }

        public long Promoters { get; set; }

        public long Detractors { get; set; }

        public long CsatN { get; set; }

        public long CsatTopTwo { get; set; }

        public long CsatSum { get; set; }

        public long CesN { get; set; }

        public long CesSum { get; set; }
    }
}
