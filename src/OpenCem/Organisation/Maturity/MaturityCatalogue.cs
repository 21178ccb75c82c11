namespace OpenCem.Organisation.Maturity;

/// <summary>One of the ten core elements of the Customer Care Concept Index, in the order PRODUCT.md lists them.</summary>
public sealed record MaturityElement(string Key, int Order, string Name, string NameDe);

/// <summary>
/// A criterion an assessor rates 1–5, with what a 1, a 3 and a 5 look like (the anchors keep assessors on one scale).
/// Keys are stable (<c>element.criterion</c>): stored ratings refer to them.
/// </summary>
public sealed record MaturityCriterion(string Key, string Element, string Name, string NameDe, string Level1, string Level3, string Level5);

/// <summary>The elements and their criteria; <see cref="Default"/> is the one OpenCem ships.</summary>
public sealed class MaturityCatalogue
{
    private readonly Dictionary<string, MaturityCriterion> _criteria;
    private readonly Dictionary<string, MaturityElement> _elements;

    public MaturityCatalogue(IReadOnlyList<MaturityElement> elements, IReadOnlyList<MaturityCriterion> criteria)
    {
        Elements = [.. elements.OrderBy(e => e.Order)];
        Criteria = criteria;
        _elements = elements.ToDictionary(e => e.Key, StringComparer.Ordinal);
        _criteria = criteria.ToDictionary(c => c.Key, StringComparer.Ordinal);
        if (criteria.FirstOrDefault(c => !_elements.ContainsKey(c.Element)) is { } orphan)
        {
            throw new ArgumentException($"Criterion {orphan.Key} names an unknown element {orphan.Element}.", nameof(criteria));
        }
    }

    public static MaturityCatalogue Default { get; } = new(DefaultCriteria.Elements, DefaultCriteria.Criteria);

    public IReadOnlyList<MaturityElement> Elements { get; }

    public IReadOnlyList<MaturityCriterion> Criteria { get; }

    public MaturityCriterion? Criterion(string key) => _criteria.GetValueOrDefault(key);

    public MaturityElement? Element(string key) => _elements.GetValueOrDefault(key);

    public IEnumerable<MaturityCriterion> CriteriaOf(string element) => Criteria.Where(c => c.Element == element);
}
