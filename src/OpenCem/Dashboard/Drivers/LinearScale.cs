namespace OpenCem.Dashboard.Drivers;

/// <summary>
/// Maps values to pixels for the server-drawn SVG charts, with "nice" round tick values (1, 2, 2.5 or 5 × 10ⁿ). Pure.
/// </summary>
public sealed record LinearScale(double DomainMin, double DomainMax, double RangeMin, double RangeMax)
{
    /// <summary>A scale over [min, max] widened to round ticks (about <paramref name="ticks"/> of them).</summary>
    public static LinearScale Nice(double min, double max, double rangeMin, double rangeMax, int ticks = 5)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max))
        {
            (min, max) = (0, 1);
        }

        if (max - min < 1e-9)
        {
            (min, max) = (min - 1, max + 1);
        }

        var step = Step(min, max, ticks);
        return new LinearScale(Math.Floor(min / step) * step, Math.Ceiling(max / step) * step, rangeMin, rangeMax);
    }

    public double Map(double value) =>
        RangeMin + ((value - DomainMin) / (DomainMax - DomainMin) * (RangeMax - RangeMin));

    /// <summary>The round values from the domain's start to its end.</summary>
    public IReadOnlyList<double> Ticks(int count = 5)
    {
        var step = Step(DomainMin, DomainMax, count);
        var ticks = new List<double>();
        for (var i = 0; i <= 100; i++)
        {
            var value = Math.Round((Math.Ceiling(DomainMin / step) + i) * step, 10);
            if (value > DomainMax + (step / 1e6))
            {
                break;
            }

            ticks.Add(value == 0 ? 0 : value);
        }

        return ticks;
    }

    private static double Step(double min, double max, int count)
    {
        var raw = (max - min) / Math.Max(1, count);
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var fraction = raw / magnitude;
        var nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 2.5 ? 2.5 : fraction <= 5 ? 5 : 10;
        return nice * magnitude;
    }
}
