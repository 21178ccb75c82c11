using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenCem.Hosting;
using OpenCem.Text.Experience;
using OpenCem.Text.Pipeline;

namespace OpenCem.Text;

/// <summary>One analysed text of <c>POST /api/v1/text/analyze</c>, under the id the caller gave it.</summary>
public sealed record AnalyzedText(
    string Id, string Lang, SentimentScore Sentiment, IReadOnlyList<EmotionScore> Emotions, IReadOnlyList<ThemeMention> Themes, bool Truncated,
    IReadOnlyList<ExperienceTag> Experiences, IReadOnlyList<DescriptorMention> Descriptors);

/// <summary>Management API: analyses texts on demand with the workspace's taxonomy and model, storing nothing.</summary>
public static class AnalyzeApi
{
    public const int MaxIdLength = 200;

    private static readonly HashSet<string> ItemProperties = new(StringComparer.Ordinal) { "id", "text", "lang" };

    public static RouteGroupBuilder MapAnalyzeApi(this RouteGroupBuilder api)
    {
        api.MapPost("/text/analyze", AnalyzeAsync).WithTags("Text analytics").WithMetadata(new StoresNothing())
            .WithSummary($"Analyses up to {TextLimits.MaxBatch} texts: {{\"texts\": [{{\"id\", \"text\", \"lang\": \"auto|en|de\"}}]}} → [{{id, lang, sentiment: {{score, label}}, emotions, themes: [{{key, sentiment}}], truncated, experiences: [{{module, evidence, start, length}}], descriptors: [{{term, negated}}]}}].");
        return api;
    }

    private static async Task<Results<Ok<List<AnalyzedText>>, ProblemHttpResult>> AnalyzeAsync(HttpContext context, WorkspaceAnalyzers analyzers, JsonElement body)
    {
        var errors = new Dictionary<string, string[]>();
        var texts = Read(body, errors);
        if (texts is null || errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var analyzer = (await analyzers.GetAsync(ApiKeyAuthentication.WorkspaceOf(context.User), context.RequestAborted)).Analyzer;
        var results = new List<AnalyzedText>(texts.Count);
        foreach (var (id, text, language) in texts)
        {
            TextAnalysis analysis;
            try
            {
                analysis = analyzer.Analyze(text, language);
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                // The analyser should take any text; if one still fails, it is answered as unreadable, not as a 500 for all.
                analysis = new TextAnalysis("und", new SentimentScore(0, "neutral"), [], [], text.Length > TextLimits.MaxLength);
            }

            results.Add(new AnalyzedText(id, analysis.Language, analysis.Sentiment, analysis.Emotions, analysis.Themes, analysis.Truncated,
                analysis.Experiences, analysis.Descriptors));
        }

        return TypedResults.Ok(results);
    }

    private static List<(string Id, string Text, string? Language)>? Read(JsonElement body, Dictionary<string, string[]> errors)
    {
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("texts", out var texts) || texts.ValueKind != JsonValueKind.Array)
        {
            errors["texts"] = ["is required: {\"texts\": [{\"id\": \"1\", \"text\": \"...\", \"lang\": \"auto\"}]}."];
            return null;
        }

        foreach (var property in body.EnumerateObject().Where(p => p.Name != "texts"))
        {
            errors[property.Name] = ["is not a property of the request (texts)."];
        }

        if (texts.GetArrayLength() is 0 or > TextLimits.MaxBatch)
        {
            errors["texts"] = [$"must hold 1 to {TextLimits.MaxBatch} texts per call (this one has {texts.GetArrayLength()})."];
            return null;
        }

        var items = new List<(string, string, string?)>(texts.GetArrayLength());
        var index = 0;
        foreach (var item in texts.EnumerateArray())
        {
            var prefix = $"texts[{index++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                errors[prefix] = ["must be an object {id, text, lang}."];
                continue;
            }

            foreach (var property in item.EnumerateObject().Where(p => !ItemProperties.Contains(p.Name)))
            {
                errors[$"{prefix}.{property.Name}"] = ["is not a property of a text (id, text, lang)."];
            }

            string? id = item.TryGetProperty("id", out var idValue) ? idValue.ValueKind switch
            {
                JsonValueKind.String => idValue.GetString(),
                JsonValueKind.Number => idValue.GetRawText(),
                _ => null,
            } : null;
            if (id is null || id.Length > MaxIdLength)
            {
                errors[$"{prefix}.id"] = [$"is required: a text or number of up to {MaxIdLength} characters that names the text in the answer."];
            }

            string? text = null;
            if (item.TryGetProperty("text", out var textValue) && textValue.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
            {
                errors[$"{prefix}.text"] = ["must be a text (longer ones are analysed up to their first 20,000 characters)."];
            }
            else if (textValue.ValueKind == JsonValueKind.String)
            {
                text = textValue.GetString();
            }

            string? language = null;
            if (item.TryGetProperty("lang", out var langValue) && langValue.ValueKind != JsonValueKind.Null)
            {
                language = langValue.ValueKind == JsonValueKind.String ? langValue.GetString()!.ToLowerInvariant() : "?";
                if (language is not ("auto" or "en" or "de"))
                {
                    errors[$"{prefix}.lang"] = ["must be auto, en or de."];
                }
            }

            items.Add((id ?? "", text ?? "", language is "en" or "de" ? language : null));
        }

        return items;
    }
}
