namespace OpenCem.Value.Transactions;

/// <summary>One purchase as read from a file or a request, before its customer is found.</summary>
/// <param name="Line">The line (file) or 1-based item (request) it came from, for reports.</param>
/// <param name="Key">The idempotency key: the given transaction id, else derived from customer, time, amount and repetition.</param>
public sealed record TransactionLine(long Line, string Customer, long OccurredAt, double Amount, string Key);

/// <summary>A line that could not be read, with why.</summary>
public sealed record TransactionRejection(long Line, string Reason);
