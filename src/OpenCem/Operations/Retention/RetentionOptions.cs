using System.Globalization;
using Microsoft.Extensions.Configuration;
using OpenCem.Hosting;

namespace OpenCem.Operations.Retention;

/// <summary>
/// How often the retention pass runs (<c>Retention:IntervalMinutes</c>, default 60) and how many inactive customers one
/// pass erases at most (<c>Retention:MaxErasuresPerPass</c>, default 1,000; the rest follow in the next passes).
/// </summary>
public sealed record RetentionOptions(TimeSpan Interval, int MaxErasuresPerPass)
{
    public RetentionOptions()
        : this(TimeSpan.FromHours(1), 1_000)
    {
    }

    public static RetentionOptions FromConfiguration(IConfiguration configuration)
    {
        var options = new RetentionOptions();
        if (configuration["Retention:IntervalMinutes"] is { } minutes)
        {
            if (!double.TryParse(minutes, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value is <= 0 or > 10_080)
            {
                throw new ServerConfigurationException($"Retention:IntervalMinutes must be a number of minutes above 0 and up to 10080, not '{minutes}'.");
            }

            options = options with { Interval = TimeSpan.FromMinutes(value) };
        }

        if (configuration["Retention:MaxErasuresPerPass"] is { } erasures)
        {
            if (!int.TryParse(erasures, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < 1)
            {
                throw new ServerConfigurationException($"Retention:MaxErasuresPerPass must be a whole number from 1, not '{erasures}'.");
            }

            options = options with { MaxErasuresPerPass = value };
        }

        return options;
    }
}
