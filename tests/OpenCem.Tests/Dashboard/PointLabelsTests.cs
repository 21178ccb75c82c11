using OpenCem.Dashboard.Drivers;

namespace OpenCem.Tests.Dashboard;

public sealed class PointLabelsTests
{
    private const double Left = 64, Right = 740, Top = 16, Bottom = 404;

    [Fact]
    public void Place_PointsOnTopOfEachOther_LabelsDoNotOverlap_AndMovedOnesGetLeaders()
    {
        // The demo's drivers: three of four within a few pixels of each other.
        var points = new[] { (622.0, 280.0, "... get a fault repaired?"), (131.0, 262.0, "... understand your bill?"), (127.0, 248.0, "... use the app and self-…"), (105.0, 246.0, "... reach our service?") };

        var labels = PointLabels.Place(points, Left, Right, Top, Bottom);

        Assert.Equal(4, labels.Count);
        var boxes = labels.Select((l, i) => Box(l, points[i].Item3)).ToList();
        for (var i = 0; i < boxes.Count; i++)
        {
            for (var j = i + 1; j < boxes.Count; j++)
            {
                Assert.False(Overlap(boxes[i], boxes[j]), $"Labels {i} and {j} overlap.");
            }

            foreach (var (x, y, _) in points)
            {
                Assert.False(Overlap(boxes[i], (x - 6, y - 6, x + 6, y + 6)), $"Label {i} covers a point.");
            }

            Assert.InRange(boxes[i].Left, Left, Right);
            Assert.InRange(boxes[i].Right, Left, Right);
        }

        Assert.Contains(labels, l => l.NeedsLeader);
        Assert.False(labels[0].NeedsLeader); // the first (most important) keeps the spot next to its point
    }

    [Fact]
    public void Place_PointNearTheRightEdge_PutsItsLabelLeftOfIt()
    {
        var labels = PointLabels.Place([(735.0, 200.0, "a rather long driver name")], Left, Right, Top, Bottom);

        Assert.False(labels[0].AlignStart);
        Assert.True(labels[0].X < 735);
    }

    // Same text metrics as the layout: 6.4 px per character, 13 px line above the baseline.
    private static (double Left, double Top, double Right, double Bottom) Box(PlacedLabel label, string text)
    {
        var width = text.Length * 6.4;
        return label.AlignStart ? (label.X, label.Y - 11, label.X + width, label.Y + 3) : (label.X - width, label.Y - 11, label.X, label.Y + 3);
    }

    private static bool Overlap((double Left, double Top, double Right, double Bottom) a, (double Left, double Top, double Right, double Bottom) b) =>
        a.Left < b.Right && b.Left < a.Right && a.Top < b.Bottom && b.Top < a.Bottom;
}
