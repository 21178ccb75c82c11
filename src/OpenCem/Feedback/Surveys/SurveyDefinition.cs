namespace OpenCem.Feedback.Surveys;

/// <summary>The SurveyJS question types OpenCem supports.</summary>
public enum QuestionType
{
    Rating,
    RadioGroup,
    Checkbox,
    Dropdown,
    Boolean,
    Text,
    Comment,
    Matrix,
}

/// <summary>
/// What a question measures, OpenCem's own property on a SurveyJS element (<c>"role": "nps"</c>). Roles feed the
/// summary and the analytics: NPS 0–10, CSAT 1–5, CES 1–7, expectation and experience of an attribute, a driver
/// rating, the overall outcome, and the verbatim comment.
/// </summary>
public enum QuestionRole
{
    None,
    Nps,
    Csat,
    Ces,
    Expectation,
    Experience,
    Driver,
    Overall,
    Verbatim,
}

/// <summary>Who a survey asks: customers (and prospects or lost customers), or the company's employees (eNPS).</summary>
public enum SurveyAudience
{
    Customers,
    Employees,
}

public sealed record Choice(string Value, LocalisedText Text, bool IsNumber);

public sealed record Question(
    string Name,
    QuestionType Type,
    LocalisedText Title,
    LocalisedText Description,
    bool IsRequired,
    SurveyCondition? VisibleIf,
    QuestionRole Role,
    string? Attribute,
    int RateMin,
    int RateMax,
    LocalisedText MinRateDescription,
    LocalisedText MaxRateDescription,
    IReadOnlyList<Choice> Choices,
    IReadOnlyList<Choice> Rows,
    IReadOnlyList<Choice> Columns,
    LocalisedText LabelTrue,
    LocalisedText LabelFalse,
    string InputType,
    int MaxLength,
    int? MinSelected,
    int? MaxSelected,
    bool IsAllRowRequired,
    LocalisedText Placeholder,
    LocalisedText RequiredErrorText)
{
    /// <summary>The question's text, or its name when it has no title (as SurveyJS shows it).</summary>
    public string TitleIn(string? language) => Title.IsEmpty ? Name : Title.In(language);

    public Choice? FindChoice(string value) => Choices.FirstOrDefault(c => string.Equals(c.Value, value, StringComparison.OrdinalIgnoreCase));
}

public sealed record SurveyPage(string Name, LocalisedText Title, LocalisedText Description, SurveyCondition? VisibleIf, IReadOnlyList<Question> Questions);

/// <summary>A parsed, validated survey: SurveyJS JSON for the supported question types plus OpenCem's roles.</summary>
public sealed record SurveyDefinition(
    LocalisedText Title,
    LocalisedText Description,
    string DefaultLanguage,
    IReadOnlyList<string> Languages,
    SurveyAudience Audience,
    IReadOnlyList<SurveyPage> Pages,
    LocalisedText CompletedHtml,
    LocalisedText PageNextText,
    LocalisedText PagePrevText,
    LocalisedText CompleteText)
{
    private Dictionary<string, Question>? _byName;
    private Question[]? _questions;
    private Dictionary<QuestionRole, Question>? _byRole;

    /// <summary>All questions in page order (computed once: responses are read and scored against it row by row).</summary>
    public IReadOnlyList<Question> Questions => _questions ??= Pages.SelectMany(p => p.Questions).ToArray();

    public Question? Find(string name)
    {
        _byName ??= Questions.ToDictionary(q => q.Name, StringComparer.Ordinal);
        return _byName.GetValueOrDefault(name);
    }

    /// <summary>The question that carries a single-valued role (nps, csat, ces, overall), if any.</summary>
    public Question? WithRole(QuestionRole role)
    {
        _byRole ??= Questions.Where(q => q.Role != QuestionRole.None).DistinctBy(q => q.Role).ToDictionary(q => q.Role);
        return _byRole.GetValueOrDefault(role);
    }

    /// <summary>The metric roles this survey reports in its summary.</summary>
    public IEnumerable<QuestionRole> MetricRoles =>
        new[] { QuestionRole.Nps, QuestionRole.Csat, QuestionRole.Ces }.Where(r => WithRole(r) is not null);
}
