using OpenCem.Interactions;
using E = OpenCem.Demo.DemoEvents;
using Truth = OpenCem.Demo.DemoTruths;

namespace OpenCem.Demo;

internal sealed partial class CustomerSimulator
{
    private const string WebContext = "{\"page\":{\"path\":\"/\"}}";
    private const string BillingContext = "{\"page\":{\"path\":\"/account/billing\"}}";
    private const string TariffContext = "{\"page\":{\"path\":\"/tariffs\"}}";

    private static readonly string[] FixedFaults = ["no-internet", "slow-speed", "wifi-drops", "tv-signal"];
    private static readonly string[] MobileFaults = ["no-mobile-signal", "slow-data", "sim-blocked"];
    private static readonly string[] SetupSteps = ["dsl-sync", "wifi-pairing", "firmware-update", "activation-code"];
    private static readonly string[] BillingTopics = ["unexpected-charge", "roaming", "payment-method", "tariff-question"];
    private static readonly string[] Campaigns = ["spring-offers", "tv-highlights", "5g-launch", "loyalty-club"];
    private static readonly string[] PlainReasons = ["price", "moving-abroad", "competitor-offer", "no-longer-needed"];

    private void Onboard(long joinedAt)
    {
        var value = Math.Round(_c.MonthlyFee * 24, 2);
        var order = string.Create(Inv, $"{{\"orderId\":\"O-{_c.Index}\",\"plan\":\"{_c.Plan}\"}}");
        if (_rng.NextDouble() < 0.7)
        {
            Add(joinedAt, TrackingCallType.Track, E.OrderCompleted, InteractionOutcome.Success, revenue: value, properties: order);
        }
        else
        {
            Add(joinedAt, TrackingCallType.Track, E.ShopContractSigned, InteractionOutcome.Success, Score(4.8 + _c.ServiceQuality),
                value, 25, order);
        }

        Add(joinedAt + Hour, TrackingCallType.Track, E.WelcomeEmailSent);
        var delivered = Human(joinedAt + (2 * Day), joinedAt + (4 * Day));
        Add(delivered, TrackingCallType.Track, E.WelcomePackDelivered, cost: 6.5);
        var activated = delivered + (2 * Hour);
        if (_c.HasFixedLine)
        {
            activated = RouterSetup(delivered + Hour, "onboarding") + Hour;
        }

        Add(activated, TrackingCallType.Track, E.ServiceActivated, InteractionOutcome.Success);
    }

    private void Bill(long periodStart)
    {
        var at = periodStart + Day + (long)(_rng.NextDouble() * 2 * Day);
        var amount = _rng.NextDouble() < 0.15 ? Math.Round(_c.MonthlyFee + (_rng.NextDouble() * 20), 2) : _c.MonthlyFee;
        Add(at, TrackingCallType.Track, E.BillIssued,
            properties: string.Create(Inv, $"{{\"amount\":{amount},\"currency\":\"{_c.Currency}\"}}"));
        if (_rng.NextDouble() < 0.015)
        {
            Add(at + (14 * Day), TrackingCallType.Track, E.PaymentReminderSent, cost: 1.1);
        }
    }

    private void Everyday(long from, long to)
    {
        var persona = _c.Persona;
        if (_c.UsesApp)
        {
            for (var n = Poisson(persona.AppScreens); n > 0; n--)
            {
                Add(Human(from, to), TrackingCallType.Screen, E.DashboardScreen, context: _c.AppContext);
            }

            for (var n = Poisson(persona.AppBills); n > 0; n--)
            {
                Add(Human(from, to), TrackingCallType.Track, E.BillViewed, context: _c.AppContext);
            }
        }

        for (var n = Poisson(persona.WebPages); n > 0; n--)
        {
            Add(Human(from, to), TrackingCallType.Page, E.HomePage, context: WebContext);
        }

        for (var n = Poisson(persona.BillingPages); n > 0; n--)
        {
            Add(Human(from, to), TrackingCallType.Page, E.BillingOverviewPage, context: BillingContext);
        }

        if (_rng.NextDouble() < persona.BillingContacts)
        {
            var solved = _rng.NextDouble() < 0.85;
            var effort = Score(4.6 + (1.2 * _c.BillingQuality) - (solved ? 0 : 1.5));
            var topicName = BillingTopics[_rng.Next(BillingTopics.Length)];
            var topic = string.Create(Inv, $"{{\"topic\":\"{topicName}\"}}");
            var outcome = solved ? InteractionOutcome.Success : InteractionOutcome.Failure;
            if (_rng.NextDouble() < persona.HotlineShare)
            {
                var at = Human(from, to);
                _contacts.Add(new ContactEpisode("billing-hotline", at, effort, solved, topicName,
                    Add(at, TrackingCallType.Track, E.BillingQueryCall, outcome, effort, cost: 7.5, properties: topic)));
            }
            else
            {
                var at = Human(from, to);
                _contacts.Add(new ContactEpisode("billing-chat", at, effort, solved, topicName,
                    Add(at, TrackingCallType.Track, E.BillingChatCompleted, outcome, effort, cost: 3.2, properties: topic)));
            }
        }

        if (_rng.NextDouble() < 0.08)
        {
            Add(Human(from, to), TrackingCallType.Track, E.NewsletterOpened, channel: "email",
                properties: string.Create(Inv, $"{{\"campaign\":\"{Campaigns[_rng.Next(Campaigns.Length)]}\"}}"));
        }
    }

