using System.Globalization;
using System.Text;
using OpenCem.Feedback.Surveys;

namespace OpenCem.Feedback.Respondents;

/// <summary>One question to draw: its element id, the answer to fill in (or the refused text), its error, and whether its first control takes the focus.</summary>
public sealed record QuestionView(Question Question, string Id, string Language, PageTexts Texts, object? Answer, string? Entered, string? Error, bool Focus = false);

/// <summary>
/// Draws each question type with native controls: a rating as a row of radio buttons and a single choice or yes/no
/// as radio buttons, each in a <c>fieldset</c> with the title as <c>legend</c>; a multiple choice as check boxes;
/// a dropdown as <c>select</c>; text as <c>input</c> or <c>textarea</c> with a <c>label</c>; a matrix as a group of
/// radio rows (field <c>question.row</c>). Hints and errors are tied to the control with <c>aria-describedby</c>.
/// </summary>
public static class QuestionWriter
{
    /// <summary>The id of the control an error summary link jumps to.</summary>
    public static string FirstControlId(Question question, string id) => question.Type == QuestionType.Matrix ? id + "-0-0" : id + "-0";

    public static void Write(StringBuilder html, QuestionView view)
    {
        switch (view.Question.Type)
        {
            case QuestionType.Rating:
                Group(html, view, radio: true);
                Scale(html, view, SurveyForm.FieldName(view.Question), Enumerable.Range(view.Question.RateMin, view.Question.RateMax - view.Question.RateMin + 1)
                    .Select(n => n.ToString(CultureInfo.InvariantCulture)).Select(n => (n, n)).ToList(), view.Id, Selected(view.Answer));
                Ends(html, view);
                html.Append("</fieldset>");
                break;
            case QuestionType.RadioGroup or QuestionType.Checkbox:
                Group(html, view, radio: view.Question.Type == QuestionType.RadioGroup);
                Choices(html, view, view.Question.Choices.Select(c => (c.Value, c.Text.In(view.Language))).ToList(), inline: false);
                html.Append("</fieldset>");
                break;
            case QuestionType.Boolean:
                Group(html, view, radio: true);
                Choices(html, view, [("true", Label(view.Question.LabelTrue, view.Language, view.Texts.Yes)), ("false", Label(view.Question.LabelFalse, view.Language, view.Texts.No))], inline: true);
                html.Append("</fieldset>");
                break;
            case QuestionType.Matrix:
                Matrix(html, view);
                break;
            case QuestionType.Dropdown:
                Single(html, view, "select");
                break;
            case QuestionType.Comment:
                Single(html, view, "textarea");
                break;
            case QuestionType.Text:
                Single(html, view, "input");
                break;
        }
    }

    private static void Group(StringBuilder html, QuestionView view, bool radio)
    {
        var question = view.Question;
        html.Append("<fieldset class=\"q").Append(view.Error is null ? "" : " invalid").Append('"').Attribute("id", view.Id);
        if (radio)
        {
            html.Append(" role=\"radiogroup\"");
            if (question.IsRequired)
            {
                html.Append(" aria-required=\"true\"");
            }
        }

        Described(html, view);
        html.Append("><legend>");
        Title(html, view);
        html.Append("</legend>");
        HintAndError(html, view);
    }

