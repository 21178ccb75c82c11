using System.Data.Common;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Dapper;
using OpenCem.Customers;
using OpenCem.Feedback.Responses;
using OpenCem.Feedback.Surveys;
using OpenCem.Storage;

namespace OpenCem.Feedback.Invitations;

/// <summary>Who to invite: a respondent (profile id or identifiers) and, for e-mail, optionally the address to use.</summary>
public sealed record InvitationTarget(Respondent Respondent, string? Email = null);

/// <summary>How to invite: the channel, and what the invitation is about.</summary>
public sealed record InvitationRequest(
    string Channel, string? Language = null, long? InteractionId = null, long? TouchpointId = null, DateTimeOffset? SendAt = null);

public sealed record InvitationResult(long? Id, long? CustomerId, string? Url, string Status, string? SuppressedReason);

/// <summary>The states of an invitation.</summary>
public static class InvitationStatus
{
    /// <summary>A personal link was made; nothing is sent.</summary>
    public const string Created = "created";

    /// <summary>An e-mail is waiting to be sent (at send_at).</summary>
    public const string Pending = "pending";

    /// <summary>A dispatcher has claimed the e-mail and is handing it to the SMTP server.</summary>
    public const string Sending = "sending";

    public const string Sent = "sent";
    public const string Opened = "opened";
    public const string Started = "started";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Expired = "expired";
    public const string Suppressed = "suppressed";
}

/// <summary>
/// Creates invitations under the contact rules: within one transaction per request (and, on PostgreSQL, an
/// advisory lock per workspace), so two concurrent requests cannot both take a customer's last free contact.
/// </summary>
public sealed class InvitationStore(Database database, RespondentLookup lookup, ContactRulesStore rulesStore, SurveyLinks links, TimeProvider time)
{
    /// <summary>The PostgreSQL advisory lock (with the workspace id) under which contact decisions are made.</summary>
    internal const int InvitationLock = 727276;

    public async Task<IReadOnlyList<InvitationResult>> CreateAsync(
        StoredSurvey survey, InvitationRequest request, IReadOnlyList<InvitationTarget> targets, CancellationToken cancellationToken = default)
    {
        var workspaceId = survey.WorkspaceId;
        var rules = await rulesStore.GetAsync(workspaceId, cancellationToken);
        var now = time.GetUtcNow();
        var customers = await CustomersOfAsync(workspaceId, targets.Select(t => t.Respondent).ToList(), cancellationToken);
        var results = new List<InvitationResult>();
        // The link key is made (if new) before the transaction: SQLite allows one writer at a time.
        await links.EnsureKeyAsync(workspaceId, cancellationToken);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (database.Kind == DatabaseKind.Postgres)
        {
            await connection.ExecuteAsync("SELECT pg_advisory_xact_lock(@lock, @ws::int)", new { @lock = InvitationLock, ws = workspaceId }, transaction);
        }

        var counts = new List<(long, long, string, long)>();
        foreach (var target in targets)
        {
            long? customerId = customers.TryGetValue(target.Respondent, out var c) ? c : null;
            var facts = await FactsAsync(connection, transaction, workspaceId, customerId, target, rules, now);
            var reason = ContactPolicy.SuppressionReason(rules, facts.Facts, request.Channel, survey.Definition.Audience, now);
            var status = reason is not null ? InvitationStatus.Suppressed : request.Channel == "email" ? InvitationStatus.Pending : InvitationStatus.Created;
            // Null when nothing is known about the person's language, so the page can follow the browser's.
            var wanted = request.Language ?? facts.Language;
            var language = wanted is null ? null : Language(survey.Definition, wanted);
            var id = await connection.ExecuteScalarAsync<long>(
                """
                INSERT INTO survey_invitations (workspace_id, survey_id, customer_id, channel, address, language, interaction_id, touchpoint_id, status,
                    suppressed_reason, nonce, created_at, send_at, reminders)
                VALUES (@workspaceId, @survey, @customerId, @channel, @address, @language, @InteractionId, @TouchpointId, @status, @reason, @nonce, @now, @sendAt, 0)
                RETURNING id
                """,
                new
                {
                    workspaceId,
                    survey = survey.Id,
                    customerId,
                    channel = request.Channel,
                    address = request.Channel == "email" ? facts.Facts.Address : null,
                    language,
                    request.InteractionId,
                    request.TouchpointId,
                    status,
                    reason,
                    nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(8)),
                    now = now.ToUnixTimeMilliseconds(),
                    sendAt = status == InvitationStatus.Pending ? (request.SendAt ?? now).ToUnixTimeMilliseconds() : (long?)null,
                },
                transaction);
            counts.Add((workspaceId, survey.Id, reason is null ? SurveyStats.Invited : SurveyStats.Suppressed, 1));
            var url = reason is null ? links.Url(await links.TokenAsync(workspaceId, LinkKind.Invitation, id, cancellationToken)) : null;
            results.Add(new InvitationResult(id, customerId, url, status, reason));
        }

