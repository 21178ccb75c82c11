using System.Data.Common;
using System.Globalization;
using Dapper;
using Npgsql;
using NpgsqlTypes;
using OpenCem.Feedback.Surveys;
using OpenCem.Interactions;
using OpenCem.Storage;

namespace OpenCem.AnalyticsBench;

/// <summary>
/// The benchmark's company, bulk-inserted straight into the tables (setup, not the thing measured): 40 touchpoints in
/// 5 journeys over 8 channels, customers with plan, region, line of business and life-cycle stage, six surveys, and
/// interactions and responses spread over two years with realistic score distributions.
/// </summary>
internal sealed class BenchData(Database database, long workspaceId, int seed)
{
    public static readonly DateTimeOffset Start = new(2023, 6, 1, 0, 0, 0, TimeSpan.Zero);
    public const int Days = 730;

    private static readonly string[] Channels = ["web", "app", "phone", "chat", "email", "shop", "field", "social"];
    private static readonly string[] JourneyKeys = ["onboarding", "billing", "fault-repair", "renewal", "cancellation"];
    private static readonly string[] Plans = ["mobile", "broadband", "tv", "bundle"];
    private static readonly string[] Regions = ["north", "south", "east", "west", "central", "alps"];
    private static readonly string[] Lines = ["consumer", "business", "wholesale"];
    private static readonly string[] Stages = ["new", "active", "active", "active", "at risk", "won back"];

    public List<Touchpoint> Touchpoints { get; } = [];

    public Dictionary<string, long> Surveys { get; } = [];

    public async Task CatalogueAsync()
    {
        var store = new CatalogueStore(database, TimeProvider.System);
        foreach (var journey in JourneyKeys)
        {
            await store.SaveJourneyAsync(workspaceId, new Journey(journey, journey, null, [new JourneyStage("start", "Start"), new JourneyStage("middle", "Middle"), new JourneyStage("end", "End")]));
        }

        for (var i = 0; i < 40; i++)
        {
            var (saved, _) = await store.SaveTouchpointAsync(workspaceId, new Touchpoint(
                0, $"tp-{i:00}", $"Touchpoint {i}", Channels[i % Channels.Length], JourneyKeys[i % JourneyKeys.Length], new[] { "start", "middle", "end" }[i / 5 % 3], []));
            Touchpoints.Add(saved);
        }
    }

    public async Task SurveysAsync()
    {
        var store = new SurveyStore(database, TimeProvider.System);
        (string Key, string Json)[] surveys =
        [
            ("relationship", """{"elements": [{"type": "rating", "name": "nps", "role": "nps", "rateMin": 0, "rateMax": 10}, {"type": "radiogroup", "name": "reason", "choices": ["price", "service", "network", "other"]}]}"""),
            ("repair", """{"elements": [{"type": "rating", "name": "csat", "role": "csat", "rateMin": 1, "rateMax": 5}, {"type": "rating", "name": "ces", "role": "ces", "rateMin": 1, "rateMax": 7}, {"type": "rating", "name": "speed", "rateMin": 1, "rateMax": 5}, {"type": "rating", "name": "staff", "rateMin": 1, "rateMax": 5}]}"""),
            ("support", """{"elements": [{"type": "rating", "name": "ces", "role": "ces", "rateMin": 1, "rateMax": 7}, {"type": "boolean", "name": "resolved"}]}"""),
            ("onboarding", """{"elements": [{"type": "rating", "name": "csat", "role": "csat", "rateMin": 1, "rateMax": 5}, {"type": "rating", "name": "nps", "role": "nps", "rateMin": 0, "rateMax": 10}]}"""),
            ("expectations", """{"elements": [{"type": "rating", "name": "network", "rateMin": 1, "rateMax": 7}, {"type": "rating", "name": "price", "rateMin": 1, "rateMax": 7}]}"""),
            ("pulse", """{"audience": "employees", "elements": [{"type": "radiogroup", "name": "team", "choices": ["call-centre", "shops", "field-service", "back-office"]}, {"type": "rating", "name": "enps", "role": "nps", "rateMin": 0, "rateMax": 10}]}"""),
        ];
        foreach (var (key, json) in surveys)
        {
            Surveys[key] = await store.CreateAsync(workspaceId, key, SurveyDefinitionParser.Parse(json), json, SurveySettings.Default);
        }
    }

