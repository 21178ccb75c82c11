using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace OpenCem.Feedback.Ideas.Board;

/// <summary>
/// How many posts, votes and comments the public board takes per customer and per client address in one window
/// (<c>Ideas:PerCustomer</c>, <c>Ideas:PerAddress</c>, <c>Ideas:WindowSeconds</c>). Reading is never limited.
/// </summary>
public sealed record BoardOptions(int PerCustomer = 30, int PerAddress = 120, int WindowSeconds = 600)
{
    public static BoardOptions FromConfiguration(IConfiguration configuration) => new(
        Positive(configuration, "Ideas:PerCustomer", 30), Positive(configuration, "Ideas:PerAddress", 120), Positive(configuration, "Ideas:WindowSeconds", 600));

    private static int Positive(IConfiguration configuration, string key, int fallback)
    {
        if (configuration[key] is not { } text)
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new InvalidOperationException($"Configuration key '{key}' has the invalid value '{text}'; expected a positive whole number.");
    }
}
