using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace OpenCem.Actions.Rules;

/// <summary>Limits of the rule engine (configuration section <c>Rules</c>).</summary>
public sealed record RuleOptions
{
    /// <summary>
    /// How many customers one occurrence of a schedule rule acts on at most: its actions for all of them commit in one
    /// transaction. Customers selected beyond it are counted in the rule's run log, not acted on.
    /// </summary>
    public int MaxCustomersPerOccurrence { get; init; } = 1000;

    public static RuleOptions FromConfiguration(IConfiguration configuration)
    {
        var options = new RuleOptions();
        if (configuration["Rules:MaxCustomersPerOccurrence"] is { } max)
        {
            if (!int.TryParse(max, NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) || count is < 1 or > 100_000)
            {
                throw new InvalidOperationException(
                    $"Configuration key 'Rules:MaxCustomersPerOccurrence' has the invalid value '{max}'; expected a whole number from 1 to 100000.");
            }

            options = options with { MaxCustomersPerOccurrence = count };
        }

        return options;
    }
}
