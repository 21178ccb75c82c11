using System.CommandLine;
using OpenCem.Cli;

var root = new RootCommand("OpenCem: open-source customer experience management. Serve the API, load the demo company, import customers, manage keys.")
{
    ServeCommand.Create(),
    DemoCommand.Create(),
    KeysCommand.Create(),
    ImportCommand.Create(),
    IdentityCommand.Create(),
    SurveysCommand.Create(),
    ReportCommand.Create(),
    ReportCommand.Analytics(),
    // TODO(lead): the analyser branch's TextCommand (analyze, evaluate, train) becomes this "text" command; add
    // TextReanalyzeCommand.Create() to its subcommands and drop this one.
    new Command("text", "Text analytics of comments and signals.") { TextReanalyzeCommand.Create() },
};

// The web host handles Ctrl+C and SIGTERM itself, with a graceful drain of the ingestion queue.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
