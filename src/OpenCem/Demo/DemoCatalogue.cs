using OpenCem.Interactions;
using E = OpenCem.Demo.DemoEvents;

namespace OpenCem.Demo;

public static partial class DemoCompany
{
    /// <summary>The demo company's name.</summary>
    public const string CompanyName = "Alpenfunk Telecom";

    public const string Onboarding = "onboarding";
    public const string Billing = "billing";
    public const string FaultRepair = "fault-repair";
    public const string ContractRenewal = "contract-renewal";
    public const string Cancellation = "cancellation";

    /// <summary>The five journeys, each with its stages in order.</summary>
    public static IReadOnlyList<Journey> Journeys { get; } =
    [
        new(Onboarding, "Onboarding", "From the order to a working connection.",
            [new("order", "Order"), new("welcome", "Welcome"), new("setup", "Setup"), new("activation", "Activation")]),
        new(Billing, "Billing", "The monthly bill, questions about it, and payment.",
            [new("bill-issued", "Bill issued"), new("bill-review", "Bill review"), new("query", "Billing query"), new("payment", "Payment")]),
        new(FaultRepair, "Fault repair", "From a reported fault to its resolution.",
            [new("fault-reported", "Fault reported"), new("diagnosis", "Diagnosis"), new("technician-visit", "Technician visit"), new("resolved", "Resolved")]),
        new(ContractRenewal, "Contract renewal", "The end of the minimum term and the decision to stay.",
            [new("renewal-offer", "Renewal offer"), new("consideration", "Consideration"), new("renewed", "Renewed")]),
        new(Cancellation, "Cancellation", "Notice, retention attempt, cancellation and win-back.",
            [new("request", "Cancellation request"), new("retention", "Retention offer"), new("cancelled", "Cancelled"), new("win-back", "Win-back")]),
    ];

    /// <summary>The touchpoint catalogue (ids are 0: the store assigns them).</summary>
    public static IReadOnlyList<Touchpoint> Touchpoints { get; } =
    [
        T("online-order", "Online order", "web", Onboarding, "order", E.OrderCompleted),
        T("shop-sign-up", "Shop sign-up", "shop", Onboarding, "order", E.ShopContractSigned),
        T("welcome-email", "Welcome e-mail", "email", Onboarding, "welcome", E.WelcomeEmailSent),
        T("welcome-pack", "Welcome pack delivery", "mail", Onboarding, "welcome", E.WelcomePackDelivered),
        T("router-self-setup", "Router self-setup in the app", "app", Onboarding, "setup", E.RouterSetupAttempted),
        T("setup-hotline", "Setup help hotline", "phone", Onboarding, "setup", E.SetupHelpCall),
        T("activation-confirmation", "Activation confirmation", "email", Onboarding, "activation", E.ServiceActivated),

        T("bill-email", "Monthly bill e-mail", "email", Billing, "bill-issued", E.BillIssued),
        T("app-bill", "Bill in the app", "app", Billing, "bill-review", E.BillViewed),
        T("web-billing", "Billing pages on the website", "web", Billing, "bill-review", E.BillingOverviewPage),
        T("billing-hotline", "Billing hotline", "phone", Billing, "query", E.BillingQueryCall),
        T("billing-chat", "Billing chat", "chat", Billing, "query", E.BillingChatCompleted),
        T("payment-reminder", "Payment reminder letter", "mail", Billing, "payment", E.PaymentReminderSent),

        T("fault-hotline", "Fault hotline", "phone", FaultRepair, "fault-reported", E.FaultReported),
        T("app-fault-report", "Fault report in the app", "app", FaultRepair, "fault-reported", E.FaultReportedInApp),
        T("social-care", "Social media care", "social", FaultRepair, "fault-reported", E.SocialComplaintPosted),
        T("remote-line-test", "Remote line test", "phone", FaultRepair, "diagnosis", E.LineTestCompleted),
        T("diagnosis-chat", "Troubleshooting chat", "chat", FaultRepair, "diagnosis", E.FaultDiagnosisChat),
        T("technician-visit", "Technician visit", "field", FaultRepair, "technician-visit",
            E.TechnicianVisitCompleted, E.TechnicianAppointmentMissed),
        T("fault-resolution", "Fault resolution notice", "email", FaultRepair, "resolved", E.FaultResolved),

        T("renewal-offer", "Renewal offer e-mail", "email", ContractRenewal, "renewal-offer", E.RenewalOfferSent),
        T("tariff-comparison", "Tariff comparison page", "web", ContractRenewal, "consideration", E.TariffComparisonPage),
        T("shop-consultation", "Shop consultation", "shop", ContractRenewal, "consideration", E.ShopConsultation),
        T("online-renewal", "Online renewal", "web", ContractRenewal, "renewed", E.ContractRenewed),
        T("shop-renewal", "Renewal in the shop", "shop", ContractRenewal, "renewed", E.ShopRenewalSigned),

        T("cancellation-hotline", "Cancellation hotline", "phone", Cancellation, "request", E.CancellationRequested),
        T("retention-desk", "Retention desk", "phone", Cancellation, "retention", E.RetentionOfferMade),
        T("cancellation-letter", "Cancellation confirmation letter", "mail", Cancellation, "cancelled", E.ContractCancelled),
        T("win-back-email", "Win-back e-mail", "email", Cancellation, "win-back", E.WinBackOfferSent),
        T("win-back-return", "Return after win-back", "web", Cancellation, "win-back", E.WinBackOfferAccepted),
    ];

    private static Touchpoint T(string key, string name, string channel, string journey, string stage, params string[] events) =>
        new(0, key, name, channel, journey, stage, events);
}
