using OpenCem.Interactions;

namespace OpenCem.Analytics.Journeys;

/// <summary>
/// Cuts a customer's interactions in one journey into instances, pure. The rules (ARCHITECTURE.md, journey analytics):
/// the interactions are taken in time order; a new instance starts at the first one, whenever the journey's entry
/// (first) stage occurs again after the instance has moved past it, and after a gap longer than <paramref name="gap"/>
/// since the instance's last step; the instance before it has then ended. An instance also ends when it reaches the
/// journey's last stage, or when nothing happened for longer than the gap (<see cref="Expire"/>). Repeated interactions
/// in the stage the instance is in add no step; a return to an earlier stage (a loop) and a jump over stages (a skip)
/// are steps like any other.
/// </summary>
public sealed class JourneyInstanceBuilder(Journey journey, TimeSpan gap)
{
    private readonly long _gap = (long)gap.TotalMilliseconds;
    private readonly Dictionary<string, int> _order = journey.Stages.Select((s, i) => (s.Key, i)).ToDictionary(p => p.Key, p => p.i, StringComparer.Ordinal);

    public Journey Journey => journey;

    public TimeSpan Gap => gap;

    /// <summary>The position of a stage in the journey's order, or -1 for a stage the journey does not have.</summary>
    public int Order(string stage) => _order.GetValueOrDefault(stage, -1);

    public bool Knows(string stage) => _order.ContainsKey(stage);

    /// <summary>
    /// Continues <paramref name="latest"/> (the customer's most recent instance, or null) with events that happen at or
    /// after its last step, in time order; returns the instances that were started. <paramref name="latest"/> is changed in place.
    /// </summary>
    public List<JourneyInstance> Append(JourneyInstance? latest, IEnumerable<JourneyEvent> events)
    {
        var started = new List<JourneyInstance>();
        var current = latest;
        foreach (var e in events)
        {
            if (!Knows(e.Stage))
            {
                continue;
            }

            if (current is null || current.Ended || e.At - current.LastAt > _gap || (Order(e.Stage) == 0 && current.Steps.Exists(s => Order(s.Stage) != 0)))
            {
                if (current is not null)
                {
                    current.Ended = true;
                }

                current = new JourneyInstance(e.Channel);
                current.Steps.Add(new JourneyStep(e.Stage, e.At));
                started.Add(current);
            }
            else if (current.Steps[^1].Stage != e.Stage)
            {
                current.Steps.Add(new JourneyStep(e.Stage, e.At));
            }

            current.SeenAt = Math.Max(current.SeenAt, e.At);
            if (Order(e.Stage) == journey.Stages.Count - 1)
            {
                current.Ended = true;
            }
        }

        return started;
    }

    /// <summary>
    /// Whether events from <paramref name="firstAt"/> on can continue <paramref name="latest"/> as a rebuild would: only
    /// if none is earlier than anything the instance has seen (a late one could fall before a collapsed repeat of a
    /// stage, and a rebuild would cut the instances differently there).
    /// </summary>
    public static bool CanAppend(JourneyInstance latest, long firstAt) => firstAt >= latest.SeenAt;

    /// <summary>All instances of a customer's events (in any order): the rebuild used for late events and in tests.</summary>
    public List<JourneyInstance> Build(IEnumerable<(JourneyEvent Event, long Id)> events, long now)
    {
        var instances = Append(null, events.OrderBy(e => e.Event.At).ThenBy(e => e.Id).Select(e => e.Event));
        foreach (var instance in instances)
        {
            Expire(instance, now);
        }

        return instances;
    }

    /// <summary>Ends an open instance that saw nothing for longer than the gap; true when it changed.</summary>
    public bool Expire(JourneyInstance instance, long now)
    {
        if (instance.Ended || now - instance.LastAt <= _gap)
        {
            return false;
        }

        instance.Ended = true;
        return true;
    }
}
