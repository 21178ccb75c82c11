using System.Globalization;
using OpenCem.Interactions;
using Truth = OpenCem.Demo.DemoTruths;

namespace OpenCem.Demo;

/// <summary>
/// Simulates one customer month by month over the window and collects their events. Reused across customers;
/// everything it draws comes from one <see cref="Random"/> seeded by the seed and the customer's index.
/// </summary>
internal sealed partial class CustomerSimulator
{
    private const long Hour = TimeSpan.TicksPerHour;
    private const long Day = TimeSpan.TicksPerDay;
    private const long Month = 30 * Day;
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private readonly int _seed;
    private readonly DateTimeOffset _start;
    private readonly long _startTicks;
    private readonly long _endTicks;
    private readonly List<PendingEvent> _events = new(256);
    private readonly long[] _failures = new long[Truth.FrustrationFailures];
    private readonly List<FaultEpisode> _faults = [];
    private readonly List<ContactEpisode> _contacts = [];
    private readonly List<CancellationEpisode> _cancellations = [];
    private readonly List<(long From, long To)> _activeSpans = [];
    private int[] _eventIndex = new int[256];
    private Random _rng = new(0);
    private CustomerFacts _c = new();
    private int _sequence;
    private int _failureCount;
    private int _faultNumber;
    private double _faultEaseSum;
    private int _faultEpisodes;
    private long _frustratedUntil;
    private long _poorFaultUntil;
    private long _frustratedSince;
    private bool _frustrated;
    private bool _cancelled;
    private bool _wonBack;
    private bool _active;

    public CustomerSimulator(int seed, DateTimeOffset asOf)
    {
        _seed = seed;
        _start = DemoOptions.WindowStart(asOf);
        _startTicks = _start.UtcTicks;
        _endTicks = asOf.UtcTicks;
    }

    /// <summary>The events of the last customer run, sorted by time.</summary>
    public List<PendingEvent> Events => _events;

    public CustomerFacts Facts => _c;

    /// <summary>The fault repairs of the last customer run, in order.</summary>
    public IReadOnlyList<FaultEpisode> Faults => _faults;

    /// <summary>The billing and setup-help contacts of the last customer run, in order.</summary>
    public IReadOnlyList<ContactEpisode> Contacts => _contacts;

    /// <summary>The contract ends of the last customer run (retained requests excluded), in order.</summary>
    public IReadOnlyList<CancellationEpisode> Cancellations => _cancellations;

    /// <summary>When the customer was a customer: from joining (or the window start) to a cancellation, and again after a win-back.</summary>
    public IReadOnlyList<(long From, long To)> ActiveSpans => _activeSpans;

    /// <summary>The time of the third failed setup within a week, or 0 if that never happened.</summary>
    public long FrustratedSince => _frustratedSince;

    public long StartTicks => _startTicks;

    public long EndTicks => _endTicks;

    /// <summary>The per-customer random seed: a plain arithmetic mix, stable across processes.</summary>
    public static int CustomerSeed(int seed, int index) => unchecked((seed * 1_000_003) + index);

