using System.Text.Json;
using System.Text.Json.Nodes;

namespace OpenCem.Feedback.Ideas;

/// <summary>Someone to tell that an idea shipped: its author or a voter, with what their profile says about contacting them.</summary>
public sealed record IdeaRecipient(long CustomerId, bool Erased, string? Address, string? Language, JsonObject Consent);

/// <summary>
/// The "your idea shipped" e-mail, pure: who may get it (not erased, an address known, no refusal of e-mail updates on
/// record) and its text in the customer's language (German or English).
/// </summary>
public static class ShippedIdeaMail
{
    private static readonly string[] ConsentKeys = ["ideas", "updates", "email", "emails", "mail"];

    public static string? SkipReason(IdeaRecipient recipient)
    {
        if (recipient.Erased)
        {
            return "the customer's data was erased on request";
        }

        if (string.IsNullOrWhiteSpace(recipient.Address))
        {
            return "no e-mail address known for the customer";
        }

        foreach (var (name, value) in recipient.Consent)
        {
            var bare = name.ToLowerInvariant().Replace("consent", "", StringComparison.Ordinal).Replace("optin", "", StringComparison.Ordinal)
                .Replace("opt_in", "", StringComparison.Ordinal).Trim('_', '-', ' ');
            if (ConsentKeys.Contains(bare) && value is JsonValue v && Refused(v))
            {
                return $"the customer refused e-mail updates (consent: {name})";
            }
        }

        return null;
    }

    public static (string Subject, string Body) Compose(string? language, string title, string? answer, string boardUrl)
    {
        var german = language is not null && language.StartsWith("de", StringComparison.OrdinalIgnoreCase);
        var subject = german ? $"Umgesetzt: {title}" : $"Shipped: {title}";
        var body = german
            ? $"Guten Tag,\n\ndie Idee „{title}“, die Sie unterstützt haben, ist umgesetzt.\n"
              + (answer is null ? "" : $"\nUnsere Antwort: {answer}\n") + $"\nDanke für Ihre Stimme! Alle Ideen: {boardUrl}\n"
            : $"Hello,\n\nthe idea \"{title}\" you supported has shipped.\n"
              + (answer is null ? "" : $"\nOur answer: {answer}\n") + $"\nThank you for your vote! All ideas: {boardUrl}\n";
        return (subject, body);
    }

    private static bool Refused(JsonValue value) => value.GetValueKind() switch
    {
        JsonValueKind.False => true,
        JsonValueKind.String => value.GetValue<string>().Trim().ToLowerInvariant() is "false" or "no" or "nein" or "0" or "opt-out" or "denied",
        _ => false,
    };
}