        await SurveyRollup.CountAsync(connection, transaction, counts);
        await transaction.CommitAsync(cancellationToken);
        return results;
    }

    /// <summary>The survey's language closest to the wanted one: exact, then its primary subtag, else the survey's default.</summary>
    public static string Language(SurveyDefinition definition, string? wanted)
    {
        if (wanted is not null)
        {
            var primary = wanted.Split('-', '_')[0].ToLowerInvariant();
            if (definition.Languages.Contains(primary, StringComparer.OrdinalIgnoreCase))
            {
                return primary;
            }
        }

        return definition.DefaultLanguage;
    }

    private async Task<Dictionary<Respondent, long>> CustomersOfAsync(long workspaceId, List<Respondent> respondents, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var found = await RespondentLookup.FindAsync(connection, null, workspaceId, respondents);
        // Someone invited by an e-mail address nobody knows (a prospect, a lost customer) gets a profile; other
        // unknown identifiers name nobody reachable and are suppressed as unknown.
        var unknown = respondents.Where(r => r.Identifiers.Any(i => i.Type == "email") && !found.ContainsKey(r)).Distinct().ToList();
        if (unknown.Count == 0)
        {
            return found;
        }

        await lookup.CreateProfilesAsync(workspaceId, unknown, cancellationToken);
        return await RespondentLookup.FindAsync(connection, null, workspaceId, respondents);
    }

    /// <summary>What the contact rules need to know about a customer (and their preferred language), in the caller's transaction.</summary>
    internal static async Task<(ContactFacts Facts, string? Language)> FactsAsync(
        DbConnection connection, DbTransaction transaction, long workspaceId, long? customerId, InvitationTarget target, ContactRules rules, DateTimeOffset now)
    {
        if (customerId is not { } id)
        {
            return (new ContactFacts(false, false, 0, null, null, [], target.Email), null);
        }

        var profile = await connection.QuerySingleAsync<(string? Traits, long? ErasedAt)>(
            "SELECT traits, erased_at FROM customers WHERE id = @id", new { id }, transaction);
        var traits = profile.Traits is null ? [] : JsonNode.Parse(profile.Traits) as JsonObject ?? [];
        var since = rules.PeriodDays > 0 ? now.AddDays(-rules.PeriodDays).ToUnixTimeMilliseconds() : long.MaxValue;
        var recent = await connection.QuerySingleAsync<(long Count, long? Last)>(
            """
            SELECT count(*), max(created_at) FROM survey_invitations
            WHERE workspace_id = @workspaceId AND customer_id = @id AND created_at >= @since AND status <> 'suppressed'
            """,
            new { workspaceId, id, since }, transaction);
        var openCase = await connection.ExecuteScalarAsync<long?>(
            "SELECT min(id) FROM cases WHERE workspace_id = @workspaceId AND customer_id = @id AND status NOT IN ('resolved', 'closed')",
            new { workspaceId, id }, transaction);
        var address = target.Email ?? target.Respondent.Identifiers.FirstOrDefault(i => i.Type == "email").Value ?? ProfileTraitsReader.Text(traits, "email");
        return (new ContactFacts(
            true, profile.ErasedAt is not null, (int)recent.Count, recent.Last is { } last ? DateTimeOffset.FromUnixTimeMilliseconds(last) : null, openCase,
            ProfileTraitsReader.Consent(traits), address),
            ProfileTraitsReader.Preferences(traits).Language);
    }
}
