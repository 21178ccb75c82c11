using BenchmarkDotNet.Attributes;
using OpenCem.Demo;
using OpenCem.Text.Analysis;

namespace OpenCem.Benchmarks;

/// <summary>
/// The built-in text analyser over 1,000 comments (half English, half German) as the demo company writes them:
/// one or two clauses about its themes, sometimes a closing sentence, about 12 words each. One operation is one
/// comment (OperationsPerInvoke), so comments/s = 10⁹ / mean ns. The lexicon path is language detection and
/// sentiment; the full pipeline adds emotions and themes (the default taxonomy); the parallel rows run the same
/// work on two threads. The plain VADER-style baseline runs in the same job as a reference.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class TextAnalysisBenchmarks
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
    public double BaselineVaderStyle()
    {
        var sum = 0.0;
        foreach (var text in _texts)
        {
            sum += TextAnalyzer.BaselineSentiment(text).Score;
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Comments)]
    public double LexiconSentiment()
    {
        var sum = 0.0;
        foreach (var text in _texts)
        {
            sum += _analyzer.AnalyzeSentiment(text).Score;
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Comments)]
    public int FullPipeline()
    {
        var themes = 0;
        foreach (var text in _texts)
        {
            themes += _analyzer.Analyze(text).Themes.Count;
        }

        return themes;
    }

    [Benchmark(OperationsPerInvoke = Comments)]
    public int FullPipelineTwoThreads()
    {
        var themes = 0;
        Parallel.For(0, 2, new ParallelOptions { MaxDegreeOfParallelism = 2 }, part =>
        {
            var local = 0;
            for (var i = part; i < _texts.Length; i += 2)
            {
                local += _analyzer.Analyze(_texts[i]).Themes.Count;
            }

            Interlocked.Add(ref themes, local);
        });
        return themes;
    }
}
