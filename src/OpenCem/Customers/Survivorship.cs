using System.Text.Json.Nodes;

namespace OpenCem.Customers;

/// <summary>One record's say in a profile's traits.</summary>
public sealed record TraitCandidate(string Source, string RecordKey, DateTimeOffset UpdatedAt, JsonObject Traits);

/// <summary>Where a profile's trait value came from.</summary>
public sealed record TraitOrigin(string Source, string Record, DateTimeOffset UpdatedAt);

/// <summary>
/// Chooses each trait's surviving value among a profile's records: by default the most trusted source
/// (<see cref="IdentitySettings.SourcePriority"/>; unlisted sources after listed ones, tracking last), then the
/// most recent record; a trait can have its own source order or use the most recent value alone. Pure.
/// </summary>
public static class Survivorship
{
    public const string SourcePriority = "sourcePriority";
    public const string MostRecent = "mostRecent";

    public static (JsonObject Traits, Dictionary<string, TraitOrigin> Origins) Apply(IReadOnlyList<TraitCandidate> records, IdentitySettings settings)
    {
        var rules = settings.Traits.ToDictionary(t => t.Trait);
        var winners = new Dictionary<string, (JsonNode Value, TraitCandidate Record)>();
        foreach (var record in records)
        {
            foreach (var (name, value) in record.Traits)
            {
                if (value is null)
                {
                    continue;
                }

                var rule = rules.GetValueOrDefault(name);
                if (!winners.TryGetValue(name, out var current) || Beats(record, current.Record, rule, settings))
                {
                    winners[name] = (value, record);
                }
            }
        }

        var traits = new JsonObject();
        var origins = new Dictionary<string, TraitOrigin>();
        foreach (var (name, (value, record)) in winners.OrderBy(w => w.Key, StringComparer.Ordinal))
        {
            traits[name] = value.DeepClone();
            origins[name] = new TraitOrigin(record.Source, record.RecordKey, record.UpdatedAt);
        }

        return (traits, origins);
    }

    private static bool Beats(TraitCandidate challenger, TraitCandidate holder, TraitRule? rule, IdentitySettings settings)
    {
        if (rule?.Rule != MostRecent)
        {
            var order = rule is { Sources.Count: > 0 } ? rule.Sources : settings.SourcePriority;
            var byRank = Rank(challenger.Source, order).CompareTo(Rank(holder.Source, order));
            if (byRank != 0)
            {
                return byRank < 0;
            }
        }

        var byTime = challenger.UpdatedAt.CompareTo(holder.UpdatedAt);
        return byTime != 0 ? byTime > 0 : string.CompareOrdinal(challenger.Source + "/" + challenger.RecordKey, holder.Source + "/" + holder.RecordKey) < 0;
    }

    private static int Rank(string source, IReadOnlyList<string> order)
    {
        for (var i = 0; i < order.Count; i++)
        {
            if (order[i] == source)
            {
                return i;
            }
        }

        // What the customer says about themselves on the web is least trusted unless listed.
        return source == IdentifierKinds.TrackingSource ? int.MaxValue : int.MaxValue - 1;
    }
}
