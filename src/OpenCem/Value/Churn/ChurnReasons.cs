namespace OpenCem.Value.Churn;

/// <summary>Turns a customer's feature contributions into the few reasons shown with their risk. Pure.</summary>
public static class ChurnReasons
{
    public const int Shown = 3;

    public static IReadOnlyList<ChurnReason> Top(ChurnFeatureSchema schema, ChurnFacts facts, float[] contributions)
    {
        // The strongest few by absolute contribution, picked in one pass (this runs once per customer).
        Span<int> best = stackalloc int[Shown];
        var found = 0;
        for (var j = 0; j < contributions.Length; j++)
        {
            if (contributions[j] == 0)
            {
                continue;
            }

            var at = found < Shown ? found++ : Shown;
            while (at > 0 && Math.Abs(contributions[best[at - 1]]) < Math.Abs(contributions[j]))
            {
                if (at < Shown)
                {
                    best[at] = best[at - 1];
                }

                at--;
            }

            if (at < Shown)
            {
                best[at] = j;
            }
        }

        return best[..found].ToArray().Select(j => new ChurnReason(
            schema.Columns[j].Name,
            ChurnFeatureSchema.Display(schema.Columns[j], facts),
            contributions[j] > 0 ? "raises" : "lowers",
            Math.Round(contributions[j], 4))).ToList();
    }
}
