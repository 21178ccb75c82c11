namespace OpenCem.Value.Transactions;

/// <summary>
/// Which columns of a transaction file hold the customer, the date, the amount and (optionally) the transaction id:
/// each a header name or a 1-based column number. When every column is given by number the file may have no header;
/// a first line whose date and amount do not read is then taken as one.
/// </summary>
public sealed record TransactionColumns(string Customer, string Date, string Amount, string? Id = null)
{
    public bool ByNumberOnly => new[] { Customer, Date, Amount, Id }.All(c => c is null || IsNumber(c));

    public static bool IsNumber(string column) => int.TryParse(column, out var n) && n > 0;
}

/// <summary>How the fields of a line are separated.</summary>
public static class TransactionDelimiters
{
    public const string Whitespace = "whitespace";

    /// <summary>The delimiter text for whitespace, ',', ';' or a tab ("\t" or "tab"); null when unknown.</summary>
    public static string? Parse(string? text) => text switch
    {
        null or "" or "," or "comma" => ",",
        ";" or "semicolon" => ";",
        "\t" or "\\t" or "tab" => "\t",
        Whitespace or " " or "space" => Whitespace,
        _ => null,
    };
}
