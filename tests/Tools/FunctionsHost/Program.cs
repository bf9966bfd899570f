using FunctionsHost;

// An Azure Functions host (v4) emulator for HTTP triggers of a .NET isolated worker: starts the worker as the host
// does, speaks the FunctionRpc protocol with it, routes HTTP requests to its functions and forwards them to the
// worker's own HTTP listener. See docs/FUNCTIONS-HOST.md.
EmulatorOptions options;
try
{
    options = EmulatorOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(EmulatorOptions.Usage);
    return 2;
}

return await Emulator.RunAsync(options);
