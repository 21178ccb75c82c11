using System.Globalization;
using System.Text.Json;
using OpenCem.Customers;
using OpenCem.Feedback.Surveys;
using OpenCem.Interactions;

namespace OpenCem.Feedback.Responses;

/// <summary>
/// Reads the body of <c>POST /api/v1/responses</c> for a known survey into a <see cref="ResponseItem"/>, or into
/// errors by field. A submitted response is complete: required questions must be answered.
/// </summary>
public static class ResponseRequest
{
    public const int MaxLanguageLength = 12;

    public static ResponseItem? Read(
        JsonElement body, long workspaceId, StoredSurvey survey, IdentitySettings identity, TouchpointResolver touchpoints, long now,
        string source, IDictionary<string, string[]> errors)
    {
        var respondent = RespondentLookup.Read(body, identity, errors);
        var answersJson = body.TryGetProperty("answers", out var a) ? a : default;
        if (answersJson.ValueKind == JsonValueKind.Undefined)
        {
            errors["answers"] = ["is required: an object of question name → answer."];
        }

        var answers = SurveyLogic.Read(survey.Definition, answersJson, errors);
        if (!errors.Keys.Any(k => k.StartsWith("answers", StringComparison.Ordinal)))
        {
            SurveyLogic.Complete(survey.Definition, answers, errors);
        }

        long? touchpointId = null;
        string? channel = Text(body, "channel", 40, errors);
        if (Text(body, "touchpoint", 100, errors) is { } key)
        {
            if (touchpoints.Find(key) is { } touchpoint)
            {
                touchpointId = touchpoint.Id;
                channel ??= touchpoint.Channel;
            }
            else
            {
                errors["touchpoint"] = [$"no touchpoint has the key \"{key}\"."];
            }
        }

        long? interactionId = null;
        if (body.TryGetProperty("interactionId", out var interaction) && interaction.ValueKind != JsonValueKind.Null)
        {
            if (interaction.ValueKind == JsonValueKind.Number && interaction.TryGetInt64(out var parsed) && parsed > 0)
            {
                interactionId = parsed;
            }
            else
            {
                errors["interactionId"] = ["must be an interaction id (a positive whole number)."];
            }
        }

        var submittedAt = now;
        if (Text(body, "submittedAt", 40, errors) is { } time)
        {
            if (DateTimeOffset.TryParse(time, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) && parsed.ToUnixTimeMilliseconds() <= now + 86_400_000)
            {
                submittedAt = parsed.ToUnixTimeMilliseconds();
            }
            else
            {
                errors["submittedAt"] = ["must be an ISO 8601 time, not in the future."];
            }
        }

        var language = Text(body, "language", MaxLanguageLength, errors)?.ToLowerInvariant();
        var externalId = Text(body, "responseId", 200, errors);
        if (errors.Count > 0)
        {
            return null;
        }

        var anonymous = AnonymousResponses.Applies(survey.Definition);
        return new ResponseItem
        {
            WorkspaceId = workspaceId,
            SurveyId = survey.Id,
            Respondent = anonymous ? Respondent.Anonymous : respondent,
            Anonymous = anonymous,
            InteractionId = anonymous ? null : interactionId,
            TouchpointId = touchpointId,
            Channel = channel,
            Language = language,
            Source = source,
            ExternalId = anonymous ? AnonymousResponses.ExternalId(externalId) : externalId,
            AnswersJson = answers.ToJson(survey.Definition),
            Scores = ResponseScores.Of(survey.Definition, answers),
            SubmittedAt = submittedAt,
        };
    }

    private static string? Text(JsonElement body, string name, int maxLength, IDictionary<string, string[]> errors)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String || value.GetString()!.Length is 0 || value.GetString()!.Length > maxLength)
        {
            errors[name] = [$"must be a text of 1 to {maxLength} characters."];
            return null;
        }

        return value.GetString();
    }
}