    public void Run(int index)
    {
        _rng = new Random(CustomerSeed(_seed, index));
        _events.Clear();
        _sequence = _failureCount = _faultNumber = _faultEpisodes = 0;
        _faultEaseSum = 0;
        _frustratedUntil = _poorFaultUntil = _frustratedSince = 0;
        _frustrated = _cancelled = _wonBack = false;
        _faults.Clear();
        _contacts.Clear();
        _cancellations.Clear();
        _activeSpans.Clear();
        _c = DemoPeople.Draw(_rng, index, _start, new DateTimeOffset(_endTicks, TimeSpan.Zero));

        var t0 = _c.JoinedInWindow ? _c.CustomerSince.UtcTicks : _startTicks + (long)(_rng.NextDouble() * 2 * Day);
        Add(t0, TrackingCallType.Identify, null, traits: DemoPeople.Traits(_c, _c.JoinedInWindow ? "new" : "active"));
        if (_c.JoinedInWindow)
        {
            Onboard(t0);
        }

        var contractEnd = _c.CustomerSince.AddMonths(24);
        while (contractEnd.UtcTicks - (60 * Day) <= t0)
        {
            contractEnd = contractEnd.AddMonths(24);
        }

        var anchor = new DateTimeOffset(t0, TimeSpan.Zero);
        _active = true;
        _activeSpans.Add((t0, long.MaxValue));
        var closing = false;
        var offered = false;
        long cancelledAt = 0;
        for (var k = 0; ; k++)
        {
            var periodStart = anchor.AddMonths(k).UtcTicks;
            if (periodStart >= _endTicks)
            {
                break;
            }

            var periodEnd = anchor.AddMonths(k + 1).UtcTicks;
            if (_active)
            {
                Bill(periodStart);
                if (closing)
                {
                    // The final bill; the contract ends this month (unless after the end of the window).
                    if (cancelledAt >= _endTicks)
                    {
                        break;
                    }

                    _active = closing = false;
                    continue;
                }

                Everyday(periodStart, periodEnd);
                if (_c.JoinedInWindow && k == 3)
                {
                    Add(periodStart + (6 * Hour), TrackingCallType.Identify, null, traits: "{\"lifecycleStage\":\"active\"}");
                }

                if (_rng.NextDouble() < FaultRate())
                {
                    Fault(Human(periodStart, periodEnd));
                }

                if (_c.HasFixedLine && _rng.NextDouble() < 0.02)
                {
                    RouterSetup(Human(periodStart, periodEnd), "router-swap");
                }

                var offerAt = contractEnd.UtcTicks - (60 * Day);
                if (offerAt < periodEnd)
                {
                    Renewal(offerAt);
                    contractEnd = contractEnd.AddMonths(24);
                }

                if (_rng.NextDouble() < Hazard(periodEnd))
                {
                    var requestedAt = Human(periodEnd, periodEnd + (5 * Day));
                    if (Cancel(requestedAt, out cancelledAt))
                    {
                        closing = true;
                        offered = false;
                    }
                }
            }
            else if (!offered && periodStart >= cancelledAt + (60 * Day))
            {
                offered = true;
                if (_rng.NextDouble() < 0.6 && WinBack(Human(periodStart, periodEnd)))
                {
                    _active = true;
                    contractEnd = new DateTimeOffset(periodEnd, TimeSpan.Zero).AddMonths(24);
                }
            }
        }

        Referrals();
        _events.Sort(PendingEvent.Compare);
        if (_eventIndex.Length < _sequence)
        {
            _eventIndex = new int[Math.Max(_sequence, _eventIndex.Length * 2)];
        }

        for (var n = 0; n < _events.Count; n++)
        {
            _eventIndex[_events[n].Sequence] = n;
        }
    }

    /// <summary>The position in <see cref="Events"/> (and so the message id suffix) of the event added as <paramref name="sequence"/>.</summary>
    public int EventIndex(int sequence) => _eventIndex[sequence];

    /// <summary>The latent loyalty (0–10) given everything experienced so far.</summary>
    public double Loyalty() => LoyaltyOf(_c, _faultEpisodes == 0 ? null : _faultEaseSum / _faultEpisodes, _frustrated);

    /// <summary>The latent loyalty as it was at <paramref name="at"/>: the repairs resolved and the frustration felt by then.</summary>
    public double LoyaltyAt(long at)
    {
        double sum = 0;
        var count = 0;
        foreach (var fault in _faults)
        {
            if (fault.ResolvedAt < at)
            {
                sum += fault.Ease;
                count++;
            }
        }

        return LoyaltyOf(_c, count == 0 ? null : sum / count, _frustrated && _frustratedSince <= at);
    }