    /// <summary>Customers with traits; returns the first customer id (ids are consecutive).</summary>
    public async Task<long> CustomersAsync(int count)
    {
        var rng = new Random(seed);
        await using var connection = await database.OpenAsync();
        var first = await connection.ExecuteScalarAsync<long?>("SELECT max(id) FROM customers") ?? 0;
        var rows = Enumerable.Range(0, count).Select(i => new object?[]
        {
            workspaceId, Start.ToUnixTimeMilliseconds(), Start.ToUnixTimeMilliseconds(),
            $$"""{"plan":"{{Plans[rng.Next(Plans.Length)]}}","region":"{{Regions[rng.Next(Regions.Length)]}}","lineOfBusiness":"{{Lines[rng.Next(Lines.Length)]}}","lifecycleStage":"{{Stages[rng.Next(Stages.Length)]}}"}""",
        });
        await BulkAsync(connection, "customers", ["workspace_id", "created_at", "updated_at", "traits"], [NpgsqlDbType.Bigint, NpgsqlDbType.Bigint, NpgsqlDbType.Bigint, NpgsqlDbType.Text], rows);
        return first + 1;
    }

    public async Task InteractionsAsync(long count, long firstCustomer, int customers)
    {
        var rng = new Random(seed + 1);
        await using var connection = await database.OpenAsync();
        var outcomes = new[] { "success", "success", "success", "failure", "abandoned" };
        var rows = Enumerable.Range(0, checked((int)count)).Select(i =>
        {
            var tp = Touchpoints[rng.Next(Touchpoints.Count)];
            var at = Start.ToUnixTimeMilliseconds() + (long)(rng.NextDouble() * Days * 86_400_000L);
            return new object?[]
            {
                workspaceId, "m-" + i.ToString(CultureInfo.InvariantCulture), at, firstCustomer + rng.Next(customers), "track", "Event " + tp.Key, at, at,
                tp.Id, tp.Channel, tp.Journey, tp.Stage, outcomes[rng.Next(outcomes.Length)], (double)rng.Next(1, 8),
            };
        });
        await BulkAsync(
            connection, "interactions",
            ["workspace_id", "message_id", "client_ts", "customer_id", "type", "event", "occurred_at", "received_at", "touchpoint_id", "channel", "journey_key", "stage", "outcome", "effort"],
            [NpgsqlDbType.Bigint, NpgsqlDbType.Text, NpgsqlDbType.Bigint, NpgsqlDbType.Bigint, NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Bigint, NpgsqlDbType.Bigint,
             NpgsqlDbType.Bigint, NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Double],
            rows);
    }

