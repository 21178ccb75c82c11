namespace OpenCem.Actions.Rules;

/// <summary>
/// The names a rule's condition may use: one object per kind of thing a rule sees, with its fields. Fields marked open
/// (<c>customer.traits</c>, <c>interaction.properties</c>) take any key below them. Checked at save time, so a typo is a
/// 422 and not a rule that silently never fires.
/// </summary>
public static class RuleVocabulary
{
    public const string CountFunction = "count";

    /// <summary>
    /// <c>case</c> is a reserved word of JavaScript: conditions name the root <c>case</c>, the script the evaluator runs
    /// names it <c>ca$e</c> (as long, so every position in the script is the same as in the author's text).
    /// </summary>
    public const string CaseScriptName = "ca$e";

    /// <summary>The name a root has in the script the evaluator runs.</summary>
    public static string ScriptName(string root) => root == "case" ? CaseScriptName : root;

    public static readonly IReadOnlyDictionary<string, IReadOnlySet<string>> Roots = new Dictionary<string, IReadOnlySet<string>>
    {
        ["event"] = Set("id", "type", "occurredAt"),
        ["response"] = Set("id", "surveyId", "survey", "touchpoint", "channel", "language", "nps", "csat", "ces", "overall", "comment"),
        ["signal"] = Set("id", "source", "text", "title", "rating", "ratingMax", "touchpoint", "language", "url"),
        ["interaction"] = Set("id", "type", "event", "touchpoint", "channel", "journey", "stage", "outcome", "effort", "revenue", "cost", "properties"),
        ["case"] = Set("id", "title", "status", "priority", "team", "owner", "reason", "slaDueAt", "escalationLevel"),
        ["customer"] = Set("id", "traits", "lifecycleStage", "nps", "csat", "ces", "clv", "clvPercentile", "churnRisk", "tags"),
    };

    /// <summary>The filters <c>count({...})</c> takes; <c>within</c> (e.g. <c>'30m'</c>, <c>'2h'</c>, <c>'7d'</c>) is required.</summary>
    public static readonly IReadOnlySet<string> CountFilters = Set("touchpoint", "outcome", "event", "channel", "stage", "journey", "within", "customers");

    /// <summary>Whose interactions <c>count({...})</c> counts: the rule's customer (the default) or everyone's.</summary>
    public static readonly IReadOnlySet<string> CountCustomers = Set("this", "all");

    /// <summary>Globals of JavaScript a condition may use besides the roots.</summary>
    public static readonly IReadOnlySet<string> Globals = Set("Math", "undefined", "NaN", "Infinity", "String", "Number");

    private static HashSet<string> Set(params string[] names) => new(names, StringComparer.Ordinal);
}
