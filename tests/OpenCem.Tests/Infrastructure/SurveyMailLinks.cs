using System.Globalization;
using System.Text.RegularExpressions;
using OpenCem.Feedback.Distribution;

namespace OpenCem.Tests.Infrastructure;

/// <summary>
/// Reads what a received invitation mail points to, as a respondent's mail client would: the personal link
/// (<c>{PublicUrl}/s/{token}</c>) from the plain-text part, its token, and the invitation id from the
/// <c>X-OpenCem-Invitation</c> header. For end-to-end tests: open <see cref="LinkOf"/> with an HttpClient to reach
/// the respondent page, answer, and check the stored response's customer and interaction.
/// </summary>
public static partial class SurveyMailLinks
{
    /// <summary>The survey link in the mail; fails the test when there is none or the parts disagree.</summary>
    public static Uri LinkOf(ReceivedMail mail)
    {
        var text = mail.Message.TextBody ?? throw new InvalidOperationException("The mail has no plain-text part.");
        var match = SurveyLink().Match(text);
        if (!match.Success)
        {
            throw new InvalidOperationException($"The mail has no survey link:\n{text}");
        }

        var html = mail.Message.HtmlBody ?? "";
        if (!html.Contains($"href=\"{match.Value}\"", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The HTML part does not link to {match.Value}.");
        }

        return new Uri(match.Value);
    }

    /// <summary>The token of the link (its last path segment), for <c>SurveyLinks.ReadAsync</c> or <c>GET /s/{token}</c>.</summary>
    public static string TokenOf(ReceivedMail mail) => LinkOf(mail).Segments[^1];

    public static long InvitationIdOf(ReceivedMail mail) =>
        long.Parse(mail.Message.Headers[InvitationMailComposer.InvitationHeader] ?? throw new InvalidOperationException("No invitation header."), CultureInfo.InvariantCulture);

    /// <summary>The first mail sent to <paramref name="address"/>.</summary>
    public static ReceivedMail To(this IEnumerable<ReceivedMail> mails, string address) =>
        mails.First(m => m.Recipients.Contains(address, StringComparer.OrdinalIgnoreCase));

    [GeneratedRegex(@"https?://[^\s""<>]+/s/[A-Za-z0-9_-]+")]
    private static partial Regex SurveyLink();
}
