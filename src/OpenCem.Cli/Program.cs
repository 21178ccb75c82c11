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
    // Key driver analysis and disconfirmation; the lead moves these under the shared report root when merging.
    new Command("report", "Analytics in the terminal.") { ReportDriversCommand.Create(), ReportDriversCommand.CreateDisconfirmation() },
};

// The web host handles Ctrl+C and SIGTERM itself, with a graceful drain of the ingestion queue.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
