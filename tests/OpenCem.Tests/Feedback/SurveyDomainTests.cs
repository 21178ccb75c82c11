using System.Text.Json;
using System.Text.Json.Nodes;
using OpenCem.Feedback.Invitations;
using OpenCem.Feedback.Metrics;
using OpenCem.Feedback.Surveys;

namespace OpenCem.Tests.Feedback;

public sealed class SurveyDomainTests
{
    [Theory]
    [InlineData("{nps} <= 6", 6, true)]
    [InlineData("{nps} <= 6", 7, false)]
    [InlineData("{nps} < 7 and {nps} notempty", 3, true)]
    [InlineData("{nps} = 10 or {nps} == 9", 9, true)]
    [InlineData("!({nps} >= 9)", 8, true)]
    [InlineData("not {nps} >= 9", 10, false)]
    [InlineData("{nps} anyof [0, 1, 2]", 1, true)]
    [InlineData("{nps} empty", null, true)]
    [InlineData("{nps} > 5", null, false)]
    [InlineData("{nps} <> 5", 4, true)]
    public void Condition_EvaluatesLikeSurveyJs(string text, int? nps, bool expected)
    {
        var condition = SurveyCondition.Parse(text);
        Assert.Equal(expected, condition.Evaluate(name => name == "nps" && nps is { } n ? (double)n : null));
        Assert.Equal(["nps"], condition.Variables);
    }

    [Fact]
    public void Condition_ComparesTextWithoutCase_ListsAsSets_AndMatrixCells()
    {
        var answers = new Dictionary<string, object?>
        {
            ["contact"] = "Phone",
            ["topics"] = new[] { "billing", "price" },
            ["grid"] = new Dictionary<string, string> { ["speed"] = "2" },
        };
        object? Lookup(string name) => answers.GetValueOrDefault(name);
        Assert.True(SurveyCondition.Parse("{contact} = 'phone'").Evaluate(Lookup));
        Assert.True(SurveyCondition.Parse("{topics} contains 'price'").Evaluate(Lookup));
        Assert.True(SurveyCondition.Parse("{topics} allof ['price', 'billing']").Evaluate(Lookup));
        Assert.False(SurveyCondition.Parse("{topics} noneof ['price']").Evaluate(Lookup));
        Assert.True(SurveyCondition.Parse("{grid.speed} <= 2").Evaluate(Lookup));
        Assert.Equal(["grid"], SurveyCondition.Parse("{grid.speed} <= 2").Variables);
    }

