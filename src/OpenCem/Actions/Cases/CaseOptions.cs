using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace OpenCem.Actions.Cases;

/// <summary>How often the case clock looks for SLA breaches and measures recovery (configuration section <c>Cases</c>).</summary>
public sealed record CaseOptions
{
    public TimeSpan ClockInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether the server runs the clock (tests switch it off and call <see cref="CaseClock.RunOnceAsync"/>).</summary>
    public bool Clock { get; init; } = true;

    public static CaseOptions FromConfiguration(IConfiguration configuration)
    {
        var options = new CaseOptions();
        if (configuration["Cases:ClockIntervalSeconds"] is { } interval)
        {
            if (!double.TryParse(interval, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || seconds <= 0)
            {
                throw new InvalidOperationException($"Configuration key 'Cases:ClockIntervalSeconds' has the invalid value '{interval}'; expected a positive number of seconds.");
            }

            options = options with { ClockInterval = TimeSpan.FromSeconds(seconds) };
        }

        if (configuration["Cases:Clock"] is { } clock)
        {
            options = options with { Clock = !string.Equals(clock, "false", StringComparison.OrdinalIgnoreCase) };
        }

        return options;
    }
}