    /// <summary>Truth 1: the latent loyalty of a customer given the mean ease of their fault repairs (null: none yet).</summary>
    private static double LoyaltyOf(CustomerFacts c, double? meanFaultEase, bool frustrated)
    {
        var faultZ = meanFaultEase is { } ease ? (ease - Truth.EffortCentre) / Truth.EffortSpread : Truth.NoFaultZ;
        var loyalty = Truth.LoyaltyBase
            + (Truth.FaultRepairWeight * faultZ)
            + (Truth.BillingWeight * c.BillingQuality)
            + (Truth.SelfServiceWeight * c.SelfServiceQuality)
            + (Truth.ServiceWeight * c.ServiceQuality)
            + (Truth.PersonalWeight * c.Disposition)
            - (frustrated ? Truth.FrustrationLoyaltyPenalty : 0);
        return Math.Clamp(loyalty, 0, 10);
    }

    public DemoCustomerProfile Profile()
    {
        var stage = !_active ? "former"
            : _wonBack ? "won-back"
            : _frustratedUntil > _endTicks || _poorFaultUntil > _endTicks ? "at-risk"
            : _c.JoinedInWindow && _endTicks - _c.CustomerSince.UtcTicks < 90 * Day ? "new"
            : "active";
        return new DemoCustomerProfile(
            _c.Index, _c.UserId, _c.CustomerNumber, _c.Name, _c.Email, _c.Phone, _c.Plan, _c.Region, _c.Country,
            _c.Language, _c.LineOfBusiness, _c.MonthlyFee, DateOnly.FromDateTime(_c.CustomerSince.UtcDateTime), stage,
            Loyalty(), _faultEpisodes == 0 ? null : _faultEaseSum / _faultEpisodes, Ease(_c.BillingQuality),
            Ease(_c.SelfServiceQuality), Ease(_c.ServiceQuality), _faultEpisodes, _frustrated, _cancelled, _active);
    }

    private static double Ease(double quality) => Math.Clamp(4.6 + (1.2 * quality), 1, 7);

    private double FaultRate() => _c.Plan switch
    {
        "broadband" => 0.05,
        "bundle" => 0.055,
        "tv" => 0.04,
        _ => 0.02,
    };

    private double Hazard(long at)
    {
        var hazard = Truth.BaseMonthlyHazard * Math.Exp(-Truth.LoyaltyHazardSlope * (Loyalty() - Truth.LoyaltyBase));
        if (at < _frustratedUntil)
        {
            hazard *= Truth.FrustrationHazardMultiplier;
        }

        if (at < _poorFaultUntil)
        {
            hazard *= Truth.PoorFaultHazardMultiplier;
        }

        return Math.Min(hazard, 0.6);
    }

    /// <summary>Adds an event inside the window; returns its sequence number, or -1 when it falls outside.</summary>
    private int Add(
        long ticks,
        TrackingCallType type,
        string? name,
        InteractionOutcome? outcome = null,
        double? effort = null,
        double? revenue = null,
        double? cost = null,
        string? properties = null,
        string? context = null,
        string? traits = null,
        string? channel = null)
    {
        if (ticks < _startTicks || ticks >= _endTicks)
        {
            return -1;
        }

        var sequence = _sequence++;
        _events.Add(new PendingEvent
        {
            Ticks = ticks,
            Sequence = sequence,
            Type = type,
            Name = name,
            Outcome = outcome,
            Effort = effort,
            Revenue = revenue,
            Cost = cost,
            Properties = properties,
            Context = context,
            Traits = traits,
            Channel = channel,
        });
        return sequence;
    }

    /// <summary>A random moment between 07:30 and 22:00 on a random day in [from, to), never before <paramref name="from"/>.</summary>
    private long Human(long from, long to)
    {
        var at = from + (long)(_rng.NextDouble() * (to - from));
        var human = at - (at % Day) + (long)(7.5 * Hour) + (long)(_rng.NextDouble() * 14.5 * Hour);
        return human > from ? human : from + Hour;
    }

    /// <summary>A 1–7 effort score around <paramref name="mean"/>.</summary>
    private double Score(double mean) => Math.Clamp(Math.Round(mean + (0.7 * DemoPeople.Gaussian(_rng))), 1, 7);

    private int Poisson(double mean)
    {
        var limit = Math.Exp(-mean);
        var count = 0;
        var product = _rng.NextDouble();
        while (product > limit)
        {
            count++;
            product *= _rng.NextDouble();
        }

        return count;
    }
}
