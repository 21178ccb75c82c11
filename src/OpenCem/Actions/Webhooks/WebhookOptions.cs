using System.Globalization;
using System.Net;
using Microsoft.Extensions.Configuration;

namespace OpenCem.Actions.Webhooks;

/// <summary>
/// How webhooks are delivered, from the <c>Webhooks</c> configuration section (environment <c>Webhooks__TimeoutSeconds</c>).
/// The defaults suit production; tests shorten the schedule and allow loopback receivers.
/// </summary>
public sealed record WebhookOptions
{
    public const string SectionName = "Webhooks";

    /// <summary>
    /// The waits before each retry after a failed attempt (<c>RetrySchedule</c>, e.g. <c>5s,5m,30m,2h,5h,10h,10h</c>); a delivery
    /// that fails once more after the last one is dead.
    /// </summary>
    public IReadOnlyList<TimeSpan> RetrySchedule { get; init; } =
        [TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2), TimeSpan.FromHours(5), TimeSpan.FromHours(10), TimeSpan.FromHours(10)];

    /// <summary>Each wait is scaled by a random factor within ± this share (<c>Jitter</c>, default 0.2), so failed receivers are not retried in step.</summary>
    public double Jitter { get; init; } = 0.2;

    /// <summary>How long a receiver may take to answer (<c>TimeoutSeconds</c>, default 15).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Attempts in flight per webhook (<c>ConcurrencyPerEndpoint</c>, default 4): a slow receiver holds only its own lane.</summary>
    public int ConcurrencyPerEndpoint { get; init; } = 4;

    /// <summary>Attempts in flight in this process over all webhooks (<c>MaxConcurrency</c>, default 64).</summary>
    public int MaxConcurrency { get; init; } = 64;

    /// <summary>How often the outbox and the due retries are looked at without a wake-up (<c>PollMilliseconds</c>, default 200).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// On PostgreSQL, the longest a gap in the outbox ids is waited for (<c>SettleSeconds</c>; null: 5 minutes on PostgreSQL, none
    /// on SQLite). A gap is normally passed as soon as every transaction that might fill it has ended; this bound only
    /// matters when a transaction stays open longer, and then events it appends later are not sent.
    /// </summary>
    public TimeSpan? Settle { get; init; }

    /// <summary>Whether receivers may sit on loopback, private, link-local or other internal addresses (<c>AllowPrivateNetworks</c>, default false).</summary>
    public bool AllowPrivateNetworks { get; init; }

    /// <summary>Internal networks receivers may sit on even so (<c>AllowedNetworks</c>, CIDR list such as <c>10.20.0.0/16,127.0.0.1/32</c>).</summary>
    public IReadOnlyList<IPNetwork> AllowedNetworks { get; init; } = [];

    /// <summary>Whether this process sends deliveries and fans events out (<c>Worker</c>, default true).</summary>
    public bool Worker { get; init; } = true;

    /// <summary>How long a lease outlives the timeout: a process that died mid-attempt leaves it for this long.</summary>
    public TimeSpan LeaseMargin { get; init; } = TimeSpan.FromSeconds(30);

    public int MaxAttempts => RetrySchedule.Count + 1;

    /// <summary>Reads the <c>Webhooks</c> section; absent keys keep their defaults.</summary>
    /// <exception cref="InvalidOperationException">A value is present but invalid; the message names the key.</exception>
    public static WebhookOptions FromConfiguration(IConfiguration configuration)
    {
        var section = configuration.GetSection(SectionName);
        var defaults = new WebhookOptions();
        return new WebhookOptions
        {
            RetrySchedule = section["RetrySchedule"] is { Length: > 0 } schedule ? ParseSchedule(schedule) : defaults.RetrySchedule,
            Jitter = Number(section, "Jitter", 0, 0.9) ?? defaults.Jitter,
            Timeout = Number(section, "TimeoutSeconds", 0.05, 300) is { } timeout ? TimeSpan.FromSeconds(timeout) : defaults.Timeout,
            ConcurrencyPerEndpoint = (int?)Number(section, "ConcurrencyPerEndpoint", 1, 64, whole: true) ?? defaults.ConcurrencyPerEndpoint,
            MaxConcurrency = (int?)Number(section, "MaxConcurrency", 1, 1024, whole: true) ?? defaults.MaxConcurrency,
            PollInterval = Number(section, "PollMilliseconds", 10, 60_000) is { } poll ? TimeSpan.FromMilliseconds(poll) : defaults.PollInterval,
            Settle = Number(section, "SettleSeconds", 0, 600) is { } settle ? TimeSpan.FromSeconds(settle) : null,
            LeaseMargin = Number(section, "LeaseMarginSeconds", 0, 3600) is { } margin ? TimeSpan.FromSeconds(margin) : defaults.LeaseMargin,
            AllowPrivateNetworks = Flag(section, "AllowPrivateNetworks") ?? false,
            AllowedNetworks = section["AllowedNetworks"] is { Length: > 0 } networks ? ParseNetworks(networks) : [],
            Worker = Flag(section, "Worker") ?? true,
        };
    }

    /// <summary>Waits such as <c>5s</c>, <c>250ms</c>, <c>5m</c>, <c>2h</c>, comma-separated.</summary>
    public static IReadOnlyList<TimeSpan> ParseSchedule(string text)
    {
        var waits = new List<TimeSpan>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var (unit, scale) = part.EndsWith("ms", StringComparison.Ordinal) ? ("ms", 0.001)
                : part.EndsWith('s') ? ("s", 1) : part.EndsWith('m') ? ("m", 60) : part.EndsWith('h') ? ("h", 3600) : ("", 0);
            if (scale == 0 || !double.TryParse(part[..^unit.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var amount)
                || amount < 0 || amount * scale > 7 * 86400)
            {
                throw Invalid("RetrySchedule", text, "waits such as 5s,5m,30m,2h separated by commas (ms, s, m or h, at most 7 days each)");
            }

            waits.Add(TimeSpan.FromSeconds(amount * scale));
        }

        return waits.Count is > 0 and <= 20 ? waits : throw Invalid("RetrySchedule", text, "1 to 20 waits");
    }

    private static IReadOnlyList<IPNetwork> ParseNetworks(string text) =>
        text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(n => IPNetwork.TryParse(n, out var network) ? network : throw Invalid("AllowedNetworks", text, "networks in CIDR notation such as 10.20.0.0/16, separated by commas"))
            .ToList();

    private static double? Number(IConfigurationSection section, string key, double min, double max, bool whole = false)
    {
        var value = section[key];
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max
            && (!whole || Math.Floor(number) == number)
            ? number
            : throw Invalid(key, value, $"{(whole ? "a whole number" : "a number")} from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}");
    }

    private static bool? Flag(IConfigurationSection section, string key) => section[key] switch
    {
        null or "" => null,
        var value when bool.TryParse(value, out var flag) => flag,
        var value => throw Invalid(key, value, "true or false"),
    };

    private static InvalidOperationException Invalid(string key, string value, string expected) =>
        new($"Configuration key '{SectionName}:{key}' has the invalid value '{value}'; expected {expected}.");
}
