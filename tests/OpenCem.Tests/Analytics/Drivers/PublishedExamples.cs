namespace OpenCem.Tests.Analytics.Drivers;

/// <summary>
/// Two small public datasets of R's datasets package with published relative importance results, shipped as data so
/// the tests can recompute them.
/// </summary>
internal static class PublishedExamples
{
    /// <summary>
    /// R's <c>attitude</c> (Chatterjee and Price, 1977): 30 departments; rating, complaints, privileges, learning,
    /// raises, critical, advance. The dominanceanalysis package's README publishes the general dominance (= LMG) of each
    /// predictor for <c>lm(rating ~ ., attitude)</c>: 0.371, 0.051, 0.156, 0.120, 0.007, 0.028, and R² 0.733.
    /// </summary>
    public static readonly double[,] Attitude =
    {
        { 43, 51, 30, 39, 61, 92, 45 }, { 63, 64, 51, 54, 63, 73, 47 }, { 71, 70, 68, 69, 76, 86, 48 }, { 61, 63, 45, 47, 54, 84, 35 },
        { 81, 78, 56, 66, 71, 83, 47 }, { 43, 55, 49, 44, 54, 49, 34 }, { 58, 67, 42, 56, 66, 68, 35 }, { 71, 75, 50, 55, 70, 66, 41 },
        { 72, 82, 72, 67, 71, 83, 31 }, { 67, 61, 45, 47, 62, 80, 41 }, { 64, 53, 53, 58, 58, 67, 34 }, { 67, 60, 47, 39, 59, 74, 41 },
        { 69, 62, 57, 42, 55, 63, 25 }, { 68, 83, 83, 45, 59, 77, 35 }, { 77, 77, 54, 72, 79, 77, 46 }, { 81, 90, 50, 72, 60, 54, 36 },
        { 74, 85, 64, 69, 79, 79, 63 }, { 65, 60, 65, 75, 55, 80, 60 }, { 65, 70, 46, 57, 75, 85, 46 }, { 50, 58, 68, 54, 64, 78, 52 },
        { 50, 40, 33, 34, 43, 64, 33 }, { 64, 61, 52, 62, 66, 80, 41 }, { 53, 66, 52, 50, 63, 80, 37 }, { 40, 37, 42, 58, 50, 57, 49 },
        { 63, 54, 42, 48, 66, 75, 33 }, { 66, 77, 66, 63, 88, 76, 72 }, { 78, 75, 58, 74, 80, 78, 49 }, { 48, 57, 44, 45, 51, 83, 38 },
        { 85, 85, 71, 71, 77, 74, 55 }, { 82, 82, 39, 59, 64, 78, 39 },
    };

    public static readonly double[] AttitudeLmg = [0.371, 0.051, 0.156, 0.120, 0.007, 0.028];

    public const double AttitudeR2 = 0.733;

    /// <summary>
    /// R's <c>mtcars</c> (Henderson and Velleman, 1981), the columns mpg, cyl, disp, hp, gear. The rwa package's README
    /// publishes Johnson's raw relative weights for <c>rwa(mtcars, "mpg", c("cyl", "disp", "hp", "gear"))</c>.
    /// </summary>
    public static readonly double[,] Mtcars =
    {
        { 21, 6, 160, 110, 4 }, { 21, 6, 160, 110, 4 }, { 22.8, 4, 108, 93, 4 }, { 21.4, 6, 258, 110, 3 }, { 18.7, 8, 360, 175, 3 },
        { 18.1, 6, 225, 105, 3 }, { 14.3, 8, 360, 245, 3 }, { 24.4, 4, 146.7, 62, 4 }, { 22.8, 4, 140.8, 95, 4 }, { 19.2, 6, 167.6, 123, 4 },
        { 17.8, 6, 167.6, 123, 4 }, { 16.4, 8, 275.8, 180, 3 }, { 17.3, 8, 275.8, 180, 3 }, { 15.2, 8, 275.8, 180, 3 }, { 10.4, 8, 472, 205, 3 },
        { 10.4, 8, 460, 215, 3 }, { 14.7, 8, 440, 230, 3 }, { 32.4, 4, 78.7, 66, 4 }, { 30.4, 4, 75.7, 52, 4 }, { 33.9, 4, 71.1, 65, 4 },
        { 21.5, 4, 120.1, 97, 3 }, { 15.5, 8, 318, 150, 3 }, { 15.2, 8, 304, 150, 3 }, { 13.3, 8, 350, 245, 3 }, { 19.2, 8, 400, 175, 3 },
        { 27.3, 4, 79, 66, 4 }, { 26, 4, 120.3, 91, 5 }, { 30.4, 4, 95.1, 113, 5 }, { 15.8, 8, 351, 264, 5 }, { 19.7, 6, 145, 175, 5 },
        { 15, 8, 301, 335, 5 }, { 21.4, 4, 121, 109, 4 },
    };

    public static readonly double[] MtcarsRelativeWeights = [0.2284797, 0.2221469, 0.2321744, 0.0963886];

    public const double MtcarsR2 = 0.7791896;

    public static (double[] Data, int N, int P) Flatten(double[,] table)
    {
        var (n, p) = (table.GetLength(0), table.GetLength(1));
        var data = new double[n * p];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < p; j++)
            {
                data[(i * p) + j] = table[i, j];
            }
        }

        return (data, n, p);
    }
}
