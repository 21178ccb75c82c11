using System.Text.RegularExpressions;

namespace OpenCem.Interactions;

public sealed record JourneyStageRequest(string? Key, string? Name);

public sealed record JourneyRequest(string? Key, string? Name, string? Description, IReadOnlyList<JourneyStageRequest>? Stages);

public sealed record TouchpointRequest(string? Key, string? Name, string? Channel, string? Journey, string? Stage, IReadOnlyList<string>? Events);

/// <summary>Checks catalogue entries before they are stored; each error names its field.</summary>
public static partial class CatalogueValidation
{
    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$")]
    private static partial Regex KeyPattern();

    public static Dictionary<string, string[]> Journey(JourneyRequest request, out Journey? journey)
    {
        var errors = new Dictionary<string, string[]>();
        journey = null;
        CheckKey(request.Key, "key", errors);
        CheckName(request.Name, "name", errors);
        var stages = new List<JourneyStage>();
        if (request.Stages is null || request.Stages.Count == 0)
        {
            errors["stages"] = ["A journey needs at least one stage."];
        }
        else
        {
            var seen = new HashSet<string>();
            for (var i = 0; i < request.Stages.Count; i++)
            {
                var stage = request.Stages[i];
                if (CheckKey(stage?.Key, $"stages[{i}].key", errors) && !seen.Add(stage!.Key!))
                {
                    errors[$"stages[{i}].key"] = [$"The stage \"{stage.Key}\" appears twice."];
                }

                stages.Add(new JourneyStage(stage?.Key ?? string.Empty, string.IsNullOrWhiteSpace(stage?.Name) ? stage?.Key ?? string.Empty : stage.Name.Trim()));
            }
        }

        if (errors.Count == 0)
        {
            journey = new Journey(request.Key!, request.Name!.Trim(), request.Description, stages);
        }

        return errors;
    }

    /// <param name="request">The touchpoint as sent.</param>
    /// <param name="journeys">The workspace's journeys.</param>
    /// <param name="others">The workspace's other touchpoints, whose event names this one may not take.</param>
    /// <param name="touchpoint">The valid touchpoint, or null.</param>
    public static Dictionary<string, string[]> Touchpoint(
        TouchpointRequest request, IReadOnlyList<Journey> journeys, IReadOnlyList<Touchpoint> others, out Touchpoint? touchpoint)
    {
        var errors = new Dictionary<string, string[]>();
        touchpoint = null;
        CheckKey(request.Key, "key", errors);
        CheckName(request.Name, "name", errors);
        var channel = request.Channel?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(channel))
        {
            errors["channel"] = [$"A touchpoint needs a channel: one of {string.Join(", ", Channels.Known)}."];
        }
        else if (!Channels.IsKnown(channel))
        {
            errors["channel"] = [$"\"{request.Channel}\" is not a channel; use one of {string.Join(", ", Channels.Known)}."];
        }

        if (request.Journey is { } journeyKey)
        {
            var journey = journeys.FirstOrDefault(j => j.Key == journeyKey);
            if (journey is null)
            {
                errors["journey"] = [$"No journey has the key \"{journeyKey}\"."];
            }
            else if (request.Stage is { } stage && journey.Stages.All(s => s.Key != stage))
            {
                errors["stage"] = [$"The journey \"{journeyKey}\" has no stage \"{stage}\"; its stages are {string.Join(", ", journey.Stages.Select(s => s.Key))}."];
            }
        }
        else if (request.Stage is not null)
        {
            errors["stage"] = ["A stage needs its journey: set \"journey\" too."];
        }

        var events = new List<string>();
        for (var i = 0; i < (request.Events?.Count ?? 0); i++)
        {
            var name = request.Events![i]?.Trim();
            if (string.IsNullOrEmpty(name))
            {
                errors[$"events[{i}]"] = ["An event name may not be empty."];
                continue;
            }

            var owner = others.FirstOrDefault(t => t.Key != request.Key && t.Events.Contains(name, StringComparer.OrdinalIgnoreCase));
            if (owner is not null)
            {
                errors[$"events[{i}]"] = [$"The event \"{name}\" already maps to the touchpoint \"{owner.Key}\"."];
            }

            events.Add(name);
        }

        if (errors.Count == 0)
        {
            touchpoint = new Touchpoint(0, request.Key!, request.Name!.Trim(), channel!, request.Journey, request.Stage, events.Distinct(StringComparer.OrdinalIgnoreCase).ToList());
        }

        return errors;
    }

    private static bool CheckKey(string? key, string field, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(key) || !KeyPattern().IsMatch(key))
        {
            errors[field] = ["A key is 1 to 64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit."];
            return false;
        }

        return true;
    }

    private static void CheckName(string? name, string field, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 200)
        {
            errors[field] = ["A name of 1 to 200 characters is required."];
        }
    }
}
