namespace OpenCem.Customers;

/// <summary>
/// A per-workspace counter bumped by every change of who is who. The ingestion writer compares it at the start
/// of each batch and drops its identity cache when another connection or process moved profiles.
/// </summary>
public static class IdentityGeneration
{
    public const string CounterName = "identity_generation";
}
