using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenCem.Feedback.Distribution;
using OpenCem.Storage;
using OpenCem.Tests.Hosting;
using OpenCem.Tests.Infrastructure;

namespace OpenCem.Tests.Feedback;

/// <summary>Servers that send survey mail to an <see cref="SmtpSink"/>, and the calls the distribution tests share.</summary>
public static class DistributionServer
{
    public const string Sender = "feedback@nordwind.example";

    /// <summary>
    /// A server mailing to <paramref name="sink"/>. Its background passes run once at start and then every
    /// <paramref name="interval"/> seconds; tests that need a pass at a given moment call RunOnceAsync themselves.
    /// </summary>
    public static Task<TestServer> StartAsync(DatabaseKind kind, SmtpSink sink, TimeProvider? time = null, double interval = 3600, int? smtpPort = null, DatabaseTarget? target = null) =>
        TestServer.StartAsync(kind, options => options with
        {
            Smtp = new SmtpOptions
            {
                Host = "127.0.0.1",
                Port = smtpPort ?? sink.Port,
                Security = SmtpSecurity.None,
                From = Sender,
                FromName = "Nordwind Telecom",
            },
            Time = time,
            Configuration = new Dictionary<string, string?>
            {
                ["Surveys:DispatchIntervalSeconds"] = interval.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Surveys:TriggerScanIntervalSeconds"] = interval.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Surveys:ExpiryIntervalSeconds"] = "3600",
                ["Surveys:TriggerSettleSeconds"] = "0",
            },
        }, target);

    /// <summary>Customers from a CRM: <c>[{"id": "1", "email": ..., "consent": {"surveys": true}, "language": "de"}, ...]</c>.</summary>
    public static async Task AddCustomersAsync(TestServer server, string records)
    {
        var response = await server.PostJsonAsync("/api/v1/sources/crm/records", records, server.Admin);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    public static async Task<JsonElement[]> InviteAsync(TestServer server, long survey, string channel, string customers)
    {
        var response = await server.PostJsonAsync($"/api/v1/surveys/{survey}/invitations", $$"""{"channel": "{{channel}}", "customers": {{customers}}}""", server.Admin);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("invitations").EnumerateArray().ToArray();
    }

    /// <summary>The survey's invitations as the API lists them, newest first.</summary>
    public static async Task<JsonElement[]> InvitationsAsync(TestServer server, long survey) =>
        (await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{survey}/invitations?limit=1000")).GetProperty("invitations").EnumerateArray().ToArray();

    public static async Task<JsonElement> InvitationAsync(TestServer server, long survey, long id) =>
        (await InvitationsAsync(server, survey)).Single(i => i.GetProperty("id").GetInt64() == id);

    /// <summary>Polls until <paramref name="condition"/> holds, for what a background pass records after the mail went out.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting until {what}.");
            }

            await Task.Delay(50);
        }
    }
}
