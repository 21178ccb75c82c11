using OpenCem.Operations.Telemetry;

namespace OpenCem.Actions.Webhooks;

/// <summary>Webhook attempts in OpenTelemetry: how many, how they ended, why they failed, how long they took.</summary>
internal static class WebhookTelemetry
{
    public static void Record(string status, AttemptOutcome outcome)
    {
        OpenCemTelemetry.WebhookAttempts.Add(1, new KeyValuePair<string, object?>("outcome", status));
        OpenCemTelemetry.WebhookDuration.Record(outcome.DurationMs, new KeyValuePair<string, object?>("outcome", status));
        if (!outcome.Delivered)
        {
            OpenCemTelemetry.WebhookFailures.Add(1, new KeyValuePair<string, object?>("reason", outcome.Failure ?? "connection"));
        }
    }
}
