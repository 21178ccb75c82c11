using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpenCem.Feedback.Surveys;

namespace OpenCem.Analytics.Metrics;

/// <summary>One numeric answer: the question (<c>name.row</c> for a matrix cell) and its value.</summary>
public readonly record struct AnswerFact(string Question, double Value);

/// <summary>
/// What the metrics rollup takes from a stored response, pure: every numeric answer (ratings, number inputs,
/// booleans as 1/0, numeric matrix cells) and the single-choice answers that become <c>answer.NAME</c> segment
/// dimensions. A role score (nps, csat, ces) kept in its column but gone from the answers (an erased person's
/// response) still counts, as the survey summary counts it.
/// </summary>
public static class ResponseFacts
{
    public static void Read(
        SurveyDefinition definition, string answersJson, int? nps, int? csat, int? ces, List<AnswerFact> numbers, SortedDictionary<string, string> choices)
    {
        numbers.Clear();
        choices.Clear();
        try
        {
            using var document = JsonDocument.Parse(answersJson);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    if (definition.Find(property.Name) is { } question)
                    {
                        Read(question, property.Value, numbers, choices);
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Stored answers are valid JSON; a damaged row still counts its role scores below.
        }

        Fallback(definition, QuestionRole.Nps, nps, numbers);
        Fallback(definition, QuestionRole.Csat, csat, numbers);
        Fallback(definition, QuestionRole.Ces, ces, numbers);
    }

    /// <summary>The segment key: the customer's dimensions, the response's language and its choices, as canonical JSON.</summary>
    public static string SegmentKey(string? language, IReadOnlyDictionary<string, string> customer, IReadOnlyDictionary<string, string> choices) =>
        JsonSerializer.Serialize(SegmentDimensions(language, customer, choices));

    /// <summary>The segment's dimension values: the customer's, the response's language and its single-choice answers.</summary>
    public static SortedDictionary<string, string> SegmentDimensions(string? language, IReadOnlyDictionary<string, string> customer, IReadOnlyDictionary<string, string> choices)
    {
        var all = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in customer)
        {
            all[name] = value;
        }

        foreach (var (name, value) in choices)
        {
            all[name] = value;
        }

        if (!string.IsNullOrEmpty(language))
        {
            all[MetricDimensions.Language] = language;
        }

        return all;
    }

    /// <summary>The rolled-up dimensions of a customer from their traits: configured traits, lifecycleStage, loyaltyState.</summary>
    public static Dictionary<string, string> CustomerDimensions(string? traitsJson, MetricsSettings settings)
    {
        var dimensions = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(traitsJson))
        {
            return dimensions;
        }

        JsonObject? traits;
        try
        {
            traits = JsonNode.Parse(traitsJson) as JsonObject;
        }
        catch (JsonException)
        {
            return dimensions;
        }

        if (traits is null)
        {
            return dimensions;
        }

        foreach (var trait in settings.Traits)
        {
            if (Text(traits[trait]) is { } value)
            {
                dimensions[MetricDimensions.TraitPrefix + trait] = value;
            }
        }

        if ((Text(traits["lifecycleStage"]) ?? Text(traits["lifecycle"])) is { } stage)
        {
            dimensions[MetricDimensions.LifecycleStage] = stage;
        }

        if ((Text(traits["loyaltyState"]) ?? Text(traits["loyalty"])) is { } loyalty)
        {
            dimensions[MetricDimensions.LoyaltyState] = loyalty;
        }

        return dimensions;
    }

    private static void Read(Question question, JsonElement value, List<AnswerFact> numbers, SortedDictionary<string, string> choices)
    {
        switch (question.Type)
        {
            case QuestionType.Rating when Number(value) is { } number:
                numbers.Add(new AnswerFact(question.Name, number));
                break;
            case QuestionType.Text when value.ValueKind == JsonValueKind.Number && Number(value) is { } number:
                numbers.Add(new AnswerFact(question.Name, number));
                break;
            case QuestionType.Boolean when value.ValueKind is JsonValueKind.True or JsonValueKind.False:
                numbers.Add(new AnswerFact(question.Name, value.ValueKind == JsonValueKind.True ? 1 : 0));
                break;
            case QuestionType.Matrix when value.ValueKind == JsonValueKind.Object:
                foreach (var cell in value.EnumerateObject())
                {
                    if (Number(cell.Value) is { } number)
                    {
                        numbers.Add(new AnswerFact(question.Name + "." + cell.Name, number));
                    }
                }

                break;
            case QuestionType.RadioGroup or QuestionType.Dropdown when value.ValueKind is JsonValueKind.String or JsonValueKind.Number:
                choices[MetricDimensions.AnswerPrefix + question.Name] = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
                break;
        }
    }

    private static void Fallback(SurveyDefinition definition, QuestionRole role, int? score, List<AnswerFact> numbers)
    {
        if (score is { } s && definition.WithRole(role) is { } question && !numbers.Exists(f => f.Question == question.Name))
        {
            numbers.Add(new AnswerFact(question.Name, s));
        }
    }

    private static double? Number(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetDouble(out var d) && double.IsFinite(d) => d,
        JsonValueKind.String when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) => d,
        _ => null,
    };

    private static string? Text(JsonNode? node) => node is JsonValue value
        ? value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>() is { Length: > 0 and <= 200 } s ? s : null,
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.ToJsonString(),
            _ => null,
        }
        : null;
}
