using OpenCem.Hosting;

namespace OpenCem.Actions.Webhooks;

/// <summary>
/// Wakes the webhook workers at once instead of at their next poll: <see cref="EventsAppended"/> after a commit that
/// appended events to the outbox, <see cref="DeliveriesDue"/> when deliveries became due (fan-out, redelivery).
/// </summary>
public sealed class WebhookWake
{
    public WakeSignal Outbox { get; } = new();

    public WakeSignal Deliveries { get; } = new();

    public void EventsAppended() => Outbox.Set();

    public void DeliveriesDue() => Deliveries.Set();
}
