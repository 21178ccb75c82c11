using System.Globalization;
using S = OpenCem.Demo.DemoSurveys;
using Truth = OpenCem.Demo.DemoTruths;

namespace OpenCem.Demo;

/// <summary>
/// What one simulated customer says: survey answers (with the invitations behind the transactional ones) and
/// signals, drawn from the customer's latent state and the episodes the simulator recorded. It has a random
/// generator of its own, so the customer's events are exactly what they would be without it. Reused across customers.
/// </summary>
internal sealed partial class CustomerVoice(int seed)
{
    private const long Minute = TimeSpan.TicksPerMinute;
    private const long Hour = TimeSpan.TicksPerHour;
    private const long Day = TimeSpan.TicksPerDay;
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The standard deviation of an ease rating around the experienced ease.</summary>
    private const double EaseNoise = 0.6;

    private readonly AnswerWriter _answers = new();
    private readonly List<(Mention Mention, double Weight)> _candidates = [];
    private Random _rng = new(0);
    private Random _easeRng = new(0);
    private CustomerSimulator _s = null!;
    private CustomerFacts _c = new();
    private string _prefix = "";
    private List<DemoResponse> _responses = [];
    private List<DemoInvitation> _invitations = [];
    private List<DemoSignal> _signals = [];

    /// <summary>The voice's own seed for a customer: distinct from the simulator's, stable across processes.</summary>
    public static int VoiceSeed(int seed, int index) => CustomerSimulator.CustomerSeed(seed, index) ^ 0x3C5A_96E1;

    /// <summary>The feedback of the customer <paramref name="simulator"/> has just run.</summary>
    public DemoCustomerFeedback Speak(CustomerSimulator simulator)
    {
        _s = simulator;
        _c = simulator.Facts;
        _rng = new Random(VoiceSeed(seed, _c.Index));
        // The ease ratings draw from a generator of their own, so every other answer stays what it was without them.
        _easeRng = new Random(VoiceSeed(seed, _c.Index) ^ 0x5EA5_E0D1);
        _prefix = DemoCompany.MessagePrefix(seed, _c.Index);
        _responses = [];
        _invitations = [];
        _signals = [];
        RelationshipWaves();
        FaultRepairSurveys();
        SupportSurveys();
        LostCustomerSurveys();
        ExpectationStudies();
        Signals();
        TechnicianSurveys();
        return new DemoCustomerFeedback(_c.Index, _c.UserId, _responses, _invitations, _signals);
    }

    /// <summary>Truth 5: every quarter a wave of the relationship survey; answers follow the loyalty of that moment.</summary>
    private void RelationshipWaves()
    {
        var start = new DateTimeOffset(_s.StartTicks, TimeSpan.Zero);
        for (var wave = 0; ; wave++)
        {
            var opens = start.AddMonths(Truth.FirstRelationshipWaveMonth + (wave * Truth.RelationshipWaveMonths)).UtcTicks;
            if (opens >= _s.EndTicks)
            {
                break;
            }

            var sent = Human(opens, opens + (Truth.RelationshipWaveDays * Day));
            var answered = sent + Delay(6);
            if (answered >= _s.EndTicks || !IsActive(sent) || _c.CustomerSince.UtcTicks > sent - (30 * Day)
                || _rng.NextDouble() >= Truth.RelationshipResponseRate)
            {
                continue;
            }

            var nps = Nps(_s.LoyaltyAt(answered));
            var tone = nps <= 4 ? -2 : nps <= 6 ? -1 : nps <= 8 ? 0 : nps == 9 ? 1 : 2;
            CustomerThemes(answered);
            var (first, second) = Pick(tone, Theme.Waiting);
            _answers.Start().Number("nps", nps);
            if (nps <= 6)
            {
                _answers.Text("reason", first is { Positive: false } complaint ? Area(complaint.Theme) : "other");
            }
            else if (nps >= 9 && first is { Positive: true } praise && _rng.NextDouble() < 0.8)
            {
                _answers.Text("strength", Area(praise.Theme));
            }

            EaseRatings(answered);
            Comment(first, second, tone);
            _responses.Add(new DemoResponse(S.RelationshipNps, ExternalId("nps", wave), _c.UserId, _c.Language, At(answered), _answers.End()));
        }
    }

