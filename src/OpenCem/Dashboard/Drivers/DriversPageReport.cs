using OpenCem.Analytics.Disconfirmation;
using OpenCem.Analytics.Drivers;
using OpenCem.Dashboard.Components;
using OpenCem.Feedback.Surveys;
using OpenCem.Storage;

namespace OpenCem.Dashboard.Drivers;

/// <summary>
/// The Drivers page's data: the survey and outcome analysed, the key driver analysis (or why it could not run) and
/// the expectation gaps (or why there are none).
/// </summary>
public sealed record DriversPageData(
    StoredSurvey? Survey, IReadOnlyList<OutcomeChoice> Outcomes, string? Outcome, DriverReportView? Drivers, string? DriversProblem,
    DisconfirmationView? Gaps, string? GapsProblem);

/// <summary>Runs the same analyses as <c>/api/v1/analytics/drivers</c> and <c>/disconfirmation</c> for the page's filters.</summary>
public sealed class DriversPageReport(Database database, SurveyStore surveys, SurveyResultCache results, TimeProvider time)
{
    public async Task<DriversPageData> ReadAsync(long workspaceId, DashboardFilters filters, string? outcome, CancellationToken cancellationToken = default)
    {
        var survey = DriverChoices.Survey(await surveys.ListAsync(workspaceId, cancellationToken), filters.Survey);
        if (survey is null)
        {
            return new DriversPageData(null, [], null, null, null, null, null);
        }

        var (from, to) = filters.Window(time.GetUtcNow());
        var (responseFilters, filterProblem) = ResponseFiltersOf(filters);
        if (filterProblem is not null)
        {
            return new DriversPageData(survey, DriverChoices.Outcomes(survey.Definition), null, null, filterProblem, null, filterProblem);
        }

        var outcomes = DriverChoices.Outcomes(survey.Definition);
        var chosen = DriverChoices.Outcome(survey.Definition, outcome);
        DriverReportView? drivers = null;
        string? driversProblem = null;
        if (chosen is not null && DriverChoices.HasDrivers(survey.Definition))
        {
            try
            {
                var request = new DriverRequest(chosen, null, responseFilters, from, to, new DriverOptions());
                drivers = await RememberedAsync(survey, filters, "drivers:" + chosen, from, to,
                    () => DriverReport.RunAsync(database, survey, request, cancellationToken), cancellationToken);
            }
            catch (DriverDataException exception)
            {
                driversProblem = exception.Message;
            }
        }

        DisconfirmationView? gaps = null;
        string? gapsProblem = null;
        if (DriverChoices.HasGaps(survey.Definition))
        {
            try
            {
                gaps = await RememberedAsync(survey, filters, "gaps", from, to,
                    () => DisconfirmationReport.RunAsync(database, survey, responseFilters, from, to, DisconfirmationAnalysis.DefaultMinimumN, cancellationToken), cancellationToken);
            }
            catch (DriverDataException exception)
            {
                gapsProblem = exception.Message;
            }
        }

        return new DriversPageData(survey, outcomes, chosen, drivers, driversProblem, gaps, gapsProblem);
    }

    // The analyses read every response of the period (the bootstrap alone takes a quarter of a second at 10 million
    // interactions): remembered per response version. A trait filter reads the customers' traits, which change without
    // that version, so such an analysis runs afresh each time.
    private Task<T> RememberedAsync<T>(StoredSurvey survey, DashboardFilters filters, string view, long from, long to, Func<Task<T>> compute, CancellationToken cancellationToken)
        where T : class =>
        filters.TraitName is not null
            ? compute()
            : results.GetAsync(survey, $"{view}|touchpoint={filters.Touchpoint}|channel={filters.Channel}", from, to, compute, cancellationToken);

    /// <summary>
    /// The page's touchpoint, channel and trait filters as the analyses take them, checked by the same parser as the
    /// API's <c>filter</c> parameter (segments are not a response field, so they are not offered).
    /// </summary>
    public static (IReadOnlyList<ResponseFilter> Filters, string? Problem) ResponseFiltersOf(DashboardFilters filters)
    {
        var texts = new List<string>();
        if (filters.Touchpoint is { } touchpoint)
        {
            texts.Add("touchpoint:" + touchpoint);
        }

        if (filters.Channel is { } channel)
        {
            texts.Add("channel:" + channel);
        }

        if (filters.TraitName is { } trait && filters.TraitValue is { } value)
        {
            texts.Add($"trait.{trait}:{value}");
        }

        return ResponseFilters.Parse(texts);
    }
}
