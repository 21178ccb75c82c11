using System.Globalization;
using System.Text;
using System.Text.Json;
using Dapper;
using OpenCem.Analytics.Journeys;
using OpenCem.Interactions;
using OpenCem.Storage;
using OpenCem.Tests.Hosting;
using OpenCem.Workspaces;

namespace OpenCem.Tests.Analytics.Journeys;

/// <summary>A repair journey with five touchpoints on a test server, customers walking through it at random, and a brute-force recount.</summary>
internal sealed class JourneyFixture(TestServer server)
{
    public static readonly Journey Repair = JourneyInstanceBuilderTests.Repair;

    public static readonly (string Key, string Channel, string Stage, string Event)[] Touchpoints =
    [
        ("report-phone", "phone", "reported", "Reported"),
        ("report-app", "app", "reported", "Reported In App"),
        ("diagnosis-chat", "chat", "diagnosis", "Diagnosed"),
        ("technician", "field", "visit", "Visited"),
        ("resolution", "email", "resolved", "Resolved"),
    ];

    private int _message;

    public long WorkspaceId { get; private set; }

    public Dictionary<string, long> TouchpointIds { get; } = [];

    // The fixture writes the text analyses itself (comment-less responses): the text worker would re-analyse them as
    // outdated and remove them while a test compares the rollups with a recount.
    public static Dictionary<string, string?> Configuration =>
        new() { ["Journeys:SettleSeconds"] = "0", ["Journeys:IntervalSeconds"] = "3600", ["Text:Worker"] = "false" };

    public async Task SetUpAsync()
    {
        WorkspaceId = (await server.Service<WorkspaceStore>().EnsureDefaultAsync()).Id;
        var catalogue = server.Service<CatalogueStore>();
        await catalogue.SaveJourneyAsync(WorkspaceId, Repair);
        foreach (var (key, channel, stage, name) in Touchpoints)
        {
            var (saved, _) = await catalogue.SaveTouchpointAsync(WorkspaceId, new Touchpoint(0, key, key, channel, Repair.Key, stage, [name]));
            TouchpointIds[key] = saved.Id;
        }

        server.Service<CatalogueCache>().Invalidate(WorkspaceId);
    }

    /// <summary>Random walks through the journey: forward mostly, sometimes back (a loop), over a stage (a skip) or away for good.</summary>
    public async Task SendWalksAsync(int seed, int customers, DateTimeOffset start, bool traits = true)
    {
        var random = new Random(seed);
        var events = new List<string>();
        for (var c = 0; c < customers; c++)
        {
            var user = $"walker-{c}";
            if (traits)
            {
                var plan = c % 2 == 0 ? "gold" : "basic";
                events.Add($$$"""{"type":"identify","userId":"{{{user}}}","messageId":"{{{Next()}}}","traits":{"plan":"{{{plan}}}"}}""");
            }

            var t = start.AddHours(random.Next(0, 24 * 20));
            for (var walk = random.Next(1, 4); walk > 0; walk--)
            {
                var stage = random.NextDouble() < 0.9 ? 0 : 1;
                for (var step = 0; step < 8 && stage < 4; step++)
                {
                    events.Add(Track(user, stage, t, random));
                    t = t.AddMinutes(random.Next(5, 60 * 48));
                    var roll = random.NextDouble();
                    stage = roll < 0.1 ? 5 : roll < 0.2 ? Math.Max(1, stage - 1) : roll < 0.3 ? stage + 2 : stage + 1;
                }

                t = t.AddDays(random.Next(1, 120));
            }
        }

        await PostAsync(events);
    }

    public string Track(string user, int stage, DateTimeOffset at, Random random)
    {
        var touchpoint = Touchpoints.Where(t => t.Stage == Repair.Stages[stage].Key).ElementAt(stage == 0 ? random.Next(2) : 0);
        return $$"""{"type":"track","userId":"{{user}}","event":"{{touchpoint.Event}}","messageId":"{{Next()}}","timestamp":"{{at.ToString("O", CultureInfo.InvariantCulture)}}"}""";
    }

