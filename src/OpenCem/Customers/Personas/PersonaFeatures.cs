namespace OpenCem.Customers.Personas;

/// <summary>
/// One clustering feature: its name, whether it describes behaviour or attitude, its weight after standardising, and
/// whether it is standardised on a log scale (counts and money are skewed: a few very active or valuable customers
/// would otherwise stretch the scale for everyone).
/// </summary>
/// <param name="Mix">Part of the channel mix: the mix's shares share one pooled standard deviation, since scaling a rare
/// channel's share by its own tiny spread would make one chat among a handful of calls look extreme.</param>
public sealed record PersonaFeature(string Name, bool Attitude, double Weight, bool Log = false, bool Mix = false);

/// <summary>
/// The features personas are clustered on. Behaviour: the shares of the customer's own contacts by channel (the
/// company's bills and letters left out), how often they are in touch, how many touchpoints they use, their value and
/// tenure. Attitude: mean NPS and CSAT, the share of their comments that are negative, and the share of comments on
/// the workspace's most talked-about themes. Attitude is known for few customers (most never answer) and is noisy, so
/// it weighs half after standardising; a missing value is the population mean (z = 0).
/// </summary>
public static class PersonaFeatures
{
    public const string AppShare = "appShare";
    public const string WebShare = "webShare";
    public const string PhoneShare = "phoneShare";
    public const string ChatShare = "chatShare";
    public const string ShopShare = "shopShare";
    public const string ContactsPerMonth = "contactsPerMonth";
    public const string Touchpoints = "touchpoints";
    public const string Value = "value";
    public const string TenureYears = "tenureYears";
    public const string Nps = "nps";
    public const string Csat = "csat";
    public const string NegativeShare = "negativeShare";
    public const string ThemePrefix = "theme.";

    /// <summary>How many of the workspace's most mentioned themes become features.</summary>
    public const int ThemeFeatures = 4;

    public const double AttitudeWeight = 0.5;

    /// <summary>The channels whose contacts count as the customer's own doing, in feature order.</summary>
    public static readonly IReadOnlyList<string> OwnChannels = ["app", "web", "phone", "chat", "shop"];

    /// <summary>The index of the first attitude feature; channel shares come first, in <see cref="OwnChannels"/> order.</summary>
    public const int FirstAttitude = 9;

    public static IReadOnlyList<PersonaFeature> For(IReadOnlyList<string> themes)
    {
        var list = new List<PersonaFeature>
        {
            new(AppShare, false, 1, Mix: true), new(WebShare, false, 1, Mix: true), new(PhoneShare, false, 1, Mix: true),
            new(ChatShare, false, 1, Mix: true), new(ShopShare, false, 1, Mix: true),
            new(ContactsPerMonth, false, 1, Log: true), new(Touchpoints, false, 1), new(Value, false, 1, Log: true), new(TenureYears, false, 1),
            new(Nps, true, AttitudeWeight), new(Csat, true, AttitudeWeight), new(NegativeShare, true, AttitudeWeight),
        };
        list.AddRange(themes.Select(t => new PersonaFeature(ThemePrefix + t, true, AttitudeWeight)));
        return list;
    }
}

/// <summary>
/// The feature table of one run, flat for a million customers: a row of <see cref="Width"/> values per customer (ids
/// ascending), NaN where a value is unknown, plus the counts the profiles need that are not features themselves.
/// </summary>
public sealed class PersonaFeatureTable
{
    public PersonaFeatureTable(IReadOnlyList<PersonaFeature> features, long[] customers)
    {
        Features = features;
        Customers = customers;
        Values = new float[customers.Length * features.Count];
        Array.Fill(Values, float.NaN);
        CustomerValue = new float[customers.Length];
        Comments = new int[customers.Length];
        ChannelContacts = new int[customers.Length * PersonaFeatures.OwnChannels.Count];
    }

    public IReadOnlyList<PersonaFeature> Features { get; }

    public int Width => Features.Count;

    public long[] Customers { get; }

    /// <summary>Row-major raw feature values (NaN: unknown).</summary>
    public float[] Values { get; }

    /// <summary>Per customer, the value (a year of the fee, else the CLV) used for value shares; 0 when unknown.</summary>
    public float[] CustomerValue { get; }

    /// <summary>Per customer, how many analysed comments they wrote.</summary>
    public int[] Comments { get; }

    /// <summary>Row-major, per customer their own contacts per channel of <see cref="PersonaFeatures.OwnChannels"/>.</summary>
    public int[] ChannelContacts { get; }

    public int Count => Customers.Length;

    public float this[int row, int feature]
    {
        get => Values[(row * Width) + feature];
        set => Values[(row * Width) + feature] = value;
    }

    /// <summary>The row of a customer id, or -1.</summary>
    public int RowOf(long customerId) => Array.BinarySearch(Customers, customerId) is var i and >= 0 ? i : -1;
}
