namespace OpenCem.Feedback.Ideas.Board;

/// <summary>The board's words in English and German.</summary>
public sealed record BoardTexts(
    string Language, string Board, string Intro, string SignedIn, string Anonymous, string NewIdea, string Title, string Body, string Post,
    string Votes, string Vote, string Unvote, string Status, string AllStatuses, string Sort, string ByVotes, string ByNew, string Show,
    string Answer, string Comments, string NoComments, string Comment, string AddComment, string NoIdeas, string Held, string Posted,
    string ErrorSummary, string Required, string TooLong, string TooShort, string BackToBoard, string NotFound, string NotFoundText,
    string BadForm, string BadFormText, string TooMany, string TooManyText, string SignInNeeded, string LinkInvalid, string LinkInvalidText,
    string Staff, string Customer, string OtherLanguage, string OtherLanguageName, string Filters, string IdeasList)
{
    public static readonly BoardTexts English = new(
        "en", "Customer ideas", "Suggest what we should improve and vote for the ideas you want most. Our team answers every idea.",
        "You are signed in with your personal link: you can post, vote and comment.",
        "Anyone can read the ideas. To post, vote or comment, open the personal link we sent you.",
        "Post an idea", "Title", "Describe your idea", "Post idea", "votes", "Vote", "Remove my vote", "Status", "All", "Order", "Most votes", "Newest", "Show",
        "Our answer", "Comments", "No comments yet.", "Your comment", "Add comment", "No ideas here yet.",
        "Thank you! Your post will appear once our team has reviewed it.", "Thank you! Your idea is on the board.",
        "There is a problem", "Please fill in this field.", "This is too long.", "Please write at least 3 characters.", "Back to all ideas",
        "Not found", "This idea does not exist or is not public.", "The form could not be sent", "Please reload the page and try again.",
        "Too many requests", "Please wait a moment before you try again.", "Please open your personal link to do this.",
        "This link does not work", "The link is invalid or has expired. Ask us for a new one.", "Team", "Customer", "Deutsch", "de", "Filter ideas", "Ideas");

    public static readonly BoardTexts German = new(
        "de", "Ideen unserer Kunden", "Schlagen Sie vor, was wir verbessern sollen, und stimmen Sie für die Ideen, die Ihnen am wichtigsten sind. Unser Team beantwortet jede Idee.",
        "Sie sind mit Ihrem persönlichen Link angemeldet: Sie können Ideen einreichen, abstimmen und kommentieren.",
        "Alle können die Ideen lesen. Um Ideen einzureichen, abzustimmen oder zu kommentieren, öffnen Sie den persönlichen Link, den wir Ihnen geschickt haben.",
        "Idee einreichen", "Titel", "Beschreiben Sie Ihre Idee", "Idee einreichen", "Stimmen", "Dafür stimmen", "Stimme zurückziehen", "Status", "Alle", "Reihenfolge",
        "Meiste Stimmen", "Neueste", "Anzeigen", "Unsere Antwort", "Kommentare", "Noch keine Kommentare.", "Ihr Kommentar", "Kommentieren", "Hier gibt es noch keine Ideen.",
        "Danke! Ihr Beitrag erscheint, sobald unser Team ihn geprüft hat.", "Danke! Ihre Idee ist jetzt sichtbar.",
        "Es gibt ein Problem", "Bitte füllen Sie dieses Feld aus.", "Der Text ist zu lang.", "Bitte schreiben Sie mindestens 3 Zeichen.", "Zurück zu allen Ideen",
        "Nicht gefunden", "Diese Idee gibt es nicht oder sie ist nicht öffentlich.", "Das Formular konnte nicht gesendet werden",
        "Bitte laden Sie die Seite neu und versuchen Sie es noch einmal.", "Zu viele Anfragen", "Bitte warten Sie einen Moment, bevor Sie es erneut versuchen.",
        "Bitte öffnen Sie dafür Ihren persönlichen Link.", "Dieser Link funktioniert nicht",
        "Der Link ist ungültig oder abgelaufen. Fragen Sie uns nach einem neuen.", "Team", "Kunde", "English", "en", "Ideen filtern", "Ideen");

    public static readonly IReadOnlyList<string> Languages = ["en", "de"];

    public static BoardTexts For(string language) => language == "de" ? German : English;

    /// <summary>"vote" or "votes" after a count (German: "Stimme", "Stimmen").</summary>
    public string VotesAfter(long count) => count == 1 ? (Language == "de" ? "Stimme" : "vote") : Votes;

    public string StatusName(string status) => (status, Language) switch
    {
        (IdeaStatus.UnderReview, "de") => "In Prüfung",
        (IdeaStatus.Planned, "de") => "Geplant",
        (IdeaStatus.Done, "de") => "Umgesetzt",
        (IdeaStatus.Declined, "de") => "Abgelehnt",
        (IdeaStatus.UnderReview, _) => "Under review",
        (IdeaStatus.Planned, _) => "Planned",
        (IdeaStatus.Done, _) => "Done",
        (IdeaStatus.Declined, _) => "Declined",
        _ => status,
    };
}
