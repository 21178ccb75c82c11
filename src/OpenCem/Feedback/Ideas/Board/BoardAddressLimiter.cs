using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using OpenCem.Operations.RateLimits;

namespace OpenCem.Feedback.Ideas.Board;

/// <summary>
/// The rate limiter's global limiter, narrowed to the board: writes to <c>/ideas</c> take a permit from a fixed window
/// per client address; every other request passes at once without touching a lock, so the tracking API's hot path
/// pays nothing for the board's limits.
/// </summary>
internal sealed class BoardAddressLimiter(int permits, TimeSpan window) : PartitionedRateLimiter<HttpContext>
{
    private readonly PartitionedRateLimiter<HttpContext> _addresses = PartitionedRateLimiter.Create<HttpContext, string>(context =>
        RateLimitPartition.GetFixedWindowLimiter(
            "address:" + context.Connection.RemoteIpAddress,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = window, QueueLimit = 0, AutoReplenishment = true }));

    public static bool IsBoardWrite(HttpRequest request) =>
        HttpMethods.IsPost(request.Method) && request.Path.StartsWithSegments("/ideas", StringComparison.OrdinalIgnoreCase);

    public override RateLimiterStatistics? GetStatistics(HttpContext resource) => IsBoardWrite(resource.Request) ? _addresses.GetStatistics(resource) : null;

    protected override RateLimitLease AttemptAcquireCore(HttpContext resource, int permitCount) =>
        IsBoardWrite(resource.Request) ? _addresses.AttemptAcquire(resource, permitCount) : GrantedLease.Instance;

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(HttpContext resource, int permitCount, CancellationToken cancellationToken) =>
        IsBoardWrite(resource.Request) ? _addresses.AcquireAsync(resource, permitCount, cancellationToken) : new ValueTask<RateLimitLease>(GrantedLease.Instance);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _addresses.Dispose();
        }

        base.Dispose(disposing);
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        await _addresses.DisposeAsync();
        await base.DisposeAsyncCore();
    }
}