    private void Fault(long reportedAt)
    {
        _faultNumber++;
        var quality = (0.6 * _c.FaultQuality) + (0.8 * DemoPeople.Gaussian(_rng));
        var category = _c.Plan == "mobile" || (_c.Plan == "bundle" && _rng.NextDouble() < 0.3)
            ? MobileFaults[_rng.Next(MobileFaults.Length)]
            : FixedFaults[_rng.Next(_c.Plan == "tv" ? FixedFaults.Length : FixedFaults.Length - 1)];
        var fault = string.Create(Inv, $"{{\"faultId\":\"F-{_c.Index}-{_faultNumber}\",\"category\":\"{category}\"}}");
        double sum = 0;
        var steps = 0;
        var t = reportedAt;
        double? visitEffort = null;
        var missed = false;
        long socialAt = 0;
        string? platform = null;
        var visitEvent = -1;

        double Step(double effort)
        {
            sum += effort;
            steps++;
            return effort;
        }

        double reportEffort;
        if (_c.UsesApp && _rng.NextDouble() < 0.35)
        {
            reportEffort = Step(Score(4.6 + (1.5 * quality)));
            Add(t, TrackingCallType.Track, E.FaultReportedInApp, InteractionOutcome.Success, reportEffort, properties: fault, context: _c.AppContext);
        }
        else
        {
            reportEffort = Step(Score(4.1 + (1.5 * quality)));
            Add(t, TrackingCallType.Track, E.FaultReported, InteractionOutcome.Success, reportEffort, cost: 8.5, properties: fault);
        }

        if (quality < -0.8 && _rng.NextDouble() < 0.25)
        {
            socialAt = t + (2 * Hour) + (long)(_rng.NextDouble() * 28 * Hour);
            platform = _rng.NextDouble() < 0.5 ? "x" : "facebook";
            if (Add(socialAt, TrackingCallType.Track, E.SocialComplaintPosted,
                properties: string.Create(Inv, $"{{\"platform\":\"{platform}\",\"category\":\"{category}\"}}")) < 0)
            {
                socialAt = 0;
            }
        }

        t += Hour + (long)(_rng.NextDouble() * 30 * Hour);
        var diagnosed = _rng.NextDouble() < 0.8 + (0.1 * quality) ? InteractionOutcome.Success : InteractionOutcome.Failure;
        if (_rng.NextDouble() < 0.7)
        {
            Add(t, TrackingCallType.Track, E.LineTestCompleted, diagnosed, Step(Score(4.2 + (1.5 * quality))), cost: 4, properties: fault);
        }
        else
        {
            Add(t, TrackingCallType.Track, E.FaultDiagnosisChat, diagnosed, Step(Score(4.3 + (1.5 * quality))), cost: 3.2, properties: fault);
        }

        if (_rng.NextDouble() < (_c.Plan == "mobile" ? 0.05 : 0.5))
        {
            t = Human(t + Day + (long)(4 * Day / (1 + Math.Exp(2 * quality))), t + (2 * Day) + (long)(4 * Day / (1 + Math.Exp(2 * quality))));
            if (_rng.NextDouble() < 0.1 + (quality < -1 ? 0.2 : 0))
            {
                Add(t, TrackingCallType.Track, E.TechnicianAppointmentMissed, InteractionOutcome.Failure, Step(Score(1.5)), properties: fault);
                t = Human(t + (2 * Day), t + (5 * Day));
                quality -= 0.5;
                missed = true;
            }

            visitEffort = Step(Score(4.3 + (1.5 * quality)));
            var visitCost = Math.Round(95 + (_rng.NextDouble() * 85), 2);
            visitEvent = Add(t, TrackingCallType.Track, E.TechnicianVisitCompleted, InteractionOutcome.Success, visitEffort, cost: visitCost, properties: fault);
        }

        t += (2 * Hour) + (long)(_rng.NextDouble() * 22 * Hour);
        var hours = (t - reportedAt) / Hour;
        var resolvedEffort = Step(Score(4.2 + (1.6 * quality)));
        var resolvedEvent = Add(t, TrackingCallType.Track, E.FaultResolved, InteractionOutcome.Success, resolvedEffort,
            properties: string.Create(Inv, $"{{\"faultId\":\"F-{_c.Index}-{_faultNumber}\",\"durationHours\":{hours}}}"));

        var ease = sum / steps;
        _faultEaseSum += ease;
        _faultEpisodes++;
        _faults.Add(new FaultEpisode(
            _faultNumber, category, reportedAt, t, ease, reportEffort, visitEffort, missed, resolvedEffort, socialAt, platform, resolvedEvent, visitEvent));
        if (ease <= Truth.PoorFaultRepairEffort)
        {
            _poorFaultUntil = Math.Max(_poorFaultUntil, t + (Truth.PoorFaultEffectMonths * Month));
        }

        if (_c.HasFixedLine && _rng.NextDouble() < 0.15)
        {
            RouterSetup(t + Hour, "after-fault");
        }
    }

