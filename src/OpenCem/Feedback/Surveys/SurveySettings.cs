using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenCem.Feedback.Surveys;

/// <summary>
/// Ask after an interaction: at a touchpoint (optionally a given event, journey stage or outcome), after a delay,
/// to a sample of the customers, through a channel (<c>email</c> sends the invitation; <c>link</c> only creates it).
/// </summary>
public sealed record SurveyTrigger(
    string Touchpoint,
    string? Event = null,
    string? Stage = null,
    string? Outcome = null,
    int DelayMinutes = 60,
    double SamplingRate = 1.0,
    string Channel = "email");

/// <summary>Remind a respondent who has not answered, after some days, at most a number of times.</summary>
public sealed record ReminderPolicy(int AfterDays = 3, int Max = 1);

/// <summary>The web intercept: which question it shows, to what share of eligible visitors.</summary>
public sealed record InterceptSettings(string Question, double SamplingRate = 1.0, string? CommentQuestion = null);

/// <summary>How a survey is distributed: OpenCem's own settings next to the SurveyJS definition.</summary>
public sealed record SurveySettings
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public static SurveySettings Default { get; } = new();

    /// <summary>A closed survey takes no more answers and sends no more invitations.</summary>
    public bool Closed { get; init; }

    /// <summary>Whether the survey has an open, anonymous link (for lost customers, non-customers, employees).</summary>
    public bool AnonymousLink { get; init; }

    public IReadOnlyList<SurveyTrigger> Triggers { get; init; } = [];

    public ReminderPolicy Reminders { get; init; } = new();

    /// <summary>Days after which an unanswered invitation expires.</summary>
    public int ExpiresAfterDays { get; init; } = 30;

    public InterceptSettings? Intercept { get; init; }

    /// <summary>Checks the settings against the survey; returns problems keyed by field.</summary>
    public Dictionary<string, string[]> Validate(SurveyDefinition definition)
    {
        var errors = new Dictionary<string, string[]>();
        for (var i = 0; i < Triggers.Count; i++)
        {
            var t = Triggers[i];
            if (string.IsNullOrWhiteSpace(t.Touchpoint))
            {
                errors[$"settings.triggers[{i}].touchpoint"] = ["names the touchpoint (its key) after which to ask."];
            }

            if (t.SamplingRate is <= 0 or > 1 || double.IsNaN(t.SamplingRate))
            {
                errors[$"settings.triggers[{i}].samplingRate"] = ["must be above 0 and at most 1."];
            }

            if (t.DelayMinutes is < 0 or > 60 * 24 * 60)
            {
                errors[$"settings.triggers[{i}].delayMinutes"] = ["must be from 0 to 86400 (60 days)."];
            }

            if (t.Channel is not ("email" or "link"))
            {
                errors[$"settings.triggers[{i}].channel"] = ["must be email or link."];
            }

            if (t.Outcome is not (null or "success" or "failure" or "abandoned"))
            {
                errors[$"settings.triggers[{i}].outcome"] = ["must be success, failure or abandoned."];
            }
        }

        if (Reminders.AfterDays is < 1 or > 60 || Reminders.Max is < 0 or > 5)
        {
            errors["settings.reminders"] = ["afterDays runs from 1 to 60, max from 0 to 5."];
        }

        if (ExpiresAfterDays is < 1 or > 365)
        {
            errors["settings.expiresAfterDays"] = ["must be from 1 to 365."];
        }

        if (Intercept is { } intercept)
        {
            if (definition.Find(intercept.Question) is not { Type: QuestionType.Rating, Role: QuestionRole.Nps or QuestionRole.Csat or QuestionRole.Ces })
            {
                errors["settings.intercept.question"] = ["must name the survey's nps, csat or ces rating question."];
            }

            if (intercept.CommentQuestion is { } comment && definition.Find(comment) is not { Type: QuestionType.Comment or QuestionType.Text })
            {
                errors["settings.intercept.commentQuestion"] = ["must name a comment or text question of the survey."];
            }

            if (intercept.SamplingRate is <= 0 or > 1 || double.IsNaN(intercept.SamplingRate))
            {
                errors["settings.intercept.samplingRate"] = ["must be above 0 and at most 1."];
            }
        }

        return errors;
    }
}
