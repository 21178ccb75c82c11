using System.Text.Json;
using OpenCem.Demo;
using Xunit.Abstractions;

namespace OpenCem.Tests.Demo;

/// <summary>
/// The planted truths about what customers say (truths 5–11 of <see cref="DemoTruths"/>), found in the generated
/// data with plain statistics. Repairs are rebuilt from the events alone: the events that share a faultId, their mean
/// Effort, and the time of their "Fault Resolved".
/// </summary>
public sealed class DemoFeedbackTruthTests(ITestOutputHelper output)
{
    /// <summary>A wider sample for the rarer answers; only its feedback is generated, not its events.</summary>
    private static readonly DemoOptions Wide = new(Customers: 10_000, Seed: 42, AsOf: DemoSample.AsOf);

    private static readonly Lazy<Dictionary<string, Repair>> LazyRepairs = new(RebuildRepairs);

    private sealed record Repair(string UserId, double Effort, DateTimeOffset ResolvedAt, string ResolvedMessageId);

    private static Dictionary<string, Repair> Repairs => LazyRepairs.Value;

    [Fact]
    public void Relationship_nps_after_hard_fault_repairs_is_far_below_nps_after_easy_ones()
    {
        var byUser = Repairs.Values.ToLookup(r => r.UserId);
        List<int> hard = [], easy = [], none = [];
        foreach (var response in DemoSample.Responses.Where(r => r.Survey == DemoSurveys.RelationshipNps))
        {
            var score = Answers(response).GetProperty("nps").GetInt32();
            var before = byUser[response.UserId!].Where(r => r.ResolvedAt < response.SubmittedAt).ToList();
            (before.Count == 0 ? none : before.Average(r => r.Effort) <= DemoTruths.PoorFaultRepairEffort ? hard : easy).Add(score);
        }

        var (hardNps, hardSe) = Nps(hard);
        var (easyNps, easySe) = Nps(easy);
        var difference = easyNps - hardNps;
        var threshold = 1.96 * Math.Sqrt((hardSe * hardSe) + (easySe * easySe));
        output.WriteLine($"NPS after hard repairs {hardNps:F1} ± {1.96 * hardSe:F1} (n={hard.Count}); after easy repairs {easyNps:F1} ± {1.96 * easySe:F1} (n={easy.Count}); "
            + $"without repairs {Nps(none).Value:F1} (n={none.Count}); difference {difference:F1}, significant above {threshold:F1}");
        Assert.True(hard.Count >= 100 && easy.Count >= 100);
        Assert.True(difference >= 30, $"difference {difference:F1}");
        Assert.True(difference > threshold);
    }

    [Fact]
    public void The_repair_surveys_csat_and_ces_follow_the_effort_of_the_repair()
    {
        var byResolution = Repairs.Values.ToDictionary(r => r.ResolvedMessageId, StringComparer.Ordinal);
        var csat = new List<(double, double)>();
        var ces = new List<(double, double)>();
        foreach (var response in DemoSample.Responses.Where(r => r.Survey == DemoSurveys.FaultRepair))
        {
            var repair = byResolution[response.InteractionMessageId!];
            Assert.Equal(response.UserId, repair.UserId);
            var answers = Answers(response);
            csat.Add((repair.Effort, answers.GetProperty("csat").GetInt32()));
            ces.Add((repair.Effort, answers.GetProperty("ces").GetInt32()));
        }

        var (rCsat, rCes) = (Correlation(csat), Correlation(ces));
        output.WriteLine($"repair effort vs CSAT r = {rCsat:F2}, vs CES r = {rCes:F2} (n = {csat.Count})");
        Assert.True(csat.Count >= 80);
        Assert.True(rCsat >= 0.5, $"CSAT r = {rCsat:F2}");
        Assert.True(rCes >= 0.6, $"CES r = {rCes:F2}");
    }

