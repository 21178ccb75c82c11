using System.Data.Common;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using OpenCem.Actions.Cases;
using OpenCem.Actions.Events;
using OpenCem.Actions.Notifications;
using OpenCem.Feedback.Invitations;
using OpenCem.Feedback.Responses;
using OpenCem.Feedback.Surveys;
using OpenCem.Storage;

namespace OpenCem.Actions.Rules;

/// <summary>
/// Carries out a firing's actions inside the caller's transaction (the one that records the firing and moves the
/// cursor), so they all happen once or not at all. Each returns a short line for the firing record. An action that
/// cannot apply (no customer to tag, a survey that no longer exists) says so instead of failing the rule.
/// </summary>
public sealed class RuleActions(Database database, SurveyStore surveys, ContactRulesStore contactRules)
{
    public async Task<IReadOnlyList<string>> RunAsync(
        DbConnection connection, DbTransaction transaction, StoredRule rule, RuleSubject subject, long now, CancellationToken cancellationToken)
    {
        var results = new List<string>();
        foreach (var action in rule.Definition.Actions)
        {
            results.Add(action.Type switch
            {
                RuleActionTypes.OpenCase => await OpenCaseAsync(connection, transaction, rule, subject, action, now),
                RuleActionTypes.Webhook => await WebhookAsync(connection, transaction, rule, subject, action, now),
                RuleActionTypes.Email => await EmailAsync(connection, transaction, rule, subject, action, now),
                RuleActionTypes.Tag => await TagAsync(connection, transaction, rule, subject, action, now),
                RuleActionTypes.Survey => await SurveyAsync(connection, transaction, rule, subject, action, now, cancellationToken),
                RuleActionTypes.HelpOffer => await HelpOfferAsync(connection, transaction, rule, subject, action, now),
                _ => $"{action.Type}: unknown action, skipped",
            });
        }

        return results;
    }

    /// <summary>The case's source key: one case per rule and triggering source, however often it is processed.</summary>
    public static string SourceKey(long ruleId, RuleSubject subject) => $"rule:{ruleId}:{subject.SourceKind}:{subject.SourceId}";

    private static async Task<string> OpenCaseAsync(DbConnection connection, DbTransaction transaction, StoredRule rule, RuleSubject subject, RuleAction action, long now)
    {
        var (id, opened) = await CaseOpener.OpenAsync(connection, transaction, new CaseOpening(
            subject.WorkspaceId,
            action.Text("title") ?? rule.Definition.Name,
            subject.CustomerId,
            Reason: action.Text("reason") ?? rule.Definition.Name,
            Priority: action.Text("priority") ?? CasePriorities.Normal,
            Team: action.Text("team"),
            Owner: action.Text("owner"),
            ResponseId: subject.ResponseId,
            InteractionId: subject.InteractionId,
            TouchpointId: subject.TouchpointId,
            RuleId: rule.Id,
            SourceKey: SourceKey(rule.Id, subject)), now);
        return opened ? $"openCase: case {id} opened" : $"openCase: case {id} existed";
    }

    /// <summary>A <c>rule.fired</c> event naming the webhook: the webhook worker delivers it to that endpoint only.</summary>
    private static async Task<string> WebhookAsync(DbConnection connection, DbTransaction transaction, StoredRule rule, RuleSubject subject, RuleAction action, long now)
    {
        var webhookId = action.Number("webhookId");
        var payload = new JsonObject
        {
            ["webhookId"] = webhookId,
            ["ruleId"] = rule.Id,
            ["ruleName"] = rule.Definition.Name,
            ["trigger"] = new JsonObject
            {
                ["type"] = subject.Trigger,
                ["sourceKind"] = subject.SourceKind,
                ["sourceId"] = subject.SourceId,
                ["occurredAt"] = subject.OccurredAt.ToUnixTimeMilliseconds(),
                ["data"] = subject.Payload is { } data ? JsonNode.Parse(data) : subject.Roots.DeepClone(),
            },
            ["customerId"] = subject.CustomerId,
        };
        var eventId = await EventOutbox.AppendAsync(connection, transaction, new OutboxEvent(
            subject.WorkspaceId, EventTypes.RuleFired, subject.CustomerId, rule.Id, payload.ToJsonString(), DateTimeOffset.FromUnixTimeMilliseconds(now)), now);
        return $"webhook: event {eventId} for webhook {webhookId}";
    }

    private static async Task<string> EmailAsync(DbConnection connection, DbTransaction transaction, StoredRule rule, RuleSubject subject, RuleAction action, long now)
    {
        var body = action.Text("body") ?? NotificationText.Body(rule.Definition.Name, subject);
        var id = await NotificationQueue.EnqueueAsync(connection, transaction, subject.WorkspaceId, rule.Id, action.Text("to")!, action.Text("subject")!, body, now);
        return $"email: notification {id} queued";
    }

