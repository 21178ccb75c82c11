using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OpenCem.Analytics.Metrics;
using OpenCem.Tests.Feedback;
using OpenCem.Tests.Hosting;

namespace OpenCem.Tests.Analytics.Metrics;

/// <summary>One generated response as the test knows it, for brute-force recounts.</summary>
internal sealed record RawResponse(
    long SurveyId, string? Touchpoint, string? Channel, string? Journey, string? Stage, string? Language, string? Plan, string? Region,
    IReadOnlyDictionary<string, double> Numbers, IReadOnlyDictionary<string, string> Choices, DateTimeOffset SubmittedAt);

/// <summary>
/// A catalogue (two journeys, four touchpoints), customers with plan and region, the NPS and service surveys of
/// <see cref="SurveyFixtures"/>, and random responses stored through the API and the CSV import.
/// </summary>
internal sealed class MetricsFixture
{
    public static readonly (string Key, string Channel, string Journey, string Stage)[] Touchpoints =
    [
        ("web-form", "web", "fault-repair", "reported"), ("hotline", "phone", "fault-repair", "reported"),
        ("technician", "field", "fault-repair", "visit"), ("bill-app", "app", "billing", "bill"),
    ];

    public static readonly string[] Plans = ["mobile", "broadband", "tv"];
    public static readonly string[] Regions = ["north", "south", "east"];

    public long NpsSurvey { get; private set; }

    public long ServiceSurvey { get; private set; }

    public List<RawResponse> Responses { get; } = [];

    public Dictionary<string, (string Plan, string Region)> Customers { get; } = [];

