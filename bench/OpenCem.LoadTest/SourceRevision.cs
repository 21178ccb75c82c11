using System.Diagnostics;

namespace OpenCem.LoadTest;

/// <summary>Which OpenCem source was measured: the commit and how many files under src/ differ from it.</summary>
internal static class SourceRevision
{
    public static string Read()
    {
        try
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            // A worktree has a .git file rather than a folder.
            while (directory is not null && !Directory.Exists(Path.Combine(directory.FullName, ".git")) && !File.Exists(Path.Combine(directory.FullName, ".git")))
            {
                directory = directory.Parent;
            }

            if (directory is null)
            {
                return "unknown";
            }

            var head = Git(directory.FullName, "rev-parse --short HEAD").Trim();
            var dirty = Git(directory.FullName, "status --porcelain -- src").Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
            return dirty == 0 ? head : $"{head} + {dirty} uncommitted file(s) under src/";
        }
        catch (Exception exception) when (exception is InvalidOperationException or System.ComponentModel.Win32Exception or IOException)
        {
            return "unknown";
        }
    }

    private static string Git(string directory, string arguments)
    {
        var info = new ProcessStartInfo("git", arguments) { WorkingDirectory = directory, RedirectStandardOutput = true, UseShellExecute = false };
        using var process = Process.Start(info) ?? throw new InvalidOperationException("git did not start");
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit(10_000);
        return output;
    }
}