    /// <summary>
    /// Truth 1 in the relationship survey: how easy the customer finds four areas (1–7), from the same latent experiences
    /// their loyalty is made of (<see cref="CustomerSimulator"/>): the mean ease of the repairs so far (only customers who had
    /// one answer it), and the billing, self-service and service qualities, plus the noise of an answer.
    /// </summary>
    private void EaseRatings(long answered)
    {
        var (faults, ease) = FaultsBefore(answered);
        if (faults > 0 && _easeRng.NextDouble() < 0.95)
        {
            _answers.Number("easeRepair", Whole(ease + (EaseNoise * Gaussian(_easeRng)), 1, 7));
        }

        var frustrated = _s.FrustratedSince > 0 && _s.FrustratedSince <= answered;
        EaseRating("easeBilling", 4.6 + (1.2 * _c.BillingQuality));
        EaseRating("easeApp", 4.6 + (1.2 * _c.SelfServiceQuality) - (frustrated ? 1.5 : 0));
        EaseRating("easeService", 4.6 + (1.2 * _c.ServiceQuality));
    }

    private void EaseRating(string question, double ease)
    {
        if (_easeRng.NextDouble() < 0.95)
        {
            _answers.Number(question, Whole(ease + (EaseNoise * Gaussian(_easeRng)), 1, 7));
        }
    }

    /// <summary>Truths 6 and 7: the fault-repair survey rates the repair it follows; the dissatisfied say when they waited.</summary>
    private void FaultRepairSurveys()
    {
        foreach (var fault in _s.Faults)
        {
            if (fault.ResolvedEvent < 0 || _rng.NextDouble() >= Truth.RepairSurveySampling)
            {
                continue;
            }

            var rate = Truth.TransactionalResponseRate * (0.8 + (0.4 * Math.Abs(fault.Ease - 4) / 3));
            if (Invite(S.FaultRepair, S.FaultRepairTouchpoint, fault.ResolvedEvent, fault.ResolvedAt, Truth.TransactionalDelayMinutes, rate) is not { } answered)
            {
                continue;
            }

            var csat = Whole(Truth.CsatAtNeutralEase + (Truth.CsatPerEasePoint * (fault.Ease - 4)) + (0.25 * _c.Disposition) + (0.6 * Gaussian()), 1, 5);
            var ces = Whole(fault.Ease + (Truth.CesAnswerNoise * Gaussian()), 1, 7);
            _answers.Start().Number("csat", csat).Number("ces", ces).StartMatrix("attributes");
            Cell("reporting", fault.ReportEffort);
            Cell("information", fault.Ease);
            Cell("speed", Math.Clamp(7 - (1.2 * (fault.DaysWaited - 1)), 1, 7));
            if (fault.VisitEffort is { } visit)
            {
                Cell("technician", visit);
            }

            Cell("result", fault.ResolvedEffort);
            _answers.EndMatrix();
            var tone = csat - 3;
            RepairThemes(fault);
            var (first, second) = Pick(tone, Theme.Waiting);
            Comment(first, second, tone);
            _responses.Add(new DemoResponse(S.FaultRepair, ExternalId("repair", fault.Number), _c.UserId, _c.Language, At(answered), _answers.End(),
                S.FaultRepairTouchpoint, MessageId(fault.ResolvedEvent), _invitations[^1].Nonce));
        }
    }

