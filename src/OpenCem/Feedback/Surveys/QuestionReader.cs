using System.Globalization;
using System.Text.Json;

namespace OpenCem.Feedback.Surveys;

public static partial class SurveyDefinitionParser
{
    /// <summary>Reads one element of a page: its type, its properties, and OpenCem's role.</summary>
    private sealed class QuestionReader(List<string> problems, HashSet<string> languages)
    {
        private string _path = "";

        public Question? Read(JsonElement json, string path)
        {
            _path = path;
            if (json.ValueKind != JsonValueKind.Object)
            {
                problems.Add($"{path}: an element must be an object.");
                return null;
            }

            var typeName = json.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : null;
            var name = json.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()!.Trim() : null;
            if (name is not null)
            {
                _path = $"{path} ('{name}')";
            }

            if (typeName is null || !Types.TryGetValue(typeName, out var type))
            {
                problems.Add(typeName is null
                    ? $"{_path}.type: is missing."
                    : $"{_path}.type: '{typeName}' is not supported; supported types are {string.Join(", ", Types.Keys)}.");
                return null;
            }

            if (string.IsNullOrEmpty(name) || name.Length > 100 || name.IndexOfAny(['{', '}', '.', '\n', '\r', '\t']) >= 0)
            {
                problems.Add($"{_path}.name: a question needs a name of up to 100 characters without braces, dots or line breaks.");
                return null;
            }

            foreach (var property in json.EnumerateObject())
            {
                if (!CommonQuestionProperties.Contains(property.Name) && !VisualQuestionProperties.Contains(property.Name)
                    && !type.Properties.Contains(property.Name))
                {
                    problems.Add($"{_path}.{property.Name}: is not supported for {typeName} questions.");
                }
            }

            var role = Role(json);
            var (rateMin, rateMax) = type.Type == QuestionType.Rating ? RatingRange(json, role) : (0, 0);
            var question = new Question(
                name,
                type.Type,
                Text(json, "title"),
                Text(json, "description"),
                Bool(json, "isRequired"),
                Condition(json),
                role,
                json.TryGetProperty("attribute", out var attribute) && attribute.ValueKind == JsonValueKind.String ? attribute.GetString() : null,
                rateMin,
                rateMax,
                Text(json, "minRateDescription"),
                Text(json, "maxRateDescription"),
                Choices(json, "choices", type.Type is QuestionType.RadioGroup or QuestionType.Dropdown or QuestionType.Checkbox),
                type.Type == QuestionType.Matrix ? Choices(json, "rows", true) : [],
                type.Type == QuestionType.Matrix ? Choices(json, "columns", true) : [],
                Text(json, "labelTrue"),
                Text(json, "labelFalse"),
                InputType(json),
                MaxLength(json, type.Type),
                Count(json, "minSelectedChoices"),
                Count(json, "maxSelectedChoices"),
                Bool(json, "isAllRowRequired"),
                json.TryGetProperty("placeholder", out _) ? Text(json, "placeholder") : Text(json, "optionsCaption"),
                Text(json, "requiredErrorText"));
            CheckRoleFits(question);
            return question;
        }

        private QuestionRole Role(JsonElement json)
        {
            if (!json.TryGetProperty("role", out var role))
            {
                return QuestionRole.None;
            }

            if (role.ValueKind == JsonValueKind.String && Roles.TryGetValue(role.GetString()!, out var known))
            {
                return known;
            }

            problems.Add($"{_path}.role: must be one of {string.Join(", ", Roles.Keys)}.");
            return QuestionRole.None;
        }

        /// <summary>A rating scale from rateMin to rateMax in steps of 1; the role fixes the scale it must have.</summary>
        private (int Min, int Max) RatingRange(JsonElement json, QuestionRole role)
        {
            var (expectedMin, expectedMax) = role switch
            {
                QuestionRole.Nps => (0, 10),
                QuestionRole.Csat => (1, 5),
                QuestionRole.Ces => (1, 7),
                _ => (1, 5),
            };
            var min = Integer(json, "rateMin") ?? (role == QuestionRole.Nps ? 0 : 1);
            var max = Integer(json, "rateMax") ?? (json.TryGetProperty("rateCount", out var count) && count.TryGetInt32(out var c) ? min + c - 1 : expectedMax);
            if (json.TryGetProperty("rateStep", out var step) && (!step.TryGetInt32(out var s) || s != 1))
            {
                problems.Add($"{_path}.rateStep: only steps of 1 are supported.");
            }

            if (min >= max || max - min > 20)
            {
                problems.Add($"{_path}: rateMin must be below rateMax, with at most 21 points.");
            }
            else if (role is QuestionRole.Nps or QuestionRole.Csat or QuestionRole.Ces && (min, max) != (expectedMin, expectedMax))
            {
                problems.Add($"{_path}: a {role.ToString().ToLowerInvariant()} rating runs from {expectedMin} to {expectedMax} (rateMin/rateMax).");
            }

            return (min, max);
        }

