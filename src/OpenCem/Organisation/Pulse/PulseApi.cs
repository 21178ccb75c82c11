using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using OpenCem.Analytics.Metrics;
using OpenCem.Feedback.Surveys;
using OpenCem.Hosting;

namespace OpenCem.Organisation.Pulse;

/// <summary>A pulse report: the survey and question, the minimum group in force, the attributes with their values, and the cells.</summary>
public sealed record PulseReportView(
    long SurveyId, string Question, int MinimumGroup, IReadOnlyDictionary<string, IReadOnlyList<string?>> Attributes, IReadOnlyList<PulseRow> Rows);

/// <summary>The enablement items (every rating question but the eNPS one), each with its means per cell.</summary>
public sealed record PulseItemsView(long SurveyId, int MinimumGroup, IReadOnlyList<PulseItem> Items);

public sealed record PulseItem(string Question, string Title, IReadOnlyList<PulseRow> Rows);

/// <summary>A closed quarter's comments, shown only when the quarter's whole result is shown.</summary>
public sealed record PulseComments(long SurveyId, string Period, bool Suppressed, IReadOnlyList<string> Comments);

/// <summary>
/// The anonymous employee pulse: eNPS and enablement items per closed quarter or complete year, by and filtered by
/// employee attributes, every cell through <see cref="AnonymityPolicy"/>; the quarter's comments; the minimum group.
/// </summary>
public static class PulseApi
{
    public static RouteGroupBuilder MapPulseApi(this RouteGroupBuilder api)
    {
        var pulse = api.MapGroup("/pulse").WithTags("Employee pulse");
        pulse.MapGet("/enps", EnpsAsync).WithSummary(
            "eNPS per closed quarter or complete year: survey (default the newest employee survey), period=quarter|year, by=ATTRIBUTE[,ATTRIBUTE], " +
            "filter=ATTRIBUTE:VALUE (repeatable), from, to. Cells of small or derivable groups are {suppressed: true} without value or n.");
        pulse.MapGet("/items", ItemsAsync).WithSummary("The enablement items' means with the same cells and suppression as /pulse/enps.");
        pulse.MapGet("/comments", CommentsAsync).WithSummary("A closed quarter's comments (period=2025-Q1), in text order, when the quarter's result is shown.");
        pulse.MapGet("/settings", async (HttpContext c, PulseSettingsStore store) =>
            TypedResults.Ok(new PulseSettingsView(
                (await store.GetAsync(ApiKeyAuthentication.WorkspaceOf(c.User), c.RequestAborted)).MinimumGroup,
                await store.MinimumGroupAsync(ApiKeyAuthentication.WorkspaceOf(c.User), c.RequestAborted))))
            .WithSummary("The workspace's minimum group (null: the server's Pulse:MinimumGroup) and the one in force.");
        pulse.MapPut("/settings", PutSettingsAsync).WithSummary($"Sets {{minimumGroup}} for the workspace ({AnonymityPolicy.Floor} or more; null: the server's).");
        return api;
    }

    private static async Task<Results<Ok<PulseReportView>, ProblemHttpResult>> EnpsAsync(
        HttpContext context, PulseStore store, PulseSettingsStore settings, string? survey, string? period, string? by, string? from, string? to,
        [FromQuery] string[]? filter)
    {
        var workspaceId = ApiKeyAuthentication.WorkspaceOf(context.User);
        var (target, cube, problem) = await LoadAsync(context, store, survey);
        if (problem is not null)
        {
            return problem;
        }

        if (target!.Definition.WithRole(QuestionRole.Nps) is not { } question)
        {
            return Problems.Field(StatusCodes.Status422UnprocessableEntity, "survey", $"survey {target.Id} has no question with the role nps.");
        }

        if (PulseRequest.Parse(cube!, period, by, filter ?? [], from, to, out var error) is not { } query)
        {
            return Problems.Field(StatusCodes.Status400BadRequest, error!.Field, error.Message);
        }

        var minimum = await settings.MinimumGroupAsync(workspaceId, context.RequestAborted);
        return TypedResults.Ok(new PulseReportView(target.Id, question.Name, minimum, Attributes(cube!),
            PulseReport.Rows(cube!, question.Name, MetricKind.Enps, query, minimum)));
    }