    private static void Single(StringBuilder html, QuestionView view, string element)
    {
        var question = view.Question;
        var control = view.Id + "-0";
        html.Append("<div class=\"q").Append(view.Error is null ? "" : " invalid").Append('"').Attribute("id", view.Id)
            .Append("><label class=\"title\"").Attribute("for", control).Append('>');
        Title(html, view);
        html.Append("</label>");
        HintAndError(html, view);
        html.Append('<').Append(element).Append(" class=\"field\"").Attribute("id", control).Attribute("name", SurveyForm.FieldName(question));
        if (question.IsRequired)
        {
            html.Append(" aria-required=\"true\"");
        }

        Described(html, view);
        Autofocus(html, view, true);
        var placeholder = question.Placeholder.IsEmpty ? null : question.Placeholder.In(view.Language);
        var value = view.Entered ?? Text(view.Answer);
        switch (element)
        {
            case "select":
                html.Append("><option value=\"\">").Encode(placeholder ?? view.Texts.Choose).Append("</option>");
                foreach (var choice in question.Choices)
                {
                    html.Append("<option").Attribute("value", choice.Value).Append(choice.Value == value ? " selected>" : ">").Encode(choice.Text.In(view.Language)).Append("</option>");
                }

                html.Append("</select>");
                break;
            case "textarea":
                html.Append(" rows=\"4\"").Attribute("maxlength", question.MaxLength.ToString(CultureInfo.InvariantCulture));
                AppendPlaceholder(html, placeholder);
                html.Append('>').Encode(value).Append("</textarea>");
                break;
            default:
                html.Append(question.InputType switch
                {
                    "number" => " type=\"text\" inputmode=\"decimal\"",
                    "email" => " type=\"email\" autocomplete=\"email\"",
                    "tel" => " type=\"tel\" autocomplete=\"tel\"",
                    "url" => " type=\"url\"",
                    "date" => " type=\"date\"",
                    _ => " type=\"text\"",
                }).Attribute("maxlength", question.MaxLength.ToString(CultureInfo.InvariantCulture));
                AppendPlaceholder(html, placeholder);
                if (value is not null)
                {
                    html.Attribute("value", value);
                }

                html.Append('>');
                break;
        }

        html.Append("</div>");
    }

    private static void Matrix(StringBuilder html, QuestionView view)
    {
        var question = view.Question;
        Group(html, view, radio: false);
        var cells = view.Answer as IReadOnlyDictionary<string, string>;
        var columns = question.Columns.Select(c => (c.Value, c.Text.In(view.Language))).ToList();
        var compact = columns.All(c => c.Item2.Length <= 3);
        for (var r = 0; r < question.Rows.Count; r++)
        {
            var row = question.Rows[r];
            var rowId = view.Id + "-" + r.ToString(CultureInfo.InvariantCulture);
            var selected = cells?.GetValueOrDefault(row.Value);
            html.Append("<fieldset class=\"row\" role=\"radiogroup\"");
            if (question.IsRequired || question.IsAllRowRequired)
            {
                html.Append(" aria-required=\"true\"");
            }

            html.Append("><legend>").Encode(row.Text.In(view.Language)).Append("</legend>");
            if (compact)
            {
                Scale(html, view, SurveyForm.CellName(question, row), columns, rowId, selected);
            }
            else
            {
                Options(html, view, "radio", SurveyForm.CellName(question, row), columns, rowId, v => v == selected, inline: false);
            }

            html.Append("</fieldset>");
        }

        html.Append("</fieldset>");
    }

    /// <summary>A row of numbered buttons (native radios under styled labels), as a rating or a matrix row.</summary>
    private static void Scale(StringBuilder html, QuestionView view, string name, List<(string Value, string Text)> points, string id, string? selected)
    {
        html.Append("<div class=\"scale\">");
        for (var i = 0; i < points.Count; i++)
        {
            html.Append("<label><input type=\"radio\"").Attribute("name", name).Attribute("value", points[i].Value)
                .Attribute("id", id + "-" + i.ToString(CultureInfo.InvariantCulture));
            Invalid(html, view);
            Autofocus(html, view, i == 0 && (id == view.Id || id == view.Id + "-0"));
            html.Append(points[i].Value == selected ? " checked><span>" : "><span>").Encode(points[i].Text).Append("</span></label>");
        }

        html.Append("</div>");
    }

    private static void Choices(StringBuilder html, QuestionView view, List<(string Value, string Text)> choices, bool inline)
    {
        var type = view.Question.Type == QuestionType.Checkbox ? "checkbox" : "radio";
        var answer = view.Answer;
        Options(html, view, type, SurveyForm.FieldName(view.Question), choices, view.Id, value => answer switch
        {
            string[] items => items.Contains(value, StringComparer.Ordinal),
            bool b => value == (b ? "true" : "false"),
            string s => s == value,
            _ => false,
        }, inline);
    }

