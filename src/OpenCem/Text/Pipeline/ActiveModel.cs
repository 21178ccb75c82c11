using OpenCem.Storage;
using OpenCem.Text.Analysis;

namespace OpenCem.Text.Pipeline;

/// <summary>
/// The seam to the trained sentiment model of a workspace. TODO(lead): when the training branch is merged, return
/// <c>TextModels.LoadActiveAsync(database, workspaceId, cancellationToken)</c> here. Until then no model is loaded and
/// the built-in sentiment is used; <see cref="WorkspaceAnalyzers"/> already keys its cache and the analyses' version on
/// the id of the active <c>text_models</c> row, so activating a model makes earlier analyses stale.
/// </summary>
internal static class ActiveModel
{
    public static Task<TrainedSentiment?> LoadAsync(Database database, long workspaceId, CancellationToken cancellationToken)
    {
        _ = (database, workspaceId, cancellationToken);
        return Task.FromResult<TrainedSentiment?>(null);
    }
}
