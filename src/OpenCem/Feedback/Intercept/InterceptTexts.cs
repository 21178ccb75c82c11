using System.Net;
using System.Text.RegularExpressions;
using OpenCem.Feedback.Surveys;

namespace OpenCem.Feedback.Intercept;

/// <summary>The intercept's own words: its buttons, the thank-you, a missing answer, a failed submission.</summary>
public sealed partial record InterceptTexts(string Submit, string Close, string Thanks, string Required, string Error)
{
    private static readonly Dictionary<string, InterceptTexts> BuiltIn = new(StringComparer.OrdinalIgnoreCase)
    {
        ["en"] = new("Submit", "Close", "Thank you for your feedback!", "Please choose an answer.", "Sorry, your answer could not be sent. Please try again."),
        ["de"] = new("Senden", "Schließen", "Vielen Dank für Ihr Feedback!", "Bitte wählen Sie eine Antwort.",
            "Ihre Antwort konnte leider nicht gesendet werden. Bitte versuchen Sie es noch einmal."),
        ["fr"] = new("Envoyer", "Fermer", "Merci pour votre avis !", "Veuillez choisir une réponse.",
            "Désolé, votre réponse n'a pas pu être envoyée. Veuillez réessayer."),
        ["es"] = new("Enviar", "Cerrar", "¡Gracias por su opinión!", "Elija una respuesta, por favor.",
            "Lo sentimos, no se pudo enviar su respuesta. Inténtelo de nuevo."),
        ["it"] = new("Invia", "Chiudi", "Grazie per il suo feedback!", "Scelga una risposta, per favore.",
            "Spiacenti, non è stato possibile inviare la risposta. Riprovi."),
        ["nl"] = new("Versturen", "Sluiten", "Bedankt voor uw feedback!", "Kies een antwoord.",
            "Uw antwoord kon niet worden verstuurd. Probeer het opnieuw."),
    };

    /// <summary>
    /// The texts in <paramref name="language"/> (English when OpenCem has no translation); the survey's own
    /// <c>completeText</c> and <c>completedHtml</c> (as plain text) replace the submit button and the thank-you.
    /// </summary>
    public static InterceptTexts For(SurveyDefinition definition, string language)
    {
        var texts = BuiltIn.GetValueOrDefault(language) ?? BuiltIn["en"];
        var submit = definition.CompleteText.IsEmpty ? texts.Submit : definition.CompleteText.In(language);
        var thanks = definition.CompletedHtml.IsEmpty ? "" : PlainText(definition.CompletedHtml.In(language));
        return texts with { Submit = submit, Thanks = thanks.Length > 0 ? thanks : texts.Thanks };
    }

    /// <summary>HTML as the text a reader sees: tags dropped, entities decoded, white space collapsed.</summary>
    public static string PlainText(string html) => WhiteSpace().Replace(WebUtility.HtmlDecode(Tag().Replace(html, " ")), " ").Trim();

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tag();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();
}
