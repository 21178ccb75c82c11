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

    /// <summary>Truth 5: relationship NPS answers follow each customer's latent loyalty at the time they answer.</summary>
    public const string RelationshipNpsFollowsLoyalty =
        "A relationship NPS answer is the respondent's latent loyalty when they answer plus noise, so customers whose fault "
        + "repairs were hard give a far lower NPS than customers whose repairs were easy.";

    /// <summary>Truth 6: the fault-repair survey's CSAT and CES follow the effort of the repair it asks about.</summary>
    public const string RepairSurveyFollowsRepairEffort =
        "Each fault-repair survey response rates the repair it follows: its CES is the repair's effort plus noise, its CSAT "
        + "rises with the repair's ease.";

    /// <summary>Truth 7: dissatisfied fault-repair respondents mention waiting far more often than satisfied ones.</summary>
    public const string DetractorsComplainAboutWaiting =
        "In the fault-repair survey, dissatisfied respondents (CSAT 1-2) mention waiting far more often than satisfied ones "
        + "(CSAT 4-5): hard repairs are long repairs, and customers who waited say so.";

    /// <summary>Truth 8: lost customers give the reason they really left for.</summary>
    public const string LostCustomersNameTheirReason =
        "Lost customers name the reason they left: after a poor repair 'service', after repeatedly failed router setups "
        + "'self-service', otherwise the reason they gave when cancelling (price, competitor, moving, no longer needed).";

    /// <summary>Truth 9: repair speed falls furthest short of expectations; app usability exceeds them.</summary>
    public const string RepairSpeedFallsShortOfExpectations =
        "In the expectations survey, repair speed has the most negative disconfirmation (experience below expectation) and "
        + "app usability the only positive one.";

    /// <summary>Truth 10: employee loyalty is lowest in the call centre and highest in field service.</summary>
    public const string CallCentreStaffLeastLoyal =
        "In the employee pulse, the call centre's eNPS is far below field service's.";

    /// <summary>Truth 11: repair complaints follow hard repairs.</summary>
    public const string ComplaintsFollowHardRepairs =
        "Complaints about a repair come within two weeks after a repair whose ease was at most 3 (of 7).";

    /// <summary>Truth 12: in the fault-repair journey, waiting for the technician is the moment of pain.</summary>
    public const string WaitingForTheTechnicianHurtsMost =
        "In the fault-repair journey the technician-visit stage, where the customer waits days for the technician, has the "
        + "worst scores and comments: the technician-appointment survey's CSAT and CES fall with every day waited and after a "
        + "missed appointment, so its emotion value is the lowest of the journey's stages.";

    /// <summary>Truth 13: closing the loop quickly works.</summary>
    public const string QuickFollowUpRecoversDetractors =
        "Detractors whose case met its SLA (first response within 16 working hours for high priority, 24 for normal, resolved "
        + "in time) are recovered (their next NPS within half a year of closing is 7 or more) far more often than those whose case "
        + "breached it.";

    /// <summary>Truth 14: the initiative "Callback instead of the hotline queue" worked; the billing chat's co-browsing did not.</summary>
    public const string CallbackEasesHotlineContacts =
        "From 12 months before the demo's end billing-hotline callers choose a callback slot instead of waiting in the queue: "
        + "the support survey's CES at the billing hotline rises (by 1 on the 1-7 scale before rounding) for contacts from then "
        + "on, at that touchpoint only; the co-browsing in the billing chat (realised 10 months before the end) changes nothing.";

    /// <summary>Truth 16 (brand experience): customers confirm "simple" and contradict "reliable" (DemoBrand, DemoBrandVoice).</summary>
    public const string NetworkFaultsContradictReliable =
        "The company's brand values are simple, reliable and fair price. Customers' words confirm 'simple' (app praise says "
        + "the app is simple, easy to use) and contradict 'reliable' (most complaints about the network, a fault that came back or "
        + "the wait for a repair call the line unreliable), so "
        + "'simple' is perceived positively and 'reliable' negatively, with a larger gap.";

    /// <summary>Truth 17: the customers fall into four planted segments that clustering should find again.</summary>
    public const string FourPersonas =
        "Every customer belongs to one of four latent segments (DemoPersonas): app-first digital self-servers (30 %, mostly new, "
        + "the app for everything), phone-first long-tenure loyalists (25 %, no app, the hotline, customers for 3-12 years, "
        + "warmer), price-sensitive switchers with billing pain (20 %, cheapest fees, the billing web pages and billing queries, "
        + "poor billing experience, talk about price, cooler) and high-value power users (25 %, bundles at the top fees, app and web). "
        + "The segment is drawn first and drives plan, fee, tenure, app use, channel mix and attitude; it is never stored.";

    /// <summary>All planted truths, in order.</summary>
    public static readonly IReadOnlyList<string> Descriptions =
    [
        FaultRepairDrivesLoyalty, RepeatedSelfServiceFailureRaisesChurn, PoorFaultRepairRaisesChurn, OneProfilePerPerson,
        RelationshipNpsFollowsLoyalty, RepairSurveyFollowsRepairEffort, DetractorsComplainAboutWaiting, LostCustomersNameTheirReason,
        RepairSpeedFallsShortOfExpectations, CallCentreStaffLeastLoyal, ComplaintsFollowHardRepairs, WaitingForTheTechnicianHurtsMost,
        QuickFollowUpRecoversDetractors, CallbackEasesHotlineContacts, IdeaLeadUsersBackWhatShips, NetworkFaultsContradictReliable,
        FourPersonas,
    ];

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

    // Truth 5: the relationship survey goes out to every active customer in quarterly waves; a quarter of them answer.
    public const int RelationshipWaveMonths = 3;
    public const int FirstRelationshipWaveMonth = 1;
    public const int RelationshipWaveDays = 14;
    public const double RelationshipResponseRate = 0.25;

    /// <summary>The standard deviation of an NPS answer around the latent loyalty.</summary>
    public const double NpsAnswerNoise = 1.1;

    // Truth 6: transactional surveys after a fault repair and after a support contact.
    public const double RepairSurveySampling = 0.3;
    public const double SupportSurveySampling = 0.5;
    public const int TransactionalDelayMinutes = 60;

    /// <summary>The share of invited customers who answer; customers with very easy or very hard experiences answer more.</summary>
    public const double TransactionalResponseRate = 0.26;

    /// <summary>CSAT is this (on 1–5) after a repair of neutral ease (4 on 1–7), and rises by <see cref="CsatPerEasePoint"/> per point.</summary>
    public const double CsatAtNeutralEase = 3.5;
    public const double CsatPerEasePoint = 0.75;

    /// <summary>The standard deviation of a CES answer around the experienced effort.</summary>
    public const double CesAnswerNoise = 0.6;

    // Truth 7.
    /// <summary>A repair that took this many days or more (or had a missed appointment) is a long wait.</summary>
    public const int LongWaitDays = 2;

    /// <summary>The probability that a negative comment about a long repair leads with the wait.</summary>
    public const double WaitingMentionShare = 0.75;

    // Truth 8.
    public const int LostSurveyDelayMinutes = 24 * 60;
    public const double LostSurveyResponseRate = 0.25;

    /// <summary>The probability that a lost customer picks the reason they left for (else another one).</summary>
    public const double LostReasonAccuracy = 0.85;

    /// <summary>The lost-customer survey's reason for each cancellation reason of the events.</summary>
    public static readonly IReadOnlyDictionary<string, string> LostReasons = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["service-quality"] = "service",
        ["setup-problems"] = "self-service",
        ["price"] = "price",
        ["competitor-offer"] = "competitor",
        ["moving-abroad"] = "moving",
        ["no-longer-needed"] = "no-need",
    };

    // Truth 9: the expectations survey, once a year to a sample of active customers.
    public const double ExpectationStudySampling = 0.5;
    public const double ExpectationStudyResponseRate = 0.3;

    /// <summary>The mean expectation (1–7) of each attribute; experience follows the customer's latent experience.</summary>
    public static readonly IReadOnlyDictionary<string, double> Expectations = new Dictionary<string, double>(StringComparer.Ordinal)
    {
        ["network-reliability"] = 6.0,
        ["price-transparency"] = 5.4,
        ["repair-speed"] = 5.9,
        ["staff-competence"] = 5.3,
        ["app-usability"] = 4.6,
    };

    // Truth 10: employees of four teams answer a quarterly pulse.
    // The first employee works alone in Bolzano: a group the pulse's anonymity must never show or let be worked out.
    public const string LoneLocation = "bolzano";
    public const int CustomersPerEmployee = 50;
    public const double EmployeeResponseRate = 0.55;

    /// <summary>The latent employee loyalty (0–10) of each team.</summary>
    public static readonly IReadOnlyDictionary<string, double> TeamLoyalty = new Dictionary<string, double>(StringComparer.Ordinal)
    {
        ["call-centre"] = 5.6,
        ["shops"] = 7.0,
        ["field-service"] = 8.0,
        ["back-office"] = 7.2,
    };

    // Truth 11 and the other signals.
    public const double HardRepairEase = 3.0;
    public const double HardRepairComplaintRate = 0.25;
    public const int ComplaintWithinDays = 14;
    public const double FailedBillingComplaintRate = 0.3;
    public const double FrustrationComplaintRate = 0.2;
    public const double ReviewRate = 0.06;
    public const double PraiseRate = 0.06;

    /// <summary>Share of social posts about an outage that only report it or ask about it, without venting.</summary>
    public const double OutageReportShare = 0.6;

    // Truth 12: the survey after a technician visit rates the wait for it.
    public const double VisitSurveySampling = 0.5;

    /// <summary>CSAT (1–5) after a visit on the day of the report; it falls by <see cref="VisitCsatPerDayWaited"/> per day waited.</summary>
    public const double VisitCsatWithoutWait = 4.6;
    public const double VisitCsatPerDayWaited = 0.6;
    public const double MissedAppointmentPenalty = 1.2;

    // The loyalty ladder: loyal customers recommend the company to friends ("Referral Sent", drawn from a generator of its own).
    /// <summary>Monthly chance of a referral per point of latent loyalty above <see cref="ReferralLoyaltyFloor"/>.</summary>
    public const double ReferralRatePerLoyaltyPoint = 0.02;
    public const double ReferralLoyaltyFloor = 7.5;

    // Truth 13: cases for detractors and complaints, worked by three teams. A case's first response meets the SLA with
    // this chance when the customer's later score shows them recovered, and with the other when it shows they were not.
    public const double OnTimeContactWhenRecovered = 0.85;
    public const double OnTimeContactWhenNotRecovered = 0.3;
    public const double OnTimeContactOtherwise = 0.6;

    /// <summary>NPS answers at or below this open a high-priority case; other detractors a normal one.</summary>
    public const int HighPriorityNps = 3;

    // Truth 14: the demo's initiatives (DemoInitiatives). Hotline contacts from this many months before the end get the callback.
    public const int CallbackMonthsBeforeEnd = 12;
    public const double CallbackCesLift = 1.0;

    /// <summary>Truth 15: the ideas board's lead users (DemoIdeas).</summary>
    public const string IdeaLeadUsersBackWhatShips =
        "On the ideas board, a handful of customers wrote ideas that were planned or shipped and voted for other ideas before "
        + "they were planned; everyone else votes at random times. The lead-user ranking puts exactly these customers first.";

    /// <summary>How many lead users the board plants; each writes two ideas (one shipped, one planned) and backs four others early.</summary>
    public const int IdeaLeadUsers = 6;
}
