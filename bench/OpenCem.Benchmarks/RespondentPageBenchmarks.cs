using System.Buffers;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Primitives;
using OpenCem.Feedback.Respondents;
using OpenCem.Feedback.Surveys;

namespace OpenCem.Benchmarks;

/// <summary>
/// The CPU work of the respondent page <c>/s/{token}</c> besides its one indexed query: writing a page into a pooled
/// builder and encoding it as UTF-8, and reading a posted page. The surveys are the test fixtures': the German
/// relationship NPS (2 pages, a visibleIf) and the five-question service survey (ratings, matrix, yes/no, check boxes).
/// </summary>
[MemoryDiagnoser]
public class RespondentPageBenchmarks
{
    private const string Nps = """
        {"title": {"default": "How are we doing?", "de": "Wie machen wir uns?"},
         "pages": [{"name": "score", "elements": [
           {"type": "rating", "name": "nps", "role": "nps", "rateMin": 0, "rateMax": 10, "isRequired": true,
            "title": {"default": "How likely are you to recommend us to a friend?", "de": "Wie wahrscheinlich empfehlen Sie uns weiter?"},
            "minRateDescription": {"default": "Not at all likely", "de": "Sehr unwahrscheinlich"},
            "maxRateDescription": {"default": "Extremely likely", "de": "Sehr wahrscheinlich"}},
           {"type": "radiogroup", "name": "reason", "visibleIf": "{nps} <= 6", "isRequired": true,
            "title": {"default": "What disappointed you most?", "de": "Was hat Sie am meisten enttäuscht?"},
            "choices": [{"value": "price", "text": {"default": "Price", "de": "Preis"}}, {"value": "service", "text": "Service"}, {"value": "network", "text": {"default": "Network", "de": "Netz"}}]}]},
          {"name": "comment", "elements": [{"type": "comment", "name": "comment", "role": "verbatim", "title": {"default": "Anything else?", "de": "Möchten Sie uns noch etwas sagen?"}}]}]}
        """;

    private const string Service = """
        {"title": "Your service contact", "elements": [
          {"type": "rating", "name": "csat", "role": "csat", "rateMin": 1, "rateMax": 5, "isRequired": true, "title": "How satisfied are you?"},
          {"type": "rating", "name": "ces", "role": "ces", "rateMin": 1, "rateMax": 7, "title": "How easy was it?"},
          {"type": "matrix", "name": "attributes", "role": "driver", "title": "Rate us",
           "columns": [1, 2, 3, 4, 5], "rows": [{"value": "friendliness", "text": "Friendliness"}, {"value": "speed", "text": "Speed"}]},
          {"type": "boolean", "name": "resolved", "title": "Was your issue resolved?"},
          {"type": "checkbox", "name": "channels", "choices": ["phone", "chat", "email"], "maxSelectedChoices": 2}]}
        """;

    private static readonly Dictionary<string, string> Empty = [];

    private readonly ArrayBufferWriter<byte> _output = new(32 * 1024);
    private SurveyDefinition _nps = null!;
    private SurveyDefinition _service = null!;
    private Answers _low = null!;
    private List<KeyValuePair<string, StringValues>> _posted = [];

    [GlobalSetup]
    public void Setup()
    {
        _nps = SurveyDefinitionParser.Parse(Nps);
        _service = SurveyDefinitionParser.Parse(Service);
        _low = new Answers();
        _low.Set("nps", 3.0);
        _posted = [new("page", "0"), new("shown", "0 1"), new("nps", "3"), new("reason", "price"), new("action", "next")];
    }

    [Benchmark(Baseline = true, Description = "NPS page 1 (de), empty: write + UTF-8")]
    public int NpsFirstPage() => Write(new PageView(_nps, "de", PageTexts.German, "/s/token?lang=de", 0, new Answers(), [], Empty));

    [Benchmark(Description = "NPS page 1 (de), score 3 with the reason shown and an error")]
    public int NpsWithReasonAndError() =>
        Write(new PageView(_nps, "de", PageTexts.German, "/s/token?lang=de", 0, _low, [new FieldError("reason", PageTexts.German.RequiredAnswer)], Empty));

    [Benchmark(Description = "Service survey (5 questions, en): write + UTF-8")]
    public int ServicePage() => Write(new PageView(_service, "en", PageTexts.English, "/s/token?lang=en", 0, new Answers(), [], Empty));

    [Benchmark(Description = "Read a posted NPS page + required check")]
    public int ReadPost()
    {
        var post = PageForm.Read(_nps, _posted, new Answers(), PageTexts.German)!;
        PageForm.RequireAnswers(_nps, post, "de", PageTexts.German);
        return post.Answers.Count + post.Errors.Count;
    }

    private int Write(PageView view)
    {
        var html = HtmlText.Rent();
        try
        {
            PageWriter.SurveyPage(html, view);
            _output.ResetWrittenCount();
            HtmlText.Utf8(html, _output);
            return _output.WrittenCount;
        }
        finally
        {
            HtmlText.Return(html);
        }
    }
}