    [Theory]
    [InlineData("age({birth}) > 18", "function 'age' is not supported")]
    [InlineData("{a} + 1 > 2", "arithmetic is not supported")]
    [InlineData("{a} = 'open", "no closing quote")]
    [InlineData("({a} = 1", "')' expected")]
    [InlineData("", "empty")]
    public void Condition_RefusesWhatItCannotRead(string text, string message)
    {
        var error = Assert.Throws<ConditionException>(() => SurveyCondition.Parse(text));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parser_ReadsPagesRolesAndLanguages()
    {
        var survey = SurveyDefinitionParser.Parse(SurveyFixtures.Nps);
        Assert.Equal(2, survey.Pages.Count);
        Assert.Equal(["de", "en"], survey.Languages);
        var nps = survey.WithRole(QuestionRole.Nps)!;
        Assert.Equal((0, 10), (nps.RateMin, nps.RateMax));
        Assert.Equal("Wie wahrscheinlich empfehlen Sie uns weiter?", nps.TitleIn("de"));
        Assert.Equal("How likely are you to recommend us to a friend?", nps.TitleIn("fr"));
        Assert.Equal("Preis", survey.Find("reason")!.Choices[0].Text.In("de"));
        Assert.Equal([QuestionRole.Nps], survey.MetricRoles);
    }

    [Fact]
    public void Parser_AcceptsVisualCreatorPropertiesAndRejectsBehaviourItDoesNotSupport()
    {
        var creator = """
            {"logoPosition": "right", "showQuestionNumbers": "off", "pages": [{"name": "page1", "elements": [
              {"type": "rating", "name": "question1", "rateCount": 5, "rateMax": 5, "rateType": "stars", "hideNumber": true}]}]}
            """;
        Assert.Single(SurveyDefinitionParser.Parse(creator).Questions);

        var problems = Assert.Throws<SurveyDefinitionException>(() => SurveyDefinitionParser.Parse("""
            {"elements": [
              {"type": "panel", "name": "p"},
              {"type": "rating", "name": "a", "role": "csat", "rateMin": 0, "rateMax": 10},
              {"type": "rating", "name": "b", "role": "nps"}, {"type": "rating", "name": "c", "role": "nps"},
              {"type": "comment", "name": "a"},
              {"type": "text", "name": "t", "validators": [{"type": "email"}], "role": "love"}
            ]}
            """)).Problems;
        Assert.Contains(problems, p => p.Contains("'panel' is not supported", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("csat rating runs from 1 to 5", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("only one question may have it", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("'a' is used twice", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("validators: is not supported", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("role: must be one of", StringComparison.Ordinal));
    }

    [Fact]
    public void Answers_AreReadFromJsonAndText_AndRequiredOnlyWhenVisible()
    {
        var survey = SurveyDefinitionParser.Parse(SurveyFixtures.Service);
        var errors = new Dictionary<string, string[]>();
        using var json = JsonDocument.Parse("""{"csat": 4, "attributes": {"speed": 2}, "resolved": false, "channels": ["Chat"]}""");
        var answers = SurveyLogic.Read(survey, json.RootElement, errors);
        SurveyLogic.Complete(survey, answers, errors);
        Assert.Empty(errors);
        Assert.Equal(["chat"], (string[])answers["channels"]!);
        Assert.Equal("""{"csat":4,"attributes":{"speed":2},"resolved":false,"channels":["chat"]}""", answers.ToJson(survey));

        var ces = survey.Find("ces")!;
        Assert.Equal(7.0, AnswerReader.FromText(ces, " 7 ", out _));
        Assert.Null(AnswerReader.FromText(ces, "8", out var error));
        Assert.Contains("from 1 to 7", error, StringComparison.Ordinal);
        Assert.Equal(true, AnswerReader.FromText(survey.Find("resolved")!, "ja", out _));
        Assert.Equal(new Dictionary<string, string> { ["speed"] = "3", ["friendliness"] = "5" }, AnswerReader.FromText(survey.Find("attributes")!, "speed=3;friendliness=5", out _));

        var nps = SurveyDefinitionParser.Parse(SurveyFixtures.Nps);
        var promoter = new Answers();
        promoter.Set("nps", 10.0);
        promoter.Set("reason", "price");
        var none = new Dictionary<string, string[]>();
        SurveyLogic.Complete(nps, promoter, none);
        Assert.Empty(none);
        Assert.False(promoter.Has("reason"));
    }

    [Fact]
    public void Tally_FollowsThePublishedDefinitions()
    {
        var tally = default(ScoreTally);
        foreach (var (nps, csat, ces) in new (int?, int?, int?)[] { (10, 5, 7), (9, 4, 6), (7, 3, 5), (3, 2, 2), (null, 5, null) })
        {
            tally.Add(nps, csat, ces);
        }

        // NPS: 2 promoters, 1 detractor of 4: 25; SE = 100·sqrt((0.5 + 0.25 − 0.0625)/4) = 41.46.
        Assert.Equal(25, tally.Nps!.Value);
        Assert.Equal(25 - (1.96 * 41.4578), tally.Nps.CiLow, 1);
        Assert.Equal(60, tally.Csat!.Value);
        Assert.Equal(3.8, tally.CsatMean!.Value);
        Assert.Equal(5, tally.Ces!.Value);
        Assert.InRange(tally.Csat.CiLow, 20, 30);
        Assert.InRange(tally.Csat.CiHigh, 85, 95);

        var before = default(ScoreTally);
        var after = default(ScoreTally);
        for (var i = 0; i < 400; i++)
        {
            before.Add(i % 10 < 4 ? 10 : i % 10 < 7 ? 8 : 3, null, null);
            after.Add(i % 10 < 6 ? 10 : i % 10 < 8 ? 8 : 3, null, null);
        }

        Assert.True(ScoreTally.NpsChangeIsSignificant(before, after));
        Assert.False(ScoreTally.NpsChangeIsSignificant(before, before));
    }

    [Fact]
    public void ContactPolicy_GivesTheFirstReasonThatApplies()
    {
        var now = DateTimeOffset.Parse("2026-11-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var consenting = new JsonObject { ["surveys"] = true };
        var ok = new ContactFacts(true, false, 0, null, null, consenting, "a@example.com");
        Assert.Null(ContactPolicy.SuppressionReason(ContactRules.Default, ok, "email", SurveyAudience.Customers, now));
        Assert.Contains("no e-mail", ContactPolicy.SuppressionReason(ContactRules.Default, ok with { Address = null }, "email", SurveyAudience.Customers, now));
        Assert.Null(ContactPolicy.SuppressionReason(ContactRules.Default, ok with { Address = null }, "link", SurveyAudience.Customers, now));
        Assert.Contains("refused", ContactPolicy.SuppressionReason(ContactRules.Default, ok with { Consent = new JsonObject { ["consentSurveys"] = "no" } }, "link", SurveyAudience.Customers, now));
        Assert.Null(ContactPolicy.SuppressionReason(ContactRules.Default, ok with { Consent = [] }, "link", SurveyAudience.Employees, now));
        Assert.Contains("case 12", ContactPolicy.SuppressionReason(ContactRules.Default, ok with { OpenCaseId = 12 }, "link", SurveyAudience.Customers, now));
        var recent = ok with { InvitationsInPeriod = 1, LastInvitedAt = now.AddDays(-12) };
        Assert.Contains("12 day(s) ago", ContactPolicy.SuppressionReason(ContactRules.Default, recent, "link", SurveyAudience.Customers, now));
        Assert.Null(ContactPolicy.SuppressionReason(ContactRules.Default with { MaxInvitations = 2 }, recent, "link", SurveyAudience.Customers, now));
    }
}
