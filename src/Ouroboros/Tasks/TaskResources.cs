namespace Ouroboros.Tasks;

/// <summary>
/// The built-in tasks' seed solutions and descriptions, embedded as C# files (Tasks/Seeds,
/// Tasks/Descriptions) so they read, diff and compile-check as code rather than as string literals.
/// </summary>
internal static class TaskResources
{
    public static string Seed(string taskId) => Read($"Ouroboros.Tasks.Seeds.{taskId}.cs");

    public static string Description(string taskId) => Read($"Ouroboros.Tasks.Descriptions.{taskId}.cs");

    private static string Read(string name)
    {
        using var stream = typeof(TaskResources).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The embedded resource '{name}' is missing; the build is broken.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
