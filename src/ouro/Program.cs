using System.CommandLine;
using Ouroboros.Cli.Commands;

// One command per file under Commands/; this file only lists them.
var root = new RootCommand("ouro — language models improve programs, and the program that improves them (STOP).");
root.Subcommands.Add(SandboxCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
root.Subcommands.Add(TasksCommand.Create());
root.Subcommands.Add(EvalCommand.Create());
root.Subcommands.Add(ServeModelCommand.Create());
root.Subcommands.Add(ImproveCommand.Create());
root.Subcommands.Add(StopCommand.Create());
root.Subcommands.Add(SweepCommand.Create());
root.Subcommands.Add(SweepPointCommand.Create());
root.Subcommands.Add(ReplayCommand.Create());
root.Subcommands.Add(TransferCommand.Create());
root.Subcommands.Add(AuditCommand.Create());
root.Subcommands.Add(TamperCommand.Create());
root.Subcommands.Add(SelfRewardCommand.Create());
root.Subcommands.Add(W2sCommand.Create());
root.Subcommands.Add(RunsCommand.Create());
root.Subcommands.Add(StoreCommand.Create());
root.Subcommands.Add(ReportCommand.Create());
root.Subcommands.Add(LineageCommand.Create());
root.Subcommands.Add(ShowCommand.Create());
root.Subcommands.Add(ExportCommand.Create());
root.Subcommands.Add(DashboardCommand.Create());
return await Cli.InvokeAsync(root, args);
