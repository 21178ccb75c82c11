using System.Globalization;
using System.Text;
using MimeKit;
using MimeKit.Utils;

namespace OpenCem.Feedback.Distribution;

/// <summary>
/// One survey invitation (or reminder) to send by e-mail: who gets it, in which language, and the personal link to
/// the survey. <paramref name="InvitationId"/> travels in the <c>X-OpenCem-Invitation</c> header, so a bounce can be
/// traced back to its invitation.
/// </summary>
public sealed record InvitationMail(
    string To,
    string? ToName,
    string Language,
    string SurveyTitle,
    string CompanyName,
    Uri Link,
    bool IsReminder,
    long InvitationId);

/// <summary>
/// Turns an <see cref="InvitationMail"/> into a MIME message: a plain-text part and an HTML alternative with the same
/// words, in German for language <c>de</c> (also <c>de-AT</c>, <c>de-CH</c>) and in English otherwise. Pure: no I/O, so
/// the wording is tested without a server. The HTML is small and inline-styled (mail clients drop style sheets), has a
/// <c>lang</c> attribute and a link with real text, and carries no tracking pixel.
/// </summary>
public static class InvitationMailComposer
{
    public const string InvitationHeader = "X-OpenCem-Invitation";

    /// <summary>Builds the message from <paramref name="from"/> to the invitation's recipient.</summary>
    /// <exception cref="MimeKit.ParseException">The recipient address is malformed.</exception>
    /// <exception cref="ArgumentException">The link is not an absolute http or https address.</exception>
    public static MimeMessage Compose(InvitationMail mail, MailboxAddress from)
    {
        ArgumentNullException.ThrowIfNull(mail);
        ArgumentNullException.ThrowIfNull(from);
        if (!mail.Link.IsAbsoluteUri || (mail.Link.Scheme != Uri.UriSchemeHttps && mail.Link.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException($"The survey link must be an absolute http or https address: '{mail.Link}'.", nameof(mail));
        }

        var text = IsGerman(mail.Language) ? Wording.German : Wording.English;
        var company = OneLine(mail.CompanyName);
        var subject = string.Format(CultureInfo.InvariantCulture, mail.IsReminder ? text.ReminderSubject : text.Subject, company);

        var message = new MimeMessage();
        message.From.Add(from);
        message.To.Add(new MailboxAddress(OneLine(mail.ToName ?? ""), mail.To.Trim()));
        message.Subject = subject;
        message.MessageId = MimeUtils.GenerateMessageId(string.IsNullOrEmpty(from.Domain) ? "opencem.invalid" : from.Domain);
        message.Headers.Add(InvitationHeader, mail.InvitationId.ToString(CultureInfo.InvariantCulture));

        var plain = new TextPart("plain");
        plain.SetText(Encoding.UTF8, PlainText(mail, text, company));
        var html = new TextPart("html");
        html.SetText(Encoding.UTF8, Html(mail, text, company, subject));
        message.Body = new MultipartAlternative { plain, html };
        return message;
    }

    private static bool IsGerman(string language) =>
        language.Equals("de", StringComparison.OrdinalIgnoreCase)
        || language.StartsWith("de-", StringComparison.OrdinalIgnoreCase)
        || language.StartsWith("de_", StringComparison.OrdinalIgnoreCase);

    private static string PlainText(InvitationMail mail, Wording text, string company)
    {
        var link = mail.Link.AbsoluteUri;
        var builder = new StringBuilder();
        builder.Append(Greeting(mail, text)).Append("\r\n\r\n");
        if (mail.IsReminder)
        {
            builder.Append(text.ReminderNote).Append("\r\n\r\n");
        }

        builder.Append(Format(text.Invitation, company)).Append("\r\n\r\n");
        builder.Append(mail.SurveyTitle.Trim()).Append("\r\n");
        builder.Append(text.Button).Append(": ").Append(link).Append("\r\n\r\n");
        builder.Append(text.Thanks).Append("\r\n").Append(company).Append("\r\n\r\n");
        builder.Append("-- \r\n").Append(Format(text.Why, company)).Append("\r\n");
        return builder.ToString();
    }

    private static string Html(InvitationMail mail, Wording text, string company, string subject)
    {
        var link = Encode(mail.Link.AbsoluteUri);
        var builder = new StringBuilder();
        builder.Append("<!DOCTYPE html>\r\n");
        builder.Append("<html lang=\"").Append(text.Language).Append("\">\r\n<head>\r\n");
        builder.Append("<meta charset=\"utf-8\">\r\n");
        builder.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\r\n");
        builder.Append("<title>").Append(Encode(subject)).Append("</title>\r\n</head>\r\n");
        builder.Append("<body style=\"margin:0;padding:24px;background:#ffffff;color:#1f2937;")
            .Append("font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5\">\r\n");
        builder.Append("<p>").Append(Encode(Greeting(mail, text))).Append("</p>\r\n");
        if (mail.IsReminder)
        {
            builder.Append("<p>").Append(Encode(text.ReminderNote)).Append("</p>\r\n");
        }

        builder.Append("<p>").Append(Encode(Format(text.Invitation, company))).Append("</p>\r\n");
        builder.Append("<p style=\"font-size:18px;font-weight:bold\">").Append(Encode(mail.SurveyTitle.Trim())).Append("</p>\r\n");
        builder.Append("<p><a href=\"").Append(link).Append("\" style=\"display:inline-block;padding:12px 24px;")
            .Append("background:#1d4ed8;color:#ffffff;font-weight:bold;text-decoration:none;border-radius:4px\">")
            .Append(Encode(text.Button)).Append("</a></p>\r\n");
        builder.Append("<p style=\"font-size:14px;color:#4b5563\">").Append(Encode(text.Fallback)).Append("<br>\r\n")
            .Append("<a href=\"").Append(link).Append("\" style=\"color:#1d4ed8;word-break:break-all\">").Append(link)
            .Append("</a></p>\r\n");
        builder.Append("<p>").Append(Encode(text.Thanks)).Append("<br>\r\n").Append(Encode(company)).Append("</p>\r\n");
        builder.Append("<p style=\"font-size:13px;color:#4b5563\">").Append(Encode(Format(text.Why, company))).Append("</p>\r\n");
        builder.Append("</body>\r\n</html>\r\n");
        return builder.ToString();
    }

    /// <summary>
    /// Escapes the five characters that matter in HTML text and quoted attributes. Unlike WebUtility.HtmlEncode it
    /// leaves umlauts as they are (the part is UTF-8), so the German source stays readable.
    /// </summary>
    private static string Encode(string value)
    {
        var builder = new StringBuilder(value.Length + 16);
        foreach (var c in value)
        {
            _ = c switch
            {
                '&' => builder.Append("&amp;"),
                '<' => builder.Append("&lt;"),
                '>' => builder.Append("&gt;"),
                '"' => builder.Append("&quot;"),
                '\'' => builder.Append("&#39;"),
                _ => builder.Append(c),
            };
        }

        return builder.ToString();
    }

    private static string Greeting(InvitationMail mail, Wording text) =>
        string.IsNullOrWhiteSpace(mail.ToName) ? text.GreetingWithoutName : Format(text.Greeting, OneLine(mail.ToName));

    private static string Format(string template, string value) => string.Format(CultureInfo.InvariantCulture, template, value);

    /// <summary>Names go into headers and single lines: line breaks and other control characters become spaces.</summary>
    private static string OneLine(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var c in value.Trim())
        {
            builder.Append(char.IsControl(c) ? ' ' : c);
        }

        return builder.ToString();
    }

