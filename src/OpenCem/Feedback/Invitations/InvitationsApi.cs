using System.Globalization;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenCem.Customers;
using OpenCem.Feedback.Responses;
using OpenCem.Feedback.Surveys;
using OpenCem.Hosting;
using OpenCem.Interactions;
using OpenCem.Storage;

namespace OpenCem.Feedback.Invitations;

public sealed record InvitationsCreated(IReadOnlyList<InvitationResult> Invitations);

public sealed record InvitationView(
    long Id, long? CustomerId, string Channel, string? Language, long? InteractionId, string Status, string? SuppressedReason, int Reminders,
    DateTimeOffset CreatedAt, DateTimeOffset? SentAt, DateTimeOffset? CompletedAt, string? Error);

public sealed record InvitationPage(IReadOnlyList<InvitationView> Invitations, string? NextCursor);

public sealed record OpenLink(string Url);

/// <summary>Management API: invitations (personal links, e-mail) under the workspace's contact rules.</summary>
public static class InvitationsApi
{
    public const int MaxCustomersPerRequest = 1000;

    public static RouteGroupBuilder MapInvitationsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/surveys/{id:long}/invitations", CreateAsync).WithTags("Invitations")
            .WithSummary("Invites customers: {\"channel\": \"link\"|\"email\", \"customers\": [{\"customerId\"|\"userId\"|\"email\": ...}]}; each answer has its url, or why it was suppressed.");
        api.MapGet("/surveys/{id:long}/invitations", ListAsync).WithTags("Invitations")
            .WithSummary("A survey's invitations, newest first, with status and suppression reason; filter by status.");
        api.MapGet("/surveys/{id:long}/link", OpenLinkAsync).WithTags("Invitations")
            .WithSummary("The survey's open, anonymous link (when its settings allow one).");
        api.MapGet("/contact-rules", async (HttpContext context, ContactRulesStore store) =>
            TypedResults.Ok(await store.GetAsync(ApiKeyAuthentication.WorkspaceOf(context.User), context.RequestAborted)))
            .WithTags("Invitations").WithSummary("The contact-frequency rules that apply across all surveys.");
        api.MapPut("/contact-rules", SaveRulesAsync).WithTags("Invitations")
            .WithSummary("Sets the contact rules: {maxInvitations, periodDays, skipOpenCases, consent: required|unlessRefused|ignored}.");
        return api;
    }

    private static async Task<Results<Ok<InvitationsCreated>, ProblemHttpResult>> CreateAsync(
        HttpContext context, SurveyStore surveys, InvitationStore invitations, IdentityService identity, CatalogueCache catalogue, long id, JsonElement body)
    {
        var workspaceId = ApiKeyAuthentication.WorkspaceOf(context.User);
        if (await surveys.GetAsync(workspaceId, id, context.RequestAborted) is not { } survey)
        {
            return SurveysApi.NotFound(id);
        }

        if (survey.Settings.Closed)
        {
            return Problems.Field(StatusCodes.Status409Conflict, "id", $"Survey {id} is closed.");
        }

        var errors = new Dictionary<string, string[]>();
        if (body.ValueKind != JsonValueKind.Object)
        {
            return Problems.Field(StatusCodes.Status400BadRequest, "body", "The body must be a JSON object.");
        }

        var channel = body.TryGetProperty("channel", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
        if (channel is not ("link" or "email"))
        {
            errors["channel"] = ["must be link or email."];
        }

        var settings = await identity.GetSettingsAsync(workspaceId, context.RequestAborted);
        var targets = new List<InvitationTarget>();
        if (!body.TryGetProperty("customers", out var customers) || customers.ValueKind != JsonValueKind.Array || customers.GetArrayLength() is 0 or > MaxCustomersPerRequest)
        {
            errors["customers"] = [$"is required: an array of 1 to {MaxCustomersPerRequest} customers, each {{\"customerId\"|\"userId\"|\"email\"|\"identifiers\": ...}}."];
        }
        else
        {
            var index = 0;
            foreach (var customer in customers.EnumerateArray())
            {
                var own = new Dictionary<string, string[]>();
                var respondent = customer.ValueKind == JsonValueKind.Object ? RespondentLookup.Read(customer, settings, own) : Respondent.Anonymous;
                if (respondent.IsAnonymous && own.Count == 0)
                {
                    own["customerId"] = ["names no customer: give customerId, userId, email or identifiers."];
                }

                foreach (var (field, messages) in own)
                {
                    errors[$"customers[{index}].{field}"] = messages;
                }

                targets.Add(new InvitationTarget(respondent, respondent.Identifiers.FirstOrDefault(i => i.Type == "email").Value));
                index++;
            }
        }

        var language = body.TryGetProperty("language", out var l) && l.ValueKind == JsonValueKind.String ? l.GetString() : null;
        long? interactionId = body.TryGetProperty("interactionId", out var i) && i.ValueKind == JsonValueKind.Number && i.TryGetInt64(out var parsed) ? parsed : null;
        long? touchpointId = null;
        if (body.TryGetProperty("touchpoint", out var t) && t.ValueKind == JsonValueKind.String)
        {
            await catalogue.RefreshAsync([workspaceId], context.RequestAborted);
            touchpointId = catalogue.Get(workspaceId).Find(t.GetString()!)?.Id;
            if (touchpointId is null)
            {
                errors["touchpoint"] = [$"no touchpoint has the key \"{t.GetString()}\"."];
            }
        }

        DateTimeOffset? sendAt = null;
        if (body.TryGetProperty("sendAt", out var s) && s.ValueKind == JsonValueKind.String)
        {
            sendAt = DateTimeOffset.TryParse(s.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;
            if (sendAt is null)
            {
                errors["sendAt"] = ["must be an ISO 8601 time."];
            }
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var results = await invitations.CreateAsync(survey, new InvitationRequest(channel!, language, interactionId, touchpointId, sendAt), targets, context.RequestAborted);
        return TypedResults.Ok(new InvitationsCreated(results));
    }

    private static async Task<Results<Ok<InvitationPage>, ProblemHttpResult>> ListAsync(
        HttpContext context, SurveyStore surveys, Database database, long id, string? status, string? cursor, string? limit)
    {
        var workspaceId = ApiKeyAuthentication.WorkspaceOf(context.User);
        if (await surveys.GetAsync(workspaceId, id, context.RequestAborted) is null)
        {
            return SurveysApi.NotFound(id);
        }

        var errors = new Dictionary<string, string[]>();
        var (position, pageSize) = IdPage.Parse(cursor, limit, errors);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        await using var connection = await database.OpenAsync(context.RequestAborted);
        var rows = (await connection.QueryAsync<InvitationRow>(
            $"""
            SELECT id, customer_id, channel, language, interaction_id, status, suppressed_reason, reminders, created_at, sent_at, completed_at, error
            FROM survey_invitations WHERE workspace_id = @workspaceId AND survey_id = @id AND id < @before {(status is null ? "" : "AND status = @status")}
            ORDER BY id DESC LIMIT @pageSize
            """,
            new { workspaceId, id, before = position ?? long.MaxValue, status, pageSize })).ToList();
        return TypedResults.Ok(new InvitationPage(rows.Select(r => r.ToView()).ToList(), IdPage.Next(rows.Count, pageSize, rows.Count > 0 ? rows[^1].Id : 0)));
    }

    private static async Task<Results<Ok<OpenLink>, ProblemHttpResult>> OpenLinkAsync(HttpContext context, SurveyStore surveys, SurveyLinks links, long id)
    {
        var workspaceId = ApiKeyAuthentication.WorkspaceOf(context.User);
        if (await surveys.GetAsync(workspaceId, id, context.RequestAborted) is not { } survey)
        {
            return SurveysApi.NotFound(id);
        }

        if (!survey.Settings.AnonymousLink)
        {
            return Problems.Field(StatusCodes.Status409Conflict, "settings.anonymousLink", "This survey has no open link; set settings.anonymousLink to true.");
        }

        return TypedResults.Ok(new OpenLink(links.Url(await links.TokenAsync(workspaceId, LinkKind.OpenSurvey, id, context.RequestAborted))));
    }

    private static async Task<Results<Ok<ContactRules>, ProblemHttpResult>> SaveRulesAsync(HttpContext context, ContactRulesStore store, JsonElement body)
    {
        ContactRules? rules;
        try
        {
            rules = body.Deserialize<ContactRules>(ContactRulesStore.SerializerOptions);
        }
        catch (JsonException ex)
        {
            return Problems.Field(StatusCodes.Status422UnprocessableEntity, ex.Path ?? "body", $"The contact rules cannot be read: {ex.Message}");
        }

        if (rules is null)
        {
            return Problems.Field(StatusCodes.Status400BadRequest, "body", "The body must be a JSON object.");
        }

        var errors = rules.Validate();
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        await store.SaveAsync(ApiKeyAuthentication.WorkspaceOf(context.User), rules, context.RequestAborted);
        return TypedResults.Ok(rules);
    }

    private sealed class InvitationRow
    {
        public long Id { get; set; }

        public long? Customer_Id { get; set; }

        public string Channel { get; set; } = "";

        public string? Language { get; set; }

        public long? Interaction_Id { get; set; }

        public string Status { get; set; } = "";

        public string? Suppressed_Reason { get; set; }

        public int Reminders { get; set; }

        public long Created_At { get; set; }

        public long? Sent_At { get; set; }

        public long? Completed_At { get; set; }

        public string? Error { get; set; }

        public InvitationView ToView() => new(
            Id, Customer_Id, Channel, Language, Interaction_Id, Status, Suppressed_Reason, Reminders, DateTimeOffset.FromUnixTimeMilliseconds(Created_At),
            Sent_At is { } sent ? DateTimeOffset.FromUnixTimeMilliseconds(sent) : null,
            Completed_At is { } done ? DateTimeOffset.FromUnixTimeMilliseconds(done) : null, Error);
    }
}
