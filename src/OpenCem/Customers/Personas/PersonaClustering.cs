using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace OpenCem.Customers.Personas;

/// <summary>The result of clustering: personas numbered 0.. by size (largest first), each customer's persona and distance.</summary>
/// <param name="Centroids">Per persona, its centre in the clustering space (standardised, weighted).</param>
/// <param name="Candidates">When k was chosen: the silhouette of each k tried.</param>
public sealed record PersonaClusters(
    int K,
    double? Silhouette,
    PersonaScaling Scaling,
    float[][] Centroids,
    int[] Assignment,
    float[] Distance,
    long[] Sizes,
    IReadOnlyList<KCandidate> Candidates);

public sealed record KCandidate(int K, double Silhouette);

/// <summary>
/// Clusters customers with ML.NET's k-means (k-means++ start, one thread, fixed seed: the same data and seed give the
/// same personas), keeping the best of <see cref="Restarts"/> starts. It trains on a seeded random sample of at most <see cref="TrainingSample"/> customers (k-means
/// centres settle long before that) and assigns every customer to the nearest centre. Without a k it tries
/// <see cref="MinK"/>..<see cref="MaxK"/> on a smaller sample and keeps the k with the best mean silhouette. Personas are then numbered by
/// size, so numbering never depends on ML.NET's internal cluster order. Pure: no I/O.
/// </summary>
public sealed class PersonaClustering(int seed)
{
    public const int MinK = 3;
    public const int MaxK = 8;
    public const int TrainingSample = 50_000;
    public const int SilhouetteSample = 2_000;

    /// <summary>k-means finds a local optimum from its start; the best of a few seeded starts is far more often the right one.</summary>
    public const int Restarts = 5;

    /// <summary>Choosing k: each candidate is fitted on this many customers with this many starts.</summary>
    public const int SelectionSample = 10_000;
    public const int SelectionRestarts = 2;

    public PersonaClusters Run(PersonaFeatureTable table, int? k)
    {
        if (table.Count < 2)
        {
            throw new ArgumentException("At least two customers are needed to form personas.", nameof(table));
        }

        var scaling = PersonaScaling.Fit(table);
        var d = table.Width;
        var points = new float[table.Count * d];
        for (var r = 0; r < table.Count; r++)
        {
            scaling.Scale(table, r, points.AsSpan(r * d, d));
        }

        var sample = Sample(table.Count, TrainingSample, seed);
        var candidates = new List<KCandidate>();
        float[][] centroids;
        double? silhouette = null;
        if (k is { } fixedK)
        {
            centroids = Train(points, d, sample, Math.Min(fixedK, table.Count), Restarts);
        }
        else
        {
            // k is chosen on a smaller sample with fewer starts (the ranking of k settles early); the chosen k is then
            // fitted like a given one.
            var small = Sample(sample.Length, SelectionSample, seed + 2).Select(i => sample[i]).ToArray();
            var check = Sample(small.Length, SilhouetteSample, seed + 1).Select(i => small[i]).ToArray();
            var best = double.NegativeInfinity;
            var chosen = MinK;
            for (var candidate = MinK; candidate <= Math.Min(MaxK, table.Count - 1); candidate++)
            {
                var trained = Train(points, d, small, candidate, SelectionRestarts);
                var s = Silhouette(points, d, check, check.Select(i => Nearest(points.AsSpan(i * d, d), trained).Index).ToArray(), candidate);
                candidates.Add(new KCandidate(candidate, Math.Round(s, 4)));
                if (s > best + 1e-9)
                {
                    best = s;
                    chosen = candidate;
                }
            }

            centroids = Train(points, d, sample, chosen, Restarts);
        }

        // Number by size, largest first; equal sizes by the centre's coordinates, so the order is total.
        var raw = new int[table.Count];
        var counts = new long[centroids.Length];
        for (var r = 0; r < table.Count; r++)
        {
            raw[r] = Nearest(points.AsSpan(r * d, d), centroids).Index;
            counts[raw[r]]++;
        }

        var order = Enumerable.Range(0, centroids.Length)
            .OrderByDescending(c => counts[c]).ThenBy(c => centroids[c], Comparer<float[]>.Create(Lexicographic)).ToArray();
        var rank = new int[order.Length];
        for (var i = 0; i < order.Length; i++)
        {
            rank[order[i]] = i;
        }

        var sorted = order.Select(c => centroids[c]).ToArray();
        var assignment = new int[table.Count];
        var distance = new float[table.Count];
        for (var r = 0; r < table.Count; r++)
        {
            assignment[r] = rank[raw[r]];
            distance[r] = (float)Math.Sqrt(SquaredDistance(points.AsSpan(r * d, d), sorted[assignment[r]]));
        }

        var sizes = order.Select(c => counts[c]).ToArray();
        {
            var check = Sample(table.Count, SilhouetteSample, seed + 1);
            silhouette = sorted.Length < 2 ? null : Silhouette(points, d, check, check.Select(i => assignment[i]).ToArray(), sorted.Length);
        }

        return new PersonaClusters(sorted.Length, silhouette, scaling, sorted, assignment, distance, sizes, candidates);
    }

