using System.Net.Http.Json;
using System.Text.Json;
using OpenCem.Actions.Events;
using OpenCem.Actions.Webhooks;
using OpenCem.Storage;
using OpenCem.Tests.Hosting;
using OpenCem.Workspaces;

namespace OpenCem.Tests.Actions;

/// <summary>Servers with webhook settings for tests (loopback receivers allowed, short schedules) and events appended as other capabilities would.</summary>
public static class WebhookFixture
{
    public static Task<TestServer> StartAsync(DatabaseKind kind, DatabaseTarget? target = null, IDictionary<string, string?>? settings = null)
    {
        var configuration = new Dictionary<string, string?>
        {
            ["Webhooks:AllowPrivateNetworks"] = "true",
            ["Webhooks:RetrySchedule"] = "300ms,600ms",
            ["Webhooks:Jitter"] = "0",
            ["Webhooks:TimeoutSeconds"] = "1",
            ["Webhooks:PollMilliseconds"] = "50",
            // Long enough that a loaded machine never lets a lease lapse during a hanging attempt (which would send it twice).
            ["Webhooks:LeaseMarginSeconds"] = "10",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        return TestServer.StartAsync(kind, options => options with { Configuration = configuration }, target);
    }

    public static async Task<WebhookCreated> CreateAsync(TestServer server, Uri url, params string[] events)
    {
        var response = await server.Admin.PostAsJsonAsync("/api/v1/webhooks", new { url = url.ToString(), events, description = "test receiver" });
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<WebhookCreated>(JsonSerializerOptions.Web))!;
    }

    /// <summary>Appends an event to the outbox in its own transaction, as a capability's write would, and wakes the fan-out.</summary>
    public static async Task<long> AppendAsync(TestServer server, string type, object payload)
    {
        var database = server.Service<Database>();
        var workspace = await server.Service<WorkspaceStore>().EnsureDefaultAsync();
        var id = await AppendAsync(database, workspace.Id, type, payload);
        server.Service<WebhookWake>().EventsAppended();
        return id;
    }

    public static async Task<long> AppendAsync(Database database, long workspaceId, string type, object payload)
    {
        var now = DateTimeOffset.UtcNow;
        await using var connection = await database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var id = await EventOutbox.AppendAsync(
            connection, transaction, new OutboxEvent(workspaceId, type, null, null, JsonSerializer.Serialize(payload, JsonSerializerOptions.Web), now), now.ToUnixTimeMilliseconds());
        await transaction.CommitAsync();
        return id;
    }

    public static async Task<DeliveryPage> DeliveriesAsync(TestServer server, long webhookId, string? status = null) =>
        (await server.Admin.GetFromJsonAsync<DeliveryPage>(
            $"/api/v1/webhooks/{webhookId}/deliveries{(status is null ? "" : $"?status={status}")}", JsonSerializerOptions.Web))!;

    /// <summary>Waits until the webhook has <paramref name="count"/> deliveries of <paramref name="status"/>.</summary>
    public static async Task<DeliveryPage> WaitForStatusAsync(TestServer server, long webhookId, string status, int count = 1, double seconds = 20)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var page = await DeliveriesAsync(server, webhookId, status);
            if (page.Deliveries.Count >= count)
            {
                return page;
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, $"Webhook {webhookId} has {page.Deliveries.Count} of {count} {status} deliveries after {seconds} s.");
            await Task.Delay(50);
        }
    }
}
