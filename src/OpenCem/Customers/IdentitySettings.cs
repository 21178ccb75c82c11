using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenCem.Customers;

/// <summary>How strictly an identifier type must be unique to one person.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<UniqueScope>))]
public enum UniqueScope
{
    /// <summary>Anyone may share it (a household phone).</summary>
    None,

    /// <summary>Two different values from the same source block a merge (a CRM's customer number).</summary>
    Source,

    /// <summary>Two different values from any sources block a merge.</summary>
    Global,
}

/// <summary>One identifier type: how its values are normalised, whether it links records, whether it is unique.</summary>
public sealed record IdentifierTypeRule
{
    public required string Type { get; init; }

    /// <summary>email, phone, trim, lowercase, digits or exact; see <see cref="IdentifierNormaliser"/>.</summary>
    public string Normaliser { get; init; } = IdentifierNormaliser.Trim;

    /// <summary>Whether equal values link records into one profile.</summary>
    public bool Match { get; init; } = true;

    public UniqueScope Unique { get; init; } = UniqueScope.None;
}

/// <summary>Which e-mail spellings reach the same mailbox, per provider.</summary>
public sealed record EmailRules
{
    /// <summary>Domains where <c>name+tag@</c> is delivered to <c>name@</c>.</summary>
    public IReadOnlyList<string> PlusTagDomains { get; init; } =
        ["gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "icloud.com", "me.com", "fastmail.com", "proton.me", "protonmail.com", "gmx.de", "web.de"];

    /// <summary>Domains that ignore dots in the local part.</summary>
    public IReadOnlyList<string> IgnoreDotsDomains { get; init; } = ["gmail.com", "googlemail.com"];

    /// <summary>Domains that are another name of the same provider.</summary>
    public IReadOnlyDictionary<string, string> DomainAliases { get; init; } = new Dictionary<string, string> { ["googlemail.com"] = "gmail.com" };
}

/// <summary>How one trait's surviving value is chosen among a profile's records.</summary>
public sealed record TraitRule
{
    public required string Trait { get; init; }

    /// <summary>sourcePriority (the default: best source, then most recent) or mostRecent.</summary>
    public string Rule { get; init; } = Survivorship.SourcePriority;

    /// <summary>A source order for this trait only; the workspace order when empty.</summary>
    public IReadOnlyList<string> Sources { get; init; } = [];
}

/// <summary>The events, traits and periods that derive a customer's life-cycle stage.</summary>
public sealed record LifecycleRules
{
    public IReadOnlyList<string> PurchaseEvents { get; init; } =
        ["Order Completed", "Shop Contract Signed", "Contract Renewed", "Shop Renewal Signed", "Win-back Offer Accepted", "Contract Signed", "Subscription Started"];

    public IReadOnlyList<string> CancellationEvents { get; init; } = ["Contract Cancelled", "Subscription Cancelled"];

    /// <summary>Whether any interaction with revenue (a bill, an order) counts as a purchase too.</summary>
    public bool RevenueCountsAsPurchase { get; init; } = true;

    /// <summary>A trait holding when the customer first bought, for customers whose history predates the data.</summary>
    public string? CustomerSinceTrait { get; init; } = "customerSince";

    /// <summary>A customer is new this many days after the first purchase.</summary>
    public int NewForDays { get; init; } = 90;

    /// <summary>No interaction for this many days makes an active customer at risk.</summary>
    public int AtRiskAfterDays { get; init; } = 90;

    /// <summary>No interaction for this many days makes a customer former, as does a cancellation.</summary>
    public int FormerAfterDays { get; init; } = 365;

    /// <summary>A returning customer is won back for this many days after the purchase that brought them back.</summary>
    public int WonBackForDays { get; init; } = 180;
}

/// <summary>
/// The identity-resolution rules of a workspace, stored as JSON in its settings. Changing them takes effect for
/// new records at once and for existing ones after <c>opencem identity rebuild</c>.
/// </summary>
public sealed record IdentitySettings
{
    public const string SettingName = "identity";

