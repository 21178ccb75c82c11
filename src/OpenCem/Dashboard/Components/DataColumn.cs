namespace OpenCem.Dashboard.Components;

/// <summary>
/// A column of a <see cref="DataTable{TItem}"/>: header, the cell text, and (to make it sortable) a sort key for the
/// query string and the value to sort by. Cell text is always encoded; mask personal data before it gets here.
/// </summary>
public sealed record DataColumn<TItem>(string Header, Func<TItem, string> Text, string? SortKey = null, Func<TItem, IComparable?>? SortValue = null, bool Numeric = false)
{
    /// <summary>Makes the cell a link (e.g. to the customer's page); null for no link.</summary>
    public Func<TItem, string?>? Link { get; init; }
}
