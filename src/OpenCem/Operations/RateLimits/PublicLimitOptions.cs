using System.Globalization;
using Microsoft.Extensions.Configuration;
using OpenCem.Hosting;

namespace OpenCem.Operations.RateLimits;

/// <summary>
/// Rate limits of the public endpoints (<c>RateLimits:*</c>; 0 switches one off). Tracking is limited per write key and
/// per client address, generously: a busy app server sends hundreds of batches a second from one address. The web
/// intercept is called by visitors' browsers (one address each, unless behind a shared proxy), respondent pages by
/// people filling in a survey: a few requests a minute each.
/// </summary>
public sealed record PublicLimitOptions(
    int TrackingPerKeyPerSecond = 1000,
    int TrackingPerAddressPerSecond = 1000,
    int InterceptPerAddressPerMinute = 600,
    int RespondentPerAddressPerMinute = 300)
{
    public static PublicLimitOptions FromConfiguration(IConfiguration configuration) => new(
        Read(configuration, "RateLimits:TrackingPerKeyPerSecond", 1000),
        Read(configuration, "RateLimits:TrackingPerAddressPerSecond", 1000),
        Read(configuration, "RateLimits:InterceptPerAddressPerMinute", 600),
        Read(configuration, "RateLimits:RespondentPerAddressPerMinute", 300));

    private static int Read(IConfiguration configuration, string key, int fallback)
    {
        if (configuration[key] is not { } text)
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= 0
            ? value
            : throw new ServerConfigurationException($"Configuration key '{key}' has the invalid value '{text}'; expected a whole number, 0 for no limit.");
    }
}
