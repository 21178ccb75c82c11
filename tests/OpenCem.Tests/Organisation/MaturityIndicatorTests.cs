using System.Data.Common;
using Dapper;
using OpenCem.Organisation.Maturity;
using OpenCem.Storage;
using OpenCem.Tests.Infrastructure;
using OpenCem.Workspaces;

namespace OpenCem.Tests.Organisation;

/// <summary>The data indicators measured on a small planted workspace whose every share is known by hand, on both databases.</summary>
public sealed class MaturityIndicatorTests
{
    private static readonly DateTimeOffset AsOf = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
    private const long Day = 86_400_000;

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task ReadAsync_PlantedWorkspace_EveryIndicatorAsHandCounted(DatabaseKind kind)
    {
        await using var database = new Database(await TestDatabases.CreateAsync(kind));
        await SchemaMigrator.MigrateAsync(database);
        var ws = (await new WorkspaceStore(database).EnsureDefaultAsync()).Id;
        await using (var connection = await database.OpenAsync())
        {
            await PlantAsync(connection, ws);
        }

        var measured = (await new IndicatorReader(database).ReadAsync(ws, AsOf)).ToDictionary(m => m.Key);

        Assert.Equal(DataIndicators.All.Select(i => i.Key).Order(), measured.Keys.Order());
        // 8 interactions in the window, 5 of them by the two customers with a user id or e-mail (the other two have anonymous ids only).
        AssertShare(measured[DataIndicators.KnownInteractions], 5 / 8.0, 8);
        // Of 4 active customers, only the first answered with a score in 90 days (the third commented without, the fourth scored 100 days ago).
        AssertShare(measured[DataIndicators.ScoredCustomers], 1 / 4.0, 4);
        // Channels active in the window: web, phone, shop (app only before it); phone had responses, shop has an open survey's trigger.
        AssertShare(measured[DataIndicators.SurveyedChannels], 2 / 3.0, 3);
        // Three customers started journeys; the first in web and phone.
        AssertShare(measured[DataIndicators.CrossChannelCustomers], 1 / 3.0, 3);
        // 6 of 10 closed cases met their SLA; 2 of the 5 measured were recovered.
        AssertShare(measured[DataIndicators.SlaAttainment], 0.6, 10);
        AssertShare(measured[DataIndicators.RecoveryRate], 0.4, 5);
        // May's ladder: an advocate and a promoter among three rated customers.
        AssertShare(measured[DataIndicators.Advocates], 2 / 3.0, 3);
        // Two comments and two signals in the window, one of each analysed.
        AssertShare(measured[DataIndicators.AnalysedTexts], 0.5, 4);
        // CLV 100 + 20 of 200 held by customers scored within 12 months.
        AssertShare(measured[DataIndicators.MeasuredEquity], 0.6, 4);
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task ReadAsync_EmptyWorkspace_NoValuesNoErrors(DatabaseKind kind)
    {
        await using var database = new Database(await TestDatabases.CreateAsync(kind));
        await SchemaMigrator.MigrateAsync(database);
        var ws = (await new WorkspaceStore(database).EnsureDefaultAsync()).Id;

        var measured = await new IndicatorReader(database).ReadAsync(ws, AsOf);

        Assert.Equal(DataIndicators.All.Count, measured.Count);
        Assert.All(measured, m => Assert.Equal((null, 0L), (m.Value, m.Basis)));
    }

    private static void AssertShare(IndicatorMeasurement measurement, double value, long basis)
    {
        Assert.Equal(value, measurement.Value!.Value, 6);
        Assert.Equal(basis, measurement.Basis);
    }

    private static async Task PlantAsync(DbConnection c, long ws)
    {
        var now = AsOf.ToUnixTimeMilliseconds();
        var recent = now - (10 * Day);
        var old = now - (100 * Day);
        async Task<long> Customer(string? kind, string value)
        {
            var id = await c.ExecuteScalarAsync<long>("INSERT INTO customers (workspace_id, created_at, updated_at) VALUES (@ws, 0, 0) RETURNING id", new { ws });
            if (kind is not null)
            {
                await c.ExecuteAsync(
                    "INSERT INTO customer_identities (workspace_id, kind, value, customer_id, created_at) VALUES (@ws, @kind, @value, @id, 0)", new { ws, kind, value, id });
            }

            return id;
        }

        var c1 = await Customer("userId", "u1");
        var c2 = await Customer("anonymousId", "a2");
        var c3 = await Customer("email", "c3@example.com");
        var c4 = await Customer("anonymousId", "a4");
        var n = 0;
        foreach (var (customer, at) in new[] { (c1, recent), (c1, recent), (c1, recent), (c2, recent), (c3, recent), (c3, recent), (c4, recent), (c4, recent), (c1, old) })
        {
            await c.ExecuteAsync(
                "INSERT INTO interactions (workspace_id, message_id, client_ts, customer_id, type, occurred_at, received_at) VALUES (@ws, @m, @at, @customer, 'track', @at, @at)",
                new { ws, m = $"m{n++}", at, customer });
        }

        var touchpoints = new Dictionary<string, long>();
        foreach (var (key, channel) in new[] { ("web-form", "web"), ("hotline", "phone"), ("store", "shop") })
        {
            touchpoints[key] = await c.ExecuteScalarAsync<long>(
                "INSERT INTO touchpoints (workspace_id, key, name, channel, events, created_at, updated_at) VALUES (@ws, @key, @key, @channel, '[]', 0, 0) RETURNING id",
                new { ws, key, channel });
        }

        foreach (var (channel, day) in new[] { ("web", recent / Day), ("phone", recent / Day), ("shop", recent / Day), ("", recent / Day), ("app", old / Day) })
        {
            await c.ExecuteAsync(
                """
                INSERT INTO interaction_daily (workspace_id, day, touchpoint_id, channel, outcome, interactions, effort_sum, effort_count, revenue_sum, cost_sum)
                VALUES (@ws, @day, 0, @channel, '', 1, 0, 0, 0, 0)
                """,
                new { ws, day, channel });
        }

        async Task<long> Survey(string audience, string settings) => await c.ExecuteScalarAsync<long>(
            "INSERT INTO surveys (workspace_id, name, definition, settings, audience, version, created_at, updated_at) VALUES (@ws, 's', '{}', @settings, @audience, 1, 0, 0) RETURNING id",
            new { ws, settings, audience });
        var survey = await Survey("customers", """{"triggers":[{"touchpoint":"store"}]}""");
        await Survey("customers", """{"closed":true,"triggers":[{"touchpoint":"web-form"}]}""");
        await Survey("employees", """{"triggers":[{"touchpoint":"web-form"}]}""");
        await Survey("customers", "not json");
        await c.ExecuteAsync(
            """
            INSERT INTO survey_daily (workspace_id, survey_id, day, touchpoint_id, channel, language, responses, nps_n, promoters, detractors, csat_n, csat_top_two, csat_sum,
                csat_sum_squares, ces_n, ces_sum, ces_sum_squares)
            VALUES (@ws, @survey, @day, @touchpoint, '', '', 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            """,
            new { ws, survey, day = recent - (recent % Day), touchpoint = touchpoints["hotline"] });

        async Task<long> Response(long customer, long at, int? nps, int? csat, string? comment) => await c.ExecuteScalarAsync<long>(
            """
            INSERT INTO survey_responses (workspace_id, survey_id, customer_id, source, status, answers, nps, csat, comment, submitted_at, created_at, updated_at)
            VALUES (@ws, @survey, @customer, 'test', 'complete', '{}', @nps, @csat, @comment, @at, @at, @at) RETURNING id
            """,
            new { ws, survey, customer, at, nps, csat, comment });
        var r1 = await Response(c1, recent, 9, null, "great");
        await Response(c3, recent, null, null, "no score here");
        await Response(c4, old, null, 4, null);

        async Task<long> Signal(long at) => await c.ExecuteScalarAsync<long>(
            "INSERT INTO signals (workspace_id, source, text, occurred_at, received_at) VALUES (@ws, 'review', 'text', @at, @at) RETURNING id", new { ws, at });
        var s1 = await Signal(recent);
        await Signal(recent);
        await Signal(old);
        foreach (var (itemKind, itemId) in new[] { ("response", r1), ("signal", s1) })
        {
            await c.ExecuteAsync(
                """
                INSERT INTO text_analyses (workspace_id, item_kind, item_id, language, sentiment, label, emotions, themes, truncated, version, analyzed_at, day, survey_id, touchpoint_id)
                VALUES (@ws, @itemKind, @itemId, 'en', 0.5, 'positive', '{}', '[]', 0, 'v1', 0, 0, 0, 0)
                """,
                new { ws, itemKind, itemId });
        }

        foreach (var (customer, channel) in new[] { (c1, "web"), (c1, "phone"), (c2, "web"), (c3, "shop"), (c3, "shop"), (c4, "app") })
        {
            var started = customer == c4 ? old : recent;
            await c.ExecuteAsync(
                """
                INSERT INTO journey_instances (workspace_id, journey_key, customer_id, channel, started_at, last_at, ended, latest, path, times)
                VALUES (@ws, 'onboarding', @customer, @channel, @started, @started, 1, 0, '[]', '[]')
                """,
                new { ws, customer, channel, started });
        }

        foreach (var (dimension, grp, closed, measured, recovered) in new[] { ("sla", "met", 6, 3, 2), ("sla", "missed", 4, 2, 0), ("team", "billing", 10, 5, 2) })
        {
            await c.ExecuteAsync(
                "INSERT INTO case_recovery_rollup (workspace_id, dimension, grp, closed, measured, recovered) VALUES (@ws, @dimension, @grp, @closed, @measured, @recovered)",
                new { ws, dimension, grp, closed, measured, recovered });
        }

        var may = new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        foreach (var (month, customer, npsRung, rung) in new[]
        {
            (may, c1, "unrated", "advocate"), (may, c2, "promoter", "satisfied"), (may, c3, "detractor", "unsatisfied"), (may, c4, "unrated", "unrated"),
            (now, c3, "promoter", "advocate"),
        })
        {
            await c.ExecuteAsync(
                "INSERT INTO ladder_states (workspace_id, month, customer_id, nps_rung, nps_at, rung) VALUES (@ws, @month, @customer, @npsRung, 0, @rung)",
                new { ws, month, customer, npsRung, rung });
        }

        foreach (var (customer, clv) in new[] { (c1, 100.0), (c2, 50.0), (c3, 30.0), (c4, 20.0) })
        {
            await c.ExecuteAsync("INSERT INTO customer_values (workspace_id, customer_id, clv, updated_at) VALUES (@ws, @customer, @clv, 0)", new { ws, customer, clv });
        }
    }
}
