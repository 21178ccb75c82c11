using System.Globalization;
using OpenCem.Interactions;
using OpenCem.Text.Insights;
using OpenCem.Text.Pipeline;

namespace OpenCem.Text.Experience;

/// <summary>
/// The usual text filters (period, survey, touchpoint, kind) read from a query string for the experience and brand
/// endpoints; errors name the field. The same <see cref="ThemeFilter"/> as the themes, so the numbers agree.
/// </summary>
public static class ExperienceFilter
{
    public static async Task<ThemeFilter> ParseAsync(
        long workspaceId, CatalogueStore catalogue, string? from, string? to, string? survey, string? touchpoint, string? kind,
        Dictionary<string, string[]> errors, CancellationToken cancellationToken)
    {
        var fromTime = InteractionsApi.ParseTime(from, "from", errors);
        var toTime = InteractionsApi.ParseTime(to, "to", errors);
        if (fromTime is { } f && toTime is { } t && t <= f)
        {
            errors["to"] = ["must be after from."];
        }

        long? surveyId = null;
        if (survey is not null)
        {
            surveyId = long.TryParse(survey, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
            if (surveyId is null)
            {
                errors["survey"] = ["must be a survey id (a whole number)."];
            }
        }

        string? itemKind = kind switch
        {
            null or "all" => null,
            "responses" => TextItemKind.Response,
            "signals" => TextItemKind.Signal,
            _ => "?",
        };
        if (itemKind == "?")
        {
            errors["kind"] = ["must be responses, signals or all."];
            itemKind = null;
        }

        long? touchpointId = null;
        if (touchpoint is not null)
        {
            touchpointId = (await catalogue.FindTouchpointAsync(workspaceId, touchpoint, cancellationToken))?.Id;
            if (touchpointId is null)
            {
                errors["touchpoint"] = [$"no touchpoint has the key \"{touchpoint}\"."];
            }
        }

        // A survey's comments are responses, so the survey narrows the kind.
        return new ThemeFilter(fromTime, toTime, surveyId, touchpointId, surveyId is null ? itemKind : TextItemKind.Response);
    }

    /// <summary>The WHERE conditions of a filter over a daily experience rollup (employee surveys always left out, as for themes).</summary>
    internal static string Where(ThemeFilter filter, string table) =>
        $"""
        workspace_id = @workspaceId AND day >= @from AND day < @to
            {(filter.Kind is null ? "" : "AND item_kind = @kind")}
            {(filter.SurveyId is null ? "" : "AND survey_id = @surveyId")}
            {(filter.TouchpointId is null ? "" : "AND touchpoint_id = @touchpointId")}
            AND NOT EXISTS (SELECT 1 FROM surveys s WHERE s.workspace_id = @workspaceId AND s.id = {table}.survey_id AND s.audience = 'employees')
        """;

    internal static object Arguments(long workspaceId, ThemeFilter filter) => new
    {
        workspaceId,
        from = filter.From?.ToUnixTimeMilliseconds() ?? long.MinValue,
        to = filter.To?.ToUnixTimeMilliseconds() ?? long.MaxValue,
        kind = filter.Kind,
        surveyId = filter.SurveyId,
        touchpointId = filter.TouchpointId,
    };
}