    [Fact]
    public void Dissatisfied_repair_respondents_mention_waiting_far_more_often_than_satisfied_ones()
    {
        int dissatisfied = 0, dissatisfiedWaiting = 0, satisfied = 0, satisfiedWaiting = 0;
        foreach (var response in DemoCompany.Feedback(Wide).SelectMany(f => f.Responses).Where(r => r.Survey == DemoSurveys.FaultRepair))
        {
            var answers = Answers(response);
            if (!answers.TryGetProperty("comment", out var comment))
            {
                continue;
            }

            var text = comment.GetString()!;
            var waiting = text.Contains("wait", StringComparison.OrdinalIgnoreCase) || text.Contains("wart", StringComparison.OrdinalIgnoreCase);
            switch (answers.GetProperty("csat").GetInt32())
            {
                case <= 2:
                    dissatisfied++;
                    dissatisfiedWaiting += waiting ? 1 : 0;
                    break;
                case >= 4:
                    satisfied++;
                    satisfiedWaiting += waiting ? 1 : 0;
                    break;
            }
        }

        var (low, high) = (dissatisfiedWaiting / (double)dissatisfied, satisfiedWaiting / (double)satisfied);
        output.WriteLine($"comments mentioning waiting: CSAT 1-2 {low:P0} of {dissatisfied}; CSAT 4-5 {high:P0} of {satisfied}");
        Assert.True(dissatisfied >= 40 && satisfied >= 40);
        Assert.True(low >= 0.4, $"{low:P0}");
        Assert.True(low >= 4 * high, $"{low:P0} vs {high:P0}");
    }

    [Fact]
    public void Lost_customers_name_the_reason_they_left_for()
    {
        var given = new List<(string Cancellation, string Answer)>();
        foreach (var response in DemoSample.Responses.Where(r => r.Survey == DemoSurveys.LostCustomers))
        {
            var cancelled = DemoSample.EventOf(response.InteractionMessageId!);
            Assert.Equal(DemoEvents.ContractCancelled, cancelled.EventName);
            using var properties = JsonDocument.Parse(cancelled.PropertiesJson!);
            given.Add((properties.RootElement.GetProperty("reason").GetString()!, Answers(response).GetProperty("reason").GetString()!));
        }

        double Matching(IEnumerable<(string Cancellation, string Answer)> group) =>
            group.Average(g => DemoTruths.LostReasons[g.Cancellation] == g.Answer ? 1.0 : 0.0);

        var service = given.Where(g => g.Cancellation == "service-quality").ToList();
        var setup = given.Where(g => g.Cancellation == "setup-problems").ToList();
        output.WriteLine($"{given.Count} lost customers: {Matching(given):P0} name their reason; after poor repairs {Matching(service):P0} say service (n={service.Count}); "
            + $"after failed setups {Matching(setup):P0} say self-service (n={setup.Count})");
        Assert.True(service.Count >= 10 && setup.Count >= 5);
        Assert.True(Matching(given) >= 0.75);
        Assert.True(Matching(service) >= 0.7 && Matching(setup) >= 0.7);
    }

    [Fact]
    public void Repair_speed_falls_furthest_short_of_expectations_and_app_usability_exceeds_them()
    {
        var gaps = DemoSurveys.ExpectationQuestions.ToDictionary(q => q.Attribute, _ => new List<int>());
        foreach (var response in DemoSample.Responses.Where(r => r.Survey == DemoSurveys.Expectations))
        {
            var answers = Answers(response);
            foreach (var (attribute, expectation, experience) in DemoSurveys.ExpectationQuestions)
            {
                gaps[attribute].Add(answers.GetProperty(experience).GetInt32() - answers.GetProperty(expectation).GetInt32());
            }
        }

        var means = gaps.ToDictionary(g => g.Key, g => g.Value.Average());
        output.WriteLine("experience − expectation: " + string.Join(", ", means.Select(m => $"{m.Key} {m.Value:+0.00;-0.00}")) + $" (n={gaps["repair-speed"].Count})");
        Assert.Equal("repair-speed", means.MinBy(m => m.Value).Key);
        Assert.True(means["repair-speed"] <= -0.8);
        Assert.True(means["app-usability"] > 0);
        Assert.All(means.Where(m => m.Key != "app-usability"), m => Assert.True(m.Value < 0, m.Key));
    }

