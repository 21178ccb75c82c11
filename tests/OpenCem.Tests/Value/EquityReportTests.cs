using OpenCem.Value.Equity;

namespace OpenCem.Tests.Value;

/// <summary>Equity by segment and the cost of poor experience by touchpoint, on hand-made customers with known answers.</summary>
public sealed class EquityReportTests
{
    private static EquityCustomer C(long id, double clv, double risk, string stratum, params long[] poor) => new(id, clv, risk, stratum, stratum, poor);

    [Fact]
    public void BySegment_SumsValueAndValueTimesRisk()
    {
        var segments = EquityReport.BySegment([C(1, 100, 0.5, "a"), C(2, 300, 0.1, "a"), C(3, 50, 0.2, "b"), new EquityCustomer(4, null, 0.4, "b", "b", [])]);
        var a = segments.Single(s => s.Segment == "a");
        Assert.Equal((2L, 400.0, 0.3, 80.0), (a.Customers, a.CustomerEquity, a.MeanChurnRisk!.Value, a.RevenueAtRisk));
        var b = segments.Single(s => s.Segment == "b");
        Assert.Equal((2L, 1L, 50.0, 10.0), (b.Customers, b.Valued, b.CustomerEquity, b.RevenueAtRisk));
        Assert.Equal("a", segments[0].Segment);
    }

    [Fact]
    public void ByTouchpoint_ComparesWithinStrata_CostPerYearWithInterval()
    {
        // Stratum x: poor risk 0.5 vs 0.1 (CLV 100 each); stratum y: poor risk 0.3 vs 0.3. Comparing across strata would
        // mix y's high-risk others into x; within strata the poor customers of x carry all the difference.
        var customers = new List<EquityCustomer>();
        for (var i = 0; i < 20; i++)
        {
            customers.Add(C(i, 100, i % 2 == 0 ? 0.45 : 0.55, "x", 7));
            customers.Add(C(100 + i, 100, i % 2 == 0 ? 0.05 : 0.15, "x"));
            customers.Add(C(200 + i, 100, 0.3, "y", 7));
            customers.Add(C(300 + i, 100, 0.3, "y"));
        }

        var cost = EquityReport.ByTouchpoint(customers, new Dictionary<long, (string, string)> { [7] = ("repair", "Fault repair") }, perYear: 4).Single();
        Assert.Equal(("repair", 40L, 40L), (cost.Touchpoint, cost.Customers, cost.Comparable));
        Assert.Equal(0.2, cost.ChurnDifference, 6);
        Assert.Equal(0.0, cost.ValueDifference!.Value, 6);
        Assert.Equal(800.0, cost.Cost!.Value, 6);
        Assert.Equal(3200.0, cost.CostPerYear!.Value, 6);
        Assert.InRange(3200.0, cost.Interval!.Low, cost.Interval.High);
        Assert.True(cost.Interval.Low > 2000 && cost.Interval.High < 4400);
    }

    [Fact]
    public void ByTouchpoint_NoValues_ChurnDifferenceOnly()
    {
        var customers = new[] { new EquityCustomer(1, null, 0.6, "s", "s", [3]), new EquityCustomer(2, null, 0.2, "s", "s", []) };
        var cost = EquityReport.ByTouchpoint(customers, new Dictionary<long, (string, string)>(), perYear: 1).Single();
        Assert.Equal(0.4, cost.ChurnDifference, 6);
        Assert.Null(cost.CostPerYear);
        Assert.Null(cost.Interval);
    }
}
