using System.Text.Json.Nodes;
using OpenCem.Interactions;
using OpenCem.Storage;

namespace OpenCem.Customers;

public sealed record ExportedRecord(string Source, string Id, IReadOnlyList<Identifier> Identifiers, JsonObject Traits, DateTimeOffset UpdatedAt, DateTimeOffset ReceivedAt);

/// <summary>Everything OpenCem holds about one person, machine-readable (GDPR articles 15 and 20).</summary>
public sealed record CustomerExport(DateTimeOffset ExportedAt, CustomerProfile Profile, IReadOnlyList<ExportedRecord> Records, IReadOnlyList<InteractionView> Interactions);

public sealed class CustomerExports(Database database, CustomerProfiles profiles, InteractionQuery interactions, TimeProvider time)
{
    public async Task<CustomerExport?> ExportAsync(long workspaceId, long customerId, CancellationToken cancellationToken = default)
    {
        if (await profiles.GetAsync(workspaceId, customerId, cancellationToken) is not { } profile)
        {
            return null;
        }

        List<ExportedRecord> records;
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            records = (await CustomerProfiles.RecordsAsync(connection, workspaceId, profile.Id))
                .Select(r => new ExportedRecord(r.View.Source, r.View.Id, r.Identifiers, JsonNode.Parse(r.Traits) as JsonObject ?? [], r.View.UpdatedAt, r.View.ReceivedAt))
                .ToList();
        }

        var all = new List<InteractionView>();
        (long, long)? after = null;
        do
        {
            var page = await interactions.ListAsync(workspaceId, new InteractionFilter(CustomerId: profile.Id, After: after, Limit: 1000), cancellationToken);
            all.AddRange(page.Items);
            after = page.NextCursor is { } next && InteractionQuery.TryDecodeCursor(next, out var position) ? position : null;
        }
        while (after is not null);

        return new CustomerExport(time.GetUtcNow(), profile, records, all);
    }
}
