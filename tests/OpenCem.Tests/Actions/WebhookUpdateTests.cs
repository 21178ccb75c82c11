using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;
using OpenCem.Actions.Events;
using OpenCem.Actions.Webhooks;
using OpenCem.Storage;
using OpenCem.Tests.Hosting;
using OpenCem.Tests.Infrastructure;
using OpenCem.Workspaces;

namespace OpenCem.Tests.Actions;

public sealed class WebhookUpdateTests
{
    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Put_ChangesSettings_PauseStopsDeliveries_SecretStays(DatabaseKind kind)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var server = await WebhookFixture.StartAsync(kind);
        var webhook = await WebhookFixture.CreateAsync(server, receiver.Url, "case.opened");

        var paused = await PutAsync(server, webhook.Id, new { url = receiver.Url.ToString(), events = new[] { "signal.*" }, description = "paused", enabled = false });
        Assert.Equal(HttpStatusCode.OK, paused.StatusCode);
        var body = await paused.Content.ReadFromJsonAsync<WebhookUpdated>(JsonSerializerOptions.Web);
        Assert.False(body!.Enabled);
        Assert.Equal(["signal.*"], body.Events);
        Assert.Equal("paused", body.Description);
        Assert.Null(body.Secret);
        Assert.Null(body.PreviousSecretValidUntil);

        var whilePaused = await WebhookFixture.AppendAsync(server, EventTypes.SignalReceived, new { signalId = 1 });
        await WaitForFanOutAsync(server, whilePaused);
        Assert.Empty((await WebhookFixture.DeliveriesAsync(server, webhook.Id)).Deliveries);

        Assert.Equal(HttpStatusCode.OK, (await PutAsync(server, webhook.Id, new { url = receiver.Url.ToString(), events = new[] { "signal.*" } })).StatusCode);
        await WebhookFixture.AppendAsync(server, EventTypes.SignalReceived, new { signalId = 2 });
        var request = Assert.Single(await receiver.WaitForAsync(1));
        Assert.Contains("\"signalId\":2", request.Body);
        Assert.Equal([Expected(webhook.Secret, request)], request.Headers["webhook-signature"].Split(' '));

        var got = JsonDocument.Parse(await server.Admin.GetStringAsync($"/api/v1/webhooks/{webhook.Id}")).RootElement;
        Assert.True(got.GetProperty("enabled").GetBoolean());
        Assert.False(got.TryGetProperty("description", out _));
        Assert.Equal(HttpStatusCode.NotFound, (await PutAsync(server, 999_999, new { url = receiver.Url.ToString(), events = new[] { "*" } })).StatusCode);
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Put_RotateSecret_BothSignDuringGrace_ThenOnlyTheNew(DatabaseKind kind)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var server = await WebhookFixture.StartAsync(kind);
        var webhook = await WebhookFixture.CreateAsync(server, receiver.Url, "signal.received");

        var rotated = (await (await PutAsync(server, webhook.Id, new { url = receiver.Url.ToString(), events = new[] { "signal.received" }, rotateSecret = true, secretGraceMinutes = 60 }))
            .Content.ReadFromJsonAsync<WebhookUpdated>(JsonSerializerOptions.Web))!;
        Assert.Matches("^whsec_", rotated.Secret);
        Assert.NotEqual(webhook.Secret, rotated.Secret);
        Assert.InRange(rotated.PreviousSecretValidUntil!.Value, DateTimeOffset.UtcNow.AddMinutes(59), DateTimeOffset.UtcNow.AddMinutes(61));
        Assert.DoesNotContain(rotated.Secret!, await server.Admin.GetStringAsync($"/api/v1/webhooks/{webhook.Id}"));

        await WebhookFixture.AppendAsync(server, EventTypes.SignalReceived, new { signalId = 1 });
        var first = Assert.Single(await receiver.WaitForAsync(1));
        var signatures = first.Headers["webhook-signature"].Split(' ');
        Assert.Equal(2, signatures.Length);
        Assert.Contains(Expected(webhook.Secret, first), signatures);
        Assert.Contains(Expected(rotated.Secret!, first), signatures);

