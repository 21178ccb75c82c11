using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using OpenCem.Storage;

namespace OpenCem.LoopBench;

/// <summary>
/// Sends a detractor response every 100 ms for the duration (one at a time, so each is timed alone) and waits for its
/// effect; meanwhile <c>ingestSenders</c> tasks post tracking batches of 100 events as fast as the server takes them.
/// </summary>
internal static class LoopProbe
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static async Task<LoopResult> RunAsync(LoopServer server, WebhookReceiver receiver, TimeSpan duration, int ingestSenders)
    {
        using var stop = new CancellationTokenSource();
        long ingested = 0;
        var senders = Enumerable.Range(0, ingestSenders).Select(sender => Task.Run(async () =>
        {
            for (var batch = 0; !stop.IsCancellationRequested; batch++)
            {
                var events = Enumerable.Range(0, 100).Select(i =>
                    $$$"""{"type":"track","userId":"u{{{(sender * 7919 + batch * 100 + i) % 20000}}}","event":"Page Viewed","messageId":"{{{Guid.NewGuid():N}}}","properties":{"outcome":"success"}}""");
                try
                {
                    var response = await server.Tracking.PostAsync("/v1/batch", LoopServer.Json("{\"batch\":[" + string.Join(",", events) + "]}"), stop.Token);
                    if (response.IsSuccessStatusCode)
                    {
                        Interlocked.Add(ref ingested, 100);
                    }
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        })).ToList();

        var latencies = new List<double>();
        var deliveries = new List<double>();
        var missing = 0;
        var started = Stopwatch.GetTimestamp();
        await using var connection = await new Database(server.Target).OpenAsync();
        for (var i = 0; Stopwatch.GetElapsedTime(started) < duration; i++)
        {
            var ok = await server.Admin.PostAsync("/api/v1/responses",
                LoopServer.Json($$"""{"surveyId": {{server.SurveyId}}, "userId": "detractor-{{Guid.NewGuid():N}}", "answers": {"nps": {{i % 7}}} }"""));
            var responseId = (await ok.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
            if (await WaitForEffectAsync(connection, responseId) is { } effect)
            {
                latencies.Add(effect.CaseMs);
                if (await WaitForDeliveryAsync(receiver, effect) is { } delivered)
                {
                    deliveries.Add(delivered);
                }
                else
                {
                    missing++;
                }
            }
            else
            {
                missing++;
            }

            await Task.Delay(100);
        }

        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        await stop.CancelAsync();
        await Task.WhenAll(senders);
        return new LoopResult(LatencySummary.From(latencies.ToArray()), LatencySummary.From(deliveries.ToArray()), ingested / seconds, missing);
    }

    /// <summary>
    /// Milliseconds from the response stored (its <c>created_at</c>, taken as its batch is written) to the case stored
    /// (the case's <c>created_at</c>), both on the server's clock, polling every 2 ms; null after the timeout. Extend
    /// here for "webhook delivered" (the receiver's arrival time minus the response's <c>created_at</c>).
    /// </summary>
    private static async Task<Effect?> WaitForEffectAsync(System.Data.Common.DbConnection connection, long responseId)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(Timeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (await connection.QuerySingleOrDefaultAsync<Effect>(
                "SELECT c.id AS CaseId, r.created_at AS ResponseAt, c.created_at - r.created_at AS CaseMs FROM cases c JOIN survey_responses r ON r.id = c.response_id WHERE c.response_id = @responseId",
                new { responseId }) is { } effect)
            {
                return effect;
            }

            await Task.Delay(2);
        }

        return null;
    }

    /// <summary>Milliseconds from the response stored to the case's webhook arriving at the receiver; null after the timeout.</summary>
    private static async Task<long?> WaitForDeliveryAsync(WebhookReceiver receiver, Effect effect)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(Timeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (receiver.TryGetArrival(effect.CaseId, out var arrivedAt))
            {
                return arrivedAt - effect.ResponseAt;
            }

            await Task.Delay(2);
        }

        return null;
    }

    private sealed class Effect
    {
        public long CaseId { get; set; }

        public long ResponseAt { get; set; }

        public long CaseMs { get; set; }
    }
}
