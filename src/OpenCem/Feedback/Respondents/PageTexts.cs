namespace OpenCem.Feedback.Respondents;

/// <summary>
/// The respondent page's own words — buttons, markers, error messages, notices — in English and German. The
/// questions come in the survey's languages (<see cref="Surveys.LocalisedText"/>); the page around them falls back
/// to English in any language this dictionary does not have.
/// </summary>
public sealed record PageTexts
{
    public static PageTexts English { get; } = new()
    {
        Language = "en",
        Survey = "Survey",
        Next = "Next",
        Back = "Back",
        Submit = "Submit",
        Required = "(required)",
        PageOf = "Page {0} of {1}",
        ErrorTitle = "Please check your answers",
        ErrorPrefix = "Error: ",
        RequiredAnswer = "Please answer this question.",
        EveryRow = "Please answer every row.",
        RatingRange = "Choose a whole number from {0} to {1}; “{2}” is not one.",
        NotAChoice = "“{0}” is not one of the choices.",
        MaxChoices = "Choose at most {0}.",
        MinChoices = "Choose at least {0}.",
        YesOrNo = "Choose yes or no.",
        NoRow = "“{0}” is not a row of this question.",
        TooLong = "Please use at most {0} characters (now {1}).",
        ControlCharacters = "The text contains control characters that cannot be stored.",
        Email = "Enter an e-mail address, such as name@example.com.",
        Number = "Enter a number.",
        Date = "Enter a date as yyyy-mm-dd.",
        Url = "Enter a full web address, starting with https://.",
        OneAnswer = "Give only one answer.",
        UnknownField = "“{0}” is not a question of this survey.",
        NotOnPage = "“{0}” is not asked on this page.",
        Choose = "Please choose…",
        Yes = "Yes",
        No = "No",
        ThankYou = "Thank you for your feedback!",
        AlreadyCompleted = "You already completed this survey. Thank you!",
        InvalidLinkTitle = "Link not valid",
        InvalidLink = "This survey link is not valid. Please check that you opened the whole link from your invitation.",
        ExpiredTitle = "Link expired",
        Expired = "This survey link has expired and takes no more answers.",
        ClosedTitle = "Survey closed",
        Closed = "This survey is closed and takes no more answers.",
        BadFormTitle = "Form not readable",
        BadForm = "The form could not be read. Please open the survey link again.",
        TooLarge = "The form is too large. Please shorten your answers.",
        CrossSite = "This form can only be sent from the survey page itself.",
    };

    public static PageTexts German { get; } = new()
    {
        Language = "de",
        Survey = "Umfrage",
        Next = "Weiter",
        Back = "Zurück",
        Submit = "Absenden",
        Required = "(Pflichtfrage)",
        PageOf = "Seite {0} von {1}",
        ErrorTitle = "Bitte prüfen Sie Ihre Antworten",
        ErrorPrefix = "Fehler: ",
        RequiredAnswer = "Bitte beantworten Sie diese Frage.",
        EveryRow = "Bitte beantworten Sie jede Zeile.",
        RatingRange = "Bitte wählen Sie eine ganze Zahl von {0} bis {1}; „{2}“ gehört nicht dazu.",
        NotAChoice = "„{0}“ ist keine der Antwortmöglichkeiten.",
        MaxChoices = "Bitte wählen Sie höchstens {0} aus.",
        MinChoices = "Bitte wählen Sie mindestens {0} aus.",
        YesOrNo = "Bitte wählen Sie Ja oder Nein.",
        NoRow = "„{0}“ ist keine Zeile dieser Frage.",
        TooLong = "Bitte höchstens {0} Zeichen (jetzt {1}).",
        ControlCharacters = "Der Text enthält Steuerzeichen, die nicht gespeichert werden können.",
        Email = "Bitte geben Sie eine E-Mail-Adresse ein, z. B. name@example.com.",
        Number = "Bitte geben Sie eine Zahl ein.",
        Date = "Bitte geben Sie ein Datum als JJJJ-MM-TT ein.",
        Url = "Bitte geben Sie eine vollständige Webadresse ein, beginnend mit https://.",
        OneAnswer = "Bitte geben Sie nur eine Antwort.",
        UnknownField = "„{0}“ ist keine Frage dieser Umfrage.",
        NotOnPage = "„{0}“ wird nicht auf dieser Seite gefragt.",
        Choose = "Bitte wählen…",
        Yes = "Ja",
        No = "Nein",
        ThankYou = "Vielen Dank für Ihr Feedback!",
        AlreadyCompleted = "Sie haben diese Umfrage bereits abgeschlossen. Vielen Dank!",
        InvalidLinkTitle = "Link ungültig",
        InvalidLink = "Dieser Umfrage-Link ist ungültig. Bitte prüfen Sie, ob Sie den vollständigen Link aus Ihrer Einladung geöffnet haben.",
        ExpiredTitle = "Link abgelaufen",
        Expired = "Dieser Umfrage-Link ist abgelaufen und nimmt keine Antworten mehr an.",
        ClosedTitle = "Umfrage beendet",
        Closed = "Diese Umfrage ist beendet und nimmt keine Antworten mehr an.",
        BadFormTitle = "Formular nicht lesbar",
        BadForm = "Das Formular konnte nicht gelesen werden. Bitte öffnen Sie den Umfrage-Link erneut.",
        TooLarge = "Das Formular ist zu groß. Bitte kürzen Sie Ihre Antworten.",
        CrossSite = "Dieses Formular kann nur von der Umfrageseite selbst abgeschickt werden.",
    };

    /// <summary>The languages this dictionary has, for pages that have no survey to take languages from.</summary>
    public static IReadOnlyList<string> Languages { get; } = ["en", "de"];

    public required string Language { get; init; }

    public required string Survey { get; init; }

    public required string Next { get; init; }

    public required string Back { get; init; }

    public required string Submit { get; init; }

    public required string Required { get; init; }

    public required string PageOf { get; init; }

    public required string ErrorTitle { get; init; }

    public required string ErrorPrefix { get; init; }

    public required string RequiredAnswer { get; init; }

    public required string EveryRow { get; init; }

    public required string RatingRange { get; init; }

    public required string NotAChoice { get; init; }

    public required string MaxChoices { get; init; }

    public required string MinChoices { get; init; }

    public required string YesOrNo { get; init; }

    public required string NoRow { get; init; }

    public required string TooLong { get; init; }

    public required string ControlCharacters { get; init; }

    public required string Email { get; init; }

    public required string Number { get; init; }

    public required string Date { get; init; }

    public required string Url { get; init; }

    public required string OneAnswer { get; init; }

    public required string UnknownField { get; init; }

    public required string NotOnPage { get; init; }

    public required string Choose { get; init; }

    public required string Yes { get; init; }

    public required string No { get; init; }

    public required string ThankYou { get; init; }

    public required string AlreadyCompleted { get; init; }

    public required string InvalidLinkTitle { get; init; }

    public required string InvalidLink { get; init; }

    public required string ExpiredTitle { get; init; }

    public required string Expired { get; init; }

    public required string ClosedTitle { get; init; }

    public required string Closed { get; init; }

    public required string BadFormTitle { get; init; }

    public required string BadForm { get; init; }

    public required string TooLarge { get; init; }

    public required string CrossSite { get; init; }

    /// <summary>The page's words in <paramref name="language"/> (its primary subtag), English when there are none.</summary>
    public static PageTexts For(string? language) =>
        language is not null && PageLanguage.Primary(language) == "de" ? German : English;

    public static string Format(string format, params object?[] values) =>
        string.Format(System.Globalization.CultureInfo.InvariantCulture, format, values);
}
