namespace OpenCem.Text.Experience;

/// <summary>Precision, recall and F1 of one module over a labelled set (multi-label: each module is its own yes/no question).</summary>
public sealed record ModuleScore(string Module, int Support, int TruePositives, int FalsePositives, int FalseNegatives)
{
    public double Precision => TruePositives + FalsePositives == 0 ? 0 : (double)TruePositives / (TruePositives + FalsePositives);

    public double Recall => TruePositives + FalseNegatives == 0 ? 0 : (double)TruePositives / (TruePositives + FalseNegatives);

    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);
}

/// <summary>A text with the modules a person decided it speaks to.</summary>
public sealed record LabelledExperience(string Split, string Language, IReadOnlySet<string> Modules, string Text);

/// <summary>The tagger measured on hand-labelled texts: per module, macro-F1, and the texts it got wrong (for reading, not tuning).</summary>
public sealed record ExperienceEvaluation(int Count, IReadOnlyList<ModuleScore> Modules, IReadOnlyList<string> Mistakes)
{
    public double MacroF1 => Modules.Average(m => m.F1);

    public static ExperienceEvaluation Run(IEnumerable<LabelledExperience> examples, Func<LabelledExperience, IReadOnlyList<ExperienceTag>> tag)
    {
        var counts = ExperienceModules.All.ToDictionary(m => m, _ => (Tp: 0, Fp: 0, Fn: 0, Support: 0));
        var mistakes = new List<string>();
        var count = 0;
        foreach (var example in examples)
        {
            count++;
            var found = tag(example).Select(t => t.Module).ToHashSet();
            foreach (var module in ExperienceModules.All)
            {
                var (tp, fp, fn, support) = counts[module];
                var expected = example.Modules.Contains(module);
                var predicted = found.Contains(module);
                counts[module] = (tp + (expected && predicted ? 1 : 0), fp + (!expected && predicted ? 1 : 0), fn + (expected && !predicted ? 1 : 0), support + (expected ? 1 : 0));
            }

            if (!found.SetEquals(example.Modules))
            {
                mistakes.Add($"{example.Language} expected [{string.Join(',', example.Modules.Order())}] found [{string.Join(',', found.Order())}]: {example.Text}");
            }
        }

        return new ExperienceEvaluation(count, [.. ExperienceModules.All.Select(m => new ModuleScore(m, counts[m].Support, counts[m].Tp, counts[m].Fp, counts[m].Fn))], mistakes);
    }

    /// <summary>Reads <c>split, language, modules (comma-separated, "-" for none), text</c> lines; # starts a comment.</summary>
    public static IReadOnlyList<LabelledExperience> Read(string path) => File.ReadLines(path)
        .Where(line => line.Length > 0 && line[0] != '#')
        .Select(line => line.Split('\t', 4))
        .Select(f => new LabelledExperience(f[0], f[1],
            f[2] == "-" ? new HashSet<string>() : f[2].Split(',', StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal), f[3]))
        .ToList();
}
