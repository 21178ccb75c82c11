using System.Text.Json;

namespace OpenCem.Feedback.Surveys;

public static partial class SurveyDefinitionParser
{
    /// <summary>One pass over the JSON that collects every problem with the path where it is.</summary>
    private sealed class Reader(List<string> problems)
    {
        private readonly HashSet<string> _names = new(StringComparer.Ordinal);
        private readonly HashSet<string> _languages = new(StringComparer.OrdinalIgnoreCase);

        public SurveyDefinition? ReadSurvey(JsonElement json)
        {
            if (json.ValueKind != JsonValueKind.Object)
            {
                problems.Add("The definition must be a JSON object.");
                return null;
            }

            CheckProperties(json, "survey", SurveyProperties, VisualSurveyProperties);
            var defaultLanguage = json.TryGetProperty("locale", out var locale) && locale.ValueKind == JsonValueKind.String ? locale.GetString()! : "en";
            var audience = SurveyAudience.Customers;
            if (json.TryGetProperty("audience", out var a))
            {
                if (a.ValueKind == JsonValueKind.String && Enum.TryParse(a.GetString(), ignoreCase: true, out SurveyAudience parsed))
                {
                    audience = parsed;
                }
                else
                {
                    problems.Add("audience: must be \"customers\" or \"employees\".");
                }
            }

            var pages = new List<SurveyPage>();
            if (json.TryGetProperty("pages", out var pagesJson))
            {
                if (json.TryGetProperty("elements", out _) || json.TryGetProperty("questions", out _))
                {
                    problems.Add("survey: use either pages or elements, not both.");
                }

                if (pagesJson.ValueKind != JsonValueKind.Array)
                {
                    problems.Add("pages: must be an array.");
                }
                else
                {
                    var index = 0;
                    foreach (var page in pagesJson.EnumerateArray())
                    {
                        if (ReadPage(page, $"pages[{index}]", index) is { } read)
                        {
                            pages.Add(read);
                        }

                        index++;
                    }
                }
            }
            else if (Elements(json, "survey") is { } elements)
            {
                pages.Add(new SurveyPage("page1", LocalisedText.Empty, LocalisedText.Empty, null, ReadQuestions(elements, "elements")));
            }

            var questions = pages.SelectMany(p => p.Questions).ToList();
            if (questions.Count == 0 && problems.Count == 0)
            {
                problems.Add("survey: has no questions.");
            }

            if (questions.Count > MaxQuestions)
            {
                problems.Add($"survey: has {questions.Count} questions; at most {MaxQuestions} are supported.");
            }

            CheckRoles(questions);
            CheckConditions(pages);
            _languages.Add(defaultLanguage);
            return new SurveyDefinition(
                Text(json, "title", "survey"), Text(json, "description", "survey"), defaultLanguage,
                _languages.Where(l => l != "default").Order(StringComparer.Ordinal).ToList(), audience, pages,
                Text(json, "completedHtml", "survey"), Text(json, "pageNextText", "survey"), Text(json, "pagePrevText", "survey"), Text(json, "completeText", "survey"));
        }

        private SurveyPage? ReadPage(JsonElement page, string path, int index)
        {
            if (page.ValueKind != JsonValueKind.Object)
            {
                problems.Add($"{path}: a page must be an object.");
                return null;
            }

            CheckProperties(page, path, PageProperties, VisualPageProperties);
            if (page.TryGetProperty("questionsOrder", out var order) && order.GetString() is not ("initial" or "default"))
            {
                problems.Add($"{path}.questionsOrder: random question order is not supported.");
            }

            var name = page.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : $"page{index + 1}";
            var questions = Elements(page, path) is { } elements ? ReadQuestions(elements, path + ".elements") : [];
            return new SurveyPage(name, Text(page, "title", path), Text(page, "description", path), Condition(page, path), questions);
        }

