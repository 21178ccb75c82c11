namespace OpenCem.Tests.Fuzzing;

/// <summary>What every fuzzed request must satisfy.</summary>
public static class FuzzAssert
{
    /// <summary>No 5xx (a 503 with Retry-After is an honest "try again" only when storage fails, never for bad input); a refused request changed no table.</summary>
    public static async Task AnsweredAsync(FuzzServer fuzz, HttpResponseMessage response, long[] before)
    {
        var status = (int)response.StatusCode;
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status < 500, $"{status}: {(body.Length > 600 ? body[..600] : body)}");
        if (status >= 400)
        {
            var after = await fuzz.CountsAsync();
            Assert.True(before.SequenceEqual(after), $"refused with {status} but stored: {FuzzServer.Changes(before, after)}");
        }
    }
}
