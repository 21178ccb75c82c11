namespace OpenCem.Customers;

/// <summary>An identifier of a customer as the tracking protocol knows it.</summary>
public readonly record struct CustomerIdentifier(string Kind, string Value)
{
    public const string UserId = "userId";
    public const string AnonymousId = "anonymousId";
}

/// <summary>
/// Decides, for a sequence of calls, which customer profile each belongs to: one profile per userId, or per
/// anonymousId until the visitor is identified, when the userId joins the anonymous profile. Profiles that
/// do not exist yet get placeholder ids (−1, −2, ...) for the caller to create. Pure: the caller supplies the
/// identifiers already known.
/// </summary>
public sealed class IdentityResolution
{
    private readonly Dictionary<CustomerIdentifier, long> _known;
    private readonly List<(CustomerIdentifier Identifier, long CustomerId)> _newLinks = [];
    private int _newCustomers;

    public IdentityResolution(IReadOnlyDictionary<CustomerIdentifier, long> known)
    {
        _known = new Dictionary<CustomerIdentifier, long>(known);
    }

    /// <summary>How many new profiles the resolved calls need (placeholders −1 ... −N).</summary>
    public int NewCustomerCount => _newCustomers;

    /// <summary>Identifiers to link, in order; customer ids may be placeholders.</summary>
    public IReadOnlyList<(CustomerIdentifier Identifier, long CustomerId)> NewLinks => _newLinks;

    /// <summary>Resolves one call with its userId and the identifier it came with before (anonymousId or alias previousId).</summary>
    public long Resolve(string? userId, CustomerIdentifier? earlier)
    {
        CustomerIdentifier? user = userId is null ? null : new CustomerIdentifier(CustomerIdentifier.UserId, userId);
        long? byUser = user is { } u && _known.TryGetValue(u, out var id1) ? id1 : null;
        long? byEarlier = earlier is { } e && _known.TryGetValue(e, out var id2) ? id2 : null;

        long customerId;
        if (byUser is { } fromUser)
        {
            customerId = fromUser;
        }
        else if (byEarlier is { } fromEarlier)
        {
            customerId = fromEarlier;
        }
        else
        {
            customerId = -(++_newCustomers);
        }

        Link(user, customerId);
        Link(earlier, customerId);
        return customerId;
    }

    private void Link(CustomerIdentifier? identifier, long customerId)
    {
        if (identifier is { } i && _known.TryAdd(i, customerId))
        {
            _newLinks.Add((i, customerId));
        }
    }
}