    [Fact]
    public void Call_centre_staff_are_far_less_loyal_than_field_service()
    {
        var byTeam = DemoCompany.EmployeeResponses(Wide)
            .Select(r => Answers(r))
            .GroupBy(a => a.GetProperty("team").GetString()!)
            .ToDictionary(g => g.Key, g => Nps(g.Select(a => a.GetProperty("enps").GetInt32()).ToList()).Value);
        output.WriteLine("eNPS: " + string.Join(", ", byTeam.Select(t => $"{t.Key} {t.Value:F0}")));
        Assert.Equal("call-centre", byTeam.MinBy(t => t.Value).Key);
        Assert.True(byTeam["field-service"] - byTeam["call-centre"] >= 40);
        Assert.All(DemoCompany.EmployeeResponses(Wide), r => Assert.Null(r.UserId));
    }

    [Fact]
    public void Complaints_about_repairs_come_within_two_weeks_of_a_hard_repair()
    {
        var complaints = DemoSample.Feedback.SelectMany(f => f.Signals).Where(s => s.Source == "complaint" && s.PropertiesJson?.Contains("faultId", StringComparison.Ordinal) == true).ToList();
        foreach (var complaint in complaints)
        {
            using var properties = JsonDocument.Parse(complaint.PropertiesJson!);
            var repair = Repairs[properties.RootElement.GetProperty("faultId").GetString()!];
            Assert.Equal(complaint.UserId, repair.UserId);
            Assert.True(repair.Effort <= DemoTruths.HardRepairEase, $"{repair.Effort}");
            Assert.InRange(complaint.OccurredAt - repair.ResolvedAt, TimeSpan.Zero, TimeSpan.FromDays(DemoTruths.ComplaintWithinDays));
        }

        var hardRepairs = Repairs.Values.Count(r => r.Effort <= DemoTruths.HardRepairEase);
        output.WriteLine($"{complaints.Count} repair complaints after {hardRepairs} hard repairs");
        Assert.InRange(complaints.Count, 0.1 * hardRepairs, 0.4 * hardRepairs);
    }

    private static JsonElement Answers(DemoResponse response)
    {
        using var json = JsonDocument.Parse(response.AnswersJson);
        return json.RootElement.Clone();
    }

    /// <summary>The sample's fault repairs, by faultId, from the events alone.</summary>
    private static Dictionary<string, Repair> RebuildRepairs()
    {
        var steps = new Dictionary<string, (string UserId, double Sum, int Count, DateTimeOffset? ResolvedAt, string? MessageId)>(StringComparer.Ordinal);
        foreach (var e in DemoSample.Events.Where(e => e.PropertiesJson?.Contains("\"faultId\"", StringComparison.Ordinal) == true))
        {
            using var properties = JsonDocument.Parse(e.PropertiesJson!);
            var faultId = properties.RootElement.GetProperty("faultId").GetString()!;
            var step = steps.GetValueOrDefault(faultId, (e.UserId!, 0, 0, null, null));
            if (e.Effort is { } effort)
            {
                step = step with { Sum = step.Sum + effort, Count = step.Count + 1 };
            }

            if (e.EventName == DemoEvents.FaultResolved)
            {
                step = step with { ResolvedAt = e.Timestamp, MessageId = e.MessageId };
            }

            steps[faultId] = step;
        }

        return steps.Where(s => s.Value.ResolvedAt is not null)
            .ToDictionary(s => s.Key, s => new Repair(s.Value.UserId, s.Value.Sum / s.Value.Count, s.Value.ResolvedAt!.Value, s.Value.MessageId!), StringComparer.Ordinal);
    }

    /// <summary>NPS and its standard error as PRODUCT.md defines them: 100·sqrt((p + d − (p − d)²)/n).</summary>
    private static (double Value, double StandardError) Nps(List<int> scores)
    {
        var p = scores.Count(s => s >= 9) / (double)scores.Count;
        var d = scores.Count(s => s <= 6) / (double)scores.Count;
        return (100 * (p - d), 100 * Math.Sqrt((p + d - ((p - d) * (p - d))) / scores.Count));
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
