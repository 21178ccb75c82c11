namespace OpenCem.Value.Churn;

/// <summary>Turns a customer's feature contributions into the few reasons shown with their risk. Pure.</summary>
public static class ChurnReasons
{
    public const int Shown = 3;

    public static IReadOnlyList<ChurnReason> Top(ChurnFeatureSchema schema, ChurnFacts facts, float[] contributions)
    {
        var order = Enumerable.Range(0, contributions.Length)
            .Where(j => contributions[j] != 0)
            .OrderByDescending(j => Math.Abs(contributions[j]))
            .Take(Shown);
        return order.Select(j => new ChurnReason(
            schema.Columns[j].Name,
            ChurnFeatureSchema.Display(schema.Columns[j], facts),
            contributions[j] > 0 ? "raises" : "lowers",
            Math.Round(contributions[j], 4))).ToList();
    }
}
