namespace OpenCem.Customers;

/// <summary>The identifier types OpenCem knows by name; any other name is a custom type.</summary>
public static class IdentifierKinds
{
    public const string Email = "email";
    public const string Phone = "phone";
    public const string CustomerNumber = "customerNumber";
    public const string UserId = "userId";
    public const string AnonymousId = "anonymousId";

    /// <summary>The source that identify and alias calls of the tracking API write their records to.</summary>
    public const string TrackingSource = "tracking";

    /// <summary>The well-known type names as shared strings, so a million decoded identifiers do not each carry a copy.</summary>
    public static string Intern(ReadOnlySpan<char> type) => type switch
    {
        Email => Email,
        Phone => Phone,
        CustomerNumber => CustomerNumber,
        UserId => UserId,
        AnonymousId => AnonymousId,
        _ => type.ToString(),
    };

    public static bool IsValidName(string name) =>
        name.Length is > 0 and <= 40 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');
}
