using OpenCem.Customers;

namespace OpenCem.Dashboard.Customers;

/// <summary>Which kind of personal data a trait or identifier holds, judged by its name.</summary>
public enum PersonalField
{
    None,
    Name,
    Email,
    Phone,

    /// <summary>Postal address, birth date and the like: hidden whole.</summary>
    Private,

    /// <summary>A number or id the company gave (customer number, account id): not personal unless it is an e-mail address.</summary>
    Code,
}

/// <summary>
/// Masks a customer's traits and identifiers for users without the personal-data permission: names keep their initial,
/// e-mails their domain, phones their last two digits, addresses and birth dates are hidden, and any other text has the
/// e-mails and phone numbers written inside it masked. Pure.
/// </summary>
public static class CustomerMasking
{
    public static PersonalField Kind(string name)
    {
        var n = name.ToLowerInvariant();
        return n switch
        {
            _ when n.Contains("mail", StringComparison.Ordinal) => PersonalField.Email,
            _ when n.Contains("phone", StringComparison.Ordinal) || n.Contains("mobile", StringComparison.Ordinal) || n is "tel" or "telephone" or "fax" => PersonalField.Phone,
            _ when n.Contains("address", StringComparison.Ordinal) || n.Contains("street", StringComparison.Ordinal) || n.Contains("birth", StringComparison.Ordinal)
                || n is "zip" or "postcode" or "postalcode" or "iban" => PersonalField.Private,
            _ when n == "name" || (n.EndsWith("name", StringComparison.Ordinal) && n != "username") => PersonalField.Name,
            _ when n.EndsWith("number", StringComparison.Ordinal) || n.EndsWith("id", StringComparison.Ordinal) || n.EndsWith("key", StringComparison.Ordinal) => PersonalField.Code,
            _ => PersonalField.None,
        };
    }

    /// <summary>A trait's or identifier's value as this user may see it.</summary>
    public static string Value(CurrentUser user, string name, string? value, bool behindTeamCase)
    {
        if (user.SeesPersonalData(behindTeamCase))
        {
            return value ?? "";
        }

        return Kind(name) switch
        {
            PersonalField.Name => PersonalDataMask.Name(value),
            PersonalField.Email => PersonalDataMask.Email(value),
            PersonalField.Phone => PersonalDataMask.Phone(value),
            PersonalField.Private => string.IsNullOrEmpty(value) ? "" : PersonalDataMask.Masked,
            PersonalField.Code => value is not null && value.Contains('@', StringComparison.Ordinal) ? PersonalDataMask.Email(value) : value ?? "",
            _ => PersonalDataMask.Text(value),
        };
    }

    /// <summary>An identifier as shown: e-mail and phone identifiers masked like the traits of the same kind.</summary>
    public static string Identifier(CurrentUser user, string type, string value, bool behindTeamCase) => type switch
    {
        IdentifierKinds.Email => Value(user, "email", value, behindTeamCase),
        IdentifierKinds.Phone => Value(user, "phone", value, behindTeamCase),
        _ => Value(user, type, value, behindTeamCase),
    };
}
