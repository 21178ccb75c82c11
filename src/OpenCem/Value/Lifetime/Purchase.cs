namespace OpenCem.Value.Lifetime;

/// <summary>One purchase as the models see it: whose, on which UTC day (days since 1970-01-01), for how much.</summary>
public readonly record struct Purchase(long CustomerId, int Day, double Amount)
{
    public const long MillisecondsPerDay = 86_400_000;

    public static int DayOf(long epochMilliseconds) => (int)Math.Floor(epochMilliseconds / (double)MillisecondsPerDay);

    public static int DayOf(DateOnly date) => date.DayNumber - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;
}
