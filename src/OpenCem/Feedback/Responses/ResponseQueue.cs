using Microsoft.Extensions.Logging;
using OpenCem.Storage;

namespace OpenCem.Feedback.Responses;

/// <summary>Group commit of submitted responses: many requests share one transaction and one fsync.</summary>
public sealed class ResponseQueue(ResponseWriter writer, ILogger<ResponseQueue> logger) : GroupCommitQueue<ResponseItem>(logger, MaxResponsesPerCommit, "responses")
{
    public const int MaxResponsesPerCommit = 2_000;

    protected override Task WriteAsync(IReadOnlyList<ResponseItem> items) => writer.WriteAsync(items, CancellationToken.None);
}
