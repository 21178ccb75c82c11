using Microsoft.Extensions.Primitives;
using OpenCem.Feedback.Respondents;
using OpenCem.Feedback.Surveys;

namespace OpenCem.Tests.Feedback;

/// <summary>The respondent page's pure parts: language choice, page navigation, reading a posted page, writing HTML.</summary>
public sealed class RespondentFormTests
{
    private static readonly SurveyDefinition Nps = SurveyDefinitionParser.Parse(SurveyFixtures.Nps);

    /// <summary>Three pages; the second only for detractors; questions whose names are the page's own fields.</summary>
    private static readonly SurveyDefinition Branching = SurveyDefinitionParser.Parse("""
        {"pages": [
          {"elements": [{"type": "rating", "name": "nps", "role": "nps", "isRequired": true}, {"type": "text", "name": "page", "title": "Which page?"}]},
          {"visibleIf": "{nps} <= 6", "elements": [{"type": "comment", "name": "why", "isRequired": true}]},
          {"elements": [{"type": "text", "name": "action", "inputType": "email"}, {"type": "checkbox", "name": "topics", "choices": ["a;b", "c"]}]}
        ]}
        """);

    [Theory]
    [InlineData("de", null, null, "de")]
    [InlineData(null, "de", "en", "de")]
    [InlineData(null, null, "fr-CH, de;q=0.8, en;q=0.9", "en")]
    [InlineData(null, null, "de-AT", "de")]
    [InlineData("fr", null, "fr, it", "en")]
    [InlineData("EN-us", "de", null, "en")]
    public void Language_QueryThenInvitationThenAcceptLanguageThenDefault(string? query, string? invitation, string? accept, string expected) =>
        Assert.Equal(expected, PageLanguage.Choose(Nps.Languages, Nps.DefaultLanguage, query, invitation, new StringValues(accept)));

    [Fact]
    public void Navigator_SkipsHiddenPages_AndResumesAtTheFirstUnfinishedOne()
    {
        Assert.Equal(2, SurveyNavigator.Next(Branching, 0, Answer(("nps", 9.0))));
        Assert.Equal(1, SurveyNavigator.Next(Branching, 0, Answer(("nps", 3.0))));
        Assert.Equal(0, SurveyNavigator.Previous(Branching, 2, Answer(("nps", 9.0))));
        Assert.Equal((2, 2), SurveyNavigator.Position(Branching, 2, Answer(("nps", 9.0))));
        Assert.Equal((3, 3), SurveyNavigator.Position(Branching, 2, Answer(("nps", 3.0))));

        Assert.Equal(0, SurveyNavigator.Resume(Branching, new Answers()));
        // The optional "page" question passed over on page 1 does not hold the respondent back.
        Assert.Equal(2, SurveyNavigator.Resume(Branching, Answer(("nps", 9.0))));
        Assert.Equal(1, SurveyNavigator.Resume(Branching, Answer(("nps", 3.0))));
        Assert.Equal(1, SurveyNavigator.Resume(Branching, Answer(("nps", 3.0), ("action", "a@example.com"))));
        Assert.Equal(2, SurveyNavigator.Resume(Branching, Answer(("nps", 9.0), ("action", "a@example.com"), ("topics", new[] { "c" }))));
    }

