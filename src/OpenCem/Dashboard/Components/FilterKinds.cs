namespace OpenCem.Dashboard.Components;

/// <summary>Which filters a page's <see cref="FilterBar"/> shows.</summary>
[Flags]
public enum FilterKinds
{
    None = 0,
    Period = 1,
    Survey = 2,
    Touchpoint = 4,
    Channel = 8,
    Segment = 16,
    Trait = 32,
    All = Period | Survey | Touchpoint | Channel | Segment | Trait,
}