        // A rotation without grace: the secret just replaced stops signing at once.
        var again = (await (await PutAsync(server, webhook.Id, new { url = receiver.Url.ToString(), events = new[] { "signal.received" }, rotateSecret = true, secretGraceMinutes = 0 }))
            .Content.ReadFromJsonAsync<WebhookUpdated>(JsonSerializerOptions.Web))!;
        await WebhookFixture.AppendAsync(server, EventTypes.SignalReceived, new { signalId = 2 });
        var second = (await receiver.WaitForAsync(2))[1];
        Assert.Equal([Expected(again.Secret!, second)], second.Headers["webhook-signature"].Split(' '));
    }

    [Theory]
    [InlineData("""{"events":["*"]}""", "url")]
    [InlineData("""{"url":"http://127.0.0.1:9/hook","events":["nope"]}""", "events[0]")]
    [InlineData("""{"url":"http://127.0.0.1:9/hook","events":["*"],"enabled":"yes"}""", "enabled")]
    [InlineData("""{"url":"http://127.0.0.1:9/hook","events":["*"],"rotateSecret":1}""", "rotateSecret")]
    [InlineData("""{"url":"http://127.0.0.1:9/hook","events":["*"],"rotateSecret":true,"secretGraceMinutes":-1}""", "secretGraceMinutes")]
    [InlineData("""{"url":"http://127.0.0.1:9/hook","events":["*"],"secretGraceMinutes":100000}""", "secretGraceMinutes")]
    public async Task Put_BadInput_422NamingTheField_WebhookUnchanged(string json, string field)
    {
        await using var server = await WebhookFixture.StartAsync(DatabaseKind.Sqlite);
        var webhook = await WebhookFixture.CreateAsync(server, new Uri("http://127.0.0.1:9/hook"), "case.opened");
        var response = await server.Admin.PutAsync($"/api/v1/webhooks/{webhook.Id}", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        var stored = await server.Service<WebhookStore>().GetAsync((await server.Service<WorkspaceStore>().EnsureDefaultAsync()).Id, webhook.Id);
        Assert.Equal(["case.opened"], stored!.Events);
        Assert.Equal(HttpStatusCode.BadRequest,
            (await server.Admin.PutAsync($"/api/v1/webhooks/{webhook.Id}", new StringContent("[1]", Encoding.UTF8, "application/json"))).StatusCode);
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Put_InternalAddressWithoutPermission_422OnUrl(DatabaseKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        var created = await server.Admin.PostAsJsonAsync("/api/v1/webhooks", new { url = "http://93.184.216.34/hook", events = new[] { "*" } });
        var id = (await created.Content.ReadFromJsonAsync<WebhookCreated>(JsonSerializerOptions.Web))!.Id;
        foreach (var url in new[] { "http://127.0.0.1:8080/hook", "http://169.254.169.254/latest/meta-data", "http://[::1]/hook" })
        {
            var response = await PutAsync(server, id, new { url, events = new[] { "*" } });
            Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
            Assert.Contains("internal address", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").GetProperty("url")[0].GetString());
        }

        Assert.Contains("93.184.216.34", await server.Admin.GetStringAsync($"/api/v1/webhooks/{id}"));
    }

    /// <summary>Waits until the webhook fan-out's cursor has passed <paramref name="eventId"/>.</summary>
    private static async Task WaitForFanOutAsync(TestServer server, long eventId)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(20);
        while (true)
        {
            await using (var connection = await server.Service<Database>().OpenAsync())
            {
                var position = await connection.ExecuteScalarAsync<long?>("SELECT position FROM outbox_cursors WHERE reader = @reader", new { reader = WebhookFanOut.Reader });
                if (position >= eventId)
                {
                    return;
                }
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, "The webhook fan-out did not pass the event.");
            await Task.Delay(50);
        }
    }

    private static Task<HttpResponseMessage> PutAsync(TestServer server, long id, object body) => server.Admin.PutAsJsonAsync($"/api/v1/webhooks/{id}", body);

    /// <summary>The signature computed independently of OpenCem's code, from the request as received.</summary>
    private static string Expected(string secret, ReceivedRequest request)
    {
        using var hmac = new HMACSHA256(Convert.FromBase64String(secret["whsec_".Length..]));
        return "v1," + Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes($"{request.Headers["webhook-id"]}.{request.Headers["webhook-timestamp"]}.{request.Body}")));
    }
}
