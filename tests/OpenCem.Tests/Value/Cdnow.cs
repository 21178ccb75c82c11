using System.Globalization;
using OpenCem.Value.Lifetime;
using OpenCem.Value.Transactions;

namespace OpenCem.Tests.Value;

/// <summary>The CDNOW sample of Fader, Hardie and Lee (2005) and its published figures.</summary>
internal static class Cdnow
{
    public static readonly DateOnly CalibrationEnd = new(1997, 9, 30);

    public static string LogPath => Path.Combine(AppContext.BaseDirectory, "Value", "Data", "CDNOW_sample.txt");

    public static string SummaryPath => Path.Combine(AppContext.BaseDirectory, "Value", "Data", "cdnow_customers_summary_with_monetary.csv");

    public static ClvSettings Settings => new(CalibrationEnd, ClvTimeUnit.Week, 39, 0);

    /// <summary>The raw log read as the import reads it (customer = sample id, column 2), as purchases.</summary>
    public static List<Purchase> Purchases()
    {
        using var text = File.OpenText(LogPath);
        var rejections = new List<TransactionRejection>();
        var lines = TransactionFile.Read(text, new TransactionColumns("2", "3", "5"), TransactionDelimiters.Whitespace, "yyyyMMdd", rejections).ToList();
        Assert.Empty(rejections);
        return lines.Select(l => new Purchase(long.Parse(l.Customer, CultureInfo.InvariantCulture), Purchase.DayOf(l.OccurredAt), l.Amount)).ToList();
    }

    /// <summary>The published calibration summary: ID → (x, t_x, T, zbar).</summary>
    public static Dictionary<long, (int X, double Tx, double T, double Zbar)> Summary() =>
        File.ReadLines(SummaryPath).Skip(1).Select(l => l.Split(',')).ToDictionary(
            f => long.Parse(f[0], CultureInfo.InvariantCulture),
            f => (int.Parse(f[1], CultureInfo.InvariantCulture), double.Parse(f[2], CultureInfo.InvariantCulture),
                double.Parse(f[3], CultureInfo.InvariantCulture), double.Parse(f[4], CultureInfo.InvariantCulture)));

    /// <summary>Asserts the published BG/NBD and Gamma-Gamma estimates to 2 decimals (3 where the paper gives 3).</summary>
    public static void AssertPublished(BgNbdParameters bgnbd, GammaGammaParameters gammaGamma)
    {
        Assert.Equal(0.243, bgnbd.R, 0.0051);
        Assert.Equal(4.414, bgnbd.Alpha, 0.0051);
        Assert.Equal(0.793, bgnbd.A, 0.0051);
        Assert.Equal(2.426, bgnbd.B, 0.0051);
        Assert.Equal(6.25, gammaGamma.P, 0.0051);
        Assert.Equal(3.74, gammaGamma.Q, 0.0051);
        Assert.Equal(15.44, gammaGamma.Gamma, 0.0051);
    }

    /// <summary>
    /// The holdout: 1,882 actual repeat purchase days in weeks 40–78. The conditional expectations under the published
    /// parameters sum to about 1,653 (the model under-forecasts this holdout by about 12 %, as the paper's tracking
    /// plot shows at its end); counted from each customer's first purchase as in the paper's cumulative plot
    /// (calibration expected 2,494 against 2,457 actual), week 78 is within 5 %.
    /// </summary>
    public static void AssertHoldout(ClvModel result)
    {
        var end = result.Holdout[^1];
        Assert.Equal(39, result.Holdout.Count);
        Assert.Equal(39, end.Period);
        Assert.Equal(1882, end.Actual);
        Assert.Equal(2457, result.Calibration.Actual);
        Assert.InRange(end.Predicted / end.Actual, 0.85, 0.92);
        Assert.InRange((end.Predicted + result.Calibration.Predicted) / (end.Actual + result.Calibration.Actual), 0.95, 1.05);
        Assert.True(result.Holdout.Zip(result.Holdout.Skip(1)).All(p => p.Second.Predicted >= p.First.Predicted && p.Second.Actual >= p.First.Actual));
    }
}
