using OpenCem.Customers.Storage;

namespace OpenCem.Customers;

/// <summary>
/// What an upsert needs to know about a workspace before it resolves: its rules, and whether it has any erasure
/// tombstones or split pairs at all (most have none, so the look-ups for them can be skipped). Every change to
/// tombstones, splits or rules advances the workspace's <see cref="IdentityGeneration"/> under the identity lock,
/// so a state read at generation G is still exact while the counter reads G; an upsert that advances it to G + 1
/// itself changed none of them. The rules' text is read on every call anyway (same statement), so a rules change
/// that somehow bypassed the counter is still seen.
/// </summary>
internal sealed record ResolutionState(long Generation, string? SettingsJson, IdentitySettings Settings, bool HasTombstones, bool HasSplits)
{
    /// <summary>The same state one generation later: what an upsert that resolved something leaves behind.</summary>
    public ResolutionState Advanced() => this with { Generation = Generation + 1 };

    /// <summary>
    /// Reads the generation and the rules in one statement; the tombstone and split flags only when the generation
    /// differs from the <paramref name="cached"/> state's.
    /// </summary>
    /// <param name="lockFirst">PostgreSQL: the identity lock's statement, sent in the same round trip ahead of the read.</param>
    public static async Task<ResolutionState> ReadAsync(IdentityRepository db, long ws, ResolutionState? cached, string? lockFirst)
    {
        var (generation, json) = await db.GenerationAndSettingAsync(ws, IdentityGeneration.CounterName, IdentitySettings.SettingName, lockFirst);
        if (cached is not null && cached.Generation == generation && cached.SettingsJson == json)
        {
            return cached;
        }

        var settings = cached is not null && cached.SettingsJson == json ? cached.Settings : IdentityService.Parse(json);
        var (tombstones, splits) = await db.AnyTombstonesAndSplitsAsync(ws);
        return new ResolutionState(generation, json, settings, tombstones, splits);
    }
}