    /// <summary>Self-service router setup: attempts until success or the customer gives up. Returns the last attempt's time.</summary>
    private long RouterSetup(long t, string reason)
    {
        for (var attempt = 1; ; attempt++)
        {
            var failed = _rng.NextDouble() < _c.SetupFailure;
            var step = failed ? SetupSteps[_rng.Next(SetupSteps.Length)] : "completed";
            Add(t, TrackingCallType.Track, E.RouterSetupAttempted,
                failed ? InteractionOutcome.Failure : InteractionOutcome.Success,
                Score(failed ? 2.0 + (0.4 * _c.SelfServiceQuality) : 5.2 + (0.8 * _c.SelfServiceQuality)),
                properties: string.Create(Inv, $"{{\"attempt\":{attempt},\"reason\":\"{reason}\",\"step\":\"{step}\",\"routerModel\":\"AF-Box 7\"}}"),
                context: _c.AppContext);
            if (!failed)
            {
                return t;
            }

            RecordFailure(t);
            if (attempt >= 2 && _rng.NextDouble() < 0.35)
            {
                var solved = _rng.NextDouble() < 0.7;
                var at = t + (10 * TimeSpan.TicksPerMinute) + (long)(_rng.NextDouble() * 3 * Hour);
                var effort = Score(4.2 + (1.2 * _c.ServiceQuality) - (solved ? 0 : 1.5));
                _contacts.Add(new ContactEpisode("setup-hotline", at, effort, solved, step,
                    Add(at, TrackingCallType.Track, E.SetupHelpCall, solved ? InteractionOutcome.Success : InteractionOutcome.Failure, effort, cost: 9)));
            }

            if (attempt >= 5 || (attempt >= 2 && _rng.NextDouble() < 0.25))
            {
                return t;
            }

            t += (2 * Hour) + (long)(_rng.NextDouble() * 46 * Hour);
        }
    }

    private void RecordFailure(long at)
    {
        Array.Copy(_failures, 0, _failures, 1, _failures.Length - 1);
        _failures[0] = at;
        _failureCount++;
        if (_failureCount >= Truth.FrustrationFailures && at - _failures[^1] <= Truth.FrustrationWindowDays * Day && at < _endTicks)
        {
            if (!_frustrated)
            {
                _frustratedSince = at;
            }

            _frustrated = true;
            _frustratedUntil = Math.Max(_frustratedUntil, at + (Truth.FrustrationEffectMonths * Month));
        }
    }
}
