namespace OpenCem.Text.Themes;

/// <summary>
/// The taxonomy a workspace starts with, the one seam between the taxonomy store and the shipped default.
/// TODO(lead): when the analyser branch is merged, return its shipped default here (<c>DefaultTaxonomy</c>) in one line;
/// this minimal list only exists so that storage, worker and API work and can be tested before it.
/// </summary>
public static class TaxonomySeed
{
    public static IReadOnlyList<ThemeDefinition> Themes { get; } =
    [
        Theme("billing", null, "Billing", "Rechnung", ["bill", "billing", "invoice", "charged", "charge"], ["rechnung*", "abbuchung*", "abgebucht"]),
        Theme("price", null, "Price", "Preis", ["price", "expensive", "cheap", "cost"], ["preis*", "teuer", "günstig", "kosten"]),
        Theme("network", null, "Network and product quality", "Netz- und Produktqualität",
            ["network", "connection", "signal", "outage", "internet", "speed"], ["netz*", "verbindung*", "störung*", "ausfall", "ausgefallen", "internet"]),
        Theme("staff", null, "Staff", "Personal", ["staff", "employee", "agent"], ["mitarbeiter*", "personal"]),
        Theme("staff-friendliness", "staff", "Staff friendliness", "Freundlichkeit", ["friendly", "polite", "rude", "unfriendly"], ["freundlich*", "höflich*", "unhöflich*"]),
        Theme("competence", "staff", "Competence", "Kompetenz", ["competent", "knew exactly", "clueless", "incompetent"], ["kompetent*", "inkompetent*", "ahnung"]),
        Theme("waiting-time", null, "Waiting time", "Wartezeit", ["wait*", "on hold", "took ages"], ["wart*", "gewartet", "warteschleife"]),
        Theme("reachability", null, "Reachability", "Erreichbarkeit", ["hotline", "reach", "get through", "call back"], ["hotline", "erreich*", "rückruf"]),
        Theme("technician-visit", null, "Technician visit", "Technikerbesuch", ["technician", "engineer", "appointment"], ["techniker*", "termin*"]),
        Theme("app-website", null, "App and website usability", "App und Website", ["app", "website", "online", "login", "router setup"], ["app", "website", "online", "anmeldung", "einrichtung"]),
        Theme("contract", null, "Contract", "Vertrag", ["contract", "cancel*", "renewal"], ["vertrag*", "kündig*", "verlänger*"]),
        Theme("delivery", null, "Delivery", "Lieferung", ["delivery", "delivered", "parcel", "shipping"], ["liefer*", "paket*", "versand"]),
    ];

    private static ThemeDefinition Theme(string key, string? parent, string en, string de, string[] keywordsEn, string[] keywordsDe) =>
        new(key, parent, new Dictionary<string, string> { ["en"] = en, ["de"] = de },
            new Dictionary<string, IReadOnlyList<string>> { ["en"] = keywordsEn, ["de"] = keywordsDe });
}
