using OpenCem.Actions.Cases;

namespace OpenCem.Demo;

/// <summary>The demo company's service organisation for cases: three teams with leads and agents, office hours, SLAs.</summary>
internal static class DemoCaseTeams
{
    public const string FieldService = "field-service";
    public const string Billing = "billing";
    public const string Care = "care";

    public static readonly IReadOnlyList<CaseTeam> Teams =
    [
        new(FieldService, "Field service", "office", Lead: "field-lead", EscalationTeam: Care),
        new(Billing, "Billing", "office", Lead: "billing-lead", EscalationTeam: Care),
        new(Care, "Customer care", "office", Lead: "care-lead", Assignment: AssignmentModes.RoundRobin),
    ];

    public static readonly IReadOnlyList<CaseAgent> Agents =
    [
        new("jonas", "Jonas Weber", FieldService, ["router", "german"]), new("mia", "Mia Keller", FieldService, ["tv", "german", "english"]),
        new("luca", "Luca Brunner", FieldService, ["router", "english"]), new("sara", "Sara Huber", Billing, ["billing", "german"]),
        new("tom", "Tom Fischer", Billing, ["billing", "english"]), new("lena", "Lena Wagner", Billing, ["billing", "german", "english"]),
        new("emil", "Emil Meier", Care, ["german"]), new("nora", "Nora Schmid", Care, ["english", "german"]),
        new("paul", "Paul Frei", Care, ["german"]), new("ida", "Ida Graf", Care, ["english"]),
    ];

    public static readonly IReadOnlyList<SlaPolicy> Policies =
    [
        new(CasePriorities.Urgent, null, 4 * 60, 16 * 60, "office", Escalations: DemoEscalations.For(CasePriorities.Urgent)),
        new(CasePriorities.High, null, 16 * 60, 40 * 60, "office", Escalations: DemoEscalations.For(CasePriorities.High)),
        new(CasePriorities.Normal, null, 24 * 60, 80 * 60, "office", Escalations: DemoEscalations.For(CasePriorities.Normal)),
        new(CasePriorities.Low, null, 40 * 60, 120 * 60, "office"),
    ];

    /// <summary>Office hours in Central European time: weekdays 08:00–18:00, Saturday mornings, public holidays off.</summary>
    public static CalendarDefinition Office(DateTimeOffset asOf)
    {
        string[] weekday = ["08:00-18:00"];
        var years = Enumerable.Range(asOf.Year - DemoOptions.WindowYears - 1, DemoOptions.WindowYears + 3);
        return new CalendarDefinition(
            "Europe/Berlin",
            new Dictionary<string, string[]>
            {
                ["monday"] = weekday,
                ["tuesday"] = weekday,
                ["wednesday"] = weekday,
                ["thursday"] = weekday,
                ["friday"] = weekday,
                ["saturday"] = ["09:00-13:00"],
            },
            [.. years.SelectMany(y => new[] { $"{y}-01-01", $"{y}-05-01", $"{y}-10-03", $"{y}-12-25", $"{y}-12-26" })]);
    }

    private static readonly HashSet<string> FieldThemes = new(["network", "technician-visit", "waiting-time", "problem-resolution", "punctuality"], StringComparer.Ordinal);
    private static readonly HashSet<string> BillingThemes = new(["billing", "price", "refund", "contract"], StringComparer.Ordinal);

    /// <summary>The team that follows up an experience: by the touchpoint's journey, else by what the comment is about.</summary>
    public static string TeamFor(string? journey, IReadOnlyList<string> themes) => journey switch
    {
        DemoCompany.FaultRepair => FieldService,
        DemoCompany.Billing => Billing,
        null when themes.FirstOrDefault(t => FieldThemes.Contains(t) || BillingThemes.Contains(t)) is { } theme => FieldThemes.Contains(theme) ? FieldService : Billing,
        _ => Care,
    };

    public static readonly IReadOnlyDictionary<string, string[]> ResolutionReasons = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        [FieldService] = ["technician revisit", "line repaired", "router replaced", "explained the fault"],
        [Billing] = ["credit note", "tariff corrected", "explained the bill", "payment plan"],
        [Care] = ["apology and goodwill credit", "explained", "fed back to the product team", "offer upgraded"],
    };

    public static readonly IReadOnlyList<string> ContactNotes =
    [
        "Called the customer and listened to what went wrong.",
        "Reached the customer by phone; apologised and agreed on next steps.",
        "Sent a personal e-mail and called back the next morning.",
        "Customer explained the problem in detail; promised a fix.",
    ];
}
