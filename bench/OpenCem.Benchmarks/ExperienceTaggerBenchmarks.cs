using BenchmarkDotNet.Attributes;
using OpenCem.Demo;
using OpenCem.Text.Analysis;
using OpenCem.Text.Experience;

namespace OpenCem.Benchmarks;

/// <summary>
/// The experiential-module tagger (with the descriptive words for brand values) over the 1,000 demo comments of
/// <see cref="TextAnalysisBenchmarks"/>. The baseline scans and scores sentiment (what the tagger needs before it);
/// "scan + sentiment + tagger" adds the tagger on the same scratch, so its own cost is the difference; the full
/// pipeline (language, sentiment, emotions, themes, modules, descriptors) is the analyser as the worker runs it.
/// One operation is one comment, so comments/s = 10⁹ / ns.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class ExperienceTaggerBenchmarks
{
    private const int Comments = 1_000;
    private readonly TextAnalyzer _analyzer = new(DefaultTaxonomy.Load());
    private string[] _texts = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        var themes = Enum.GetValues<Theme>();
        _texts = [.. Enumerable.Range(0, Comments).Select(i =>
        {
            var first = new Mention(themes[random.Next(10)], random.Next(2) == 0, random.Next(1, 20));
            Mention? second = random.Next(3) == 0 ? new Mention(themes[random.Next(10)], random.Next(2) == 0, random.Next(1, 20)) : null;
            return DemoComments.Compose(random, i % 2 == 0 ? "en" : "de", first, second, random.Next(-2, 3));
        })];
        _ = _analyzer.Analyze(_texts[0]);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Comments)]
    public double ScanAndSentiment()
    {
        var sum = 0.0;
        foreach (var text in _texts)
        {
            sum += TextAnalyzer.LexiconScore(text, null).Score;
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Comments)]
    public int ScanSentimentAndTagger()
    {
        var tags = 0;
        foreach (var text in _texts)
        {
            var (_, scratch, language) = TextAnalyzer.LexiconScore(text, null);
            tags += ExperienceTagger.For(language).Tag(scratch).Tags.Count;
        }

        return tags;
    }

    [Benchmark(OperationsPerInvoke = Comments)]
    public int FullPipeline()
    {
        var tags = 0;
        foreach (var text in _texts)
        {
            tags += _analyzer.Analyze(text).Experiences.Count;
        }

        return tags;
    }
}
