using System.Text.Json;
using OpenCem.Analytics.Metrics;
using OpenCem.Feedback.Invitations;
using OpenCem.Feedback.Responses;
using OpenCem.Feedback.Surveys;

namespace OpenCem.Dashboard.Surveys;

/// <summary>A survey in the list: its summary over all time (responses, invitations sent and answered, rate).</summary>
public sealed record SurveyListItem(StoredSurvey Survey, SurveySummaryView Summary);

/// <summary>One survey's page: the summary, its latest invitations' statistics, and whether its scores may be shown.</summary>
public sealed record SurveyDetail(StoredSurvey Survey, SurveySummaryView Summary, InvitationCounts Invitations, int MinimumN)
{
    /// <summary>
    /// Employee surveys promise anonymity: their summary comes through the pulse's anonymity policy (as the API's), and
    /// below the workspace's minimum n their scores are not shown either, so nobody's answer can be read off a small group.
    /// </summary>
    public bool ScoresHidden => Survey.Definition.Audience == SurveyAudience.Employees && (Summary.N is not { } n || n < MinimumN || Summary.Anonymity?.Suppressed == true);
}

/// <summary>Reads the Surveys pages through the survey, summary, invitation and metrics-settings services.</summary>
public sealed class SurveysReport(
    SurveyStore surveys, SurveySummary summaries, Organisation.Pulse.PulseSummary pulse, InvitationStatistics invitations, MetricsSettingsStore metricsSettings)
{
    public async Task<IReadOnlyList<SurveyListItem>> ListAsync(long workspaceId, CancellationToken cancellationToken = default)
    {
        var list = new List<SurveyListItem>();
        foreach (var survey in await surveys.ListAsync(workspaceId, cancellationToken))
        {
            list.Add(new SurveyListItem(survey, await SummaryAsync(survey, cancellationToken)));
        }

        return list;
    }

    public async Task<SurveyDetail?> GetAsync(long workspaceId, long id, CancellationToken cancellationToken = default)
    {
        if (await surveys.GetAsync(workspaceId, id, cancellationToken) is not { } survey)
        {
            return null;
        }

        var settings = await metricsSettings.GetAsync(workspaceId, cancellationToken);
        return new SurveyDetail(
            survey, await SummaryAsync(survey, cancellationToken), await invitations.ForSurveyAsync(workspaceId, id, cancellationToken), settings.MinimumN);
    }

    /// <summary>All-time results; an employee survey's through the same anonymity policy as the summary API.</summary>
    private Task<SurveySummaryView> SummaryAsync(StoredSurvey survey, CancellationToken cancellationToken) =>
        survey.Definition.Audience == SurveyAudience.Employees
            ? pulse.GetAsync(survey, null, null, cancellationToken)
            : summaries.GetAsync(survey, null, null, cancellationToken);

    /// <summary>
    /// Saves the editor's name and definition with the survey's current settings, validated by <see cref="SurveyInput.Read"/>
    /// like <c>PUT /api/v1/surveys/{id}</c>; returns the problems by field (empty when saved).
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string[]>> SaveAsync(long workspaceId, StoredSurvey survey, string name, string definitionJson, CancellationToken cancellationToken = default)
    {
        if (Body(name, definitionJson, survey.Settings) is not { } body)
        {
            return new Dictionary<string, string[]> { ["definition"] = ["is not JSON: check brackets, commas and quotes."] };
        }

        using (body)
        {
            if (SurveyInput.Read(body.RootElement, out var errors) is not { } input)
            {
                return errors;
            }

            return await surveys.UpdateAsync(workspaceId, survey.Id, input.Name, input.Definition, input.Json, input.Settings, cancellationToken)
                ? new Dictionary<string, string[]>()
                : new Dictionary<string, string[]> { ["id"] = ["The survey was deleted meanwhile."] };
        }
    }

    /// <summary>The API's body <c>{"name", "definition", "settings"}</c> from the editor's fields; null when the definition is not JSON.</summary>
    public static JsonDocument? Body(string name, string definitionJson, SurveySettings settings)
    {
        try
        {
            using var definition = JsonDocument.Parse(definitionJson);
            var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteString("name", name);
                writer.WritePropertyName("definition");
                definition.RootElement.WriteTo(writer);
                writer.WritePropertyName("settings");
                JsonSerializer.Serialize(writer, settings, SurveySettings.Json);
                writer.WriteEndObject();
            }

            return JsonDocument.Parse(buffer.ToArray());
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A problem of the definition split into where and what ("pages[0].elements[1]: ..." → path, message). Pure.</summary>
    public static (string Field, string Message) Split(string field, string message)
    {
        var colon = message.IndexOf(": ", StringComparison.Ordinal);
        return colon > 0 && !message[..colon].Contains(' ', StringComparison.Ordinal) ? ($"{field}: {message[..colon]}", message[(colon + 2)..]) : (field, message);
    }
}
