namespace OpenCem.Demo;

public static partial class DemoSurveys
{
    /// <summary>The survey after a technician visit (truth 12): how the appointment and the wait for it went.</summary>
    public const string TechnicianAppointment = "technician-appointment";

    /// <summary>The touchpoint after which the technician-appointment survey is sent.</summary>
    public const string TechnicianTouchpoint = "technician-visit";

    private const string TechnicianAppointmentJson = """
        {
          "title": {"default": "Your technician appointment", "de": "Ihr Technikertermin"},
          "elements": [
            {"type": "rating", "name": "csat", "role": "csat", "rateMin": 1, "rateMax": 5, "isRequired": true,
             "title": {"default": "How satisfied are you with your technician appointment?", "de": "Wie zufrieden sind Sie mit Ihrem Technikertermin?"},
             "minRateDescription": {"default": "Very dissatisfied", "de": "Sehr unzufrieden"},
             "maxRateDescription": {"default": "Very satisfied", "de": "Sehr zufrieden"}},
            {"type": "rating", "name": "ces", "role": "ces", "rateMin": 1, "rateMax": 7, "isRequired": true,
             "title": {"default": "How easy was it to get a technician to you?", "de": "Wie einfach war es, einen Techniker zu bekommen?"},
             "minRateDescription": {"default": "Very difficult", "de": "Sehr schwierig"},
             "maxRateDescription": {"default": "Very easy", "de": "Sehr einfach"}},
            {"type": "comment", "name": "comment", "role": "verbatim",
             "title": {"default": "What should we know about your appointment?", "de": "Was sollten wir über Ihren Termin wissen?"}}
          ]
        }
        """;
}
