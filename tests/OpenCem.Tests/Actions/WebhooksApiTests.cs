using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenCem.Actions.Events;
using OpenCem.Actions.Webhooks;
using OpenCem.Storage;
using OpenCem.Tests.Hosting;
using OpenCem.Tests.Infrastructure;

namespace OpenCem.Tests.Actions;

public sealed class WebhooksApiTests(WebhooksApiTests.SharedServers shared) : IClassFixture<WebhooksApiTests.SharedServers>
{
    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Create_SecretShownOnce_ListGetDelete(DatabaseKind kind)
    {
        await using var server = await WebhookFixture.StartAsync(kind);
        var created = await WebhookFixture.CreateAsync(server, new Uri("http://127.0.0.1:9/hook"), "case.opened", "case.*");
        Assert.Matches("^whsec_[A-Za-z0-9+/]{43}=$", created.Secret);
        Assert.Equal(["case.opened", "case.*"], created.Events);
        Assert.True(created.Enabled);

        var list = await server.Admin.GetStringAsync("/api/v1/webhooks");
        var one = await server.Admin.GetStringAsync($"/api/v1/webhooks/{created.Id}");
        Assert.DoesNotContain(created.Secret, list);
        Assert.DoesNotContain("secret", one, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(created.Id, JsonDocument.Parse(list).RootElement.GetProperty("webhooks")[0].GetProperty("id").GetInt64());

        Assert.Equal(HttpStatusCode.NoContent, (await server.Admin.DeleteAsync($"/api/v1/webhooks/{created.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Admin.GetAsync($"/api/v1/webhooks/{created.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Admin.DeleteAsync($"/api/v1/webhooks/{created.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Admin.GetAsync($"/api/v1/webhooks/{created.Id}/deliveries")).StatusCode);
    }

    [Theory]
    [InlineData("""{"events":["case.opened"]}""", "url")]
    [InlineData("""{"url":"not a url","events":["case.opened"]}""", "url")]
    [InlineData("""{"url":"ftp://example.com/hook","events":["case.opened"]}""", "url")]
    [InlineData("""{"url":"http://user:pw@127.0.0.1/hook","events":["case.opened"]}""", "url")]
    [InlineData("""{"url":"http://127.0.0.1/hook"}""", "events")]
    [InlineData("""{"url":"http://127.0.0.1/hook","events":[]}""", "events")]
    [InlineData("""{"url":"http://127.0.0.1/hook","events":["case.closed"]}""", "events[0]")]
    [InlineData("""{"url":"http://127.0.0.1/hook","events":["case.opened", 5]}""", "events[1]")]
    [InlineData("""{"url":"http://127.0.0.1/hook","events":["*"],"description":7}""", "description")]
    public async Task Create_BadInput_422NamingTheField(string json, string field)
    {
        // Shared by every refused input: nothing any of them sent may have been stored.
        var server = await shared.WebhooksAsync();
        var response = await server.PostJsonAsync("/api/v1/webhooks", json, server.Admin);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Empty(JsonDocument.Parse(await server.Admin.GetStringAsync("/api/v1/webhooks")).RootElement.GetProperty("webhooks").EnumerateArray());
    }

    [Fact]
    public async Task Create_NotAnObject_400()
    {
        var server = await shared.WebhooksAsync();
        Assert.Equal(HttpStatusCode.BadRequest, (await server.PostJsonAsync("/api/v1/webhooks", "[1]", server.Admin)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await server.PostJsonAsync("/api/v1/webhooks", "{", server.Admin)).StatusCode);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080/hook")]
    [InlineData("http://localhost/hook")]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("http://10.0.0.5/hook")]
    [InlineData("http://[::1]/hook")]
    [InlineData("http://[fd12::1]/hook")]
    public async Task Create_InternalAddressWithoutPermission_422OnUrl(string url)
    {
        var server = await shared.DefaultsAsync();
        var response = await server.Admin.PostAsJsonAsync("/api/v1/webhooks", new { url, events = new[] { "*" } });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.Contains("internal address", errors.GetProperty("url")[0].GetString());
    }

    [Fact]
    public async Task Create_AllowedNetworkListed_Accepted()
    {
        await using var server = await TestServer.StartAsync(
            DatabaseKind.Sqlite, options => options with { Configuration = new Dictionary<string, string?> { ["Webhooks:AllowedNetworks"] = "127.0.0.0/8" } });
        var response = await server.Admin.PostAsJsonAsync("/api/v1/webhooks", new { url = "http://127.0.0.1:9/hook", events = new[] { "*" } });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Send_ResolvedAddressInternal_RefusedAtConnectTime()
    {
        // A host that passed the check when saved and resolves to an internal address when sent to (DNS rebinding).
        await using var receiver = await WebhookReceiver.StartAsync();
        using var sender = new WebhookSender(new WebhookOptions { Timeout = TimeSpan.FromSeconds(5) }, TimeProvider.System);
        var outcome = await sender.SendAsync(receiver.Url.ToString(), WebhookSignature.NewSecret(), "msg_1", "{}", CancellationToken.None);
        Assert.False(outcome.Delivered);
        Assert.Null(outcome.StatusCode);
        Assert.Contains("internal addresses", outcome.Error);
        Assert.Empty(receiver.Requests);

        using var allowed = new WebhookSender(new WebhookOptions { AllowPrivateNetworks = true }, TimeProvider.System);
        Assert.True((await allowed.SendAsync(receiver.Url.ToString(), WebhookSignature.NewSecret(), "msg_2", "{}", CancellationToken.None)).Delivered);
        Assert.Single(receiver.Requests);
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Deliveries_BadQuery_422_PagingWalksAll(DatabaseKind kind)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var server = await WebhookFixture.StartAsync(kind);
        var webhook = await WebhookFixture.CreateAsync(server, receiver.Url, "*");
        for (var i = 0; i < 5; i++)
        {
            await WebhookFixture.AppendAsync(server, EventTypes.SignalReceived, new { signalId = i });
        }

        await WebhookFixture.WaitForStatusAsync(server, webhook.Id, DeliveryStatus.Delivered, 5);
        foreach (var (query, field) in new[] { ("status=lost", "status"), ("cursor=abc", "cursor"), ("limit=0", "limit"), ("limit=501", "limit") })
        {
            var response = await server.Admin.GetAsync($"/api/v1/webhooks/{webhook.Id}/deliveries?{query}");
            Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
            Assert.Contains($"\"{field}\"", await response.Content.ReadAsStringAsync());
        }

        var seen = new List<long>();
        string? cursor = null;
        do
        {
            var page = (await server.Admin.GetFromJsonAsync<DeliveryPage>(
                $"/api/v1/webhooks/{webhook.Id}/deliveries?limit=2{(cursor is null ? "" : $"&cursor={cursor}")}", JsonSerializerOptions.Web))!;
            seen.AddRange(page.Deliveries.Select(d => d.Id));
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        Assert.Equal(5, seen.Distinct().Count());
        Assert.Equal(seen.OrderByDescending(i => i), seen);
    }

    [Fact]
    public async Task Server_BadWebhookConfiguration_FailsAtStartNamingTheKey()
    {
        var target = await TestDatabases.CreateAsync(DatabaseKind.Sqlite);
        var exception = await Assert.ThrowsAnyAsync<Exception>(() => OpenCem.Hosting.OpenCemServer.CreateAsync(
            new OpenCem.Hosting.ServerOptions(target, "http://127.0.0.1:0") { Configuration = new Dictionary<string, string?> { ["Webhooks:TimeoutSeconds"] = "-1" } }));
        Assert.Contains("Webhooks:TimeoutSeconds", exception.Message);
    }

    /// <summary>Two servers the refusal tests share (each case starting its own made this class one of the slowest).</summary>
    public sealed class SharedServers : IAsyncLifetime
    {
        private readonly Lazy<Task<TestServer>> _webhooks = new(() => WebhookFixture.StartAsync(DatabaseKind.Sqlite));
        private readonly Lazy<Task<TestServer>> _defaults = new(() => TestServer.StartAsync(DatabaseKind.Sqlite));

        /// <summary>A server as the webhook tests configure it (loopback receivers allowed).</summary>
        public Task<TestServer> WebhooksAsync() => _webhooks.Value;

        /// <summary>A server with the default webhook settings (internal addresses refused).</summary>
        public Task<TestServer> DefaultsAsync() => _defaults.Value;

        public Task InitializeAsync() => Task.CompletedTask;

        public async Task DisposeAsync()
        {
            foreach (var server in new[] { _webhooks, _defaults }.Where(l => l.IsValueCreated))
            {
                await (await server.Value).DisposeAsync();
            }
        }
    }
}
