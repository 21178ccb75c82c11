using System.Text.Json;

namespace OpenCem.Feedback.Surveys;

/// <summary>
/// A SurveyJS localisable string: plain text, or <c>{"default": "...", "de": "..."}</c>. The respondent's language
/// wins, then the survey's default, then English, then whatever text there is.
/// </summary>
public sealed class LocalisedText
{
    private readonly IReadOnlyDictionary<string, string> _texts;

    private LocalisedText(IReadOnlyDictionary<string, string> texts) => _texts = texts;

    public static LocalisedText Empty { get; } = new(new Dictionary<string, string>());

    public bool IsEmpty => _texts.Count == 0;

    /// <summary>The languages this text has a translation for (<c>default</c> excluded).</summary>
    public IEnumerable<string> Languages => _texts.Keys.Where(k => k != "default");

    public static LocalisedText Of(string text) => new(new Dictionary<string, string> { ["default"] = text });

    /// <summary>Reads a string or a locale object; null when the element is neither.</summary>
    public static LocalisedText? Read(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.String)
        {
            return Of(element.GetString()!);
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var texts = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in element.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            texts[property.Name] = property.Value.GetString()!;
        }

        return new LocalisedText(texts);
    }

    /// <summary>The text in <paramref name="language"/>, falling back to the default text.</summary>
    public string In(string? language, string? fallback = null)
    {
        if (language is not null && _texts.TryGetValue(language, out var text))
        {
            return text;
        }

        if (_texts.TryGetValue("default", out text) || _texts.TryGetValue("en", out text))
        {
            return text;
        }

        return _texts.Values.FirstOrDefault() ?? fallback ?? "";
    }

    public override string ToString() => In(null);
}