    public static async Task<MetricsFixture> CreateAsync(TestServer server, int seed, int posted, int imported)
    {
        var fixture = new MetricsFixture();
        var rng = new Random(seed);
        foreach (var journey in new[] { ("fault-repair", new[] { "reported", "visit" }), ("billing", new[] { "bill" }) })
        {
            var created = await server.Admin.PostAsJsonAsync("/api/v1/journeys", new
            {
                key = journey.Item1,
                name = journey.Item1,
                stages = journey.Item2.Select(s => new { key = s, name = s }).ToArray(),
            });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        foreach (var (key, channel, journey, stage) in Touchpoints)
        {
            var created = await server.Admin.PostAsJsonAsync("/api/v1/touchpoints", new { key, name = key, channel, journey, stage, events = Array.Empty<string>() });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        var records = new List<object>();
        for (var c = 0; c < 24; c++)
        {
            var (plan, region) = (Plans[rng.Next(Plans.Length)], Regions[rng.Next(Regions.Length)]);
            fixture.Customers[$"u-{c}"] = (plan, region);
            records.Add(new { id = $"C-{c}", identifiers = new { userId = $"u-{c}" }, plan, region });
        }

        Assert.Equal(HttpStatusCode.OK, (await server.Admin.PostAsJsonAsync("/api/v1/sources/crm/records", records)).StatusCode);
        fixture.NpsSurvey = await CreateSurveyAsync(server, "NPS", SurveyFixtures.Nps);
        fixture.ServiceSurvey = await CreateSurveyAsync(server, "Service", SurveyFixtures.Service);

        var start = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < posted; i++)
        {
            var (userId, touchpoint, language, at) = fixture.Pick(rng, start);
            var service = rng.NextDouble() < 0.5;
            var answers = new Dictionary<string, object>();
            var numbers = new Dictionary<string, double>();
            var choices = new Dictionary<string, string>();
            if (service)
            {
                answers["csat"] = numbers["csat"] = rng.Next(1, 6);
                if (rng.NextDouble() < 0.8)
                {
                    answers["ces"] = numbers["ces"] = rng.Next(1, 8);
                }

                var speed = rng.Next(1, 6);
                answers["attributes"] = new Dictionary<string, int> { ["speed"] = speed };
                numbers["attributes.speed"] = speed;
                var resolved = rng.NextDouble() < 0.6;
                answers["resolved"] = resolved;
                numbers["resolved"] = resolved ? 1 : 0;
            }
            else
            {
                var nps = rng.Next(0, 11);
                answers["nps"] = numbers["nps"] = nps;
                if (nps <= 6)
                {
                    answers["reason"] = choices["answer.reason"] = new[] { "price", "service", "network" }[rng.Next(3)];
                }
            }

            var survey = service ? fixture.ServiceSurvey : fixture.NpsSurvey;
            var body = new Dictionary<string, object?>
            {
                ["surveyId"] = survey,
                ["userId"] = userId,
                ["touchpoint"] = touchpoint?.Key,
                ["language"] = language,
                ["submittedAt"] = at.ToString("O", CultureInfo.InvariantCulture),
                ["answers"] = answers,
            };
            var stored = await server.Admin.PostAsJsonAsync("/api/v1/responses", body.Where(p => p.Value is not null).ToDictionary());
            Assert.True(stored.IsSuccessStatusCode, await stored.Content.ReadAsStringAsync());
            fixture.Add(survey, userId, touchpoint, language, numbers, choices, at);
        }

        var csv = new StringBuilder("responseId,userId,submittedAt,touchpoint,language,nps,reason\n");
        for (var i = 0; i < imported; i++)
        {
            var (userId, touchpoint, language, at) = fixture.Pick(rng, start);
            var nps = rng.Next(0, 11);
            var reason = nps <= 6 ? new[] { "price", "service", "network" }[rng.Next(3)] : null;
            csv.Append(CultureInfo.InvariantCulture, $"imp-{i},{userId},{at:O},{touchpoint?.Key},{language},{nps},{reason}\n");
            fixture.Add(fixture.NpsSurvey, userId, touchpoint, language, new Dictionary<string, double> { ["nps"] = nps },
                reason is null ? [] : new Dictionary<string, string> { ["answer.reason"] = reason }, at);
        }

        if (imported > 0)
        {
            var result = await server.Admin.PostAsync($"/api/v1/surveys/{fixture.NpsSurvey}/responses/import", new StringContent(csv.ToString(), Encoding.UTF8, "text/csv"));
            Assert.Equal(HttpStatusCode.OK, result.StatusCode);
            Assert.Equal(imported, (await result.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("stored").GetInt64());
        }

        return fixture;
    }

    /// <summary>The rows a brute-force count over the raw responses gives, keyed by period start and group values.</summary>
    public static Dictionary<(long Period, string Group), MetricResult> BruteForce(
        IEnumerable<RawResponse> responses, MetricKind metric, string question, MetricInterval interval, IReadOnlyList<string> by, Func<RawResponse, string, string?> value)
    {
        var tallies = new Dictionary<(long, string), MetricTally>();
        foreach (var response in responses)
        {
            if (!response.Numbers.TryGetValue(question, out var x))
            {
                continue;
            }

            var period = MetricPeriods.Start(interval, response.SubmittedAt.ToUnixTimeMilliseconds());
            var key = (period, string.Join("|", by.Select(d => value(response, d) ?? "(null)")));
            var tally = tallies.GetValueOrDefault(key);
            tally.Add((long)Math.Floor(x), 1, x, x * x);
            tallies[key] = tally;
        }

        return tallies.ToDictionary(t => t.Key, t => t.Value.Evaluate(metric)!);
    }

    public static string? Value(RawResponse response, string dimension) => dimension switch
    {
        "touchpoint" => response.Touchpoint,
        "channel" => response.Channel,
        "journey" => response.Journey,
        "stage" => response.Stage,
        "language" => response.Language,
        "survey" => response.SurveyId.ToString(CultureInfo.InvariantCulture),
        "trait.plan" => response.Plan,
        "trait.region" => response.Region,
        _ => response.Choices.GetValueOrDefault(dimension),
    };

    private void Add(
        long survey, string userId, (string Key, string Channel, string Journey, string Stage)? touchpoint, string? language,
        Dictionary<string, double> numbers, Dictionary<string, string> choices, DateTimeOffset at)
    {
        var customer = Customers[userId];
        Responses.Add(new RawResponse(
            survey, touchpoint?.Key, touchpoint?.Channel, touchpoint?.Journey, touchpoint?.Stage, language, customer.Plan, customer.Region, numbers, choices,
            DateTimeOffset.FromUnixTimeMilliseconds(at.ToUnixTimeMilliseconds())));
    }

    private (string UserId, (string Key, string Channel, string Journey, string Stage)? Touchpoint, string? Language, DateTimeOffset At) Pick(Random rng, DateTimeOffset start)
    {
        var userId = $"u-{rng.Next(Customers.Count)}";
        (string, string, string, string)? touchpoint = rng.NextDouble() < 0.9 ? Touchpoints[rng.Next(Touchpoints.Length)] : null;
        var language = rng.NextDouble() < 0.5 ? "de" : "en";
        var at = start.AddMinutes(rng.Next(0, 182 * 24 * 60)).AddSeconds(rng.Next(60));
        return (userId, touchpoint, language, at);
    }

    private static async Task<long> CreateSurveyAsync(TestServer server, string name, string definition)
    {
        var created = await server.PostJsonAsync("/api/v1/surveys", SurveyFixtures.Create(name, definition), server.Admin);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }
}
