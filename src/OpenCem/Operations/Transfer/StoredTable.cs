namespace OpenCem.Operations.Transfer;

/// <summary>The portable column types of the one schema (BIGINT, INTEGER, DOUBLE PRECISION, TEXT).</summary>
public enum StoredColumnType
{
    BigInt,
    Integer,
    Double,
    Text,
}

public sealed record StoredColumn(string Name, StoredColumnType Type, bool Identity);

/// <summary>A table as the database catalogue describes it, with the tables its foreign keys point at.</summary>
public sealed record StoredTable(string Name, IReadOnlyList<StoredColumn> Columns, IReadOnlyList<string> References);

/// <summary>A table's rows in the source snapshot and in the target after the copy.</summary>
public sealed record TableCount(string Table, long SourceRows, long TargetRows)
{
    public bool Matches => SourceRows == TargetRows;
}

/// <summary>Raised when a copy cannot start or its verification fails; the message says what to do.</summary>
public sealed class TransferException(string message) : Exception(message);
