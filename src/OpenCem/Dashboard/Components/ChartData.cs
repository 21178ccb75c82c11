namespace OpenCem.Dashboard.Components;

public enum ChartKind
{
    Line,
    Bar,
    Scatter,
}

/// <summary>One series of a line or bar chart: a value (or a gap) per label.</summary>
public sealed record ChartSeries(string Name, IReadOnlyList<double?> Values);

/// <summary>One point of a scatter chart, with the label shown in its tooltip and in the data table.</summary>
public sealed record ChartPoint(string Label, double X, double Y);
