using System.Text.RegularExpressions;

namespace OpenCem.Dashboard;

/// <summary>
/// Masks personal data for users without the personal-data permission: whole names, e-mails and phone numbers, and
/// e-mail addresses and phone numbers written inside free text (comments, notes). Pure.
/// </summary>
public static partial class PersonalDataMask
{
    public const string Masked = "•••";

    /// <summary>A name: the initial stays, so lists remain tellable apart ("Ana Schmidt" → "A•••").</summary>
    public static string Name(string? name) =>
        string.IsNullOrWhiteSpace(name) ? "" : name.Trim()[0] + Masked;

    /// <summary>An e-mail: the domain stays ("ana@example.com" → "•••@example.com").</summary>
    public static string Email(string? email)
    {
        if (string.IsNullOrEmpty(email))
        {
            return "";
        }

        var at = email.LastIndexOf('@');
        return at < 0 ? Masked : Masked + email[at..];
    }

    /// <summary>A phone number: the last two digits stay.</summary>
    public static string Phone(string? phone)
    {
        var digits = new string((phone ?? "").Where(char.IsDigit).ToArray());
        return digits.Length < 4 ? Masked : Masked + digits[^2..];
    }

    /// <summary>Free text with every e-mail address and phone number in it masked.</summary>
    public static string Text(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var masked = EmailPattern().Replace(text, m => Email(m.Value));
        return PhonePattern().Replace(masked, m => m.Value.Count(char.IsDigit) >= 7 ? Phone(m.Value) : m.Value);
    }

    [GeneratedRegex(@"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex EmailPattern();

    // A run of digits with the separators people write (+49 (0)30 1234-567, 0151 2345678): 7+ digits counts as a phone.
    [GeneratedRegex(@"\+?\d[\d\s\-/().]{5,}\d", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex PhonePattern();
}
