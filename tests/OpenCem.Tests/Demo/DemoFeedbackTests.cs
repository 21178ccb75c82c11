using System.Text.Json;
using System.Text.RegularExpressions;
using OpenCem.Demo;
using OpenCem.Feedback.Surveys;
using Xunit.Abstractions;

namespace OpenCem.Tests.Demo;

/// <summary>The demo company's surveys, responses, invitations and signals, checked on the generated data (no database).</summary>
public sealed partial class DemoFeedbackTests(ITestOutputHelper output)
{
    private static readonly HashSet<string> EnglishWords = new(StringComparer.Ordinal) { "the", "and", "is", "my", "it", "i", "you" };
    private static readonly HashSet<string> GermanWords = new(StringComparer.Ordinal) { "ich", "der", "die", "das", "und", "ist", "nicht", "mit", "mir", "ein", "eine", "es" };

    [GeneratedRegex(@"\p{L}+")]
    private static partial Regex Word();

    [Fact]
    public void The_seven_surveys_parse_in_English_and_German_and_their_settings_are_valid()
    {
        Assert.Equal(
            [DemoSurveys.RelationshipNps, DemoSurveys.FaultRepair, DemoSurveys.SupportContact, DemoSurveys.Expectations, DemoSurveys.EmployeePulse, DemoSurveys.LostCustomers, DemoSurveys.TechnicianAppointment],
            DemoSurveys.All.Select(s => s.Key));
        var touchpoints = DemoCompany.Touchpoints.Select(t => t.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var survey in DemoSurveys.All)
        {
            var definition = SurveyDefinitionParser.Parse(survey.Definition);
            Assert.Empty(survey.Settings.Validate(definition));
            Assert.Contains("de", definition.Languages);
            Assert.All(definition.Questions, q => Assert.False(string.IsNullOrEmpty(q.Title.In("de")) || q.Title.In("de") == q.Title.In("en"), $"{survey.Key}.{q.Name}"));
            Assert.All(survey.Settings.Triggers, t => Assert.Contains(t.Touchpoint, touchpoints));
        }

        var nps = Parse(DemoSurveys.RelationshipNps);
        Assert.Equal(QuestionRole.Nps, nps.Find("nps")!.Role);
        Assert.Equal((0, 10), (nps.Find("nps")!.RateMin, nps.Find("nps")!.RateMax));
        Assert.Equal(["nps"], nps.Find("reason")!.VisibleIf!.Variables);

        var repair = DemoSurveys.Get(DemoSurveys.FaultRepair);
        var trigger = Assert.Single(repair.Settings.Triggers);
        Assert.Equal(("fault-resolution", 60, 0.3, "email"), (trigger.Touchpoint, trigger.DelayMinutes, trigger.SamplingRate, trigger.Channel));
        Assert.Equal(1, repair.Settings.Reminders.Max);
        Assert.Equal([QuestionRole.Csat, QuestionRole.Ces, QuestionRole.Driver, QuestionRole.Verbatim], Parse(DemoSurveys.FaultRepair).Questions.Select(q => q.Role));

        var support = DemoSurveys.Get(DemoSurveys.SupportContact);
        Assert.Equal(["billing-hotline", "billing-chat", "setup-hotline"], support.Settings.Triggers.Select(t => t.Touchpoint));
        Assert.Contains(QuestionRole.Ces, Parse(DemoSurveys.SupportContact).MetricRoles);

        var expectations = Parse(DemoSurveys.Expectations);
        foreach (var attribute in DemoTruths.Expectations.Keys)
        {
            Assert.Single(expectations.Questions, q => q.Role == QuestionRole.Expectation && q.Attribute == attribute && q.RateMax == 7);
            Assert.Single(expectations.Questions, q => q.Role == QuestionRole.Experience && q.Attribute == attribute && q.RateMax == 7);
        }

        var pulse = DemoSurveys.Get(DemoSurveys.EmployeePulse);
        Assert.Equal(SurveyAudience.Employees, Parse(DemoSurveys.EmployeePulse).Audience);
        Assert.True(pulse.Settings.AnonymousLink);
        Assert.Equal(QuestionRole.Nps, Parse(DemoSurveys.EmployeePulse).Find("enps")!.Role);

        var lost = DemoSurveys.Get(DemoSurveys.LostCustomers);
        Assert.True(lost.Settings.AnonymousLink);
        Assert.Superset(DemoTruths.LostReasons.Values.ToHashSet(), Parse(DemoSurveys.LostCustomers).Find("reason")!.Choices.Select(c => c.Value).ToHashSet());
    }

