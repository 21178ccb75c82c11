using OpenCem.Feedback.Surveys;
using Truth = OpenCem.Demo.DemoTruths;

namespace OpenCem.Demo;

/// <summary>A survey of the demo company: its key (what generated responses name), its name, its SurveyJS JSON and settings.</summary>
public sealed record DemoSurvey(string Key, string Name, string Definition, SurveySettings Settings);

/// <summary>
/// The demo company's seven surveys, in English and German: relationship NPS, CSAT after a fault repair, CES after a
/// support contact, expectation versus experience, the employee pulse, the lost-customer survey and CSAT after a technician visit.
/// </summary>
public static partial class DemoSurveys
{
    public const string RelationshipNps = "relationship-nps";
    public const string FaultRepair = "fault-repair";
    public const string SupportContact = "support-contact";
    public const string Expectations = "expectations";
    public const string EmployeePulse = "employee-pulse";
    public const string LostCustomers = "lost-customers";

    /// <summary>The touchpoints after which the support survey is sent: the billing hotline and chat, the setup hotline.</summary>
    public static readonly IReadOnlyList<string> SupportTouchpoints = ["billing-hotline", "billing-chat", "setup-hotline"];

    /// <summary>The touchpoint after which the fault-repair survey is sent.</summary>
    public const string FaultRepairTouchpoint = "fault-resolution";

    /// <summary>The touchpoint after which the lost-customer survey is sent.</summary>
    public const string LostTouchpoint = "cancellation-letter";

    /// <summary>The rows of the fault-repair survey's attribute matrix.</summary>
    public static readonly IReadOnlyList<string> RepairAttributes = ["reporting", "information", "speed", "technician", "result"];

    /// <summary>The attributes of the expectations survey with the names of their expectation and experience questions.</summary>
    public static readonly IReadOnlyList<(string Attribute, string Expectation, string Experience)> ExpectationQuestions =
    [
        ("network-reliability", "expectNetwork", "network"),
        ("price-transparency", "expectPrice", "price"),
        ("repair-speed", "expectRepair", "repair"),
        ("staff-competence", "expectStaff", "staff"),
        ("app-usability", "expectApp", "app"),
    ];

    private static readonly ReminderPolicy Reminders = new(AfterDays: 3, Max: 1);

    public static IReadOnlyList<DemoSurvey> All { get; } =
    [
        new(RelationshipNps, "Relationship NPS", RelationshipNpsJson, new SurveySettings { Reminders = Reminders }),
        new(FaultRepair, "Fault repair (CSAT)", FaultRepairJson, new SurveySettings
        {
            Triggers = [new SurveyTrigger(FaultRepairTouchpoint, DelayMinutes: Truth.TransactionalDelayMinutes, SamplingRate: Truth.RepairSurveySampling, Channel: "email")],
            Reminders = Reminders,
            ExpiresAfterDays = 14,
        }),
        new(SupportContact, "Support contact (CES)", SupportContactJson, new SurveySettings
        {
            Triggers = [.. SupportTouchpoints.Select(t => new SurveyTrigger(t, DelayMinutes: Truth.TransactionalDelayMinutes, SamplingRate: Truth.SupportSurveySampling, Channel: "email"))],
            Reminders = Reminders,
            ExpiresAfterDays = 14,
        }),
        new(Expectations, "Expectations and experience", ExpectationsJson, new SurveySettings { Reminders = Reminders }),
        new(EmployeePulse, "Employee pulse", EmployeePulseJson, new SurveySettings { AnonymousLink = true, Reminders = Reminders }),
        new(LostCustomers, "Why did you leave?", LostCustomersJson, new SurveySettings
        {
            AnonymousLink = true,
            Triggers = [new SurveyTrigger(LostTouchpoint, DelayMinutes: Truth.LostSurveyDelayMinutes, SamplingRate: 1.0, Channel: "email")],
            Reminders = Reminders,
        }),
        new(TechnicianAppointment, "Technician appointment (CSAT)", TechnicianAppointmentJson, new SurveySettings
        {
            Triggers = [new SurveyTrigger(TechnicianTouchpoint, DelayMinutes: Truth.TransactionalDelayMinutes, SamplingRate: Truth.VisitSurveySampling, Channel: "email")],
            Reminders = Reminders,
            ExpiresAfterDays = 14,
        }),
    ];

    public static DemoSurvey Get(string key) => All.First(s => s.Key == key);
}