        private JsonElement? Elements(JsonElement container, string path)
        {
            var found = container.TryGetProperty("elements", out var elements) || container.TryGetProperty("questions", out elements);
            if (!found)
            {
                return null;
            }

            if (elements.ValueKind != JsonValueKind.Array)
            {
                problems.Add($"{path}.elements: must be an array.");
                return null;
            }

            return elements;
        }

        private List<Question> ReadQuestions(JsonElement elements, string path)
        {
            var questions = new List<Question>();
            var index = 0;
            foreach (var element in elements.EnumerateArray())
            {
                if (new QuestionReader(problems, _languages).Read(element, $"{path}[{index}]") is { } question)
                {
                    if (!_names.Add(question.Name))
                    {
                        problems.Add($"{path}[{index}]: the question name '{question.Name}' is used twice.");
                    }

                    questions.Add(question);
                }

                index++;
            }

            return questions;
        }

        private void CheckRoles(List<Question> questions)
        {
            foreach (var role in new[] { QuestionRole.Nps, QuestionRole.Csat, QuestionRole.Ces, QuestionRole.Overall })
            {
                var with = questions.Where(q => q.Role == role).Select(q => q.Name).ToList();
                if (with.Count > 1)
                {
                    problems.Add($"role {role.ToString().ToLowerInvariant()}: only one question may have it; {string.Join(", ", with)} do.");
                }
            }

            foreach (var role in new[] { QuestionRole.Expectation, QuestionRole.Experience })
            {
                foreach (var twice in questions.Where(q => q.Role == role && q.Type == QuestionType.Rating).GroupBy(q => q.Attribute).Where(g => g.Count() > 1))
                {
                    problems.Add($"role {role.ToString().ToLowerInvariant()}: attribute '{twice.Key}' is rated by {string.Join(", ", twice.Select(q => q.Name))}.");
                }
            }
        }

        private void CheckConditions(List<SurveyPage> pages)
        {
            foreach (var (condition, owner) in pages.Select(p => (p.VisibleIf, $"page '{p.Name}'"))
                .Concat(pages.SelectMany(p => p.Questions).Select(q => (q.VisibleIf, $"question '{q.Name}'"))))
            {
                foreach (var unknown in condition?.Variables.Where(v => !_names.Contains(v)) ?? [])
                {
                    problems.Add($"{owner}: visibleIf refers to '{unknown}', which is not a question of this survey.");
                }
            }
        }

        private SurveyCondition? Condition(JsonElement json, string path) => ReadCondition(json, path, problems);

        private LocalisedText Text(JsonElement json, string name, string path) =>
            ReadText(json, name, path, problems, _languages);

        private void CheckProperties(JsonElement json, string path, HashSet<string> known, HashSet<string> visual)
        {
            foreach (var property in json.EnumerateObject())
            {
                if (!known.Contains(property.Name) && !visual.Contains(property.Name))
                {
                    problems.Add($"{path}.{property.Name}: is not supported.");
                }
            }
        }
    }

    /// <summary>A <c>visibleIf</c> condition, or null when there is none or it cannot be read (the problem is noted).</summary>
    internal static SurveyCondition? ReadCondition(JsonElement json, string path, List<string> problems)
    {
        if (!json.TryGetProperty("visibleIf", out var visibleIf))
        {
            return null;
        }

        try
        {
            return visibleIf.ValueKind == JsonValueKind.String
                ? SurveyCondition.Parse(visibleIf.GetString()!)
                : throw new ConditionException("visibleIf must be a text.");
        }
        catch (ConditionException ex)
        {
            problems.Add($"{path}.visibleIf: {ex.Message}");
            return null;
        }
    }

    internal static LocalisedText ReadText(JsonElement json, string name, string path, List<string> problems, HashSet<string> languages)
    {
        if (!json.TryGetProperty(name, out var value))
        {
            return LocalisedText.Empty;
        }

        if (LocalisedText.Read(value) is not { } text)
        {
            problems.Add($"{path}.{name}: must be a text or an object of texts by language.");
            return LocalisedText.Empty;
        }

        languages.UnionWith(text.Languages);
        return text;
    }
}
