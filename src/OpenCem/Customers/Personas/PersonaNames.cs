namespace OpenCem.Customers.Personas;

/// <summary>
/// Generates a persona's descriptive name from what separates it: its leading channel, then its value and tenure or
/// whatever else stands out most (e.g. "App-first, high value, new customers"). Only features at least
/// <see cref="Notable"/> standard deviations from everyone count; names are made unique within a run by adding the next
/// feature that stands out.
/// </summary>
public static class PersonaNames
{
    public const double Notable = 0.3;

    private static readonly Dictionary<string, (BilingualText High, BilingualText Low)> Phrases = new(StringComparer.Ordinal)
    {
        [PersonaFeatures.AppShare] = (new("App-first", "App-orientiert"), new("rarely in the app", "selten in der App")),
        [PersonaFeatures.WebShare] = (new("Web-first", "Web-orientiert"), new("rarely on the web", "selten im Web")),
        [PersonaFeatures.PhoneShare] = (new("Phone-first", "Telefon-orientiert"), new("rarely on the phone", "selten am Telefon")),
        [PersonaFeatures.ChatShare] = (new("Chat-first", "Chat-orientiert"), new("rarely in chat", "selten im Chat")),
        [PersonaFeatures.ShopShare] = (new("Shop-first", "Shop-orientiert"), new("rarely in the shop", "selten im Shop")),
        [PersonaFeatures.ContactsPerMonth] = (new("very active", "sehr aktiv"), new("rarely in touch", "selten im Kontakt")),
        [PersonaFeatures.Touchpoints] = (new("many touchpoints", "viele Kontaktpunkte"), new("few touchpoints", "wenige Kontaktpunkte")),
        [PersonaFeatures.Value] = (new("high value", "hoher Wert"), new("low value", "geringer Wert")),
        [PersonaFeatures.TenureYears] = (new("long-standing customers", "langjährige Kunden"), new("new customers", "Neukunden")),
        [PersonaFeatures.Nps] = (new("promoters", "Empfehler"), new("critics", "Kritiker")),
        [PersonaFeatures.Csat] = (new("satisfied", "zufrieden"), new("dissatisfied", "unzufrieden")),
        [PersonaFeatures.NegativeShare] = (new("often negative", "oft negativ"), new("rarely negative", "selten negativ")),
    };

    /// <summary>Names for all personas of a run, given each persona's feature contrasts (in feature order).</summary>
    public static IReadOnlyList<BilingualText> Generate(IReadOnlyList<IReadOnlyList<FeatureContrast>> personas)
    {
        var parts = personas.Select(Initial).ToList();
        var names = parts.Select(Join).ToList();
        for (var round = 0; round < 4 && names.Select(n => n.En).Distinct().Count() < names.Count; round++)
        {
            for (var p = 0; p < personas.Count; p++)
            {
                if (names.Count(n => n.En == names[p].En) > 1 && Next(personas[p], parts[p]) is { } extra)
                {
                    parts[p].Add(extra);
                }
            }

            names = parts.Select(Join).ToList();
        }

        // Still equal (identical centres): number them, so a name always picks out one persona.
        return names.Select((n, i) => names.Count(m => m.En == n.En) > 1 ? new BilingualText($"{n.En} ({i + 1})", $"{n.De} ({i + 1})") : n).ToList();
    }

    /// <summary>A phrase for one contrast ("high value"), or null when the feature has none or does not stand out.</summary>
    public static BilingualText? Phrase(FeatureContrast contrast)
    {
        if (Math.Abs(contrast.Z) < Notable)
        {
            return null;
        }

        if (Phrases.TryGetValue(contrast.Feature, out var phrase))
        {
            return contrast.Z > 0 ? phrase.High : phrase.Low;
        }

        if (contrast.Feature.StartsWith(PersonaFeatures.ThemePrefix, StringComparison.Ordinal))
        {
            var theme = contrast.Feature[PersonaFeatures.ThemePrefix.Length..];
            return contrast.Z > 0 ? new($"talk about {theme}", $"sprechen über {theme}") : new($"rarely mention {theme}", $"erwähnen selten {theme}");
        }

        return null;
    }

    private static List<(string Feature, BilingualText Text)> Initial(IReadOnlyList<FeatureContrast> contrasts)
    {
        var parts = new List<(string, BilingualText)>();
        var channel = contrasts.Where(c => PersonaFeatures.OwnChannels.Any(o => c.Feature == o + "Share") && c.Z >= Notable).MaxBy(c => c.Z);
        parts.Add(channel is null ? ("", new("Multichannel", "Kanalübergreifend")) : (channel.Feature, Phrase(channel)!));
        foreach (var feature in new[] { PersonaFeatures.Value, PersonaFeatures.TenureYears })
        {
            if (contrasts.FirstOrDefault(c => c.Feature == feature) is { } contrast && Phrase(contrast) is { } text)
            {
                parts.Add((feature, text));
            }
        }

        if (parts.Count < 3 && Next(contrasts, parts) is { } extra)
        {
            parts.Add(extra);
        }

        return parts;
    }

    private static (string Feature, BilingualText Text)? Next(IReadOnlyList<FeatureContrast> contrasts, List<(string Feature, BilingualText Text)> used)
    {
        foreach (var contrast in contrasts.OrderByDescending(c => Math.Abs(c.Z)).ThenBy(c => c.Feature, StringComparer.Ordinal))
        {
            if (used.All(u => u.Feature != contrast.Feature) && Phrase(contrast) is { } text
                && !(contrast.Feature.EndsWith("Share", StringComparison.Ordinal) && contrast.Z > 0 && contrast.Feature != PersonaFeatures.NegativeShare && used[0].Feature != ""))
            {
                return (contrast.Feature, text);
            }
        }

        return null;
    }

    private static BilingualText Join(List<(string Feature, BilingualText Text)> parts) =>
        new(string.Join(", ", parts.Select(p => p.Text.En)), string.Join(", ", parts.Select(p => p.Text.De)));
}
