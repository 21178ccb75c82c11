using OpenCem.Storage;

namespace OpenCem.Tests.Storage;

public sealed class WriteTurnsTests
{
    [Fact]
    public async Task A_free_lock_is_taken_at_once_and_given_back_on_dispose()
    {
        var turns = new WriteTurns();
        var first = await turns.TakeAsync(WritePriority.Prompt, CancellationToken.None);
        var second = turns.TakeAsync(WritePriority.Prompt, CancellationToken.None);
        Assert.False(second.IsCompleted);
        Assert.Equal(1, turns.Waiting);

        first.Dispose();
        (await second).Dispose();
        Assert.Equal(0, turns.Waiting);
        (await turns.TakeAsync(WritePriority.Bulk, CancellationToken.None)).Dispose();
    }

    [Fact]
    public async Task Prompt_writers_go_before_a_bulk_writer_that_waited_longer_and_keep_their_own_order()
    {
        var turns = new WriteTurns();
        var order = new List<string>();
        var holder = await turns.TakeAsync(WritePriority.Bulk, CancellationToken.None);

        async Task Write(string name, WritePriority priority)
        {
            await using var turn = await turns.TakeAsync(priority, CancellationToken.None);
            order.Add(name);
        }

        var bulk = Write("bulk", WritePriority.Bulk);
        var response = Write("response", WritePriority.Prompt);
        var rule = Write("rule", WritePriority.Prompt);
        Assert.Equal(3, turns.Waiting);

        holder.Dispose();
        await Task.WhenAll(bulk, response, rule);
        Assert.Equal(["response", "rule", "bulk"], order);
    }

    [Fact]
    public async Task A_writer_that_gives_up_waiting_does_not_keep_the_turn_from_the_next()
    {
        var turns = new WriteTurns();
        var holder = await turns.TakeAsync(WritePriority.Prompt, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var givingUp = turns.TakeAsync(WritePriority.Prompt, cancel.Token).AsTask();
        var next = turns.TakeAsync(WritePriority.Bulk, CancellationToken.None).AsTask();

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => givingUp);
        holder.Dispose();

        var turn = await next.WaitAsync(TimeSpan.FromSeconds(5));
        turn.Dispose();
        Assert.Equal(0, turns.Waiting);
        (await turns.TakeAsync(WritePriority.Prompt, CancellationToken.None)).Dispose();
    }
}
