using OpenCem.Customers.Personas;
using OpenCem.Text;

namespace OpenCem.Dashboard.Personas;

/// <summary>
/// What a persona card names by key, in the dashboard's language: clustering features and channels from the lists
/// below, themes by the workspace's taxonomy (the names the Text page shows), journeys by the catalogue. An unknown
/// key shows as itself. Pure.
/// </summary>
public sealed class PersonaLabels(IReadOnlyList<ThemeDefinition> themes, IReadOnlyDictionary<string, string> journeys, bool german)
{
    private static readonly Dictionary<string, (string En, string De)> Features = new(StringComparer.Ordinal)
    {
        [PersonaFeatures.AppShare] = ("Share of contacts in the app", "Anteil der Kontakte in der App"),
        [PersonaFeatures.WebShare] = ("Share of contacts on the web", "Anteil der Kontakte im Web"),
        [PersonaFeatures.PhoneShare] = ("Share of contacts by phone", "Anteil der Kontakte per Telefon"),
        [PersonaFeatures.ChatShare] = ("Share of contacts in chat", "Anteil der Kontakte im Chat"),
        [PersonaFeatures.ShopShare] = ("Share of contacts in a shop", "Anteil der Kontakte im Shop"),
        [PersonaFeatures.ContactsPerMonth] = ("Contacts per month", "Kontakte pro Monat"),
        [PersonaFeatures.Touchpoints] = ("Touchpoints used", "Genutzte Touchpoints"),
        [PersonaFeatures.Value] = ("Value", "Wert"),
        [PersonaFeatures.TenureYears] = ("Years as a customer", "Jahre als Kunde"),
        [PersonaFeatures.Nps] = ("Mean recommendation score (0–10)", "Mittlere Weiterempfehlung (0–10)"),
        [PersonaFeatures.Csat] = ("Mean satisfaction (1–5)", "Mittlere Zufriedenheit (1–5)"),
        [PersonaFeatures.NegativeShare] = ("Share of negative comments", "Anteil negativer Kommentare"),
    };

    private readonly Dictionary<string, ThemeDefinition> _themes = themes.GroupBy(t => t.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

    public string Feature(string key)
    {
        if (Features.TryGetValue(key, out var name))
        {
            return german ? name.De : name.En;
        }

        return key.StartsWith(PersonaFeatures.ThemePrefix, StringComparison.Ordinal)
            ? (german ? "Kommentare zu „{0}“" : "Comments on “{0}”").Replace("{0}", Theme(key[PersonaFeatures.ThemePrefix.Length..]), StringComparison.Ordinal)
            : key;
    }

    public string Channel(string key) => Interactions.ChannelNames.Of(key, german);

    public string Theme(string key) =>
        _themes.TryGetValue(key, out var theme) && (theme.Names.TryGetValue(german ? "de" : "en", out var name) || theme.Names.TryGetValue("en", out name))
            ? name
            : key;

    public string Journey(string key) => journeys.TryGetValue(key, out var name) ? name : key;
}
