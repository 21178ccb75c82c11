using PhoneNumbers;

namespace OpenCem.Customers;

/// <summary>
/// Brings identifier values to one spelling before matching: e-mail lower-cased with provider rules for
/// <c>+tags</c> and dots, phone numbers to E.164 (libphonenumber, default region from the settings), customer
/// numbers trimmed. Custom types pick a normaliser by name. Thread-safe once built.
/// </summary>
public sealed class IdentifierNormaliser
{
    public const string Email = "email";
    public const string Phone = "phone";
    public const string Trim = "trim";
    public const string Lowercase = "lowercase";
    public const string Digits = "digits";
    public const string Exact = "exact";

    public static readonly IReadOnlySet<string> Known = new HashSet<string> { Email, Phone, Trim, Lowercase, Digits, Exact };

    private const int MaxLength = 200;
    private static readonly PhoneNumberUtil Phones = PhoneNumberUtil.GetInstance();

    private readonly IdentitySettings _settings;
    private readonly Dictionary<string, string> _normaliserByType;
    private readonly HashSet<string> _plusTagDomains;
    private readonly HashSet<string> _ignoreDotsDomains;
    private readonly string _region;

    public IdentifierNormaliser(IdentitySettings settings)
    {
        _settings = settings;
        _normaliserByType = settings.IdentifierTypes.ToDictionary(t => t.Type, t => t.Normaliser);
        _plusTagDomains = new HashSet<string>(settings.Email.PlusTagDomains, StringComparer.OrdinalIgnoreCase);
        _ignoreDotsDomains = new HashSet<string>(settings.Email.IgnoreDotsDomains, StringComparer.OrdinalIgnoreCase);
        _region = settings.DefaultRegion.ToUpperInvariant();
    }

    /// <summary>The normalised value, or null with the reason it is malformed.</summary>
    public (string? Value, string? Error) Normalise(string type, string raw)
    {
        var normaliser = _normaliserByType.GetValueOrDefault(type, Trim);
        var trimmed = raw.Trim();
        if (trimmed.Length == 0)
        {
            return (null, null);
        }

        if (trimmed.Length > MaxLength)
        {
            return (null, $"{type} is longer than {MaxLength} characters");
        }

        if (raw.Any(char.IsControl))
        {
            return (null, $"{type} contains a control character");
        }

        return normaliser switch
        {
            Email => NormaliseEmail(trimmed),
            Phone => NormalisePhone(trimmed),
            Lowercase => (trimmed.ToLowerInvariant(), null),
            Digits => DigitsOnly(type, trimmed),
            Exact => (raw, null),
            _ => (trimmed, null),
        };
    }

    private (string?, string?) NormaliseEmail(string value)
    {
        var at = value.LastIndexOf('@');
        if (at <= 0 || at == value.Length - 1 || value.IndexOf('@') != at || value.Any(char.IsWhiteSpace))
        {
            return (null, $"'{value}' is not an e-mail address");
        }

        var local = value[..at].ToLowerInvariant();
        var domain = value[(at + 1)..].ToLowerInvariant().TrimEnd('.');
        if (!domain.Contains('.') || domain.StartsWith('.') || domain.Contains(".."))
        {
            return (null, $"'{value}' has no valid domain");
        }

        if (_plusTagDomains.Contains(domain) && local.IndexOf('+') is > 0 and var plus)
        {
            local = local[..plus];
        }

        if (_ignoreDotsDomains.Contains(domain))
        {
            local = local.Replace(".", "", StringComparison.Ordinal);
        }

        domain = _settings.Email.DomainAliases.GetValueOrDefault(domain, domain);
        return ($"{local}@{domain}", null);
    }

    private (string?, string?) NormalisePhone(string value)
    {
        try
        {
            var number = Phones.Parse(value, _region);
            // A number possible only locally (too short to dial from elsewhere) cannot identify a person.
            if (Phones.IsPossibleNumberWithReason(number) != PhoneNumberUtil.ValidationResult.IS_POSSIBLE)
            {
                return (null, $"'{value}' is not a possible phone number");
            }

            return (Phones.Format(number, PhoneNumberFormat.E164), null);
        }
        catch (NumberParseException)
        {
            return (null, $"'{value}' is not a phone number");
        }
    }

    private static (string?, string?) DigitsOnly(string type, string value)
    {
        var digits = new string(value.Where(char.IsAsciiDigit).ToArray());
        return digits.Length == 0 ? (null, $"{type} '{value}' has no digits") : (digits, null);
    }
}
