namespace OpenCem.Demo;

/// <summary>
/// One latent customer segment of the demo company and how it behaves: every rate here replaces the generator's
/// single value for customers of the segment, and the mix over segments keeps the company's overall shares (plans,
/// app users, new customers, contacts) near what they were before segments existed, so the other truths still hold.
/// </summary>
/// <param name="Key">A stable name, for tests and documentation.</param>
/// <param name="Share">The share of customers drawn into the segment.</param>
/// <param name="NewShare">The probability of joining inside the window (else a customer of earlier years).</param>
/// <param name="LongTenure">Earlier customers joined 3–12 years before the window instead of up to 7.</param>
/// <param name="AppShare">The probability of using the app.</param>
/// <param name="PlanWeights">Cumulative draw thresholds for mobile, broadband, tv (the rest bundle).</param>
/// <param name="FeeLevel">Where in the plan's fee range the fee lies: 0 cheapest, 1 dearest (± a step).</param>
/// <param name="AppScreens">Dashboard screens a month for app users.</param>
/// <param name="AppBills">Bills viewed in the app a month for app users.</param>
/// <param name="WebPages">Home page visits a month.</param>
/// <param name="BillingPages">Billing page visits a month.</param>
/// <param name="BillingContacts">The monthly probability of a billing query.</param>
/// <param name="HotlineShare">The share of billing queries that are calls (else chats).</param>
/// <param name="BillingShift">Added to the standard-normal latent billing quality.</param>
/// <param name="DispositionShift">Added to the standard-normal personal disposition.</param>
/// <param name="PriceTalk">Multiplies how often the segment's comments complain about the price.</param>
public sealed record DemoPersona(
    string Key,
    double Share,
    double NewShare,
    bool LongTenure,
    double AppShare,
    double[] PlanWeights,
    double FeeLevel,
    double AppScreens,
    double AppBills,
    double WebPages,
    double BillingPages,
    double BillingContacts,
    double HotlineShare,
    double BillingShift,
    double DispositionShift,
    double PriceTalk);

/// <summary>
/// The planted personas (truth 15). Each customer's segment is the first draw of their own random stream, so
/// <see cref="Of(int, int)"/> reproduces it from the seed alone; it is never stored, so clustering cannot read it.
/// </summary>
public static class DemoPersonas
{
    public static readonly IReadOnlyList<DemoPersona> All =
    [
        new("app-first", 0.30, 0.85, false, 1.0, [0.6, 0.9, 1.0], 0.5, 1.8, 0.4, 0.1, 0.03, 0.035, 0.0, 0.3, 0.2, 0.7),
        new("phone-loyalist", 0.25, 0.05, true, 0.0, [0.2, 0.65, 0.9], 0.5, 0, 0, 0.15, 0.05, 0.09, 1.0, 0.3, 0.7, 0.5),
        new("price-switcher", 0.20, 0.8, false, 0.35, [0.55, 0.9, 0.9], 0.0, 0.5, 0.1, 1.0, 0.7, 0.11, 0.7, -0.6, -0.7, 3.0),
        new("power-user", 0.25, 0.35, false, 1.0, [0.0, 0.15, 0.15], 1.0, 1.4, 0.3, 1.4, 0.3, 0.04, 0.5, 0.2, -0.1, 0.6),
    ];

    /// <summary>Draws a segment index with the customer's own random stream.</summary>
    internal static int Draw(Random rng)
    {
        var draw = rng.NextDouble();
        for (var i = 0; i < All.Count - 1; i++)
        {
            draw -= All[i].Share;
            if (draw < 0)
            {
                return i;
            }
        }

        return All.Count - 1;
    }

    /// <summary>The planted segment index of demo customer <paramref name="index"/> generated with <paramref name="seed"/>.</summary>
    public static int Of(int seed, int index) => Draw(new Random(CustomerSimulatorSeed(seed, index)));

    private static int CustomerSimulatorSeed(int seed, int index) => CustomerSimulator.CustomerSeed(seed, index);
}
