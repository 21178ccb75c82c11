using OpenCem.Customers;

namespace OpenCem.Value.Transactions;

/// <summary>Turns the customer column of a file into whom a purchase belongs to, by the identifier type the user named.</summary>
public static class TransactionIdentities
{
    /// <summary>The identifier type meaning "the column holds OpenCem profile ids".</summary>
    public const string ProfileId = "customerId";

    public static IEnumerable<TransactionItem> Items(IEnumerable<TransactionLine> lines, string type, IdentitySettings settings, List<TransactionRejection> rejections)
    {
        var normaliser = new IdentifierNormaliser(settings);
        foreach (var line in lines)
        {
            if (type == ProfileId)
            {
                if (long.TryParse(line.Customer, out var id) && id > 0)
                {
                    yield return new TransactionItem(line.Line, id, [], line.OccurredAt, line.Amount, line.Key);
                }
                else
                {
                    rejections.Add(new TransactionRejection(line.Line, $"the customer '{line.Customer}' is not a profile id (a positive whole number)."));
                }

                continue;
            }

            var (value, error) = normaliser.Normalise(type, line.Customer);
            if (value is null)
            {
                rejections.Add(new TransactionRejection(line.Line, $"the customer '{line.Customer}' is not a valid {type}: {error ?? "cannot be normalised"}."));
                continue;
            }

            yield return new TransactionItem(line.Line, null, [new Identifier(type, value)], line.OccurredAt, line.Amount, line.Key);
        }
    }

    /// <summary>Whether <paramref name="type"/> is a profile id or an identifier type of the workspace.</summary>
    public static bool IsKnownType(string type, IdentitySettings settings) =>
        type == ProfileId || settings.IdentifierTypes.Any(t => t.Type == type);
}
