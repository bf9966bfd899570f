namespace LocalPachd.Tests;

/// <summary>Polls a condition with a timeout instead of sleeping.</summary>
internal static class Poll
{
    public static async Task UntilAsync(Func<bool> condition, int timeoutMs = 10_000)
    {
        var deadline = Environment.TickCount64 + timeoutMs;
        while (!condition())
        {
            if (Environment.TickCount64 > deadline)
            {
                Assert.Fail("condition not reached in time");
            }

            await Task.Delay(20);
        }
    }
}
