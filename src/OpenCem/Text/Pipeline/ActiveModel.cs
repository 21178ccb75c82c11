using OpenCem.Storage;
using OpenCem.Text.Analysis;
using OpenCem.Text.Training;

namespace OpenCem.Text.Pipeline;

/// <summary>
/// The trained sentiment model a workspace analyses with, if one is active. <see cref="WorkspaceAnalyzers"/> keys its
/// cache and the analyses' version on the id of the active <c>text_models</c> row, so activating a model makes
/// earlier analyses stale.
/// </summary>
internal static class ActiveModel
{
    public static Task<TrainedSentiment?> LoadAsync(Database database, long workspaceId, CancellationToken cancellationToken) =>
        TextModels.LoadActiveAsync(database, workspaceId, cancellationToken);
}
