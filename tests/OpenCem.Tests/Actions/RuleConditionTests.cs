using System.Text.Json.Nodes;
using OpenCem.Actions.Rules;

namespace OpenCem.Tests.Actions;

public sealed class RuleConditionTests
{
    [Fact]
    public void Parse_UnknownField_NamesItWithItsColumn()
    {
        var (condition, error) = RuleCondition.Parse("response.nps <= 6 && customer.clvPercentil >= 80");
        Assert.Null(condition);
        Assert.NotNull(error);
        Assert.Contains("customer.clvPercentil", error.Message);
        Assert.Equal(1, error.Line);
        Assert.Equal(31, error.Column);
    }

    [Fact]
    public void Parse_SyntaxError_HasLineAndColumn()
    {
        var (_, error) = RuleCondition.Parse("response.nps <= 6 &&\n  (customer.clv > ");
        Assert.NotNull(error);
        Assert.Equal(2, error.Line);
        Assert.True(error.Column > 1);
    }

    [Theory]
    [InlineData("nps <= 6", "unknown name 'nps'")]
    [InlineData("response['nps'] <= 6 && response[x] > 1", "named, not computed")]
    [InlineData("response.nps <= 6 && Math.max(x, 1) > 1", "unknown name 'x'")]
    [InlineData("count({touchpoint: 'router-setup'}) >= 3", "within")]
    [InlineData("count({touchpoint: 'router-setup', within: '30m', color: 'red'}) >= 3", "unknown count filter 'color'")]
    [InlineData("response.nps = 6", "no assignments")]
    public void Parse_BadReferences_AreRejected(string source, string expected)
    {
        var (_, error) = RuleCondition.Parse(source);
        Assert.NotNull(error);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Parse_Counts_AreFoundOnceAndUsedFieldsListed()
    {
        var (condition, error) = RuleCondition.Parse(
            "count({touchpoint: 'router-setup', outcome: 'failure', within: '30m'}) >= 3 || count({touchpoint: 'router-setup', outcome: 'failure', within: '30m'}) > 9 || customer.tags.includes('vip')");
        Assert.Null(error);
        var count = Assert.Single(condition!.Counts);
        Assert.Equal(TimeSpan.FromMinutes(30), count.Within);
        Assert.Equal("failure", count.Outcome);
        Assert.Contains("customer.tags", condition.Uses);
    }

    [Fact]
    public void Evaluate_ScoresValueAndCounts()
    {
        var (condition, _) = RuleCondition.Parse(
            "response.nps <= 6 && customer.clvPercentile >= 80 && count({touchpoint: 'router-setup', outcome: 'failure', within: '30m'}) >= 3");
        var count = condition!.Counts[0];
        RuleFacts Facts(int nps, double percentile, long failures) => new(
            Roots(new JsonObject { ["nps"] = nps }, new JsonObject { ["clvPercentile"] = percentile }), new Dictionary<string, long> { [count.Key] = failures });

        Assert.True(RuleEvaluator.Evaluate(condition, Facts(3, 85, 3)).Holds);
        Assert.False(RuleEvaluator.Evaluate(condition, Facts(7, 85, 3)).Holds);
        Assert.False(RuleEvaluator.Evaluate(condition, Facts(3, 50, 3)).Holds);
        Assert.False(RuleEvaluator.Evaluate(condition, Facts(3, 85, 2)).Holds);
    }

    [Fact]
    public void Evaluate_EndlessLoop_FailsWithinTheTimeLimitInsteadOfHanging()
    {
        var (condition, error) = RuleCondition.Parse("(() => { while (true) {} })()");
        Assert.Null(error);
        var verdict = RuleEvaluator.Evaluate(condition, new RuleFacts(Roots(null, null), new Dictionary<string, long>()));
        Assert.False(verdict.Holds);
        Assert.NotNull(verdict.Error);
    }

    [Fact]
    public void Evaluate_FieldOfMissingObject_IsAnErrorNotAnException()
    {
        var (condition, _) = RuleCondition.Parse("response.comment.length > 10");
        var verdict = RuleEvaluator.Evaluate(condition, new RuleFacts(Roots(new JsonObject { ["comment"] = null }, null), new Dictionary<string, long>()));
        Assert.NotNull(verdict.Error);
    }

    [Fact]
    public void Read_BadRule_NamesEveryField()
    {
        var errors = new Dictionary<string, string[]>();
        var rule = RuleReader.Read(JsonNode.Parse("""
            {"name": "", "trigger": "schedule", "schedule": "every day", "condition": "response.nps <=", "cooldownMinutes": -1,
             "actions": [{"type": "openCase"}, {"type": "launchRocket"}, {"type": "email", "to": "ops", "subject": "x"}]}
            """), errors);
        Assert.Null(rule);
        Assert.Equal(["actions[0].title", "actions[1].type", "actions[2].to", "condition", "cooldownMinutes", "name", "schedule"], errors.Keys.Order().ToArray());
        Assert.Contains("line 1", errors["condition"][0]);
    }

    [Fact]
    public void Case_IsARootDespiteBeingAReservedWord_AndHoldsOnTheCase()
    {
        var (condition, error) = RuleCondition.Parse("case.priority == \"high\" && case.escalationLevel >= 1 && event.type != 'case'");
        Assert.Null(error);
        Assert.Equal(["case.escalationLevel", "case.priority", "event.type"], condition!.Uses.Order().ToArray());
        var roots = Roots(null, null);
        roots["case"] = new JsonObject { ["priority"] = "high", ["escalationLevel"] = 1 };
        Assert.Equal(new RuleVerdict(true, null), RuleEvaluator.Evaluate(condition, new RuleFacts(roots, new Dictionary<string, long>())));
        roots["case"]!["priority"] = "low";
        Assert.Equal(new RuleVerdict(false, null), RuleEvaluator.Evaluate(condition, new RuleFacts(roots, new Dictionary<string, long>())));
    }

    [Fact]
    public void Case_InsideTextsTemplatesRegexesAndAsPropertyName_IsLeftAsWritten()
    {
        // Only where the parser cannot take 'case' is it the root: texts, template text, regular expressions and
        // property names keep it, so these compare against the word "case" itself.
        var (condition, error) = RuleCondition.Parse(
            "'case' + `case ${case.team}` + /case/.source + ({case: 'x'}).case === 'casecase support' + 'casex' && (case ? 1 : 0) === 1");
        Assert.Null(error);
        var roots = Roots(null, null);
        roots["case"] = new JsonObject { ["team"] = "support" };
        Assert.Equal(new RuleVerdict(true, null), RuleEvaluator.Evaluate(condition, new RuleFacts(roots, new Dictionary<string, long>())));
    }

    [Theory]
    [InlineData("response.nps <= 6 && case.prio == 'high'", "unknown field 'case.prio'", 1, 27)]
    [InlineData("case.priority == 'high' &&\n   case.owner ==", "Unexpected", 2, 17)]
    [InlineData("ca$e.priority == 'high'", "unknown name 'ca$e'", 1, 1)]
    [InlineData("case.priority == 'high' && cases.status", "unknown name 'cases'", 1, 28)]
    public void Case_Errors_AreReportedAtTheAuthorsPosition(string source, string expected, int line, int column)
    {
        var (condition, error) = RuleCondition.Parse(source);
        Assert.Null(condition);
        Assert.Contains(expected, error!.Message);
        Assert.Equal((line, column), (error.Line, error.Column));
    }

    private static JsonObject Roots(JsonObject? response, JsonObject? customer) => new()
    {
        ["event"] = new JsonObject { ["type"] = "response.submitted" },
        ["response"] = response,
        ["signal"] = null,
        ["interaction"] = null,
        ["case"] = null,
        ["customer"] = customer,
    };
}
