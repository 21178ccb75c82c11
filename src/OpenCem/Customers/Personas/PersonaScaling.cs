namespace OpenCem.Customers.Personas;

/// <summary>
/// How raw features become the clustering space: per feature a mean and standard deviation (on the log scale for
/// <see cref="PersonaFeature.Log"/> features) over the customers whose value is known, then × the feature's weight.
/// The channel-mix shares share one pooled deviation (see <see cref="PersonaFeature.Mix"/>). Unknown values land on the mean (0); z-scores are clipped to ±<see cref="Clip"/>. Kept with the run so a profile can say how far a persona is from everyone.
/// </summary>
public sealed record PersonaScaling(IReadOnlyList<string> Names, double[] Means, double[] Sds, double[] Weights, bool[] Logs)
{
    /// <summary>z-scores are clipped here: a rare behaviour (the one customer who only ever visits the shop) would else pull a centre of its own.</summary>
    public const double Clip = 3;

    public static PersonaScaling Fit(PersonaFeatureTable table)
    {
        var w = table.Width;
        var sum = new double[w];
        var sq = new double[w];
        var n = new long[w];
        var logs = table.Features.Select(f => f.Log).ToArray();
        for (var r = 0; r < table.Count; r++)
        {
            for (var f = 0; f < w; f++)
            {
                var v = table[r, f];
                if (!float.IsNaN(v))
                {
                    var x = Raw(v, logs[f]);
                    sum[f] += x;
                    sq[f] += x * x;
                    n[f]++;
                }
            }
        }

        var means = new double[w];
        var sds = new double[w];
        for (var f = 0; f < w; f++)
        {
            means[f] = n[f] == 0 ? 0 : sum[f] / n[f];
            sds[f] = n[f] < 2 ? 0 : Math.Sqrt(Math.Max(0, (sq[f] / n[f]) - (means[f] * means[f])));
        }

        var mix = Enumerable.Range(0, w).Where(f => table.Features[f].Mix).ToList();
        if (mix.Count > 0)
        {
            var pooled = Math.Sqrt(mix.Average(f => sds[f] * sds[f]));
            mix.ForEach(f => sds[f] = pooled);
        }

        return new PersonaScaling(table.Features.Select(f => f.Name).ToList(), means, sds, table.Features.Select(f => f.Weight).ToArray(), logs);
    }

    /// <summary>Writes customer <paramref name="row"/>'s point in the clustering space into <paramref name="point"/>.</summary>
    public void Scale(PersonaFeatureTable table, int row, Span<float> point)
    {
        for (var f = 0; f < Means.Length; f++)
        {
            var v = table[row, f];
            point[f] = float.IsNaN(v) || Sds[f] <= 1e-12 ? 0 : (float)(Math.Clamp((Raw(v, Logs[f]) - Means[f]) / Sds[f], -Clip, Clip) * Weights[f]);
        }
    }

    /// <summary>The z-score of a point's coordinate (the weight taken out again).</summary>
    public double Z(int feature, float coordinate) => Weights[feature] == 0 ? 0 : coordinate / Weights[feature];

    /// <summary>The raw value a z-score stands for (for showing a centroid in the feature's own unit).</summary>
    public double Unscale(int feature, double z)
    {
        var x = Means[feature] + (z * Sds[feature]);
        return Logs[feature] ? double.ExpM1(x) : x;
    }

    private static double Raw(float v, bool log) => log ? double.LogP1(Math.Max(0, v)) : v;
}
