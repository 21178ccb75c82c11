using OpenCem.Feedback.Surveys;

namespace OpenCem.Feedback.Respondents;

/// <summary>
/// Which page a respondent sees: pages in order, skipping those whose <c>visibleIf</c> is false for the answers so
/// far; where to go on Next and Back; and where to pick a half-finished survey up again.
/// </summary>
public static class SurveyNavigator
{
    public static bool IsVisible(SurveyDefinition definition, int page, Answers answers) => SurveyLogic.IsVisible(definition.Pages[page], answers);

    public static IEnumerable<Question> VisibleQuestions(SurveyDefinition definition, int page, Answers answers) =>
        definition.Pages[page].Questions.Where(q => SurveyLogic.IsVisible(definition.Pages[page], q, answers));

    /// <summary>The first visible page after <paramref name="from"/>; null when there is none (the survey ends).</summary>
    public static int? Next(SurveyDefinition definition, int from, Answers answers)
    {
        for (var page = from + 1; page < definition.Pages.Count; page++)
        {
            if (IsVisible(definition, page, answers))
            {
                return page;
            }
        }

        return null;
    }

    /// <summary>The last visible page before <paramref name="from"/>; null on the first page.</summary>
    public static int? Previous(SurveyDefinition definition, int from, Answers answers)
    {
        for (var page = from - 1; page >= 0; page--)
        {
            if (IsVisible(definition, page, answers))
            {
                return page;
            }
        }

        return null;
    }

    /// <summary>The page's number among the visible pages, and how many there are.</summary>
    public static (int Number, int Count) Position(SurveyDefinition definition, int page, Answers answers)
    {
        var number = 0;
        var count = 0;
        for (var p = 0; p < definition.Pages.Count; p++)
        {
            if (p == page || IsVisible(definition, p, answers))
            {
                count++;
                if (p <= page)
                {
                    number++;
                }
            }
        }

        return (number, count);
    }

    /// <summary>
    /// Where a respondent coming back continues: the first visible page with a required question unanswered, or
    /// with any question unanswered after the last page that holds answers (optional questions the respondent
    /// passed over stay passed); the last visible page when everything is answered.
    /// </summary>
    public static int Resume(SurveyDefinition definition, Answers answers)
    {
        var visible = Enumerable.Range(0, definition.Pages.Count).Where(p => IsVisible(definition, p, answers)).ToList();
        if (visible.Count == 0)
        {
            return 0;
        }

        var lastAnswered = visible.LastOrDefault(p => VisibleQuestions(definition, p, answers).Any(q => answers.Has(q.Name)), -1);
        foreach (var page in visible)
        {
            if (MissesRequired(definition, page, answers)
                || (page > lastAnswered && VisibleQuestions(definition, page, answers).Any(q => !answers.Has(q.Name))))
            {
                return page;
            }
        }

        return visible[^1];
    }

    /// <summary>True when a visible required question of the page (or a row of an all-rows matrix) has no answer.</summary>
    public static bool MissesRequired(SurveyDefinition definition, int page, Answers answers)
    {
        var errors = new Dictionary<string, string[]>();
        SurveyLogic.Complete(definition, Copy(answers), errors, pages: [definition.Pages[page]]);
        return errors.Count > 0;
    }

    public static Answers Copy(Answers answers)
    {
        var copy = new Answers();
        foreach (var (name, value) in answers.Values)
        {
            copy.Set(name, value);
        }

        return copy;
    }
}