    /// <summary>The region assumed for phone numbers written without a country code (ISO 3166 alpha-2).</summary>
    public string DefaultRegion { get; init; } = "DE";

    /// <summary>An identifier carried by more records than this is shared (a shop's counter e-mail) and never merges.</summary>
    public int MaxRecordsPerIdentifier { get; init; } = 10;

    /// <summary>Identifier types in the order they are matched: stronger identifiers first.</summary>
    public IReadOnlyList<IdentifierTypeRule> IdentifierTypes { get; init; } =
    [
        new() { Type = IdentifierKinds.CustomerNumber, Normaliser = IdentifierNormaliser.Trim, Unique = UniqueScope.Source },
        new() { Type = IdentifierKinds.UserId, Normaliser = IdentifierNormaliser.Exact },
        new() { Type = IdentifierKinds.Email, Normaliser = IdentifierNormaliser.Email },
        new() { Type = IdentifierKinds.Phone, Normaliser = IdentifierNormaliser.Phone },
        new() { Type = IdentifierKinds.AnonymousId, Normaliser = IdentifierNormaliser.Exact },
    ];

    public EmailRules Email { get; init; } = new();

    /// <summary>Sources in order of trust, most trusted first; unlisted sources come after, tracking last.</summary>
    public IReadOnlyList<string> SourcePriority { get; init; } = [];

    public IReadOnlyList<TraitRule> Traits { get; init; } = [];

    public LifecycleRules Lifecycle { get; init; } = new();

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = false };

    public IdentifierTypeRule? RuleFor(string type)
    {
        foreach (var rule in IdentifierTypes)
        {
            if (rule.Type == type)
            {
                return rule;
            }
        }

        return null;
    }

    /// <summary>The problems that make these settings unusable, by field; empty when valid.</summary>
    public Dictionary<string, string> Validate()
    {
        var errors = new Dictionary<string, string>();
        if (MaxRecordsPerIdentifier < 2)
        {
            errors["maxRecordsPerIdentifier"] = "must be at least 2";
        }

        if (DefaultRegion.Length != 2 || !PhoneNumbers.PhoneNumberUtil.GetInstance().GetSupportedRegions().Contains(DefaultRegion.ToUpperInvariant()))
        {
            errors["defaultRegion"] = $"'{DefaultRegion}' is not a supported ISO 3166 region code";
        }

        var seen = new HashSet<string>();
        for (var i = 0; i < IdentifierTypes.Count; i++)
        {
            var rule = IdentifierTypes[i];
            if (!IdentifierKinds.IsValidName(rule.Type))
            {
                errors[$"identifierTypes[{i}].type"] = "must be letters, digits, '_' or '-', up to 40 characters";
            }
            else if (!seen.Add(rule.Type))
            {
                errors[$"identifierTypes[{i}].type"] = $"'{rule.Type}' is listed twice";
            }

            if (!IdentifierNormaliser.Known.Contains(rule.Normaliser))
            {
                errors[$"identifierTypes[{i}].normaliser"] = $"must be one of {string.Join(", ", IdentifierNormaliser.Known)}";
            }
        }

        for (var i = 0; i < Traits.Count; i++)
        {
            if (Traits[i].Rule is not (Survivorship.SourcePriority or Survivorship.MostRecent))
            {
                errors[$"traits[{i}].rule"] = $"must be {Survivorship.SourcePriority} or {Survivorship.MostRecent}";
            }
        }

        if (Lifecycle.NewForDays < 1 || Lifecycle.AtRiskAfterDays < 1 || Lifecycle.FormerAfterDays <= Lifecycle.AtRiskAfterDays)
        {
            errors["lifecycle"] = "periods must be positive and formerAfterDays greater than atRiskAfterDays";
        }

        return errors;
    }
}
