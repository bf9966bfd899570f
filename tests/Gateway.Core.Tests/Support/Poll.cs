namespace Gateway.Core.Tests.Support;

/// <summary>Polls a condition with a timeout instead of sleeping (for work a test started in the background).</summary>
internal static class Poll
{
    public static Task UntilAsync(Func<bool> condition, int timeoutMs = 10_000) =>
        UntilAsync(() => Task.FromResult(condition()), timeoutMs);

    public static async Task UntilAsync(Func<Task<bool>> condition, int timeoutMs = 10_000)
    {
        var deadline = Environment.TickCount64 + timeoutMs;
        while (!await condition())
        {
            if (Environment.TickCount64 > deadline)
            {
                Assert.Fail("condition not reached in time");
            }

            await Task.Delay(20);
        }
    }
}
