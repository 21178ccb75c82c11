namespace OpenCem.Tests.Text.Analysis;

/// <summary>Finds the labelled sets: the shared data folder (walking up from the tests), the repository's own CX examples.</summary>
internal static class TextData
{
    /// <summary>The nearest <c>shared/data/text</c> above the test directory, or null on machines without it.</summary>
    public static string? SharedFolder()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "shared", "data", "text");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>A file of the repository, by its path from the repository root.</summary>
    public static string Repository(string relative)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "OpenCem.slnx")))
            {
                return Path.Combine(directory.FullName, relative);
            }
        }

        throw new DirectoryNotFoundException("The repository root (OpenCem.slnx) is not above the test directory.");
    }
}
