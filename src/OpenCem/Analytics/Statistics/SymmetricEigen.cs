namespace OpenCem.Analytics.Statistics;

/// <summary>Eigenvalues and eigenvectors of a small symmetric matrix by cyclic Jacobi rotations (exact to rounding, no package needed).</summary>
public static class SymmetricEigen
{
    /// <summary>Returns the eigenvalues and the eigenvectors as the columns of a k×k row-major matrix.</summary>
    public static (double[] Values, double[] Vectors) Decompose(ReadOnlySpan<double> matrix, int k)
    {
        var a = matrix[..(k * k)].ToArray();
        var v = new double[k * k];
        for (var i = 0; i < k; i++)
        {
            v[(i * k) + i] = 1;
        }

        for (var sweep = 0; sweep < 100; sweep++)
        {
            double off = 0;
            for (var p = 0; p < k; p++)
            {
                for (var q = p + 1; q < k; q++)
                {
                    off += a[(p * k) + q] * a[(p * k) + q];
                }
            }

            if (off < 1e-30)
            {
                break;
            }

            for (var p = 0; p < k; p++)
            {
                for (var q = p + 1; q < k; q++)
                {
                    var apq = a[(p * k) + q];
                    if (Math.Abs(apq) < 1e-300)
                    {
                        continue;
                    }

                    var theta = (a[(q * k) + q] - a[(p * k) + p]) / (2 * apq);
                    var t = Math.Sign(theta) / (Math.Abs(theta) + Math.Sqrt((theta * theta) + 1));
                    if (theta == 0)
                    {
                        t = 1;
                    }

                    var c = 1 / Math.Sqrt((t * t) + 1);
                    var s = t * c;
                    for (var r = 0; r < k; r++)
                    {
                        var arp = a[(r * k) + p];
                        var arq = a[(r * k) + q];
                        a[(r * k) + p] = (c * arp) - (s * arq);
                        a[(r * k) + q] = (s * arp) + (c * arq);
                    }

                    for (var r = 0; r < k; r++)
                    {
                        var apr = a[(p * k) + r];
                        var aqr = a[(q * k) + r];
                        a[(p * k) + r] = (c * apr) - (s * aqr);
                        a[(q * k) + r] = (s * apr) + (c * aqr);
                    }

                    for (var r = 0; r < k; r++)
                    {
                        var vrp = v[(r * k) + p];
                        var vrq = v[(r * k) + q];
                        v[(r * k) + p] = (c * vrp) - (s * vrq);
                        v[(r * k) + q] = (s * vrp) + (c * vrq);
                    }
                }
            }
        }

        var values = new double[k];
        for (var i = 0; i < k; i++)
        {
            values[i] = a[(i * k) + i];
        }

        return (values, v);
    }
}