        private void CheckRoleFits(Question question)
        {
            var numeric = question.Type == QuestionType.Rating || (question.Type == QuestionType.Matrix && question.Columns.All(c => c.IsNumber));
            switch (question.Role)
            {
                case QuestionRole.Nps or QuestionRole.Csat or QuestionRole.Ces when question.Type != QuestionType.Rating:
                    problems.Add($"{_path}.role: {question.Role.ToString().ToLowerInvariant()} needs a rating question.");
                    break;
                case QuestionRole.Expectation or QuestionRole.Experience or QuestionRole.Driver or QuestionRole.Overall when !numeric:
                    problems.Add($"{_path}.role: {question.Role.ToString().ToLowerInvariant()} needs a rating, or a matrix with numeric columns.");
                    break;
                case QuestionRole.Expectation or QuestionRole.Experience when question.Type == QuestionType.Rating && question.Attribute is null:
                    problems.Add($"{_path}.attribute: an {question.Role.ToString().ToLowerInvariant()} rating names the attribute it rates.");
                    break;
                case QuestionRole.Verbatim when question.Type is not (QuestionType.Comment or QuestionType.Text):
                    problems.Add($"{_path}.role: verbatim needs a comment or text question.");
                    break;
            }
        }

        private List<Choice> Choices(JsonElement json, string name, bool required)
        {
            if (!json.TryGetProperty(name, out var array))
            {
                if (required)
                {
                    problems.Add($"{_path}.{name}: is required for this question type.");
                }

                return [];
            }

            if (array.ValueKind != JsonValueKind.Array || array.GetArrayLength() == 0)
            {
                problems.Add($"{_path}.{name}: must be a non-empty array.");
                return [];
            }

            var choices = new List<Choice>();
            foreach (var item in array.EnumerateArray())
            {
                var (value, isNumber, text) = item.ValueKind switch
                {
                    JsonValueKind.String => (item.GetString(), false, LocalisedText.Empty),
                    JsonValueKind.Number => (item.GetRawText(), true, LocalisedText.Empty),
                    JsonValueKind.Object when item.TryGetProperty("value", out var v) && v.ValueKind is JsonValueKind.String or JsonValueKind.Number =>
                        (v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText(), v.ValueKind == JsonValueKind.Number,
                            ReadText(item, "text", $"{_path}.{name}", problems, languages)),
                    _ => (null, false, LocalisedText.Empty),
                };
                if (item.ValueKind == JsonValueKind.Object && item.EnumerateObject().Any(p => p.Name is not ("value" or "text")))
                {
                    problems.Add($"{_path}.{name}: only value and text are supported on a choice (no visibleIf or enableIf).");
                }

                if (string.IsNullOrEmpty(value))
                {
                    problems.Add($"{_path}.{name}: each item needs a value.");
                    continue;
                }

                if (choices.Any(c => string.Equals(c.Value, value, StringComparison.OrdinalIgnoreCase)))
                {
                    problems.Add($"{_path}.{name}: the value '{value}' appears twice.");
                    continue;
                }

                choices.Add(new Choice(value, text.IsEmpty ? LocalisedText.Of(value) : text, isNumber));
            }

            return choices;
        }

        private string InputType(JsonElement json)
        {
            if (!json.TryGetProperty("inputType", out var input))
            {
                return "text";
            }

            if (input.ValueKind == JsonValueKind.String && InputTypes.Contains(input.GetString()!))
            {
                return input.GetString()!;
            }

            problems.Add($"{_path}.inputType: must be one of {string.Join(", ", InputTypes)}.");
            return "text";
        }

        private int MaxLength(JsonElement json, QuestionType type)
        {
            var fallback = type == QuestionType.Comment ? 10_000 : 1_000;
            var max = Integer(json, "maxLength");
            return max is > 0 and <= 100_000 ? max.Value : fallback;
        }

        private int? Count(JsonElement json, string name) => Integer(json, name) is { } n and > 0 ? n : null;

        private int? Integer(JsonElement json, string name)
        {
            if (!json.TryGetProperty(name, out var value))
            {
                return null;
            }

            if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number))
            {
                return number;
            }

            if (value.ValueKind == JsonValueKind.String && int.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out number))
            {
                return number;
            }

            problems.Add($"{_path}.{name}: must be a whole number.");
            return null;
        }

        private bool Bool(JsonElement json, string name)
        {
            if (!json.TryGetProperty(name, out var value))
            {
                return false;
            }

            if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                return value.GetBoolean();
            }

            problems.Add($"{_path}.{name}: must be true or false.");
            return false;
        }

        private SurveyCondition? Condition(JsonElement json) => ReadCondition(json, _path, problems);

        private LocalisedText Text(JsonElement json, string name) => ReadText(json, name, _path, problems, languages);
    }
}