    private static void Options(StringBuilder html, QuestionView view, string type, string name, List<(string Value, string Text)> choices, string id, Func<string, bool> isChecked, bool inline)
    {
        html.Append(inline ? "<div class=\"inline\">" : "<div>");
        for (var i = 0; i < choices.Count; i++)
        {
            html.Append("<label class=\"choice\"><input").Attribute("type", type).Attribute("name", name).Attribute("value", choices[i].Value)
                .Attribute("id", id + "-" + i.ToString(CultureInfo.InvariantCulture));
            Invalid(html, view);
            Autofocus(html, view, i == 0 && (id == view.Id || id == view.Id + "-0"));
            html.Append(isChecked(choices[i].Value) ? " checked> " : "> ").Encode(choices[i].Text).Append("</label>");
        }

        html.Append("</div>");
    }

    /// <summary>The rating's end labels, each with its number for screen readers ("0: Not at all likely").</summary>
    private static void Ends(StringBuilder html, QuestionView view)
    {
        var question = view.Question;
        if (question.MinRateDescription.IsEmpty && question.MaxRateDescription.IsEmpty)
        {
            return;
        }

        html.Append("<p class=\"ends\"").Attribute("id", view.Id + "-s").Append("><span><span class=\"sr\">")
            .Append(question.RateMin.ToString(CultureInfo.InvariantCulture)).Append(": </span>").Encode(question.MinRateDescription.In(view.Language))
            .Append("</span><span><span class=\"sr\">").Append(question.RateMax.ToString(CultureInfo.InvariantCulture)).Append(": </span>")
            .Encode(question.MaxRateDescription.In(view.Language)).Append("</span></p>");
    }

    private static void Title(StringBuilder html, QuestionView view)
    {
        html.Encode(view.Question.TitleIn(view.Language));
        if (view.Question.IsRequired)
        {
            html.Append(" <span class=\"req\">").Encode(view.Texts.Required).Append("</span>");
        }
    }

    private static void HintAndError(StringBuilder html, QuestionView view)
    {
        if (!view.Question.Description.IsEmpty)
        {
            html.Append("<p class=\"hint\"").Attribute("id", view.Id + "-d").Append('>').Encode(view.Question.Description.In(view.Language)).Append("</p>");
        }

        if (view.Error is not null)
        {
            html.Append("<p class=\"error\"").Attribute("id", view.Id + "-e").Append("><span class=\"sr\">").Encode(view.Texts.ErrorPrefix)
                .Append("</span>").Encode(view.Error).Append("</p>");
        }
    }

    /// <summary>aria-describedby (error, hint, scale ends) and aria-invalid on the element being opened.</summary>
    private static void Described(StringBuilder html, QuestionView view)
    {
        var question = view.Question;
        var ends = question.Type == QuestionType.Rating && !(question.MinRateDescription.IsEmpty && question.MaxRateDescription.IsEmpty);
        if (view.Error is null && question.Description.IsEmpty && !ends)
        {
            return;
        }

        html.Append(" aria-describedby=\"");
        var first = true;
        foreach (var (suffix, present) in new[] { ("-e", view.Error is not null), ("-d", !question.Description.IsEmpty), ("-s", ends) })
        {
            if (present)
            {
                html.Append(first ? "" : " ").Append(view.Id).Append(suffix);
                first = false;
            }
        }

        html.Append('"');
        Invalid(html, view);
    }

    private static void Invalid(StringBuilder html, QuestionView view)
    {
        if (view.Error is not null)
        {
            html.Append(" aria-invalid=\"true\"");
        }
    }

    /// <summary>Focus on a question that has just appeared (a low score brought up "why?"), so the respondent lands on it.</summary>
    private static void Autofocus(StringBuilder html, QuestionView view, bool first)
    {
        if (view.Focus && first)
        {
            html.Append(" autofocus");
        }
    }

    private static void AppendPlaceholder(StringBuilder html, string? placeholder)
    {
        if (placeholder is not null)
        {
            html.Attribute("placeholder", placeholder);
        }
    }

    private static string Label(LocalisedText label, string language, string fallback) => label.IsEmpty ? fallback : label.In(language);

    private static string? Selected(object? answer) => answer is double d ? d.ToString(CultureInfo.InvariantCulture) : null;

    private static string? Text(object? answer) => answer switch
    {
        null => null,
        double d => d.ToString(CultureInfo.InvariantCulture),
        string s => s,
        _ => Answers.Text(answer),
    };
}
