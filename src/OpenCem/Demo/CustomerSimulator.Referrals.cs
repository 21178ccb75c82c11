using OpenCem.Interactions;
using E = OpenCem.Demo.DemoEvents;
using Truth = OpenCem.Demo.DemoTruths;

namespace OpenCem.Demo;

internal sealed partial class CustomerSimulator
{
    /// <summary>
    /// Loyal customers recommend the company: each active month, a chance rising with the latent loyalty above a floor.
    /// Drawn from a generator of its own after everything else, so the customer's other events are what they were.
    /// </summary>
    private void Referrals()
    {
        var rng = new Random(CustomerSeed(_seed, _c.Index) ^ 0x2EF3_1A7B);
        foreach (var (from, to) in _activeSpans)
        {
            var until = Math.Min(to, _endTicks);
            for (var month = Math.Max(from, _startTicks); month < until; month += Month)
            {
                var chance = Truth.ReferralRatePerLoyaltyPoint * (LoyaltyAt(month) - Truth.ReferralLoyaltyFloor);
                if (rng.NextDouble() < chance)
                {
                    var at = month + (long)(rng.NextDouble() * Month);
                    if (at < until)
                    {
                        Add(at, TrackingCallType.Track, E.ReferralSent, channel: "web", properties: "{\"program\":\"refer-a-friend\"}");
                    }
                }
            }
        }
    }
}
