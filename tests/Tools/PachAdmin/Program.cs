using Gateway.Pachyderm;

// What the end-to-end suites need from pachd itself, beside the S3 clients: robot tokens for a second user, and
// files written the way pachctl or a pipeline would write them.
//
//   PachAdmin robot    --pachd ADDRESS --token ROOT --name NAME          prints a new robot's token
//   PachAdmin put-file --pachd ADDRESS [--token T] --repo R [--branch B] --path P   content from stdin
//   PachAdmin list-commits --pachd ADDRESS [--token T] --repo R [--branch B]        one commit id a line, newest first
var options = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 1; i + 1 < args.Length; i += 2)
{
    options[args[i].TrimStart('-')] = args[i + 1];
}

string Option(string name) => options.TryGetValue(name, out var value) ? value : throw new ArgumentException($"--{name} is required");

if (args.Length == 0)
{
    Console.Error.WriteLine("usage: PachAdmin robot|put-file|list-commits --pachd ADDRESS ...");
    return 2;
}

using var root = PachClient.Create(Option("pachd"));
var client = options.TryGetValue("token", out var token) ? root.WithToken(token) : root;
switch (args[0])
{
    case "robot":
        Console.WriteLine(await client.GetRobotTokenAsync(Option("name")));
        return 0;
    case "put-file":
        var repo = RepoRef.InDefault(Option("repo"));
        var branch = new BranchRef(repo, options.GetValueOrDefault("branch", "master"));
        await using (var content = Console.OpenStandardInput())
        {
            await client.PutFileAsync(branch.Head, Option("path"), content);
        }

        return 0;
    case "list-commits":
        var listed = new BranchRef(RepoRef.InDefault(Option("repo")), options.GetValueOrDefault("branch", "master"));
        await foreach (var info in client.ListCommitsAsync(listed.Repo, listed.Head))
        {
            Console.WriteLine(info.Commit.Id);
        }

        return 0;
    default:
        Console.Error.WriteLine($"unknown command {args[0]}");
        return 2;
}