    /// <summary>
    /// The mean silhouette of the points <paramref name="rows"/> with their <paramref name="labels"/>: per point, (b − a)
    /// / max(a, b) with a the mean distance to its own cluster and b to the nearest other one; 0 for a lone point.
    /// </summary>
    public static double Silhouette(float[] points, int d, int[] rows, int[] labels, int k)
    {
        if (rows.Length < 2)
        {
            return 0;
        }

        double total = 0;
        var sums = new double[k];
        var counts = new int[k];
        for (var i = 0; i < rows.Length; i++)
        {
            Array.Clear(sums);
            Array.Clear(counts);
            var p = points.AsSpan(rows[i] * d, d);
            for (var j = 0; j < rows.Length; j++)
            {
                if (j != i)
                {
                    sums[labels[j]] += Math.Sqrt(SquaredDistance(p, points.AsSpan(rows[j] * d, d)));
                    counts[labels[j]]++;
                }
            }

            if (counts[labels[i]] == 0)
            {
                continue;
            }

            var a = sums[labels[i]] / counts[labels[i]];
            var b = double.PositiveInfinity;
            for (var c = 0; c < k; c++)
            {
                if (c != labels[i] && counts[c] > 0)
                {
                    b = Math.Min(b, sums[c] / counts[c]);
                }
            }

            total += double.IsPositiveInfinity(b) || Math.Max(a, b) == 0 ? 0 : (b - a) / Math.Max(a, b);
        }

        return total / rows.Length;
    }

    /// <summary>The best of <see cref="Restarts"/> k-means fits (seeds seed, seed + 1, ...): the lowest within-cluster sum of squares on the sample.</summary>
    private float[][] Train(float[] points, int d, int[] sample, int k, int restarts)
    {
        float[][] best = [];
        var bestInertia = double.PositiveInfinity;
        for (var restart = 0; restart < restarts; restart++)
        {
            var centroids = Fit(points, d, sample, k, seed + restart);
            double inertia = 0;
            foreach (var r in sample)
            {
                inertia += Nearest(points.AsSpan(r * d, d), centroids).Squared;
            }

            if (inertia < bestInertia - 1e-6)
            {
                bestInertia = inertia;
                best = centroids;
            }
        }

        return best;
    }

    private static float[][] Fit(float[] points, int d, int[] sample, int k, int seed)
    {
        var ml = new MLContext(seed);
        var schema = SchemaDefinition.Create(typeof(Point));
        schema[nameof(Point.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, d);
        var data = ml.Data.LoadFromEnumerable(sample.Select(r => new Point { Features = points.AsSpan(r * d, d).ToArray() }).ToList(), schema);
        var trainer = ml.Clustering.Trainers.KMeans(new KMeansTrainer.Options
        {
            FeatureColumnName = nameof(Point.Features),
            NumberOfClusters = k,
            InitializationAlgorithm = KMeansTrainer.InitializationAlgorithm.KMeansPlusPlus,
            NumberOfThreads = 1,
            MaximumNumberOfIterations = 200,
        });
        var model = trainer.Fit(data).Model;
        VBuffer<float>[] centres = [];
        model.GetClusterCentroids(ref centres, out var count);
        return centres.Take(count).Select(c => c.DenseValues().ToArray()).ToArray();
    }

    /// <summary>A seeded sample of <paramref name="size"/> distinct indexes below <paramref name="n"/>, ascending; all when n ≤ size.</summary>
    internal static int[] Sample(int n, int size, int seed)
    {
        if (n <= size)
        {
            return Enumerable.Range(0, n).ToArray();
        }

        var rng = new Random(seed);
        var chosen = new HashSet<int>();
        while (chosen.Count < size)
        {
            chosen.Add(rng.Next(n));
        }

        return chosen.Order().ToArray();
    }

    internal static (int Index, double Squared) Nearest(ReadOnlySpan<float> point, float[][] centroids)
    {
        var best = 0;
        var bestDistance = double.PositiveInfinity;
        for (var c = 0; c < centroids.Length; c++)
        {
            var distance = SquaredDistance(point, centroids[c]);
            if (distance < bestDistance)
            {
                bestDistance = distance;
                best = c;
            }
        }

        return (best, bestDistance);
    }

    private static double SquaredDistance(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double sum = 0;
        for (var i = 0; i < a.Length; i++)
        {
            var diff = a[i] - b[i];
            sum += diff * diff;
        }

        return sum;
    }

    private static int Lexicographic(float[] a, float[] b)
    {
        for (var i = 0; i < a.Length; i++)
        {
            var c = a[i].CompareTo(b[i]);
            if (c != 0)
            {
                return c;
            }
        }

        return 0;
    }

    private sealed class Point
    {
        public float[] Features { get; set; } = [];
    }
}
