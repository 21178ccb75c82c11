using System.Text.Json;
using OpenCem.Actions.Events;

namespace OpenCem.Feedback.Responses;

/// <summary>The <c>response.submitted</c> outbox event of a stored response: its scores, comment, where it came from and whose it is.</summary>
public static class ResponseEvents
{
    public static OutboxEvent Submitted(ResponseItem item) => new(
        item.WorkspaceId,
        EventTypes.ResponseSubmitted,
        item.CustomerId,
        item.Id,
        JsonSerializer.Serialize(new
        {
            responseId = item.Id,
            surveyId = item.SurveyId,
            touchpointId = item.TouchpointId,
            channel = item.Channel,
            nps = item.Scores.Nps,
            csat = item.Scores.Csat,
            ces = item.Scores.Ces,
            overall = item.Scores.Overall,
            comment = item.Scores.Comment,
            customerId = item.CustomerId,
        }, JsonSerializerOptions.Web),
        DateTimeOffset.FromUnixTimeMilliseconds(item.SubmittedAt));
}
