using System.CommandLine;
using OpenCem.Workspaces.Users;

namespace OpenCem.Cli;

/// <summary><c>opencem users</c>: the people who sign in to the dashboard and their roles.</summary>
internal static class UsersCommand
{
    public static Command Create()
    {
        var command = new Command("users", "Add, list, re-role and remove dashboard users (roles: admin, analyst, agent, viewer).");
        command.Subcommands.Add(Add());
        command.Subcommands.Add(List());
        command.Subcommands.Add(SetRole());
        command.Subcommands.Add(Remove());
        return command;
    }

    private static Command Add()
    {
        var db = CommonOptions.Database();
        var workspace = CommonOptions.Workspace();
        var email = new Argument<string>("email") { Description = "The e-mail the user signs in with." };
        var role = RoleOption();
        role.Required = true;
        var team = new Option<string?>("--team") { Description = "For agents: the case team whose cases they see and work." };
        var password = new Option<string?>("--password")
        {
            Description = $"The password (at least {DashboardIdentity.MinimumPasswordLength} characters); without it one is generated and printed once.",
        };
        var command = new Command("add", "Add a user; prints the generated password once unless --password is given.") { email, role, team, password, db, workspace };
        command.SetAction((parse, cancellationToken) => CommonOptions.RunAsync(async () =>
        {
            var (database, ws) = await CommonOptions.OpenWorkspaceAsync(parse.GetValue(db), parse.GetRequiredValue(workspace), cancellationToken);
            await using var _ = database;
            await using var users = new StandaloneUsers(database);
            var change = await users.Directory.AddAsync(
                ws.Id, parse.GetRequiredValue(email), parse.GetRequiredValue(role), parse.GetValue(team), parse.GetValue(password), cancellationToken);
            Check(change);
            Console.WriteLine($"Added {change.User!.Role} {change.User.Email} to workspace \"{ws.Key}\".");
            if (change.Password is { } generated)
            {
                Console.WriteLine($"Password (shown only now): {generated}");
            }

            return 0;
        }));
        return command;
    }

    private static Command List()
    {
        var db = CommonOptions.Database();
        var workspace = CommonOptions.Workspace();
        var command = new Command("list", "List the users of a workspace with role, team and personal-data scope.") { db, workspace };
        command.SetAction((parse, cancellationToken) => CommonOptions.RunAsync(async () =>
        {
            var (database, ws) = await CommonOptions.OpenWorkspaceAsync(parse.GetValue(db), parse.GetRequiredValue(workspace), cancellationToken);
            await using var _ = database;
            await using var users = new StandaloneUsers(database);
            Console.WriteLine($"{"EMAIL",-36} {"ROLE",-8} {"TEAM",-16} {"PERSONAL DATA",-14} STATUS");
            foreach (var user in await users.Directory.ListAsync(ws.Id, cancellationToken))
            {
                Console.WriteLine($"{user.Email,-36} {user.Role,-8} {user.Team ?? "-",-16} {DashboardRoles.ScopeName(user.PersonalData),-14} {(user.LockedOut ? "locked" : "active")}");
            }

            return 0;
        }));
        return command;
    }

    private static Command SetRole()
    {
        var db = CommonOptions.Database();
        var workspace = CommonOptions.Workspace();
        var email = new Argument<string>("email") { Description = "The user's e-mail." };
        var role = new Argument<string>("role") { Description = "admin, analyst, agent or viewer." };
        role.AcceptOnlyFromAmong([.. DashboardRoles.All]);
        var command = new Command("set-role", "Change a user's role; their open sessions end within a minute.") { email, role, db, workspace };
        command.SetAction((parse, cancellationToken) => CommonOptions.RunAsync(async () =>
        {
            var (database, ws) = await CommonOptions.OpenWorkspaceAsync(parse.GetValue(db), parse.GetRequiredValue(workspace), cancellationToken);
            await using var _ = database;
            await using var users = new StandaloneUsers(database);
            var change = await users.Directory.SetRoleAsync(ws.Id, parse.GetRequiredValue(email), parse.GetRequiredValue(role), cancellationToken);
            Check(change);
            Console.WriteLine($"{change.User!.Email} is now {change.User.Role}.");
            return 0;
        }));
        return command;
    }

    private static Command Remove()
    {
        var db = CommonOptions.Database();
        var workspace = CommonOptions.Workspace();
        var email = new Argument<string>("email") { Description = "The user's e-mail." };
        var command = new Command("remove", "Remove a user; they can no longer sign in.") { email, db, workspace };
        command.SetAction((parse, cancellationToken) => CommonOptions.RunAsync(async () =>
        {
            var (database, ws) = await CommonOptions.OpenWorkspaceAsync(parse.GetValue(db), parse.GetRequiredValue(workspace), cancellationToken);
            await using var _ = database;
            await using var users = new StandaloneUsers(database);
            var change = await users.Directory.RemoveAsync(ws.Id, parse.GetRequiredValue(email), cancellationToken);
            Check(change);
            Console.WriteLine($"Removed {change.User!.Email}.");
            return 0;
        }));
        return command;
    }

    private static Option<string> RoleOption()
    {
        var role = new Option<string>("--role") { Description = "admin, analyst, agent or viewer." };
        role.AcceptOnlyFromAmong([.. DashboardRoles.All]);
        return role;
    }

    private static void Check(UserChange change)
    {
        if (change.Error is not null)
        {
            throw new CommandException($"{change.Field}: {change.Error}");
        }
    }
}
