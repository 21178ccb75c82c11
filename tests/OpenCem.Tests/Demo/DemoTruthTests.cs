using OpenCem.Demo;
using Xunit.Abstractions;

namespace OpenCem.Tests.Demo;

public sealed class DemoTruthTests(ITestOutputHelper output)
{
    [Fact]
    public void Repeatedly_failing_the_router_setup_at_least_doubles_the_cancellation_rate()
    {
        var (frustrated, frustratedRate, othersRate) = Rates(DemoSample.RepeatedlyFailedSetup);
        output.WriteLine($"3+ failed setups in 7 days: {frustrated} customers cancel {frustratedRate:P1}; others {othersRate:P1}");
        Assert.True(frustrated >= 30, $"only {frustrated} customers failed repeatedly");
        Assert.True(frustratedRate >= 2 * othersRate, $"{frustratedRate:P1} vs {othersRate:P1}");
    }

    [Fact]
    public void Poor_fault_repairs_at_least_double_the_cancellation_rate()
    {
        var withFaults = DemoSample.ByCustomer()
            .Select(events => (events, effort: DemoSample.MeanEffort(events, DemoCompany.FaultRepair)))
            .Where(c => c.effort is not null)
            .ToList();
        var poor = withFaults.Where(c => c.effort <= DemoTruths.PoorFaultRepairEffort).ToList();
        var good = withFaults.Where(c => c.effort > DemoTruths.PoorFaultRepairEffort).ToList();
        var poorRate = poor.Count(c => DemoSample.Cancelled(c.events)) / (double)poor.Count;
        var goodRate = good.Count(c => DemoSample.Cancelled(c.events)) / (double)good.Count;
        output.WriteLine($"poor repairs: {poor.Count} customers cancel {poorRate:P1}; easy repairs: {good.Count} cancel {goodRate:P1}");
        Assert.True(poor.Count >= 50 && good.Count >= 50);
        Assert.True(poorRate >= 2 * goodRate, $"{poorRate:P1} vs {goodRate:P1}");
    }

    [Fact]
    public void Fault_repair_effort_is_the_strongest_driver_of_latent_loyalty()
    {
        var loyalty = DemoCompany.Profiles(DemoSample.Options).Select(p => p.LatentLoyalty).ToList();
        var fault = new List<(double, double)>();
        var billing = new List<(double, double)>();
        var onboarding = new List<(double, double)>();
        foreach (var events in DemoSample.ByCustomer())
        {
            var l = loyalty[DemoSample.CustomerIndex(events[0].UserId!)];
            Add(fault, DemoSample.MeanEffort(events, DemoCompany.FaultRepair), l);
            Add(billing, DemoSample.MeanEffort(events, DemoCompany.Billing), l);
            Add(onboarding, DemoSample.MeanEffort(events, DemoCompany.Onboarding), l);
        }

        var (rf, rb, ro) = (Correlation(fault), Correlation(billing), Correlation(onboarding));
        output.WriteLine($"correlation with loyalty: fault repair {rf:F2} (n={fault.Count}), billing {rb:F2} (n={billing.Count}), onboarding {ro:F2} (n={onboarding.Count})");
        Assert.True(rf > 0.5, $"fault repair r = {rf:F2}");
        Assert.True(rf > 2 * Math.Abs(rb) && rf > 2 * Math.Abs(ro));
    }

    private static (int Count, double Rate, double OthersRate) Rates(Func<List<OpenCem.Interactions.TrackingEvent>, bool> group)
    {
        int inGroup = 0, inGroupCancelled = 0, others = 0, othersCancelled = 0;
        foreach (var events in DemoSample.ByCustomer())
        {
            var cancelled = DemoSample.Cancelled(events);
            if (group(events))
            {
                inGroup++;
                inGroupCancelled += cancelled ? 1 : 0;
            }
            else
            {
                others++;
                othersCancelled += cancelled ? 1 : 0;
            }
        }

        return (inGroup, inGroupCancelled / (double)Math.Max(inGroup, 1), othersCancelled / (double)Math.Max(others, 1));
    }

    private static void Add(List<(double, double)> pairs, double? x, double y)
    {
        if (x is { } value)
        {
            pairs.Add((value, y));
        }
    }

    private static double Correlation(List<(double X, double Y)> pairs)
    {
        var mx = pairs.Average(p => p.X);
        var my = pairs.Average(p => p.Y);
        double sxy = 0, sxx = 0, syy = 0;
        foreach (var (x, y) in pairs)
        {
            sxy += (x - mx) * (y - my);
            sxx += (x - mx) * (x - mx);
            syy += (y - my) * (y - my);
        }

        return sxy / Math.Sqrt(sxx * syy);
    }
}
