namespace OpenCem.Cli;

/// <summary>How every import command lists the lines it rejected: the first few in full, then how many more.</summary>
internal static class RejectedLines
{
    private const int Shown = 20;

    /// <param name="lines">Each rejection already worded (<c>line 7: ...</c>), in file order.</param>
    /// <param name="total">How many lines were rejected in all.</param>
    public static void Print(IEnumerable<string> lines, long total)
    {
        foreach (var line in lines.Take(Shown))
        {
            Console.Error.WriteLine($"  {line}");
        }

        if (total > Shown)
        {
            Console.Error.WriteLine($"  ... and {total - Shown:N0} more rejected lines.");
        }
    }
}
