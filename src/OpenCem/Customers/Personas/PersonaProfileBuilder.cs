using System.Globalization;

namespace OpenCem.Customers.Personas;

/// <summary>
/// Turns clusters and their evidence into factual profiles: size and share, value share, the features that separate
/// each persona (centre z-scores, largest first), its channel mix, touchpoints and journeys, the themes it is positive
/// (delights) and negative (pains) about, the comments of its most typical members and a generated name. Pure.
/// </summary>
public static class PersonaProfileBuilder
{
    public const int SeparatingFeatures = 3;
    public const int TopTouchpoints = 6;
    public const int TopThemes = 3;

    /// <param name="themeNames">Display names of theme keys (the workspace taxonomy's) for the summary; without it the keys.</param>
    public static IReadOnlyList<PersonaProfile> Build(
        PersonaFeatureTable table, PersonaClusters clusters, IReadOnlyList<PersonaEvidence> evidence, Func<string, BilingualText>? themeNames = null)
    {
        themeNames ??= key => new BilingualText(key, key);
        var k = clusters.K;
        var total = (double)table.Count;
        var value = new double[k];
        var channelCounts = new long[k, PersonaFeatures.OwnChannels.Count];
        for (var r = 0; r < table.Count; r++)
        {
            var p = clusters.Assignment[r];
            value[p] += table.CustomerValue[r];
            for (var c = 0; c < PersonaFeatures.OwnChannels.Count; c++)
            {
                channelCounts[p, c] += table.ChannelContacts[(r * PersonaFeatures.OwnChannels.Count) + c];
            }
        }

        var totalValue = value.Sum();
        var contrasts = Enumerable.Range(0, k).Select(p => Contrasts(clusters, p)).ToList();
        var names = PersonaNames.Generate(contrasts);
        var profiles = new List<PersonaProfile>();
        for (var p = 0; p < k; p++)
        {
            var own = Enumerable.Range(0, PersonaFeatures.OwnChannels.Count).Sum(c => channelCounts[p, c]);
            var channels = Enumerable.Range(0, PersonaFeatures.OwnChannels.Count)
                .Select(c => new ChannelShare(PersonaFeatures.OwnChannels[c], own == 0 ? 0 : Math.Round(channelCounts[p, c] / (double)own, 4)))
                .OrderByDescending(c => c.Share).ThenBy(c => c.Channel, StringComparer.Ordinal).ToList();
            var e = p < evidence.Count ? evidence[p] : new PersonaEvidence([], [], []);
            var journeys = e.Touchpoints.Where(t => t.Journey is not null).GroupBy(t => t.Journey!)
                .Select(g => new JourneyUse(g.Key, g.Sum(t => t.Interactions), g.Max(t => t.CustomerShare)))
                .OrderByDescending(j => j.Interactions).ThenBy(j => j.Journey, StringComparer.Ordinal).ToList();
            var delights = e.Themes.Where(t => t.Positive > t.Negative).OrderByDescending(t => t.Positive - t.Negative).ThenBy(t => t.Theme, StringComparer.Ordinal).Take(TopThemes).ToList();
            var pains = e.Themes.Where(t => t.Negative > t.Positive).OrderByDescending(t => t.Negative - t.Positive).ThenBy(t => t.Theme, StringComparer.Ordinal).Take(TopThemes).ToList();
            var separating = contrasts[p].Where(c => Math.Abs(c.Z) >= PersonaNames.Notable).OrderByDescending(c => Math.Abs(c.Z))
                .ThenBy(c => c.Feature, StringComparer.Ordinal).Take(SeparatingFeatures).ToList();
            var share = clusters.Sizes[p] / total;
            var valueShare = totalValue <= 0 ? 0 : value[p] / totalValue;
            profiles.Add(new PersonaProfile(
                p + 1, Key(p), names[p], clusters.Sizes[p], Math.Round(share, 4), Math.Round(valueShare, 4), separating, contrasts[p], channels,
                e.Touchpoints.Take(TopTouchpoints).ToList(), journeys, delights, pains, e.Comments,
                Summary(names[p], share, valueShare, channels, delights, pains, themeNames)));
        }

        return profiles;
    }

    /// <summary>The persona's trait value: p1 is the largest persona of the run.</summary>
    public static string Key(int index) => "p" + (index + 1).ToString(CultureInfo.InvariantCulture);

    private static List<FeatureContrast> Contrasts(PersonaClusters clusters, int p)
    {
        var s = clusters.Scaling;
        return s.Names.Select((name, f) =>
        {
            var z = s.Z(f, clusters.Centroids[p][f]);
            return new FeatureContrast(name, Math.Round(s.Unscale(f, z), 3), Math.Round(s.Unscale(f, 0), 3), Math.Round(z, 3));
        }).ToList();
    }

    private static BilingualText Summary(BilingualText name, double share, double valueShare, IReadOnlyList<ChannelShare> channels, IReadOnlyList<ThemeFeeling> delights, IReadOnlyList<ThemeFeeling> pains,
        Func<string, BilingualText> themeNames)
    {
        // Whole percentages read the same in both languages (and the server may run without culture data).
        var en = string.Create(CultureInfo.InvariantCulture, $"{name.En}: {share * 100:0} % of customers, {valueShare * 100:0} % of the value; mostly {Interactions.ChannelNames.Of(channels[0].Channel, false)} ({channels[0].Share * 100:0} % of their own contacts).");
        var de = string.Create(CultureInfo.InvariantCulture, $"{name.De}: {share * 100:0} % der Kunden, {valueShare * 100:0} % des Werts; meist {Interactions.ChannelNames.Of(channels[0].Channel, true)} ({channels[0].Share * 100:0} % ihrer eigenen Kontakte).");
        if (delights.Count > 0)
        {
            en += $" Pleased by {string.Join(", ", delights.Select(d => themeNames(d.Theme).En))}.";
            de += $" Zufrieden mit {string.Join(", ", delights.Select(d => themeNames(d.Theme).De))}.";
        }

        if (pains.Count > 0)
        {
            en += $" Hurt by {string.Join(", ", pains.Select(d => themeNames(d.Theme).En))}.";
            de += $" Verärgert über {string.Join(", ", pains.Select(d => themeNames(d.Theme).De))}.";
        }

        return new BilingualText(en, de);
    }
}
