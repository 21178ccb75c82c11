using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;
using OpenCem.Actions.Cases;
using OpenCem.Actions.Events;
using OpenCem.Actions.Webhooks;
using OpenCem.Storage;
using OpenCem.Tests.Infrastructure;
using OpenCem.Workspaces;

namespace OpenCem.Tests.Actions;

public sealed class WebhookDeliveryTests
{
    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task CaseOpened_DeliveredSigned_SignatureVerifiesWithIndependentHmac(DatabaseKind kind)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var server = await WebhookFixture.StartAsync(kind);
        var webhook = await WebhookFixture.CreateAsync(server, receiver.Url, "case.*");
        var workspace = await server.Service<WorkspaceStore>().EnsureDefaultAsync();
        await using (var connection = await server.Service<Database>().OpenAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await CaseOpener.OpenAsync(connection, transaction, new CaseOpening(workspace.Id, "Detractor follow-up", SourceKey: "response:1"), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            await transaction.CommitAsync();
        }

        var request = Assert.Single(await receiver.WaitForAsync(1));
        var id = request.Headers["webhook-id"];
        var timestamp = request.Headers["webhook-timestamp"];
        var key = Convert.FromBase64String(webhook.Secret["whsec_".Length..]);
        using var hmac = new HMACSHA256(key);
        var expected = "v1," + Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes($"{id}.{timestamp}.{request.Body}")));
        Assert.Contains(expected, request.Headers["webhook-signature"].Split(' '));
        Assert.StartsWith("msg_", id);
        Assert.InRange(long.Parse(timestamp, System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal("case.opened", body.RootElement.GetProperty("type").GetString());
        Assert.Equal("Detractor follow-up", body.RootElement.GetProperty("data").GetProperty("title").GetString());
        Assert.True(body.RootElement.TryGetProperty("timestamp", out _));

        var delivered = Assert.Single((await WebhookFixture.WaitForStatusAsync(server, webhook.Id, DeliveryStatus.Delivered)).Deliveries);
        Assert.Equal(id, delivered.MessageId);
        Assert.Equal(1, delivered.Attempts);
        Assert.Equal(200, delivered.LastStatusCode);
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task FailingReceivers_RetriedOnSchedule_ThenDead_AndRedeliveryWorks(DatabaseKind kind)
    {
        await using var timingOut = await WebhookReceiver.StartAsync();
        await using var failing = await WebhookReceiver.StartAsync();
        await using var closing = await WebhookReceiver.StartAsync();
        timingOut.Mode = WebhookReceiver.Behaviour.Hang;
        failing.Mode = WebhookReceiver.Behaviour.Error;
        closing.Mode = WebhookReceiver.Behaviour.Close;
        await using var server = await WebhookFixture.StartAsync(kind);
        var receivers = new[] { timingOut, failing, closing };
        var webhooks = new List<WebhookCreated>();
        foreach (var receiver in receivers)
        {
            webhooks.Add(await WebhookFixture.CreateAsync(server, receiver.Url, EventTypes.SignalReceived));
        }

        await WebhookFixture.AppendAsync(server, EventTypes.SignalReceived, new { signalId = 5 });

        // Schedule 300 ms, 600 ms: three attempts, each with the same message id, waits at least as long as scheduled, then dead.
        foreach (var (receiver, webhook) in receivers.Zip(webhooks))
        {
            var dead = Assert.Single((await WebhookFixture.WaitForStatusAsync(server, webhook.Id, DeliveryStatus.Dead)).Deliveries);
            Assert.Equal(3, dead.Attempts);
            Assert.NotNull(dead.LastError);
            var requests = receiver.Requests.ToList();
            Assert.Equal(3, requests.Count);
            Assert.Single(requests.Select(r => r.Headers["webhook-id"]).Distinct());
            Assert.True(requests[1].At - requests[0].At >= TimeSpan.FromMilliseconds(280), $"first retry after {(requests[1].At - requests[0].At).TotalMilliseconds} ms");
            Assert.True(requests[2].At - requests[1].At >= TimeSpan.FromMilliseconds(580), $"second retry after {(requests[2].At - requests[1].At).TotalMilliseconds} ms");
        }

        await using (var connection = await server.Service<Database>().OpenAsync())
        {
            var errors = (await connection.QueryAsync<string>(
                "SELECT a.error FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id WHERE d.webhook_id = @id ORDER BY a.attempt",
                new { id = webhooks[0].Id })).ToList();
            Assert.Equal(3, errors.Count);
            Assert.All(errors, e => Assert.Contains("no answer within", e));
            Assert.Contains("500", await connection.ExecuteScalarAsync<string>("SELECT last_error FROM webhook_deliveries WHERE webhook_id = @id", new { id = webhooks[1].Id }));
        }

        // The dead-letter list is redelivered by hand once the receiver works again.
        failing.Mode = WebhookReceiver.Behaviour.Ok;
        var deadLetter = Assert.Single((await WebhookFixture.DeliveriesAsync(server, webhooks[1].Id, DeliveryStatus.Dead)).Deliveries);
        var redeliver = await server.Admin.PostAsync($"/api/v1/webhooks/deliveries/{deadLetter.Id}/redeliver", null);
        Assert.Equal(HttpStatusCode.Accepted, redeliver.StatusCode);
        var delivered = Assert.Single((await WebhookFixture.WaitForStatusAsync(server, webhooks[1].Id, DeliveryStatus.Delivered)).Deliveries);
        Assert.Equal(4, delivered.Attempts);
        Assert.Equal(deadLetter.MessageId, failing.Requests.Last().Headers["webhook-id"]);
        Assert.Empty((await WebhookFixture.DeliveriesAsync(server, webhooks[1].Id, DeliveryStatus.Dead)).Deliveries);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Admin.PostAsync("/api/v1/webhooks/deliveries/999999/redeliver", null)).StatusCode);
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task SlowReceiver_DoesNotDelayFastOne(DatabaseKind kind)
    {
        await using var slow = await WebhookReceiver.StartAsync();
        await using var fast = await WebhookReceiver.StartAsync();
        slow.Mode = WebhookReceiver.Behaviour.Gated;
        await using var server = await WebhookFixture.StartAsync(kind, settings: new Dictionary<string, string?> { ["Webhooks:TimeoutSeconds"] = "30" });
        var slowHook = await WebhookFixture.CreateAsync(server, slow.Url, "*");
        var fastHook = await WebhookFixture.CreateAsync(server, fast.Url, "*");
        for (var i = 0; i < 12; i++)
        {
            await WebhookFixture.AppendAsync(server, EventTypes.ResponseSubmitted, new { responseId = i });
        }

        // The slow receiver holds every request it gets; the fast one still gets all twelve meanwhile.
        await fast.WaitForAsync(12);
        await WebhookFixture.WaitForStatusAsync(server, fastHook.Id, DeliveryStatus.Delivered, 12);
        await slow.WaitForAsync(1);
        Assert.InRange(slow.Requests.Count, 1, 4);
        Assert.Empty((await WebhookFixture.DeliveriesAsync(server, slowHook.Id, DeliveryStatus.Delivered)).Deliveries);

        slow.Gate.SetResult();
        await WebhookFixture.WaitForStatusAsync(server, slowHook.Id, DeliveryStatus.Delivered, 12);
        Assert.Equal(12, slow.Requests.Count);
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task RuleFired_WithWebhookId_ReachesOnlyThatWebhook(DatabaseKind kind)
    {
        await using var named = await WebhookReceiver.StartAsync();
        await using var other = await WebhookReceiver.StartAsync();
        await using var server = await WebhookFixture.StartAsync(kind);
        var namedHook = await WebhookFixture.CreateAsync(server, named.Url, "*");
        var otherHook = await WebhookFixture.CreateAsync(server, other.Url, "*");

        await WebhookFixture.AppendAsync(server, EventTypes.RuleFired, new { ruleId = 3, webhookId = namedHook.Id, action = "call" });
        await WebhookFixture.AppendAsync(server, EventTypes.RuleFired, new { ruleId = 4 });
        await WebhookFixture.AppendAsync(server, EventTypes.CaseOpened, new { caseId = 9 });

        await WebhookFixture.WaitForStatusAsync(server, namedHook.Id, DeliveryStatus.Delivered, 3);
        await WebhookFixture.WaitForStatusAsync(server, otherHook.Id, DeliveryStatus.Delivered, 2);
        var others = other.Requests.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("data").GetRawText()).ToList();
        Assert.Equal(2, others.Count);
        Assert.DoesNotContain(others, d => d.Contains("webhookId", StringComparison.Ordinal));
        Assert.Equal(3, named.Requests.Count);
    }

    [Theory, MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Deliveries_SurviveServerRestart(DatabaseKind kind)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Mode = WebhookReceiver.Behaviour.Hang;
        var target = await TestDatabases.CreateMigratedAsync(kind);
        long webhookId;
        long workspaceId;
        var settings = new Dictionary<string, string?> { ["Webhooks:TimeoutSeconds"] = "30" };
        await using (var first = await WebhookFixture.StartAsync(kind, target, settings))
        {
            webhookId = (await WebhookFixture.CreateAsync(first, receiver.Url, "*")).Id;
            workspaceId = (await first.Service<WorkspaceStore>().EnsureDefaultAsync()).Id;
            await WebhookFixture.AppendAsync(first, EventTypes.CaseOpened, new { caseId = 1 });
            // The first attempt is in flight when the server stops: its lease goes back, no attempt is counted.
            await receiver.WaitForAsync(1);
        }

        // Written while no server runs; a crashed process's lease on a third delivery has run out.
        await using (var database = new Database(target))
        {
            await WebhookFixture.AppendAsync(database, workspaceId, EventTypes.CaseUpdated, new { caseId = 1 });
            var crashed = await WebhookFixture.AppendAsync(database, workspaceId, EventTypes.CaseUpdated, new { caseId = 2 });
            await using var connection = await database.OpenAsync();
            await connection.ExecuteAsync(
                """
                INSERT INTO webhook_deliveries (workspace_id, webhook_id, event_id, event_type, message_id, status, attempts, next_attempt_at, lease_owner, lease_until, created_at)
                VALUES (@workspaceId, @webhookId, @crashed, 'case.updated', 'msg_crashed', 'delivering', 0, 0, 'gone', 1, 0)
                """,
                new { workspaceId, webhookId, crashed });
        }

        receiver.Mode = WebhookReceiver.Behaviour.Ok;
        await using var second = await WebhookFixture.StartAsync(kind, target, settings);
        var delivered = (await WebhookFixture.WaitForStatusAsync(second, webhookId, DeliveryStatus.Delivered, 3)).Deliveries;
        Assert.Equal(3, delivered.Count);
        Assert.Contains(delivered, d => d.MessageId == "msg_crashed");
        var inFlight = receiver.Requests.First().Headers["webhook-id"];
        Assert.Equal(2, receiver.Requests.Count(r => r.Headers["webhook-id"] == inFlight));
        Assert.Equal(1, delivered.Single(d => d.MessageId == inFlight).Attempts);
    }

    [Fact]
    public async Task TwoServersOnOnePostgres_EachEventDeliveredOnce()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var target = await TestDatabases.CreateMigratedAsync(DatabaseKind.Postgres);
        await using var first = await WebhookFixture.StartAsync(DatabaseKind.Postgres, target);
        await using var second = await WebhookFixture.StartAsync(DatabaseKind.Postgres, target);
        var webhook = await WebhookFixture.CreateAsync(first, receiver.Url, "*");
        var appends = Enumerable.Range(0, 40).Select(i => WebhookFixture.AppendAsync(i % 2 == 0 ? first : second, EventTypes.SignalReceived, new { signalId = i }));
        await Task.WhenAll(appends);

        await WebhookFixture.WaitForStatusAsync(first, webhook.Id, DeliveryStatus.Delivered, 40);
        // Both servers fan out and send; the cursor and the leases let each event through once.
        await Task.Delay(500);
        Assert.Equal(40, receiver.Requests.Count);
        Assert.Equal(40, receiver.Requests.Select(r => r.Headers["webhook-id"]).Distinct().Count());
    }

    [Fact]
    public async Task Postgres_EventOfOpenTransaction_WaitedFor_RolledBackGapPassedWithoutSettleTime()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var server = await WebhookFixture.StartAsync(DatabaseKind.Postgres);
        var webhook = await WebhookFixture.CreateAsync(server, receiver.Url, "*");
        var workspace = await server.Service<WorkspaceStore>().EnsureDefaultAsync();
        var now = DateTimeOffset.UtcNow;
        await using var connection = await server.Service<Database>().OpenAsync();
        await using var open = await connection.BeginTransactionAsync();
        await EventOutbox.AppendAsync(connection, open, new OutboxEvent(workspace.Id, EventTypes.CaseOpened, null, null, """{"caseId":1}""", now), now.ToUnixTimeMilliseconds());
        await WebhookFixture.AppendAsync(server, EventTypes.CaseOpened, new { caseId = 2 });

        // The later event is visible, the earlier one may still commit: nothing is sent past the gap meanwhile.
        await Task.Delay(1000);
        Assert.Empty(receiver.Requests);

        // Rolled back: the gap can no longer fill and is passed at once, not after the five-minute settle bound.
        await open.RollbackAsync();
        var request = Assert.Single(await receiver.WaitForAsync(1, seconds: 10));
        Assert.Contains("\"caseId\":2", request.Body);
        Assert.Single((await WebhookFixture.WaitForStatusAsync(server, webhook.Id, DeliveryStatus.Delivered)).Deliveries);
    }
}
