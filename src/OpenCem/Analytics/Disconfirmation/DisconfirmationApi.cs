using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenCem.Analytics.Drivers;
using OpenCem.Feedback.Surveys;
using OpenCem.Hosting;
using OpenCem.Storage;

namespace OpenCem.Analytics.Disconfirmation;

/// <summary><c>GET /api/v1/analytics/disconfirmation</c>: expectation versus experience per attribute.</summary>
public static class DisconfirmationApi
{
    public static RouteGroupBuilder MapDisconfirmationApi(this RouteGroupBuilder api)
    {
        api.MapGet("/analytics/disconfirmation", GetAsync).WithTags("Analytics")
            .WithSummary("Expectation versus experience: survey=ID[&filter=FIELD:VALUE][&from=&to=][&minN=30]. Per attribute n, means, gap = experience − expectation "
                + "with its 95 % paired-t interval, significant and missed; sorted from the largest shortfall.");
        return api;
    }

    private static async Task<Results<Ok<DisconfirmationView>, ProblemHttpResult>> GetAsync(HttpContext context, SurveyStore surveys, Database database)
    {
        var (survey, surveyProblem) = await AnalyticsParameters.SurveyAsync(context, surveys);
        var (from, to, periodProblem) = AnalyticsParameters.Period(context);
        var (filters, filterProblem) = AnalyticsParameters.Filters(context);
        var (minimumN, minimumProblem) = AnalyticsParameters.Integer(context, "minN", DisconfirmationAnalysis.DefaultMinimumN, 2, 1_000_000);
        if ((surveyProblem ?? periodProblem ?? filterProblem ?? minimumProblem) is { } problem)
        {
            return problem;
        }

        try
        {
            return TypedResults.Ok(await DisconfirmationReport.RunAsync(database, survey!, filters, from, to, minimumN, context.RequestAborted));
        }
        catch (DriverDataException exception)
        {
            return Problems.Field(422, exception.Field, exception.Message);
        }
    }
}
