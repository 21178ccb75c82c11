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
    TextCommand.Create(),
    UsersCommand.Create(),
    CasesCommand.Create(),
    RulesCommand.Create(),
    WebhooksCommand.Create(),
    PersonasCommand.Create(),
    TransferCommands.Migrate(),
    TransferCommands.Backup(),
    TransferCommands.Restore(),
    PartitionCommand.Create(),
};

// The web host handles Ctrl+C and SIGTERM itself, with a graceful drain of the ingestion queue.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
