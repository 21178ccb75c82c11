namespace OpenCem.Value.Equity;

/// <summary>What the equity report knows of one customer: value, risk, and what they are compared on.</summary>
public sealed record EquityCustomer(long CustomerId, double? Clv, double? Risk, string Segment, string Stratum, IReadOnlyList<long> PoorTouchpoints);

/// <summary>A segment's customers, customer equity (sum of CLV), mean churn risk and revenue at risk (sum of CLV × risk).</summary>
public sealed record EquitySegment(string Segment, long Customers, long Valued, double CustomerEquity, double? MeanChurnRisk, double RevenueAtRisk);

public sealed record EquityInterval(double Low, double High);

/// <summary>
/// What poor experiences at a touchpoint cost: customers who had one (<see cref="Customers"/>) against comparable
/// customers without (same life-cycle stage and tenure band), the differences in churn risk and CLV, the extra revenue
/// at risk (<see cref="Cost"/>), the same per year, and a bootstrap 95 % interval of the cost per year.
/// </summary>
public sealed record TouchpointCost(
    long TouchpointId, string Touchpoint, string Name, long Customers, long Comparable, double ChurnDifference, double? ValueDifference,
    double? Cost, double? CostPerYear, EquityInterval? Interval);

/// <summary>Customer equity and revenue at risk by segment, and the cost of poor experience by touchpoint. Pure.</summary>
public static class EquityReport
{
    public const int Resamples = 200;

    /// <summary>Above this many customers a stratum's bootstrap mean is drawn from its normal limit instead of resampled.</summary>
    public const int ResampleLimit = 1000;

    public static IReadOnlyList<EquitySegment> BySegment(IEnumerable<EquityCustomer> customers) =>
        customers.GroupBy(c => c.Segment, StringComparer.Ordinal).Select(g =>
        {
            var risks = g.Where(c => c.Risk is not null).Select(c => c.Risk!.Value).ToList();
            return new EquitySegment(
                g.Key, g.LongCount(), g.LongCount(c => c.Clv is not null),
                Math.Round(g.Sum(c => c.Clv ?? 0), 2),
                risks.Count == 0 ? null : Math.Round(risks.Average(), 4),
                Math.Round(g.Sum(c => (c.Clv ?? 0) * (c.Risk ?? 0)), 2));
        }).OrderByDescending(s => s.RevenueAtRisk).ThenBy(s => s.Segment, StringComparer.Ordinal).ToList();

    /// <summary>
    /// For each touchpoint: the average over the poor-experience customers of (their value − the mean of comparable customers
    /// without a poor experience there, in the same stratum), for churn risk, CLV and CLV × risk; the cost is that last
    /// difference times the customers, per year times <paramref name="perYear"/> (365 / the label's window in days).
    /// </summary>
    public static IReadOnlyList<TouchpointCost> ByTouchpoint(
        IReadOnlyList<EquityCustomer> customers, IReadOnlyDictionary<long, (string Key, string Name)> touchpoints, double perYear, int seed = 7)
    {
        var scored = customers.Where(c => c.Risk is not null).ToList();
        var anyValue = scored.Any(c => c.Clv is not null);
        var result = new List<TouchpointCost>();
        foreach (var touchpoint in scored.SelectMany(c => c.PoorTouchpoints).Distinct().Order())
        {
            var strata = scored.GroupBy(c => c.Stratum, StringComparer.Ordinal)
                .Select(g => (Poor: g.Where(c => c.PoorTouchpoints.Contains(touchpoint)).ToList(), Others: g.Where(c => !c.PoorTouchpoints.Contains(touchpoint)).ToList()))
                .Where(s => s.Poor.Count > 0 && s.Others.Count > 0)
                .ToList();
            var poor = strata.Sum(s => s.Poor.Count);
            if (poor == 0)
            {
                continue;
            }

            var churn = Att(strata, c => c.Risk!.Value);
            double? value = anyValue ? Att(strata, c => c.Clv ?? 0) : null;
            double? loss = anyValue ? Att(strata, Loss) : null;
            EquityInterval? interval = null;
            if (anyValue)
            {
                var random = new Random(seed + (int)touchpoint);
                var groups = strata.Select(s => (Poor: new Losses(s.Poor), Others: new Losses(s.Others))).ToList();
                var draws = new List<double>(Resamples);
                for (var b = 0; b < Resamples; b++)
                {
                    double sum = 0;
                    foreach (var (p, o) in groups)
                    {
                        sum += p.Values.Length * (p.Resample(random) - o.Resample(random));
                    }

                    draws.Add(sum * perYear);
                }

                draws.Sort();
                interval = new EquityInterval(Math.Round(Analytics.Statistics.Bootstrap.Percentile(draws, 0.025), 2), Math.Round(Analytics.Statistics.Bootstrap.Percentile(draws, 0.975), 2));
            }

            var (key, name) = touchpoints.TryGetValue(touchpoint, out var t) ? t : (touchpoint.ToString(System.Globalization.CultureInfo.InvariantCulture), "");
            result.Add(new TouchpointCost(
                touchpoint, key, name, poor, strata.Sum(s => s.Others.Count), Math.Round(churn, 4), value is { } v ? Math.Round(v, 2) : null,
                loss is { } l ? Math.Round(l * poor, 2) : null, loss is { } y ? Math.Round(y * poor * perYear, 2) : null, interval));
        }

        return result.OrderByDescending(r => r.CostPerYear ?? double.MinValue).ThenByDescending(r => r.ChurnDifference).ToList();
    }

    private static double Loss(EquityCustomer c) => (c.Clv ?? 0) * c.Risk!.Value;

    private static double Att(List<(List<EquityCustomer> Poor, List<EquityCustomer> Others)> strata, Func<EquityCustomer, double> of)
    {
        double sum = 0;
        long n = 0;
        foreach (var (p, o) in strata)
        {
            sum += p.Count * (p.Average(of) - o.Average(of));
            n += p.Count;
        }

        return sum / n;
    }

    /// <summary>A group's CLV × risk values, with the mean of a bootstrap resample (its normal limit for large groups).</summary>
    private sealed class Losses
    {
        private readonly double _mean;
        private readonly double _standardError;

        public Losses(List<EquityCustomer> group)
        {
            Values = group.Select(Loss).ToArray();
            _mean = Values.Average();
            _standardError = Values.Length > 1 ? Math.Sqrt(Values.Sum(v => (v - _mean) * (v - _mean)) / (Values.Length - 1) / Values.Length) : 0;
        }

        public double[] Values { get; }

        public double Resample(Random random)
        {
            if (Values.Length > ResampleLimit)
            {
                return _mean + _standardError * MathNet.Numerics.Distributions.Normal.Sample(random, 0, 1);
            }

            double sum = 0;
            for (var i = 0; i < Values.Length; i++)
            {
                sum += Values[random.Next(Values.Length)];
            }

            return sum / Values.Length;
        }
    }
}
