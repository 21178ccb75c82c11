using System.Globalization;
using OpenCem.Organisation.Initiatives;
using static OpenCem.Dashboard.DashboardCulture;

namespace OpenCem.Dashboard.ServiceOrganisation;

/// <summary>The Organisation pages' words in English and German, and how their numbers are written.</summary>
public static class OrganisationTexts
{
    public static string Target(string key) => key switch
    {
        "customerLoyalty" => T("Customer loyalty", "Kundenloyalität"),
        "salesIncrease" => T("Increase in sales", "Umsatzsteigerung"),
        "employeeLoyalty" => T("Employee loyalty", "Mitarbeiterloyalität"),
        "efficiency" => T("Efficiency", "Effizienz"),
        _ => key,
    };

    public static string Kpi(string key) => key switch
    {
        "nps" => T("NPS (relationship)", "NPS (Beziehung)"),
        "revenue" => T("Revenue", "Umsatz"),
        "trackedRevenue" => T("Tracked revenue", "Erfasster Umsatz"),
        "customerEquity" => T("Customer equity", "Customer Equity"),
        "enps" => T("eNPS", "eNPS"),
        "interactionsPerCustomer" => T("Interactions per customer", "Interaktionen je Kunde"),
        "selfServiceShare" => T("Self-service share", "Self-Service-Anteil"),
        "selfServiceSuccess" => T("Self-service success", "Self-Service-Erfolg"),
        "casesPer1000Customers" => T("Cases per 1,000 customers", "Fälle je 1.000 Kunden"),
        "medianResolutionHours" => T("Median resolution time (hours)", "Median der Lösungszeit (Stunden)"),
        _ => key,
    };

    public static string Phase(string phase) => phase switch
    {
        InitiativePhases.Strategy => T("Strategy", "Strategie"),
        InitiativePhases.SolutionDesign => T("Solution design", "Lösungsdesign"),
        InitiativePhases.Realisation => T("Realisation", "Realisierung"),
        InitiativePhases.Standardisation => T("Standardisation", "Standardisierung"),
        InitiativePhases.Completed => T("Completed", "Abgeschlossen"),
        InitiativePhases.Stopped => T("Stopped", "Gestoppt"),
        _ => phase,
    };

    public static string Verdict(string verdict) => verdict switch
    {
        EffectVerdicts.Improved => T("improved", "verbessert"),
        EffectVerdicts.Worsened => T("worsened", "verschlechtert"),
        EffectVerdicts.NoSignificantChange => T("no significant change", "keine signifikante Änderung"),
        _ => T("too little data", "zu wenig Daten"),
    };

    /// <summary>The badge class of a verdict: good, bad or none.</summary>
    public static string VerdictClass(string verdict) => verdict switch
    {
        EffectVerdicts.Improved => "badge good",
        EffectVerdicts.Worsened => "badge bad",
        _ => "badge",
    };

    public static string PackageStatus(string status) => status switch
    {
        "planned" => T("planned", "geplant"),
        "in-progress" => T("in progress", "in Arbeit"),
        "done" => T("done", "erledigt"),
        "dropped" => T("dropped", "verworfen"),
        _ => status,
    };

    public static string KpiKind(string kind) => kind switch
    {
        KpiKinds.Nps => "NPS",
        KpiKinds.Csat => "CSAT",
        KpiKinds.Ces => "CES",
        KpiKinds.Enps => "eNPS",
        KpiKinds.SlaAttainment => T("SLA attainment", "SLA-Einhaltung"),
        _ => T("Mean of a question", "Mittelwert einer Frage"),
    };

    /// <summary>A KPI's scope in a few words: its touchpoints or team.</summary>
    public static string Scope(InitiativeKpi kpi) =>
        kpi.Touchpoints.Count > 0 ? string.Join(", ", kpi.Touchpoints)
        : kpi.Team is { } team ? T("team ", "Team ") + team
        : kpi.Question ?? T("all", "alle");

    public static string Number(double? value, string format = "N1") => value is { } v ? v.ToString(format, CultureInfo.CurrentCulture) : "–";

    /// <summary>A target figure in its unit: money without decimals, shares in percent.</summary>
    public static string Figure(double? value, string unit) => value is not { } v ? "–" : unit switch
    {
        "currency" => v.ToString("C0", CultureInfo.CurrentCulture),
        "%" => v.ToString("N1", CultureInfo.CurrentCulture) + " %",
        _ => v.ToString("N1", CultureInfo.CurrentCulture),
    };

    /// <summary>A change in its unit: growth in percent for money, percentage points for shares.</summary>
    public static string Change(double? change, string unit) => change is not { } c ? "–" : unit switch
    {
        "currency" => Signed(c, "N1") + " %",
        "%" => Signed(c, "N1") + T(" pp", " Pp."),
        _ => Signed(c, "N1"),
    };

    public static string Signed(double value, string format) => (value > 0 ? "+" : value < 0 ? "−" : "") + Math.Abs(value).ToString(format, CultureInfo.CurrentCulture);

    public static string Significance(bool? significant) => significant switch
    {
        true => T("significant", "signifikant"),
        false => T("not significant", "nicht signifikant"),
        null => "",
    };

    public static string Interval(double low, double high) =>
        "[" + low.ToString("N1", CultureInfo.CurrentCulture) + T(" to ", " bis ") + high.ToString("N1", CultureInfo.CurrentCulture) + "]";

    public static string Date(DateTimeOffset at) => at.ToString("d", CultureInfo.CurrentCulture);
}
