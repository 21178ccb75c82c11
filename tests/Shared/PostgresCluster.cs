using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Npgsql;

namespace OpenCem.Testing;

/// <summary>
/// A throwaway PostgreSQL cluster from the Debian <c>postgresql</c> package, shared by the tests and the load test
/// (compiled into both): <c>initdb</c> into a fresh temp folder, a server on a free loopback port, stopped and deleted
/// when the process exits. The tests use <see cref="Shared"/>, with durability off for speed; the load test starts a
/// durable one (fsync and synchronous commit on), so its numbers compare with SQLite's <c>synchronous=FULL</c>.
/// </summary>
public sealed class PostgresCluster
{
    private const string TempPrefix = "opencem-pg-";
    private const string OwnerFile = "owner.pid";
    private const string OsUser = "postgres";

    private readonly string _binDirectory;
    private readonly bool _asPostgresUser;
    private readonly NpgsqlDataSource _admin;
    private int _stopped;

    private static readonly Lazy<PostgresCluster> Instance = new(() => Start(durable: false), LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly bool _durable;

    private PostgresCluster(string rootDirectory, string binDirectory, bool asPostgresUser, int port, bool durable)
    {
        _durable = durable;
        RootDirectory = rootDirectory;
        _binDirectory = binDirectory;
        _asPostgresUser = asPostgresUser;
        Port = port;
        _admin = NpgsqlDataSource.Create(ConnectionStringFor("postgres", pooling: true));
    }

    /// <summary>The TCP port on 127.0.0.1 the server listens on.</summary>
    public int Port { get; }

    public string Host => "127.0.0.1";

    /// <summary>The temp folder holding the data directory, the socket and the server log.</summary>
    public string RootDirectory { get; }

    public string DataDirectory => Path.Combine(RootDirectory, "data");

    public string LogFile => Path.Combine(RootDirectory, "server.log");

    /// <summary>How long <c>initdb</c> plus server start took.</summary>
    public TimeSpan StartupTime { get; private set; }

    /// <summary>Creates a fresh, uniquely named database and returns a connection string for it.</summary>
    public async Task<string> CreateDatabaseAsync(string? prefix = null)
    {
        var name = DatabaseName(prefix);
        await using (var command = _admin.CreateCommand($"CREATE DATABASE \"{name}\""))
        {
            await command.ExecuteNonQueryAsync();
        }

        return ConnectionStringFor(name, pooling: true);
    }

    /// <summary>
    /// A fresh, uniquely named copy of <paramref name="template"/> (<c>CREATE DATABASE ... TEMPLATE</c>), for a connection
    /// string. Nobody may be connected to the template meanwhile: the caller closes its pools first (PostgreSQL waits up to
    /// 5 s for sessions that are still ending, then refuses). <paramref name="fileCopy"/>: copy the files after a
    /// checkpoint instead of writing every block through the WAL, faster for a database of hundreds of MB.
    /// </summary>
    public async Task<string> CopyDatabaseAsync(string template, string? prefix = null, bool fileCopy = false)
    {
        var name = DatabaseName(prefix);
        var strategy = fileCopy ? "FILE_COPY" : "WAL_LOG";
        await using (var command = _admin.CreateCommand($"CREATE DATABASE \"{name}\" TEMPLATE \"{template}\" STRATEGY {strategy}"))
        {
            await command.ExecuteNonQueryAsync();
        }

        return ConnectionStringFor(name, pooling: true);
    }

    /// <summary>The non-durable cluster of this test process, started on first use.</summary>
    public static PostgresCluster Shared => Instance.Value;

    /// <summary>The server settings passed on the command line, for the report.</summary>
    public string Settings => string.Join(' ', ServerSettings(_durable));

    /// <summary>The postmaster's process id, from <c>postmaster.pid</c>.</summary>
    public int? PostmasterPid
    {
        get
        {
            try
            {
                return int.TryParse(File.ReadLines(Path.Combine(DataDirectory, "postmaster.pid")).First(), CultureInfo.InvariantCulture, out var pid) ? pid : null;
            }
            catch (IOException)
            {
                return null;
            }
        }
    }

    /// <summary>The server's version string.</summary>
    public async Task<string> VersionAsync()
    {
        await using var command = _admin.CreateCommand("SHOW server_version");
        return (string)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Stops the server at once and deletes its folder; called when the process exits.</summary>
    public void Stop()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        _admin.Dispose();
        TryStopAndDelete(_binDirectory, _asPostgresUser, RootDirectory);
    }

    /// <summary>A connection string for an existing database of this cluster (e.g. <c>postgres</c>).</summary>
    public string ConnectionStringFor(string database, bool pooling = true) => new NpgsqlConnectionStringBuilder
    {
        Host = Host,
        Port = Port,
        Username = "postgres",
        Database = database,
        Pooling = pooling,
    }.ConnectionString;

    private static string DatabaseName(string? prefix)
    {
        var clean = new StringBuilder();
        foreach (var c in (prefix ?? "test").ToLowerInvariant())
        {
            if (clean.Length >= 30)
            {
                break;
            }

            clean.Append(c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' ? c : '_');
        }

        if (clean.Length == 0 || char.IsDigit(clean[0]))
        {
            clean.Insert(0, "db_");
        }

        // 63 bytes is PostgreSQL's identifier limit: at most 33 + 1 + 24.
        return $"{clean}_{Guid.NewGuid():N}"[..Math.Min(clean.Length + 1 + 24, 63)];
    }

    /// <summary>Starts a new cluster; <paramref name="durable"/> keeps fsync and synchronous commit on.</summary>
    public static PostgresCluster Start(bool durable)
    {
        var binDirectory = FindBinDirectory();
        var asPostgresUser = IsRoot();
        RemoveStaleClusters(binDirectory, asPostgresUser);

        var stopwatch = Stopwatch.StartNew();
        // As root the server runs as the postgres OS user, which must be able to reach the folder: use /tmp
        // rather than a TMPDIR that may sit under /root.
        var tempBase = asPostgresUser && Directory.Exists("/tmp") ? "/tmp" : Path.GetTempPath();
        var root = Path.Combine(tempBase, TempPrefix + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, OwnerFile), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        try
        {
            if (asPostgresUser)
            {
                Run("chown", ["-R", OsUser, root], asPostgresUser: false, root);
            }

            var dataDirectory = Path.Combine(root, "data");
            IReadOnlyList<string> stop = [Path.Combine(binDirectory, "pg_ctl"), "stop", "-m", "immediate", "-w", "-D", dataDirectory];
            CleanUpWhenProcessEnds(root, asPostgresUser ? ["runuser", "-u", OsUser, "--", .. stop] : stop);
            Run(
                Path.Combine(binDirectory, "initdb"),
                ["-D", dataDirectory, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C.UTF-8"],
                asPostgresUser,
                root);

            // The port is free when probed but another process may take it before the server binds: try again then.
            for (var attempt = 1; ; attempt++)
            {
                var port = FreePort();
                var cluster = new PostgresCluster(root, binDirectory, asPostgresUser, port, durable);
                try
                {
                    cluster.StartServer();
                }
                catch (InvalidOperationException) when (attempt < 3 && !cluster.IsRunning())
                {
                    cluster._admin.Dispose();
                    continue;
                }

                cluster.StartupTime = stopwatch.Elapsed;
                AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.Stop();
                return cluster;
            }
        }
        catch
        {
            TryStopAndDelete(binDirectory, asPostgresUser, root);
            throw;
        }
    }

    private void StartServer()
    {
        var options = string.Join(
            ' ',
            [
                "-c listen_addresses=127.0.0.1",
                $"-p {Port.ToString(CultureInfo.InvariantCulture)}",
                $"-k '{RootDirectory}'",
                .. ServerSettings(_durable),
            ]);
        Run(
            Path.Combine(_binDirectory, "pg_ctl"),
            ["start", "-w", "-t", "60", "-D", DataDirectory, "-l", LogFile, "-o", options],
            _asPostgresUser,
            RootDirectory,
            () => File.Exists(LogFile) ? File.ReadAllText(LogFile) : string.Empty);
    }

    private static string[] ServerSettings(bool durable) => durable
        ?
        [
            // Durable like a production server; sized for the 24 GiB benchmark machine so checkpoints stay rare.
            "-c fsync=on", "-c synchronous_commit=on", "-c full_page_writes=on",
            "-c shared_buffers=2GB", "-c wal_buffers=64MB", "-c max_wal_size=8GB", "-c checkpoint_timeout=30min",
            "-c max_connections=100",
        ]
        :
        [
            "-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off",
            "-c shared_buffers=2GB", "-c max_wal_size=8GB", "-c max_connections=100",
        ];

    /// <summary>
    /// <c>pg_ctl restart -m immediate</c>: every backend is killed without a checkpoint, as in a crash, and the
    /// server comes back through WAL recovery on the same port and settings (the crash bench).
    /// </summary>
    public void RestartImmediately() => Run(
        Path.Combine(_binDirectory, "pg_ctl"),
        ["restart", "-m", "immediate", "-w", "-t", "60", "-D", DataDirectory, "-l", LogFile],
        _asPostgresUser,
        RootDirectory,
        () => File.Exists(LogFile) ? File.ReadAllText(LogFile) : string.Empty);

    private bool IsRunning() => File.Exists(Path.Combine(DataDirectory, "postmaster.pid"));

    private static void TryStopAndDelete(string binDirectory, bool asPostgresUser, string root)
    {
        var dataDirectory = Path.Combine(root, "data");
        if (File.Exists(Path.Combine(dataDirectory, "postmaster.pid")))
        {
            try
            {
                Run(Path.Combine(binDirectory, "pg_ctl"), ["stop", "-m", "immediate", "-w", "-D", dataDirectory], asPostgresUser, root);
            }
            catch (InvalidOperationException)
            {
                // Already gone: nothing to stop.
            }
        }

        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>
    /// Once this process has ended, runs <paramref name="stopCommand"/> and deletes <paramref name="directory"/>, from a
    /// detached shell. ProcessExit handlers alone are not enough: <c>dotnet test</c> kills the test host about 100 ms
    /// after the run, and a test process stopped with Ctrl+C or a CI timeout never runs them.
    /// </summary>
    internal static void CleanUpWhenProcessEnds(string directory, IReadOnlyList<string>? stopCommand = null)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return;
        }

        var pid = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        var script = new StringBuilder()
            .Append("trap '' INT HUP; ")
            // A zombie still answers kill -0: treat it as gone, in case nobody reaps it.
            .Append(CultureInfo.InvariantCulture, $"while kill -0 {pid} 2>/dev/null && ! grep -qs '^State:[[:space:]]*Z' /proc/{pid}/status; do sleep 0.3; done; ");
        if (stopCommand is { Count: > 0 })
        {
            script.Append(string.Join(' ', stopCommand.Select(ShellQuote))).Append("; ");
        }

        script.Append("rm -rf ").Append(ShellQuote(directory));

        // The outer shell returns at once; the watcher is re-parented to init, out of the test host's process tree,
        // in its own session when setsid exists, with no pipe back to us or to the test runner.
        const string launcher = "if command -v setsid >/dev/null 2>&1; then setsid sh -c \"$1\" </dev/null >/dev/null 2>&1 & "
            + "else sh -c \"$1\" </dev/null >/dev/null 2>&1 & fi";
        Run("sh", ["-c", launcher, "sh", script.ToString()], asPostgresUser: false, workingDirectory: null);
    }

    private static string ShellQuote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>Clusters left behind by load tests that were killed before they could clean up.</summary>
    private static void RemoveStaleClusters(string binDirectory, bool asPostgresUser)
    {
        var tempBase = asPostgresUser && Directory.Exists("/tmp") ? "/tmp" : Path.GetTempPath();
        string[] candidates;
        try
        {
            candidates = Directory.GetDirectories(tempBase, TempPrefix + "*");
        }
        catch (IOException)
        {
            return;
        }

        foreach (var directory in candidates)
        {
            try
            {
                var ownerPath = Path.Combine(directory, OwnerFile);
                if (!File.Exists(ownerPath)
                    || !int.TryParse(File.ReadAllText(ownerPath).Trim(), CultureInfo.InvariantCulture, out var owner)
                    || ProcessAlive(owner))
                {
                    continue;
                }

                TryStopAndDelete(binDirectory, asPostgresUser, directory);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    private static bool ProcessAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static string FindBinDirectory()
    {
        const string baseDirectory = "/usr/lib/postgresql";
        var found = Directory.Exists(baseDirectory)
            ? Directory.GetDirectories(baseDirectory)
                .Select(directory => (Directory: directory, Version: double.TryParse(Path.GetFileName(directory), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : -1))
                .Where(x => x.Version >= 0
                    && File.Exists(Path.Combine(x.Directory, "bin", "initdb"))
                    && File.Exists(Path.Combine(x.Directory, "bin", "pg_ctl"))
                    && File.Exists(Path.Combine(x.Directory, "bin", "postgres")))
                .OrderByDescending(x => x.Version)
                .Select(x => Path.Combine(x.Directory, "bin"))
                .FirstOrDefault()
            : null;
        return found ?? throw new InvalidOperationException(
            "PostgreSQL server binaries were not found in /usr/lib/postgresql/*/bin (initdb, pg_ctl, postgres). "
            + "The load test starts its own throwaway cluster: install the server with `apt-get install postgresql`, or pass --pg.");
    }

    private static bool IsRoot()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return false;
        }

        if (Environment.UserName == "root")
        {
            return true;
        }

        try
        {
            return Run("id", ["-u"], asPostgresUser: false, workingDirectory: null).Trim() == "0";
        }
        catch (Exception exception) when (exception is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    /// <summary>A loopback port nothing listens on right now.</summary>
    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    /// <summary>Runs a command to completion (as the postgres OS user when asked) and returns its output.</summary>
    private static string Run(
        string fileName,
        IReadOnlyList<string> arguments,
        bool asPostgresUser,
        string? workingDirectory,
        Func<string>? extraDiagnostics = null)
    {
        var info = new ProcessStartInfo
        {
            FileName = asPostgresUser ? "runuser" : fileName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (workingDirectory is not null)
        {
            info.WorkingDirectory = workingDirectory;
        }

        if (asPostgresUser)
        {
            info.ArgumentList.Add("-u");
            info.ArgumentList.Add(OsUser);
            info.ArgumentList.Add("--");
            info.ArgumentList.Add(fileName);
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // Server messages in English whatever the machine's locale, so failures read the same everywhere.
        info.Environment["LC_MESSAGES"] = "C";

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {info.FileName}.");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(120)))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{Describe(info)} did not finish within 120 s.");
        }

        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            var diagnostics = extraDiagnostics?.Invoke();
            throw new InvalidOperationException(
                $"{Describe(info)} failed with exit code {process.ExitCode}.\n{output.Result}\n{error.Result}"
                + (string.IsNullOrWhiteSpace(diagnostics) ? string.Empty : "\nServer log:\n" + diagnostics));
        }

        return output.Result;
    }

    private static string Describe(ProcessStartInfo info) => info.FileName + " " + string.Join(' ', info.ArgumentList);
}
