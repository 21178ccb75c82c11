using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OpenCem.Tests.Feedback;
using OpenCem.Tests.Hosting;

namespace OpenCem.Tests.Analytics.Drivers;

/// <summary>Surveys and imported responses for the analytics API tests.</summary>
internal static class AnalyticsServer
{
    public static async Task<long> CreateSurveyAsync(TestServer server, string definition)
    {
        var created = await server.PostJsonAsync("/api/v1/surveys", SurveyFixtures.Create("Analytics", definition), server.Admin);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    public static async Task ImportAsync(TestServer server, long surveyId, string csv, int expected)
    {
        var response = await server.Admin.PostAsync($"/api/v1/surveys/{surveyId}/responses/import", new StringContent(csv, Encoding.UTF8, "text/csv"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        Assert.Equal(expected, JsonDocument.Parse(body).RootElement.GetProperty("stored").GetInt64());
    }

    /// <summary>GETs a problem answer and checks its status and the field it names.</summary>
    public static async Task ProblemAsync(TestServer server, string path, HttpStatusCode status, string field)
    {
        var response = await server.Admin.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{path}: {(int)response.StatusCode} {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(field, JsonDocument.Parse(body).RootElement.GetProperty("field").GetString());
    }
}
