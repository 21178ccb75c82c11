namespace OpenCem.Feedback.Surveys;

/// <summary>Which SurveyJS properties OpenCem understands, which are visual only, and what each question type allows.</summary>
public static partial class SurveyDefinitionParser
{
    /// <summary>Survey properties that only change how SurveyJS draws the survey; OpenCem's page has its own look.</summary>
    internal static readonly HashSet<string> VisualSurveyProperties = new(StringComparer.Ordinal)
    {
        "logo", "logoPosition", "logoWidth", "logoHeight", "logoFit", "showQuestionNumbers", "showProgressBar", "progressBarType",
        "progressBarShowPageTitles", "progressBarShowPageNumbers", "widthMode", "width", "showTitle", "showPageTitles",
        "showPageNumbers", "checkErrorsMode", "textUpdateMode", "focusFirstQuestionAutomatic", "focusOnFirstError",
        "showPrevButton", "showNavigationButtons", "questionErrorLocation", "questionTitleLocation", "questionDescriptionLocation",
        "showCompletedPage", "headerView", "fitToContainer", "showBrandInfo", "backgroundImage", "backgroundOpacity",
        "backgroundImageFit", "backgroundImageAttachment", "requiredText", "questionStartIndex", "showQuestionNumbersOnPage",
        "autoGrowComment", "allowResizeComment", "showCompleteButton", "previewText", "editText", "startSurveyText",
        "questionTitlePattern", "questionTitleWidth", "gridLayoutEnabled", "autoAdvanceEnabled", "goNextPageAutomatic",
        "autoFocusFirstQuestion", "autoFocusFirstError", "cookieName", "clearInvisibleValues",
    };

    internal static readonly HashSet<string> SurveyProperties = new(StringComparer.Ordinal)
    {
        "title", "description", "locale", "pages", "elements", "questions", "completedHtml", "pageNextText", "pagePrevText",
        "completeText", "audience",
    };

    internal static readonly HashSet<string> VisualPageProperties = new(StringComparer.Ordinal)
    {
        "navigationTitle", "navigationDescription", "maxWidth", "width", "questionTitleLocation", "state",
    };

    internal static readonly HashSet<string> PageProperties = new(StringComparer.Ordinal)
    {
        "name", "title", "description", "elements", "questions", "visibleIf", "questionsOrder",
    };

    /// <summary>Question properties that change only the look (layout, widths, numbering, rating display).</summary>
    internal static readonly HashSet<string> VisualQuestionProperties = new(StringComparer.Ordinal)
    {
        "titleLocation", "descriptionLocation", "hideNumber", "width", "minWidth", "maxWidth", "startWithNewLine", "indent",
        "colCount", "rateType", "rateDisplayMode", "displayMode", "rateColorMode", "scaleColorMode", "autoGrow", "allowResize",
        "showClearButton", "renderAs", "columnMinWidth", "rowTitleWidth", "alternateRows", "hideIfRowsEmpty", "choicesOrder",
        "rowsOrder", "errorLocation", "swapOrder", "autocomplete", "size", "rateCount", "rateStep", "displayRateDescriptionsAsExtremeItems",
        "showCommentArea", "hideIfChoicesEmpty", "separateSpecialChoices", "useDisplayValuesInDynamicTexts", "textUpdateMode",
        "verticalAlign", "eachRowUnique", "showHeader", "state",
    };

    internal static readonly HashSet<string> CommonQuestionProperties = new(StringComparer.Ordinal)
    {
        "type", "name", "title", "description", "isRequired", "visibleIf", "role", "attribute", "requiredErrorText",
    };

    internal static readonly Dictionary<string, (QuestionType Type, string[] Properties)> Types = new(StringComparer.Ordinal)
    {
        ["rating"] = (QuestionType.Rating, ["rateMin", "rateMax", "minRateDescription", "maxRateDescription"]),
        ["radiogroup"] = (QuestionType.RadioGroup, ["choices"]),
        ["dropdown"] = (QuestionType.Dropdown, ["choices", "placeholder", "optionsCaption"]),
        ["checkbox"] = (QuestionType.Checkbox, ["choices", "minSelectedChoices", "maxSelectedChoices"]),
        ["boolean"] = (QuestionType.Boolean, ["labelTrue", "labelFalse"]),
        ["text"] = (QuestionType.Text, ["inputType", "maxLength", "placeholder"]),
        ["comment"] = (QuestionType.Comment, ["maxLength", "placeholder", "rows"]),
        ["matrix"] = (QuestionType.Matrix, ["rows", "columns", "isAllRowRequired"]),
    };

    /// <summary>The <c>inputType</c>s of a text question that the page can check without JavaScript.</summary>
    internal static readonly HashSet<string> InputTypes = new(StringComparer.Ordinal) { "text", "number", "email", "tel", "url", "date" };

    internal static readonly Dictionary<string, QuestionRole> Roles = new(StringComparer.OrdinalIgnoreCase)
    {
        ["nps"] = QuestionRole.Nps,
        ["csat"] = QuestionRole.Csat,
        ["ces"] = QuestionRole.Ces,
        ["expectation"] = QuestionRole.Expectation,
        ["experience"] = QuestionRole.Experience,
        ["driver"] = QuestionRole.Driver,
        ["overall"] = QuestionRole.Overall,
        ["verbatim"] = QuestionRole.Verbatim,
    };
}
