namespace OpenCem.Value.Lifetime;

/// <summary>Customers that share x, t_x and T (in days) share everything the BG/NBD sees: one tuple with their count.</summary>
public readonly record struct RfmTuple(int Repeats, int LastRepeatDays, int AgeDays, int Customers)
{
    /// <summary>The distinct tuples of a cohort, and for each customer the index of its tuple.</summary>
    public static (RfmTuple[] Tuples, int[] TupleOf) Compress(IReadOnlyList<CustomerRfm> customers)
    {
        var index = new Dictionary<(int, int, int), int>();
        var counts = new List<int>();
        var keys = new List<(int X, int Tx, int T)>();
        var tupleOf = new int[customers.Count];
        for (var i = 0; i < customers.Count; i++)
        {
            var c = customers[i];
            var key = (c.Repeats, c.LastRepeatDays, c.AgeDays);
            if (!index.TryGetValue(key, out var at))
            {
                at = counts.Count;
                index[key] = at;
                counts.Add(0);
                keys.Add(key);
            }

            counts[at]++;
            tupleOf[i] = at;
        }

        var tuples = new RfmTuple[counts.Count];
        for (var i = 0; i < tuples.Length; i++)
        {
            tuples[i] = new RfmTuple(keys[i].X, keys[i].Tx, keys[i].T, counts[i]);
        }

        return (tuples, tupleOf);
    }

    /// <summary>The distinct (x, T) of the tuples, and for each tuple the index of its pair.</summary>
    public static ((int Repeats, int AgeDays)[] Pairs, int[] PairOf) Ages(IReadOnlyList<RfmTuple> tuples)
    {
        var index = new Dictionary<(int, int), int>();
        var pairs = new List<(int, int)>();
        var pairOf = new int[tuples.Count];
        for (var i = 0; i < tuples.Count; i++)
        {
            var key = (tuples[i].Repeats, tuples[i].AgeDays);
            if (!index.TryGetValue(key, out var at))
            {
                at = pairs.Count;
                index[key] = at;
                pairs.Add(key);
            }

            pairOf[i] = at;
        }

        return (pairs.ToArray(), pairOf);
    }
}
