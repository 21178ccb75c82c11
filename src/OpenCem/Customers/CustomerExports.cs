using System.Text.Json.Nodes;
using Dapper;
using OpenCem.Interactions;
using OpenCem.Storage;
using OpenCem.Text;
using OpenCem.Text.Pipeline;

namespace OpenCem.Customers;

public sealed record ExportedRecord(string Source, string Id, IReadOnlyList<Identifier> Identifiers, JsonObject Traits, DateTimeOffset UpdatedAt, DateTimeOffset ReceivedAt);

/// <summary>Everything OpenCem holds about one person, machine-readable (GDPR articles 15 and 20).</summary>
public sealed record ExportedResponse(long Id, long SurveyId, string Status, JsonObject Answers, DateTimeOffset SubmittedAt, TextAnalysisView? Analysis = null);

public sealed record ExportedSignal(long Id, string Source, string Text, double? Rating, string? Url, DateTimeOffset OccurredAt, TextAnalysisView? Analysis = null);

public sealed record CustomerExport(
    DateTimeOffset ExportedAt, CustomerProfile Profile, IReadOnlyList<ExportedRecord> Records, IReadOnlyList<InteractionView> Interactions,
    IReadOnlyList<ExportedResponse> Responses, IReadOnlyList<ExportedSignal> Signals, Feedback.Ideas.ExportedIdeas Ideas,
    IReadOnlyList<ExportedAdvocateInvitation> AdvocateInvitations, IReadOnlyList<ExportedPersona> Personas);

/// <summary>An invitation to the referral or review programme: sent, or skipped and why.</summary>
public sealed record ExportedAdvocateInvitation(long Id, string Programme, string Status, string? Reason, DateTimeOffset CreatedAt);

/// <summary>The persona a clustering run put the person in (profiling, GDPR article 15 (1) h).</summary>
public sealed record ExportedPersona(long RunId, string Persona, double Distance, DateTimeOffset? PublishedAt);

public sealed class CustomerExports(Database database, CustomerProfiles profiles, InteractionQuery interactions, TimeProvider time)
{
    public async Task<CustomerExport?> ExportAsync(long workspaceId, long customerId, CancellationToken cancellationToken = default)
    {
        if (await profiles.GetAsync(workspaceId, customerId, cancellationToken) is not { } profile)
        {
            return null;
        }

        List<ExportedRecord> records;
        List<ExportedResponse> responses;
        List<ExportedSignal> signals;
        Feedback.Ideas.ExportedIdeas ideas;
        List<ExportedAdvocateInvitation> invitations;
        List<ExportedPersona> personas;
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            records = (await CustomerProfiles.RecordsAsync(connection, workspaceId, profile.Id))
                .Select(r => new ExportedRecord(r.View.Source, r.View.Id, r.Identifiers, JsonNode.Parse(r.Traits) as JsonObject ?? [], r.View.UpdatedAt, r.View.ReceivedAt))
                .ToList();
            var args = new { workspaceId, id = profile.Id };
            responses = (await connection.QueryAsync<(long Id, long SurveyId, string Status, string Answers, long SubmittedAt)>(
                    "SELECT id, survey_id, status, answers, submitted_at FROM survey_responses WHERE workspace_id = @workspaceId AND customer_id = @id ORDER BY submitted_at, id", args))
                .Select(r => new ExportedResponse(r.Id, r.SurveyId, r.Status, JsonNode.Parse(r.Answers) as JsonObject ?? [], DateTimeOffset.FromUnixTimeMilliseconds(r.SubmittedAt)))
                .ToList();
            signals = (await connection.QueryAsync<(long Id, string Source, string Text, double? Rating, string? Url, long OccurredAt)>(
                    "SELECT id, source, text, rating, url, occurred_at FROM signals WHERE workspace_id = @workspaceId AND customer_id = @id ORDER BY occurred_at, id", args))
                .Select(s => new ExportedSignal(s.Id, s.Source, s.Text, s.Rating, s.Url, DateTimeOffset.FromUnixTimeMilliseconds(s.OccurredAt)))
                .ToList();
            // What the text analysis read in the person's comments and signals belongs to their data too.
            var responseAnalyses = await StoredAnalyses.ForItemsAsync(connection, workspaceId, TextItemKind.Response, responses.Select(r => r.Id).ToList());
            var signalAnalyses = await StoredAnalyses.ForItemsAsync(connection, workspaceId, TextItemKind.Signal, signals.Select(s => s.Id).ToList());
            responses = responses.Select(r => r with { Analysis = responseAnalyses.GetValueOrDefault(r.Id) }).ToList();
            signals = signals.Select(s => s with { Analysis = signalAnalyses.GetValueOrDefault(s.Id) }).ToList();
            ideas = await Feedback.Ideas.ExportedIdeas.ReadAsync(connection, workspaceId, profile.Id);
            invitations = (await connection.QueryAsync<(long Id, string Programme, string Status, string? Reason, long CreatedAt)>(
                    "SELECT id, programme, status, reason, created_at FROM advocate_invitations WHERE workspace_id = @workspaceId AND customer_id = @id ORDER BY created_at, id", args))
                .Select(i => new ExportedAdvocateInvitation(i.Id, i.Programme, i.Status, i.Reason, DateTimeOffset.FromUnixTimeMilliseconds(i.CreatedAt)))
                .ToList();
            personas = (await connection.QueryAsync<(long RunId, long Number, double Distance, long? PublishedAt)>(
                    """
                    SELECT a.run_id, a.number, a.distance, r.published_at FROM persona_assignments a JOIN persona_runs r ON r.id = a.run_id
                    WHERE r.workspace_id = @workspaceId AND a.customer_id = @id ORDER BY a.run_id
                    """, args))
                .Select(p => new ExportedPersona(p.RunId, "p" + p.Number, p.Distance, p.PublishedAt is { } at ? DateTimeOffset.FromUnixTimeMilliseconds(at) : null))
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

        return new CustomerExport(time.GetUtcNow(), profile, records, all, responses, signals, ideas, invitations, personas);
    }
}
