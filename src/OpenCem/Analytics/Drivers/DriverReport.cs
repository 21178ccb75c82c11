using OpenCem.Analytics.Statistics;
using OpenCem.Feedback.Surveys;
using OpenCem.Storage;

namespace OpenCem.Analytics.Drivers;

/// <summary>What to analyse: the outcome, the drivers (null: the survey's driver and experience ratings), which responses, and how.</summary>
public sealed record DriverRequest(string Outcome, IReadOnlyList<string>? Drivers, IReadOnlyList<ResponseFilter> Filters, long From, long To, DriverOptions Options);

/// <summary>The drivers endpoint's answer: <c>{n, r2, drivers:[...]}</c> with the outcome, method and bootstrap details beside.</summary>
public sealed record DriverReportView(
    long Survey, string Outcome, string OutcomeTitle, long N, long Responses, double R2, string Method, int Samples, ulong Seed,
    double MeanShare, double MeanPerformance100, IReadOnlyList<DriverImportance> Drivers);

/// <summary>Key driver analysis of a stored survey: resolves the questions, reads the complete answers, analyses them.</summary>
public static class DriverReport
{
    /// <summary>The most drivers one analysis takes (relative weights above <see cref="ShapleyR2.MaxDrivers"/>).</summary>
    public const int MaxDrivers = 60;

    /// <exception cref="DriverDataException">A question or the data do not allow the analysis; the field names the parameter.</exception>
    public static async Task<DriverReportView> RunAsync(Database database, StoredSurvey survey, DriverRequest request, CancellationToken cancellationToken)
    {
        var definition = survey.Definition;
        var (outcomeAnswer, outcomeColumn, outcomeProblem) = NumericQuestions.Resolve(definition, request.Outcome);
        if (outcomeProblem is not null)
        {
            throw new DriverDataException("outcome", outcomeProblem);
        }

        var names = request.Drivers ?? NumericQuestions.DefaultDrivers(definition, request.Outcome).ToList();
        if (names.Count == 0)
        {
            throw new DriverDataException("drivers", "The survey has no rating questions with role driver or experience; name the drivers.");
        }

        if (names.Count > MaxDrivers)
        {
            throw new DriverDataException("drivers", $"At most {MaxDrivers} drivers; {names.Count} were given.");
        }

        var answers = new List<NumericAnswer> { outcomeAnswer! };
        var columns = new List<DriverColumn>();
        foreach (var name in names)
        {
            var (answer, column, problem) = NumericQuestions.Resolve(definition, name);
            if (problem is not null)
            {
                throw new DriverDataException("drivers", problem);
            }

            if (answers.Any(a => a.Key == answer!.Key))
            {
                throw new DriverDataException("drivers", answer!.Key == outcomeAnswer!.Key
                    ? $"'{name}' is the outcome; it cannot also be a driver."
                    : $"'{name}' is named twice.");
            }

            answers.Add(answer!);
            columns.Add(column!);
        }

        var selection = new ResponseSelection(survey.WorkspaceId, survey.Id, request.Filters, request.From, request.To);
        var table = await AnswerTable.ReadAsync(database, selection, answers, completeOnly: true, cancellationToken);
        // The analysis is CPU work of up to a few seconds: off the request thread.
        var result = await Task.Run(() => DriverAnalysis.Analyse(table.Values, table.Rows, outcomeColumn!, columns, request.Options), cancellationToken);
        return new DriverReportView(
            survey.Id, outcomeColumn!.Question, outcomeColumn.Title, result.N, table.Read, result.R2, result.Method, result.Samples, request.Options.Seed,
            result.MeanShare, result.MeanPerformance100, result.Drivers);
    }
}