    /// <summary>Responses to the six surveys (shares 25/25/20/15/10/5 %), scores drifting a little over time and by touchpoint.</summary>
    public async Task ResponsesAsync(long count, long firstCustomer, int customers)
    {
        var rng = new Random(seed + 2);
        await using var connection = await database.OpenAsync();
        (string Survey, double Share)[] mix = [("relationship", 0.25), ("repair", 0.25), ("support", 0.2), ("onboarding", 0.15), ("expectations", 0.1), ("pulse", 0.05)];
        var rows = Enumerable.Range(0, checked((int)count)).Select(i =>
        {
            var u = rng.NextDouble();
            var survey = mix[^1].Survey;
            foreach (var (name, share) in mix)
            {
                if ((u -= share) < 0)
                {
                    survey = name;
                    break;
                }
            }

            var day = rng.NextDouble() * Days;
            var at = Start.ToUnixTimeMilliseconds() + (long)(day * 86_400_000L);
            var tp = Touchpoints[survey == "repair" ? 2 + (5 * rng.Next(8)) : rng.Next(Touchpoints.Count)];
            var mood = Gaussian(rng) + (day / Days * 0.4) + (tp.Id % 7 * 0.08) - 0.2;
            int Scale(int min, int max, double centre) => Math.Clamp((int)Math.Round(centre + ((max - min) / 4.0 * mood)), min, max);
            int? nps = null, csat = null, ces = null;
            string answers;
            switch (survey)
            {
                case "relationship":
                    nps = Scale(0, 10, 7.5);
                    answers = nps <= 6 ? $$"""{"nps":{{nps}},"reason":"{{new[] { "price", "service", "network", "other" }[rng.Next(4)]}}"}""" : $$"""{"nps":{{nps}}}""";
                    break;
                case "repair":
                    csat = Scale(1, 5, 3.6);
                    ces = Scale(1, 7, 4.2);
                    answers = $$"""{"csat":{{csat}},"ces":{{ces}},"speed":{{Scale(1, 5, 3.2)}},"staff":{{Scale(1, 5, 3.9)}}}""";
                    break;
                case "support":
                    ces = Scale(1, 7, 5.1);
                    answers = $$"""{"ces":{{ces}},"resolved":{{(rng.NextDouble() < 0.7 ? "true" : "false")}}}""";
                    break;
                case "onboarding":
                    csat = Scale(1, 5, 4.0);
                    nps = Scale(0, 10, 8.0);
                    answers = $$"""{"csat":{{csat}},"nps":{{nps}}}""";
                    break;
                case "expectations":
                    answers = $$"""{"network":{{Scale(1, 7, 5.2)}},"price":{{Scale(1, 7, 4.4)}}}""";
                    break;
                default:
                    nps = Scale(0, 10, 7);
                    answers = $$"""{"team":"{{new[] { "call-centre", "shops", "field-service", "back-office" }[rng.Next(4)]}}","enps":{{nps}}}""";
                    break;
            }

            var anonymous = survey == "pulse";
            return new object?[]
            {
                workspaceId, Surveys[survey], anonymous ? null : firstCustomer + rng.Next(customers), anonymous ? null : tp.Id, anonymous ? null : tp.Channel,
                rng.NextDouble() < 0.7 ? "de" : "en", "import", "completed", answers, nps, csat, ces, at, at, at,
            };
        });
        await BulkAsync(
            connection, "survey_responses",
            ["workspace_id", "survey_id", "customer_id", "touchpoint_id", "channel", "language", "source", "status", "answers", "nps", "csat", "ces", "submitted_at", "created_at", "updated_at"],
            [NpgsqlDbType.Bigint, NpgsqlDbType.Bigint, NpgsqlDbType.Bigint, NpgsqlDbType.Bigint, NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Text,
             NpgsqlDbType.Text, NpgsqlDbType.Integer, NpgsqlDbType.Integer, NpgsqlDbType.Integer, NpgsqlDbType.Bigint, NpgsqlDbType.Bigint, NpgsqlDbType.Bigint],
            rows);
    }

    private static double Gaussian(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    /// <summary>COPY on PostgreSQL; one prepared INSERT per row in transactions of 100,000 on SQLite.</summary>
    private static async Task BulkAsync(DbConnection connection, string table, string[] columns, NpgsqlDbType[] types, IEnumerable<object?[]> rows)
    {
        if (connection is NpgsqlConnection postgres)
        {
            await using var copy = await postgres.BeginBinaryImportAsync($"COPY {table} ({string.Join(", ", columns)}) FROM STDIN (FORMAT BINARY)");
            foreach (var row in rows)
            {
                await copy.StartRowAsync();
                for (var i = 0; i < row.Length; i++)
                {
                    await copy.WriteAsync(row[i] ?? DBNull.Value, types[i]);
                }
            }

            await copy.CompleteAsync();
            return;
        }

        foreach (var chunk in rows.Chunk(100_000))
        {
            await using var transaction = await connection.BeginTransactionAsync();
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select((_, i) => "$" + (i + 1)))})";
            var parameters = columns.Select((_, i) =>
            {
                var p = command.CreateParameter();
                p.ParameterName = "$" + (i + 1);
                command.Parameters.Add(p);
                return p;
            }).ToArray();
            await command.PrepareAsync();
            foreach (var row in chunk)
            {
                for (var i = 0; i < row.Length; i++)
                {
                    parameters[i].Value = row[i] ?? DBNull.Value;
                }

                await command.ExecuteNonQueryAsync();
            }

            await transaction.CommitAsync();
        }
    }
}
