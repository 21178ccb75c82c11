using OpenCem.Customers;

namespace OpenCem.Value.Transactions;

/// <summary>A purchase ready to store: whose (a profile id or identifiers to look up), when, how much, its idempotency key.</summary>
public sealed record TransactionItem(long Line, long? CustomerId, IReadOnlyList<Identifier> Identifiers, long OccurredAt, double Amount, string Key);

/// <summary>What an import did.</summary>
public sealed record TransactionImportResult(
    long Read, long Stored, long Duplicates, long Rejected, int ProfilesCreated, IReadOnlyList<TransactionRejection> Rejections);