    /// <summary>CES after a billing query or a call to the setup hotline: the effort of that contact, plus noise.</summary>
    private void SupportSurveys()
    {
        foreach (var contact in _s.Contacts)
        {
            if (contact.Event < 0 || _rng.NextDouble() >= Truth.SupportSurveySampling)
            {
                continue;
            }

            var rate = Truth.TransactionalResponseRate * (0.8 + (0.4 * Math.Abs(contact.Effort - 4) / 3));
            if (Invite(S.SupportContact, contact.Touchpoint, contact.Event, contact.At, Truth.TransactionalDelayMinutes, rate) is not { } answered)
            {
                continue;
            }

            // Truth 14: since the callback began (the initiative), hotline callers rate the contact easier; no extra draw, so
            // every other answer stays as it was (comments still tell what the contact itself was like).
            var callback = contact.Touchpoint == DemoInitiatives.CallbackTouchpoint && contact.At >= DemoInitiatives.CallbackSince(_s.EndTicks) ? Truth.CallbackCesLift : 0;
            var ces = Whole(contact.Effort + callback + (Truth.CesAnswerNoise * Gaussian()), 1, 7);
            _answers.Start().Number("ces", ces).Boolean("resolved", _rng.NextDouble() < 0.95 ? contact.Solved : !contact.Solved);
            if (_rng.NextDouble() < 0.85)
            {
                _answers.Number("agent", Five(4.6 + (1.2 * _c.ServiceQuality)));
            }

            _candidates.Clear();
            if (contact.Effort <= 3)
            {
                Candidate(Theme.HoldTime, false, 1.2, 10 + _rng.Next(5, 50));
            }
            else if (contact.Effort >= 6)
            {
                Candidate(Theme.HoldTime, true, 0.8);
            }

            Candidate(Theme.Hotline, contact.Solved && contact.Effort >= 4, 1);
            if (contact.Topic == "unexpected-charge")
            {
                Candidate(Theme.Billing, false, 1.2);
            }
            else if (contact.Touchpoint != "setup-hotline" && contact.Solved)
            {
                Candidate(Theme.Billing, true, 0.4);
            }

            if (contact.Touchpoint == "setup-hotline")
            {
                Candidate(Theme.App, false, 1.2);
            }

            var tone = ces <= 2 ? -2 : ces <= 3 ? -1 : ces <= 5 ? 0 : ces - 5;
            var (first, second) = Pick(tone, Theme.HoldTime);
            Comment(first, second, tone);
            _responses.Add(new DemoResponse(S.SupportContact, ExternalId("support", contact.Event), _c.UserId, _c.Language, At(answered), _answers.End(),
                contact.Touchpoint, MessageId(contact.Event), _invitations[^1].Nonce));
        }
    }

    /// <summary>Truth 8: lost customers name the reason they left for (mostly), with a comment about it.</summary>
    private void LostCustomerSurveys()
    {
        foreach (var cancellation in _s.Cancellations)
        {
            if (cancellation.Event < 0
                || Invite(S.LostCustomers, S.LostTouchpoint, cancellation.Event, cancellation.CancelledAt, Truth.LostSurveyDelayMinutes, Truth.LostSurveyResponseRate) is not { } answered)
            {
                continue;
            }

            var reason = Truth.LostReasons.GetValueOrDefault(cancellation.Reason, "other");
            if (_rng.NextDouble() >= Truth.LostReasonAccuracy)
            {
                string[] others = ["service", "self-service", "network", "price", "billing", "competitor", "moving", "no-need", "other"];
                reason = others.Where(r => r != reason).ElementAt(_rng.Next(others.Length - 1));
            }

            var loyalty = _s.LoyaltyAt(cancellation.CancelledAt);
            var nps = Nps(loyalty - 1.5);
            _answers.Start().Text("reason", reason).Number("nps", nps);
            if (_rng.NextDouble() < 0.8)
            {
                _answers.Boolean("comeBack", _rng.NextDouble() < Math.Clamp(0.15 + (0.08 * (loyalty - 6)), 0.02, 0.8));
            }

            LostThemes(reason, cancellation.CancelledAt);
            var tone = nps <= 4 ? -2 : nps <= 6 ? -1 : nps <= 8 ? 0 : 1;
            var (first, second) = Pick(-1, null);
            Comment(first, second, tone);
            _responses.Add(new DemoResponse(S.LostCustomers, ExternalId("lost", cancellation.Event), _c.UserId, _c.Language, At(answered), _answers.End(),
                S.LostTouchpoint, MessageId(cancellation.Event), _invitations[^1].Nonce));
        }
    }