    [Fact]
    public void Response_volumes_and_rates_are_realistic()
    {
        var responses = DemoSample.Responses.ToList();
        var perCustomer = responses.Count / (double)DemoSample.Options.Customers;
        output.WriteLine($"{responses.Count} responses from {DemoSample.Options.Customers} customers ({perCustomer:F2} each): "
            + string.Join(", ", responses.GroupBy(r => r.Survey).Select(g => $"{g.Key} {g.Count()}")));
        Assert.InRange(perCustomer, 1.5, 3.0); // 30,000 to 60,000 for the default 20,000 customers
        Assert.All(DemoSurveys.All, s => Assert.True(responses.Count(r => r.Survey == s.Key) >= 50, s.Key));

        foreach (var survey in DemoSample.Feedback.SelectMany(f => f.Invitations).GroupBy(i => i.Survey))
        {
            var rate = survey.Count(i => i.Status == DemoInvitation.Completed) / (double)survey.Count();
            output.WriteLine($"{survey.Key}: {survey.Count()} invitations, response rate {rate:P1}");
            Assert.InRange(rate, 0.10, 0.30);
        }

        var signals = DemoSample.Feedback.SelectMany(f => f.Signals).ToList();
        output.WriteLine($"{signals.Count} signals: " + string.Join(", ", signals.GroupBy(s => s.Source).Select(g => $"{g.Key} {g.Count()}")));
        Assert.InRange(signals.Count / (double)DemoSample.Options.Customers, 0.1, 0.3); // a few thousand for 20,000 customers
        Assert.All(signals.Where(s => s.Source == "review"), s => Assert.InRange(s.Rating!.Value, 1, 5));
        Assert.All(signals.Where(s => s.Source != "review"), s => Assert.Null(s.Rating));
    }

