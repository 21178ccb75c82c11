namespace OpenCem.Tests.Feedback;

/// <summary>Survey definitions shared by the feedback tests, as a SurveyJS Creator user would write them.</summary>
public static class SurveyFixtures
{
    /// <summary>Relationship NPS in English and German: score, a reason only for detractors, a comment.</summary>
    public const string Nps = """
        {
          "title": {"default": "How are we doing?", "de": "Wie machen wir uns?"},
          "pages": [{
            "name": "score",
            "elements": [
              {"type": "rating", "name": "nps", "role": "nps", "rateMin": 0, "rateMax": 10, "isRequired": true,
               "title": {"default": "How likely are you to recommend us to a friend?", "de": "Wie wahrscheinlich empfehlen Sie uns weiter?"},
               "minRateDescription": {"default": "Not at all likely", "de": "Sehr unwahrscheinlich"},
               "maxRateDescription": {"default": "Extremely likely", "de": "Sehr wahrscheinlich"}},
              {"type": "radiogroup", "name": "reason", "visibleIf": "{nps} <= 6", "isRequired": true,
               "title": {"default": "What disappointed you most?", "de": "Was hat Sie am meisten enttäuscht?"},
               "choices": [{"value": "price", "text": {"default": "Price", "de": "Preis"}}, {"value": "service", "text": {"default": "Service", "de": "Service"}}, {"value": "network", "text": {"default": "Network", "de": "Netz"}}]}
            ]
          }, {
            "name": "comment",
            "elements": [
              {"type": "comment", "name": "comment", "role": "verbatim", "title": {"default": "Anything else you want to tell us?", "de": "Möchten Sie uns noch etwas sagen?"}}
            ]
          }]
        }
        """;

    /// <summary>Transactional CSAT and CES with attribute ratings (a matrix) and a yes/no.</summary>
    public const string Service = """
        {
          "title": "Your service contact",
          "elements": [
            {"type": "rating", "name": "csat", "role": "csat", "rateMin": 1, "rateMax": 5, "isRequired": true, "title": "How satisfied are you?"},
            {"type": "rating", "name": "ces", "role": "ces", "rateMin": 1, "rateMax": 7, "title": "How easy was it?"},
            {"type": "matrix", "name": "attributes", "role": "driver", "title": "Rate us",
             "columns": [1, 2, 3, 4, 5], "rows": [{"value": "friendliness", "text": "Friendliness"}, {"value": "speed", "text": "Speed"}]},
            {"type": "boolean", "name": "resolved", "title": "Was your issue resolved?"},
            {"type": "checkbox", "name": "channels", "choices": ["phone", "chat", "email"], "maxSelectedChoices": 2}
          ]
        }
        """;

    public static string Create(string name, string definition, string? settings = null) =>
        $$"""{"name": "{{name}}", "definition": {{definition}}{{(settings is null ? "" : $", \"settings\": {settings}")}}}""";
}