    /// <summary>Truth 9: once a year a sample of customers rates what they expect and what they get.</summary>
    private void ExpectationStudies()
    {
        var start = new DateTimeOffset(_s.StartTicks, TimeSpan.Zero);
        for (var year = 0; ; year++)
        {
            var opens = start.AddMonths(5 + (12 * year)).UtcTicks;
            if (opens >= _s.EndTicks)
            {
                break;
            }

            var sent = Human(opens, opens + (14 * Day));
            var answered = sent + Delay(8);
            if (answered >= _s.EndTicks || !IsActive(sent) || _rng.NextDouble() >= Truth.ExpectationStudySampling
                || _rng.NextDouble() >= Truth.ExpectationStudyResponseRate)
            {
                continue;
            }

            var (faults, ease) = FaultsBefore(answered);
            var frustrated = _s.FrustratedSince > 0 && _s.FrustratedSince <= answered;
            double[] experienced =
            [
                5.6 - (0.5 * faults) + (0.3 * _c.Disposition),
                4.9 + (0.9 * _c.BillingQuality),
                faults > 0 ? ease : 4.6,
                4.9 + (0.9 * _c.ServiceQuality),
                _c.UsesApp ? 5.4 + (0.8 * _c.SelfServiceQuality) - (frustrated ? 1.5 : 0) : 4.8,
            ];
            _answers.Start();
            var gaps = new int[S.ExpectationQuestions.Count];
            for (var i = 0; i < gaps.Length; i++)
            {
                var (attribute, expectQuestion, experienceQuestion) = S.ExpectationQuestions[i];
                var expectation = Whole(Truth.Expectations[attribute] + (0.8 * Gaussian()), 1, 7);
                var experience = Whole(experienced[i] + (0.7 * Gaussian()), 1, 7);
                _answers.Number(expectQuestion, expectation).Number(experienceQuestion, experience);
                gaps[i] = experience - expectation;
            }

            var worst = Array.IndexOf(gaps, gaps.Min());
            var gap = gaps.Sum();
            var overall = Whole(4.4 + (0.25 * gap) + (0.35 * (_s.LoyaltyAt(answered) - Truth.LoyaltyBase)) + (0.6 * Gaussian()), 1, 7);
            _answers.Number("overall", overall);
            if (_rng.NextDouble() < 0.4)
            {
                Theme[] themes = [Theme.Network, Theme.Billing, Theme.Waiting, Theme.Hotline, Theme.App];
                var tone = overall <= 2 ? -2 : overall <= 3 ? -1 : overall <= 5 ? 0 : overall - 5;
                var complaint = new Mention(themes[worst], false);
                Mention? praise = overall >= 5 && _rng.NextDouble() < 0.5 ? new Mention(themes[(worst + 1 + _rng.Next(4)) % 5], true) : null;
                _answers.Text("comment", DemoComments.Compose(_rng, _c.Language, complaint, praise, tone));
            }

            _responses.Add(new DemoResponse(S.Expectations, ExternalId("expectations", year), _c.UserId, _c.Language, At(answered), _answers.End()));
        }
    }

