namespace OpenCem.Demo;

/// <summary>
/// What the demo company looks like: how many customers, the seed that makes it reproducible, and the end of the
/// two years it covers (default: today 00:00 UTC).
/// </summary>
public sealed record DemoOptions(int Customers = 20_000, int Seed = 42, DateTimeOffset? AsOf = null)
{
    /// <summary>How long the generated history is.</summary>
    public const int WindowYears = 2;

    /// <summary>The end of the window (exclusive): <see cref="AsOf"/> or today 00:00 UTC.</summary>
    public DateTimeOffset ResolveAsOf() =>
        (AsOf ?? new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero)).ToUniversalTime();

    /// <summary>The start of the window (inclusive), two years before <paramref name="asOf"/>.</summary>
    public static DateTimeOffset WindowStart(DateTimeOffset asOf) => asOf.AddYears(-WindowYears);
}