    private static async Task<string> TagAsync(DbConnection connection, DbTransaction transaction, StoredRule rule, RuleSubject subject, RuleAction action, long now)
    {
        if (subject.CustomerId is not { } customerId)
        {
            return "tag: no customer, skipped";
        }

        await connection.ExecuteAsync(
            """
            INSERT INTO customer_tags (workspace_id, customer_id, tag, rule_id, created_at) VALUES (@ws, @customerId, @tag, @ruleId, @now)
            ON CONFLICT (workspace_id, customer_id, tag) DO NOTHING
            """,
            new { ws = subject.WorkspaceId, customerId, tag = action.Text("tag"), ruleId = rule.Id, now }, transaction);
        return $"tag: {action.Text("tag")}";
    }

    /// <summary>A survey invitation under the contact rules, as <see cref="InvitationStore"/> makes them, in this transaction.</summary>
    private async Task<string> SurveyAsync(
        DbConnection connection, DbTransaction transaction, StoredRule rule, RuleSubject subject, RuleAction action, long now, CancellationToken cancellationToken)
    {
        var ws = subject.WorkspaceId;
        if (await surveys.GetAsync(ws, action.Number("surveyId") ?? 0, cancellationToken) is not { Settings.Closed: false } survey)
        {
            return $"survey: survey {action.Number("surveyId")} does not exist or is closed, skipped";
        }

        if (database.Kind == DatabaseKind.Postgres)
        {
            await connection.ExecuteAsync("SELECT pg_advisory_xact_lock(@lock, @ws::int)", new { @lock = InvitationStore.InvitationLock, ws }, transaction);
        }

        var channel = action.Text("channel") ?? "email";
        var rules = await contactRules.GetAsync(ws, cancellationToken);
        var at = DateTimeOffset.FromUnixTimeMilliseconds(now);
        var facts = await InvitationStore.FactsAsync(connection, transaction, ws, subject.CustomerId, new InvitationTarget(Respondent.Anonymous), rules, at);
        var reason = ContactPolicy.SuppressionReason(rules, facts.Facts, channel, survey.Definition.Audience, at);
        var status = reason is not null ? InvitationStatus.Suppressed : channel == "email" ? InvitationStatus.Pending : InvitationStatus.Created;
        var id = await connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO survey_invitations (workspace_id, survey_id, customer_id, channel, address, language, interaction_id, touchpoint_id, status,
                suppressed_reason, nonce, created_at, send_at, reminders)
            VALUES (@ws, @survey, @customerId, @channel, @address, @language, @interactionId, @touchpointId, @status, @reason, @nonce, @now, @sendAt, 0)
            RETURNING id
            """,
            new
            {
                ws,
                survey = survey.Id,
                customerId = subject.CustomerId,
                channel,
                address = channel == "email" ? facts.Facts.Address : null,
                language = facts.Language is null ? null : InvitationStore.Language(survey.Definition, facts.Language),
                interactionId = subject.InteractionId,
                touchpointId = subject.TouchpointId,
                status,
                reason,
                nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(8)),
                now,
                sendAt = status == InvitationStatus.Pending ? now : (long?)null,
            },
            transaction);
        await SurveyRollup.CountAsync(connection, transaction, [(ws, survey.Id, reason is null ? SurveyStats.Invited : SurveyStats.Suppressed, 1L)]);
        return reason is null ? $"survey: invitation {id}" : $"survey: invitation {id} suppressed ({reason})";
    }

    private static async Task<string> HelpOfferAsync(DbConnection connection, DbTransaction transaction, StoredRule rule, RuleSubject subject, RuleAction action, long now)
    {
        if (subject.CustomerId is not { } customerId)
        {
            return "helpOffer: no customer, skipped";
        }

        var channel = action.Text("channel")!;
        var message = action.Text("message")!;
        long? expiresAt = action.Number("expiresInMinutes") is { } minutes ? now + (minutes * 60_000) : null;
        var id = await connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO help_offers (workspace_id, customer_id, channel, message, rule_id, touchpoint_id, created_at, expires_at)
            VALUES (@ws, @customerId, @channel, @message, @ruleId, @touchpointId, @now, @expiresAt)
            RETURNING id
            """,
            new { ws = subject.WorkspaceId, customerId, channel, message, ruleId = rule.Id, touchpointId = subject.TouchpointId, now, expiresAt }, transaction);
        var payload = JsonSerializer.Serialize(new { helpOfferId = id, customerId, channel, message, ruleId = rule.Id, subject.TouchpointId, expiresAt }, JsonSerializerOptions.Web);
        await EventOutbox.AppendAsync(connection, transaction, new OutboxEvent(
            subject.WorkspaceId, EventTypes.HelpOffered, customerId, id, payload, DateTimeOffset.FromUnixTimeMilliseconds(now)), now);
        return $"helpOffer: offer {id} on {channel}";
    }
}
