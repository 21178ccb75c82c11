using OpenCem.Organisation.Initiatives;

namespace OpenCem.Tests.Organisation;

/// <summary>The phase table and the reading of initiative, KPI and work package bodies.</summary>
public sealed class InitiativeDomainTests
{
    [Fact]
    public void Phases_MoveForwardOneAtATime_OrStop_AndFinalPhasesAreFinal()
    {
        Assert.Equal([InitiativePhases.SolutionDesign, InitiativePhases.Stopped], InitiativePhases.AllowedFrom(InitiativePhases.Strategy));
        Assert.True(InitiativePhases.IsAllowed(InitiativePhases.Realisation, InitiativePhases.Standardisation));
        Assert.False(InitiativePhases.IsAllowed(InitiativePhases.Strategy, InitiativePhases.Realisation));
        Assert.False(InitiativePhases.IsAllowed(InitiativePhases.Standardisation, InitiativePhases.Realisation));
        Assert.All(InitiativePhases.All.Take(4), p => Assert.True(InitiativePhases.IsAllowed(p, InitiativePhases.Stopped), p));
        Assert.Empty(InitiativePhases.AllowedFrom(InitiativePhases.Completed));
        Assert.Empty(InitiativePhases.AllowedFrom(InitiativePhases.Stopped));
        Assert.Empty(InitiativePhases.AllowedFrom("unknown"));
    }

    [Fact]
    public void Read_InitiativeWithDefaults_AndEveryProblemNamed()
    {
        var errors = new Dictionary<string, string[]>();
        var draft = InitiativeInput.Read(new InitiativeRequest("  Callback  ", Element: "channels-interaction"), errors)!;
        Assert.Empty(errors);
        Assert.Equal(new InitiativeDraft("Callback", null, null, "channels-interaction", 90, 30), draft);

        Assert.Null(InitiativeInput.Read(new InitiativeRequest(" ", Element: "magic", BeforeDays: 0, LagDays: -1), errors));
        Assert.Equal(["beforeDays", "element", "lagDays", "name"], errors.Keys.Order(StringComparer.Ordinal));

        var patched = InitiativeInput.Patch(draft, new InitiativePatchRequest(Description: "Call back", Element: "", LagDays: 14), errors = [])!;
        Assert.Equal(draft with { Description = "Call back", Element = null, LagDays = 14 }, patched);
    }

    [Fact]
    public void Read_Kpi_ChecksTheScopeEachKindTakes()
    {
        var errors = new Dictionary<string, string[]>();
        var csat = InitiativeInput.Kpi(new KpiRequest("CSAT", Touchpoint: "technician-visit", Target: 3.2), "kpis[0].", errors)!;
        Assert.Empty(errors);
        Assert.Equal(KpiKinds.CsatTopTwoBox, csat.Measure);
        Assert.Equal(KpiMeasure.Share, csat.Statistic);
        Assert.Equal(["technician-visit"], csat.Touchpoints);
        Assert.Equal(KpiDirections.Increase, csat.Direction);
        Assert.Null(csat.Comparison);
        Assert.Equal(KpiMeasure.Mean, InitiativeInput.Kpi(new KpiRequest("csat", Measure: "mean"), "", errors)!.Statistic);
        Assert.Equal(KpiMeasure.Nps, InitiativeInput.Kpi(new KpiRequest("enps", Team: "call-centre", Comparison: ["shops"]), "", errors)!.Statistic);
        Assert.Equal(KpiMeasure.Share, InitiativeInput.Kpi(new KpiRequest("sla-attainment", Team: "billing"), "", errors)!.Statistic);
        Assert.Empty(errors);

        void Refused(KpiRequest request, string field)
        {
            var problems = new Dictionary<string, string[]>();
            Assert.Null(InitiativeInput.Kpi(request, "kpis[1].", problems));
            Assert.True(problems.ContainsKey("kpis[1]." + field), $"{field}: {string.Join("; ", problems.Select(p => $"{p.Key} {p.Value[0]}"))}");
        }

        Refused(new KpiRequest("loyalty"), "kind");
        Refused(new KpiRequest(null), "kind");
        Refused(new KpiRequest("metric", Survey: 3), "question");
        Refused(new KpiRequest("metric", Question: "speed"), "survey");
        Refused(new KpiRequest("nps", Question: "speed", Survey: 3), "question");
        Refused(new KpiRequest("nps", Team: "care"), "team");
        Refused(new KpiRequest("enps", Touchpoint: "shop"), "touchpoints");
        Refused(new KpiRequest("sla-attainment", Survey: 2), "survey");
        Refused(new KpiRequest("ces", Measure: "mean"), "measure");
        Refused(new KpiRequest("csat", Measure: "median"), "measure");
        Refused(new KpiRequest("nps", Direction: "sideways"), "direction");
        Refused(new KpiRequest("nps", Comparison: ["shop"]), "comparison");
        Refused(new KpiRequest("nps", Touchpoint: "shop", Comparison: ["shop", "web"]), "comparison");
        Refused(new KpiRequest("nps", Touchpoints: ["shop", ""]), "touchpoints");
        Refused(new KpiRequest("nps", Survey: 0), "survey");
        Refused(new KpiRequest("nps", Target: double.NaN), "target");
    }

    [Fact]
    public void Read_Package_DefaultsToPlanned_AndKeepsWhatAPatchLeavesOut()
    {
        var errors = new Dictionary<string, string[]>();
        var package = InitiativeInput.Package(new PackageRequest("SMS the day before", Due: new DateOnly(2026, 3, 1)), "", errors)!;
        Assert.Equal(new PackageDraft("SMS the day before", "planned", new DateOnly(2026, 3, 1)), package);
        Assert.Equal(package with { Status = "done" }, InitiativeInput.Package(new PackageRequest(Status: "done"), "", errors, package));
        Assert.Null(InitiativeInput.Package(new PackageRequest("x", "finished"), "packages[2].", errors));
        Assert.True(errors.ContainsKey("packages[2].status"));
        Assert.Null(InitiativeInput.Package(new PackageRequest(), "", errors = []));
        Assert.True(errors.ContainsKey("name"));
    }

    [Fact]
    public void Periods_StartWhenEnteredAndEndWhenTheNextPhaseBegins()
    {
        var t0 = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var periods = InitiativeView.PeriodsOf(
        [
            new(null, InitiativePhases.Strategy, t0, "a", null),
            new(InitiativePhases.Strategy, InitiativePhases.SolutionDesign, t0.AddDays(20), "a", "approved"),
        ]);
        Assert.Equal([new PhasePeriod(InitiativePhases.Strategy, t0, t0.AddDays(20)), new PhasePeriod(InitiativePhases.SolutionDesign, t0.AddDays(20), null)], periods);
    }
}
