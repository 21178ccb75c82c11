using System.CommandLine;
using System.Text.Json;
using OpenCem.Feedback.Surveys;

namespace OpenCem.Cli;

/// <summary><c>opencem surveys import|list</c>: surveys built in SurveyJS Creator, loaded from their JSON file.</summary>
internal static class SurveysCommand
{
    public static Command Create()
    {
        var command = new Command("surveys", "Survey definitions (SurveyJS JSON with OpenCem roles).");
        command.Subcommands.Add(Import());
        command.Subcommands.Add(List());
        return command;
    }

    private static Command Import()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "A SurveyJS JSON file (as SurveyJS Creator saves it), or {\"name\", \"definition\", \"settings\"}." };
        var name = new Option<string?>("--name") { Description = "The survey's name; defaults to the file's name or title." };
        var db = CommonOptions.Database();
        var workspace = CommonOptions.Workspace();
        var import = new Command("import", "Creates a survey from a SurveyJS JSON file; unsupported features are listed and nothing is created.") { file, name, db, workspace };
        import.SetAction((parse, cancellationToken) => CommonOptions.RunAsync(async () =>
        {
            var path = parse.GetRequiredValue(file);
            if (!path.Exists)
            {
                throw new CommandException($"The file {path.FullName} does not exist.");
            }

            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(await File.ReadAllTextAsync(path.FullName, cancellationToken));
            }
            catch (JsonException ex)
            {
                throw new CommandException($"{path.Name} is not valid JSON: {ex.Message}");
            }

            using (document)
            {
                var root = document.RootElement;
                var wrapped = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("definition", out _);
                var definitionJson = wrapped ? root.GetProperty("definition") : root;
                SurveyDefinition definition;
                try
                {
                    definition = SurveyDefinitionParser.Parse(definitionJson);
                }
                catch (SurveyDefinitionException ex)
                {
                    await Console.Error.WriteLineAsync($"{path.Name} cannot be used as a survey ({ex.Problems.Count} problem(s)); nothing was created:");
                    foreach (var problem in ex.Problems)
                    {
                        await Console.Error.WriteLineAsync($"  {problem}");
                    }

                    return 1;
                }

                var settings = wrapped && root.TryGetProperty("settings", out var s) ? s.Deserialize<SurveySettings>(SurveySettings.Json) ?? SurveySettings.Default : SurveySettings.Default;
                if (settings.Validate(definition) is { Count: > 0 } problems)
                {
                    throw new CommandException("The settings cannot be used: " + string.Join(" ", problems.Select(p => $"{p.Key}: {string.Join(" ", p.Value)}")));
                }

                var title = parse.GetValue(name) ?? (wrapped && root.TryGetProperty("name", out var n) ? n.GetString() : null)
                    ?? (definition.Title.IsEmpty ? Path.GetFileNameWithoutExtension(path.Name) : definition.Title.In(null));
                var (database, ws) = await CommonOptions.OpenWorkspaceAsync(parse.GetValue(db), parse.GetRequiredValue(workspace), cancellationToken);
                await using (database)
                {
                    var id = await new SurveyStore(database, TimeProvider.System).CreateAsync(ws.Id, title!, definition, definitionJson.GetRawText(), settings, cancellationToken);
                    Console.WriteLine($"Created survey {id} \"{title}\": {definition.Questions.Count()} questions on {definition.Pages.Count} page(s), " +
                        $"roles {Roles(definition)}, languages {string.Join(", ", definition.Languages)}.");
                    return 0;
                }
            }
        }));
        return import;
    }

    private static Command List()
    {
        var db = CommonOptions.Database();
        var workspace = CommonOptions.Workspace();
        var list = new Command("list", "Lists the workspace's surveys.") { db, workspace };
        list.SetAction((parse, cancellationToken) => CommonOptions.RunAsync(async () =>
        {
            var (database, ws) = await CommonOptions.OpenWorkspaceAsync(parse.GetValue(db), parse.GetRequiredValue(workspace), cancellationToken);
            await using (database)
            {
                foreach (var survey in await new SurveyStore(database, TimeProvider.System).ListAsync(ws.Id, cancellationToken))
                {
                    Console.WriteLine($"{survey.Id,6}  {survey.Name}  ({survey.Definition.Questions.Count()} questions; roles {Roles(survey.Definition)})");
                }

                return 0;
            }
        }));
        return list;
    }

    private static string Roles(SurveyDefinition definition)
    {
        var roles = definition.Questions.Where(q => q.Role != QuestionRole.None).Select(q => q.Role.ToString().ToLowerInvariant()).Distinct().ToList();
        return roles.Count == 0 ? "none" : string.Join(", ", roles);
    }
}
