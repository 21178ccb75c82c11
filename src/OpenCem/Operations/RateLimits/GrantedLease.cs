using System.Threading.RateLimiting;

namespace OpenCem.Operations.RateLimits;

/// <summary>The lease of a request no limit applies to: handed out without a lock or an allocation.</summary>
internal sealed class GrantedLease : RateLimitLease
{
    public static readonly GrantedLease Instance = new();

    public override bool IsAcquired => true;

    public override IEnumerable<string> MetadataNames => [];

    public override bool TryGetMetadata(string metadataName, out object? metadata)
    {
        metadata = null;
        return false;
    }
}
