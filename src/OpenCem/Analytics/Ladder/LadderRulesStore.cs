using System.Text.Json;
using OpenCem.Storage;
using OpenCem.Workspaces;

namespace OpenCem.Analytics.Ladder;

/// <summary>The ladder rules of each workspace, a JSON document in its settings; the defaults until someone sets them.</summary>
public sealed class LadderRulesStore(Database database)
{
    public const string Setting = "ladder.rules";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<LadderRules> GetAsync(long workspaceId, CancellationToken cancellationToken = default)
    {
        var text = await new WorkspaceStore(database).GetSettingAsync(workspaceId, Setting, cancellationToken);
        return text is null ? new LadderRules() : JsonSerializer.Deserialize<LadderRules>(text, Json) ?? new LadderRules();
    }

    public Task SetAsync(long workspaceId, LadderRules rules, CancellationToken cancellationToken = default) =>
        new WorkspaceStore(database).SetSettingAsync(workspaceId, Setting, JsonSerializer.Serialize(rules, Json), cancellationToken);
}