    [Fact]
    public void Every_response_validates_against_its_survey()
    {
        var definitions = DemoSurveys.All.ToDictionary(s => s.Key, s => SurveyDefinitionParser.Parse(s.Definition));
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var response in DemoSample.Responses)
        {
            var definition = definitions[response.Survey];
            var errors = new Dictionary<string, string[]>();
            using var json = JsonDocument.Parse(response.AnswersJson);
            var answers = SurveyLogic.Read(definition, json.RootElement, errors);
            var given = answers.Count;
            SurveyLogic.Complete(definition, answers, errors, language: response.Language);
            Assert.True(errors.Count == 0, $"{response.ExternalId}: {string.Join("; ", errors.Select(e => e.Key + " " + string.Join(" ", e.Value)))}");
            Assert.Equal(given, answers.Count); // nothing answered that the respondent could not see
            Assert.True(ids.Add(response.ExternalId), response.ExternalId);
            Assert.InRange(response.SubmittedAt, DemoSample.AsOf.AddYears(-2), DemoSample.AsOf.AddTicks(-1));
        }
    }

    [Fact]
    public void Respondents_answer_in_their_profile_language()
    {
        var comments = new Dictionary<string, List<string>> { ["de"] = [], ["en"] = [] };
        foreach (var feedback in DemoSample.Feedback)
        {
            var profile = DemoSample.Profiles[feedback.Index];
            Assert.Equal(profile.UserId, feedback.UserId);
            Assert.All(feedback.Responses, r => Assert.Equal((profile.UserId, profile.Language), (r.UserId!, r.Language)));
            Assert.All(feedback.Invitations, i => Assert.Equal((profile.Language, profile.Email), (i.Language, i.Address)));
            Assert.All(feedback.Signals, s => Assert.Equal(profile.Language, s.Language));
            foreach (var response in feedback.Responses)
            {
                using var json = JsonDocument.Parse(response.AnswersJson);
                if (json.RootElement.TryGetProperty("comment", out var comment))
                {
                    comments[response.Language].Add(comment.GetString()!);
                }
            }
        }

        foreach (var employee in DemoCompany.EmployeeResponses(DemoSample.Options))
        {
            using var json = JsonDocument.Parse(employee.AnswersJson);
            if (json.RootElement.TryGetProperty("comment", out var comment))
            {
                comments[employee.Language].Add(comment.GetString()!);
            }
        }

        output.WriteLine($"{comments["de"].Count} German and {comments["en"].Count} English comments");
        Assert.True(comments["de"].Count > comments["en"].Count && comments["en"].Count >= 100);
        AssertLanguage(comments["de"], GermanWords, EnglishWords);
        AssertLanguage(comments["en"], EnglishWords, GermanWords);
        var distinct = comments["de"].Concat(comments["en"]).Distinct().Count();
        output.WriteLine($"{distinct} distinct comments");
        Assert.True(distinct > 0.6 * (comments["de"].Count + comments["en"].Count), "comments should vary");
    }

    [Fact]
    public void Transactional_responses_and_invitations_point_to_the_interaction_they_follow()
    {
        var events = new Dictionary<string, string[]>
        {
            [DemoSurveys.FaultRepair] = [DemoEvents.FaultResolved],
            [DemoSurveys.SupportContact] = [DemoEvents.BillingQueryCall, DemoEvents.BillingChatCompleted, DemoEvents.SetupHelpCall],
            [DemoSurveys.LostCustomers] = [DemoEvents.ContractCancelled],
            [DemoSurveys.TechnicianAppointment] = [DemoEvents.TechnicianVisitCompleted],
        };
        var touchpoints = DemoCompany.Touchpoints.SelectMany(t => t.Events.Select(e => (e, t.Key))).ToDictionary(p => p.e, p => p.Key);
        foreach (var feedback in DemoSample.Feedback)
        {
            var invitations = feedback.Invitations.ToDictionary(i => i.Nonce, StringComparer.Ordinal);
            foreach (var invitation in feedback.Invitations)
            {
                var e = DemoSample.EventOf(invitation.InteractionMessageId);
                Assert.Equal(feedback.UserId, e.UserId);
                Assert.Contains(e.EventName, events[invitation.Survey]);
                Assert.Equal(touchpoints[e.EventName!], invitation.Touchpoint);
                Assert.Equal(e.Timestamp, invitation.CreatedAt);
                var delay = DemoSurveys.Get(invitation.Survey).Settings.Triggers.Single(t => t.Touchpoint == invitation.Touchpoint).DelayMinutes;
                Assert.Equal(invitation.CreatedAt.AddMinutes(delay), invitation.SentAt);
                Assert.Matches("^[0-9a-f]{32}$", invitation.Nonce);
                Assert.True(invitation.CompletedAt is null || (invitation.OpenedAt < invitation.CompletedAt && invitation.SentAt < invitation.OpenedAt));
            }

            foreach (var response in feedback.Responses.Where(r => events.ContainsKey(r.Survey)))
            {
                var invitation = invitations[response.InvitationNonce!];
                Assert.Equal((response.Survey, response.InteractionMessageId, response.Touchpoint), (invitation.Survey, invitation.InteractionMessageId, invitation.Touchpoint));
                Assert.Equal(response.SubmittedAt, invitation.CompletedAt);
            }

            Assert.Equal(feedback.Invitations.Count(i => i.Status == DemoInvitation.Completed), feedback.Responses.Count(r => r.InvitationNonce is not null));
            Assert.All(feedback.Responses.Where(r => !events.ContainsKey(r.Survey)), r => Assert.Null(r.InteractionMessageId ?? r.Touchpoint ?? r.InvitationNonce));
        }
    }

    [Fact]
    public void The_same_seed_gives_the_same_feedback_and_the_events_do_not_change()
    {
        var small = new DemoOptions(Customers: 300, Seed: 7, AsOf: DemoSample.AsOf);
        var first = DemoCompany.Feedback(small).ToList();
        var second = DemoCompany.Feedback(small with { }).ToList();
        Assert.Equal(first.SelectMany(f => f.Responses), second.SelectMany(f => f.Responses));
        Assert.Equal(first.SelectMany(f => f.Invitations), second.SelectMany(f => f.Invitations));
        Assert.Equal(first.SelectMany(f => f.Signals), second.SelectMany(f => f.Signals));
        Assert.Equal(DemoCompany.EmployeeResponses(small), DemoCompany.EmployeeResponses(small with { }));

        var other = DemoCompany.Feedback(small with { Seed = 8 }).SelectMany(f => f.Responses).ToList();
        Assert.NotEqual(first.SelectMany(f => f.Responses).Select(r => r.AnswersJson), other.Select(r => r.AnswersJson));

        // The voice draws from a generator of its own: the events are the same with or without it.
        var said = new List<DemoCustomerFeedback>();
        Assert.Equal(DemoCompany.Generate(small), DemoCompany.Generate(small, (_, feedback) => said.Add(feedback)));
        Assert.Equal(first.SelectMany(f => f.Responses), said.SelectMany(f => f.Responses));
    }

    private static SurveyDefinition Parse(string key) => SurveyDefinitionParser.Parse(DemoSurveys.Get(key).Definition);

    private void AssertLanguage(List<string> comments, HashSet<string> own, HashSet<string> foreign)
    {
        var withOwn = 0;
        foreach (var comment in comments)
        {
            var words = Word().Matches(comment).Select(m => m.Value.ToLowerInvariant()).ToList();
            Assert.False(words.Any(foreign.Contains), $"{comment} ({string.Join(", ", words.Where(foreign.Contains))})");
            withOwn += words.Any(own.Contains) ? 1 : 0;
        }

        output.WriteLine($"{withOwn} of {comments.Count} carry a marker word of their language");
        Assert.True(withOwn >= 0.7 * comments.Count);
    }
}
