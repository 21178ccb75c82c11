using System.Globalization;
using CsCheck;

namespace OpenCem.Tests.Fuzzing;

/// <summary>
/// How many cases a fuzz property runs and from which seed. CI runs a few cases per endpoint from a fixed seed, so a
/// failure reproduces; <c>OPENCEM_FUZZ_ITERATIONS</c> sets the cases for a long run and <c>OPENCEM_FUZZ_SEED</c> a
/// seed (CsCheck's printed form, or <c>random</c> for a new one each run). A failure prints the seed of the shrunk case.
/// </summary>
public static class FuzzRun
{
    public static long Iterations(int ci) =>
        Environment.GetEnvironmentVariable("OPENCEM_FUZZ_ITERATIONS") is { Length: > 0 } text
            ? long.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture)
            : ci;

    /// <summary>The seed for a property: from the environment, or fixed per property name.</summary>
    public static string? Seed(string property) =>
        Environment.GetEnvironmentVariable("OPENCEM_FUZZ_SEED") switch
        {
            "random" => null,
            { Length: > 0 } seed => seed,
            _ => new PCG((uint)StableHash(property) & 0x7FFFFFFF, 0x5EED0B1UL + (ulong)StableHash(property)).ToString(),
        };

    /// <summary>Runs <paramref name="property"/> on cases of <paramref name="gen"/>, one at a time (the server is shared state).</summary>
    public static Task CheckAsync<T>(Gen<T> gen, string name, int ci, Func<T, Task> property, Func<T, string>? print = null) =>
        gen.SampleAsync(property, seed: Seed(name), iter: Iterations(ci), threads: 1, print: print);

    private static int StableHash(string text)
    {
        var hash = 17;
        foreach (var c in text)
        {
            hash = unchecked((hash * 31) + c);
        }

        return hash;
    }
}
