using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenCem.Hosting;
using OpenCem.Storage;
using OpenCem.Workspaces;

namespace OpenCem.LoopBench;

/// <summary>An OpenCem server in this process with an NPS survey and the detractor rule (NPS ≤ 6 → case).</summary>
internal sealed class LoopServer : IAsyncDisposable
{
    private LoopServer(WebApplication app, DatabaseTarget target, HttpClient admin, HttpClient tracking, long surveyId)
    {
        App = app;
        Target = target;
        Admin = admin;
        Tracking = tracking;
        SurveyId = surveyId;
    }

    public WebApplication App { get; }

    public DatabaseTarget Target { get; }

    public HttpClient Admin { get; }

    public HttpClient Tracking { get; }

    public long SurveyId { get; }

    public static async Task<LoopServer> StartAsync(DatabaseTarget target)
    {
        // The receiver listens on loopback, which webhooks refuse unless allowed.
        var app = await OpenCemServer.CreateAsync(new ServerOptions(target, "http://127.0.0.1:0")
        {
            LogLevel = LogLevel.Warning,
            Configuration = new Dictionary<string, string?> { ["Webhooks:AllowPrivateNetworks"] = "true" },
        });
        await app.StartAsync();
        var address = new Uri(OpenCemServer.Addresses(app)[0]);
        var workspace = await app.Services.GetRequiredService<WorkspaceStore>().EnsureDefaultAsync();
        var key = (await app.Services.GetRequiredService<ApiKeyStore>().CreateAsync(workspace.Id, "loop-bench", ApiKeyKind.Admin)).Secret;
        var admin = new HttpClient { BaseAddress = address };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var tracking = new HttpClient { BaseAddress = address };
        tracking.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(key + ":")));
        var survey = await admin.PostAsync("/api/v1/surveys", Json(
            """{"name": "Relationship", "definition": {"elements": [{"type": "rating", "name": "nps", "role": "nps", "rateMin": 0, "rateMax": 10, "isRequired": true}]}}"""));
        var surveyId = (await survey.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        (await admin.PostAsync("/api/v1/rules", Json(
            """{"name": "Detractor follow-up", "trigger": "response.submitted", "condition": "response.nps <= 6", "actions": [{"type": "openCase", "title": "Call back", "priority": "high"}]}""")))
            .EnsureSuccessStatusCode();
        return new LoopServer(app, target, admin, tracking, surveyId);
    }

    /// <summary>Subscribes <paramref name="url"/> to every new case, so each detractor's case is also delivered there.</summary>
    public async Task SubscribeAsync(string url) =>
        (await Admin.PostAsync("/api/v1/webhooks", Json($$"""{"url": "{{url}}", "events": ["case.opened"]}"""))).EnsureSuccessStatusCode();

    public static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        Tracking.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
