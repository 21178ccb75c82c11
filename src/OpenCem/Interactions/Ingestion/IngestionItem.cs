namespace OpenCem.Interactions.Ingestion;

/// <summary>One validated call waiting to be stored in a workspace.</summary>
public readonly record struct IngestionItem(long WorkspaceId, TrackingEvent Event);

/// <summary>What happened to a group of items: newly stored, or already there (a retried messageId).</summary>
public readonly record struct IngestionOutcome(int Stored, int Duplicates, int CustomersCreated);

/// <summary>
/// A row of the interactions table, placed and linked to its customer and to the tracking identity that sent it
/// (so it can follow that identity if a profile is split).
/// </summary>
internal readonly record struct InteractionRow(long WorkspaceId, long CustomerId, long? IdentityId, TrackingEvent Event, InteractionPlacement Placement);
