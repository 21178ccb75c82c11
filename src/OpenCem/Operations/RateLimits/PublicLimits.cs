using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace OpenCem.Operations.RateLimits;

/// <summary>
/// Registers the <see cref="PublicEndpointLimiter"/> next to any global limiter registered before it (the ideas board's):
/// both are chained, and a refused public request gets 429 with Retry-After and a problem-details body, while the
/// board keeps its own page for its own refusals. Register it after the board.
/// </summary>
public static class PublicLimits
{
    public static IServiceCollection AddPublicLimits(this IServiceCollection services, PublicLimitOptions options)
    {
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            var publicLimiter = PublicEndpointLimiter.Create(options);
            limiter.GlobalLimiter = limiter.GlobalLimiter is { } earlier ? PartitionedRateLimiter.CreateChained(earlier, publicLimiter) : publicLimiter;
            var earlierRejection = limiter.OnRejected;
            limiter.OnRejected = async (rejected, cancellationToken) =>
            {
                var endpoint = PublicEndpointLimiter.Classify(rejected.HttpContext.Request);
                if (endpoint == PublicEndpoint.None && earlierRejection is not null)
                {
                    await earlierRejection(rejected, cancellationToken);
                    return;
                }

                var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retry) ? (int)Math.Ceiling(retry.TotalSeconds) : 1;
                var response = rejected.HttpContext.Response;
                response.Headers.RetryAfter = Math.Max(1, seconds).ToString(CultureInfo.InvariantCulture);
                await Results.Problem(
                    statusCode: StatusCodes.Status429TooManyRequests,
                    title: "Too many requests",
                    detail: $"This {Describe(endpoint)} takes a limited number of requests per key and client address; retry after {Math.Max(1, seconds)} s.")
                    .ExecuteAsync(rejected.HttpContext);
            };
        });
        return services;
    }

    private static string Describe(PublicEndpoint endpoint) => endpoint switch
    {
        PublicEndpoint.Tracking => "tracking API",
        PublicEndpoint.Intercept => "web intercept",
        _ => "survey page",
    };
}
