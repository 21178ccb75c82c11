namespace OpenCem.Demo;

/// <summary>
/// The facts planted in the demo company that the analytics must find. The generator reads its parameters from
/// here, so the numbers below are the ones the data was built with.
/// </summary>
public static class DemoTruths
{
    /// <summary>Truth 1: the latent loyalty (0–10, an NPS-like scale) is driven most by fault-repair effort.</summary>
    public const string FaultRepairDrivesLoyalty =
        "Each customer's latent loyalty (0-10) is mostly explained by the effort of their fault repairs (CES 1-7 on "
        + "fault-repair touchpoints); billing, self-service and general service ease matter much less.";

    /// <summary>Truth 2: repeated failed self-service raises churn.</summary>
    public const string RepeatedSelfServiceFailureRaisesChurn =
        "A customer whose 'Router Setup Attempted' fails 3 or more times within 7 days cancels several times more often "
        + "than others (their monthly cancellation hazard is multiplied for the following months).";

    /// <summary>Truth 3: poor fault repairs cause cancellations.</summary>
    public const string PoorFaultRepairRaisesChurn =
        "Customers whose fault repairs were hard (mean fault-repair effort at or below 3.5) cancel much more often than "
        + "customers whose repairs were easy, through lower loyalty and a direct short-term effect.";

    /// <summary>Truth 4: the three source systems and the tracking data resolve into exactly one profile per person.</summary>
    public const string OneProfilePerPerson =
        "The CRM, billing and web-shop records and the tracking calls of each customer resolve into one profile, despite "
        + "different spellings; the shop counter e-mail on in-store web accounts and the family e-mails shared by two CRM "
        + "customers with different customer numbers merge nobody; each web-shop prospect is a profile of their own.";

    /// <summary>All planted truths, in order.</summary>
    public static readonly IReadOnlyList<string> Descriptions =
        [FaultRepairDrivesLoyalty, RepeatedSelfServiceFailureRaisesChurn, PoorFaultRepairRaisesChurn, OneProfilePerPerson];

    // Truth 4.
    public const double WebshopShare = 0.6;
    public const double InStoreAccountShare = 0.03;
    public const string ShopCounterEmail = "filiale@alpenfunk.example";

    /// <summary>Customers 0 and 1, 200 and 201, ... share a family e-mail in the CRM.</summary>
    public const int FamilyPairEvery = 200;

    // Truth 1: latent loyalty = Base + weights × standardised experiences + noise, clamped to 0..10.
    public const double LoyaltyBase = 7.2;
    public const double FaultRepairWeight = 1.8;
    public const double BillingWeight = 0.45;
    public const double SelfServiceWeight = 0.4;
    public const double ServiceWeight = 0.35;
    public const double PersonalWeight = 0.6;
    public const double FrustrationLoyaltyPenalty = 0.5;

    /// <summary>The neutral point and spread of the 1–7 effort scale used to standardise ease.</summary>
    public const double EffortCentre = 4.0;
    public const double EffortSpread = 1.5;

    /// <summary>The standardised fault-repair ease assumed for customers who never had a fault.</summary>
    public const double NoFaultZ = 0.3;

    // Truth 2.
    public const string SelfServiceStep = DemoEvents.RouterSetupAttempted;
    public const int FrustrationFailures = 3;
    public const int FrustrationWindowDays = 7;
    public const double FrustrationHazardMultiplier = 8.0;
    public const int FrustrationEffectMonths = 12;

    // Truth 3 (and the churn model).
    public const double PoorFaultRepairEffort = 3.5;
    public const double PoorFaultHazardMultiplier = 3.0;
    public const int PoorFaultEffectMonths = 3;

    /// <summary>Monthly cancellation hazard of a customer of average loyalty.</summary>
    public const double BaseMonthlyHazard = 0.011;

    /// <summary>The hazard is multiplied by exp(-LoyaltyHazardSlope × (loyalty − LoyaltyBase)).</summary>
    public const double LoyaltyHazardSlope = 0.5;

    /// <summary>The event that marks a cancellation.</summary>
    public const string CancellationEvent = DemoEvents.ContractCancelled;
}
