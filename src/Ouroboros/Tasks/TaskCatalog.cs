namespace Ouroboros.Tasks;

/// <summary>
/// The tasks one can name on the command line: STOP's six built-in tasks, plus any user-defined
/// tasks loaded from a folder. Ids are unique; lookups are exact.
/// </summary>
public sealed class TaskCatalog
{
    private readonly Dictionary<string, DownstreamTask> _byId;

    private TaskCatalog(IEnumerable<DownstreamTask> tasks)
    {
        Tasks = tasks.ToList();
        _byId = new Dictionary<string, DownstreamTask>(StringComparer.Ordinal);
        foreach (var task in Tasks)
            if (!_byId.TryAdd(task.Id, task))
                throw new TaskDefinitionException($"Two tasks share the id '{task.Id}'; give the user-defined one another id.");
    }

    /// <summary>In listing order: the built-in tasks first, as STOP lists them, then user-defined ones by id.</summary>
    public IReadOnlyList<DownstreamTask> Tasks { get; }

    public IEnumerable<string> Ids => Tasks.Select(t => t.Id);

    /// <summary>STOP's six downstream tasks.</summary>
    public static IReadOnlyList<DownstreamTask> BuiltIn() =>
    [
        LearningParityWithNoise.Create(),
        NoiselessParity.Create(),
        StringGridDistance.Create(),
        QuadraticAssignment.Create(),
        ThreeSat.Create(),
        MaxCut.Create(),
    ];

    /// <summary>
    /// The built-in tasks plus those under <paramref name="tasksDirectory"/>: either one task folder
    /// (it holds <c>task.json</c>) or a folder of task folders. Throws
    /// <see cref="TaskDefinitionException"/> naming the file and line at fault.
    /// </summary>
    public static TaskCatalog Load(string? tasksDirectory = null)
    {
        var tasks = BuiltIn().ToList();
        if (tasksDirectory is not null)
        {
            if (!Directory.Exists(tasksDirectory))
                throw new TaskDefinitionException($"The tasks folder '{tasksDirectory}' does not exist; pass a folder holding task.json or task folders.");
            var folders = File.Exists(Path.Combine(tasksDirectory, TaskFolder.ManifestFile))
                ? [tasksDirectory]
                : Directory.GetDirectories(tasksDirectory).Where(d => File.Exists(Path.Combine(d, TaskFolder.ManifestFile))).Order(StringComparer.Ordinal).ToArray();
            if (folders.Length == 0)
                throw new TaskDefinitionException($"'{tasksDirectory}' holds no {TaskFolder.ManifestFile}, nor any folder that does; see docs/tasks.md for the layout.");
            tasks.AddRange(folders.Select(TaskFolder.Load));
        }
        return new TaskCatalog(tasks);
    }

    /// <summary>A catalog of exactly these tasks (a caller's own, a test's).</summary>
    public static TaskCatalog Of(IEnumerable<DownstreamTask> tasks) => new(tasks);

    public bool TryGet(string id, out DownstreamTask task) => _byId.TryGetValue(id, out task!);
}

/// <summary>A task that cannot be defined as given: a malformed folder, a duplicate id. The message names the file and line.</summary>
public sealed class TaskDefinitionException(string message) : Exception(message);