    private sealed record Wording(
        string Language,
        string Subject,
        string ReminderSubject,
        string Greeting,
        string GreetingWithoutName,
        string Invitation,
        string ReminderNote,
        string Button,
        string Fallback,
        string Thanks,
        string Why)
    {
        public static readonly Wording English = new(
            Language: "en",
            Subject: "How was your experience with {0}?",
            ReminderSubject: "Reminder: How was your experience with {0}?",
            Greeting: "Hello {0},",
            GreetingWithoutName: "Hello,",
            Invitation: "{0} would like to hear how your experience was. Please tell us in this short survey:",
            ReminderNote: "We recently invited you to this survey. If you have not found the time yet, your answer is still welcome.",
            Button: "Take the survey",
            Fallback: "If the button does not work, copy this address into your browser:",
            Thanks: "Thank you,",
            Why: "You are receiving this e-mail because {0} would like your feedback as a customer. The link is personal; please do not forward it.");

        public static readonly Wording German = new(
            Language: "de",
            Subject: "Wie war Ihre Erfahrung mit {0}?",
            ReminderSubject: "Erinnerung: Wie war Ihre Erfahrung mit {0}?",
            Greeting: "Guten Tag {0},",
            GreetingWithoutName: "Guten Tag,",
            Invitation: "{0} möchte gerne wissen, wie Ihre Erfahrung war. Bitte sagen Sie es uns in dieser kurzen Umfrage:",
            ReminderNote: "Wir haben Sie kürzlich zu dieser Umfrage eingeladen. Falls Sie noch keine Zeit dafür hatten, freuen wir uns weiterhin über Ihre Antwort.",
            Button: "Zur Umfrage",
            Fallback: "Falls die Schaltfläche nicht funktioniert, kopieren Sie diese Adresse in Ihren Browser:",
            Thanks: "Vielen Dank",
            Why: "Sie erhalten diese E-Mail, weil {0} Sie als Kundin oder Kunde um Ihre Meinung bittet. Der Link ist persönlich; bitte leiten Sie ihn nicht weiter.");
    }
}
