using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OpenCem.Actions.Webhooks;

/// <summary>
/// Runs webhooks in the background: one loop fans new outbox events out into deliveries, another leases due deliveries
/// and sends them. Each webhook has its own lane of at most <see cref="WebhookOptions.ConcurrencyPerEndpoint"/> attempts
/// in flight, and sends never run on the loops themselves, so a slow or failing receiver holds only its own lane: other
/// receivers, and ingestion (which only appends to the outbox), never wait for it. Both loops wake on
/// <see cref="WebhookWake"/> and otherwise poll every <see cref="WebhookOptions.PollInterval"/>.
/// </summary>
public sealed partial class WebhookWorker(
    WebhookFanOut fanOut, WebhookDeliveries deliveries, WebhookSender sender, WebhookWake wake, WebhookOptions options, TimeProvider time,
    ILogger<WebhookWorker> logger) : BackgroundService
{
    private readonly string _owner = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";
    private readonly ConcurrentDictionary<long, int> _lanes = new();
    private readonly ConcurrentDictionary<long, Task> _sending = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.WhenAll(Task.Run(() => FanOutLoopAsync(stoppingToken), CancellationToken.None), Task.Run(() => DispatchLoopAsync(stoppingToken), CancellationToken.None));
        // Sends in flight see the stop, give their leases back, and end.
        await Task.WhenAll(_sending.Values);
    }

    private async Task FanOutLoopAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await fanOut.RunOnceAsync(stoppingToken) > 0)
                {
                    wake.DeliveriesDue();
                }
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogFanOutFailed(exception);
            }

            try
            {
                await wake.Outbox.WaitAsync(options.PollInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task DispatchLoopAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await DispatchAsync(stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogDispatchFailed(exception);
            }

            try
            {
                await wake.Deliveries.WaitAsync(options.PollInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Leases what fits into each due webhook's free lane and starts sending it.</summary>
    private async Task DispatchAsync(CancellationToken stoppingToken)
    {
        if (_sending.Count >= options.MaxConcurrency)
        {
            return;
        }

        foreach (var webhookId in await deliveries.DueWebhooksAsync(stoppingToken))
        {
            var free = Math.Min(options.ConcurrencyPerEndpoint - _lanes.GetValueOrDefault(webhookId), options.MaxConcurrency - _sending.Count);
            if (free <= 0)
            {
                continue;
            }

            foreach (var delivery in await deliveries.LeaseAsync(webhookId, free, _owner, stoppingToken))
            {
                _lanes.AddOrUpdate(webhookId, 1, (_, n) => n + 1);
                var sending = new TaskCompletionSource();
                _sending[delivery.Id] = sending.Task;
                _ = Task.Run(async () =>
                {
                    try
                    {
                        await SendAsync(delivery, stoppingToken);
                    }
                    finally
                    {
                        _lanes.AddOrUpdate(webhookId, 0, (_, n) => n - 1);
                        _sending.TryRemove(delivery.Id, out _);
                        sending.SetResult();
                        wake.DeliveriesDue();
                    }
                }, CancellationToken.None);
            }
        }
    }

    private async Task SendAsync(LeasedDelivery delivery, CancellationToken stoppingToken)
    {
        try
        {
            var startedAt = time.GetUtcNow().ToUnixTimeMilliseconds();
            var body = WebhookMessage.Body(delivery.EventType, DateTimeOffset.FromUnixTimeMilliseconds(delivery.OccurredAt), delivery.Payload);
            AttemptOutcome outcome;
            try
            {
                outcome = await sender.SendAsync(delivery.Url, delivery.SecretsAt(startedAt), delivery.MessageId, body, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                await deliveries.ReleaseAsync(delivery.Id, _owner);
                return;
            }

            await deliveries.CompleteAsync(delivery, _owner, startedAt, outcome);
            if (!outcome.Delivered && delivery.Attempts + 1 >= options.MaxAttempts)
            {
                LogDead(delivery.Id, delivery.WebhookId, outcome.Error);
            }
        }
        catch (Exception exception)
        {
            // The lease runs out and the delivery is tried again; nothing is lost.
            LogSendFailed(exception, delivery.Id);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook fan-out failed; retrying at the next poll")]
    private partial void LogFanOutFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook dispatch failed; retrying at the next poll")]
    private partial void LogDispatchFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook delivery {DeliveryId} could not be recorded; its lease will run out and it is sent again")]
    private partial void LogSendFailed(Exception exception, long deliveryId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook delivery {DeliveryId} to webhook {WebhookId} is dead after its last attempt: {Error}")]
    private partial void LogDead(long deliveryId, long webhookId, string? error);
}
