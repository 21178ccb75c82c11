using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;

namespace OpenCem.Operations.RateLimits;

/// <summary>Which public endpoint a request is for; the management API and the dashboard are not limited here.</summary>
public enum PublicEndpoint
{
    None,
    Tracking,
    Intercept,
    RespondentPage,
}

/// <summary>
/// A global limiter for the public endpoints: a token bucket per write key (the Authorization header as sent, so a
/// key is counted without being checked first) chained with one per client address. Other requests pass at once.
/// </summary>
public static class PublicEndpointLimiter
{
    public static PartitionedRateLimiter<HttpContext> Create(PublicLimitOptions options)
    {
        var perKey = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            Classify(context.Request) == PublicEndpoint.Tracking && options.TrackingPerKeyPerSecond > 0 && context.Request.Headers.Authorization.ToString() is { Length: > 0 } key
                ? RateLimitPartition.GetTokenBucketLimiter("key:" + key, _ => PerSecond(options.TrackingPerKeyPerSecond))
                : RateLimitPartition.GetNoLimiter("none"));
        var perAddress = PartitionedRateLimiter.Create<HttpContext, string>(context =>
        {
            var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
            return Classify(context.Request) switch
            {
                PublicEndpoint.Tracking when options.TrackingPerAddressPerSecond > 0 =>
                    RateLimitPartition.GetTokenBucketLimiter("tracking:" + address, _ => PerSecond(options.TrackingPerAddressPerSecond)),
                PublicEndpoint.Intercept when options.InterceptPerAddressPerMinute > 0 =>
                    RateLimitPartition.GetTokenBucketLimiter("intercept:" + address, _ => PerMinute(options.InterceptPerAddressPerMinute)),
                PublicEndpoint.RespondentPage when options.RespondentPerAddressPerMinute > 0 =>
                    RateLimitPartition.GetTokenBucketLimiter("respondent:" + address, _ => PerMinute(options.RespondentPerAddressPerMinute)),
                _ => RateLimitPartition.GetNoLimiter("none"),
            };
        });
        return new NarrowedLimiter(request => Classify(request) != PublicEndpoint.None, PartitionedRateLimiter.CreateChained(perKey, perAddress));
    }

    public static PublicEndpoint Classify(HttpRequest request)
    {
        if (request.Path.StartsWithSegments("/s", StringComparison.OrdinalIgnoreCase))
        {
            return PublicEndpoint.RespondentPage;
        }

        if (!HttpMethods.IsPost(request.Method))
        {
            return PublicEndpoint.None;
        }

        return request.Path.StartsWithSegments("/v1", StringComparison.OrdinalIgnoreCase) ? PublicEndpoint.Tracking
            : request.Path.StartsWithSegments("/intercept/v1", StringComparison.OrdinalIgnoreCase) ? PublicEndpoint.Intercept
            : PublicEndpoint.None;
    }

    // A burst of one second's (or minute's) worth, refilled every tenth of the period: smooth, without a cliff at a window's edge.
    private static TokenBucketRateLimiterOptions PerSecond(int permits) => Bucket(permits, TimeSpan.FromSeconds(1));

    private static TokenBucketRateLimiterOptions PerMinute(int permits) => Bucket(permits, TimeSpan.FromMinutes(1));

    private static TokenBucketRateLimiterOptions Bucket(int permits, TimeSpan period) => new()
    {
        TokenLimit = permits,
        TokensPerPeriod = Math.Max(1, permits / 10),
        ReplenishmentPeriod = period / 10,
        QueueLimit = 0,
        AutoReplenishment = true,
    };
}