    [Fact]
    public void Read_QuestionsNamedLikeThePagesFields_AndChoicesWithSemicolons()
    {
        var first = PageForm.Read(Branching, Fields(("page", "0"), ("shown", "0 1"), ("nps", "7"), ("{page}", "two"), ("action", "next")), new Answers(), PageTexts.English)!;
        Assert.Empty(first.Errors);
        Assert.Equal((PageAction.Next, 7.0, "two"), (first.Action, first.Answers["nps"], first.Answers["page"]));

        var third = PageForm.Read(Branching, Fields(("page", "2"), ("{action}", "not-an-address"), ("topics", "a;b"), ("topics", "c"), ("action", "back")), first.Answers, PageTexts.German)!;
        Assert.Equal(PageAction.Back, third.Action);
        Assert.Equal(["a;b", "c"], (string[])third.Answers["topics"]!);
        var error = Assert.Single(third.Errors);
        Assert.Equal(("action", "Bitte geben Sie eine E-Mail-Adresse ein, z. B. name@example.com."), (error.Question, error.Message));
        Assert.Equal("not-an-address", third.Entered["action"]);
        Assert.Equal(7.0, third.Answers["nps"]);

        Assert.Null(PageForm.Read(Branching, Fields(("page", "3")), new Answers(), PageTexts.English));
        Assert.Null(PageForm.Read(Branching, Fields(("nps", "3")), new Answers(), PageTexts.English));
    }

    [Fact]
    public void Read_RequiredAnswersOnlyForQuestionsTheRespondentSaw()
    {
        var post = PageForm.Read(Nps, Fields(("page", "0"), ("shown", "0"), ("nps", "2")), new Answers(), PageTexts.English)!;
        PageForm.RequireAnswers(Nps, post, "en", PageTexts.English);
        Assert.Empty(post.Errors);
        Assert.Equal("reason", Assert.Single(post.NewlyVisible(Nps)).Name);

        var again = PageForm.Read(Nps, Fields(("page", "0"), ("shown", "0 1"), ("nps", "2")), new Answers(), PageTexts.English)!;
        PageForm.RequireAnswers(Nps, again, "en", PageTexts.English);
        Assert.Equal(new FieldError("reason", "Please answer this question."), Assert.Single(again.Errors));
    }

    [Fact]
    public void Html_EncodesEverythingTheSurveyAndTheRespondentBring()
    {
        var definition = SurveyDefinitionParser.Parse("""
            {"title": "<script>alert(1)</script>", "elements": [
              {"type": "text", "name": "q \"1\"", "title": "Tom & <Jerry>", "description": "it's", "isRequired": true},
              {"type": "dropdown", "name": "d", "choices": [{"value": "x\"", "text": "<b>"}]}
            ]}
            """);
        var html = HtmlText.Rent();
        PageWriter.SurveyPage(html, new PageView(
            definition, "en", PageTexts.English, "/s/t?lang=en", 0, Answer(("d", "x\"")), [new FieldError("q \"1\"", "<bad>")],
            new Dictionary<string, string> { ["q \"1\""] = "\"><img src=x>" }));
        var text = html.ToString();
        HtmlText.Return(html);

        Assert.DoesNotContain("<script>", text, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", text, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", text, StringComparison.Ordinal);
        Assert.Contains("<title>Error: &lt;script&gt;alert(1)&lt;/script&gt;</title>", text, StringComparison.Ordinal);
        Assert.Contains("name=\"q &quot;1&quot;\" aria-required=\"true\" aria-describedby=\"q0-e q0-d\" aria-invalid=\"true\"", text, StringComparison.Ordinal);
        Assert.Contains("value=\"&quot;&gt;&lt;img src=x&gt;\"", text, StringComparison.Ordinal);
        Assert.Contains("<option value=\"x&quot;\" selected>&lt;b&gt;</option>", text, StringComparison.Ordinal);
        Assert.Contains("it&#39;s", text, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#q0-0\">Tom &amp; &lt;Jerry&gt;: &lt;bad&gt;</a>", text, StringComparison.Ordinal);
    }

    private static Answers Answer(params (string Name, object Value)[] values)
    {
        var answers = new Answers();
        foreach (var (name, value) in values)
        {
            answers.Set(name, value);
        }

        return answers;
    }

    private static List<KeyValuePair<string, StringValues>> Fields(params (string Name, string Value)[] fields) =>
        fields.GroupBy(f => f.Name).Select(g => KeyValuePair.Create(g.Key, new StringValues(g.Select(f => f.Value).ToArray()))).ToList();
}
