namespace OpenCem.Demo;

/// <summary>The tracking event, page and screen names the demo company emits.</summary>
public static class DemoEvents
{
    public const string OrderCompleted = "Order Completed";
    public const string ShopContractSigned = "Shop Contract Signed";
    public const string WelcomeEmailSent = "Welcome Email Sent";
    public const string WelcomePackDelivered = "Welcome Pack Delivered";
    public const string RouterSetupAttempted = "Router Setup Attempted";
    public const string SetupHelpCall = "Setup Help Call";
    public const string ServiceActivated = "Service Activated";

    public const string BillIssued = "Bill Issued";
    public const string BillViewed = "Bill Viewed";
    public const string BillingOverviewPage = "Billing Overview";
    public const string BillingQueryCall = "Billing Query Call";
    public const string BillingChatCompleted = "Billing Chat Completed";
    public const string PaymentReminderSent = "Payment Reminder Sent";

    public const string FaultReported = "Fault Reported";
    public const string FaultReportedInApp = "Fault Reported In App";
    public const string SocialComplaintPosted = "Social Complaint Posted";
    public const string LineTestCompleted = "Line Test Completed";
    public const string FaultDiagnosisChat = "Fault Diagnosis Chat";
    public const string TechnicianVisitCompleted = "Technician Visit Completed";
    public const string TechnicianAppointmentMissed = "Technician Appointment Missed";
    public const string FaultResolved = "Fault Resolved";

    public const string RenewalOfferSent = "Renewal Offer Sent";
    public const string TariffComparisonPage = "Tariff Comparison";
    public const string ShopConsultation = "Shop Consultation";
    public const string ContractRenewed = "Contract Renewed";
    public const string ShopRenewalSigned = "Shop Renewal Signed";

    public const string CancellationRequested = "Cancellation Requested";
    public const string RetentionOfferMade = "Retention Offer Made";
    public const string ContractCancelled = "Contract Cancelled";
    public const string WinBackOfferSent = "Win-back Offer Sent";
    public const string WinBackOfferAccepted = "Win-back Offer Accepted";

    /// <summary>Deliberately unmapped: an app screen, seen on almost every app visit.</summary>
    public const string DashboardScreen = "Dashboard";

    /// <summary>Deliberately unmapped: the website's home page.</summary>
    public const string HomePage = "Home";

    /// <summary>Deliberately unmapped: a marketing e-mail opened (carries <c>channel: email</c>).</summary>
    public const string NewsletterOpened = "Newsletter Opened";

    /// <summary>Deliberately unmapped: a customer recommends the company with the refer-a-friend form (carries <c>channel: web</c>); the loyalty ladder's advocacy.</summary>
    public const string ReferralSent = "Referral Sent";

    /// <summary>The names that no touchpoint maps, on purpose.</summary>
    public static readonly IReadOnlyList<string> Unmapped = [DashboardScreen, HomePage, NewsletterOpened, ReferralSent];
}
