using System.Text.Json;

namespace OpenCem.Feedback.Surveys;

/// <summary>
/// A survey as posted (<c>{"name", "definition": SurveyJS JSON, "settings"?}</c>) and read: the API and the dashboard's
/// editor both validate with <see cref="Read"/>, so they accept and refuse the same surveys with the same messages.
/// </summary>
public sealed record SurveyInput(string Name, SurveyDefinition Definition, string Json, SurveySettings Settings)
{
    /// <summary>The survey, or null with every problem by field (name, definition, settings, settings.FIELD).</summary>
    public static SurveyInput? Read(JsonElement body, out Dictionary<string, string[]> errors)
    {
        errors = [];
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors["body"] = ["must be an object {\"name\", \"definition\", \"settings\"}."];
            return null;
        }

        foreach (var property in body.EnumerateObject().Where(p => p.Name is not ("name" or "definition" or "settings")))
        {
            errors[property.Name] = ["is not a property of a survey (name, definition, settings)."];
        }

        var name = body.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()!.Trim() : "";
        if (name.Length is 0 or > SurveysApi.MaxNameLength)
        {
            errors["name"] = [$"is required: a text of up to {SurveysApi.MaxNameLength} characters."];
        }

        SurveyDefinition? definition = null;
        var json = "";
        if (!body.TryGetProperty("definition", out var d))
        {
            errors["definition"] = ["is required: the survey as SurveyJS JSON."];
        }
        else
        {
            try
            {
                definition = SurveyDefinitionParser.Parse(d);
                json = d.GetRawText();
            }
            catch (SurveyDefinitionException ex)
            {
                errors["definition"] = ex.Problems.ToArray();
            }
        }

        var settings = SurveySettings.Default;
        if (body.TryGetProperty("settings", out var s) && s.ValueKind != JsonValueKind.Null)
        {
            try
            {
                settings = s.Deserialize<SurveySettings>(SurveySettings.Json) ?? SurveySettings.Default;
            }
            catch (JsonException ex)
            {
                errors["settings"] = [$"cannot be read: {ex.Message}"];
            }
        }

        if (definition is not null)
        {
            foreach (var (field, messages) in settings.Validate(definition))
            {
                errors[field] = messages;
            }
        }

        return errors.Count == 0 ? new SurveyInput(name, definition!, json, settings) : null;
    }
}