    /// <summary>Records an e-mail invitation sent after the event; returns when it was answered, or null.</summary>
    private long? Invite(string survey, string touchpoint, int eventSequence, long eventAt, int delayMinutes, double responseRate)
    {
        var sentAt = eventAt + (delayMinutes * Minute);
        if (sentAt >= _s.EndTicks)
        {
            return null;
        }

        Span<byte> bytes = stackalloc byte[16];
        _rng.NextBytes(bytes);
        var nonce = Convert.ToHexStringLower(bytes);
        long? answered = null, reminded = null, opened = null;
        var responds = _rng.NextDouble() < responseRate;
        if (responds && _rng.NextDouble() < 0.7)
        {
            answered = sentAt + Math.Min(Delay(4), (3 * Day) - Hour);
        }
        else
        {
            reminded = sentAt + (3 * Day);
            answered = responds ? reminded + Delay(6) : null;
        }

        if (answered is { } a)
        {
            opened = Math.Max(sentAt + Minute, a - ((1 + _rng.Next(8)) * Minute));
        }
        else if (_rng.NextDouble() < 0.3)
        {
            opened = sentAt + Delay(10);
        }

        _invitations.Add(new DemoInvitation(
            survey, _c.UserId, _c.Email, _c.Language, touchpoint, MessageId(eventSequence), nonce, At(eventAt), At(sentAt),
            Before(reminded), Before(opened), Before(answered)));
        return answered < _s.EndTicks ? answered : null;
    }

    private void Cell(string row, double effort)
    {
        if (_rng.NextDouble() < 0.92)
        {
            _answers.Cell(row, Five(effort));
        }
    }

    /// <summary>A comment on the themes picked, written by most of the unhappy and some of the others.</summary>
    private void Comment(Mention? first, Mention? second, int tone)
    {
        if (first is { } said && _rng.NextDouble() < (tone < 0 ? 0.6 : tone == 2 ? 0.45 : 0.3))
        {
            _answers.Text("comment", DemoComments.Compose(_rng, _c.Language, said, second, tone));
        }
    }

    private bool IsActive(long at)
    {
        foreach (var (from, to) in _s.ActiveSpans)
        {
            if (from <= at && at < to)
            {
                return true;
            }
        }

        return false;
    }

    private (int Count, double MeanEase) FaultsBefore(long at)
    {
        double sum = 0;
        var count = 0;
        foreach (var fault in _s.Faults.Where(f => f.ResolvedAt < at))
        {
            sum += fault.Ease;
            count++;
        }

        return (count, count == 0 ? 0 : sum / count);
    }

    private string MessageId(int sequence) => _prefix + _s.EventIndex(sequence).ToString(Inv);

    private string ExternalId(string kind, int number) => string.Create(Inv, $"{_prefix}{kind}-{number}");

    private DateTimeOffset? Before(long? at) => at < _s.EndTicks ? At(at.Value) : null;

    private static DateTimeOffset At(long ticks) => new(ticks, TimeSpan.Zero);

    private int Nps(double loyalty) => Whole(loyalty + (Truth.NpsAnswerNoise * Gaussian()), 0, 10);

    /// <summary>A 1–5 rating of something experienced with an effort of <paramref name="effort"/> on the 1–7 scale.</summary>
    private int Five(double effort) => Whole(1 + ((effort - 1) * 4 / 6) + (0.5 * Gaussian()), 1, 5);

    private static int Whole(double value, int min, int max) => (int)Math.Clamp(Math.Round(value), min, max);

    private double Gaussian() => DemoPeople.Gaussian(_rng);

    private static double Gaussian(Random random) => DemoPeople.Gaussian(random);

    /// <summary>Some minutes to hours later: exponential with a mean of <paramref name="meanHours"/>, at least five minutes.</summary>
    private long Delay(double meanHours) => (5 * Minute) + (long)(-meanHours * Hour * Math.Log(1 - _rng.NextDouble()));

    /// <summary>A random moment between 07:30 and 22:00 on a random day in [from, to).</summary>
    private long Human(long from, long to)
    {
        var at = from + (long)(_rng.NextDouble() * (to - from));
        var human = at - (at % Day) + (long)(7.5 * Hour) + (long)(_rng.NextDouble() * 14.5 * Hour);
        return human > from ? human : from + Hour;
    }
}
