using System.Net;
using Microsoft.Extensions.Configuration;
using OpenCem.Actions.Events;
using OpenCem.Actions.Webhooks;

namespace OpenCem.Tests.Actions;

public sealed class WebhookDomainTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.8.9.10")]
    [InlineData("10.1.2.3")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.1.1")]
    [InlineData("100.64.0.1")]
    [InlineData("169.254.169.254")]
    [InlineData("0.0.0.0")]
    [InlineData("224.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("::1")]
    [InlineData("::")]
    [InlineData("fd00::1")]
    [InlineData("fe80::1")]
    [InlineData("ff02::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:169.254.169.254")]
    public void NetworkPolicy_InternalAddress_Refused(string address)
    {
        var ip = IPAddress.Parse(address);
        Assert.True(NetworkPolicy.IsInternal(ip));
        Assert.False(new NetworkPolicy(false, []).Allows(ip));
        Assert.True(new NetworkPolicy(true, []).Allows(ip));
    }

    [Theory]
    [InlineData("93.184.216.34")]
    [InlineData("172.32.0.1")]
    [InlineData("8.8.8.8")]
    [InlineData("2606:2800:220:1:248:1893:25c8:1946")]
    public void NetworkPolicy_PublicAddress_Allowed(string address) =>
        Assert.True(new NetworkPolicy(false, []).Allows(IPAddress.Parse(address)));

    [Fact]
    public void NetworkPolicy_AllowedNetwork_OnlyThatNetworkAllowed()
    {
        var policy = new NetworkPolicy(false, [IPNetwork.Parse("10.20.0.0/16")]);
        Assert.True(policy.Allows(IPAddress.Parse("10.20.3.4")));
        Assert.False(policy.Allows(IPAddress.Parse("10.21.3.4")));
        Assert.False(policy.Allows(IPAddress.Parse("127.0.0.1")));
    }

    [Fact]
    public void OutboxGaps_NoGaps_AdvancesAtOnce_GapWaitsForSettle()
    {
        var gaps = new OutboxGaps();
        var start = DateTimeOffset.UnixEpoch;
        var settle = TimeSpan.FromSeconds(10);
        Assert.Equal(3, gaps.Advance(0, [1, 2, 3], start, settle));
        // 4 is not visible yet (uncommitted or rolled back): 5 and 6 wait.
        Assert.Equal(3, gaps.Advance(3, [5, 6], start, settle));
        Assert.Equal(3, gaps.Advance(3, [5, 6], start.AddSeconds(9), settle));
        Assert.Equal(6, gaps.Advance(3, [5, 6], start.AddSeconds(10), settle));
        // A gap that fills before the settle time is read in order.
        Assert.Equal(6, gaps.Advance(6, [8], start.AddSeconds(11), settle));
        Assert.Equal(8, gaps.Advance(6, [7, 8], start.AddSeconds(12), settle));
        // With transaction ids (PostgreSQL) a gap is passed once every transaction running when it was seen has ended.
        Assert.Equal(8, gaps.Advance(8, [10], start.AddSeconds(20), settle, (Oldest: 500, Next: 510)));
        Assert.Equal(8, gaps.Advance(8, [10], start.AddSeconds(21), settle, (Oldest: 509, Next: 530)));
        Assert.Equal(10, gaps.Advance(8, [10], start.AddSeconds(21), settle, (Oldest: 510, Next: 530)));
        // Without a settle time (SQLite: commits in id order) gaps are passed at once.
        Assert.Equal(12, new OutboxGaps().Advance(8, [10, 12], start, TimeSpan.Zero));
    }

    [Fact]
    public void RetrySchedule_WaitsFollowScheduleWithinJitter_ThenDead()
    {
        IReadOnlyList<TimeSpan> schedule = [TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5)];
        Assert.Equal(TimeSpan.FromSeconds(5), RetrySchedule.NextWait(schedule, 0.2, 1, 0.5));
        Assert.Equal(TimeSpan.FromSeconds(4), RetrySchedule.NextWait(schedule, 0.2, 1, 0));
        Assert.Equal(TimeSpan.FromMinutes(6), RetrySchedule.NextWait(schedule, 0.2, 2, 1));
        Assert.Null(RetrySchedule.NextWait(schedule, 0.2, 3, 0.5));
    }

    [Fact]
    public void Options_FromConfiguration_ReadsScheduleAndNetworks_RejectsBadValuesNamingTheKey()
    {
        var options = WebhookOptions.FromConfiguration(Configuration(new() { ["Webhooks:RetrySchedule"] = "250ms, 5s,5m,2h", ["Webhooks:AllowedNetworks"] = "10.0.0.0/8" }));
        Assert.Equal([TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromHours(2)], options.RetrySchedule);
        Assert.Equal(5, options.MaxAttempts);
        Assert.Single(options.AllowedNetworks);
        Assert.Equal(8, new WebhookOptions().MaxAttempts);
        Assert.Contains("Webhooks:RetrySchedule", Assert.Throws<InvalidOperationException>(
            () => WebhookOptions.FromConfiguration(Configuration(new() { ["Webhooks:RetrySchedule"] = "5 parsecs" }))).Message);
        Assert.Contains("Webhooks:AllowPrivateNetworks", Assert.Throws<InvalidOperationException>(
            () => WebhookOptions.FromConfiguration(Configuration(new() { ["Webhooks:AllowPrivateNetworks"] = "maybe" }))).Message);
    }

    [Theory]
    [InlineData("case.opened", "case.opened", true)]
    [InlineData("case.*", "case.sla_breached", true)]
    [InlineData("case.*", "rule.fired", false)]
    [InlineData("*", "help.offered", true)]
    [InlineData("case.opened", "case.updated", false)]
    public void EventTypes_Matches(string pattern, string type, bool matches) =>
        Assert.Equal(matches, WebhookEventTypes.Matches(pattern, type));

    [Fact]
    public void EventTypes_Check_AcceptsKnownTypesAndPatterns_RejectsOthers()
    {
        Assert.All(EventTypes.All, t => Assert.Null(WebhookEventTypes.Check(t)));
        Assert.Null(WebhookEventTypes.Check("case.*"));
        Assert.Null(WebhookEventTypes.Check("*"));
        Assert.NotNull(WebhookEventTypes.Check("case.closed"));
        Assert.NotNull(WebhookEventTypes.Check("nothing.*"));
        Assert.NotNull(WebhookEventTypes.Check("case*"));
    }

    [Fact]
    public void Targets_RuleFiredWithWebhookId_OnlyThatWebhook_OthersBySubscription()
    {
        WebhookRow Hook(long id, string events, long workspace = 1, long created = 0, long enabled = 1) =>
            new() { Id = id, WorkspaceId = workspace, EventTypes = events, Enabled = enabled, CreatedAt = created };
        var hooks = new[] { Hook(1, "*"), Hook(2, "case.*"), Hook(3, "rule.fired"), Hook(4, "*", workspace: 2), Hook(5, "*", created: 100), Hook(6, "*", enabled: 0) };
        StoredEvent Event(string type, string payload) => new() { Id = 1, WorkspaceId = 1, Type = type, Payload = payload, CreatedAt = 50 };

        Assert.Equal([2], WebhookTargets.For(Event(EventTypes.RuleFired, """{"webhookId":2}"""), hooks).Select(h => h.Id));
        Assert.Equal([1, 3], WebhookTargets.For(Event(EventTypes.RuleFired, """{"ruleId":2}"""), hooks).Select(h => h.Id));
        Assert.Equal([1, 2], WebhookTargets.For(Event(EventTypes.CaseOpened, "{}"), hooks).Select(h => h.Id));
        Assert.Empty(WebhookTargets.For(Event(EventTypes.RuleFired, """{"webhookId":4}"""), hooks));
        Assert.Equal(7, WebhookTargets.NamedWebhook("""{"webhookId":"7"}"""));
        Assert.Null(WebhookTargets.NamedWebhook("not json"));
    }

    [Fact]
    public void Message_Body_HasTypeTimestampAndData()
    {
        var body = WebhookMessage.Body("case.opened", DateTimeOffset.FromUnixTimeSeconds(1_700_000_000), """{"caseId":4}""");
        Assert.Equal("""{"type":"case.opened","timestamp":"2023-11-14T22:13:20+00:00","data":{"caseId":4}}""", body);
        Assert.Contains("\"data\":{}", WebhookMessage.Body("x", DateTimeOffset.UnixEpoch, "[1]"));
    }

    [Fact]
    public void Signature_StandardWebhooksExample_Verifies()
    {
        // The worked example of the Standard Webhooks reference libraries.
        var signature = WebhookSignature.Sign(
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, """{"test": 2432232314}""");
        Assert.Equal("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", signature);
        Assert.StartsWith("whsec_", WebhookSignature.NewSecret());
        Assert.Equal(32, Convert.FromBase64String(WebhookSignature.NewSecret()["whsec_".Length..]).Length);
    }

    private static IConfiguration Configuration(Dictionary<string, string?> values) => new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
