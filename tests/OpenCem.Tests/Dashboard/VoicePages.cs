using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenCem.Feedback.Surveys;
using OpenCem.Tests.Feedback;
using OpenCem.Text.Pipeline;

namespace OpenCem.Tests.Dashboard;

/// <summary>Helpers of the Text, Value and Surveys page tests: posting the pages' forms as a browser would, and test surveys.</summary>
internal static class VoicePages
{
    /// <summary>Posts a page's Blazor form (its anti-forgery token read from the page first); the response is not followed.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string path, string formName, Dictionary<string, string> fields, bool withToken = true)
    {
        var form = new Dictionary<string, string>(fields) { ["_handler"] = formName };
        if (withToken)
        {
            form["__RequestVerificationToken"] = await DashboardFixture.FormTokenAsync(client, path);
        }

        return await client.PostAsync(path, new FormUrlEncodedContent(form));
    }

    /// <summary>A survey of the tests' own (so editing it changes no demo survey), with one analysed comment.</summary>
    public static async Task<long> SurveyWithCommentAsync(DashboardFixture fixture, string name, string comment)
    {
        var created = await fixture.Server.PostJsonAsync("/api/v1/surveys", SurveyFixtures.Create(name, SurveyFixtures.Nps), fixture.Server.Admin);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var answers = JsonSerializer.Serialize(new { nps = 3, reason = "service", comment });
        var response = await fixture.Server.PostJsonAsync("/api/v1/responses", $$"""{"surveyId": {{id}}, "answers": {{answers}}}""", fixture.Server.Admin);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        await fixture.Server.Service<TextAnalysisWorker>().RunOnceAsync();
        return id;
    }

    public static async Task<IReadOnlyList<StoredSurvey>> DemoSurveysAsync(DashboardFixture fixture) =>
        await fixture.Server.Service<SurveyStore>().ListAsync(fixture.WorkspaceId);
}
