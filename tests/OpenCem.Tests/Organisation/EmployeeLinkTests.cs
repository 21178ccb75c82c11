using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using OpenCem.Storage;
using OpenCem.Tests.Feedback;
using OpenCem.Tests.Hosting;
using OpenCem.Tests.Infrastructure;

namespace OpenCem.Tests.Organisation;

/// <summary>
/// Personal pulse links on both databases: each link takes one response, which starts with the link's group
/// attributes, and nothing stored ties the response to the link or to an employee.
/// </summary>
public sealed class EmployeeLinkTests
{
    private const string Pulse = """
        {"audience": "employees", "elements": [
          {"type": "radiogroup", "name": "team", "isRequired": true, "choices": ["support", "shops"]},
          {"type": "radiogroup", "name": "tenure", "choices": ["new", "long"]},
          {"type": "rating", "name": "enps", "role": "nps", "rateMin": 0, "rateMax": 10, "isRequired": true}]}
        """;

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task EmployeeLink_AllowsOneResponse_ThatCarriesTheGroupButNoIdentity(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        var survey = await CreateAsync(server, SurveyFixtures.Create("Pulse", Pulse));
        var created = await server.PostJsonAsync($"/api/v1/surveys/{survey}/employee-links", """{"employees": [{"team": "shops", "tenure": "long"}, {"team": "support"}]}""", server.Admin);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var links = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("links").EnumerateArray().Select(l => new Uri(l.GetString()!).PathAndQuery).ToList();
        Assert.Equal(2, links.Count);
        Assert.NotEqual(links[0], links[1]);

        using var browser = new RespondentClient(server);
        var page = await browser.GetAsync(links[0]);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Matches("value=\"shops\"[^>]*checked", page.Html);
        var done = await browser.SubmitAsync(page, "submit", ("team", "shops"), ("tenure", "long"), ("enps", "9"));
        Assert.Equal(HttpStatusCode.OK, done.Status);

        // Used up: opening it again, or submitting the page once more, stores nothing.
        var again = await browser.GetAsync(links[0]);
        Assert.Contains("You already completed this survey", again.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"enps\"", again.Html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Gone, (await browser.SubmitAsync(page, "submit", ("team", "shops"), ("enps", "0"))).Status);
        var (responses, invitations) = await RespondentClient.StoredAsync(server, survey);
        var response = Assert.Single(responses);
        Assert.Equal(("completed", (long?)null, (long?)null), (response.Status, response.CustomerId, response.InteractionId));
        Assert.Equal("""{"enps":9,"team":"shops","tenure":"long"}""", Canonical(response.Answers));
        Assert.Null(Assert.Single(invitations).CustomerId);

        // The link table holds group attributes and a used flag: no employee, no time of use, no response or invitation.
        await using (var connection = await server.Service<Database>().OpenAsync())
        {
            var row = (IDictionary<string, object>)(await connection.QueryAsync("SELECT * FROM employee_links ORDER BY id")).First();
            Assert.Equal(["attributes", "created_at", "id", "survey_id", "used", "workspace_id"], row.Keys.Order(StringComparer.Ordinal));
            Assert.Equal(1L, Convert.ToInt64(row["used"], System.Globalization.CultureInfo.InvariantCulture));
        }

        var counts = await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{survey}/employee-links");
        Assert.Equal((2L, 1L), (counts.GetProperty("links").GetInt64(), counts.GetProperty("used").GetInt64()));

        // The second link still works, once.
        var second = await browser.GetAsync(links[1]);
        Assert.Equal(HttpStatusCode.OK, (await browser.SubmitAsync(second, "submit", ("team", "support"), ("enps", "3"))).Status);
        Assert.Equal(2, (await RespondentClient.StoredAsync(server, survey)).Responses.Count);
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task EmployeeLinks_BadInput_NamesTheField_AndCustomerSurveysHaveNone(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        var survey = await CreateAsync(server, SurveyFixtures.Create("Pulse", Pulse));
        foreach (var (body, field) in new[]
        {
            ("""{"employees": [{"team": "shops", "email": "a@b.c"}]}""", "employees[0].email"),
            ("""{"employees": [{"team": "marketing"}]}""", "employees[0].team"),
            ("""{"employees": [{"enps": "9"}]}""", "employees[0].enps"),
            ("""{"employees": ["x"]}""", "employees[0]"),
            ("""{"employees": []}""", "employees"),
            ("""{"people": 3}""", "employees"),
        })
        {
            var refused = await server.PostJsonAsync($"/api/v1/surveys/{survey}/employee-links", body, server.Admin);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
            Assert.True((await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _), body);
        }

        Assert.Equal(HttpStatusCode.BadRequest, (await server.PostJsonAsync($"/api/v1/surveys/{survey}/employee-links", "{not json", server.Admin)).StatusCode);
        var customers = await CreateAsync(server, SurveyFixtures.Create("Customers", SurveyFixtures.Nps));
        Assert.Equal(HttpStatusCode.NotFound, (await server.PostJsonAsync($"/api/v1/surveys/{customers}/employee-links", """{"employees": [{}]}""", server.Admin)).StatusCode);
        Assert.Equal(0, (await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{survey}/employee-links")).GetProperty("links").GetInt64());
    }

    private static async Task<long> CreateAsync(TestServer server, string body)
    {
        var created = await server.PostJsonAsync("/api/v1/surveys", body, server.Admin);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    private static string Canonical(string json) =>
        JsonSerializer.Serialize(JsonDocument.Parse(json).RootElement.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal).ToDictionary(p => p.Name, p => p.Value));
}
