namespace OpenCem.Value.Lifetime;

/// <summary>
/// Gauss's hypergeometric function ₂F₁(a, b; c; z) for 0 ≤ z &lt; 1 by its power series. Math.NET Numerics has no
/// ₂F₁ for a real argument (its GeneralizedHypergeometric takes an integer z), and the BG/NBD expectations need it only
/// on [0, 1), where the series converges.
/// </summary>
public static class Hypergeometric
{
    private const int MaximumTerms = 100_000;

    public static double Gauss2F1(double a, double b, double c, double z)
    {
        if (z is < 0 or >= 1 || double.IsNaN(z))
        {
            throw new ArgumentOutOfRangeException(nameof(z), z, "The series needs 0 ≤ z < 1.");
        }

        var term = 1.0;
        var sum = 1.0;
        for (var n = 0; n < MaximumTerms; n++)
        {
            term *= (a + n) * (b + n) / ((c + n) * (n + 1)) * z;
            sum += term;
            if (Math.Abs(term) <= 1e-14 * Math.Abs(sum))
            {
                break;
            }
        }

        return sum;
    }
}
