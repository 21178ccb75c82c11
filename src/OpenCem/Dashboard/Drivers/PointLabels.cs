namespace OpenCem.Dashboard.Drivers;

/// <summary>Where a point's label goes: its text anchor position, alignment, and whether a leader line is needed.</summary>
public sealed record PlacedLabel(double X, double Y, bool AlignStart, bool NeedsLeader);

/// <summary>
/// Places the labels of a scatter chart so they neither overlap each other nor cover a point: each label tries the
/// spots around its point (nearest first), then steps further away vertically with a leader line. Drivers with
/// similar importance and performance sit on top of each other, and overlapping names are unreadable. Pure.
/// </summary>
public static class PointLabels
{
    private const double CharWidth = 6.4, LineHeight = 13, PointRadius = 7, Gap = 9;

    /// <summary>
    /// One placement per point, in the order given (place the most important first: they get the nearest spots).
    /// Labels stay inside <paramref name="left"/>..<paramref name="right"/> and <paramref name="top"/>..<paramref name="bottom"/>.
    /// </summary>
    public static IReadOnlyList<PlacedLabel> Place(IReadOnlyList<(double X, double Y, string Text)> points, double left, double right, double top, double bottom)
    {
        var taken = points.Select(p => Box.Around(p.X, p.Y, PointRadius)).ToList();
        var placed = new List<PlacedLabel>(points.Count);
        foreach (var (x, y, text) in points)
        {
            var width = text.Length * CharWidth;
            var best = Candidates(x, y, width, left, right)
                .Select(c => (Label: c, Box: Box.OfLabel(c, width)))
                .Where(c => c.Box.Top >= top && c.Box.Bottom <= bottom)
                .FirstOrDefault(c => !taken.Any(t => t.Overlaps(c.Box)));
            var label = best.Label ?? new PlacedLabel(x + Gap, y - Gap, true, false); // nowhere free: the default spot
            placed.Add(label);
            taken.Add(Box.OfLabel(label, width));
        }

        return placed;
    }

    // Right of the point when there is room (left otherwise), above then below, then further away in 13 px steps.
    private static IEnumerable<PlacedLabel> Candidates(double x, double y, double width, double left, double right)
    {
        var rightFits = x + Gap + width <= right;
        var leftFits = x - Gap - width >= left;
        var sides = rightFits && leftFits ? (x < (left + right) / 2 ? new[] { true, false } : [false, true])
            : rightFits ? [true] : leftFits ? [false] : [x < (left + right) / 2];
        for (var step = 0; step <= 12; step++)
        {
            foreach (var start in sides)
            {
                var lx = start ? x + Gap : x - Gap;
                foreach (var dy in new[] { -(Gap - 1) - (step * LineHeight), Gap + LineHeight - 4 + (step * LineHeight) })
                {
                    yield return new PlacedLabel(lx, y + dy, start, step > 0);
                }
            }
        }
    }

    private readonly record struct Box(double Left, double Top, double Right, double Bottom)
    {
        public static Box Around(double x, double y, double r) => new(x - r, y - r, x + r, y + r);

        // A text anchor is its baseline: the glyphs reach about a line height above it.
        public static Box OfLabel(PlacedLabel label, double width) => label.AlignStart
            ? new(label.X, label.Y - LineHeight + 2, label.X + width, label.Y + 3)
            : new(label.X - width, label.Y - LineHeight + 2, label.X, label.Y + 3);

        public bool Overlaps(Box other) => Left < other.Right && other.Left < Right && Top < other.Bottom && other.Top < Bottom;
    }
}
