using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;

namespace OpenCem.Operations.RateLimits;

/// <summary>
/// A global limiter narrowed to the requests <paramref name="applies"/> selects: those take permits from
/// <paramref name="inner"/>; every other request passes at once without touching a lock, so the hot paths outside the
/// limited endpoints pay nothing for their limits.
/// </summary>
internal sealed class NarrowedLimiter(Func<HttpRequest, bool> applies, PartitionedRateLimiter<HttpContext> inner) : PartitionedRateLimiter<HttpContext>
{
    public override RateLimiterStatistics? GetStatistics(HttpContext resource) => applies(resource.Request) ? inner.GetStatistics(resource) : null;

    protected override RateLimitLease AttemptAcquireCore(HttpContext resource, int permitCount) =>
        applies(resource.Request) ? inner.AttemptAcquire(resource, permitCount) : Granted.Instance;

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(HttpContext resource, int permitCount, CancellationToken cancellationToken) =>
        applies(resource.Request) ? inner.AcquireAsync(resource, permitCount, cancellationToken) : new ValueTask<RateLimitLease>(Granted.Instance);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        await inner.DisposeAsync();
        await base.DisposeAsyncCore();
    }

    /// <summary>The lease of a request no limit applies to: shared, without a lock or an allocation.</summary>
    private sealed class Granted : RateLimitLease
    {
        public static readonly Granted Instance = new();

        public override bool IsAcquired => true;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}