    public async Task PostAsync(List<string> events)
    {
        foreach (var chunk in events.Chunk(200))
        {
            var response = await server.PostJsonAsync("/v1/batch", "{\"batch\":[" + string.Join(",", chunk) + "]}");
            response.EnsureSuccessStatusCode();
        }
    }

    /// <summary>Survey responses (NPS, CSAT, CES) at touchpoints, some with a sentiment, and a signal with a sentiment.</summary>
    public async Task AddFeedbackAsync(DateTimeOffset at)
    {
        await using var database = new Database(server.Target);
        await using var connection = await database.OpenAsync();
        var customers = (await connection.QueryAsync<long>("SELECT id FROM customers WHERE workspace_id = @WorkspaceId ORDER BY id", new { WorkspaceId })).ToList();
        var random = new Random(5);
        var ms = at.ToUnixTimeMilliseconds();
        for (var i = 0; i < 60; i++)
        {
            var touchpoint = Touchpoints[i % Touchpoints.Length].Key;
            var id = await connection.ExecuteScalarAsync<long>(
                """
                INSERT INTO survey_responses (workspace_id, survey_id, customer_id, touchpoint_id, source, status, answers, nps, csat, ces, submitted_at, created_at, updated_at)
                VALUES (@WorkspaceId, 1, @customer, @touchpoint, 'api', @status, '{}', @nps, @csat, @ces, @at, @at, @at) RETURNING id
                """,
                new
                {
                    WorkspaceId,
                    customer = customers[i % customers.Count],
                    touchpoint = TouchpointIds[touchpoint],
                    status = i % 13 == 0 ? "partial" : "completed",
                    nps = i % 3 == 0 ? random.Next(0, 11) : (int?)null,
                    csat = i % 3 == 1 ? random.Next(1, 6) : (int?)null,
                    ces = i % 3 == 2 ? random.Next(1, 8) : (int?)null,
                    at = ms + (i * 3_600_000L),
                });
            if (i % 2 == 0)
            {
                await AnalyseAsync(connection, "response", id, (random.NextDouble() * 2) - 1);
            }
        }

        var signal = await connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO signals (workspace_id, source, customer_id, text, touchpoint_id, occurred_at, received_at)
            VALUES (@WorkspaceId, 'complaint', @customer, 'The technician never came.', @touchpoint, @ms, @ms) RETURNING id
            """,
            new { WorkspaceId, customer = customers[0], touchpoint = TouchpointIds["technician"], ms });
        await AnalyseAsync(connection, "signal", signal, -0.9);
    }

    private Task AnalyseAsync(System.Data.Common.DbConnection connection, string kind, long id, double sentiment) =>
        connection.ExecuteAsync(
            """
            INSERT INTO text_analyses (workspace_id, item_kind, item_id, language, sentiment, label, emotions, themes, truncated, version, analyzed_at,
                day, survey_id, touchpoint_id)
            VALUES (@WorkspaceId, @kind, @id, 'en', @sentiment, 'x', '[]', '[]', 0, 'test', 0, 0, 0, 0)
            """,
            new { WorkspaceId, kind, id, sentiment });

    /// <summary>The same answer computed from the raw interactions and responses, without any stored instance or rollup.</summary>
    public async Task<JourneyAnalyticsView> BruteForceAsync(JourneyQueryOptions query, TimeSpan gap)
    {
        await using var database = new Database(server.Target);
        await using var connection = await database.OpenAsync();
        var builder = new JourneyInstanceBuilder(Repair, gap);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var traits = (await connection.QueryAsync<(long Id, string? Traits)>("SELECT id, traits FROM customers")).ToDictionary(c => c.Id, c => c.Traits);
        bool Matches(long customer) => query.Traits.All(f => traits.GetValueOrDefault(customer) is { } json
            && JsonDocument.Parse(json).RootElement.TryGetProperty(f.Trait!, out var v) && v.ToString() == f.Value);

        var raw = await connection.QueryAsync<(long Id, long CustomerId, string Stage, string? Channel, long OccurredAt)>(
            "SELECT id, customer_id, stage, channel, occurred_at FROM interactions WHERE journey_key = 'repair' AND stage IS NOT NULL");
        var tally = new JourneyTally();
        foreach (var customer in raw.GroupBy(r => r.CustomerId).Where(g => Matches(g.Key)))
        {
            foreach (var instance in builder.Build(customer.Select(r => (new JourneyEvent(r.Stage, r.OccurredAt, r.Channel ?? ""), r.Id)), now))
            {
                var day = JourneyTally.DayOf(instance.StartedAt);
                if (day >= query.FromDay && day < query.ToDay && (query.Channel is null || instance.Channel == query.Channel))
                {
                    tally.Add(instance, builder, 1, byCell: false);
                }
            }
        }

        var stageOf = Touchpoints.Where(t => query.Channel is null || t.Channel == query.Channel).ToDictionary(t => TouchpointIds[t.Key], t => t.Stage);
        var feedback = new Dictionary<string, StageFeedback>();
        var responses = await connection.QueryAsync<(long Id, long CustomerId, long TouchpointId, string Status, long? Nps, long? Csat, long? Ces, long SubmittedAt)>(
            "SELECT id, customer_id, touchpoint_id, status, CAST(nps AS BIGINT), CAST(csat AS BIGINT), CAST(ces AS BIGINT), submitted_at FROM survey_responses");
        var sentiments = (await connection.QueryAsync<(string Kind, long Id, double Sentiment)>("SELECT item_kind, item_id, sentiment FROM text_analyses"))
            .ToDictionary(s => (s.Kind, s.Id), s => s.Sentiment);
        void Add(string stage, StageFeedback add) => feedback[stage] = feedback.TryGetValue(stage, out var f) ? f.Plus(add) : add;
        foreach (var r in responses.Where(r => r.Status == "completed" && stageOf.ContainsKey(r.TouchpointId) && r.SubmittedAt >= query.FromMs && r.SubmittedAt < query.ToMs && Matches(r.CustomerId)))
        {
            var hasSentiment = sentiments.TryGetValue(("response", r.Id), out var s);
            Add(stageOf[r.TouchpointId], new StageFeedback(
                r.Nps is null ? 0 : 1, r.Nps ?? 0, r.Csat is null ? 0 : 1, r.Csat ?? 0, r.Ces is null ? 0 : 1, r.Ces ?? 0, hasSentiment ? 1 : 0, hasSentiment ? s : 0));
        }

        foreach (var s in await connection.QueryAsync<(long Id, long CustomerId, long TouchpointId, long OccurredAt)>("SELECT id, customer_id, touchpoint_id, occurred_at FROM signals"))
        {
            if (stageOf.TryGetValue(s.TouchpointId, out var stage) && s.OccurredAt >= query.FromMs && s.OccurredAt < query.ToMs && Matches(s.CustomerId)
                && sentiments.TryGetValue(("signal", s.Id), out var sentiment))
            {
                Add(stage, new StageFeedback(0, 0, 0, 0, 0, 0, 1, sentiment));
            }
        }

        return JourneyReport.Create(builder, tally, feedback, query);
    }

    private string Next() => string.Create(CultureInfo.InvariantCulture, $"m-{++_message}");

    public static string Describe(JourneyAnalyticsView view)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"instances {view.Instances}\n");
        foreach (var s in view.Stages)
        {
            text.Append(CultureInfo.InvariantCulture, $"{s.Stage}: {s.Entered} {s.Converted} {s.DropOff} {s.InProgress} {s.TimeToNext}\n");
        }

        foreach (var p in view.Paths)
        {
            text.Append(CultureInfo.InvariantCulture, $"{string.Join(">", p.Stages)}: {p.Instances} {p.Share} {p.Loops} {p.Skips}\n");
        }

        foreach (var e in view.Emotion)
        {
            text.Append(CultureInfo.InvariantCulture, $"{e}\n");
        }

        return text.Append(view.MomentOfPain).ToString();
    }
}
