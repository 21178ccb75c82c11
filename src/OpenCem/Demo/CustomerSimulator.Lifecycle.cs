using OpenCem.Interactions;
using E = OpenCem.Demo.DemoEvents;
using Truth = OpenCem.Demo.DemoTruths;

namespace OpenCem.Demo;

internal sealed partial class CustomerSimulator
{
    private void Renewal(long offerAt)
    {
        Add(offerAt, TrackingCallType.Track, E.RenewalOfferSent,
            properties: string.Create(Inv, $"{{\"offer\":\"{(_rng.NextDouble() < 0.5 ? "loyalty-discount" : "device-upgrade")}\"}}"));
        var t = offerAt;
        if (_rng.NextDouble() < 0.5)
        {
            t = Human(t + Day, t + (20 * Day));
            Add(t, TrackingCallType.Page, E.TariffComparisonPage, context: TariffContext);
        }

        var inShop = _rng.NextDouble() < 0.25;
        if (inShop)
        {
            t = Human(t + Day, t + (15 * Day));
            Add(t, TrackingCallType.Track, E.ShopConsultation, InteractionOutcome.Success, Score(4.8 + _c.ServiceQuality), cost: 15);
        }

        // Loyal customers renew actively; the others let the contract roll over.
        if (_rng.NextDouble() < 0.55 + (0.06 * (Loyalty() - Truth.LoyaltyBase)))
        {
            t = Human(t + Hour, t + (10 * Day));
            var properties = string.Create(Inv, $"{{\"plan\":\"{_c.Plan}\",\"termMonths\":24}}");
            var value = Math.Round(_c.MonthlyFee * 24, 2);
            if (inShop)
            {
                Add(t, TrackingCallType.Track, E.ShopRenewalSigned, InteractionOutcome.Success, revenue: value, properties: properties);
            }
            else
            {
                Add(t, TrackingCallType.Track, E.ContractRenewed, InteractionOutcome.Success, revenue: value, properties: properties);
            }
        }
    }

    /// <summary>A cancellation request; true when the retention offer fails and the contract ends.</summary>
    private bool Cancel(long requestedAt, out long cancelledAt)
    {
        var reason = requestedAt < _frustratedUntil ? "setup-problems"
            : requestedAt < _poorFaultUntil ? "service-quality"
            : PlainReasons[_rng.Next(PlainReasons.Length)];
        var properties = string.Create(Inv, $"{{\"reason\":\"{reason}\"}}");
        Add(requestedAt, TrackingCallType.Track, E.CancellationRequested, effort: Score(3.8 + _c.ServiceQuality), cost: 6,
            properties: properties);
        var retained = _rng.NextDouble() < 0.2;
        Add(requestedAt + (5 * TimeSpan.TicksPerMinute) + (long)(_rng.NextDouble() * 15 * TimeSpan.TicksPerMinute),
            TrackingCallType.Track, E.RetentionOfferMade, retained ? InteractionOutcome.Success : InteractionOutcome.Failure,
            properties: "{\"offer\":\"discount-10\"}");
        if (retained)
        {
            cancelledAt = 0;
            return false;
        }

        cancelledAt = requestedAt + (14 * Day) + (long)(_rng.NextDouble() * 17 * Day);
        var cancelledEvent = Add(cancelledAt, TrackingCallType.Track, E.ContractCancelled, InteractionOutcome.Success, cost: 1.1, properties: properties);
        Add(cancelledAt + TimeSpan.TicksPerMinute, TrackingCallType.Identify, null, traits: "{\"lifecycleStage\":\"former\"}");
        _activeSpans[^1] = (_activeSpans[^1].From, cancelledAt);
        if (cancelledAt < _endTicks)
        {
            _cancelled = true;
            _cancellations.Add(new CancellationEpisode(requestedAt, cancelledAt, reason, cancelledEvent));
        }

        return true;
    }

    /// <summary>A win-back offer to a former customer; true when they come back.</summary>
    private bool WinBack(long offeredAt)
    {
        Add(offeredAt, TrackingCallType.Track, E.WinBackOfferSent, properties: "{\"offer\":\"3-months-free\"}");
        if (_rng.NextDouble() >= 0.25 * Math.Exp(0.3 * (Loyalty() - Truth.LoyaltyBase)))
        {
            return false;
        }

        var returnedAt = Human(offeredAt + Day, offeredAt + (14 * Day));
        if (returnedAt >= _endTicks)
        {
            return false;
        }

        Add(returnedAt, TrackingCallType.Track, E.WinBackOfferAccepted, InteractionOutcome.Success,
            revenue: Math.Round(_c.MonthlyFee * 24 * 0.85, 2), properties: string.Create(Inv, $"{{\"plan\":\"{_c.Plan}\"}}"));
        Add(returnedAt + TimeSpan.TicksPerMinute, TrackingCallType.Identify, null, traits: "{\"lifecycleStage\":\"won-back\"}");
        _activeSpans.Add((returnedAt, long.MaxValue));
        _wonBack = true;
        return true;
    }
}
