namespace OpenCem.Analytics.Statistics;

/// <summary>
/// Johnson's (2000) relative weights: the drivers are replaced by their closest orthogonal counterparts
/// Z = X·R^(−1/2); the outcome's R² splits exactly over Z, and each Z's share is carried back to the drivers in
/// proportion to the squared loadings Λ = R^(1/2). The weights sum to R² and approximate the Shapley values closely;
/// unlike them they cost O(k³) for any number of drivers.
/// </summary>
public static class RelativeWeights
{
    private const double Singular = 1e-12;

    /// <summary>Raw relative weights ε_j (summing to R²) from the k×k driver correlations and the correlations with the outcome.</summary>
    public static double[] Compute(ReadOnlySpan<double> driverCorrelations, ReadOnlySpan<double> outcomeCorrelations)
    {
        var k = outcomeCorrelations.Length;
        var (values, vectors) = SymmetricEigen.Decompose(driverCorrelations, k);
        // Λ = V diag(√λ) Vᵀ and β = Λ⁻¹ r = V diag(1/√λ) Vᵀ r (a pseudo-inverse for directions without variance).
        var projected = new double[k];
        for (var e = 0; e < k; e++)
        {
            double sum = 0;
            for (var i = 0; i < k; i++)
            {
                sum += vectors[(i * k) + e] * outcomeCorrelations[i];
            }

            projected[e] = values[e] > Singular ? sum / Math.Sqrt(values[e]) : 0;
        }

        var beta = new double[k];
        var lambda = new double[k * k];
        for (var i = 0; i < k; i++)
        {
            double b = 0;
            for (var e = 0; e < k; e++)
            {
                b += vectors[(i * k) + e] * projected[e];
            }

            beta[i] = b;
            for (var j = 0; j < k; j++)
            {
                double sum = 0;
                for (var e = 0; e < k; e++)
                {
                    sum += vectors[(i * k) + e] * Math.Sqrt(Math.Max(values[e], 0)) * vectors[(j * k) + e];
                }

                lambda[(i * k) + j] = sum;
            }
        }

        var weights = new double[k];
        for (var j = 0; j < k; j++)
        {
            double sum = 0;
            for (var t = 0; t < k; t++)
            {
                sum += lambda[(j * k) + t] * lambda[(j * k) + t] * beta[t] * beta[t];
            }

            weights[j] = sum;
        }

        return weights;
    }
}