    private static async Task<Results<Ok<PulseItemsView>, ProblemHttpResult>> ItemsAsync(
        HttpContext context, PulseStore store, PulseSettingsStore settings, string? survey, string? period, string? by, string? from, string? to,
        [FromQuery] string[]? filter)
    {
        var workspaceId = ApiKeyAuthentication.WorkspaceOf(context.User);
        var (target, cube, problem) = await LoadAsync(context, store, survey);
        if (problem is not null)
        {
            return problem;
        }

        if (PulseRequest.Parse(cube!, period, by, filter ?? [], from, to, out var error) is not { } query)
        {
            return Problems.Field(StatusCodes.Status400BadRequest, error!.Field, error.Message);
        }

        var minimum = await settings.MinimumGroupAsync(workspaceId, context.RequestAborted);
        var items = target!.Definition.Questions.Where(q => q.Type == QuestionType.Rating && q.Role != QuestionRole.Nps)
            .Select(q => new PulseItem(q.Name, q.TitleIn(target.Definition.DefaultLanguage), PulseReport.Rows(cube!, q.Name, MetricKind.Mean, query, minimum)))
            .ToList();
        return TypedResults.Ok(new PulseItemsView(target.Id, minimum, items));
    }

    private static async Task<Results<Ok<PulseComments>, ProblemHttpResult>> CommentsAsync(
        HttpContext context, PulseStore store, PulseSettingsStore settings, string? survey, string? period)
    {
        var workspaceId = ApiKeyAuthentication.WorkspaceOf(context.User);
        var (target, cube, problem) = await LoadAsync(context, store, survey);
        if (problem is not null)
        {
            return problem;
        }

        var index = cube!.Periods.Select((p, i) => (p, i)).FirstOrDefault(x => x.p.Level == PulseLevel.Quarter && x.p.Name == period);
        if (index.p is null)
        {
            return Problems.Field(StatusCodes.Status400BadRequest, "period",
                $"period must be a closed quarter with answers: {string.Join(", ", cube.Periods.Where(p => p.Level == PulseLevel.Quarter).Select(p => p.Name))}.");
        }

        var anchor = target!.Definition.WithRole(QuestionRole.Nps)?.Name ?? cube.Questions.FirstOrDefault() ?? "";
        var minimum = await settings.MinimumGroupAsync(workspaceId, context.RequestAborted);
        var shown = cube.Shown(anchor, minimum).Contains(new PulseGroup(index.i, 0));
        return TypedResults.Ok(new PulseComments(target.Id, index.p.Name, !shown,
            shown ? await store.CommentsAsync(workspaceId, target.Id, index.p, context.RequestAborted) : []));
    }

    private static async Task<Results<Ok<PulseSettingsView>, ProblemHttpResult>> PutSettingsAsync(HttpContext context, PulseSettingsStore store, PulseSettings body)
    {
        var workspaceId = ApiKeyAuthentication.WorkspaceOf(context.User);
        if (body.MinimumGroup is < AnonymityPolicy.Floor or > 1000)
        {
            return Problems.Field(StatusCodes.Status422UnprocessableEntity, "minimumGroup", $"minimumGroup must be a whole number from {AnonymityPolicy.Floor} to 1000, or null.");
        }

        await store.SaveAsync(workspaceId, body, context.RequestAborted);
        return TypedResults.Ok(new PulseSettingsView(body.MinimumGroup, await store.MinimumGroupAsync(workspaceId, context.RequestAborted)));
    }

    private static async Task<(MetricSurvey? Survey, PulseCube? Cube, ProblemHttpResult? Problem)> LoadAsync(HttpContext context, PulseStore store, string? survey)
    {
        long? surveyId = null;
        if (!string.IsNullOrWhiteSpace(survey))
        {
            if (!long.TryParse(survey, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id <= 0)
            {
                return (null, null, Problems.Field(StatusCodes.Status400BadRequest, "survey", "survey must be a survey id."));
            }

            surveyId = id;
        }

        var workspaceId = ApiKeyAuthentication.WorkspaceOf(context.User);
        if (PulseStore.Pick(await store.SurveysAsync(workspaceId, context.RequestAborted), surveyId) is not { } target)
        {
            return (null, null, Problems.Field(StatusCodes.Status404NotFound, "survey",
                surveyId is null ? "the workspace has no employee survey (\"audience\": \"employees\") with an nps question." : $"survey {surveyId} is not an employee survey of this workspace."));
        }

        return (target, await store.CubeAsync(workspaceId, target, context.RequestAborted), null);
    }

    private static Dictionary<string, IReadOnlyList<string?>> Attributes(PulseCube cube) =>
        cube.Attributes.Select((a, i) => (a, i)).ToDictionary(x => x.a, x => (IReadOnlyList<string?>)[.. cube.Values[x.i].Select(v => v.Length == 0 ? null : v)], StringComparer.Ordinal);
}

public sealed record PulseSettingsView(int? MinimumGroup, int MinimumGroupInForce);
