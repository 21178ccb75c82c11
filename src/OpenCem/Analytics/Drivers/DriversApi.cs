using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenCem.Feedback.Surveys;
using OpenCem.Hosting;
using OpenCem.Storage;

namespace OpenCem.Analytics.Drivers;

/// <summary><c>GET /api/v1/analytics/drivers</c>: which drivers explain an outcome, as Shapley shares of R² with bootstrap intervals.</summary>
public static class DriversApi
{
    public static RouteGroupBuilder MapDriversApi(this RouteGroupBuilder api)
    {
        api.MapGet("/analytics/drivers", GetAsync).WithTags("Analytics")
            .WithSummary("Key driver analysis: survey=ID&outcome=QUESTION[&drivers=Q1,Q2,...][&filter=FIELD:VALUE][&from=&to=][&samples=500][&seed=][&method=shapley|relative-weights]. "
                + "Shares of R² in percent (summing to 100) with 95 % percentile bootstrap intervals, each driver's performance and quadrant.");
        return api;
    }

    private static async Task<Results<Ok<DriverReportView>, ProblemHttpResult>> GetAsync(HttpContext context, SurveyStore surveys, Database database)
    {
        var query = context.Request.Query;
        var (survey, surveyProblem) = await AnalyticsParameters.SurveyAsync(context, surveys);
        if (surveyProblem is not null)
        {
            return surveyProblem;
        }

        var outcome = query["outcome"].ToString().Trim();
        if (outcome.Length == 0)
        {
            return Problems.Field(400, "outcome", "The outcome parameter is required: outcome=QUESTION (a rating, number or yes/no question, or matrix.row).");
        }

        IReadOnlyList<string>? drivers = null;
        if (query.ContainsKey("drivers"))
        {
            drivers = query["drivers"].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToList();
            if (drivers.Count == 0)
            {
                return Problems.Field(400, "drivers", "drivers must name at least one question (drivers=Q1,Q2,...), or be left out for the survey's driver ratings.");
            }
        }

        var (from, to, periodProblem) = AnalyticsParameters.Period(context);
        var (filters, filterProblem) = AnalyticsParameters.Filters(context);
        var (samples, samplesProblem) = AnalyticsParameters.Integer(context, "samples", DriverOptions.DefaultSamples, 20, 5000);
        if ((periodProblem ?? filterProblem ?? samplesProblem) is { } problem)
        {
            return problem;
        }

        var seed = DriverOptions.DefaultSeed;
        if (query["seed"].ToString() is { Length: > 0 } rawSeed && !ulong.TryParse(rawSeed, NumberStyles.None, CultureInfo.InvariantCulture, out seed))
        {
            return Problems.Field(400, "seed", $"'{rawSeed}' is not a whole number.");
        }

        var methodText = query["method"].ToString();
        DriverMethod? method = methodText switch
        {
            "shapley" => DriverMethod.Shapley,
            "relative-weights" => DriverMethod.RelativeWeights,
            _ => null,
        };
        if (methodText.Length > 0 && method is null)
        {
            return Problems.Field(400, "method", "method is shapley or relative-weights (default: shapley up to 15 drivers).");
        }

        try
        {
            var request = new DriverRequest(outcome, drivers, filters, from, to, new DriverOptions(samples, seed, Method: method));
            return TypedResults.Ok(await DriverReport.RunAsync(database, survey!, request, context.RequestAborted));
        }
        catch (DriverDataException exception)
        {
            return Problems.Field(422, exception.Field, exception.Message);
        }
    }
}
