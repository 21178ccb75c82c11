namespace OpenCem.Demo;

/// <summary>
/// One demo customer as the generator knows them, including the latent experience behind their events, so that
/// survey answers (NPS from <see cref="LatentLoyalty"/>, CES and attribute ratings from the ease values) can be
/// generated consistently with the interactions.
/// </summary>
/// <param name="FaultRepairEase">The mean effort (1–7, 7 = very easy) of the customer's fault repairs, or null without faults.</param>
/// <param name="BillingEase">The customer's latent billing ease on the 1–7 scale.</param>
/// <param name="SelfServiceEase">The customer's latent self-service (app, router setup) ease on the 1–7 scale.</param>
/// <param name="ServiceEase">The customer's latent ease with hotline and shop staff on the 1–7 scale.</param>
/// <param name="FrustratedSelfService">Whether the customer failed the router setup 3+ times within 7 days.</param>
/// <param name="Cancelled">Whether the customer cancelled at least once inside the window.</param>
/// <param name="Active">Whether the customer is a customer at the end of the window.</param>
public sealed record DemoCustomerProfile(
    int Index,
    string UserId,
    string CustomerNumber,
    string Name,
    string Email,
    string Phone,
    string Plan,
    string Region,
    string Country,
    string Language,
    string LineOfBusiness,
    double MonthlyFee,
    DateOnly CustomerSince,
    string LifecycleStage,
    double LatentLoyalty,
    double? FaultRepairEase,
    double BillingEase,
    double SelfServiceEase,
    double ServiceEase,
    int FaultEpisodes,
    bool FrustratedSelfService,
    bool Cancelled,
    bool Active);
