using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenCem.Feedback.Surveys;
using OpenCem.Hosting;

namespace OpenCem.Analytics.Drivers;

/// <summary>The query parameters the drivers and disconfirmation endpoints share, each checked with a problem naming it.</summary>
internal static class AnalyticsParameters
{
    /// <summary>The survey of <c>survey=ID</c> in the caller's workspace, or the problem.</summary>
    public static async Task<(StoredSurvey? Survey, ProblemHttpResult? Problem)> SurveyAsync(HttpContext context, SurveyStore surveys)
    {
        var raw = context.Request.Query["survey"].ToString();
        if (string.IsNullOrWhiteSpace(raw))
        {
            return (null, Problems.Field(400, "survey", "The survey parameter is required: survey=ID."));
        }

        if (!long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return (null, Problems.Field(400, "survey", $"'{raw}' is not a survey id."));
        }

        var survey = await surveys.GetAsync(ApiKeyAuthentication.WorkspaceOf(context.User), id, context.RequestAborted);
        if (survey is not null && Feedback.Responses.AnonymousResponses.Applies(survey.Definition))
        {
            // Read row by row and filtered freely, a few employees' answers would stand out; the pulse endpoints apply the anonymity policy.
            return (null, Problems.Field(400, "survey", $"survey {id} asks employees anonymously: see /api/v1/pulse/enps and /api/v1/pulse/items."));
        }

        return survey is null ? (null, Problems.Field(422, "survey", $"There is no survey {id}.")) : (survey, null);
    }

    /// <summary>The period from <c>from</c> (inclusive) to <c>to</c> (exclusive) as UTC milliseconds, open ends unbounded.</summary>
    public static (long From, long To, ProblemHttpResult? Problem) Period(HttpContext context)
    {
        var (from, fromProblem) = Time(context, "from", long.MinValue);
        var (to, toProblem) = Time(context, "to", long.MaxValue);
        if ((fromProblem ?? toProblem) is { } problem)
        {
            return (0, 0, problem);
        }

        return from >= to ? (0, 0, Problems.Field(400, "to", "The end of the period (to) must be after its start (from).")) : (from, to, null);
    }

    public static (IReadOnlyList<ResponseFilter> Filters, ProblemHttpResult? Problem) Filters(HttpContext context)
    {
        var (filters, problem) = ResponseFilters.Parse(context.Request.Query[ResponseFilters.Parameter]);
        return problem is null ? (filters, null) : ([], Problems.Field(400, ResponseFilters.Parameter, problem));
    }

    /// <summary>An optional whole number between <paramref name="min"/> and <paramref name="max"/>.</summary>
    public static (int Value, ProblemHttpResult? Problem) Integer(HttpContext context, string name, int fallback, int min, int max)
    {
        var raw = context.Request.Query[name].ToString();
        if (string.IsNullOrEmpty(raw))
        {
            return (fallback, null);
        }

        return int.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? (value, null)
            : (0, Problems.Field(400, name, $"{name} must be a whole number from {min} to {max}."));
    }

    private static (long Value, ProblemHttpResult? Problem) Time(HttpContext context, string name, long fallback)
    {
        var raw = context.Request.Query[name].ToString();
        if (string.IsNullOrEmpty(raw))
        {
            return (fallback, null);
        }

        return DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            ? (at.ToUnixTimeMilliseconds(), null)
            : (0, Problems.Field(400, name, $"'{raw}' is not a date or time; use ISO 8601 such as 2025-01-01 or 2025-01-01T00:00:00Z."));
    }
}
