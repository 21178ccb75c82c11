using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using OpenCem.Operations.Telemetry;
using OpenCem.Storage;
using OpenCem.Tests.Actions;

namespace OpenCem.Tests.Telemetry;

/// <summary>The closed loop in OpenTelemetry: how long rules take to act, and how webhook attempts fail.</summary>
public sealed class ActionTelemetryTests
{
    [Fact]
    public async Task A_detractor_rule_reports_its_latency_and_a_failing_receiver_its_failures()
    {
        // Meters are process-wide and other tests run alongside: count only what carries this test's tags.
        var latencies = new ConcurrentBag<double>();
        var failures = new ConcurrentDictionary<string, long>();
        var attempts = new ConcurrentDictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == OpenCemTelemetry.Name
                && (instrument.Name.StartsWith("opencem.rules", StringComparison.Ordinal) || instrument.Name.StartsWith("opencem.webhooks", StringComparison.Ordinal)))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
        {
            if (instrument.Name == "opencem.rules.latency" && Tag(tags, "trigger") == "response.submitted")
            {
                latencies.Add(value);
            }
        });
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var counts = instrument.Name switch
            {
                "opencem.webhooks.failures" => (failures, Tag(tags, "reason")),
                "opencem.webhooks.attempts" => (attempts, Tag(tags, "outcome")),
                _ => (null, null),
            };
            if (counts is ({ } into, { } key))
            {
                into.AddOrUpdate(key, value, (_, sum) => sum + value);
            }
        });
        listener.Start();

        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Mode = WebhookReceiver.Behaviour.Error;
        await using var server = await WebhookFixture.StartAsync(DatabaseKind.Sqlite);
        var webhook = await WebhookFixture.CreateAsync(server, receiver.Url, "case.opened");
        var before = (Failed: failures.GetValueOrDefault("http_5xx"), Attempts: attempts.GetValueOrDefault("failed"));
        var rule = await server.PostJsonAsync("/api/v1/rules",
            """{"name": "Detractor follow-up", "trigger": "response.submitted", "condition": "response.nps <= 6", "actions": [{"type": "openCase", "title": "Call back"}]}""",
            server.Admin);
        Assert.Equal(HttpStatusCode.Created, rule.StatusCode);

        await RuleApiTests.AnswerAsync(server, await RuleApiTests.CreateSurveyAsync(server), "dana", 2);
        await WebhookFixture.WaitForStatusAsync(server, webhook.Id, "failed");

        // Other servers of the test run may fire rules too: at least this one was measured, in milliseconds.
        Assert.NotEmpty(latencies);
        Assert.InRange(latencies.Min(), 0, 30_000);
        Assert.True(failures.GetValueOrDefault("http_5xx") > before.Failed);
        Assert.True(attempts.GetValueOrDefault("failed") > before.Attempts);
    }

    private static string? Tag(ReadOnlySpan<KeyValuePair<string, object?>> tags, string key)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == key)
            {
                return tag.Value as string;
            }
        }

        return null;
    }
}
