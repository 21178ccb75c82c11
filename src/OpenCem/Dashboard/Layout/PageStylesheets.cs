namespace OpenCem.Dashboard.Layout;

/// <summary>
/// The stylesheets a page needs besides dashboard.css, collected per request while the page renders and linked in the
/// head by <c>StylesheetLinks</c>. Blazor keeps only the last <c>HeadContent</c> rendered, so components that each
/// brought their stylesheet in one lost all but one; here any number of components add theirs, in any order.
/// </summary>
public sealed class PageStylesheets
{
    private readonly List<string> _names = [];

    public event Action? Changed;

    /// <summary>Asset names (e.g. <c>analytics.css</c>) in the order first asked for.</summary>
    public IReadOnlyList<string> Names => _names;

    public void Add(string name)
    {
        if (!_names.Contains(name, StringComparer.Ordinal))
        {
            _names.Add(name);
            Changed?.Invoke();
        }
    }
}
