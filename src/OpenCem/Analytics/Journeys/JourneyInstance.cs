namespace OpenCem.Analytics.Journeys;

/// <summary>One step of a journey instance: the stage entered and when (UTC epoch ms).</summary>
public readonly record struct JourneyStep(string Stage, long At);

/// <summary>An interaction in a journey, as the instance builder sees it.</summary>
public readonly record struct JourneyEvent(string Stage, long At, string Channel);

/// <summary>
/// One pass of one customer through one journey: the stages in the order they were entered (repeated events in the same
/// stage collapse into one step), the channel of its first interaction, and whether it has ended.
/// </summary>
public sealed class JourneyInstance(string channel)
{
    /// <summary>The stored row's id; 0 until stored.</summary>
    public long Id { get; set; }

    public string Channel { get; } = channel;

    public List<JourneyStep> Steps { get; } = [];

    /// <summary>Reached the journey's last stage, was followed by a new instance, or saw nothing for longer than the gap.</summary>
    public bool Ended { get; set; }

    public long StartedAt => Steps[0].At;

    public long LastAt => Steps[^1].At;

    /// <summary>
    /// The time of its latest interaction, repeats in the current stage included (they add no step, so this can be
    /// after <see cref="LastAt"/>). An interaction before it arrives late: appending it would differ from a rebuild.
    /// </summary>
    public long SeenAt
    {
        get => Math.Max(_seenAt, Steps.Count > 0 ? LastAt : long.MinValue);
        set => _seenAt = value;
    }

    private long _seenAt = long.MinValue;

    /// <summary>The path as stored: stage keys joined by <c>&gt;</c>.</summary>
    public string PathText => string.Join('>', Steps.Select(s => s.Stage));

    /// <summary>The step times as stored: milliseconds after the start, comma-separated.</summary>
    public string TimesText => string.Join(',', Steps.Select(s => (s.At - StartedAt).ToString(System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>Reads an instance back from its stored columns.</summary>
    /// <param name="seenAt">The stored time of its latest interaction; null (rows stored before it was kept) means its last step's.</param>
    public static JourneyInstance Read(long id, string channel, long startedAt, bool ended, string path, string times, long? seenAt = null)
    {
        var instance = new JourneyInstance(channel) { Id = id, Ended = ended, SeenAt = seenAt ?? long.MinValue };
        var stages = path.Split('>');
        var offsets = times.Split(',');
        for (var i = 0; i < stages.Length && i < offsets.Length; i++)
        {
            instance.Steps.Add(new JourneyStep(stages[i], startedAt + long.Parse(offsets[i], System.Globalization.CultureInfo.InvariantCulture)));
        }

        return instance;
    }
}
