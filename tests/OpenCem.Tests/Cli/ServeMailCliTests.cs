using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using OpenCem.Storage;
using OpenCem.Tests.Feedback;
using OpenCem.Tests.Infrastructure;

namespace OpenCem.Tests.Cli;

public sealed partial class ServeMailCliTests
{
    [GeneratedRegex("ocm_admin_[0-9A-Za-z]+")]
    private static partial Regex AdminKey();

    [Fact]
    public async Task Serve_SmtpAndPublicUrlFlags_MailInvitationsWithPublicLinks()
    {
        await using var sink = new SmtpSink();
        var db = (await TestDatabases.CreateAsync(DatabaseKind.Sqlite)).Display;
        var address = new Uri($"http://127.0.0.1:{CliProcess.FreePort()}");
        // The flags and the environment set the same configuration; the interval comes from the environment.
        using var server = CliProcess.Start(
            new Dictionary<string, string> { ["Surveys__DispatchIntervalSeconds"] = "0.2" },
            "serve", "--db", db, "--urls", address.ToString().TrimEnd('/'), "--smtp-host", "127.0.0.1", "--smtp-port", sink.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--smtp-from", "feedback@nordwind.example", "--public-url", "https://feedback.nordwind.example/");
        await server.WaitUntilHealthyAsync(address, TimeSpan.FromSeconds(60));
        using var admin = new HttpClient { BaseAddress = address };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey().Match(server.Output).Value);

        var records = await admin.PostAsync("/api/v1/sources/crm/records", Json("""[{"id": "1", "email": "anna@example.com", "consent": {"surveys": true}}]"""));
        Assert.True(records.IsSuccessStatusCode, await records.Content.ReadAsStringAsync());
        var survey = await admin.PostAsync("/api/v1/surveys", Json(SurveyFixtures.Create("NPS", SurveyFixtures.Nps)));
        var id = (await survey.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var invited = await admin.PostAsync($"/api/v1/surveys/{id}/invitations", Json("""{"channel": "email", "customers": [{"email": "anna@example.com"}]}"""));
        Assert.True(invited.IsSuccessStatusCode, await invited.Content.ReadAsStringAsync());

        var mail = Assert.Single(await sink.WaitForAsync(1, TimeSpan.FromSeconds(30)));
        Assert.Equal("feedback@nordwind.example", mail.From);
        Assert.Equal(["anna@example.com"], mail.Recipients);
        Assert.StartsWith("https://feedback.nordwind.example/s/", SurveyMailLinks.LinkOf(mail).AbsoluteUri, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--smtp-host", "127.0.0.1", "Smtp:From")]
    [InlineData("--public-url", "feedback.example.com", "PublicUrl")]
    public async Task Serve_InvalidMailConfiguration_OneLineNamingTheKey(string flag, string value, string key)
    {
        var db = (await TestDatabases.CreateAsync(DatabaseKind.Sqlite)).Display;

        var result = await CliProcess.RunAsync("serve", "--db", db, "--urls", $"http://127.0.0.1:{CliProcess.FreePort()}", flag, value);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("opencem: Configuration key '" + key + "'", result.Error.Trim(), StringComparison.Ordinal);
        Assert.Single(result.Error.Trim().Split('\n'));
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
