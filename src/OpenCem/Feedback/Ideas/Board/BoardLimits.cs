using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace OpenCem.Feedback.Ideas.Board;

/// <summary>
/// The board's rate limits, with ASP.NET Core's rate limiter: a fixed window per customer (the one the board cookie
/// names) on the endpoints that write, and one per client address over all of the board's writes, so rotating forged
/// cookies does not escape the address limit. A refused request gets 429 with Retry-After.
/// </summary>
public static class BoardLimits
{
    public const string PerCustomerPolicy = "idea-board-customer";

    public static IServiceCollection AddBoardLimits(this IServiceCollection services, BoardOptions options)
    {
        var window = TimeSpan.FromSeconds(options.WindowSeconds);
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(PerCustomerPolicy, context => RateLimitPartition.GetFixedWindowLimiter(
                "customer:" + (BoardTokens.Read(context.Request.Cookies[BoardLinks.CookieName])?.CustomerId.ToString(CultureInfo.InvariantCulture) ?? "none"),
                _ => Window(options.PerCustomer, window)));
            limiter.GlobalLimiter = BoardAddressLimiter.Create(options.PerAddress, window);
            limiter.OnRejected = async (rejected, cancellationToken) =>
            {
                var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retry) ? (int)Math.Ceiling(retry.TotalSeconds) : options.WindowSeconds;
                rejected.HttpContext.Response.Headers.RetryAfter = Math.Max(1, seconds).ToString(CultureInfo.InvariantCulture);
                await IdeaBoardPages.TooManyAsync(rejected.HttpContext, cancellationToken);
            };
        });
        return services;
    }

    private static FixedWindowRateLimiterOptions Window(int permits, TimeSpan window) =>
        new() { PermitLimit = permits, Window = window, QueueLimit = 0, AutoReplenishment = true };
}
