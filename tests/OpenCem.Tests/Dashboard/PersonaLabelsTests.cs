using OpenCem.Dashboard.Personas;
using OpenCem.Text;

namespace OpenCem.Tests.Dashboard;

/// <summary>Persona cards name features, channels, themes and journeys in the reader's language, never by their keys.</summary>
public sealed class PersonaLabelsTests
{
    private static readonly IReadOnlyList<ThemeDefinition> Themes =
        [new("staff-friendliness", null, new Dictionary<string, string> { ["en"] = "Staff friendliness", ["de"] = "Freundlichkeit des Personals" }, new Dictionary<string, IReadOnlyList<string>>())];

    private static readonly Dictionary<string, string> Journeys = new() { ["fault-repair"] = "Fault repair" };

    [Fact]
    public void Labels_KnownKeys_ShowDisplayNamesInEnglishAndGerman()
    {
        var en = new PersonaLabels(Themes, Journeys, german: false);
        var de = new PersonaLabels(Themes, Journeys, german: true);
        Assert.Equal("Share of contacts in the app", en.Feature("appShare"));
        Assert.Equal("Anteil der Kontakte in der App", de.Feature("appShare"));
        Assert.Equal("Comments on “Staff friendliness”", en.Feature("theme.staff-friendliness"));
        Assert.Equal("Kommentare zu „Freundlichkeit des Personals“", de.Feature("theme.staff-friendliness"));
        Assert.Equal("Staff friendliness", en.Theme("staff-friendliness"));
        Assert.Equal("Telefon", de.Channel("phone"));
        Assert.Equal("Fault repair", de.Journey("fault-repair"));
    }

    [Fact]
    public void Labels_UnknownKeys_ShowTheKey()
    {
        var de = new PersonaLabels(Themes, Journeys, german: true);
        Assert.Equal("mystery", de.Feature("mystery"));
        Assert.Equal("Kommentare zu „custom-theme“", de.Feature("theme.custom-theme"));
        Assert.Equal("pigeon", de.Channel("pigeon"));
        Assert.Equal("custom-theme", de.Theme("custom-theme"));
        Assert.Equal("onboarding", de.Journey("onboarding"));
    }
}
