using System.Runtime.CompilerServices;
using OpenCem.Feedback.Surveys;

namespace OpenCem.Feedback.Respondents;

/// <summary>Where a form field's answer goes: a question (on a page) and, for a matrix, the row.</summary>
public readonly record struct FieldTarget(Question Question, int Page, string? Row);

/// <summary>
/// A survey's questions as HTML form fields, worked out once per parsed definition: a question's field is its name
/// (a matrix has one field per row, <c>question.row</c>), and each question has a short element id (<c>q3</c>) since
/// names may hold spaces. The page's own fields are <c>page</c>, <c>shown</c> and <c>action</c>; a question with
/// one of those names gets the field <c>{name}</c> (question names cannot contain braces).
/// </summary>
public sealed class SurveyForm
{
    public const string PageField = "page";
    public const string ShownField = "shown";
    public const string ActionField = "action";

    private static readonly ConditionalWeakTable<SurveyDefinition, SurveyForm> Forms = new();
    private readonly Dictionary<string, FieldTarget> _fields = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (int Page, int Number)> _questions = new(StringComparer.Ordinal);

    private SurveyForm(SurveyDefinition definition)
    {
        var number = 0;
        for (var page = 0; page < definition.Pages.Count; page++)
        {
            foreach (var question in definition.Pages[page].Questions)
            {
                _questions[question.Name] = (page, number++);
                if (question.Type == QuestionType.Matrix)
                {
                    foreach (var row in question.Rows)
                    {
                        _fields[CellName(question, row)] = new FieldTarget(question, page, row.Value);
                    }
                }
                else
                {
                    _fields[FieldName(question)] = new FieldTarget(question, page, null);
                }
            }
        }
    }

    public static SurveyForm Of(SurveyDefinition definition) => Forms.GetValue(definition, d => new SurveyForm(d));

    public static bool IsPageField(string name) => name is PageField or ShownField or ActionField;

    public static string FieldName(Question question) => IsPageField(question.Name) ? "{" + question.Name + "}" : question.Name;

    public static string CellName(Question question, Choice row) => question.Name + "." + row.Value;

    public bool TryGetField(string name, out FieldTarget target) => _fields.TryGetValue(name, out target);

    /// <summary>The page a question is on, or -1 when the survey has no such question.</summary>
    public int PageOf(string question) => _questions.TryGetValue(question, out var at) ? at.Page : -1;

    /// <summary>The question's position in the survey, counted over all pages from 0.</summary>
    public int NumberOf(Question question) => _questions[question.Name].Number;

    /// <summary>The question's element id, unique in the page: <c>q</c> and its position in the survey.</summary>
    public string IdOf(Question question) => "q" + NumberOf(question).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
