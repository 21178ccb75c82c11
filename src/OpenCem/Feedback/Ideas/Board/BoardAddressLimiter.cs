using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using OpenCem.Operations.RateLimits;

namespace OpenCem.Feedback.Ideas.Board;

/// <summary>
/// The rate limiter's global limiter, narrowed to the board: writes to <c>/ideas</c> take a permit from a fixed window
/// per client address; every other request passes at once, so the tracking API's hot path pays nothing for the board's limits.
/// </summary>
internal static class BoardAddressLimiter
{
    public static PartitionedRateLimiter<HttpContext> Create(int permits, TimeSpan window) => new NarrowedLimiter(
        IsBoardWrite,
        PartitionedRateLimiter.Create<HttpContext, string>(context =>
            RateLimitPartition.GetFixedWindowLimiter(
                "address:" + context.Connection.RemoteIpAddress,
                _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = window, QueueLimit = 0, AutoReplenishment = true })));

    public static bool IsBoardWrite(HttpRequest request) =>
        HttpMethods.IsPost(request.Method) && request.Path.StartsWithSegments("/ideas", StringComparison.OrdinalIgnoreCase);
}
