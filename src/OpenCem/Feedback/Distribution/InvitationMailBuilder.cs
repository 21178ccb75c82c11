using System.Text.Json.Nodes;
using Dapper;
using OpenCem.Customers;
using OpenCem.Feedback.Invitations;
using OpenCem.Feedback.Surveys;
using OpenCem.Storage;
using OpenCem.Workspaces;

namespace OpenCem.Feedback.Distribution;

/// <summary>
/// Fills in the mails for a batch of claimed invitations: the survey's title in the invitation's language, the
/// company (the workspace's name; for a default workspace nobody has named, the configured sender name), the
/// customer's display name for the greeting, and the personal link. Names are read in one query per batch.
/// </summary>
public sealed class InvitationMailBuilder(Database database, SurveyLinks links, SmtpOptions smtp)
{
    public async Task<IReadOnlyList<InvitationMail>> BuildAsync(
        IReadOnlyList<(ClaimedInvitation Invitation, StoredSurvey Survey)> batch, bool reminder, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var companies = (await connection.QueryAsync<(long Id, string Key, string Name)>(
            new CommandDefinition(
                $"SELECT id, key, name FROM workspaces WHERE {SqlLists.In(connection, "id", "ids")}",
                new { ids = batch.Select(b => b.Invitation.WorkspaceId).Distinct().ToArray() },
                cancellationToken: cancellationToken)))
            .ToDictionary(w => w.Id, w => CompanyName(w.Key, w.Name));
        var customerIds = batch.Select(b => b.Invitation.CustomerId).OfType<long>().Distinct().ToArray();
        var names = new Dictionary<long, string?>();
        foreach (var chunk in customerIds.Chunk(500))
        {
            var rows = await connection.QueryAsync<(long Id, string? Traits)>(
                new CommandDefinition($"SELECT id, traits FROM customers WHERE {SqlLists.In(connection, "id", "chunk")}", new { chunk }, cancellationToken: cancellationToken));
            foreach (var (id, traits) in rows)
            {
                names[id] = traits is not null && JsonNode.Parse(traits) is JsonObject parsed ? ProfileNames.DisplayName(parsed) : null;
            }
        }

        var mails = new List<InvitationMail>(batch.Count);
        foreach (var (invitation, survey) in batch)
        {
            var language = invitation.Language ?? survey.Definition.DefaultLanguage;
            var title = survey.Definition.Title.IsEmpty ? survey.Name : survey.Definition.Title.In(language);
            var token = await links.TokenAsync(invitation.WorkspaceId, LinkKind.Invitation, invitation.Id, cancellationToken);
            mails.Add(new InvitationMail(
                invitation.Address!,
                invitation.CustomerId is { } customer ? names.GetValueOrDefault(customer) : null,
                language,
                title,
                companies.GetValueOrDefault(invitation.WorkspaceId) ?? SenderName,
                new Uri(links.Url(token)),
                reminder,
                invitation.Id));
        }

        return mails;
    }

    private string SenderName => string.IsNullOrWhiteSpace(smtp.FromName) ? SmtpOptions.DefaultFromName : smtp.FromName;

    private string CompanyName(string key, string name) =>
        key == WorkspaceStore.DefaultKey && name == WorkspaceStore.DefaultName ? SenderName : name;
}
