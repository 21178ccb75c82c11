using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace OpenCem.Value.Lifetime;

/// <summary>
/// Maximises a likelihood over positive parameters with Math.NET's Nelder–Mead simplex on their logarithms (so
/// every step stays in the valid region), restarted from its own optimum until it no longer improves, since a
/// simplex can stall short of the optimum on a long valley.
/// </summary>
internal static class LogSpaceMinimizer
{
    private const double Tolerance = 1e-13;
    private const int MaximumIterations = 20_000;
    private const int MaximumRestarts = 4;

    /// <summary>The parameters minimising <paramref name="negativeLogLikelihood"/> and its value there.</summary>
    public static (double[] Parameters, double Value) Minimise(Func<double[], double> negativeLogLikelihood, double[] start)
    {
        var objective = ObjectiveFunction.Value(logs =>
        {
            var value = negativeLogLikelihood(logs.Select(v => Math.Exp(v)).ToArray());
            return double.IsFinite(value) ? value : double.MaxValue;
        });
        var point = Vector<double>.Build.DenseOfEnumerable(start.Select(v => Math.Log(v)));
        var best = double.PositiveInfinity;
        for (var restart = 0; restart <= MaximumRestarts; restart++)
        {
            var result = new NelderMeadSimplex(Tolerance, MaximumIterations).FindMinimum(objective, point);
            point = result.MinimizingPoint;
            var value = result.FunctionInfoAtMinimum.Value;
            if (best - value <= 1e-12 * Math.Max(1, Math.Abs(value)))
            {
                best = Math.Min(best, value);
                break;
            }

            best = value;
        }

        return (point.Select(v => Math.Exp(v)).ToArray(), best);
    }
}
