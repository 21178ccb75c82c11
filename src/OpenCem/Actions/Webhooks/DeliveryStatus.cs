namespace OpenCem.Actions.Webhooks;

/// <summary>Where a delivery stands: pending (due), delivering (leased by a process), delivered, failed (a retry is scheduled) or dead.</summary>
public static class DeliveryStatus
{
    public const string Pending = "pending";
    public const string Delivering = "delivering";
    public const string Delivered = "delivered";
    public const string Failed = "failed";
    public const string Dead = "dead";

    public static readonly IReadOnlyList<string> All = [Pending, Delivering, Delivered, Failed, Dead];
}
