namespace OpenCem.Operations.Transfer;

/// <summary>
/// The order to copy tables in so every foreign key finds its row already copied: referenced tables first,
/// ties by name so the order is the same on every run. A cycle (none exists in the schema) is an error rather than a
/// silent partial order.
/// </summary>
public static class CopyOrder
{
    public static IReadOnlyList<StoredTable> Of(IReadOnlyList<StoredTable> tables)
    {
        var byName = tables.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var ordered = new List<StoredTable>(tables.Count);
        var state = new Dictionary<string, bool>(StringComparer.Ordinal); // false: visiting, true: done
        foreach (var table in tables.OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            Visit(table, byName, state, ordered, []);
        }

        return ordered;
    }

    private static void Visit(StoredTable table, Dictionary<string, StoredTable> byName, Dictionary<string, bool> state, List<StoredTable> ordered, List<string> path)
    {
        if (state.TryGetValue(table.Name, out var done))
        {
            if (!done)
            {
                throw new TransferException($"The foreign keys of {string.Join(" → ", path.Append(table.Name))} form a cycle; the tables cannot be copied in order.");
            }

            return;
        }

        state[table.Name] = false;
        path.Add(table.Name);
        foreach (var referenced in table.References.Where(r => r != table.Name).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            if (byName.TryGetValue(referenced, out var parent))
            {
                Visit(parent, byName, state, ordered, path);
            }
        }

        path.RemoveAt(path.Count - 1);
        state[table.Name] = true;
        ordered.Add(table);
    }
}
