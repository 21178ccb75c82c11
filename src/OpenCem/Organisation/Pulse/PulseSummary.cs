using OpenCem.Feedback.Responses;
using OpenCem.Feedback.Surveys;

namespace OpenCem.Organisation.Pulse;

/// <summary>
/// The survey summary (<c>GET /api/v1/surveys/{id}/summary</c>) of an employee survey: only for one closed quarter
/// or complete year (from/to are widened to whole quarters) whose whole result the <see cref="AnonymityPolicy"/>
/// shows; otherwise no n and no scores. Free ranges would let two summaries one answer apart be subtracted.
/// </summary>
public sealed class PulseSummary(SurveySummary summary, PulseStore store, PulseSettingsStore settings)
{
    public async Task<SurveySummaryView> GetAsync(StoredSurvey survey, DateTimeOffset? from, DateTimeOffset? to, CancellationToken cancellationToken = default)
    {
        var minimum = await settings.MinimumGroupAsync(survey.WorkspaceId, cancellationToken);
        var target = PulseStore.Pick(await store.SurveysAsync(survey.WorkspaceId, cancellationToken), survey.Id);
        var cube = target is null ? null : await store.CubeAsync(survey.WorkspaceId, target, cancellationToken);
        var start = from is { } f ? PulsePeriods.QuarterStart(f.ToUnixTimeMilliseconds()) : (long?)null;
        var end = to is { } t ? Ceiling(t.ToUnixTimeMilliseconds()) : (long?)null;
        var index = cube?.Periods.ToList().FindIndex(p => p.Start == start && p.End == end) ?? -1;
        var whole = await summary.GetAsync(survey, null, null, cancellationToken);
        var withheld = whole with { N = null, ResponseRate = null, Nps = null, Enps = null, Csat = null, Ces = null, From = from, To = to };
        if (index < 0)
        {
            return withheld with
            {
                Anonymity = new(minimum, true, null,
                    $"employee results are shown per closed quarter or complete year: give from and to of one of {string.Join(", ", cube?.Periods.Select(p => p.Name) ?? [])}."),
            };
        }

        var period = cube!.Periods[index];
        var anchor = survey.Definition.WithRole(QuestionRole.Nps)?.Name ?? cube.Questions.FirstOrDefault() ?? "";
        if (!cube.Shown(anchor, minimum).Contains(new PulseGroup(index, 0)))
        {
            return withheld with { Anonymity = new(minimum, true, period.Name, $"fewer than {minimum} answers, or derivable from other results.") };
        }

        var shown = await summary.GetAsync(survey, DateTimeOffset.FromUnixTimeMilliseconds(period.Start), DateTimeOffset.FromUnixTimeMilliseconds(period.End), cancellationToken);
        return shown with { ResponseRate = null, Anonymity = new(minimum, false, period.Name, null) };
    }

    private static long Ceiling(long at)
    {
        var start = PulsePeriods.QuarterStart(at);
        return start == at ? at : DateTimeOffset.FromUnixTimeMilliseconds(start).AddMonths(3).ToUnixTimeMilliseconds();
    }
}
