using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using OpenCem.Organisation.Pulse;
using OpenCem.Storage;
using OpenCem.Tests.Feedback;
using OpenCem.Tests.Hosting;
using OpenCem.Tests.Infrastructure;

namespace OpenCem.Tests.Organisation;

/// <summary>
/// The employee pulse through HTTP on both databases: an attacker asks for every combination of attributes and
/// periods and subtracts whatever it can, and fails to isolate the one employee alone in a location; the other read
/// paths give nothing away one by one.
/// </summary>
public sealed class PulseApiTests
{
    private const string Pulse = """
        {"audience": "employees", "elements": [
          {"type": "radiogroup", "name": "team", "isRequired": true, "choices": ["support", "shops", "field"]},
          {"type": "dropdown", "name": "location", "isRequired": true, "choices": ["innsbruck", "vienna", "bolzano"]},
          {"type": "radiogroup", "name": "tenure", "isRequired": true, "choices": ["new", "long"]},
          {"type": "rating", "name": "enps", "role": "nps", "rateMin": 0, "rateMax": 10, "isRequired": true},
          {"type": "rating", "name": "tools", "rateMin": 1, "rateMax": 5},
          {"type": "comment", "name": "comment", "role": "verbatim"}]}
        """;

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Pulse_EveryFilterCombinationAndDifference_NeverIsolatesOneEmployee(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        var survey = await CreateSurveyAsync(server);
        var random = new Random(7);
        var answered = 0;
        foreach (var quarter in new[] { 1, 4, 7, 10 })
        {
            // The support team of six, one of them alone in Bolzano; shops and field service larger, spread over two locations.
            var staff = Enumerable.Repeat(("support", "innsbruck"), 5).Append(("support", "bolzano"))
                .Concat(Enumerable.Repeat(("shops", "innsbruck"), 7)).Concat(Enumerable.Repeat(("shops", "vienna"), 6))
                .Concat(Enumerable.Repeat(("field", "vienna"), 9)).Concat(Enumerable.Repeat(("field", "innsbruck"), 3));
            foreach (var (team, location) in staff)
            {
                var body = new
                {
                    surveyId = survey,
                    userId = $"employee-{answered}",
                    email = $"employee{answered}@example.com",
                    responseId = $"staff-{answered}",
                    submittedAt = new DateTimeOffset(2024, quarter, 10, 9, answered % 60, 0, TimeSpan.Zero).ToString("O"),
                    answers = new Dictionary<string, object>
                    {
                        ["team"] = team,
                        ["location"] = location,
                        ["tenure"] = random.Next(3) == 0 ? "new" : "long",
                        ["enps"] = location == "bolzano" ? 0 : random.Next(4, 11),
                        ["tools"] = random.Next(1, 6),
                        ["comment"] = $"comment {answered}",
                    },
                };
                var response = await server.Admin.PostAsJsonAsync("/api/v1/responses", body);
                Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
                answered++;
            }
        }

        // Every combination: both period levels, grouping by none, one or two attributes, each other attribute unfiltered or filtered to each value.
        var first = await GetAsync(server, $"/api/v1/pulse/enps?survey={survey}");
        var attributes = first.GetProperty("attributes").EnumerateObject().Select(a => (a.Name, Values: a.Value.EnumerateArray().Select(v => v.GetString()).ToList())).ToList();
        var shown = new Dictionary<(string Period, string Group), long>();
        var requests = 0;
        foreach (var period in new[] { "quarter", "year" })
        {
            foreach (var by in Subsets(attributes.Select(a => a.Name).ToList()).Where(s => s.Count <= PulseRequest.MaxBy))
            {
                foreach (var filters in Filters(attributes.Where(a => !by.Contains(a.Name)).ToList()))
                {
                    var query = $"/api/v1/pulse/enps?survey={survey}&period={period}" + (by.Count > 0 ? "&by=" + string.Join(",", by) : "") +
                        string.Concat(filters.Select(f => $"&filter={f.Name}:{f.Value}"));
                    requests++;
                    foreach (var row in (await GetAsync(server, query)).GetProperty("rows").EnumerateArray())
                    {
                        Assert.True(row.GetProperty("suppressed").GetBoolean() == (row.GetProperty("n").ValueKind == JsonValueKind.Null), query);
                        if (!row.GetProperty("suppressed").GetBoolean())
                        {
                            var group = filters.Select(f => (f.Name, (string?)f.Value)).Concat(row.GetProperty("group").EnumerateObject().Select(g => (g.Name, g.Value.GetString())));
                            shown[(row.GetProperty("period").GetString()!, Key(attributes, group))] = row.GetProperty("n").GetInt64();
                        }
                    }
                }
            }
        }

        // The attacker's lattice: the year 2024 over its four quarters, the attributes with every value the API lists.
        string[] periods = ["2024", "2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"];
        var known = shown.ToDictionary(s => new PulseGroup(Array.IndexOf(periods, s.Key.Period), ulong.Parse(s.Key.Group, System.Globalization.NumberStyles.HexNumber, null)), s => s.Value);
        Assert.DoesNotContain(known.Keys, g => g.Period < 0);
        Assert.Null(AnonymityAttack.Isolate(known, [-1, 0, 0, 0, 0], [.. attributes.Select(a => a.Values.Count)], AnonymityPolicy.DefaultMinimum));
        Assert.True(requests > 100, $"{requests} requests");
        Assert.True(known.Count >= 20, $"only {known.Count} groups shown");
        var bolzano = (await GetAsync(server, $"/api/v1/pulse/enps?survey={survey}&period=year&filter=location:bolzano")).GetProperty("rows")[0];
        Assert.True(bolzano.GetProperty("suppressed").GetBoolean());
        Assert.Equal(JsonValueKind.Null, bolzano.GetProperty("value").ValueKind);
        var year = (await GetAsync(server, $"/api/v1/pulse/enps?survey={survey}&period=year")).GetProperty("rows")[0];
        Assert.Equal(answered, year.GetProperty("n").GetInt64());

        // The other paths: nothing one by one, nothing linked to a person, no free ranges.
        Assert.Equal(HttpStatusCode.Forbidden, (await server.Admin.GetAsync($"/api/v1/surveys/{survey}/responses")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await server.Admin.GetAsync($"/api/v1/surveys/{survey}/responses?format=csv")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await server.Admin.GetAsync("/api/v1/analytics/metrics?metric=enps&by=answer.team")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await server.Admin.GetAsync($"/api/v1/analytics/drivers?survey={survey}&outcome=enps")).StatusCode);
        var summary = await GetAsync(server, $"/api/v1/surveys/{survey}/summary?from=2024-01-01&to=2024-06-20");
        Assert.False(summary.TryGetProperty("n", out var n) && n.ValueKind != JsonValueKind.Null, "a free range shows n");
        Assert.True(summary.GetProperty("anonymity").GetProperty("suppressed").GetBoolean());
        var quarter1 = await GetAsync(server, $"/api/v1/surveys/{survey}/summary?from=2024-01-01&to=2024-03-31");
        Assert.Equal(31, quarter1.GetProperty("n").GetInt64());
        var comments = await GetAsync(server, $"/api/v1/pulse/comments?survey={survey}&period=2024-Q1");
        Assert.Equal(31, comments.GetProperty("comments").GetArrayLength());
        await using var database = new Database(server.Target);
        await using var connection = await database.OpenAsync();
        Assert.Equal(0L, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM survey_responses WHERE customer_id IS NOT NULL OR external_id LIKE 'staff-%'"));
        Assert.Equal(0L, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM customers"));
        Assert.Equal(0L, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM events"));
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Pulse_BadParametersAndSettings_AreProblemDetailsNamingTheField(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        var survey = await CreateSurveyAsync(server);
        foreach (var (query, field) in new[]
        {
            ($"enps?survey={survey}&period=month", "period"),
            ($"enps?survey={survey}&by=colour", "by"),
            ($"enps?survey={survey}&by=team,location,tenure", "by"),
            ($"enps?survey={survey}&filter=team:support|shops", "filter"),
            ($"enps?survey={survey}&by=team&filter=team:support", "filter"),
            ("enps?survey=abc", "survey"),
            ($"enps?survey={survey}&from=soon", "from"),
            ($"comments?survey={survey}&period=2024-Q9", "period"),
        })
        {
            var response = await server.Admin.GetAsync("/api/v1/pulse/" + query);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{query}: {response.StatusCode}");
            Assert.Equal(field, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
        }

        Assert.Equal(HttpStatusCode.NotFound, (await server.Admin.GetAsync("/api/v1/pulse/enps?survey=999999")).StatusCode);
        var low = await server.Admin.PutAsJsonAsync("/api/v1/pulse/settings", new { minimumGroup = 2 });
        Assert.Equal("minimumGroup", (await low.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
        var set = await server.Admin.PutAsJsonAsync("/api/v1/pulse/settings", new { minimumGroup = 8 });
        Assert.Equal(8, (await set.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("minimumGroupInForce").GetInt32());
        Assert.Equal(8, (await GetAsync(server, $"/api/v1/pulse/enps?survey={survey}")).GetProperty("minimumGroup").GetInt32());
    }

    private static string Key(List<(string Name, List<string?> Values)> attributes, IEnumerable<(string Name, string? Value)> group)
    {
        var values = new int[attributes.Count];
        foreach (var (name, value) in group)
        {
            var a = attributes.FindIndex(x => x.Name == name);
            values[a] = attributes[a].Values.IndexOf(value) + 1;
        }

        return PulseGroup.Pack(values).ToString("x", System.Globalization.CultureInfo.InvariantCulture);
    }

    private static IEnumerable<List<string>> Subsets(List<string> names) =>
        Enumerable.Range(0, 1 << names.Count).Select(mask => names.Where((_, i) => (mask & (1 << i)) != 0).ToList());

    private static IEnumerable<List<(string Name, string Value)>> Filters(List<(string Name, List<string?> Values)> attributes)
    {
        IEnumerable<List<(string, string)>> all = [[]];
        foreach (var (name, values) in attributes)
        {
            all = [.. all.SelectMany(f => values.OfType<string>().Select(v => (List<(string, string)>)[.. f, (name, v)]).Prepend(f))];
        }

        return all;
    }

    private static async Task<JsonElement> GetAsync(TestServer server, string path)
    {
        var response = await server.Admin.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<long> CreateSurveyAsync(TestServer server)
    {
        var created = await server.PostJsonAsync("/api/v1/surveys", SurveyFixtures.Create("Pulse", Pulse), server.Admin);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }
}
